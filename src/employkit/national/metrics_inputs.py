"""The national KPIs computed from figures given with a report, not from a centre's records.

The labour-force survey's rates (경제활동참가율, 고용률, 실업률 …) and the ratios of a
centre's budget, staff and local-hiring agreement. Their figures come in as KPI inputs
or from the :class:`~employkit.model.Centre` (:mod:`employkit.metrics.scope`).
"""

from __future__ import annotations

from employkit.labels import Text
from employkit.metrics.base import KpiDefinition
from employkit.metrics.kpis import FormulaKpi
from employkit.metrics.measures import CentreFigure, FirstOf, Input, Product
from employkit.national.metrics_meta import GURO, JUNGGU, PLACEMENTS, SEEKERS, WANJU
from employkit.national.metrics_meta import meta as _meta
from employkit.national.metrics_meta import own as _own

__all__ = ["input_kpis"]


def input_kpis() -> list[KpiDefinition]:
    """The KPIs of figures given as inputs, in the order reports show them."""
    pct = "%"
    return [
        FormulaKpi(
            meta=_meta(
                "labour_force_participation", "경제활동참가율", "labour-force participation rate", (GURO, "L48-L50")
            ),
            key="labour_force_participation",
            numerator=Input("economically_active"),
            denominator=Input("population"),
            unit=pct,
            bounded=True,
            formula=Text("(경제활동인구 / 인구) × 100", "(economically active / population) × 100"),
        ),
        FormulaKpi(
            meta=_meta(
                "labour_force_inactive", "비경제활동인구 비율", "economically inactive share", (GURO, "L53-L55")
            ),
            key="labour_force_inactive",
            numerator=Input("inactive"),
            denominator=Input("population"),
            unit=pct,
            bounded=True,
            formula=Text("(비경제활동인구 / 인구) × 100", "(inactive / population) × 100"),
        ),
        FormulaKpi(
            meta=_meta(
                "labour_force_employed_share",
                "경제활동인구 중 취업자 비율",
                "employed share of the labour force",
                (GURO, "L57-L59"),
            ),
            key="labour_force_employed_share",
            numerator=Input("employed"),
            denominator=Input("economically_active"),
            unit=pct,
            bounded=True,
            formula=Text("(취업자 / 경제활동인구) × 100", "(employed / economically active) × 100"),
        ),
        FormulaKpi(
            meta=_meta("labour_force_employment_rate", "고용률", "employment-to-population rate", (GURO, "L48-L57")),
            key="labour_force_employment_rate",
            numerator=Input("employed"),
            denominator=Input("population"),
            unit=pct,
            bounded=True,
            formula=Text("(취업자 / 인구) × 100", "(employed / population) × 100"),
        ),
        FormulaKpi(
            meta=_meta("labour_force_unemployment_rate", "실업률", "unemployment rate", (GURO, "L61-L63")),
            key="labour_force_unemployment_rate",
            numerator=Input("unemployed"),
            denominator=Input("economically_active"),
            unit=pct,
            bounded=True,
            formula=Text("(실업자 / 경제활동인구) × 100", "(unemployed / economically active) × 100"),
        ),
        FormulaKpi(
            meta=_own(
                "cost_per_placement",
                "취업자 1인당 비용",
                "cost per placement",
                "the Jung-gu plan gives a budget (99,482천원) and placements, not their ratio",
                (JUNGGU, "L532"),
            ),
            key="cost_per_placement",
            numerator=FirstOf(Input("budget_krw"), CentreFigure("budget_krw")),
            denominator=PLACEMENTS,
            unit="KRW",
            precision=0,
            display_precision=0,
            formula=Text("예산 / 취업자", "budget / placements"),
        ),
        FormulaKpi(
            meta=_own(
                "caseload_per_counsellor",
                "상담사 1인당 구직자",
                "caseload per counsellor",
                "the Wanju article gives 21 counsellors, not a caseload",
                (WANJU, "L96"),
            ),
            key="caseload_per_counsellor",
            numerator=SEEKERS,
            denominator=FirstOf(Input("counsellors"), CentreFigure("counsellors")),
            unit="seekers/counsellor",
            formula=Text("구직자 / 상담사", "seekers / counsellors"),
        ),
        FormulaKpi(
            meta=_own(
                "local_hiring_progress",
                "지역주민 채용 약정 달성률",
                "local-hiring quota progress",
                "the Guro plan gives the agreement (50% of 1,000 jobs to residents), not a progress rate",
                (GURO, "L30-L32"),
            ),
            key="local_hiring_progress",
            numerator=Input("local_hiring.resident_hires"),
            denominator=FirstOf(
                Input("local_hiring.quota"),
                Product(Input("local_hiring.jobs"), Input("local_hiring.resident_share")),
            ),
            unit=pct,
            formula=Text(
                "(협약 기업의 주민 채용 / 주민 채용 약정 인원) × 100",
                "(residents hired under the agreement / residents promised) × 100",
            ),
        ),
    ]
