"""Chungnam KPIs: career-break women in time-selective jobs, and partner-agency placements."""

from __future__ import annotations

from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.metrics.base import KpiDefinition
from employkit.metrics.kpis import FormulaKpi
from employkit.metrics.measures import Count, Param, Where
from employkit.packs import RuleMeta

__all__ = ["kpis"]

PLAN = "seeds/002_62de1f3d4f953fee.txt"
IN_PROVINCE = Where("seeker.residence_code", "prefix", Param("chungnam.region_prefix"))


def kpis() -> list[KpiDefinition]:
    """The pack's KPIs, counted over seekers living in the province."""
    return [
        FormulaKpi(
            meta=RuleMeta(
                rule_id="chungnam.kpi.cbw_time_selective",
                title=Text("경력단절여성 시간선택제 취업", "career-break women placed in time-selective jobs"),
                source=SourceRef.parse(f"{PLAN}#L9"),
                parameters=("chungnam.region_prefix",),
            ),
            key="chungnam_cbw_time_selective",
            numerator=Count(
                "placements",
                where=(
                    IN_PROVINCE,
                    Where("seeker.groups", "has", "career_break_woman"),
                    Where("employment_type", "eq", "time_selective"),
                ),
                title=Text("충남 경력단절여성 시간선택제 취업자", "Chungnam career-break women in time-selective jobs"),
            ),
            unit="people",
            formula=Text(
                "충남 거주 경력단절여성의 시간선택제 취업 건수",
                "placements of career-break women living in Chungnam into time-selective jobs",
            ),
        ),
        FormulaKpi(
            meta=RuleMeta(
                rule_id="chungnam.kpi.partner_share",
                title=Text("협력기관 연계 취업 비율", "placements through partner agencies"),
                source=SourceRef.parse(f"{PLAN}#L99-L101"),
                parameters=("chungnam.region_prefix",),
            ),
            key="chungnam_partner_share",
            numerator=Count(
                "placements",
                where=(IN_PROVINCE, Where("partner_agency", "present")),
                title=Text("협력기관 연계 취업자", "placements through a partner agency"),
            ),
            denominator=Count("placements", where=(IN_PROVINCE,), title=Text("충남 취업자", "Chungnam placements")),
            unit="%",
            bounded=True,
            breakdown="partner_agency",
            formula=Text(
                "(협력기관(새일센터·사업주단체) 연계 취업자 / 충남 거주 취업자) × 100",
                "(placements through a partner agency / placements of Chungnam residents) × 100",
            ),
        ),
    ]
