"""Explanations: why a decision came out as it did.

Every decision employkit makes (a segment, a score, a schedule, a KPI value) carries an
:class:`Explanation` naming the rule, the pack and its version, the parameters used with
their effective dates and sources, the inputs that mattered, and reasons in Korean and
English. A counsellor reads :meth:`Explanation.render`; an auditor exports it with
:mod:`employkit.converter`; a test asserts on its fields.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from attrs import field, frozen

from employkit.errors import NotFound
from employkit.labels import Lang, Text

__all__ = ["Explanation", "ParameterUse", "SourceRef"]


@frozen
class SourceRef:
    """Where a rule or a value comes from: a document and a place in it.

    >>> str(SourceRef("seeds/000_743a0a447e219bca.txt", "L417"))
    'seeds/000_743a0a447e219bca.txt#L417'
    """

    document: str
    locator: str | None = None
    note: str | None = None

    @classmethod
    def parse(cls, text: str) -> SourceRef:
        """Read ``"document#locator"`` as written in parameter files.

        A ``#`` inside parentheses belongs to a citation in the text, not to the locator:

        >>> SourceRef.parse("employkit default: one decimal (seeds/001.txt#L63)").locator is None
        True
        """
        depth = 0
        for i, ch in enumerate(text):
            depth += (ch == "(") - (ch == ")")
            if ch == "#" and depth == 0:
                return cls(text[:i].strip(), text[i + 1 :].strip() or None)
        return cls(text.strip(), None)

    def __str__(self) -> str:
        return f"{self.document}#{self.locator}" if self.locator else self.document


@frozen
class ParameterUse:
    """A parameter value as it was used by one decision, with its provenance."""

    parameter_id: str
    value: Any
    pack: str
    pack_version: str
    effective_from: dt.date
    effective_to: dt.date | None
    source: SourceRef | None
    overrides: tuple[str, ...] = ()  # "pack@version" of the values this one replaced


@frozen
class Explanation:
    """The reasons for one decision.

    ``inputs`` holds only the inputs that mattered, under their field names; ``details``
    holds the explanations of parts (e.g. the components of a match score).
    """

    rule_id: str
    pack: str
    pack_version: str
    reasons: tuple[Text, ...] = ()
    as_of: dt.date | None = None
    parameters: tuple[ParameterUse, ...] = ()
    inputs: Mapping[str, Any] = field(factory=dict, hash=False)
    overrides: tuple[str, ...] = ()
    details: tuple[Explanation, ...] = ()

    def parameter(self, parameter_id: str) -> ParameterUse:
        """The use of ``parameter_id`` in this explanation (raises :class:`KeyError`)."""
        for use in self.parameters:
            if use.parameter_id == parameter_id:
                return use
        raise NotFound(f"parameter {parameter_id!r} is not used in this explanation")

    def render(self, lang: Lang = "ko", indent: str = "") -> str:
        """A multi-line text for a counsellor, in Korean or English."""
        head = "규칙" if lang == "ko" else "rule"
        lines = [f"{indent}{head} {self.rule_id} — {self.pack} {self.pack_version}"]
        if self.overrides:
            word = "대체한 규칙" if lang == "ko" else "overrides"
            lines.append(f"{indent}  {word}: {', '.join(self.overrides)}")
        if self.as_of:
            lines.append(f"{indent}  {'기준일' if lang == 'ko' else 'as of'}: {self.as_of.isoformat()}")
        for reason in self.reasons:
            lines.append(f"{indent}  · {reason.get(lang)}")
        if self.inputs:
            word = "입력" if lang == "ko" else "inputs"
            shown = ", ".join(f"{k}={_show(v)}" for k, v in self.inputs.items())
            lines.append(f"{indent}  {word}: {shown}")
        for use in self.parameters:
            until = use.effective_to.isoformat() if use.effective_to else "…"
            src = f" [{use.source}]" if use.source else ""
            lines.append(
                f"{indent}  {'매개변수' if lang == 'ko' else 'parameter'} {use.parameter_id} = "
                f"{_show(use.value)} ({use.pack} {use.pack_version}, "
                f"{use.effective_from.isoformat()}–{until}){src}"
            )
        for detail in self.details:
            lines.append(detail.render(lang, indent + "    "))
        return "\n".join(lines)


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, frozenset | set):
        return "{" + ", ".join(sorted(map(str, value))) + "}"
    return str(value)
