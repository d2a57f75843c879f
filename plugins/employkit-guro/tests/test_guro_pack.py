"""The Guro pack, from the Guro-gu 2010 job-creation plan (seeds/003_cafe3b9757853c08.txt):
public work for residents aged 18 or more without work or regular income (L91-L93),
its places, and the yearly job targets of <표 2> (L72-L74)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import employkit_guro
import pytest

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.model import Employer, EmploymentType, Placement, Seeker
from employkit.programmes import Eligibility, eligibility, programmes_in_force
from employkit.rules import RuleSystem
from employkit.testing import make_system

PUBLIC_WORK = "programmes.guro.public_work"
SEED = "seeds/003_cafe3b9757853c08.txt"
DAY = dt.date(2010, 9, 1)


@pytest.fixture(scope="module")
def guro() -> RuleSystem:
    return make_system(employkit_guro, region="11530")


def _seeker(**kw: Any) -> Seeker:
    base: dict[str, Any] = {
        "seeker_id": "G1",
        "registered_on": dt.date(2010, 3, 2),
        "residence_code": "11530",
        "birth_year": 1970,
    }
    return Seeker(**{**base, **kw})


def _verdict(guro: RuleSystem, seeker: Seeker, day: dt.date = DAY) -> Eligibility:
    (found,) = eligibility(seeker, guro, day, programme=PUBLIC_WORK)
    return found


@pytest.mark.parametrize(
    ("birth_date", "status", "outcome"),
    [
        (dt.date(1992, 8, 31), "eligible", "eligible"),  # 만 18세 on 2010-08-31
        (dt.date(1992, 9, 1), "eligible", "eligible"),  # 만 18세 that very day
        (dt.date(1992, 9, 2), "not_eligible", "under_18"),  # 17 until tomorrow
    ],
)
def test_public_work_admits_residents_from_their_18th_birthday(
    guro: RuleSystem, birth_date: dt.date, status: str, outcome: str
) -> None:
    found = _verdict(guro, _seeker(birth_date=birth_date, birth_year=None, regular_income=False))
    assert (found.status, found.outcome) == (status, outcome)


def test_public_work_is_for_guro_residents_only(guro: RuleSystem) -> None:
    outsider = _seeker(residence_code="11140", unemployed_since=dt.date(2010, 1, 4))
    found = _verdict(guro, outsider)
    assert (found.status, found.outcome, found.label.ko) == ("not_eligible", "not_resident", "비대상: 구로 주민 아님")
    # a resident of a 동 of Guro-gu is a resident of Guro-gu
    assert _verdict(guro, _seeker(residence_code="1153010100", regular_income=False)).status == "eligible"


@pytest.mark.parametrize(
    ("facts", "status", "outcome", "missing"),
    [
        ({"regular_income": False}, "eligible", "eligible", ()),  # 정기 소득이 없는
        ({"regular_income": True, "unemployed_since": dt.date(2010, 5, 3)}, "eligible", "eligible", ()),  # 실업자
        ({"regular_income": True}, "missing", None, ("unemployed",)),
        ({}, "missing", None, ("regular_income", "unemployed")),
    ],
)
def test_public_work_needs_unemployment_or_no_regular_income(
    guro: RuleSystem, facts: dict[str, Any], status: str, outcome: str | None, missing: tuple[str, ...]
) -> None:
    found = _verdict(guro, _seeker(**facts))
    assert (found.status, found.outcome, found.missing) == (status, outcome, missing)


def test_a_verdict_cites_the_plan_line_and_the_places_of_2010(guro: RuleSystem) -> None:
    found = _verdict(guro, _seeker(regular_income=False))
    why = found.explanation
    assert (why.rule_id, why.pack, why.pack_version) == (PUBLIC_WORK, "guro", employkit_guro.__version__)
    assert why.parameter("guro.public_work.places").value == 580
    assert why.parameter("guro.hope_work.places").value == 800
    assert "공공근로사업 580명" in str(why.parameter("guro.public_work.places").source)
    assert "희망근로사업 800명" in str(why.parameter("guro.hope_work.places").source)
    assert SEED in str(guro.rule(PUBLIC_WORK).meta.source)
    # the places are the plan year's; later verdicts cite none rather than 2010's
    later = _verdict(guro, _seeker(regular_income=False), dt.date(2012, 3, 2)).explanation
    assert not [u for u in later.parameters if u.parameter_id.startswith("guro.")]


@pytest.mark.parametrize(
    ("day", "target"),
    [
        (dt.date(2010, 1, 1), 4_350),
        (dt.date(2011, 6, 30), 3_810),
        (dt.date(2012, 12, 31), 3_620),
        (dt.date(2013, 7, 1), 3_510),
        (dt.date(2014, 12, 31), 3_360),
    ],
)
def test_yearly_targets_of_table_2(guro: RuleSystem, day: dt.date, target: int) -> None:
    used = guro.parameter("metrics.target.placements", day)
    assert (used.value, used.pack) == (target, "guro")
    assert f"{SEED}#L72-L74" in str(used.source) and f"{day.year}년" in str(used.source)


def test_the_targets_stop_with_the_plan_and_add_up_to_its_five_years(guro: RuleSystem) -> None:
    values = [guro.parameter("metrics.target.placements", dt.date(y, 6, 30)).value for y in range(2010, 2015)]
    assert sum(values) == 18_650  # the table prints 18,640; the plan says "18,600여명" (L147)
    assert "metrics.target.placements" not in {
        u for u in make_system(region="11530").parameter_ids()
    }  # the national pack alone gives Guro no target
    assert any("metrics.target.placements" in w for w in guro.unset_parameters(dt.date(2015, 1, 1)))


def test_the_target_feeds_target_achievement(guro: RuleSystem) -> None:
    seekers = [_seeker(seeker_id=f"G{i}") for i in range(381)]
    employer = Employer(employer_id="E1", employees=40, region_code="11530")
    hires = [
        Placement(
            placement_id=f"P{i}",
            seeker_id=s.seeker_id,
            employer_id="E1",
            start_date=dt.date(2011, 3, 2),
            employment_type=EmploymentType.REGULAR,
        )
        for i, s in enumerate(seekers)
    ]
    data = Dataset(seekers=seekers, employers=[employer], placements=hires)
    value = kpi_report(data, guro, dt.date(2011, 12, 31), year=2011).get("target_achievement").value
    assert (value.numerator, value.denominator, value.rounded) == (381, 3_810, 10.0)


def test_the_pack_takes_part_only_in_guro() -> None:
    junggu = make_system(employkit_guro, region="11140")
    assert [p.name for p in junggu.active] == ["national"]
    assert junggu.activation["guro"].reason.en == "applies to 11530, not to the centre's 11140"
    assert PUBLIC_WORK not in {p.meta.rule_id for p in programmes_in_force(junggu, DAY)}
    assert "metrics.target.placements" not in junggu.parameter_ids()
    guro = make_system(employkit_guro, region="11530")
    assert [p.name for p in guro.active] == ["national", "guro"]
    assert PUBLIC_WORK in {p.meta.rule_id for p in programmes_in_force(guro, DAY)}


def test_enabled_by_name_elsewhere_the_programme_still_stays_in_guro() -> None:
    from employkit.testing import config_from_toml

    config = config_from_toml('[centre]\nname = "강남구"\nregion_code = "11680"\n[packs]\nenabled = ["guro"]\n')
    gangnam = make_system(employkit_guro, config=config)
    assert "guro" in [p.name for p in gangnam.active]
    assert PUBLIC_WORK not in {p.meta.rule_id for p in programmes_in_force(gangnam, DAY)}
