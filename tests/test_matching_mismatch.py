"""Mismatch analysis: the Jung-gu 2015 demand vs supply comparison and the easy-match share."""

from __future__ import annotations

import datetime as dt

import pytest

from employkit.dataset import Dataset
from employkit.matching import mismatch
from employkit.model import EmploymentType, Placement, Seeker, Vacancy
from employkit.synth import sample_centre
from employkit.testing import make_system

SYSTEM = make_system()
DAY = dt.date(2016, 1, 1)


def test_sample_centre_reproduces_the_jung_gu_demand_order() -> None:
    report = mismatch(sample_centre(), SYSTEM, as_of=DAY)
    occupations = report.occupations
    assert (occupations.demand_total, occupations.supply_total) == (2239, 3110)
    # seeds/000_743a0a447e219bca.txt#L608: 청소 › 경비·주차 > 사무직 › 서비스직 > 주방 > 판매 > 기계·설비 > 제조업
    assert occupations.demand_order() == [
        "cleaning",
        "security_parking",
        "office",
        "service",
        "kitchen",
        "sales",
        "machinery",
        "manufacturing",
    ]
    # seeds/000_743a0a447e219bca.txt#L617-618: seekers 청소 › 경비,주차 › 사무직 › … › 제조업
    supply = occupations.supply_order()
    assert supply[:3] == ["cleaning", "security_parking", "office"] and supply[-1] == "manufacturing"
    # seeds/000_743a0a447e219bca.txt#L624-625: 100-150만원 › 150-200만원 › 200만원이상 › 100만원이하 (› 기타)
    assert report.wages.supply_order() == ["1.0-1.5m", "1.5-2.0m", "ge_2.0m", "le_1.0m"]
    assert report.wages.demand_order()[0] == "1.0-1.5m"
    assert report.ages.supply_total == 3110
    row = occupations.row("machinery")
    assert row.rank_gap == row.supply_rank - row.demand_rank  # type: ignore[operator]
    assert "cleaning › security and parking" in occupations.explanation.reasons[0].en
    assert occupations.explanation.parameters[0].parameter_id == "matching.mismatch.occupation_groups"


def vacancy(n: int, low: int | None, high: int | None, openings: int = 1, wage: int | None = None) -> Vacancy:
    return Vacancy(
        vacancy_id=f"V{n}",
        employer_id="E1",
        occupation="5611",
        openings=openings,
        employment_type=EmploymentType.REGULAR,
        region_code="11140",
        posted_on=dt.date(2015, 3, 2),
        min_age=low,
        max_age=high,
        offered_wage=wage,
    )


def test_age_bands_rank_employers_preferences_as_jung_gu_reports_them() -> None:
    # seeds/000_743a0a447e219bca.txt#L611-612: 50대 > 60대 > 40대 > 10·20대 > 30대 > 70대
    wanted = {(50, 59): 8, (60, 64): 7, (40, 49): 6, (20, 29): 3, (30, 39): 2, (70, 75): 1}
    vacancies = [vacancy(n, low, high, openings=k) for n, ((low, high), k) in enumerate(wanted.items())]
    vacancies += [vacancy(99, None, None), vacancy(98, 55, None), vacancy(97, None, 25)]
    report = mismatch(Dataset(vacancies=vacancies), SYSTEM, as_of=DAY)
    ages = report.ages
    assert ages.demand_order() == ["50s", "60s", "40s", "10s-20s", "30s", "70s", "none"]
    assert ages.row("none").demand == 1
    # only a lower bound (55): middle of 55..120 is 87 -> 70s; only an upper bound (25): middle of 15..25 -> 10s-20s
    assert ages.row("70s").demand == 2 and ages.row("10s-20s").demand == 4
    assert ages.row("30s").demand_rank == ages.row("70s").demand_rank == 5
    assert ages.row("50s").supply_rank is None


def test_wage_bands_include_their_upper_bound_and_other() -> None:
    vacancies = [vacancy(1, None, None, wage=1_000_000), vacancy(2, None, None, wage=1_000_001)]
    vacancies += [
        vacancy(3, None, None, wage=1_999_999),
        vacancy(4, None, None, wage=2_000_000),
        vacancy(5, None, None),
    ]
    wages = mismatch(Dataset(vacancies=vacancies), SYSTEM, as_of=DAY).wages
    assert [(r.code, r.demand) for r in wages.rows] == [
        ("le_1.0m", 1),
        ("1.0-1.5m", 1),
        ("1.5-2.0m", 1),
        ("ge_2.0m", 1),
        ("other", 1),
    ]
    assert [r.demand_rank for r in wages.rows] == [1, 1, 1, 1, 1]


def placement(n: int, occupation: str | None, referral: bool, vacancy_id: str | None = None) -> Placement:
    return Placement(
        placement_id=f"P{n}",
        seeker_id=f"S{n}",
        employer_id="E1",
        start_date=dt.date(2020, 5, 4),
        employment_type=EmploymentType.REGULAR,
        occupation=occupation,
        via_referral=referral,
        vacancy_id=vacancy_id,
    )


def test_easy_match_share_against_the_national_figure() -> None:
    # seeds/001_9743a8cda015755e.txt#L85-86: care, security/cleaning, simple manufacturing = 49.1% (2020)
    placements = [
        placement(1, "5501", True),  # care
        placement(2, "5420", True),  # security
        placement(3, None, True, vacancy_id="V1"),  # cleaning, through its vacancy
        placement(4, "8900", False),  # simple manufacturing, not referred
        placement(5, "0295", True),
        placement(6, "6151", True),
        placement(7, "5623", False),  # parking is not in the easy-match list
        placement(8, None, True),  # occupation unknown: left out
    ]
    data = Dataset(vacancies=[vacancy(1, None, None)], placements=placements)
    easy = mismatch(data, SYSTEM, as_of=dt.date(2021, 1, 1)).easy_match
    assert (easy.placements, easy.known, easy.easy) == (8, 7, 4)
    assert easy.share == pytest.approx(4 / 7)
    assert easy.referral_share == pytest.approx(3 / 5)
    assert dict(easy.by_group) == {"care": 1, "security_cleaning": 2, "simple_manufacturing": 1}
    assert easy.reference == 0.491
    assert easy.explanation.parameter("matching.mismatch.easy_match_reference_share").value == 0.491
    assert mismatch(data, SYSTEM, as_of=dt.date(2019, 12, 31)).easy_match.reference is None
    assert mismatch(Dataset(), SYSTEM, as_of=DAY).easy_match.share is None


def test_published_tables_suppress_small_cells() -> None:
    seekers = [
        Seeker(seeker_id=f"S{n}", residence_code="11140", registered_on=DAY, desired_occupation=code)
        for n, code in enumerate(["5611"] * 7 + ["0295"] * 2)
    ]
    table = mismatch(Dataset(seekers=seekers), SYSTEM, as_of=DAY).occupations
    published = {r["code"]: r for r in table.published(5)}
    assert published["cleaning"]["supply"] == 7
    assert published["office"]["supply"] is None
    assert published["sales"]["supply"] == 0
    assert table.row("office").supply == 2
