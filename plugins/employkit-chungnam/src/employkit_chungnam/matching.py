"""The time-selective fit: does a vacancy suit a career-break woman who wants part-time work?"""

from __future__ import annotations

from typing import Any

import numpy as np

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.matching.base import ArrayScores, Columns, ComponentScore, Kernel, Pair
from employkit.model import EmploymentType, SeekerGroup
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

_TIME_SELECTIVE = list(EmploymentType).index(EmploymentType.TIME_SELECTIVE)


class TimeSelectiveFit:
    """1 for a time-selective vacancy, a lower score for another type; neutral when it does not apply.

    It applies only to a seeker in the career-break-woman group who wants part-time hours
    (at most ``chungnam.part_time.max_hours``), and only to vacancies in the province.
    Otherwise it is *missing*: left out of the total, never a penalty.
    """

    meta: RuleMeta = TIME_SELECTIVE_META
    key: str = "time_selective"
    seeker_fields: tuple[str, ...] = ("groups", "desired_hours")
    vacancy_fields: tuple[str, ...] = ("region_code", "employment_type")

    def kernel(self, seekers: Columns, vacancies: Columns, ctx: EvalContext) -> Kernel:
        """Columns: whether the seeker is a career-break woman wanting part-time, the vacancy's province and value."""
        prefix = str(ctx.param("chungnam.region_prefix"))
        limit = float(ctx.param("chungnam.part_time.max_hours"))
        other = float(ctx.param("chungnam.time_selective.other_type"))
        woman = [SeekerGroup.CAREER_BREAK_WOMAN in g for g in seekers["groups"].tolist()]
        hours = np.asarray(seekers["desired_hours"], dtype=np.float64)
        inside = [str(code).startswith(prefix) for code in vacancies["region_code"].tolist()]
        value = np.where(np.asarray(vacancies["employment_type"]) == _TIME_SELECTIVE, 1.0, other)

        def function(s: Columns, v: Columns) -> ArrayScores:
            counted = s["woman"] & s["part_time"] & v["inside"]
            details = {"inside": v["inside"], "woman": s["woman"]}
            return ArrayScores(values=np.where(counted, v["value"], 0.0), counted=counted, gate=False, details=details)

        seeker_cols = {"woman": np.array(woman, dtype=bool), "part_time": ~np.isnan(hours) & (hours <= limit)}
        return Kernel(seeker_cols, {"inside": np.array(inside, dtype=bool), "value": value}, function)

    def explain(self, pair: Pair, ctx: EvalContext) -> ComponentScore:
        """Why it applies or not, and the value when it does."""
        hours = pair.seeker["desired_hours"]
        etype: EmploymentType = pair.vacancy["employment_type"]
        inputs: dict[str, Any] = {
            "groups": sorted(g.code for g in pair.seeker["groups"]),
            "desired_hours": hours,
            "region_code": pair.vacancy["region_code"],
            "employment_type": etype.code,
        }
        ctx.param("chungnam.region_prefix")
        if not pair.detail("inside"):
            reason = Text("충남 밖의 구인: 해당 없음", "vacancy outside Chungnam: does not apply")
        elif not pair.detail("woman"):
            reason = Text("경력단절여성 아님: 해당 없음", "not a career-break woman: does not apply")
        elif not pair.counted:
            limit = float(ctx.param("chungnam.part_time.max_hours"))
            reason = Text(
                f"주 {limit:g}시간 이하 단시간 희망 아님: 해당 없음",
                f"does not want part-time (at most {limit:g} h/week): does not apply",
            )
        else:
            ctx.param("chungnam.part_time.max_hours")
            if etype is EmploymentType.TIME_SELECTIVE:
                reason = Text(
                    f"시간선택제 일자리: 주 {hours:g}시간 희망에 맞음",
                    f"time-selective job: suits the {hours:g} h/week wanted",
                )
            else:
                ctx.param("chungnam.time_selective.other_type")
                reason = Text(
                    f"{etype.label.ko}: 시간선택제가 아님 ({pair.value:g}점)",
                    f"{etype.label.en}: not time-selective ({pair.value:g})",
                )
            ctx.param("matching.weight.time_selective")
        return ComponentScore(
            component=self.key,
            value=pair.value,
            missing=not pair.counted,
            explanation=ctx.explain(self.meta.rule_id, reasons=[reason], inputs=inputs),
        )
