"""Jung-gu A/B/C seeker typology and the district visit list of firms.

From the Jung-gu Job Plus Centre's 2016 plan (``seeds/000_743a0a447e219bca.txt``):

* ``profiling.seeker.junggu`` — after an in-depth interview (심층상담) each seeker is
  type A (즉시 취업알선 가능: job referral), B (취업의욕 부족: in-depth counselling and
  a motivation programme) or C (취업능력·기술부족: a link to the training institutions
  the plan lists, L391). A decision table in ``profiling.toml``: no Python.
* ``profiling.employer.junggu.visits`` — the firms to visit (중소 기업체 방문, L250-L279):
  job-board firms in the district with 10–100 employees, partner firms, SME-fund
  recipients and MOU firms.

Built only on employkit's public SDK.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from employkit.errors import ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.model import Employer, Vacancy
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    EmployerProfile,
    EmployerTypology,
    SeekerTypology,
    Segment,
    Service,
)
from employkit.profiling.tables import load_decision_tables
from employkit.rules import EvalContext

__all__ = [
    "ABC_ID",
    "VISITS_ID",
    "VisitList",
    "employer_typologies",
    "seeker_typologies",
    "visit_summary",
]

_DOC = "seeds/000_743a0a447e219bca.txt"
ABC_ID = "profiling.seeker.junggu"
VISITS_ID = "profiling.employer.junggu.visits"


def _meta(**fields: Any) -> RuleMeta:
    """RuleMeta from keyword fields (``parameters`` given as a tuple of ids)."""
    return RuleMeta(**fields)


_VISIT_PATH = (
    Service("advance_notice", Text("방문대상 선정 및 사전안내", "selection and advance notice")),
    Service("site_visit", Text("기업체 현장방문", "on-site visit")),
    Service("employer_network", Text("구인기업 네트워크 구축", "employer network")),
)

#: Visit-list categories in the plan's order (L260-L264).
VISIT_SEGMENTS: tuple[Segment, ...] = (
    Segment(
        "job_board", Text("워크넷 등록 관내 10~100인 기업", "job-board firm in the district, 10–100 staff"), _VISIT_PATH
    ),
    Segment("partner", Text("중구일자리플러스센터 협력업체", "partner firm of the centre"), _VISIT_PATH),
    Segment("sme_fund", Text("중소기업 육성기금 지원업체", "SME development fund recipient"), _VISIT_PATH),
    Segment("mou", Text("중구청 업무협약 체결 기업 (호텔 포함)", "MOU firm (hotels included)"), _VISIT_PATH),
    Segment("not_listed", Text("방문 대상 아님", "not on the visit list")),
)
_VISIT = {s.code: s for s in VISIT_SEGMENTS}


VISITS_META = _meta(
    rule_id=VISITS_ID,
    title=Text("중구 중소 기업체 방문 대상", "Jung-gu firm visit list"),
    source=SourceRef(_DOC, "L250-L279", "운영시기 '16.4~12"),
    effective_from=dt.date(2016, 1, 1),
    parameters=("profiling.employer.junggu.region_code", "profiling.employer.junggu.visit_employees"),
)


@frozen
class VisitList:
    """Whether a firm is on the district visit list, and under which category.

    A firm in several categories takes the first in the plan's order; the explanation
    names all of them.
    """

    meta: RuleMeta = VISITS_META
    segments: tuple[Segment, ...] = VISIT_SEGMENTS

    def classify(self, employer: Employer, vacancy: Vacancy | None, ctx: EvalContext) -> EmployerProfile:
        """Place one firm on (or off) the visit list as of ``ctx.as_of``."""
        region = str(ctx.param("profiling.employer.junggu.region_code"))
        span = ctx.param("profiling.employer.junggu.visit_employees")
        low, high = int(span["min"]), int(span["max"])
        local = employer.region_code.startswith(region)
        sized = low <= employer.employees <= high
        inputs: dict[str, Any] = {
            "region_code": employer.region_code,
            "employees": employer.employees,
            "uses_job_board": employer.uses_job_board,
            "partner": employer.partner,
            "sme_fund": employer.sme_fund,
            "mou": employer.mou,
        }
        found = []
        unknown = local and sized and employer.uses_job_board is None
        if local and sized and employer.uses_job_board:
            found.append("job_board")
        found += [c for c in ("partner", "sme_fund", "mou") if getattr(employer, c)]
        missing: tuple[str, ...] = ()
        if found:
            segment: Segment | None = _VISIT[found[0]]
            names = ", ".join(_VISIT[c].label.ko for c in found)
            reasons = [Text(f"방문 대상: {names}", "on the visit list: " + ", ".join(found))]
        elif unknown:
            segment, missing = None, ("uses_job_board",)
            reasons = [
                Text(
                    f"관내 {low}~{high}인 기업이나 워크넷 이용 여부를 알 수 없음",
                    f"in the district with {low}–{high} staff, but job-board use is unknown",
                )
            ]
        else:
            segment = _VISIT["not_listed"]
            where = "관내" if local else "관외"
            reasons = [
                Text(
                    f"{where}, 근로자 {employer.employees}명, 협력·육성기금·협약 해당 없음",
                    f"{'in' if local else 'outside'} the district, {employer.employees} staff, "
                    "not a partner, fund recipient or MOU firm",
                )
            ]
        return EmployerProfile(
            employer_id=employer.employer_id,
            typology_id=self.meta.rule_id,
            as_of=ctx.as_of,
            segment=segment,
            vacancy_id=vacancy.vacancy_id if vacancy else None,
            missing=missing,
            explanation=ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs),
        )


def visit_summary(profiles: Iterable[EmployerProfile], ctx: EvalContext) -> Mapping[str, tuple[int, int | None]]:
    """Firms found per visit category beside the plan's target (``profiling.employer.junggu.visit_targets``).

    Targets are ``None`` on dates the plan sets none.
    """
    found = Counter(p.segment.code for p in profiles if p.segment is not None and p.segment.code != "not_listed")
    try:
        targets = dict(ctx.param("profiling.employer.junggu.visit_targets"))
    except ParameterError:
        targets = {}
    out: dict[str, tuple[int, int | None]] = {}
    for code in ("job_board", "partner", "sme_fund", "mou"):
        out[code] = (found.get(code, 0), targets.get(code))
    out["total"] = (sum(found.values()), targets.get("total"))
    return out


def seeker_typologies() -> tuple[SeekerTypology, ...]:
    """The Jung-gu seeker typologies: the A/B/C decision table of ``profiling.toml``."""
    return tuple(load_decision_tables(__package__))


def employer_typologies() -> tuple[EmployerTypology, ...]:
    """The Jung-gu employer typologies: the district visit list."""
    return (VisitList(),)
