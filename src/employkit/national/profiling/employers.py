"""The national employer typology: five types by wage, welfare and recognition, and their services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.national.profiling.common import NATIONAL_EMPLOYER_ID, PLAN_DOC, rule_meta, service
from employkit.national.profiling.seekers import answer
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    EmployerProfile,
    Segment,
    Service,
    missing_reason,
)

if TYPE_CHECKING:
    from employkit.model import Employer, Vacancy
    from employkit.rules import EvalContext


# ---------------------------------------------------------------- employers


@frozen
class PackageStep:
    """One step of the Enterprise Recruitment Support Package (기업채용지원패키지)."""

    code: str
    label: Text
    services: tuple[Service, ...]


#: 진단 → 고용여건 향상 → 채용지원 (L434-L461).
ENTERPRISE_RECRUITMENT_PACKAGE: tuple[PackageStep, ...] = (
    PackageStep(
        "diagnose",
        Text("진단", "diagnose"),
        (
            service("ersp.capacity_diagnosis", "기업 고용여력 분석·진단", "analysis of hiring capacity"),
            service("ersp.support_path", "맞춤형 지원 경로 설정", "set a tailored support path"),
        ),
    ),
    PackageStep(
        "improve",
        Text("고용여건 향상", "improve conditions"),
        (
            service("ersp.hr_consulting", "인사·노무 컨설팅 (일터혁신컨설팅 연계)", "HR and labour consulting"),
            service(
                "ersp.infrastructure",
                "인프라·환경 개선 (기숙사, 통근버스, 스마트공장, 클린사업장)",
                "infrastructure (dormitory, commuter bus, smart factory, clean workplace)",
            ),
            service("ersp.tailored_training", "맞춤인재 양성 (훈련, 일경험)", "tailored training and work experience"),
        ),
    ),
    PackageStep(
        "recruit",
        Text("채용지원", "recruit"),
        (
            service(
                "ersp.intensive_referral", "집중 알선 (고용장려금 연계)", "intensive referral with hiring subsidies"
            ),
            service("ersp.recruitment_on_behalf", "채용대행", "recruitment on the firm's behalf"),
            service("ersp.follow_up", "사후관리", "follow-up"),
        ),
    ),
)

_ALERTS = service(
    "auto_alerts", "자율매칭: 자동알림서비스 (알림톡, 푸쉬알림)", "automatic matching: alerts (messaging, push)"
)
_SEEKER_REFERRAL = service("seeker_referral", "구직자 알선", "referral of jobseekers")
_AI = service(
    "ai_recommendation",
    "자율매칭: AI 일자리 추천 (직무능력 중심)",
    "automatic matching: competency-based recommendation",
)
_DISCOVERY = service("seeker_discovery", "구직자 발굴", "seeker discovery")
_EXPECTATIONS = service("expectation_adjustment", "눈높이 조절", "expectation adjustment")
_ON_BEHALF = service("recruitment_on_behalf", "채용대행", "recruitment on the firm's behalf")
_EVENTS = service("hiring_events", "채용행사", "hiring events")
_NEGOTIATION = service("condition_negotiation", "근로조건 조정·협상", "negotiation of conditions")


@frozen
class _EmployerType:
    segment: Segment
    level: int
    stage2: tuple[Service, ...]


_TYPES: tuple[_EmployerType, ...] = (
    _EmployerType(
        Segment("online_notification", Text("온라인알림형", "online notification"), (_ALERTS,)),
        1,
        (_SEEKER_REFERRAL,),
    ),
    _EmployerType(
        Segment("talent_support", Text("인재지원형", "talent support"), (_AI,)),
        2,
        (_DISCOVERY, _EXPECTATIONS),
    ),
    _EmployerType(
        Segment("large_scale_hiring", Text("대규모채용형", "large-scale hiring"), (_ON_BEHALF, _EVENTS)),
        3,
        (),
    ),
    _EmployerType(
        Segment(
            "awareness_expansion", Text("인지도확산형", "awareness expansion"), (_SEEKER_REFERRAL, _ON_BEHALF, _EVENTS)
        ),
        4,
        (_EXPECTATIONS, _NEGOTIATION),
    ),
    _EmployerType(
        Segment(
            "condition_improvement",
            Text("고용여건개선형", "condition improvement"),
            tuple(s for step in ENTERPRISE_RECRUITMENT_PACKAGE for s in step.services),
        ),
        5,
        (),
    ),
)

#: Where the documents are silent (a small firm with mixed traits): a counsellor decides.
EMPLOYER_REVIEW = Segment(
    "counsellor_review",
    Text("상담사 검토 필요", "needs counsellor review"),
    (service("employer_diagnosis", "기업 심층 진단 후 유형 결정", "in-depth diagnosis, then a type"),),
)

#: The five employer types, weakest intervention first, then the review segment.
EMPLOYER_SEGMENTS: tuple[Segment, ...] = (*(t.segment for t in _TYPES), EMPLOYER_REVIEW)
_TYPE_BY_CODE = {t.segment.code: t for t in _TYPES}

_EMPLOYER_PARAMS = (
    "profiling.employer.national.type_profiles",
    "profiling.employer.national.uniform_occupations",
    "profiling.employer.national.uniform_industries",
    "profiling.employer.national.small_firm_employees",
    "profiling.employer.national.small_firm_mixed",
)


def _starts(code: str | None, prefixes: Iterable[str]) -> str | None:
    if code is None:
        return None
    for prefix in prefixes:
        if code.startswith(str(prefix)):
            return str(prefix)
    return None


NATIONAL_EMPLOYER_META = rule_meta(
    rule_id=NATIONAL_EMPLOYER_ID,
    title=Text("구인기업 유형분류 (5개 유형)", "employer typology (five types)"),
    source=SourceRef(PLAN_DOC, "L344-L461", "구인기업 프로파일링 '21.7월~ (L1179)"),
    effective_from=dt.date(2021, 7, 1),
    parameters=_EMPLOYER_PARAMS,
)


@frozen
class NationalEmployerTypology:
    """The five employer types (구인기업 유형분류, L344-L427).

    1. A vacancy in an occupation (or a firm in an industry) whose conditions are alike
       whatever the job — care, security, cleaning — is *online notification*.
    2. Otherwise wage, welfare and recognition levels are needed. A firm under the
       small-firm threshold with all three low is *condition improvement* (임금下·복지下·
       인지도下, L420-L424; the package's target, L429-L430). A small firm with only some
       of them low (low wage but high, recognised welfare, say) is a case the plan does
       not settle: it goes to *needs counsellor review* unless the centre switches on the
       assumption ``profiling.employer.national.small_firm_mixed = "condition_improvement"``.
    3. Otherwise the type whose (wage, welfare, recognition) profile is nearest, by the
       sum of absolute rank differences; ties go to the stronger intervention.
    """

    meta: RuleMeta = NATIONAL_EMPLOYER_META
    segments: tuple[Segment, ...] = EMPLOYER_SEGMENTS

    def classify(self, employer: Employer, vacancy: Vacancy | None, ctx: EvalContext) -> EmployerProfile:
        """Class one employer, or one of its vacancies, as of ``ctx.as_of``."""
        occupations = tuple(ctx.param("profiling.employer.national.uniform_occupations"))
        industries = tuple(ctx.param("profiling.employer.national.uniform_industries"))
        inputs: dict[str, Any] = {"industry": employer.industry}
        reasons: list[Text] = []
        uniform = None
        if vacancy is not None:
            inputs["occupation"] = vacancy.occupation
            hit = _starts(vacancy.occupation, occupations)
            if hit:
                uniform = Text(f"직종 {vacancy.occupation} (접두 {hit})", f"occupation {vacancy.occupation} ({hit}…)")
        if uniform is None:
            hit = _starts(employer.industry, industries)
            if hit:
                uniform = Text(f"업종 {employer.industry} (접두 {hit})", f"industry {employer.industry} ({hit}…)")
        if uniform is not None:
            reasons.append(
                Text(
                    f"일자리에 상관없이 근로조건이 동일·유사함: {uniform.ko} → 온라인알림형",
                    f"conditions alike whatever the job: {uniform.en} → online notification",
                )
            )
            return self._result(employer, vacancy, ctx, "online_notification", reasons, inputs)
        missing = [] if (vacancy is not None or employer.industry is not None) else ["industry"]
        levels = {f: getattr(employer, f) for f in ("wage_level", "welfare_level", "recognition")}
        missing += [f for f, v in levels.items() if v is None]
        inputs.update({f: answer(v) for f, v in levels.items()})
        if missing:
            return self._result(employer, vacancy, ctx, None, [missing_reason(missing)], inputs, tuple(missing))
        wage, welfare, recog = (levels[f].rank for f in ("wage_level", "welfare_level", "recognition"))
        small = int(ctx.param("profiling.employer.national.small_firm_employees"))
        inputs["employees"] = employer.employees
        if employer.employees < small and (wage == 0 or welfare == 0):
            if wage == welfare == recog == 0:
                reasons.append(
                    Text(
                        f"근로자 {employer.employees}명 (<{small}) 소규모, 임금·복지·인지도 모두 하 → 고용여건개선형",
                        f"{employer.employees} employees (<{small}), low wage, welfare and recognition "
                        "→ condition improvement",
                    )
                )
                return self._result(employer, vacancy, ctx, "condition_improvement", reasons, inputs)
            mixed = str(ctx.param("profiling.employer.national.small_firm_mixed"))
            if mixed not in ("review", "condition_improvement"):
                raise ParameterError(
                    f"profiling.employer.national.small_firm_mixed: expected 'review' or 'condition_improvement', "
                    f"not {mixed!r}"
                )
            inputs["small_firm_mixed"] = mixed
            head = Text(
                f"근로자 {employer.employees}명 (<{small}) 소규모, 임금 또는 복지는 하이나 다른 특성은 하가 아님",
                f"{employer.employees} employees (<{small}), low wage or welfare but not every trait low",
            )
            if mixed == "condition_improvement":
                reasons += [
                    head,
                    Text(
                        "센터 가정(small_firm_mixed = condition_improvement): 고용여건개선형",
                        "the centre's assumption (small_firm_mixed = condition_improvement): condition improvement",
                    ),
                ]
                return self._result(employer, vacancy, ctx, "condition_improvement", reasons, inputs)
            reasons += [
                head,
                Text(
                    "문서에 규정 없음 (L420-L424): 상담사 검토 필요",
                    "the plan does not settle this case (L420-L424): needs counsellor review",
                ),
            ]
            return self._result(employer, vacancy, ctx, EMPLOYER_REVIEW.code, reasons, inputs)
        profiles = ctx.param("profiling.employer.national.type_profiles")
        distances = {}
        for code, prof in profiles.items():
            if code not in _TYPE_BY_CODE:
                raise ParameterError(f"profiling.employer.national.type_profiles: unknown type {code!r}")
            w, f, r = (float(x) for x in prof)
            distances[code] = abs(wage - w) + abs(welfare - f) + abs(recog - r)
        best = min(distances, key=lambda c: (distances[c], -_TYPE_BY_CODE[c].level))
        inputs["distances"] = ", ".join(f"{c}={d:g}" for c, d in sorted(distances.items(), key=lambda x: x[1]))
        label = _TYPE_BY_CODE[best].segment.label
        reasons.append(
            Text(
                f"임금·복지·인지도 수준이 {label.ko} 유형에 가장 가까움 (거리 {distances[best]:g})",
                f"wage, welfare and recognition are nearest to {label.en} (distance {distances[best]:g})",
            )
        )
        return self._result(employer, vacancy, ctx, best, reasons, inputs)

    def _result(
        self,
        employer: Employer,
        vacancy: Vacancy | None,
        ctx: EvalContext,
        code: str | None,
        reasons: list[Text],
        inputs: dict[str, Any],
        missing: tuple[str, ...] = (),
    ) -> EmployerProfile:
        kind = _TYPE_BY_CODE.get(code) if code else None
        return EmployerProfile(
            employer_id=employer.employer_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=kind.segment if kind else (EMPLOYER_REVIEW if code == EMPLOYER_REVIEW.code else None),
            intervention_level=kind.level if kind else None,
            stage2=kind.stage2 if kind else (),
            vacancy_id=vacancy.vacancy_id if vacancy else None,
            missing=missing,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
        )
