"""The national seeker typologies: the checklist (a decision table) and the special-type worker desk."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import ParameterError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.model import EmploymentType, Level
from employkit.national.profiling.common import NATIONAL_SEEKER_ID, PLAN_DOC, SPECIAL_TYPE_ID, rule_meta, service
from employkit.packs import RuleMeta
from employkit.profiling.base import (
    NOT_PROTECTED,
    SeekerProfile,
    Segment,
    missing_reason,
)

if TYPE_CHECKING:
    from employkit.model import Seeker
    from employkit.profiling.tables import TableTypology
    from employkit.rules import EvalContext


# ---------------------------------------------------------------- jobseekers
# The checklist typology is a decision table: national/seeker_typology.toml.


def seeker_table() -> TableTypology:
    """The national checklist typology, read from ``national/seeker_typology.toml`` and checked."""
    from employkit.profiling.tables import load_decision_tables

    found = [t for t in load_decision_tables("employkit.national") if t.meta.rule_id == NATIONAL_SEEKER_ID]
    if len(found) != 1:
        raise ParameterError(f"employkit.national: expected one table {NATIONAL_SEEKER_ID}, found {len(found)}")
    return found[0]


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
            service("career_guidance", "심층상담(진로지도)", "in-depth counselling (career guidance)"),
            service("work_experience", "일경험(경력형성)", "work experience (career building)"),
            service("training", "직업훈련", "vocational training"),
            service("intensive_referral", "집중알선(동행면접 등)", "intensive referral (accompanied interviews)"),
            service(
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
            service("career_pay_counselling", "특고 경력·보수관리 상담", "career and pay management counselling"),
            service("special_programme", "특화프로그램 제공", "specialised programme"),
            service("sector_training", "직종별 훈련 연계", "sector training"),
            service(
                "association_referral", "이직희망 시 특고단체 연계·추천", "referral to worker associations for a move"
            ),
        ),
    ),
    Segment(
        "st_to_self_employment",
        Text("특고 → 자영업자", "special-type worker → self-employment"),
        (
            service("startup_counselling", "창업수요 상담·진단", "start-up counselling and diagnosis"),
            service("startup_education", "창업희망분야 교육 연계", "education in the chosen business field"),
            service("startup_package", "창업지원패키지 연계 (창업진흥원)", "start-up support package"),
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


SPECIAL_TYPE_META = rule_meta(
    rule_id=SPECIAL_TYPE_ID,
    title=Text("특고 취업전담반 유형분류", "special-type worker pathways"),
    source=SourceRef(PLAN_DOC, "L702-L743", "특고 취업전담반 운영 '22.~"),
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
