"""Reading decision tables from a pack: the ``*.toml`` files beside its module.

The rule families written as tables (seeker typologies, programmes) read them the same
way: :func:`pack_sections` finds every ``[[section]]`` in the files of a package, in file
name order, and :func:`text` and :func:`date` read the labels and dates every table
carries, naming where a value is wrong.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from employkit.decision import DecisionTableError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.packs import RuleMeta

__all__ = ["PackTables", "date", "pack_sections", "sections", "table_meta", "text"]

_T = TypeVar("_T")


def text(raw: Mapping[str, Any], where: str) -> Text:
    """The ``ko`` / ``en`` label of a table, a row or an outcome (``en`` defaults to ``ko``)."""
    if not isinstance(raw.get("ko"), str):
        raise DecisionTableError(f"{where}: needs 'ko' (and 'en') labels")
    return Text(raw["ko"], str(raw.get("en", raw["ko"])))


def date(raw: Any, where: str) -> dt.date | None:
    """A TOML date (or an ISO text), ``None`` when not given."""
    if raw is None or isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise DecisionTableError(f"{where}: expected a date such as 2016-01-01, got {raw!r}") from None


def table_meta(raw: Mapping[str, Any], where: str, rule_id: str, parameters: Sequence[str]) -> RuleMeta:
    """The rule metadata every table carries: its labels, source line, dates and description.

    ``parameters`` are the dated parameters the rule cites. A malformed value raises
    :class:`DecisionTableError` naming ``where``.
    """
    try:
        return RuleMeta(
            rule_id=rule_id,
            title=text(raw, where),
            source=SourceRef.parse(raw["source"]) if isinstance(raw.get("source"), str) else None,
            effective_from=date(raw.get("effective_from"), where),
            effective_to=date(raw.get("effective_to"), where),
            parameters=tuple(parameters),
            description=Text(raw["description_ko"], raw.get("description_en", raw["description_ko"]))
            if "description_ko" in raw
            else None,
        )
    except ValueError as exc:
        raise DecisionTableError(f"{where}: {exc}") from None


def sections(data: Mapping[str, Any], section: str, origin: str) -> list[Mapping[str, Any]]:
    """Every ``[[section]]`` of one parsed TOML file."""
    found = data.get(section, [])
    if not isinstance(found, list):
        raise DecisionTableError(f"{origin}: '{section}' must be an array of tables ([[{section}]])")
    return found


def pack_sections(package: str | None, section: str) -> list[tuple[Mapping[str, Any], str]]:
    """Every ``[[section]]`` table in the ``*.toml`` files beside ``package``, with its file.

    In file name order. Raises :class:`DecisionTableError` for a file that is not valid
    TOML. (The families cache what they build from these, once per package and process.)
    """
    from importlib.resources import files

    if not package:
        raise DecisionTableError(f"reading [[{section}]] tables needs the pack's package name (pass __package__)")

    out: list[tuple[Mapping[str, Any], str]] = []
    for entry in sorted(files(package).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".toml"):
            continue
        text = entry.read_text(encoding="utf-8")
        if section not in text:
            continue
        origin = f"{package}/{entry.name}"
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DecisionTableError(f"{origin}: not valid TOML: {exc}") from None
        out.extend((raw, origin) for raw in sections(data, section, origin))
    return out


class PackTables(Generic[_T]):
    """One rule family's ``[[section]]`` tables: parsed from a file, or loaded from a pack once.

    ``build(raw, origin)`` checks one table and returns its rule. :meth:`load` reads the
    ``*.toml`` files beside a pack's module once per package and process (tables are
    immutable), so every call after the first is free.
    """

    def __init__(self, section: str, build: Callable[[Mapping[str, Any], str], _T]) -> None:
        self.section = section
        self._build = build
        self._loaded: dict[str, tuple[_T, ...]] = {}

    def parse(self, data: Mapping[str, Any], origin: str) -> list[_T]:
        """Every table of one parsed TOML file."""
        return [self._build(raw, origin) for raw in sections(data, self.section, origin)]

    def load(self, package: str | None) -> list[_T]:
        """Every table in the files beside ``package``, in file name order.

        Raises :class:`DecisionTableError` for the first malformed or refused table.
        """
        key = package or ""
        if key not in self._loaded:
            self._loaded[key] = tuple(self._build(raw, origin) for raw, origin in pack_sections(package, self.section))
        return list(self._loaded[key])
