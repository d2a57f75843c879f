"""The national match components: occupation, wage, place, hours and type, skills, age.

Each component scores one criterion of a seeker–vacancy pair as a value in [0, 1] with
reasons in its own unit (KECO levels, ₩, km, hours a week, skills held), and reads
its numbers from the parameters in ``national/matching.toml``. Each is also a
:class:`~employkit.matching.base.VectorisedComponent`: its kernel computes the same
values with numpy for many pairs (the batch path).

======================  =========================================================
component (key)         value
======================  =========================================================
occupation              by KECO distance (same code … unrelated), raised by the
                        related-occupation table
wage                    1 when the offer meets the wish, falling linearly to 0 at
                        a shortfall of ``matching.wage.zero_at_shortfall``
place                   by km when both sides have coordinates, else same
                        district / same province / elsewhere; wide-area values
                        for a mobile seeker
hours                   weekly hours apart, and the employment type wanted
skills                  essential skills, optional skills and certificates held
age                     advisory only, unless the centre sets
                        ``[matching] use_age = true``
======================  =========================================================

Missing inputs make a component *missing*: it is left out of the total (see
:mod:`employkit.matching.scoring`) and its explanation says what was missing.

>>> from employkit.matching.components import national_components
>>> [c.key for c in national_components()]
['occupation', 'wage', 'place', 'hours', 'skills', 'age']
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import weakref
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.codes import (
    current_region,
    full_name,
    keco_distance,
    occupation_ancestors,
    occupations,
    region_ancestors,
    region_centroid,
    regions,
)
from employkit.errors import ConfigError, ParameterError, RuleNotFound
from employkit.explain import Explanation, SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, MatchComponent
from employkit.model import EmploymentType
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.model import Seeker, Vacancy
    from employkit.rules import EvalContext, RuleSystem

__all__ = [
    "FLAG_LABELS",
    "REACH_GATES",
    "AgeComponent",
    "HoursComponent",
    "OccupationComponent",
    "PlaceComponent",
    "SkillsComponent",
    "WageComponent",
    "haversine_km",
    "monthly_minimum_wage",
    "national_components",
    "optional_skills",
    "won",
]

#: Labels of the flags components raise for the counsellor.
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

_DOC_MISMATCH = SourceRef("seeds/000_743a0a447e219bca.txt", "L22", "구직자와 구인업체 사이의 괴리 (보수, 직종, 연령)")
_TYPES: tuple[EmploymentType, ...] = tuple(EmploymentType)
_EARTH_RADIUS_KM = 6371.0088


# --------------------------------------------------------------------------- helpers


def won(amount: int) -> str:
    """An amount of money as a counsellor reads it.

    >>> won(1_400_000)
    '1,400,000 ₩'
    """
    return f"{amount:,} ₩"


def _number(value: Any, pid: str, low: float = 0.0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParameterError(f"parameter {pid}: expected a number, got {value!r}")
    if value < low or (high is not None and value > high):
        top = "" if high is None else f" and {high}"
        raise ParameterError(f"parameter {pid}: {value!r} is not between {low}{top}")
    return float(value)


_Build = TypeVar("_Build")


def _memo(*pids: str) -> Callable[[Callable[[EvalContext], _Build]], Callable[[EvalContext], _Build]]:
    """Validate a component's parameters once per rule system and date.

    On later calls the parameters ``pids`` (the ones ``build`` reads, in its order) are
    still read through the context, so every explanation cites them.
    """

    def wrap(build: Callable[[EvalContext], _Build]) -> Callable[[EvalContext], _Build]:
        cache: dict[tuple[int, dt.date], tuple[weakref.ref[RuleSystem], _Build]] = {}

        def get(ctx: EvalContext) -> _Build:
            key = (id(ctx.system), ctx.as_of)
            hit = cache.get(key)
            if hit is not None and hit[0]() is ctx.system:
                for pid in pids:
                    ctx.param(pid)
                return hit[1]
            value = build(ctx)
            if len(cache) > 64:
                cache.clear()
            cache[key] = (weakref.ref(ctx.system), value)
            return value

        return get

    return wrap


def _switch(ctx: EvalContext, pid: str) -> bool:
    value = ctx.param(pid)
    if not isinstance(value, bool):
        raise ParameterError(f"parameter {pid}: expected true or false, got {value!r}")
    return value


def _table(ctx: EvalContext, pid: str, keys: Sequence[str], high: float | None = 1.0) -> dict[str, float]:
    value = ctx.param(pid)
    if not isinstance(value, Mapping) or set(value) != set(keys):
        raise ParameterError(f"parameter {pid}: expected a table with exactly the keys {', '.join(keys)}")
    return {k: _number(value[k], f"{pid}.{k}", 0.0, high) for k in keys}


def _positive_parts(ctx: EvalContext, pid: str, keys: Sequence[str]) -> dict[str, float]:
    parts = _table(ctx, pid, keys, high=None)
    if any(v <= 0 for v in parts.values()):
        raise ParameterError(f"parameter {pid}: every part weight must be above 0")
    return parts


def _occupation_name(code: str, lang: str) -> str:
    table = occupations()
    try:
        chain = occupation_ancestors(code[:4])
    except ValueError:
        return code
    for c in chain:
        found = table.get(c)
        if found is not None:
            return found.name("ko" if lang == "ko" else "en")
    return code


@cache
def _occ(code: str) -> Text:
    return Text(f"{code} {_occupation_name(code, 'ko')}", f"{code} {_occupation_name(code, 'en')}")


@cache
def _region(code: str) -> Text:
    for c in (code[:5], code[:2]):
        found = regions().get(c)
        if found is not None:
            return Text(f"{full_name(found)}({code})", f"{full_name(found, 'en')} ({code})")
    return Text(code, code)


def _broadcast_index(*arrays: NDArray[Any]) -> tuple[NDArray[Any], ...]:
    return tuple(np.broadcast_arrays(*arrays))


def _meta(name: str, ko: str, en: str, parameters: Sequence[str], source: SourceRef, desc: Text) -> RuleMeta:
    return RuleMeta(
        rule_id=f"national.matching.{name}",
        title=Text(ko, en),
        source=source,
        parameters=parameters,
        description=desc,
    )


def _missing(
    component: MatchComponent,
    ctx: EvalContext,
    reason: Text,
    inputs: Mapping[str, Any],
    *,
    extra: Sequence[Text] = (),
    flags: Sequence[str] = (),
    advisory: bool = False,
    details: Sequence[Explanation] = (),
) -> ComponentScore:
    """A missing component: value 0, left out of the total, and the explanation says why."""
    return ComponentScore(
        component=component.key,
        value=0.0,
        missing=True,
        advisory=advisory,
        flags=tuple(flags),
        explanation=ctx.explain(
            component.meta.rule_id,
            reasons=[
                reason,
                Text("자료 없음: 총점에서 제외 (불이익 없음)", "missing: left out of the total (no penalty)"),
                *extra,
            ],
            inputs=inputs,
            details=details,
        ),
    )


@frozen(eq=False)
class _Kernel:
    """A prepared component: columns and the numpy function that scores pairs of them."""

    seeker_columns: Columns
    vacancy_columns: Columns
    function: Callable[[Columns, Columns], ArrayScores]

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The scores of the pairs whose columns are given."""
        return self.function(seeker, vacancy)


# --------------------------------------------------------------------------- occupation


@frozen
class _Related:
    a: str
    b: str
    value: float
    note: str

    def applies(self, seeker: str, vacancy: str) -> bool:
        return (seeker.startswith(self.a) and vacancy.startswith(self.b)) or (
            seeker.startswith(self.b) and vacancy.startswith(self.a)
        )


@_memo("matching.occupation.by_distance", "matching.occupation.related")
def _occupation_params(ctx: EvalContext) -> tuple[tuple[float, ...], tuple[_Related, ...]]:
    pid = "matching.occupation.by_distance"
    raw = ctx.param(pid)
    if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) != 5:
        raise ParameterError(f"parameter {pid}: expected five values (KECO distance 0 to 4)")
    values = tuple(_number(v, pid, 0.0, 1.0) for v in raw)
    if any(later > earlier for earlier, later in itertools.pairwise(values)):
        raise ParameterError(f"parameter {pid}: values must not increase with distance, got {list(values)}")
    rid = "matching.occupation.related"
    related = []
    for n, entry in enumerate(ctx.param(rid), 1):
        if not isinstance(entry, Mapping) or not {"a", "b", "value"} <= set(entry):
            raise ParameterError(f"parameter {rid}, entry {n}: needs a, b and value")
        a, b = str(entry["a"]), str(entry["b"])
        if not (a.isdigit() and b.isdigit()):
            raise ParameterError(f"parameter {rid}, entry {n}: a and b must be KECO code prefixes (digits)")
        related.append(
            _Related(a, b, _number(entry["value"], f"{rid}[{n}].value", 0.0, 1.0), str(entry.get("note", "")))
        )
    return values, tuple(related)


def _occupation_value(
    seeker: str, vacancy: str, by_distance: Sequence[float], related: Sequence[_Related]
) -> tuple[float, int, _Related | None]:
    distance = 0 if seeker == vacancy else max(1, keco_distance(seeker[:4], vacancy[:4]))
    value = by_distance[distance]
    used = None
    for rel in related:
        if rel.value > value and rel.applies(seeker, vacancy):
            value, used = rel.value, rel
    return value, distance, used


_LEVEL_TEXT = (
    Text("같은 직종", "the same occupation"),
    Text("같은 소분류(3자리)", "the same minor group (3 digits)"),
    Text("같은 중분류(2자리)", "the same middle group (2 digits)"),
    Text("같은 대분류(1자리)", "the same major group (1 digit)"),
    Text("다른 대분류", "different major groups"),
)


OCCUPATION_META = _meta(
    "occupation",
    "직종 적합도",
    "occupation fit",
    ["matching.weight.occupation", "matching.occupation.by_distance", "matching.occupation.related"],
    _DOC_MISMATCH,
    Text("희망 직종과 구인 직종의 KECO 거리", "KECO distance between the wanted and the offered occupation"),
)


@frozen
class OccupationComponent:
    """Occupation: distance in the KECO hierarchy, raised by related-occupation pairs."""

    meta: RuleMeta = OCCUPATION_META
    key: str = "occupation"

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair (see the module's table)."""
        by_distance, related = _occupation_params(ctx)
        inputs = {"desired_occupation": seeker.desired_occupation, "occupation": vacancy.occupation}
        wanted = seeker.desired_occupation
        if wanted is None:
            return _missing(self, ctx, Text("희망 직종 미기록", "desired occupation not recorded"), inputs)
        value, distance, rel = _occupation_value(wanted, vacancy.occupation, by_distance, related)
        want, offer, level = _occ(wanted), _occ(vacancy.occupation), _LEVEL_TEXT[distance]
        reasons = [
            Text(
                f"희망 {want.ko}, 구인 {offer.ko}: {level.ko} (KECO 거리 {distance}/4)",
                f"wants {want.en}, vacancy is {offer.en}: {level.en} (KECO distance {distance} of 4)",
            )
        ]
        if rel is not None:
            reasons.append(
                Text(
                    f"관련 직종 표({rel.a}↔{rel.b}, {rel.note}): {by_distance[distance]:.2f} → {value:.2f}",
                    f"related occupations ({rel.a}↔{rel.b}, {rel.note}): {by_distance[distance]:.2f} → {value:.2f}",
                )
            )
        return ComponentScore(
            component=self.key,
            value=value,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs={**inputs, "keco_distance": distance}),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: indexes into the distinct codes; a table of values for every code pair."""
        by_distance, related = _occupation_params(ctx)
        s_codes = sorted({s.desired_occupation for s in seekers if s.desired_occupation is not None})
        v_codes = sorted({v.occupation for v in vacancies})
        s_pos = {c: i for i, c in enumerate(s_codes)}
        v_pos = {c: i for i, c in enumerate(v_codes)}
        table = np.zeros((len(s_codes) + 1, max(len(v_codes), 1)))
        for i, a in enumerate(s_codes):
            for j, b in enumerate(v_codes):
                table[i, j] = _occupation_value(a, b, by_distance, related)[0]
        missing = len(s_codes)
        s_idx = np.array(
            [missing if s.desired_occupation is None else s_pos[s.desired_occupation] for s in seekers], dtype=np.intp
        )
        v_idx = np.array([v_pos[v.occupation] for v in vacancies], dtype=np.intp)

        def function(s: Columns, v: Columns) -> ArrayScores:
            si, vi = s["occupation"], v["occupation"]
            return ArrayScores(values=table[si, vi], counted=si != missing, gate=np.False_)

        return _Kernel({"occupation": s_idx}, {"occupation": v_idx}, function)


# --------------------------------------------------------------------------- wage


def _wage_value(desired: int, offered: int, zero_at: float) -> float:
    if offered >= desired:
        return 1.0
    shortfall = (desired - offered) / desired
    return max(0.0, 1.0 - shortfall / zero_at)


WAGE_META = _meta(
    "wage",
    "임금 적합도",
    "wage fit",
    [
        "matching.weight.wage",
        "matching.wage.zero_at_shortfall",
        "labour.minimum_wage.hourly",
        "labour.minimum_wage.monthly_hours",
    ],
    _DOC_MISMATCH,
    Text("제시 임금과 희망 임금 (원/월)", "offered vs desired monthly wage (KRW)"),
)


@frozen
class WageComponent:
    """Wage: the offered monthly wage against the desired one, in ₩."""

    meta: RuleMeta = WAGE_META
    key: str = "wage"

    def _zero_at(self, ctx: EvalContext) -> float:
        pid = "matching.wage.zero_at_shortfall"
        zero_at = _number(ctx.param(pid), pid, 0.0, 1.0)
        if zero_at <= 0:
            raise ParameterError(f"parameter {pid}: must be above 0")
        return zero_at

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair; flags an offer below the monthly minimum wage."""
        zero_at = self._zero_at(ctx)
        desired, offered = seeker.desired_wage, vacancy.offered_wage
        inputs: dict[str, Any] = {"desired_wage": desired, "offered_wage": offered}
        flags: list[str] = []
        reasons: list[Text] = []
        floor: Explanation | None = None
        if offered is not None:
            found = monthly_minimum_wage(ctx.system, vacancy.posted_on, vacancy.hours_per_week, self.meta.rule_id)
            if found is not None:
                minimum, floor = found
                inputs["minimum_wage_on"] = vacancy.posted_on.isoformat()
                inputs["monthly_minimum_wage"] = minimum
            if found is not None and offered < minimum:
                flags.append("below_minimum_wage")
                reasons.append(
                    Text(
                        f"제시 임금 {won(offered)}: 공고일({vacancy.posted_on}) 최저임금 월 환산액 {won(minimum)}보다 "
                        f"{won(minimum - offered)} 낮음",
                        f"offers {won(offered)}, {won(minimum - offered)} below the monthly minimum wage on the "
                        f"posting date {vacancy.posted_on} ({won(minimum)})",
                    )
                )
        if desired is None or offered is None:
            what = (
                Text("희망 임금 미기록", "desired wage not recorded")
                if desired is None
                else Text("제시 임금 미기재", "offered wage not stated")
            )
            return _missing(
                self, ctx, what, inputs, extra=reasons, flags=flags, details=() if floor is None else (floor,)
            )
        value = _wage_value(desired, offered, zero_at)
        gap = offered - desired
        if gap == 0:
            head = Text(
                f"제시 임금 {won(offered)}: 희망 임금과 같음", f"offers {won(offered)}, exactly what the seeker wants"
            )
        elif gap > 0:
            head = Text(
                f"제시 임금 {won(offered)}, 희망 임금({won(desired)})보다 {won(gap)} 많음",
                f"offers {won(offered)}, {won(gap)} above what the seeker wants ({won(desired)})",
            )
        else:
            head = Text(
                f"제시 임금 {won(offered)}, 희망 임금({won(desired)})보다 {won(-gap)} 적음",
                f"offers {won(offered)}, {won(-gap)} below what the seeker wants ({won(desired)})",
            )
            reasons.append(
                Text(
                    f"부족분 {(-gap) / desired:.1%}: {zero_at:.0%} 부족에서 0점",
                    f"shortfall {(-gap) / desired:.1%}; the value reaches 0 at a {zero_at:.0%} shortfall",
                )
            )
        return ComponentScore(
            component=self.key,
            value=value,
            flags=tuple(flags),
            explanation=ctx.explain(
                self.meta.rule_id,
                reasons=[head, *reasons],
                inputs={**inputs, "difference_krw": gap},
                details=() if floor is None else (floor,),
            ),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: desired and offered wages as floats (NaN when missing)."""
        zero_at = self._zero_at(ctx)
        desired = np.array([np.nan if s.desired_wage is None else float(s.desired_wage) for s in seekers])
        offered = np.array([np.nan if v.offered_wage is None else float(v.offered_wage) for v in vacancies])

        def function(s: Columns, v: Columns) -> ArrayScores:
            d, o = _broadcast_index(s["desired_wage"], v["offered_wage"])
            known = ~(np.isnan(d) | np.isnan(o))
            safe_d = np.where(known & (d > 0), d, 1.0)
            shortfall = (safe_d - np.where(known, o, 0.0)) / safe_d
            value = np.where(known & (o < d), np.maximum(0.0, 1.0 - shortfall / zero_at), 1.0)
            return ArrayScores(values=value, counted=known, gate=np.False_)

        return _Kernel({"desired_wage": desired}, {"offered_wage": offered}, function)


def monthly_minimum_wage(
    system: RuleSystem, posted_on: dt.date, hours_per_week: float | None, rule_id: str = "national.matching.wage"
) -> tuple[int, Explanation] | None:
    """The monthly minimum wage for a job posted on ``posted_on``, and how it was found.

    The hourly minimum in force on the POSTING date (not the evaluation date) is turned
    into a monthly amount: below ``labour.minimum_wage.weekly_rest_min_hours`` (15) hours
    a week no paid weekly rest (주휴) is due, so hourly × weekly hours × 365 / 7 / 12; from
    15 hours it is included, hourly × ``monthly_hours`` (209) × weekly hours / 40 (at most
    40). Unknown hours count as 40. ``None`` when no minimum wage is in force that day.

    >>> from employkit.testing import make_system
    >>> floor, _ = monthly_minimum_wage(make_system(), dt.date(2026, 3, 2), 10)
    >>> floor  # 10,320 × 10 × 365 / 7 / 12, no weekly rest below 15 h
    448429
    >>> monthly_minimum_wage(make_system(), dt.date(2010, 5, 3), None)[0]  # 4,110 × 209
    858990
    """
    from employkit.rules import EvalContext

    sub = EvalContext(system, posted_on)
    try:
        hourly = float(sub.param("labour.minimum_wage.hourly"))
        per_month = float(sub.param("labour.minimum_wage.monthly_hours"))
        rest_from = float(sub.param("labour.minimum_wage.weekly_rest_min_hours"))
    except (ParameterError, RuleNotFound):  # no minimum wage in force on that date: no check
        return None
    if hours_per_week is not None and hours_per_week < rest_from:
        amount = hourly * hours_per_week * 365 / 7 / 12
        how = Text(
            f"주 {hours_per_week:g}시간 < {rest_from:g}시간: 주휴 없음, "
            f"{hourly:,.0f}원 × {hours_per_week:g} × 365/7/12",
            f"{hours_per_week:g} h/week < {rest_from:g}: no paid weekly rest, {hourly:,.0f} × {hours_per_week:g} "
            "× 365/7/12",
        )
    else:
        weekly = 40.0 if hours_per_week is None else min(hours_per_week, 40.0)
        amount = hourly * per_month * weekly / 40.0
        how = Text(
            f"주 {weekly:g}시간{'(미기재: 40시간 가정)' if hours_per_week is None else ''}: 주휴 포함, "
            f"{hourly:,.0f}원 × {per_month:g}시간 × {weekly:g}/40",
            f"{weekly:g} h/week{' (not stated: 40 assumed)' if hours_per_week is None else ''}: paid weekly rest "
            f"included, {hourly:,.0f} × {per_month:g} h × {weekly:g}/40",
        )
    minimum = round(amount)
    lead = Text(
        f"공고일 {posted_on} 기준 최저임금 월 환산액 {won(minimum)}",
        f"monthly minimum wage on the posting date {posted_on}: {won(minimum)}",
    )
    return minimum, sub.explain(rule_id, reasons=[lead, how], inputs={"posted_on": posted_on.isoformat()})


# --------------------------------------------------------------------------- place


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two points given in degrees.

    >>> round(haversine_km(37.5636, 126.9976, 37.5704, 126.9920), 2)  # 중구청 to 종로구청
    0.9
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlam = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlam / 2) ** 2
    return 2 * _EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def _haversine_np(
    lat1: NDArray[np.float64], lon1: NDArray[np.float64], lat2: NDArray[np.float64], lon2: NDArray[np.float64]
) -> NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlam = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    result: NDArray[np.float64] = 2 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
    return result


def _coordinates(extra: Mapping[str, Any]) -> tuple[float, float] | None:
    """``(latitude, longitude)`` from a record's extra columns, if both are readable."""
    try:
        lat, lon = float(extra["latitude"]), float(extra["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return lat, lon


_LEVELS = ("same_district", "same_province", "other")


@cache
def _current(code: str) -> str:
    """The code in force now for ``code``'s area: records keep theirs, places compare by this."""
    try:
        return current_region(code)
    except ValueError:
        return code


@cache
def _district_chain(code: str) -> tuple[str, ...]:
    """The current district of ``code`` and its city (for a 일반구); empty for a 시도."""
    current = _current(code)
    if len(current) < 5:
        return ()
    try:
        return tuple(c for c in region_ancestors(current) if len(c) == 5)
    except ValueError:
        return (current[:5],)


@cache
def _centroid(code: str) -> tuple[float, float] | None:
    """The centroid of the district in force now for ``code`` (``None`` for a 시도 or unknown code)."""
    try:
        return region_centroid(code)
    except ValueError:
        return None


def _region_level(residence: str, workplace: str) -> str:
    home, work = _district_chain(residence), _district_chain(workplace)
    if home and work and (home[0] in work or work[0] in home):
        return "same_district"
    return "same_province" if _current(residence)[:2] == _current(workplace)[:2] else "other"


def _km_value(distance: float, full: float, zero: float) -> float:
    if distance <= full:
        return 1.0
    return max(0.0, (zero - distance) / (zero - full))


#: Commute reaches of the gate ``matching.gate.reach``, narrowest first.
REACH_GATES = ("district", "province", "national")

_REACH_TEXT = {
    "district": Text("같은 시군구", "the same district"),
    "province": Text("같은 시도", "the same province"),
    "national": Text("전국", "anywhere"),
}


@frozen
class _Reach:
    """The commute-reach gate for one kind of seeker: a region reach and a km limit (0: none)."""

    reach: str
    km: float

    @property
    def active(self) -> bool:
        return self.reach != "national" or self.km > 0

    def text(self) -> Text:
        where = _REACH_TEXT[self.reach]
        if self.km > 0 and self.reach != "national":
            return Text(f"{where.ko} 안, 통근 {self.km:g} km 이내", f"within {where.en} and {self.km:g} km of home")
        if self.km > 0:
            return Text(f"통근 {self.km:g} km 이내", f"within {self.km:g} km of home")
        return Text(f"{where.ko} 안", f"within {where.en}")

    def fails(self, level: str, km: float | None) -> bool:
        """Whether a pair at this region level and distance (``None``: unknown) is out of reach."""
        if self.reach == "district" and level != "same_district":
            return True
        if self.reach == "province" and level == "other":
            return True
        return self.km > 0 and km is not None and km > self.km


@frozen
class _PlaceParams:
    local: Mapping[str, float]
    mobile: Mapping[str, float]
    full: float
    zero: float
    zero_mobile: float
    reach_local: _Reach
    reach_mobile: _Reach


def _reach_params(ctx: EvalContext) -> tuple[_Reach, _Reach]:
    pid = "matching.gate.reach"
    raw = ctx.param(pid)
    keys = ("local", "mobile", "local_km", "mobile_km")
    if not isinstance(raw, Mapping) or set(raw) != set(keys):
        raise ParameterError(f"parameter {pid}: expected a table with exactly the keys {', '.join(keys)}")
    out = []
    for kind in ("local", "mobile"):
        reach = raw[kind]
        if reach not in REACH_GATES:
            raise ParameterError(f"parameter {pid}.{kind}: expected one of {', '.join(REACH_GATES)}, got {reach!r}")
        out.append(_Reach(str(reach), _number(raw[f"{kind}_km"], f"{pid}.{kind}_km", 0.0, 20_000.0)))
    return out[0], out[1]


@_memo("matching.place.by_region", "matching.place.by_region_mobile", "matching.place.km", "matching.gate.reach")
def _place_params(ctx: EvalContext) -> _PlaceParams:
    local = _table(ctx, "matching.place.by_region", _LEVELS)
    mobile = _table(ctx, "matching.place.by_region_mobile", _LEVELS)
    for name, table in (("matching.place.by_region", local), ("matching.place.by_region_mobile", mobile)):
        if not table["same_district"] >= table["same_province"] >= table["other"]:
            raise ParameterError(f"parameter {name}: values must not increase from same_district to other")
    if any(mobile[k] < local[k] for k in _LEVELS):
        raise ParameterError("parameter matching.place.by_region_mobile: each value must be at least by_region's")
    km = _table(ctx, "matching.place.km", ("full", "zero", "zero_mobile"), high=None)
    if not km["full"] < km["zero"] <= km["zero_mobile"]:
        raise ParameterError("parameter matching.place.km: expected full < zero <= zero_mobile")
    reach_local, reach_mobile = _reach_params(ctx)
    return _PlaceParams(local, mobile, km["full"], km["zero"], km["zero_mobile"], reach_local, reach_mobile)


def _district_number(code: str, missing: int) -> int:
    return int(code[:5]) if len(code) >= 5 else missing


def _city_number(code: str, missing: int) -> int:
    """The city of a 일반구 (the district itself otherwise), as in :func:`_region_level`."""
    chain = _district_chain(code)
    return int(chain[-1]) if chain else missing


PLACE_META = _meta(
    "place",
    "근무지 적합도",
    "place of work fit",
    [
        "matching.weight.place",
        "matching.place.by_region",
        "matching.place.by_region_mobile",
        "matching.place.km",
        "matching.gate.reach",
    ],
    SourceRef("seeds/001_9743a8cda015755e.txt", "L483-486", "광역 알선 / 지역 내 알선"),
    Text("거주지와 근무지: 같은 시군구, 같은 시도, 통근 거리", "home and workplace: district, province, commute km"),
)


@frozen
class PlaceComponent:
    """Place of work: km between home and workplace (their coordinates, else their district centroids).

    It also holds the **commute-reach gate** ``matching.gate.reach``, a policy limit a
    centre may set (nationally off): seekers who cannot move (or whose mobility is not
    recorded) and mobile seekers each get a reach — ``district``, ``province`` or
    ``national`` — and a km limit (0: none). A vacancy outside the seeker's reach fails
    the gate: the pair is not eligible on every path, and the explanation says so. A km
    limit needs a distance (coordinates or district centroids); where none can be
    computed only the region reach applies.
    """

    meta: RuleMeta = PLACE_META
    key: str = "place"

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair; mobile seekers (``intake.mobile``) get the wide-area values."""
        p = _place_params(ctx)
        mobile = seeker.intake.mobile is True
        home, work = _coordinates(seeker.extra), _coordinates(vacancy.extra)
        given = (home is not None) + (work is not None)
        home = home or _centroid(seeker.residence_code)
        work = work or _centroid(vacancy.region_code)
        inputs: dict[str, Any] = {
            "residence_code": seeker.residence_code,
            "region_code": vacancy.region_code,
            "mobile": seeker.intake.mobile,
        }
        reasons: list[Text] = []
        km: float | None = None
        if mobile:
            reasons.append(Text("지역이동 가능: 광역 알선 기준 적용", "mobile seeker: wide-area values"))
        elif seeker.intake.mobile is None:
            reasons.append(
                Text("지역이동 가능 여부 미기록: 지역 내 기준 적용", "mobility not recorded: local values used")
            )
        if home is not None and work is not None:
            km = haversine_km(home[0], home[1], work[0], work[1])
            zero = p.zero_mobile if mobile else p.zero
            value = _km_value(km, p.full, zero)
            beyond = km - p.full
            if beyond <= 0:
                lead = Text(
                    f"통근 거리 {km:.1f} km: 만점 반경 {p.full:g} km 이내 ({-beyond:.1f} km 여유)",
                    f"{km:.1f} km from home: within the {p.full:g} km full-value radius ({-beyond:.1f} km to spare)",
                )
            else:
                lead = Text(
                    f"통근 거리 {km:.1f} km: 만점 반경 {p.full:g} km보다 {beyond:.1f} km 멂 ({zero:g} km에서 0점)",
                    f"{km:.1f} km from home: {beyond:.1f} km beyond the {p.full:g} km full-value radius "
                    f"(0 at {zero:g} km)",
                )
            if given < 2 and _region_level(seeker.residence_code, vacancy.region_code) == "same_district":
                value = max(value, (p.mobile if mobile else p.local)["same_district"])  # a centroid never outranks
            inputs["distance_km"] = round(km, 3)
            inputs["distance_from"] = ("district centroids", "coordinates and a district centroid", "coordinates")[
                given
            ]
            if given < 2:
                reasons.append(
                    Text(
                        f"좌표 없는 쪽은 시군구 중심점 기준 ({_region(seeker.residence_code).ko} → "
                        f"{_region(vacancy.region_code).ko})",
                        f"district centroid where no coordinates are given ({_region(seeker.residence_code).en} → "
                        f"{_region(vacancy.region_code).en})",
                    )
                )
        else:
            level = _region_level(seeker.residence_code, vacancy.region_code)
            value = (p.mobile if mobile else p.local)[level]
            home_t, work_t = _region(seeker.residence_code), _region(vacancy.region_code)
            what = {
                "same_district": Text("같은 시군구", "same district"),
                "same_province": Text("같은 시도, 다른 시군구", "same province, another district"),
                "other": Text("다른 시도", "another province"),
            }[level]
            lead = Text(
                f"거주 {home_t.ko}, 근무지 {work_t.ko}: {what.ko}",
                f"lives in {home_t.en}, works in {work_t.en}: {what.en}",
            )
            inputs["region_level"] = level
        gate = False
        reach = p.reach_mobile if mobile else p.reach_local
        if reach.active:
            gate = reach.fails(_region_level(seeker.residence_code, vacancy.region_code), km)
            kind = (
                Text("지역이동 가능 구직자", "mobile seekers")
                if mobile
                else Text("지역이동이 어려운 구직자", "seekers who cannot move")
            )
            limit = reach.text()
            if gate:
                reasons.append(
                    Text(
                        f"통근 범위 관문(matching.gate.reach): {kind.ko}는 {limit.ko}의 구인만 — 범위 밖, "
                        "관문 불통과(추천 제외)",
                        f"commute-reach gate (matching.gate.reach): {kind.en} are offered vacancies {limit.en} only "
                        "— out of reach, gate failed (not recommended)",
                    )
                )
            else:
                reasons.append(
                    Text(
                        f"통근 범위 관문(matching.gate.reach): {kind.ko}는 {limit.ko}의 구인만 — 통과",
                        f"commute-reach gate (matching.gate.reach): {kind.en} are offered vacancies {limit.en} only "
                        "— passed",
                    )
                )
            if reach.km > 0 and km is None:
                reasons.append(
                    Text(
                        "거리를 계산할 수 없어 km 제한은 적용하지 않음",
                        "no distance can be computed: the km limit is not applied",
                    )
                )
            inputs["reach"] = reach.reach
            inputs["reach_km"] = reach.km
        return ComponentScore(
            component=self.key,
            value=value,
            gate=gate,
            explanation=ctx.explain(self.meta.rule_id, reasons=[lead, *reasons], inputs=inputs),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: district and province numbers, mobility, coordinates (NaN when absent)."""
        p = _place_params(ctx)

        def coords(
            records: Sequence[Any], codes: Sequence[str]
        ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.bool_]]:
            given = [_coordinates(r.extra) for r in records]
            pairs = [g or _centroid(code) for g, code in zip(given, codes, strict=True)]
            lat = np.array([np.nan if c is None else c[0] for c in pairs], dtype=np.float64)
            lon = np.array([np.nan if c is None else c[1] for c in pairs], dtype=np.float64)
            return lat, lon, np.array([g is not None for g in given], dtype=bool)

        s_codes = [_current(s.residence_code) for s in seekers]
        v_codes = [_current(v.region_code) for v in vacancies]
        s_lat, s_lon, s_given = coords(seekers, s_codes)
        v_lat, v_lon, v_given = coords(vacancies, v_codes)
        s_cols = {
            "district": np.array([_district_number(c, -1) for c in s_codes], dtype=np.int64),
            "city": np.array([_city_number(c, -1) for c in s_codes], dtype=np.int64),
            "given": s_given,
            "province": np.array([int(c[:2]) for c in s_codes], dtype=np.int64),
            "mobile": np.array([s.intake.mobile is True for s in seekers], dtype=bool),
            "lat": s_lat,
            "lon": s_lon,
        }
        v_cols = {
            "district": np.array([_district_number(c, -2) for c in v_codes], dtype=np.int64),
            "city": np.array([_city_number(c, -2) for c in v_codes], dtype=np.int64),
            "given": v_given,
            "province": np.array([int(c[:2]) for c in v_codes], dtype=np.int64),
            "lat": v_lat,
            "lon": v_lon,
        }
        local = np.array([p.local[k] for k in _LEVELS])
        mobile_values = np.array([p.mobile[k] for k in _LEVELS])
        # the reach gate: the widest region level allowed (0 district, 1 province, 2 national) and km
        widest = {"district": 0, "province": 1, "national": 2}
        gated = p.reach_local.active or p.reach_mobile.active

        def reach_gate(
            level: NDArray[np.intp], mobile: NDArray[np.bool_], km: NDArray[np.float64] | None
        ) -> NDArray[np.bool_] | np.bool_:
            if not gated:
                return np.False_
            allowed = np.where(mobile, widest[p.reach_mobile.reach], widest[p.reach_local.reach])
            gate = level > allowed
            if km is not None:
                limit = np.where(mobile, p.reach_mobile.km, p.reach_local.km)
                gate = gate | ((limit > 0) & (km > limit))
            return gate

        def function(s: Columns, v: Columns) -> ArrayScores:
            same = (s["district"] == v["district"]) | (s["district"] == v["city"]) | (s["city"] == v["district"])
            level = np.where(same, 0, np.where(s["province"] == v["province"], 1, 2)).astype(np.intp)
            mobile = s["mobile"]
            by_region = np.where(mobile, mobile_values[level], local[level])
            has = ~(np.isnan(s["lat"]) | np.isnan(v["lat"]))
            if not np.any(has):
                return ArrayScores(values=by_region, counted=np.True_, gate=reach_gate(level, mobile, None))
            km = _haversine_np(
                np.where(has, s["lat"], 0.0),
                np.where(has, s["lon"], 0.0),
                np.where(has, v["lat"], 0.0),
                np.where(has, v["lon"], 0.0),
            )
            zero = np.where(mobile, p.zero_mobile, p.zero)
            by_km = np.where(km <= p.full, 1.0, np.maximum(0.0, (zero - km) / (zero - p.full)))
            # where a centroid stands in for coordinates, the same district keeps its by-region value
            floor = (level == 0) & ~(s["given"] & v["given"])
            by_km = np.where(floor, np.maximum(by_km, by_region), by_km)
            gate = reach_gate(level, mobile, np.where(has, km, -1.0))
            return ArrayScores(values=np.where(has, by_km, by_region), counted=np.True_, gate=gate)

        return _Kernel(s_cols, v_cols, function)


# --------------------------------------------------------------------------- hours and type


@frozen
class _HoursParams:
    zero_at: float
    mismatch: float
    w_hours: float
    w_type: float
    gate: bool


@_memo(
    "matching.hours.zero_at_gap",
    "matching.hours.type_mismatch",
    "matching.hours.parts",
    "matching.gate.employment_type",
)
def _hours_params(ctx: EvalContext) -> _HoursParams:
    pid = "matching.hours.zero_at_gap"
    zero_at = _number(ctx.param(pid), pid, 0.0, 168.0)
    if zero_at <= 0:
        raise ParameterError(f"parameter {pid}: must be above 0")
    mismatch = _number(ctx.param("matching.hours.type_mismatch"), "matching.hours.type_mismatch", 0.0, 1.0)
    parts = _positive_parts(ctx, "matching.hours.parts", ("hours", "type"))
    gate = _switch(ctx, "matching.gate.employment_type")
    return _HoursParams(zero_at, mismatch, parts["hours"], parts["type"], gate)


def _hours_value(wanted: float, offered: float, zero_at: float) -> float:
    return max(0.0, 1.0 - abs(offered - wanted) / zero_at)


def _type_mask(types: Iterable[EmploymentType]) -> int:
    return sum(1 << _TYPES.index(t) for t in set(types))


HOURS_META = _meta(
    "hours",
    "근로시간·고용형태 적합도",
    "hours and employment type fit",
    [
        "matching.weight.hours",
        "matching.hours.zero_at_gap",
        "matching.hours.type_mismatch",
        "matching.hours.parts",
        "matching.gate.employment_type",
    ],
    SourceRef("seeds/002_62de1f3d4f953fee.txt", "L76-79", "시간선택제 일자리·구직자 발굴"),
    Text("희망 근로시간·고용형태와 구인 조건", "wanted hours and employment types vs the vacancy's"),
)


@frozen
class HoursComponent:
    """Hours and employment type: weekly hours wanted vs offered, and the types wanted.

    A seeker who lists the employment types wanted and does not list the vacancy's
    fails the gate ``matching.gate.employment_type`` (when switched on).
    """

    meta: RuleMeta = HOURS_META
    key: str = "hours"

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair: the mean of the hours part and the type part that have data."""
        p = _hours_params(ctx)
        inputs: dict[str, Any] = {
            "desired_hours": seeker.desired_hours,
            "hours_per_week": vacancy.hours_per_week,
            "employment_types": seeker.employment_types,
            "employment_type": vacancy.employment_type.code,
        }
        num = 0.0
        den = 0.0
        reasons: list[Text] = []
        gate = False
        if seeker.desired_hours is not None and vacancy.hours_per_week is not None:
            wanted, offered = seeker.desired_hours, vacancy.hours_per_week
            part = _hours_value(wanted, offered, p.zero_at)
            num += p.w_hours * part
            den += p.w_hours
            gap = offered - wanted
            if gap == 0:
                reasons.append(
                    Text(f"주 {offered:g}시간 근무: 희망 시간과 같음", f"{offered:g} h/week, as many hours as wanted")
                )
            else:
                more = Text("많음", "more") if gap > 0 else Text("적음", "fewer")
                reasons.append(
                    Text(
                        f"주 {offered:g}시간 근무, 희망(주 {wanted:g}시간)보다 {abs(gap):g}시간 {more.ko} "
                        f"({p.zero_at:g}시간 차이에서 0점)",
                        f"{offered:g} h/week, {abs(gap):g} h {more.en} than wanted ({wanted:g} h); "
                        f"0 at {p.zero_at:g} h apart",
                    )
                )
        else:
            reasons.append(Text("근로시간 자료 없음(부분 제외)", "hours not known on one side (part left out)"))
        etype = vacancy.employment_type
        if seeker.employment_types:
            wanted_types = ", ".join(sorted(t.label.ko for t in seeker.employment_types))
            wanted_en = ", ".join(sorted(t.label.en for t in seeker.employment_types))
            if etype in seeker.employment_types:
                part = 1.0
                reasons.append(
                    Text(
                        f"고용형태 {etype.label.ko}: 희망 형태({wanted_types})에 포함",
                        f"employment type {etype.label.en}: among those wanted ({wanted_en})",
                    )
                )
            else:
                part = p.mismatch
                gate = p.gate
                reasons.append(
                    Text(
                        f"고용형태 {etype.label.ko}: 희망 형태({wanted_types})가 아님"
                        + (" — 관문 불통과(추천 제외)" if gate else ""),
                        f"employment type {etype.label.en}: not among those wanted ({wanted_en})"
                        + (" — gate failed (not recommended)" if gate else ""),
                    )
                )
            num += p.w_type * part
            den += p.w_type
        else:
            reasons.append(
                Text("희망 고용형태 미기록(부분 제외)", "employment types wanted not recorded (part left out)")
            )
        if den == 0.0:
            return _missing(self, ctx, Text("근로시간·고용형태 자료 없음", "no hours or type wishes recorded"), inputs)
        return ComponentScore(
            component=self.key,
            value=num / den,
            gate=gate,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: hours (NaN when missing), the wanted types as a bit mask, the type's bit."""
        p = _hours_params(ctx)
        s_cols = {
            "hours": np.array([np.nan if s.desired_hours is None else s.desired_hours for s in seekers]),
            "types": np.array([_type_mask(s.employment_types) for s in seekers], dtype=np.int64),
        }
        v_cols = {
            "hours": np.array([np.nan if v.hours_per_week is None else v.hours_per_week for v in vacancies]),
            "type": np.array([_type_mask([v.employment_type]) for v in vacancies], dtype=np.int64),
        }

        def function(s: Columns, v: Columns) -> ArrayScores:
            sh, vh = s["hours"], v["hours"]
            has_hours = ~(np.isnan(sh) | np.isnan(vh))
            hours_part = np.maximum(0.0, 1.0 - np.abs(vh - sh) / p.zero_at)
            has_type = s["types"] != 0
            wanted = (s["types"] & v["type"]) != 0
            type_part = np.where(wanted, 1.0, p.mismatch)
            num = np.where(has_hours, p.w_hours * hours_part, 0.0) + np.where(has_type, p.w_type * type_part, 0.0)
            den = np.where(has_hours, p.w_hours, 0.0) + np.where(has_type, p.w_type, 0.0)
            counted = den > 0.0
            value = np.where(counted, num / np.where(counted, den, 1.0), 0.0)
            gate = (has_type & ~wanted) if p.gate else np.False_
            return ArrayScores(values=value, counted=counted, gate=gate)

        return _Kernel(s_cols, v_cols, function)


# --------------------------------------------------------------------------- skills


def optional_skills(vacancy: Vacancy) -> frozenset[str]:
    """The optional (preferred) skills of a vacancy: ``extra["optional_skills"]``, ``;``-separated.

    A list or tuple is accepted too. Skills also listed as required are not optional.
    """
    raw = vacancy.extra.get("optional_skills")
    if raw is None:
        return frozenset()
    items = raw.split(";") if isinstance(raw, str) else [str(x) for x in raw]
    required = {_norm(s) for s in vacancy.required_skills}
    return frozenset(s.strip() for s in items if s.strip() and _norm(s) not in required)


def _norm(text: str) -> str:
    return text.strip().casefold()


@frozen
class _SkillsParams:
    essential: float
    optional: float
    certificates: float
    gate: bool


@_memo("matching.skills.parts", "matching.gate.licence")
def _skills_params(ctx: EvalContext) -> _SkillsParams:
    parts = _positive_parts(ctx, "matching.skills.parts", ("essential", "optional", "certificates"))
    return _SkillsParams(
        parts["essential"], parts["optional"], parts["certificates"], _switch(ctx, "matching.gate.licence")
    )


def _listing(names: Iterable[str]) -> str:
    return ", ".join(sorted(names)) or "-"


SKILLS_META = _meta(
    "skills",
    "기술·자격 적합도",
    "skills and certificates fit",
    ["matching.weight.skills", "matching.skills.parts", "matching.gate.licence"],
    SourceRef("seeds/003_cafe3b9757853c08.txt", "L151-152", "관련 전문기술을 소지한 경우가 적어 연계에 어려움"),
    Text("필수·우대 기술과 자격 보유", "essential and optional skills and certificates held"),
)


@frozen
class SkillsComponent:
    """Skills and certificates: essential and optional skills and required certificates held.

    A part counts only when the vacancy asks for something of its kind and the seeker's
    record lists any of that kind (an empty list is "not recorded", never "none held").
    A required certificate the seeker's recorded certificates lack fails the gate
    ``matching.gate.licence`` (when switched on); when the seeker has no certificates
    recorded, the pair is flagged ``certificates_unverified`` instead.
    """

    meta: RuleMeta = SKILLS_META
    key: str = "skills"

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair, listing what is missing."""
        p = _skills_params(ctx)
        held_skills = {_norm(s) for s in seeker.skills}
        held_certs = {_norm(c) for c in seeker.certificates}
        essential, optional, certs = vacancy.required_skills, optional_skills(vacancy), vacancy.required_certificates
        inputs: dict[str, Any] = {
            "skills": seeker.skills,
            "certificates": seeker.certificates,
            "required_skills": essential,
            "optional_skills": optional,
            "required_certificates": certs,
        }
        if not (essential or optional or certs):
            return _missing(
                self, ctx, Text("요구 기술·자격 없음", "the vacancy asks for no skills or certificates"), inputs
            )
        num = 0.0
        den = 0.0
        reasons: list[Text] = []
        flags: list[str] = []
        gate = False
        for names, weight, kind, held, recorded in (
            (essential, p.essential, Text("필수 기술", "essential skills"), held_skills, bool(seeker.skills)),
            (optional, p.optional, Text("우대 기술", "optional skills"), held_skills, bool(seeker.skills)),
            (certs, p.certificates, Text("필수 자격", "required certificates"), held_certs, bool(seeker.certificates)),
        ):
            if not names:
                continue
            if not recorded:
                reasons.append(
                    Text(
                        f"{kind.ko} {len(names)}개 요구, 구직자 기록 없음(부분 제외): {_listing(names)}",
                        f"{kind.en}: {len(names)} asked, none recorded for the seeker (part left out): "
                        f"{_listing(names)}",
                    )
                )
                if names is certs:
                    flags.append("certificates_unverified")
                continue
            lacking = [n for n in names if _norm(n) not in held]
            have = len(names) - len(lacking)
            num += weight * (have / len(names))
            den += weight
            reasons.append(
                Text(
                    f"{kind.ko} {len(names)}개 중 {have}개 보유; 부족: {_listing(lacking)}",
                    f"{kind.en}: holds {have} of {len(names)}; missing: {_listing(lacking)}",
                )
            )
            if names is certs and lacking and p.gate:
                gate = True
                reasons.append(
                    Text(
                        "필수 자격(면허) 미보유 — 관문 불통과(추천 제외)",
                        "required licence missing — gate failed (not recommended)",
                    )
                )
        if den == 0.0:
            return _missing(
                self,
                ctx,
                Text("구직자의 기술·자격 미기록", "the seeker's skills and certificates are not recorded"),
                inputs,
                extra=reasons,
                flags=flags,
            )
        return ComponentScore(
            component=self.key,
            value=num / den,
            gate=gate,
            flags=tuple(flags),
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: 0/1 vectors over the skills and certificates the vacancies ask for."""
        p = _skills_params(ctx)
        opts = [optional_skills(v) for v in vacancies]
        skill_vocab = sorted({_norm(x) for v, o in zip(vacancies, opts, strict=True) for x in (*v.required_skills, *o)})
        cert_vocab = sorted({_norm(x) for v in vacancies for x in v.required_certificates})
        sk = {name: i for i, name in enumerate(skill_vocab)}
        ck = {name: i for i, name in enumerate(cert_vocab)}

        def vectors(sets: Sequence[Iterable[str]], index: Mapping[str, int]) -> NDArray[np.float64]:
            out = np.zeros((len(sets), len(index)))
            for row, names in enumerate(sets):
                for name in names:
                    col = index.get(_norm(name))
                    if col is not None:
                        out[row, col] = 1.0
            return out

        s_cols = {
            "skills": vectors([s.skills for s in seekers], sk),
            "skills_n": np.array([len(s.skills) for s in seekers], dtype=np.float64),
            "certs": vectors([s.certificates for s in seekers], ck),
            "certs_n": np.array([len(s.certificates) for s in seekers], dtype=np.float64),
        }
        v_cols = {
            "essential": vectors([v.required_skills for v in vacancies], sk),
            "essential_n": np.array([len(v.required_skills) for v in vacancies], dtype=np.float64),
            "optional": vectors(opts, sk),
            "optional_n": np.array([len(o) for o in opts], dtype=np.float64),
            "certs": vectors([v.required_certificates for v in vacancies], ck),
            "certs_n": np.array([len(v.required_certificates) for v in vacancies], dtype=np.float64),
        }

        def function(s: Columns, v: Columns) -> ArrayScores:
            num: Any = 0.0
            den: Any = 0.0
            gate: Any = np.False_
            for held, held_n, asked, asked_n, weight, is_cert in (
                ("skills", "skills_n", "essential", "essential_n", p.essential, False),
                ("skills", "skills_n", "optional", "optional_n", p.optional, False),
                ("certs", "certs_n", "certs", "certs_n", p.certificates, True),
            ):
                n_asked = v[asked_n]
                present = (n_asked > 0) & (s[held_n] > 0)
                if not np.any(present):
                    continue
                have = _count_held(s[held], v[asked])
                share = have / np.where(present, n_asked, 1.0)
                num = num + np.where(present, weight * share, 0.0)
                den = den + np.where(present, weight, 0.0)
                if is_cert and p.gate:
                    gate = gate | (present & (have < n_asked))
            counted = np.asarray(den) > 0.0
            value = np.where(counted, num / np.where(counted, den, 1.0), 0.0)
            return ArrayScores(values=value, counted=counted, gate=gate)

        return _Kernel(s_cols, v_cols, function)


def _count_held(held: NDArray[np.float64], asked: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per pair, how many of the asked items are held (0/1 vectors on the last axis)."""
    if held.shape[-1] == 0:
        return np.zeros(np.broadcast_shapes(held.shape[:-1], asked.shape[:-1]))
    if held.ndim == 3 and asked.ndim == 3:
        if held.shape[1] == 1 and asked.shape[0] == 1:  # seekers down, vacancies across
            result: NDArray[np.float64] = held[:, 0, :] @ asked[0].T
            return result
        if held.shape[0] == 1 and asked.shape[1] == 1:  # vacancies down, seekers across
            result = asked[:, 0, :] @ held[0].T
            return result
    result = np.einsum("...k,...k->...", held, asked)
    return result


# --------------------------------------------------------------------------- age


def _use_age(ctx: EvalContext) -> bool:
    value = ctx.setting("matching", "use_age", False)
    if not isinstance(value, bool):
        raise ConfigError(f"{ctx.system.config.origin}: [matching] use_age must be true or false, got {value!r}")
    return value


def _age_value(age: float, low: float | None, high: float | None, years: float) -> float:
    below = 0.0 if low is None else max(0.0, low - age)
    above = 0.0 if high is None else max(0.0, age - high)
    return max(0.0, 1.0 - (below + above) / years)


AGE_META = _meta(
    "age",
    "연령 선호 (상담용 표시)",
    "age preference (shown to the counsellor)",
    ["matching.weight.age", "matching.age.years_to_zero"],
    SourceRef("seeds/000_743a0a447e219bca.txt", "L22", "괴리: 연령"),
    Text(
        "고용주의 연령 선호는 표시만 하며, 센터 설정이 있을 때만 점수에 반영",
        "an employer's age preference is flagged; it counts only under explicit centre configuration",
    ),
)


@frozen
class AgeComponent:
    """Age against the employer's preference: a flag, never a silent penalty.

    By default the component is *advisory*: its value is shown, flagged for the
    counsellor, and not counted. Only a centre whose configuration says
    ``[matching] use_age = true`` counts it (with weight ``matching.weight.age``), and
    the explanation then says so.
    """

    meta: RuleMeta = AGE_META
    key: str = "age"

    def _years(self, ctx: EvalContext) -> float:
        pid = "matching.age.years_to_zero"
        years = _number(ctx.param(pid), pid, 0.0, 120.0)
        if years <= 0:
            raise ParameterError(f"parameter {pid}: must be above 0")
        return years

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair; advisory unless the centre configured ``use_age``."""
        use = _use_age(ctx)
        years = self._years(ctx)
        low, high = vacancy.min_age, vacancy.max_age
        age = seeker.age_on(ctx.as_of)
        inputs = {"age": age, "min_age": low, "max_age": high, "use_age": use}
        if low is None and high is None:
            return _missing(self, ctx, Text("고용주 연령 선호 없음", "no age preference stated"), inputs)
        span = f"{'' if low is None else low}–{'' if high is None else high}"
        flags = ["age_preference"]
        rule = Text(
            "연령 선호는 상담용 표시이며 점수에 반영하지 않음: 합리적 이유 없는 채용상 연령차별은 금지 "
            "(고용상 연령차별금지 및 고령자고용촉진에 관한 법률)",
            "shown for the counsellor, not counted: age discrimination in hiring without a justified reason is "
            "unlawful (Age Discrimination Prohibition and Aged Employment Promotion Act)",
        )
        if use:
            rule = Text(
                "센터 설정 [matching] use_age = true 에 따라 연령을 점수에 반영함 (감사 대상 설정)",
                "counted because the centre's configuration sets [matching] use_age = true (audited setting)",
            )
            flags.append("age_used")
        if age is None:
            return _missing(
                self,
                ctx,
                Text(f"선호 연령 {span}세, 구직자 연령 미기록", f"prefers ages {span}; age not recorded"),
                inputs,
                extra=[rule],
                flags=["age_preference"],
                advisory=not use,
            )
        value = _age_value(
            float(age), None if low is None else float(low), None if high is None else float(high), years
        )
        outside = (low is not None and age < low) or (high is not None and age > high)
        if outside:
            flags.append("age_outside_preference")
            off = low - age if low is not None and age < low else age - (high if high is not None else age)
            lead = Text(
                f"고용주 선호 연령 {span}세, 구직자 {age}세: {off}세 벗어남",
                f"the employer prefers ages {span}; the seeker is {age}, {off} years outside",
            )
        else:
            lead = Text(
                f"고용주 선호 연령 {span}세, 구직자 {age}세: 범위 안",
                f"the employer prefers ages {span}; the seeker is {age}, inside",
            )
        return ComponentScore(
            component=self.key,
            value=value,
            advisory=not use,
            flags=tuple(flags),
            explanation=ctx.explain(self.meta.rule_id, reasons=[lead, rule], inputs=inputs),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """Columns: ages on ``ctx.as_of`` and the preferred range (NaN when absent)."""
        use = _use_age(ctx)
        years = self._years(ctx)
        ages = [s.age_on(ctx.as_of) for s in seekers]
        s_cols = {"age": np.array([np.nan if a is None else float(a) for a in ages])}
        v_cols = {
            "min": np.array([np.nan if v.min_age is None else float(v.min_age) for v in vacancies]),
            "max": np.array([np.nan if v.max_age is None else float(v.max_age) for v in vacancies]),
        }

        def function(s: Columns, v: Columns) -> ArrayScores:
            age, low, high = s["age"], v["min"], v["max"]
            has_low, has_high = ~np.isnan(low), ~np.isnan(high)
            below = np.where(has_low, np.maximum(0.0, np.where(has_low, low, 0.0) - age), 0.0)
            above = np.where(has_high, np.maximum(0.0, age - np.where(has_high, high, 0.0)), 0.0)
            value = np.maximum(0.0, 1.0 - (below + above) / years)
            known = ~np.isnan(age) & (has_low | has_high)
            counted = known if use else np.False_
            return ArrayScores(values=np.where(known, value, 0.0), counted=counted, gate=np.False_)

        return _Kernel(s_cols, v_cols, function)


# --------------------------------------------------------------------------- the pack's list


def national_components() -> tuple[MatchComponent, ...]:
    """The national match components, in the order they are shown."""
    return (
        OccupationComponent(),
        WageComponent(),
        PlaceComponent(),
        HoursComponent(),
        SkillsComponent(),
        AgeComponent(),
    )
