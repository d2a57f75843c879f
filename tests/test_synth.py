"""The sample centre reproduces the Jung-gu 2015 figures; synthetic centres are seeded."""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.synth import (
    AGE_BANDS,
    JUNGGU_2015,
    OCCUPATIONS,
    WAGE_BANDS,
    apportion,
    build,
    sample_centre,
)
from employkit.synth_sampling import Deck, binomial


def _band(value: int, bands: dict[str, tuple[int, int]]) -> str:
    return next(name for name, (low, high) in bands.items() if low <= value <= high)


def test_sample_totals_are_the_junggu_2015_figures() -> None:
    data = sample_centre()
    assert len(data.seekers) == 3110
    assert len(data.employers) == 1302
    assert sum(v.openings for v in data.vacancies) == 2239
    assert len(data.placements) == 1095
    seekers = data.seekers_by_id
    residents = sum(seekers[p.seeker_id].residence_code == "11140" for p in data.placements)
    assert residents == 482
    assert round(residents / len(data.placements) * 100, 1) == 44.0
    assert round(len(data.placements) / len(data.seekers) * 100, 1) == 35.2  # employment rate
    assert data.centre is not None and data.centre.targets[2015] == 2300
    assert round(len(data.placements) / data.centre.targets[2015] * 100, 1) == 47.6


def test_sample_breakdowns_by_age_and_wage() -> None:
    data = sample_centre()
    seekers = data.seekers_by_id
    ages = Counter(_band(seekers[p.seeker_id].age_on(p.start_date) or 0, dict(AGE_BANDS)) for p in data.placements)
    assert ages == {"40-50s": 595, "60+": 361, "20-30s": 139}
    wages = Counter(_band(p.monthly_wage or 0, dict(WAGE_BANDS)) for p in data.placements)
    assert wages == {"1.0-1.5M": 581, "<=1.0M": 309, "1.5-2.0M": 181, ">=2.0M": 24}
    cleaning = sum(p.occupation == "5611" for p in data.placements)
    assert round(cleaning / len(data.placements) * 100) == 44


def test_sample_is_consistent() -> None:
    data = sample_centre()
    vacancies = data.vacancies_by_id
    assert len({s.seeker_id for s in data.seekers}) == 3110
    assert len({p.seeker_id for p in data.placements}) == 1095  # one placement each
    used = Counter(p.vacancy_id for p in data.placements)
    assert all(n <= vacancies[vid].openings for vid, n in used.items() if vid)
    assert all(p.employer_id == vacancies[p.vacancy_id].employer_id for p in data.placements if p.vacancy_id)
    assert all(p.start_date >= data.seekers_by_id[p.seeker_id].registered_on for p in data.placements)


def test_deterministic() -> None:
    assert build(JUNGGU_2015) == build(JUNGGU_2015)
    other = build(JUNGGU_2015.scaled(3110, 1302, seed=7))
    assert other != build(JUNGGU_2015)


@settings(max_examples=15, deadline=None)
@given(st.integers(200, 2000), st.integers(50, 600), st.integers(0, 10_000))
def test_scaled_centres_keep_the_shares(seekers: int, vacancies: int, seed: int) -> None:
    spec = JUNGGU_2015.scaled(seekers, vacancies, seed=seed)
    data = build(spec)
    assert len(data.seekers) == seekers and len(data.employers) == vacancies
    assert sum(v.openings for v in data.vacancies) == spec.openings
    expected = apportion(spec.placements, JUNGGU_2015.age_bands)
    seekers_by_id = data.seekers_by_id
    ages = Counter(
        _band(seekers_by_id[p.seeker_id].age_on(p.start_date) or 0, dict(AGE_BANDS)) for p in data.placements
    )
    assert ages == {k: v for k, v in expected.items() if v}


@given(st.integers(0, 100_000), st.dictionaries(st.text(min_size=1, max_size=3), st.integers(1, 1000), min_size=1))
def test_apportion_sums_to_total(total: int, weights: dict[str, int]) -> None:
    counts = apportion(total, weights)
    assert sum(counts.values()) == total
    share = sum(weights.values())
    assert all(abs(counts[k] - total * w / share) < 1 for k, w in weights.items())


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 1500), st.integers(1, 500), st.integers(0, 10_000))
def test_every_marginal_is_exact_and_placements_fit_the_openings(seekers: int, vacancies: int, seed: int) -> None:
    spec = JUNGGU_2015.scaled(seekers, vacancies, seed=seed)
    data = build(spec)
    assert len(data.placements) == spec.placements and len({p.seeker_id for p in data.placements}) == spec.placements
    wages = Counter(_band(p.monthly_wage or 0, dict(WAGE_BANDS)) for p in data.placements)
    assert wages == {k: v for k, v in apportion(spec.placements, JUNGGU_2015.wage_bands).items() if v}
    codes = Counter(p.occupation for p in data.placements)
    expected = apportion(spec.placements, JUNGGU_2015.placement_occupations)
    assert codes == {OCCUPATIONS[g]: n for g, n in expected.items() if n}
    seekers_by_id = data.seekers_by_id
    residents = sum(seekers_by_id[p.seeker_id].residence_code == spec.region_code for p in data.placements)
    assert residents == spec.resident_placements
    vacancies_by_id = data.vacancies_by_id
    used = Counter(p.vacancy_id for p in data.placements if p.vacancy_id)
    assert all(n <= vacancies_by_id[vid].openings for vid, n in used.items())
    assert all(vacancies_by_id[vid].occupation == p.occupation for p in data.placements if (vid := p.vacancy_id))
    # a placement goes without a vacancy only when its occupation's openings are all taken
    for p in data.placements:
        if p.vacancy_id is None:
            same = [v for v in data.vacancies if v.occupation == p.occupation]
            assert sum(v.openings for v in same) == sum(used[v.vacancy_id] for v in same)
    assert {e.employer_id for e in data.employers} == {f"E{i:07d}" for i in range(1, vacancies + 1)}
    assert all(p.employer_id in data.employers_by_id for p in data.placements)


def test_binomial_draws_are_exact_at_the_edges() -> None:
    rng = random.Random(1)
    assert binomial(rng, 0, 0.5) == 0 and binomial(rng, 7, 1.0) == 7 and binomial(rng, 7, 0.0) == 0
    draws = [binomial(rng, 1000, 0.002) for _ in range(4000)]
    # Binomial(1000, 0.002): mean np = 2, variance np(1 - p) = 1.996
    assert 1.9 < statistics.fmean(draws) < 2.1 and 1.8 < statistics.pvariance(draws) < 2.2
    # p > 1/2 goes through the mirrored branch; every value 0..n appears as often as the exact pmf says
    small = Counter(binomial(rng, 3, 0.7) for _ in range(4000))
    assert set(small) == {0, 1, 2, 3}
    for k, count in small.items():
        assert abs(count / 4000 - math.comb(3, k) * 0.7**k * 0.3 ** (3 - k)) < 0.03, (k, count)
    big = [binomial(rng, 100_000, 0.3) for _ in range(200)]
    assert 29_900 < sum(big) / len(big) < 30_100


def test_deck_deals_exact_counts() -> None:
    deck = Deck({"a": 3, "b": 0, "c": 2})
    rng = random.Random(5)
    assert sorted(deck.draw(rng) for _ in range(5)) == ["a", "a", "a", "c", "c"]
    with pytest.raises(IndexError):
        deck.draw(rng)
