"""Employer profiling: the five national types, the recruitment package, job-discovery targets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from employkit.errors import RuleNotFound
from employkit.model import Employer, EmploymentType, Level, Vacancy
from employkit.national.profiling import ENTERPRISE_RECRUITMENT_PACKAGE, TARGETS_ID
from employkit.profiling.api import classify_employer, profile_employers
from employkit.rules import RuleSystem
from employkit.testing import make_system

DAY = dt.date(2021, 9, 1)
H, M, L = Level.HIGH, Level.MID, Level.LOW


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return make_system()


def firm(employees: int = 50, **kw: Any) -> Employer:
    kw.setdefault("industry", "26")
    return Employer(employer_id=kw.pop("employer_id", "E1"), employees=employees, region_code="11140", **kw)


def vacancy(occupation: str) -> Vacancy:
    return Vacancy(
        vacancy_id="V1",
        employer_id="E1",
        occupation=occupation,
        openings=2,
        employment_type=EmploymentType.REGULAR,
        region_code="11140",
        posted_on=DAY,
    )


@pytest.mark.parametrize(
    ("employer", "vac", "code", "level", "stage1", "stage2"),
    [
        (
            firm(200, wage_level=M, welfare_level=M, recognition=M),
            vacancy("5611"),
            "online_notification",
            1,
            ["auto_alerts"],
            ["seeker_referral"],
        ),
        (
            firm(80, wage_level=M, welfare_level=M, recognition=M),
            None,
            "talent_support",
            2,
            ["ai_recommendation"],
            ["seeker_discovery", "expectation_adjustment"],
        ),
        (
            firm(900, wage_level=H, welfare_level=H, recognition=H),
            None,
            "large_scale_hiring",
            3,
            ["recruitment_on_behalf", "hiring_events"],
            [],
        ),
        (
            firm(60, wage_level=M, welfare_level=M, recognition=L),
            None,
            "awareness_expansion",
            4,
            ["seeker_referral", "recruitment_on_behalf", "hiring_events"],
            ["expectation_adjustment", "condition_negotiation"],
        ),
        (
            firm(12, wage_level=L, welfare_level=L, recognition=L),
            None,
            "condition_improvement",
            5,
            [s.code for step in ENTERPRISE_RECRUITMENT_PACKAGE for s in step.services],
            [],
        ),
    ],
)
def test_one_employer_per_national_type(
    system: RuleSystem,
    employer: Employer,
    vac: Vacancy | None,
    code: str,
    level: int,
    stage1: list[str],
    stage2: list[str],
) -> None:
    p = classify_employer(employer, system, DAY, vacancy=vac)
    assert p.segment is not None and p.segment.code == code
    assert p.intervention_level == level
    assert [s.code for s in p.segment.pathway] == stage1
    assert [s.code for s in p.stage2] == stage2
    assert p.explanation.rule_id == "profiling.employer.national" and p.explanation.reasons


def test_recruitment_package_steps() -> None:
    assert [s.code for s in ENTERPRISE_RECRUITMENT_PACKAGE] == ["diagnose", "improve", "recruit"]
    assert ENTERPRISE_RECRUITMENT_PACKAGE[0].label.ko == "진단"
    assert "ersp.infrastructure" in [s.code for s in ENTERPRISE_RECRUITMENT_PACKAGE[1].services]


def test_small_firm_threshold_is_thirty(system: RuleSystem) -> None:
    small = classify_employer(firm(29, wage_level=L, welfare_level=L, recognition=L), system, DAY)
    large = classify_employer(firm(30, wage_level=L, welfare_level=L, recognition=L), system, DAY)
    assert small.segment is not None and small.segment.code == "condition_improvement"
    assert large.segment is not None and large.segment.code == "condition_improvement"  # nearest profile
    assert "employees (<30)" in small.explanation.reasons[0].en
    assert small.explanation.parameter("profiling.employer.national.small_firm_employees").value == 30
    mid = classify_employer(firm(30, wage_level=L, welfare_level=M, recognition=M), system, DAY)
    assert mid.segment is not None and mid.segment.code == "talent_support"


def test_small_firm_with_mixed_traits_goes_to_counsellor_review(system: RuleSystem) -> None:
    # low wage, but high welfare and recognised: the plan's 고용여건개선형 is 임금下·복지下·인지도下
    # (seeds/001#L420-L424); it does not settle this case
    mixed = firm(12, wage_level=L, welfare_level=H, recognition=H)
    p = classify_employer(mixed, system, DAY)
    assert p.segment is not None and p.segment.code == "counsellor_review"
    assert p.intervention_level is None
    assert "needs counsellor review" in p.explanation.reasons[-1].en
    assert p.explanation.parameter("profiling.employer.national.small_firm_mixed").value == "review"
    # the former assumption is a dated option a centre switches on
    assumed = system.with_parameters(
        {"profiling.employer.national.small_firm_mixed": "condition_improvement"}, since=dt.date(2021, 7, 1)
    )
    q = classify_employer(mixed, assumed, DAY)
    assert q.segment is not None and q.segment.code == "condition_improvement"
    assert "assumption" in q.explanation.reasons[-1].en


def test_a_potential_client_can_become_a_priority_support_firm(system: RuleSystem) -> None:
    # seeds/001#L316-L317: 잠재고객기업 일자리도 집중 채용지원이 필요하다고 판단되는 경우 중점지원기업
    from employkit.national.profiling import TARGETS_ID

    plain = firm(40, uses_job_board=False, industry="620")
    judged = firm(40, uses_job_board=False, industry="620", extra={"intensive_support_needed": "Y"})
    assert classify_employer(plain, system, DAY, typology_id=TARGETS_ID).segment.code == "potential_client"  # type: ignore[union-attr]
    p = classify_employer(judged, system, DAY, typology_id=TARGETS_ID)
    assert p.segment is not None and p.segment.code == "priority_support"
    assert "L316-L317" in p.explanation.reasons[-1].en


def test_uniform_industry_without_a_vacancy(system: RuleSystem) -> None:
    p = classify_employer(firm(40, industry="8711"), system, DAY)  # a care facility (요양보호기관)
    assert p.segment is not None and p.segment.code == "online_notification"


def test_missing_levels_are_named(system: RuleSystem) -> None:
    p = classify_employer(firm(40, wage_level=M), system, DAY)
    assert p.segment is None and p.missing == ("welfare_level", "recognition")
    p = classify_employer(firm(40, industry=None, wage_level=M, welfare_level=M, recognition=M), system, DAY)
    assert p.missing == ("industry",)


def test_employer_typology_starts_july_2021(system: RuleSystem) -> None:
    with pytest.raises(RuleNotFound, match="in force on 2021-06-30"):
        classify_employer(firm(40, wage_level=M, welfare_level=M, recognition=M), system, dt.date(2021, 6, 30))


@pytest.mark.parametrize(
    ("kw", "vac", "segment", "mention"),
    [
        (dict(uses_job_board=False, industry="620"), None, "potential_client", "18.4"),  # ICT
        (dict(uses_job_board=False, industry="49"), None, "potential_client", "39.8"),  # transport
        (dict(uses_job_board=False, industry=None), vacancy("6211"), "potential_client", "38.0"),  # driving
        (dict(uses_job_board=False, industry="10"), None, "not_targeted", ""),
        (dict(uses_job_board=True, extra={"strong_sme": "Y"}), None, "priority_support", "strong_sme"),
        (
            dict(uses_job_board=True, wage_level=M, welfare_level=M, recognition=L),
            None,
            "priority_support",
            "awareness",
        ),
        (dict(uses_job_board=True, wage_level=H, welfare_level=H, recognition=H), None, "not_targeted", ""),
    ],
)
def test_target_selection(
    system: RuleSystem, kw: dict[str, Any], vac: Vacancy | None, segment: str, mention: str
) -> None:
    p = classify_employer(firm(60, **kw), system, DAY, TARGETS_ID, vacancy=vac)
    assert p.segment is not None and p.segment.code == segment
    assert mention in p.explanation.reasons[0].en


def test_target_selection_needs_job_board_use(system: RuleSystem) -> None:
    p = classify_employer(firm(60), system, DAY, TARGETS_ID)
    assert p.segment is None and p.missing == ("uses_job_board",)
    p = classify_employer(firm(60, uses_job_board=True), system, DAY, TARGETS_ID)
    assert p.missing == ("wage_level", "welfare_level", "recognition")


def test_profile_employers_of_the_sample(system: RuleSystem) -> None:
    from employkit.synth import sample_centre

    data = sample_centre()
    firms = profile_employers(data, system, DAY)
    assert len(firms) == 1302 and sum(firms.summary().values()) == 1302
    jobs = profile_employers(data, system, DAY, by_vacancy=True)
    assert len(jobs) == len(data.vacancies)
    # cleaning and security vacancies are online-notification jobs
    assert jobs.summary()["online_notification"] > 0
    assert all(r["vacancy_id"] for r in jobs.to_rows())
