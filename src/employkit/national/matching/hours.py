"""Hours and employment type: weekly hours wanted vs offered, and the types wanted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.model import EmploymentType
from employkit.national.matching.common import FLAG_LABELS, above_zero, memo, meta, number, positive_parts, switch
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["HOURS_META", "HoursComponent"]


@frozen
class _HoursParams:
    zero_at: float
    mismatch: float
    w_hours: float
    w_type: float
    gate: bool


@memo(
    "matching.hours.zero_at_gap",
    "matching.hours.type_mismatch",
    "matching.hours.parts",
    "matching.gate.employment_type",
)
def _hours_params(ctx: EvalContext) -> _HoursParams:
    zero_at = above_zero(ctx, "matching.hours.zero_at_gap", 168.0)
    mismatch = number(ctx.param("matching.hours.type_mismatch"), "matching.hours.type_mismatch", 0.0, 1.0)
    parts = positive_parts(ctx, "matching.hours.parts", ("hours", "type"))
    gate = switch(ctx, "matching.gate.employment_type")
    return _HoursParams(zero_at, mismatch, parts["hours"], parts["type"], gate)


HOURS_META = meta(
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
    """Hours and employment type: the weighted mean of the parts that have data.

    The hours part falls linearly from 1 (the hours wanted) to 0 at
    ``matching.hours.zero_at_gap`` hours apart; the type part is 1 when the vacancy's
    type is among those wanted, else ``matching.hours.type_mismatch``. A seeker who lists
    the employment types wanted and does not list the vacancy's fails the gate
    ``matching.gate.employment_type`` (when switched on).
    """

    meta: RuleMeta = HOURS_META
    key: str = "hours"
    seeker_fields: tuple[str, ...] = ("desired_hours", "employment_types")
    vacancy_fields: tuple[str, ...] = ("hours_per_week", "employment_type")
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: hours (NaN when missing), the wanted types as a bit mask, the vacancy type's bit."""
        p = _hours_params(ctx)
        s_cols = {
            "hours": np.asarray(seekers["desired_hours"], dtype=np.float64),
            "types": np.asarray(seekers["employment_types"], dtype=np.int64),
        }
        v_cols = {
            "hours": np.asarray(vacancies["hours_per_week"], dtype=np.float64),
            "type": np.left_shift(1, np.asarray(vacancies["employment_type"], dtype=np.int64)),
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

        return Kernel(s_cols, v_cols, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The hours apart and whether the type is among those wanted."""
        p = _hours_params(ctx)
        wanted_hours, offered = pair.seeker["desired_hours"], pair.vacancy["hours_per_week"]
        types: frozenset[EmploymentType] = pair.seeker["employment_types"]
        etype: EmploymentType = pair.vacancy["employment_type"]
        inputs: dict[str, Any] = {
            "desired_hours": wanted_hours,
            "hours_per_week": offered,
            "employment_types": types,
            "employment_type": etype.code,
        }
        reasons: list[Text] = []
        if wanted_hours is not None and offered is not None:
            gap = offered - wanted_hours
            if gap == 0:
                reasons.append(
                    Text(f"주 {offered:g}시간 근무: 희망 시간과 같음", f"{offered:g} h/week, as many hours as wanted")
                )
            else:
                more = Text("많음", "more") if gap > 0 else Text("적음", "fewer")
                reasons.append(
                    Text(
                        f"주 {offered:g}시간 근무, 희망(주 {wanted_hours:g}시간)보다 {abs(gap):g}시간 {more.ko} "
                        f"({p.zero_at:g}시간 차이에서 0점)",
                        f"{offered:g} h/week, {abs(gap):g} h {more.en} than wanted ({wanted_hours:g} h); "
                        f"0 at {p.zero_at:g} h apart",
                    )
                )
        else:
            reasons.append(Text("근로시간 자료 없음(부분 제외)", "hours not known on one side (part left out)"))
        if types:
            wanted_ko = ", ".join(sorted(t.label.ko for t in types))
            wanted_en = ", ".join(sorted(t.label.en for t in types))
            if etype in types:
                reasons.append(
                    Text(
                        f"고용형태 {etype.label.ko}: 희망 형태({wanted_ko})에 포함",
                        f"employment type {etype.label.en}: among those wanted ({wanted_en})",
                    )
                )
            else:
                reasons.append(
                    Text(
                        f"고용형태 {etype.label.ko}: 희망 형태({wanted_ko})가 아님"
                        + (" — 관문 불통과(추천 제외)" if pair.gate else ""),
                        f"employment type {etype.label.en}: not among those wanted ({wanted_en})"
                        + (" — gate failed (not recommended)" if pair.gate else ""),
                    )
                )
        else:
            reasons.append(
                Text("희망 고용형태 미기록(부분 제외)", "employment types wanted not recorded (part left out)")
            )
        if not pair.counted:
            lead = Text("근로시간·고용형태 자료 없음", "no hours or type wishes recorded")
            return pair.result(self, ctx, [lead], inputs)
        return pair.result(self, ctx, reasons, inputs)
