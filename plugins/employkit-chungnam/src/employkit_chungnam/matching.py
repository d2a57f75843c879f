"""The time-selective fit: does a vacancy suit a career-break woman who wants part-time work?"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from attrs import frozen

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore
from employkit.model import EmploymentType, Seeker, SeekerGroup, Vacancy
from employkit.packs import RuleMeta
from employkit.rules import EvalContext

__all__ = ["TIME_SELECTIVE_META", "TimeSelectiveFit"]

TIME_SELECTIVE_META = RuleMeta(
    rule_id="chungnam.matching.time_selective",
    title=Text("시간선택제 적합도 (경력단절여성)", "time-selective fit (career-break women)"),
    source=SourceRef.parse("seeds/002_62de1f3d4f953fee.txt#L111-L140"),
    parameters=(
        "chungnam.region_prefix",
        "chungnam.part_time.max_hours",
        "chungnam.time_selective.other_type",
        "matching.weight.time_selective",
    ),
    description=Text(
        "충남 소재 구인에서, 단시간을 희망하는 경력단절여성에게 시간선택제 일자리를 우선",
        "For vacancies in Chungnam, ranks time-selective jobs first for career-break women who want part-time work.",
    ),
)


class TimeSelectiveFit:
    """1 for a time-selective vacancy, a lower score for another type; neutral when it does not apply.

    It applies only to a seeker in the career-break-woman group who wants part-time hours
    (at most ``chungnam.part_time.max_hours``), and only to vacancies in the province.
    Otherwise it is *missing*: left out of the total, never a penalty.
    """

    meta: RuleMeta = TIME_SELECTIVE_META
    key: str = "time_selective"

    def score(self, seeker: Seeker, vacancy: Vacancy, ctx: EvalContext) -> ComponentScore:
        """Score one pair as of ``ctx.as_of``."""
        prefix = str(ctx.param("chungnam.region_prefix"))
        inputs: dict[str, Any] = {
            "groups": sorted(g.code for g in seeker.groups),
            "desired_hours": seeker.desired_hours,
            "region_code": vacancy.region_code,
            "employment_type": vacancy.employment_type.code,
        }
        if not vacancy.region_code.startswith(prefix):
            return self._neutral(
                ctx, Text("충남 밖의 구인: 해당 없음", "vacancy outside Chungnam: does not apply"), inputs
            )
        if SeekerGroup.CAREER_BREAK_WOMAN not in seeker.groups:
            return self._neutral(
                ctx, Text("경력단절여성 아님: 해당 없음", "not a career-break woman: does not apply"), inputs
            )
        limit = float(ctx.param("chungnam.part_time.max_hours"))
        if seeker.desired_hours is None or seeker.desired_hours > limit:
            return self._neutral(
                ctx,
                Text(
                    f"주 {limit:g}시간 이하 단시간 희망 아님: 해당 없음",
                    f"does not want part-time (at most {limit:g} h/week): does not apply",
                ),
                inputs,
            )
        if vacancy.employment_type is EmploymentType.TIME_SELECTIVE:
            value = 1.0
            reason = Text(
                f"시간선택제 일자리: 주 {seeker.desired_hours:g}시간 희망에 맞음",
                f"time-selective job: suits the {seeker.desired_hours:g} h/week wanted",
            )
        else:
            value = float(ctx.param("chungnam.time_selective.other_type"))
            reason = Text(
                f"{vacancy.employment_type.label.ko}: 시간선택제가 아님 ({value:g}점)",
                f"{vacancy.employment_type.label.en}: not time-selective ({value:g})",
            )
        ctx.param("matching.weight.time_selective")
        return ComponentScore(
            component=self.key,
            value=value,
            explanation=ctx.explain(self.meta.rule_id, reasons=[reason], inputs=inputs),
        )

    def prepare(self, seekers: Sequence[Seeker], vacancies: Sequence[Vacancy], ctx: EvalContext) -> _Kernel:
        """The same rule for many pairs at once (numpy), for the batch path."""
        prefix = str(ctx.param("chungnam.region_prefix"))
        limit = float(ctx.param("chungnam.part_time.max_hours"))
        other = float(ctx.param("chungnam.time_selective.other_type"))
        wants = np.array(
            [
                SeekerGroup.CAREER_BREAK_WOMAN in s.groups and s.desired_hours is not None and s.desired_hours <= limit
                for s in seekers
            ],
            dtype=bool,
        )
        inside = np.array([v.region_code.startswith(prefix) for v in vacancies], dtype=bool)
        value = np.array(
            [1.0 if v.employment_type is EmploymentType.TIME_SELECTIVE else other for v in vacancies], dtype=float
        )
        return _Kernel({"wants": wants}, {"inside": inside, "value": value})

    def _neutral(self, ctx: EvalContext, reason: Text, inputs: dict[str, Any]) -> ComponentScore:
        return ComponentScore(
            component=self.key,
            value=0.0,
            missing=True,
            explanation=ctx.explain(self.meta.rule_id, reasons=[reason], inputs=inputs),
        )


@frozen
class _Kernel:
    """Columns of :class:`TimeSelectiveFit` for the batch path."""

    seeker_columns: Columns
    vacancy_columns: Columns

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """Counted where the seeker wants part-time and the vacancy is in the province."""
        counted = seeker["wants"] & vacancy["inside"]
        values = np.where(counted, vacancy["value"], 0.0)
        return ArrayScores(values=values, counted=counted, gate=np.zeros_like(counted))
