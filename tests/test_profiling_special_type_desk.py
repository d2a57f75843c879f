"""Who the special-type worker desk (특고 취업전담반) serves: seeds/001#L710 and L716.

대상자: 실업급여 수급자 + 국취 참여자 + 내방 민원인 — special-type workers who come through
unemployment benefit, 국민취업지원제도 or in person; not everyone flagged special-type.
"""

from __future__ import annotations

import datetime as dt

import pytest

from employkit.model import Seeker, SeekerGroup
from employkit.national.profiling import SPECIAL_TYPE_ID
from employkit.profiling.api import classify_seeker
from employkit.testing import make_system

DAY = dt.date(2022, 3, 2)


@pytest.mark.parametrize(
    ("route", "served"),
    [
        ("unemployment_benefit", True),
        ("실업급여", True),
        ("국민취업지원제도", True),
        ("knjs", True),
        ("내방", True),
        (None, True),  # not recorded: a walk-in
        ("online", False),  # registered online only: not one of the desk's routes
        ("referral_from_partner", False),
    ],
)
def test_the_desk_serves_benefit_recipients_knjs_participants_and_walk_ins(route: str | None, served: bool) -> None:
    extra = {"special_type_goal": "wage"} | ({} if route is None else {"special_type_route": route})
    s = Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=DAY,
        birth_year=1975,
        groups=[SeekerGroup.SPECIAL_TYPE_WORKER],
        extra=extra,
    )
    p = classify_seeker(s, make_system(), DAY, SPECIAL_TYPE_ID)
    assert (p.segment is not None) is served
    assert "special_type_route" in p.explanation.inputs
    uses = p.explanation.parameter("profiling.seeker.national.special_type.routes")
    assert "#L710" in str(uses.source)
    if not served:
        assert p.status == "not_applicable" and "L716" in p.explanation.reasons[0].en
