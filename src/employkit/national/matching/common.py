"""What the national match components share: parameter readers, names, flag labels.

Each component reads its numbers from the parameters in ``national/matching.toml``
through these readers, which validate them once per rule system and date
(:func:`memo`) and still read them through the context on every call, so each
explanation cites them.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from employkit.codes import full_name, occupation_ancestors, occupations, regions
from employkit.errors import ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.explain import ParameterUse
    from employkit.rules import EvalContext, RuleSystem

__all__ = ["DOC_MISMATCH", "FLAG_LABELS", "memo", "meta", "number", "occupation_text", "region_text", "won"]

#: Labels of the flags the national components raise for the counsellor.
FLAG_LABELS: Mapping[str, Text] = {
    "age_preference": Text(
        "고용주가 연령 선호를 밝힘 — 상담 시 확인", "the employer states an age preference — discuss it with them"
    ),
    "age_outside_preference": Text(
        "구직자 연령이 고용주 선호 연령대 밖", "the seeker's age is outside the employer's preferred range"
    ),
    "age_used": Text(
        "센터 설정([matching] use_age = true)에 따라 연령이 점수에 반영됨",
        "age is counted in the score by the centre's configuration ([matching] use_age = true)",
    ),
    "below_minimum_wage": Text(
        "제시 임금이 최저임금 월 환산액보다 낮음", "the offered wage is below the monthly minimum wage"
    ),
    "certificates_unverified": Text(
        "필수 자격이 있으나 구직자의 자격 보유가 기록되지 않음",
        "the vacancy requires certificates but the seeker's certificates are not recorded",
    ),
}

DOC_MISMATCH = SourceRef("seeds/000_743a0a447e219bca.txt", "L22", "구직자와 구인업체 사이의 괴리 (보수, 직종, 연령)")


def won(amount: int) -> str:
    """An amount of money as a counsellor reads it.

    >>> won(1_400_000)
    '1,400,000 ₩'
    """
    return f"{amount:,} ₩"


def number(value: Any, pid: str, low: float = 0.0, high: float | None = None) -> float:
    """``value`` as a float between ``low`` and ``high``, else a :class:`ParameterError` naming ``pid``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParameterError(f"parameter {pid}: expected a number, got {value!r}")
    if value < low or (high is not None and value > high):
        top = "" if high is None else f" and {high}"
        raise ParameterError(f"parameter {pid}: {value!r} is not between {low}{top}")
    return float(value)


def above_zero(ctx: EvalContext, pid: str, high: float) -> float:
    """The parameter ``pid``: a number above 0 and at most ``high``."""
    value = number(ctx.param(pid), pid, 0.0, high)
    if value <= 0:
        raise ParameterError(f"parameter {pid}: must be above 0")
    return value


_Build = TypeVar("_Build")


def memo(*pids: str) -> Callable[[Callable[[EvalContext], _Build]], Callable[[EvalContext], _Build]]:
    """Validate a component's parameters once per rule system and date.

    On later calls the uses of the parameters ``pids`` (the ones ``build`` reads, in its
    order) are still recorded in the context, so every explanation cites them.
    """

    def wrap(build: Callable[[EvalContext], _Build]) -> Callable[[EvalContext], _Build]:
        found: dict[tuple[int, dt.date], tuple[weakref.ref[RuleSystem], _Build, tuple[ParameterUse, ...]]] = {}

        def get(ctx: EvalContext) -> _Build:
            key = (id(ctx.system), ctx.as_of)
            hit = found.get(key)
            if hit is not None and hit[0]() is ctx.system:
                ctx.cite(hit[2])
                return hit[1]
            value = build(ctx)
            if len(found) > 64:
                found.clear()
            uses = tuple(ctx.system.parameter(pid, ctx.as_of) for pid in pids)
            found[key] = (weakref.ref(ctx.system), value, uses)
            return value

        return get

    return wrap


def switch(ctx: EvalContext, pid: str) -> bool:
    """The true/false parameter ``pid``."""
    value = ctx.param(pid)
    if not isinstance(value, bool):
        raise ParameterError(f"parameter {pid}: expected true or false, got {value!r}")
    return value


def table(ctx: EvalContext, pid: str, keys: Sequence[str], high: float | None = 1.0) -> dict[str, float]:
    """The parameter ``pid``: a table of exactly ``keys``, each a number from 0 to ``high``."""
    value = ctx.param(pid)
    if not isinstance(value, Mapping) or set(value) != set(keys):
        raise ParameterError(f"parameter {pid}: expected a table with exactly the keys {', '.join(keys)}")
    return {k: number(value[k], f"{pid}.{k}", 0.0, high) for k in keys}


def positive_parts(ctx: EvalContext, pid: str, keys: Sequence[str]) -> dict[str, float]:
    """The part weights ``pid`` (each above 0)."""
    parts = table(ctx, pid, keys, high=None)
    if any(v <= 0 for v in parts.values()):
        raise ParameterError(f"parameter {pid}: every part weight must be above 0")
    return parts


def _occupation_name(code: str, lang: str) -> str:
    known = occupations()
    try:
        chain = occupation_ancestors(code[:4])
    except ValueError:
        return code
    for c in chain:
        found = known.get(c)
        if found is not None:
            return found.name("ko" if lang == "ko" else "en")
    return code


@cache
def occupation_text(code: str) -> Text:
    """A KECO code with its name."""
    return Text(f"{code} {_occupation_name(code, 'ko')}", f"{code} {_occupation_name(code, 'en')}")


@cache
def region_text(code: str) -> Text:
    """A region code with its full name."""
    for c in (code[:5], code[:2]):
        found = regions().get(c)
        if found is not None:
            return Text(f"{full_name(found)}({code})", f"{full_name(found, 'en')} ({code})")
    return Text(code, code)


def meta(name: str, ko: str, en: str, parameters: Sequence[str], source: SourceRef, desc: Text) -> RuleMeta:
    """The rule metadata of the national component ``name``."""
    return RuleMeta(
        rule_id=f"national.matching.{name}",
        title=Text(ko, en),
        source=source,
        parameters=parameters,
        description=desc,
    )
