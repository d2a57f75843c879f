"""Synthetic centres carry the facts programme eligibility reads (employkit.synth_programmes)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import attrs
import employkit_guro
import pytest

from employkit.dataset import Dataset
from employkit.programmes import evaluate_centre
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, SynthSpec, build, sample_centre
from employkit.synth_programmes import BENEFIT_DAYS, MAX_INSURED_DAYS, PAID_SUPPORT_DAYS, PROGRAMME_START
from employkit.testing import make_system

START, END = dt.date(2019, 1, 1), dt.date(2021, 12, 31)
SPEC = JUNGGU_2015.scaled(4_000, 1_600, seed=11).over(START, END)

SEEKER_FACTS = ("unemployed_since", "insured_days", "involuntary_leaving", "regular_income")
EMPLOYER_FACTS = ("sme", "special_industry", "paid_support_days_left")


@pytest.fixture(scope="module")
def centre() -> Dataset:
    return build(SPEC)


def _without_facts(data: Dataset) -> Dataset:
    seekers = tuple(
        attrs.evolve(s, **dict.fromkeys(SEEKER_FACTS), employment_support_participant=None) for s in data.seekers
    )
    employers = tuple(attrs.evolve(e, **dict.fromkeys(EMPLOYER_FACTS)) for e in data.employers)
    return attrs.evolve(data, seekers=seekers, employers=employers)


def test_the_facts_are_seeded(centre: Dataset) -> None:
    assert build(SPEC) == centre
    other = build(attrs.evolve(SPEC, seed=12))
    assert [s.insured_days for s in other.seekers[:200]] != [s.insured_days for s in centre.seekers[:200]]


def test_drawing_the_facts_changes_no_other_record(centre: Dataset) -> None:
    plain = build(attrs.evolve(SPEC, programme_facts=False))
    assert all(getattr(s, f) is None for s in plain.seekers for f in SEEKER_FACTS)
    assert _without_facts(centre) == _without_facts(plain)
    assert centre.placements == plain.placements and centre.followups == plain.followups


def test_the_sample_keeps_its_records_without_the_facts() -> None:
    sample = sample_centre()
    assert not JUNGGU_2015.draws_programme_facts and SPEC.draws_programme_facts
    assert all(getattr(s, f) is None for s in sample.seekers for f in SEEKER_FACTS)
    assert all(getattr(e, f) is None for e in sample.employers for f in EMPLOYER_FACTS)
    # forced on, the legacy dating gets them too
    forced = build(attrs.evolve(JUNGGU_2015.scaled(600, 300), programme_facts=True))
    assert all(s.insured_days is not None for s in forced.seekers)


def test_seeker_facts_are_plausible(centre: Dataset) -> None:
    seekers = centre.seekers
    n = len(seekers)
    employed = [s for s in seekers if s.unemployed_since is None]
    assert 0.04 < len(employed) / n < 0.14  # 8% job-changers, plus no re-registration
    assert all(s.regular_income and s.involuntary_leaving is False for s in employed)
    unemployed = [s for s in seekers if s.unemployed_since is not None]
    assert all(s.unemployed_since <= s.registered_on for s in unemployed)  # type: ignore[operator]
    gaps = sorted((s.registered_on - s.unemployed_since).days for s in unemployed)  # type: ignore[operator]
    assert 20 <= gaps[len(gaps) // 2] <= 120  # median gap: about 40 days (mean 60, career breaks longer)
    insured = [s.insured_days for s in seekers]
    assert all(d is not None and 0 <= d <= MAX_INSURED_DAYS for d in insured)
    none = sum(d == 0 for d in insured) / n
    assert 0.1 < none < 0.4
    # who has no insured days has no insured job to have left
    first = [s for s in unemployed if not s.seeker_id.endswith("R1")]
    assert all(s.involuntary_leaving is None for s in first if s.insured_days == 0)
    left = [s.involuntary_leaving for s in unemployed if s.insured_days]
    assert 0.45 < sum(bool(x) for x in left) / len(left) < 0.75
    older = [s.regular_income for s in unemployed if s.age_on(s.registered_on) >= 60 and "low_income" not in _g(s)]
    younger = [s.regular_income for s in unemployed if s.age_on(s.registered_on) < 60 and "low_income" not in _g(s)]
    assert sum(bool(x) for x in older) / len(older) > 3 * sum(bool(x) for x in younger) / len(younger)
    assert not any(s.regular_income for s in unemployed if "low_income" in _g(s))


def _g(s: object) -> set[str]:
    return {g.code for g in s.groups}  # type: ignore[attr-defined]


def test_participation_starts_in_2021_at_about_half_the_benefit_eligible(centre: Dataset) -> None:
    before = [s for s in centre.seekers if s.registered_on < PROGRAMME_START]
    assert before and not any(s.employment_support_participant for s in before)
    recent = [s for s in centre.seekers if s.registered_on >= PROGRAMME_START]
    participants = sum(bool(s.employment_support_participant) for s in recent)
    benefit = sum(bool(s.involuntary_leaving) and (s.insured_days or 0) >= BENEFIT_DAYS for s in recent)
    # the plan: 640,000 participants in 2021 (L26) against 1,372,000 new benefit claimants in 2020 (L15)
    assert 0.25 < participants / benefit < 0.8
    assert all(s.employment_support_participant is not None for s in centre.seekers)


def test_a_re_registration_is_unemployed_from_the_day_the_job_ended(centre: Dataset) -> None:
    placements = {p.seeker_id: p for p in centre.placements}
    again = [s for s in centre.seekers if s.seeker_id.endswith("R1")]
    assert again
    for s in again:
        p = placements[s.seeker_id[:-2]]
        assert s.unemployed_since == p.ended_on
        assert s.insured_days == min(MAX_INSURED_DAYS, (p.ended_on - p.start_date).days * 6 // 7)  # type: ignore[operator]
        if p.contract_end is not None and p.ended_on == p.contract_end + dt.timedelta(days=1):
            assert s.involuntary_leaving is True


def test_employer_facts_are_plausible(centre: Dataset) -> None:
    firms = centre.employers
    sme = sum(bool(e.sme) for e in firms) / len(firms)
    assert 0.9 < sme < 0.995
    assert not any(e.sme for e in firms if e.employees >= 300)
    hotels = [e.special_industry for e in firms if e.industry == "55"]
    others = [e.special_industry for e in firms if e.industry != "55"]
    assert 0.25 < sum(bool(x) for x in hotels) / len(hotels) < 0.55
    assert sum(bool(x) for x in others) / len(others) < 0.04
    left = [e.paid_support_days_left for e in firms]
    assert all(d is not None and 0 <= d <= PAID_SUPPORT_DAYS for d in left)
    used = Counter(d < PAID_SUPPORT_DAYS for d in left if d is not None)
    assert 0.2 < used[True] / len(firms) < 0.4


def _statuses(data: Dataset, system: RuleSystem, as_of: dt.date) -> dict[str, dict[str, int]]:
    return {row["programme"]: row["status"] for row in evaluate_centre(data, system, as_of).summary()}


def test_eligibility_on_a_synthetic_centre_is_a_mix_with_few_missing(centre: Dataset) -> None:
    statuses = _statuses(centre, RuleSystem.build(), dt.date(2021, 8, 4))
    assert len(statuses) == 6
    for programme, status in statuses.items():
        total = sum(status.values())
        assert status["eligible"] > 0 and status["not_eligible"] > 0, programme
        assert status["missing"] <= 0.1 * total, (programme, status)
    assert statuses["programmes.national.employment_support_routing"]["review"] > 0


def test_guro_public_work_on_a_synthetic_guro_centre() -> None:
    spec = attrs.evolve(JUNGGU_2015.scaled(1_500, 600, seed=3).over(START, END), region_code="11530")
    data = build(spec)
    system = make_system(employkit_guro, region="11530")
    result = next(r for r in evaluate_centre(data, system, dt.date(2021, 8, 4)).summary() if "guro" in r["programme"])
    status, total = result["status"], result["subjects"]
    # about 42% live in Guro; most of them are unemployed or have no regular income
    assert result["outcomes"]["not_resident"] > total / 2
    assert 0.3 * total < status["eligible"] < 0.5 * total
    # only resident job-changers (a regular income, no unemployment start) leave a fact missing
    assert 0 < status["missing"] <= 0.06 * total


def test_a_spec_without_a_period_draws_no_facts_by_default() -> None:
    spec = SynthSpec(seekers=20, employers=5, openings=6, placements=5, resident_placements=2)
    assert not spec.draws_programme_facts
    assert spec.over(START, END).draws_programme_facts
