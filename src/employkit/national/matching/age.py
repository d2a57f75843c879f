"""Age against the employer's preference: a flag for the counsellor, counted only by a centre's explicit choice."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np
from attrs import frozen

from employkit.errors import ConfigError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.national.matching.common import FLAG_LABELS, above_zero, memo, meta
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.rules import EvalContext

__all__ = ["AGE_META", "AgeComponent"]


def _use_age(ctx: EvalContext) -> bool:
    value = ctx.setting("matching", "use_age", False)
    if not isinstance(value, bool):
        raise ConfigError(f"{ctx.system.config.origin}: [matching] use_age must be true or false, got {value!r}")
    return value


@memo("matching.age.years_to_zero")
def _years(ctx: EvalContext) -> float:
    return above_zero(ctx, "matching.age.years_to_zero", 120.0)


AGE_META = meta(
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

_NOT_COUNTED = Text(
    "연령 선호는 상담용 표시이며 점수에 반영하지 않음: 합리적 이유 없는 채용상 연령차별은 금지 "
    "(고용상 연령차별금지 및 고령자고용촉진에 관한 법률)",
    "shown for the counsellor, not counted: age discrimination in hiring without a justified reason is "
    "unlawful (Age Discrimination Prohibition and Aged Employment Promotion Act)",
)
_COUNTED = Text(
    "센터 설정 [matching] use_age = true 에 따라 연령을 점수에 반영함 (감사 대상 설정)",
    "counted because the centre's configuration sets [matching] use_age = true (audited setting)",
)


@frozen
class AgeComponent:
    """Age against the employer's preference: a flag, never a silent penalty.

    The value falls linearly from 1 inside the preferred range to 0 at
    ``matching.age.years_to_zero`` years outside it. By default the component is
    *advisory*: its value is shown, flagged for the counsellor, and not counted. Only a
    centre whose configuration says ``[matching] use_age = true`` counts it (with weight
    ``matching.weight.age``), and the explanation then says so.
    """

    meta: RuleMeta = AGE_META
    key: str = "age"
    seeker_fields: tuple[str, ...] = ("age",)
    vacancy_fields: tuple[str, ...] = ("min_age", "max_age")
    flag_labels: Mapping[str, Text] = FLAG_LABELS

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: ages on ``ctx.as_of`` and the preferred range (NaN when absent)."""
        use = _use_age(ctx)
        years = _years(ctx)

        def function(s: Columns, v: Columns) -> ArrayScores:
            age, low, high = s["age"], v["min"], v["max"]
            has_low, has_high = ~np.isnan(low), ~np.isnan(high)
            below = np.where(has_low, np.maximum(0.0, np.where(has_low, low, 0.0) - age), 0.0)
            above = np.where(has_high, np.maximum(0.0, age - np.where(has_high, high, 0.0)), 0.0)
            value = np.maximum(0.0, 1.0 - (below + above) / years)
            known = ~np.isnan(age) & (has_low | has_high)
            counted = known if use else np.False_
            return ArrayScores(values=np.where(known, value, 0.0), counted=counted, gate=np.False_)

        return Kernel(
            {"age": np.asarray(seekers["age"], dtype=np.float64)},
            {
                "min": np.asarray(vacancies["min_age"], dtype=np.float64),
                "max": np.asarray(vacancies["max_age"], dtype=np.float64),
            },
            function,
        )

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """The preferred range and the seeker's age; advisory unless the centre configured ``use_age``."""
        use = _use_age(ctx)
        _years(ctx)
        low, high, age = pair.vacancy["min_age"], pair.vacancy["max_age"], pair.seeker["age"]
        inputs = {"age": age, "min_age": low, "max_age": high, "use_age": use}
        if low is None and high is None:
            return pair.result(self, ctx, [Text("고용주 연령 선호 없음", "no age preference stated")], inputs)
        span = f"{'' if low is None else low}–{'' if high is None else high}"
        flags = ["age_preference"]
        rule = _NOT_COUNTED
        if use:
            rule = _COUNTED
            flags.append("age_used")
        if age is None:
            lead = Text(f"선호 연령 {span}세, 구직자 연령 미기록", f"prefers ages {span}; age not recorded")
            return pair.result(
                self, ctx, [lead, rule], inputs, missing=True, advisory=not use, flags=["age_preference"]
            )
        if (low is not None and age < low) or (high is not None and age > high):
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
        return pair.result(self, ctx, [lead, rule], inputs, missing=False, advisory=not use, flags=flags)
