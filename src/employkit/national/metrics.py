"""The national pack's KPIs, declared as data with the classes of :mod:`employkit.metrics.kpis`.

Their parameters (rounding, bands, thresholds, reference values) are in ``metrics.toml``
beside this module. Each KPI cites the line of the source document that defines or reports it. Figures that
are not a centre's records come in as KPI inputs (:mod:`employkit.metrics.scope`); the KPIs computed from
such figures alone are in :mod:`employkit.national.metrics_inputs`, what all of them share in
:mod:`employkit.national.metrics_meta`.
"""

from __future__ import annotations

from functools import cache

from employkit.labels import Text
from employkit.metrics.base import KpiDefinition
from employkit.metrics.kpis import FormulaKpi, FunnelKpi, FunnelStep, RetentionKpi
from employkit.metrics.measures import (
    CentreFigure,
    Count,
    Difference,
    FirstOf,
    Input,
    PackFigure,
    Param,
    Where,
    Within,
)
from employkit.national.metrics_inputs import input_kpis
from employkit.national.metrics_meta import (
    HIRES,
    JUNGGU,
    NATIONAL,
    OPENINGS,
    PLACED_SEEKERS,
    PLACEMENTS,
    SEEKERS,
    WANJU,
    WITH_WAGE,
)
from employkit.national.metrics_meta import meta as _meta
from employkit.national.metrics_meta import own as _own

__all__ = ["national_kpis"]


def _formulas() -> list[KpiDefinition]:
    pct = "%"
    return [
        FormulaKpi(
            meta=_meta("employment_rate", "취업률", "employment rate", (JUNGGU, "L11-L12")),
            key="employment_rate",
            numerator=PLACEMENTS,
            denominator=SEEKERS,
            unit=pct,
            formula=Text(
                "(취업자 / 구직자) × 100: 기간 중 모든 취업 건 (기간 전 등록자, 재취업 포함)",
                "(placements / seekers) × 100: every placement of the period counted (also of seekers "
                "registered earlier, and a second placement of the same seeker)",
            ),
        ),
        FormulaKpi(
            meta=_own(
                "cohort_employment_rate",
                "코호트 취업률 (기간 내 등록자 중 취업한 사람)",
                "cohort employment rate (registered in the period and placed)",
                "the documents' 취업률 counts every placement; this one counts seekers registered in the "
                "period who were placed in it, each once",
                (JUNGGU, "L11-L12"),
            ),
            key="cohort_employment_rate",
            numerator=Count("placed_seekers", title=Text("기간 내 등록·취업자", "registered and placed in the period")),
            denominator=SEEKERS,
            unit=pct,
            bounded=True,
            formula=Text(
                "(기간 내 등록하고 취업한 구직자 / 구직자) × 100",
                "(seekers registered and placed in the period / seekers) × 100",
            ),
        ),
        FormulaKpi(
            meta=_meta("seekers", "구직자 수", "seekers", (JUNGGU, "L11")),
            key="seekers",
            numerator=SEEKERS,
            unit="people",
            precision=0,
        ),
        FormulaKpi(
            meta=_meta("placements", "취업자 수", "placements", (JUNGGU, "L597-L601")),
            key="placements",
            numerator=PLACEMENTS,
            unit="people",
            precision=0,
        ),
        FormulaKpi(
            meta=_meta("employers", "구인처 수", "employers with vacancies", (JUNGGU, "L11")),
            key="employers",
            numerator=FirstOf(Input("employers"), Count("employers")),
            unit="employers",
            precision=0,
        ),
        FormulaKpi(
            meta=_meta("openings", "구인 인원", "openings", (JUNGGU, "L11")),
            key="openings",
            numerator=OPENINGS,
            unit="openings",
            precision=0,
        ),
        FormulaKpi(
            meta=_meta("target_achievement", "목표 대비 달성률", "target achievement", (JUNGGU, "L115")),
            key="target_achievement",
            numerator=PLACEMENTS,
            denominator=FirstOf(
                Input("target"),
                CentreFigure("target"),
                PackFigure("metrics.target.placements", Text("취업 목표", "placement target")),
            ),
            unit=pct,
            formula=Text("(취업자 / 취업 목표) × 100", "(placements / placement target) × 100"),
        ),
        FormulaKpi(
            meta=_meta("resident_share", "취업자 중 관내 주민 비율", "residents among placements", (JUNGGU, "L117")),
            key="resident_share",
            numerator=Count(
                "placements",
                where=(Where("is_resident", "eq", True),),
                title=Text("주민 취업자", "resident placements"),
            ),
            denominator=Count("placements"),
            unit=pct,
            bounded=True,
            formula=Text(
                "(거주지가 센터 관할인 취업자 / 취업자) × 100",
                "(placements of seekers living in the centre's region / placements) × 100",
            ),
        ),
        FormulaKpi(
            meta=_own(
                "openings_filled",
                "구인 대비 취업 비율",
                "openings filled",
                "the Jung-gu table gives openings and placements side by side, not their ratio",
                (JUNGGU, "L11"),
            ),
            key="openings_filled",
            numerator=PLACEMENTS,
            denominator=OPENINGS,
            unit=pct,
            formula=Text("(취업자 / 구인 인원) × 100", "(placements / openings) × 100"),
        ),
        FormulaKpi(
            meta=_own(
                "openings_per_seeker",
                "구인배수",
                "openings per seeker",
                "the Jung-gu table gives openings and seekers side by side; the ratio is the usual 구인배수",
                (JUNGGU, "L11"),
            ),
            key="openings_per_seeker",
            numerator=OPENINGS,
            denominator=SEEKERS,
            unit="ratio",
            precision=2,
            display_precision=2,
            formula=Text("구인 인원 / 구직자", "openings / seekers"),
        ),
        FormulaKpi(
            meta=_meta(
                "unfilled_rate",
                "미충원율 (사업체노동력조사)",
                "unfilled rate (establishment labour survey)",
                (NATIONAL, "L1361"),
                ("metrics.reference.unfilled_rate",),
            ),
            key="unfilled_rate",
            numerator=Input("survey.unfilled"),
            denominator=Input("survey.openings"),
            unit=pct,
            bounded=True,
            formula=Text(
                "(미충원 인원 / 구인 인원) × 100, 직종별 사업체노동력조사 (전국 평균 12.6%, '20.下)",
                "(unfilled openings / openings) × 100 from the establishment labour survey "
                "(national average 12.6%, 2020 H2)",
            ),
        ),
        FormulaKpi(
            meta=_meta(
                "unfilled_rate_reference",
                "미충원율 전국 평균 (기준치)",
                "unfilled rate, national average (reference)",
                (NATIONAL, "L1361"),
                ("metrics.reference.unfilled_rate",),
            ),
            key="unfilled_rate_reference",
            numerator=PackFigure(
                "metrics.reference.unfilled_rate", Text("미충원율 전국 평균", "national unfilled rate")
            ),
            unit=pct,
        ),
        FormulaKpi(
            meta=_own(
                "openings_unfilled_by_centre",
                "센터 취업으로 채우지 못한 구인 비율",
                "openings not filled by the centre's placements",
                "the survey's 미충원율 counts openings no one filled; this one counts openings this centre's "
                "placements did not fill, which is not the same thing",
                (NATIONAL, "L1361"),
            ),
            key="openings_unfilled_by_centre",
            numerator=Difference(OPENINGS, HIRES),
            denominator=OPENINGS,
            unit=pct,
            bounded=True,
            formula=Text(
                "((구인 인원 − 센터 취업으로 충원된 인원) / 구인 인원) × 100",
                "((openings − openings filled by the centre's placements) / openings) × 100",
            ),
        ),
        FormulaKpi(
            meta=_meta(
                "jobboard_use_rate",
                "워크넷 이용률 (업종·규모별: 구인인원/고보취득인원)",
                "job-board use rate (by industry and size: openings / new insured)",
                (NATIONAL, "L1330"),
                ("metrics.reference.jobboard_use_rate.insured",),
            ),
            key="jobboard_use_rate",
            numerator=Input("jobboard_openings"),
            denominator=Input("new_insured"),
            unit=pct,
            formula=Text(
                "(워크넷 구인 인원 / 고용보험 취득자) × 100 (전국 평균 27.8, '20.3분기)",
                "(job-board openings / new insured employees) × 100 (national average 27.8, 2020 Q3)",
            ),
        ),
        FormulaKpi(
            meta=_meta(
                "jobboard_use_rate_survey",
                "워크넷 이용률 (직종별: 워크넷 구인/사업체조사 구인)",
                "job-board use rate (by occupation: job-board openings / survey openings)",
                (NATIONAL, "L1333"),
                ("metrics.reference.jobboard_use_rate.survey",),
            ),
            key="jobboard_use_rate_survey",
            numerator=Input("jobboard_openings_5plus"),
            denominator=Input("survey.openings"),
            unit=pct,
            formula=Text(
                "(워크넷 구인 (5인 이상 사업체) / 사업체노동력조사 구인) × 100 (전국 평균 82.9, '20.3분기)",
                "(job-board openings of firms with 5+ staff / survey openings) × 100 (national average 82.9, 2020 Q3)",
            ),
        ),
        *(
            FormulaKpi(
                meta=_meta(
                    f"jobboard_use_rate_{kind}_reference",
                    f"워크넷 이용률 전국 평균 ({ko}, 기준치)",
                    f"job-board use rate, national average ({en}, reference)",
                    (NATIONAL, line),
                    (f"metrics.reference.jobboard_use_rate.{kind}",),
                ),
                key=f"jobboard_use_rate_{kind}_reference",
                numerator=PackFigure(f"metrics.reference.jobboard_use_rate.{kind}", Text(ko, en)),
                unit=pct,
            )
            for kind, ko, en, line in (
                ("insured", "구인인원/고보취득인원", "openings / new insured", "L1330"),
                ("survey", "워크넷 구인/사업체조사 구인", "job-board / survey openings", "L1333"),
            )
        ),
        FormulaKpi(
            meta=_own(
                "referral_placement_rate",
                "알선취업률",
                "referral placement rate",
                "the Wanju article gives referrals (알선 3,516명) and placements (취업 1,525명), not this rate",
                (WANJU, "L56"),
            ),
            key="referral_placement_rate",
            numerator=FirstOf(
                Input("referral_placements"),
                Count(
                    "placements",
                    where=(Where("via_referral", "eq", True),),
                    title=Text("알선 취업자", "placements through referral"),
                ),
            ),
            denominator=Input("referrals"),
            unit=pct,
            formula=Text("(알선 취업자 / 알선 인원) × 100", "(placements through referral / referrals) × 100"),
        ),
        FunnelKpi(
            meta=_meta("funnel", "상담 → 서비스 → 취업", "counselled → served → placed", (NATIONAL, "L1038-L1040")),
            key="funnel",
            steps=(
                FunnelStep(
                    key="consultations",
                    title=Text("상담 건수", "consultations"),
                    measure=Input("consultations"),
                    unit="cases",
                    optional=True,
                ),
                FunnelStep(
                    key="counselled",
                    title=Text("상담", "counselled"),
                    measure=FirstOf(
                        Input("counselled"), Count("seekers", title=Text("상담(구직등록)", "counselled (registered)"))
                    ),
                ),
                FunnelStep(
                    key="served",
                    title=Text("취업서비스 제공", "served"),
                    measure=FirstOf(Input("served"), Input("referrals")),
                    services="served.",
                ),
                FunnelStep(key="placed", title=Text("취업", "placed"), measure=PLACED_SEEKERS),
            ),
        ),
        *(
            RetentionKpi(
                meta=_own(
                    f"retention_{m}m",
                    f"{m}개월 고용유지율",
                    f"still employed at {m} month{'s' if m != 1 else ''}",
                    "the plans schedule follow-up contacts at these horizons but define no retention rate",
                    (JUNGGU, "L44" if m != 3 else "L417"),
                    ("metrics.retention.window_days", "metrics.retention.exclude_unknown"),
                ),
                key=f"retention_{m}m",
                months=m,
            )
            for m in (1, 3, 6, 12)
        ),
        FormulaKpi(
            meta=_own(
                "quality_job_share",
                "양질의 일자리 취업 비율",
                "quality-job share",
                "no document sets a wage threshold; employkit takes the top Jung-gu wage band (200만원 이상)",
                (JUNGGU, "L601"),
                ("metrics.quality_job.min_monthly_wage",),
            ),
            key="quality_job_share",
            numerator=Count(
                "placements",
                where=(Where("monthly_wage", "ge", Param("metrics.quality_job.min_monthly_wage")),),
                title=Text("기준 임금 이상 취업자", "placements at or above the wage threshold"),
            ),
            denominator=Count(
                "placements", where=(WITH_WAGE,), title=Text("임금이 알려진 취업자", "placements with a known wage")
            ),
            unit=pct,
            bounded=True,
            formula=Text(
                "(월임금 ≥ 기준 임금인 취업자 / 임금이 알려진 취업자) × 100",
                "(placements paying at least the threshold / placements with a known wage) × 100",
            ),
        ),
        FormulaKpi(
            meta=_own(
                "early_placement_share",
                "조기 취업 비율",
                "early placement share",
                "the national plan targets early placement but gives no measure or horizon",
                (NATIONAL, "L471"),
                ("metrics.early_placement.months",),
            ),
            key="early_placement_share",
            numerator=Count(
                "placements",
                where=(Within("start_date", "seeker.registered_on", Param("metrics.early_placement.months")),),
                title=Text("조기 취업자", "early placements"),
            ),
            denominator=Count(
                "placements",
                where=(Where("seeker.registered_on", "present"),),
                title=Text("등록일이 알려진 취업자", "placements with a known registration date"),
            ),
            unit=pct,
            bounded=True,
            formula=Text(
                "(구직등록 후 N개월 이내 취업 / 취업자) × 100",
                "(placements within N months of registration / placements) × 100",
            ),
        ),
        FormulaKpi(
            meta=_meta(
                "easy_match_share",
                "단순 매칭 직종 취업 비율",
                "easy-match occupations share",
                (NATIONAL, "L85-L86"),
                ("metrics.easy_match.occupations",),
            ),
            key="easy_match_share",
            numerator=Count(
                "placements",
                where=(Where("occupation", "prefix", Param("metrics.easy_match.occupations")),),
                title=Text(
                    "돌봄·경비·청소·제조단순 취업자", "placements in care, security, cleaning, simple manufacturing"
                ),
            ),
            denominator=Count(
                "placements",
                where=(Where("occupation", "present"),),
                title=Text("직종이 알려진 취업자", "placements with a known occupation"),
            ),
            unit=pct,
            bounded=True,
            formula=Text(
                "(돌봄·경비·청소·제조단순 직종 취업자 / 취업자) × 100",
                "(placements in easy-match occupations / placements) × 100",
            ),
        ),
    ]


@cache
def national_kpis() -> tuple[KpiDefinition, ...]:
    """The national KPIs, in the order reports show them."""
    return (*_formulas(), *input_kpis())
