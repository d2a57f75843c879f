"""Job-discovery targets: potential client firms (잠재고객기업) and priority support firms (중점지원기업)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.explain import Explanation, SourceRef
from employkit.labels import Text
from employkit.national.profiling.common import PLAN_DOC, TARGETS_ID, rule_meta, service
from employkit.national.profiling.employers import NationalEmployerTypology, _starts
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    EmployerProfile,
    Segment,
    missing_reason,
)

if TYPE_CHECKING:
    from employkit.model import Employer, Vacancy
    from employkit.rules import EvalContext


# ---------------------------------------------------------------- target selection

POTENTIAL_CLIENT = Segment(
    "potential_client",
    Text("잠재고객기업", "potential client firm"),
    (
        service("demand_discovery", "일자리 수요 발굴 (유선·방문)", "job discovery by phone or visit"),
        service("job_board_registration", "구인신청 시 워크넷 등록·공개", "job-board registration of the vacancy"),
    ),
)
PRIORITY_SUPPORT = Segment(
    "priority_support",
    Text("중점지원기업", "priority support firm"),
    (service("intensive_recruitment", "집중 채용지원서비스", "intensive recruitment support"),),
)
NOT_TARGETED = Segment("not_targeted", Text("발굴 대상 아님", "not a target"))

#: The target selection segments.
TARGET_SEGMENTS: tuple[Segment, ...] = (POTENTIAL_CLIENT, PRIORITY_SUPPORT, NOT_TARGETED)

_TRUE = {"1", "true", "y", "yes", "예", "o"}


def _flag(employer: Employer, key: str) -> bool:
    return str(employer.extra.get(key, "")).strip().casefold() in _TRUE


TARGETS_META = rule_meta(
    rule_id=TARGETS_ID,
    title=Text("일자리 발굴 대상 기업 선정", "job discovery target firms"),
    source=SourceRef(PLAN_DOC, "L296-L317", "구인기업 발굴 분석·관리체계 '21.7월~ (L1173)"),
    effective_from=dt.date(2021, 7, 1),
    parameters=(
        "profiling.employer.national.unfilled_rate_average",
        "profiling.employer.national.unfilled_industries",
        "profiling.employer.national.unfilled_occupations",
    ),
)


@frozen
class TargetSelection:
    """Job discovery targets (일자리 발굴, L296-L317).

    *Potential client firms*: not using the job board, in an industry (or with a vacancy
    in an occupation) whose unfilled rate is above the average. *Priority support
    firms*: job-board users that are strong or innovative SMEs — marked by the
    ``strong_sme`` / ``innovative_sme`` columns, or of the awareness-expansion type —
    and potential client firms the centre judges to need intensive recruitment support
    (the ``intensive_support_needed`` column, L316-L317).
    """

    meta: RuleMeta = TARGETS_META
    segments: tuple[Segment, ...] = TARGET_SEGMENTS

    def classify(self, employer: Employer, vacancy: Vacancy | None, ctx: EvalContext) -> EmployerProfile:
        """Select (or not) one employer as of ``ctx.as_of``."""
        inputs: dict[str, Any] = {"uses_job_board": employer.uses_job_board, "industry": employer.industry}
        if employer.uses_job_board is None:
            missing = ("uses_job_board",)
            return self._result(employer, vacancy, ctx, None, [missing_reason(missing)], inputs, missing=missing)
        if not employer.uses_job_board:
            average = float(ctx.param("profiling.employer.national.unfilled_rate_average"))
            hard = None
            for sector in ctx.param("profiling.employer.national.unfilled_industries"):
                if float(sector["rate"]) > average and _starts(employer.industry, sector["ksic"]):
                    hard = Text(f"업종 {sector['ko']} 미충원율 {sector['rate']}%", f"{sector['en']} {sector['rate']}%")
                    break
            if hard is None and vacancy is not None:
                inputs["occupation"] = vacancy.occupation
                for sector in ctx.param("profiling.employer.national.unfilled_occupations"):
                    if float(sector["rate"]) > average and _starts(vacancy.occupation, sector["keco"]):
                        hard = Text(
                            f"직종 {sector['ko']} 미충원율 {sector['rate']}%", f"{sector['en']} {sector['rate']}%"
                        )
                        break
            if hard is None and employer.industry is None and vacancy is None:
                missing = ("industry",)
                return self._result(employer, vacancy, ctx, None, [missing_reason(missing)], inputs, missing=missing)
            if hard is not None:
                reason = Text(
                    f"워크넷 미이용, 미충원율이 평균({average}%)보다 높음: {hard.ko}",
                    f"does not use the job board; unfilled rate above the {average}% average: {hard.en}",
                )
                if _flag(employer, "intensive_support_needed"):
                    inputs["intensive_support_needed"] = True
                    promoted = Text(
                        "센터가 발굴한 잠재고객기업, 집중 채용지원 필요 판단 → 중점지원기업 (L316-L317)",
                        "a potential client firm the centre found, judged to need intensive recruitment "
                        "support → priority support (L316-L317)",
                    )
                    return self._result(employer, vacancy, ctx, PRIORITY_SUPPORT, [reason, promoted], inputs)
                return self._result(employer, vacancy, ctx, POTENTIAL_CLIENT, [reason], inputs)
            reason = Text(
                "워크넷 미이용이나 미충원율이 높은 업·직종이 아님", "not on the job board, not a hard-to-fill sector"
            )
            return self._result(employer, vacancy, ctx, NOT_TARGETED, [reason], inputs)
        flags = [k for k in ("strong_sme", "innovative_sme") if _flag(employer, k)]
        if flags:
            inputs.update({k: True for k in flags})
            reason = Text(
                f"워크넷 이용 강소·혁신형 중소기업 ({', '.join(flags)})", f"job-board user, {', '.join(flags)}"
            )
            return self._result(employer, vacancy, ctx, PRIORITY_SUPPORT, [reason], inputs)
        sub = NationalEmployerTypology().classify(employer, vacancy, ctx.fork())
        inputs["employer_type"] = sub.segment.code if sub.segment else None
        if sub.segment is None:
            reasons = [missing_reason(sub.missing)]
            return self._result(employer, vacancy, ctx, None, reasons, inputs, (sub.explanation,), sub.missing)
        if sub.segment.code == "awareness_expansion":
            reason = Text("워크넷 이용, 인지도확산형(강소기업 유형)", "job-board user of the awareness-expansion type")
            return self._result(employer, vacancy, ctx, PRIORITY_SUPPORT, [reason], inputs, (sub.explanation,))
        reason = Text(
            "워크넷 이용 기업이나 중점지원 요건에 해당하지 않음", "job-board user, not a priority-support firm"
        )
        return self._result(employer, vacancy, ctx, NOT_TARGETED, [reason], inputs, (sub.explanation,))

    def _result(
        self,
        employer: Employer,
        vacancy: Vacancy | None,
        ctx: EvalContext,
        segment: Segment | None,
        reasons: list[Text],
        inputs: dict[str, Any],
        details: tuple[Explanation, ...] = (),
        missing: tuple[str, ...] = (),
    ) -> EmployerProfile:
        return EmployerProfile(
            employer_id=employer.employer_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=segment,
            vacancy_id=vacancy.vacancy_id if vacancy else None,
            missing=missing,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs, details=details),
        )
