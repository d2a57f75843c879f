"""Wage: the offered monthly wage against the desired one, and the monthly minimum wage on the posting date."""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from employkit.errors import ParameterError, RuleNotFound
from employkit.explain import Explanation
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.national.matching.common import DOC_MISMATCH, FLAG_LABELS, above_zero, memo, meta, won
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext, RuleSystem

__all__ = ["WAGE_META", "WageComponent", "monthly_minimum_wage"]


WAGE_META = meta(
    "wage",
    "임금 적합도",
    "wage fit",
    [
        "matching.weight.wage",
        "matching.wage.zero_at_shortfall",
        "labour.minimum_wage.hourly",
        "labour.minimum_wage.monthly_hours",
    ],
    DOC_MISMATCH,
    Text("제시 임금과 희망 임금 (원/월)", "offered vs desired monthly wage (KRW)"),
)


@memo("matching.wage.zero_at_shortfall")
def _zero_at(ctx: EvalContext) -> float:
    return above_zero(ctx, "matching.wage.zero_at_shortfall", 1.0)


@frozen
class WageComponent:
    """Wage: 1 when the offer meets the wish, falling linearly to 0 at ``matching.wage.zero_at_shortfall``.

    An offer below the monthly minimum wage on the posting date is flagged
    (:func:`monthly_minimum_wage`); the flag never changes the value.
    """

    meta: RuleMeta = WAGE_META
    key: str = "wage"
    seeker_fields: tuple[str, ...] = ("desired_wage",)
    vacancy_fields: tuple[str, ...] = ("offered_wage",)
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: desired and offered wages as floats (NaN when missing)."""
        zero_at = _zero_at(ctx)

        def function(s: Columns, v: Columns) -> ArrayScores:
            d, o = np.broadcast_arrays(s["desired_wage"], v["offered_wage"])
            known = ~(np.isnan(d) | np.isnan(o))
            safe_d = np.where(known & (d > 0), d, 1.0)
            shortfall = (safe_d - np.where(known, o, 0.0)) / safe_d
            value = np.where(known & (o < d), np.maximum(0.0, 1.0 - shortfall / zero_at), 1.0)
            return ArrayScores(values=value, counted=known, gate=np.False_)

        desired = np.asarray(seekers["desired_wage"], dtype=np.float64)
        offered = np.asarray(vacancies["offered_wage"], dtype=np.float64)
        return Kernel({"desired_wage": desired}, {"offered_wage": offered}, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The two amounts and their difference; flags an offer below the monthly minimum wage."""
        zero_at = _zero_at(ctx)
        desired, offered = pair.seeker["desired_wage"], pair.vacancy["offered_wage"]
        posted_on: dt.date = pair.vacancy["posted_on"]
        inputs: dict[str, Any] = {"desired_wage": desired, "offered_wage": offered}
        flags: list[str] = []
        reasons: list[Text] = []
        floor: tuple[Explanation, ...] = ()
        if offered is not None:
            found = monthly_minimum_wage(ctx.system, posted_on, pair.vacancy["hours_per_week"], self.meta.rule_id)
            if found is not None:
                minimum, floor = found[0], (found[1],)
                inputs["minimum_wage_on"] = posted_on.isoformat()
                inputs["monthly_minimum_wage"] = minimum
                if offered < minimum:
                    flags.append("below_minimum_wage")
                    reasons.append(
                        Text(
                            f"제시 임금 {won(offered)}: 공고일({posted_on}) 최저임금 월 환산액 {won(minimum)}보다 "
                            f"{won(minimum - offered)} 낮음",
                            f"offers {won(offered)}, {won(minimum - offered)} below the monthly minimum wage on the "
                            f"posting date {posted_on} ({won(minimum)})",
                        )
                    )
        if desired is None or offered is None:
            what = (
                Text("희망 임금 미기록", "desired wage not recorded")
                if desired is None
                else Text("제시 임금 미기재", "offered wage not stated")
            )
            return pair.result(self, ctx, [what, *reasons], inputs, flags=flags, details=floor)
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
        return pair.result(self, ctx, [head, *reasons], {**inputs, "difference_krw": gap}, flags=flags, details=floor)


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
    key = (id(system), posted_on, hours_per_week, rule_id)
    hit = _FLOORS.get(key)
    if hit is not None and hit[0]() is system:
        return hit[1]
    found = _monthly_minimum_wage(system, posted_on, hours_per_week, rule_id)
    if len(_FLOORS) > 4096:
        _FLOORS.clear()
    _FLOORS[key] = (weakref.ref(system), found)
    return found


#: Monthly minimum wages found, by rule system, posting date, hours and rule (the explanation is immutable).
_FLOORS: dict[
    tuple[int, dt.date, float | None, str], tuple[weakref.ref[RuleSystem], tuple[int, Explanation] | None]
] = {}


def _monthly_minimum_wage(
    system: RuleSystem, posted_on: dt.date, hours_per_week: float | None, rule_id: str
) -> tuple[int, Explanation] | None:
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
