"""The Chungnam pack: its match component and KPIs, through employkit's test kit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import employkit_chungnam as pack
from attrs import evolve

from employkit.dataset import Dataset
from employkit.matching.scoring import score
from employkit.metrics.report import kpi_report
from employkit.model import (
    Centre,
    CentreLevel,
    Employer,
    EmploymentType,
    Intake,
    Placement,
    Seeker,
    SeekerGroup,
    Vacancy,
)
from employkit.testing import make_system

DAY = dt.date(2015, 9, 15)  # the plan's "meeting day" month
CHEONAN = "44131"
SYSTEM = make_system(pack, strict=True)
NATIONAL = make_system()


def woman(**changes: Any) -> Seeker:
    base = Seeker(
        seeker_id="S1",
        residence_code=CHEONAN,
        registered_on=dt.date(2015, 8, 3),
        birth_year=1978,
        desired_occupation="5611",
        desired_wage=1_000_000,
        desired_hours=20.0,
        intake=Intake(mobile=False),
        groups=frozenset({SeekerGroup.CAREER_BREAK_WOMAN}),
    )
    return evolve(base, **changes)


def job(**changes: Any) -> Vacancy:
    base = Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation="5611",
        openings=1,
        employment_type=EmploymentType.TIME_SELECTIVE,
        region_code=CHEONAN,
        posted_on=dt.date(2015, 9, 1),
        offered_wage=1_000_000,
        hours_per_week=20.0,
    )
    return evolve(base, **changes)


def test_pack_loads_cleanly_as_a_regional_pack() -> None:
    assert [p.name for p in SYSTEM.active] == ["national", "chungnam"]
    assert SYSTEM.conflicts == () and SYSTEM.gaps == ()


def test_time_selective_job_ranks_above_an_otherwise_equal_full_time_one() -> None:
    part = score(woman(), job(), SYSTEM, as_of=DAY)
    full = score(woman(), job(vacancy_id="V2", employment_type=EmploymentType.REGULAR), SYSTEM, as_of=DAY)
    fit = part.component("time_selective")
    assert fit.status == "counted" and fit.value == 1.0
    assert full.component("time_selective").value == 0.3
    assert part.total > full.total
    assert "chungnam" in part.render("en") and "time-selective" in part.render("en")


def test_component_is_neutral_where_it_does_not_apply() -> None:
    cases = [
        (woman(), job(region_code="11140")),  # vacancy in Seoul
        (woman(groups=frozenset()), job()),  # not a career-break woman
        (woman(desired_hours=40.0), job()),  # wants full-time hours
        (woman(desired_hours=None), job()),  # hours unknown
    ]
    for s, v in cases:
        with_pack = score(s, v, SYSTEM, as_of=DAY)
        assert with_pack.component("time_selective").status != "counted"
        assert abs(with_pack.total - score(s, v, NATIONAL, as_of=DAY).total) < 1e-12


def test_kpis_count_time_selective_placements_and_partner_share() -> None:
    seekers = [woman(seeker_id=f"S{i}") for i in range(8)] + [
        woman(seeker_id="S-seoul", residence_code="11140"),
        woman(seeker_id="S-man", groups=frozenset()),
    ]
    placed = [
        ("S0", EmploymentType.TIME_SELECTIVE, "충남여성새로일하기센터"),
        ("S1", EmploymentType.TIME_SELECTIVE, "천안여성새로일하기센터"),
        ("S2", EmploymentType.TIME_SELECTIVE, None),
        ("S3", EmploymentType.REGULAR, "충남북부상공회의소"),
        ("S4", EmploymentType.TIME_SELECTIVE, "천안여성새로일하기센터"),
        ("S5", EmploymentType.TIME_SELECTIVE, None),
        ("S-seoul", EmploymentType.TIME_SELECTIVE, "서울"),
        ("S-man", EmploymentType.TIME_SELECTIVE, None),
    ]
    placements = [
        Placement(
            placement_id=f"P{n}",
            seeker_id=sid,
            employer_id="E1",
            start_date=dt.date(2015, 9, 21),
            employment_type=etype,
            extra={"partner_agency": agency} if agency else {},
        )
        for n, (sid, etype, agency) in enumerate(placed)
    ]
    data = Dataset(
        seekers=seekers,
        employers=[Employer(employer_id="E1", employees=20, region_code=CHEONAN)],
        vacancies=[job(openings=10)],
        placements=placements,
        centre=Centre(name="천안고용센터", level=CentreLevel.DISTRICT, region_code="44130"),
    )
    report = kpi_report(data, SYSTEM, dt.date(2015, 12, 31), publish=False)
    cbw = report.get("chungnam_cbw_time_selective")
    assert cbw.pack == "chungnam" and cbw.value.numerator == 5  # S0 S1 S2 S4 S5; not Seoul, not S-man
    share = report.get("chungnam_partner_share").value
    assert (share.numerator, share.denominator) == (4, 7)  # S0 S1 S3 S4 of the 7 Chungnam placements
    assert share.rounded == 57.1


def test_batch_path_gives_the_one_pair_scores() -> None:
    from employkit.matching.batch import BatchScorer
    from employkit.matching.scoring import Matcher

    seekers = [
        woman(),
        woman(seeker_id="S2", desired_hours=40.0),
        woman(seeker_id="S3", groups=frozenset()),
        woman(seeker_id="S4", desired_hours=None),
    ]
    vacancies = [
        job(),
        job(vacancy_id="V2", employment_type=EmploymentType.REGULAR, hours_per_week=40.0),
        job(vacancy_id="V3", region_code="11140"),
    ]
    matcher = Matcher(SYSTEM, DAY)
    totals, _eligible = BatchScorer(matcher, seekers, vacancies).scores()
    for i, s in enumerate(seekers):
        for j, v in enumerate(vacancies):
            assert abs(totals[i, j] - matcher.score(s, v).total) < 1e-9, (s.seeker_id, v.vacancy_id)
