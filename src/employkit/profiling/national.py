"""The national typologies of the 2021 plan (공공 고용서비스 강화 방안).

Four rules, registered by the built-in national pack:

``profiling.seeker.national`` — a decision table, ``national/seeker_typology.toml``
    The intake checklist (유형분류 체크리스트) sorts a jobseeker into *ready* (준비된
    구직자: job field decided and employability high), mobile or not, or *needs
    preparation* (준비가 필요한 구직자): low motivation, low ability, or both low with
    economic hardship; where the plan is silent, *needs counsellor review* (상담사 판단
    필요) unless the centre switches on a dated assumption. In force (provisionally)
    from 2022-01-01. Run by :class:`~employkit.profiling.tables.TableTypology`.
``profiling.seeker.national.special_type`` — :class:`SpecialTypeTypology`
    The special-type worker desk (특고 취업전담반): to wage work, stay special-type, or
    to self-employment. From 2022-01-01.
``profiling.employer.national`` — :class:`NationalEmployerTypology`
    The five employer types by wage, welfare and recognition, with intervention level,
    stage-1 and stage-2 services and the Enterprise Recruitment Support Package. From
    2021-07-01.
``profiling.employer.national.targets`` — :class:`TargetSelection`
    Job discovery targets: potential client firms (잠재고객기업) and priority support
    firms (중점지원기업). From 2021-07-01.

Every decision names the checklist answers that decided it; no rule reads a protected
attribute (gender, age, nationality, disability).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import ParameterError
from employkit.explain import Explanation, SourceRef
from employkit.labels import Text
from employkit.model import EmploymentType, Level
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    NOT_PROTECTED,
    EmployerProfile,
    EmployerTypology,
    SeekerProfile,
    SeekerTypology,
    Segment,
    Service,
    missing_reason,
)

if TYPE_CHECKING:
    from employkit.model import Employer, Seeker, Vacancy
    from employkit.profiling.tables import TableTypology
    from employkit.rules import EvalContext

__all__ = [
    "EMPLOYER_REVIEW",
    "EMPLOYER_SEGMENTS",
    "ENTERPRISE_RECRUITMENT_PACKAGE",
    "NATIONAL_EMPLOYER_ID",
    "NATIONAL_SEEKER_ID",
    "NOT_PROTECTED",
    "SEEKER_SEGMENTS",  # noqa: F822 (read from the decision table on first use)
    "SPECIAL_TYPE_ID",
    "SPECIAL_TYPE_SEGMENTS",
    "TARGETS_ID",
    "TARGET_SEGMENTS",
    "NationalEmployerTypology",
    "PackageStep",
    "SpecialTypeTypology",
    "TargetSelection",
    "employer_typologies",
    "level_param",
    "missing_reason",
    "seeker_table",
    "seeker_typologies",
]

_DOC = "seeds/001_9743a8cda015755e.txt"

NATIONAL_SEEKER_ID = "profiling.seeker.national"
SPECIAL_TYPE_ID = "profiling.seeker.national.special_type"
NATIONAL_EMPLOYER_ID = "profiling.employer.national"
TARGETS_ID = "profiling.employer.national.targets"


def _meta(**fields: Any) -> RuleMeta:
    """RuleMeta from keyword fields (``parameters`` given as a tuple of ids)."""
    return RuleMeta(**fields)


def _s(code: str, ko: str, en: str) -> Service:
    return Service(code, Text(ko, en))


# ---------------------------------------------------------------- jobseekers
# The checklist typology is a decision table: national/seeker_typology.toml.


def seeker_table() -> TableTypology:
    """The national checklist typology, read from ``national/seeker_typology.toml`` and checked."""
    from employkit.profiling.tables import load_decision_tables

    found = [t for t in load_decision_tables("employkit.national") if t.meta.rule_id == NATIONAL_SEEKER_ID]
    if len(found) != 1:
        raise ParameterError(f"employkit.national: expected one table {NATIONAL_SEEKER_ID}, found {len(found)}")
    return found[0]


def __getattr__(name: str) -> Any:
    if name == "SEEKER_SEGMENTS":  # read from the table on first use
        return seeker_table().segments
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def level_param(ctx: EvalContext, pid: str) -> Level:
    """A parameter whose value is a level code (``"low"``, ``"mid"``, ``"high"``)."""
    raw = ctx.param(pid)
    try:
        return Level.parse(str(raw))
    except ValueError as exc:
        raise ParameterError(f"parameter {pid}: {exc}") from None


def answer(value: Any) -> Any:
    """An intake answer as explanations show it (a level's code, a bool, or ``None``)."""
    return value.code if isinstance(value, Level) else value


# ---------------------------------------------------------------- special-type workers

_ST_SEGMENTS = (
    Segment(
        "st_to_wage",
        Text("특고 → 임금근로자", "special-type worker → wage work"),
        (
            _s("career_guidance", "심층상담(진로지도)", "in-depth counselling (career guidance)"),
            _s("work_experience", "일경험(경력형성)", "work experience (career building)"),
            _s("training", "직업훈련", "vocational training"),
            _s("intensive_referral", "집중알선(동행면접 등)", "intensive referral (accompanied interviews)"),
            _s(
                "partner_link",
                "새일·중장년센터, 지자체 연계",
                "link to women's and middle-aged centres, local government",
            ),
        ),
    ),
    Segment(
        "st_stay",
        Text("특고 → 특고 (유지)", "special-type worker → stay special-type"),
        (
            _s("career_pay_counselling", "특고 경력·보수관리 상담", "career and pay management counselling"),
            _s("special_programme", "특화프로그램 제공", "specialised programme"),
            _s("sector_training", "직종별 훈련 연계", "sector training"),
            _s("association_referral", "이직희망 시 특고단체 연계·추천", "referral to worker associations for a move"),
        ),
    ),
    Segment(
        "st_to_self_employment",
        Text("특고 → 자영업자", "special-type worker → self-employment"),
        (
            _s("startup_counselling", "창업수요 상담·진단", "start-up counselling and diagnosis"),
            _s("startup_education", "창업희망분야 교육 연계", "education in the chosen business field"),
            _s("startup_package", "창업지원패키지 연계 (창업진흥원)", "start-up support package"),
        ),
    ),
)

#: The special-type worker pathways (L722-L743).
SPECIAL_TYPE_SEGMENTS: tuple[Segment, ...] = _ST_SEGMENTS

_GOALS = {
    "wage": "st_to_wage",
    "임금근로": "st_to_wage",
    "임금근로자": "st_to_wage",
    "special_type": "st_stay",
    "stay": "st_stay",
    "특고": "st_stay",
    "특고유지": "st_stay",
    "self_employment": "st_to_self_employment",
    "자영업": "st_to_self_employment",
    "자영업자": "st_to_self_employment",
    "창업": "st_to_self_employment",
}


#: How a special-type worker comes to the desk (L716), by the ``special_type_route`` column.
_ROUTES = {
    "unemployment_benefit": "unemployment_benefit",
    "실업급여": "unemployment_benefit",
    "실업급여 수급자": "unemployment_benefit",
    "knjs": "knjs",
    "국취": "knjs",
    "국민취업지원제도": "knjs",
    "국취 참여자": "knjs",
    "walk_in": "walk_in",
    "내방": "walk_in",
    "내방 민원인": "walk_in",
}


def _goal_from_wishes(types: frozenset[EmploymentType]) -> str | None:
    wage = {t for t in types if t is not EmploymentType.SPECIAL_TYPE}
    if EmploymentType.SPECIAL_TYPE in types and not wage:
        return "st_stay"
    if wage and EmploymentType.SPECIAL_TYPE not in types:
        return "st_to_wage"
    return None


SPECIAL_TYPE_META = _meta(
    rule_id=SPECIAL_TYPE_ID,
    title=Text("특고 취업전담반 유형분류", "special-type worker pathways"),
    source=SourceRef(_DOC, "L702-L743", "특고 취업전담반 운영 '22.~"),
    effective_from=dt.date(2022, 1, 1),
    parameters=("profiling.seeker.national.special_type.groups", "profiling.seeker.national.special_type.routes"),
)


@frozen
class SpecialTypeTypology:
    """The special-type worker desk (특고 취업전담반): three pathways after diagnosis.

    The diagnosis is the seeker's goal, read from the ``special_type_goal`` column
    (``wage``, ``special_type`` or ``self_employment``; Korean 임금근로 / 특고 / 자영업
    accepted). Without it, wished employment types decide when they are clear: only
    special-type work → stay; only wage employment → to wage work. Otherwise the
    seeker is not profiled and ``special_type_goal`` is named missing. Seekers outside
    the served groups are *not applicable*.
    """

    meta: RuleMeta = SPECIAL_TYPE_META
    segments: tuple[Segment, ...] = SPECIAL_TYPE_SEGMENTS

    def classify(self, seeker: Seeker, ctx: EvalContext) -> SeekerProfile:
        """Class one seeker as of ``ctx.as_of``."""
        served = {str(g) for g in ctx.param("profiling.seeker.national.special_type.groups")}
        groups = sorted(g.code for g in seeker.groups if g.code in served)
        by_code = {s.code: s for s in self.segments}
        inputs: dict[str, Any] = {"groups": ";".join(sorted(g.code for g in seeker.groups))}
        if not groups:
            return SeekerProfile(
                seeker_id=seeker.seeker_id,
                typology_id=self.meta.rule_id,
                as_of=ctx.as_of,
                segment=None,
                explanation=ctx.explain(
                    self.meta.rule_id,
                    reasons=[
                        Text(
                            "특고 취업전담반 대상 집단이 아님 (해당 없음)",
                            "not in a group the desk serves: not applicable",
                        ),
                        NOT_PROTECTED,
                    ],
                    inputs=inputs,
                ),
            )
        not_served = self._route(seeker, ctx, inputs)
        if not_served is not None:
            return SeekerProfile(
                seeker_id=seeker.seeker_id,
                typology_id=self.meta.rule_id,
                as_of=ctx.as_of,
                segment=None,
                explanation=ctx.explain(self.meta.rule_id, reasons=[not_served, NOT_PROTECTED], inputs=inputs),
            )
        raw = seeker.extra.get("special_type_goal")
        goal = _GOALS.get(str(raw).strip().casefold()) if raw not in (None, "") else None
        if goal is not None:
            inputs["special_type_goal"] = str(raw)
            reason = Text(f"진단된 희망 경로: {raw}", f"diagnosed goal: {raw}")
        else:
            goal = _goal_from_wishes(seeker.employment_types)
            inputs["employment_types"] = ";".join(sorted(t.code for t in seeker.employment_types))
            reason = Text("희망 고용형태로 경로 결정", "pathway from the wished employment types")
        if goal is None:
            missing = ("special_type_goal",)
            return SeekerProfile(
                seeker_id=seeker.seeker_id,
                typology_id=self.meta.rule_id,
                as_of=ctx.as_of,
                segment=None,
                missing=missing,
                explanation=ctx.explain(
                    self.meta.rule_id, reasons=[missing_reason(missing), NOT_PROTECTED], inputs=inputs
                ),
            )
        return SeekerProfile(
            seeker_id=seeker.seeker_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=by_code[goal],
            explanation=ctx.explain(self.meta.rule_id, reasons=[reason, NOT_PROTECTED], inputs=inputs),
        )

    @staticmethod
    def _route(seeker: Seeker, ctx: EvalContext, inputs: dict[str, Any]) -> Text | None:
        """Why the desk does not serve this special-type worker, or ``None`` if it does (L710, L716)."""
        served = {str(r) for r in ctx.param("profiling.seeker.national.special_type.routes")}
        raw = seeker.extra.get("special_type_route")
        if raw in (None, ""):
            inputs["special_type_route"] = "walk_in (not recorded)"
            return None if "walk_in" in served else Text("경로 미기록", "route not recorded")
        route = _ROUTES.get(str(raw).strip().casefold(), str(raw).strip())
        inputs["special_type_route"] = route
        if route in served:
            return None
        return Text(
            f"특고 취업전담반 대상 경로가 아님 ({raw}): 실업급여 수급자·국취 참여자·내방 민원인만 (L716)",
            f"not a route the desk serves ({raw}): unemployment-benefit recipients, 국민취업지원제도 "
            "participants and walk-ins only (L716)",
        )


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
            _s("ersp.capacity_diagnosis", "기업 고용여력 분석·진단", "analysis of hiring capacity"),
            _s("ersp.support_path", "맞춤형 지원 경로 설정", "set a tailored support path"),
        ),
    ),
    PackageStep(
        "improve",
        Text("고용여건 향상", "improve conditions"),
        (
            _s("ersp.hr_consulting", "인사·노무 컨설팅 (일터혁신컨설팅 연계)", "HR and labour consulting"),
            _s(
                "ersp.infrastructure",
                "인프라·환경 개선 (기숙사, 통근버스, 스마트공장, 클린사업장)",
                "infrastructure (dormitory, commuter bus, smart factory, clean workplace)",
            ),
            _s("ersp.tailored_training", "맞춤인재 양성 (훈련, 일경험)", "tailored training and work experience"),
        ),
    ),
    PackageStep(
        "recruit",
        Text("채용지원", "recruit"),
        (
            _s("ersp.intensive_referral", "집중 알선 (고용장려금 연계)", "intensive referral with hiring subsidies"),
            _s("ersp.recruitment_on_behalf", "채용대행", "recruitment on the firm's behalf"),
            _s("ersp.follow_up", "사후관리", "follow-up"),
        ),
    ),
)

_ALERTS = _s(
    "auto_alerts", "자율매칭: 자동알림서비스 (알림톡, 푸쉬알림)", "automatic matching: alerts (messaging, push)"
)
_SEEKER_REFERRAL = _s("seeker_referral", "구직자 알선", "referral of jobseekers")
_AI = _s(
    "ai_recommendation",
    "자율매칭: AI 일자리 추천 (직무능력 중심)",
    "automatic matching: competency-based recommendation",
)
_DISCOVERY = _s("seeker_discovery", "구직자 발굴", "seeker discovery")
_EXPECTATIONS = _s("expectation_adjustment", "눈높이 조절", "expectation adjustment")
_ON_BEHALF = _s("recruitment_on_behalf", "채용대행", "recruitment on the firm's behalf")
_EVENTS = _s("hiring_events", "채용행사", "hiring events")
_NEGOTIATION = _s("condition_negotiation", "근로조건 조정·협상", "negotiation of conditions")


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
    (_s("employer_diagnosis", "기업 심층 진단 후 유형 결정", "in-depth diagnosis, then a type"),),
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


NATIONAL_EMPLOYER_META = _meta(
    rule_id=NATIONAL_EMPLOYER_ID,
    title=Text("구인기업 유형분류 (5개 유형)", "employer typology (five types)"),
    source=SourceRef(_DOC, "L344-L461", "구인기업 프로파일링 '21.7월~ (L1179)"),
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


# ---------------------------------------------------------------- target selection

POTENTIAL_CLIENT = Segment(
    "potential_client",
    Text("잠재고객기업", "potential client firm"),
    (
        _s("demand_discovery", "일자리 수요 발굴 (유선·방문)", "job discovery by phone or visit"),
        _s("job_board_registration", "구인신청 시 워크넷 등록·공개", "job-board registration of the vacancy"),
    ),
)
PRIORITY_SUPPORT = Segment(
    "priority_support",
    Text("중점지원기업", "priority support firm"),
    (_s("intensive_recruitment", "집중 채용지원서비스", "intensive recruitment support"),),
)
NOT_TARGETED = Segment("not_targeted", Text("발굴 대상 아님", "not a target"))

#: The target selection segments.
TARGET_SEGMENTS: tuple[Segment, ...] = (POTENTIAL_CLIENT, PRIORITY_SUPPORT, NOT_TARGETED)

_TRUE = {"1", "true", "y", "yes", "예", "o"}


def _flag(employer: Employer, key: str) -> bool:
    return str(employer.extra.get(key, "")).strip().casefold() in _TRUE


TARGETS_META = _meta(
    rule_id=TARGETS_ID,
    title=Text("일자리 발굴 대상 기업 선정", "job discovery target firms"),
    source=SourceRef(_DOC, "L296-L317", "구인기업 발굴 분석·관리체계 '21.7월~ (L1173)"),
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


# ---------------------------------------------------------------- registration


def seeker_typologies() -> tuple[SeekerTypology, ...]:
    """The national seeker typologies: the checklist typology (a decision table) and the special-type pathways."""
    from employkit.profiling.tables import load_decision_tables

    return (*load_decision_tables("employkit.national"), SpecialTypeTypology())


def employer_typologies() -> tuple[EmployerTypology, ...]:
    """The national employer typologies: the five types and the job-discovery targets."""
    return (NationalEmployerTypology(), TargetSelection())
