"""Properties of matching on random seekers and vacancies (hypothesis).

* every total and component value lies in [0, 1];
* improving one component's input never lowers the total;
* a missing input scores exactly as the same pair with that component removed;
* one pair scored alone (tables of one row) is a row of the batch: the same totals (to
  1e-9; to the bit without coordinates) and gates, the same explanations, and the
  batch's top-k equals sorting the one-pair scores (ties by input order).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.matching import BatchScorer, Matcher
from employkit.model import EmploymentType, Intake, Seeker, Vacancy
from employkit.testing import config_from_toml, make_system

DAY = dt.date(2016, 6, 1)
SYSTEM = make_system()
MATCHER = Matcher(SYSTEM, DAY)
AGE_MATCHER = Matcher(make_system(config=config_from_toml("[matching]\nuse_age = true\n")), DAY)
FEW = settings(max_examples=40, deadline=None)

OCCUPATIONS = ["5611", "5612", "5623", "5420", "542", "5501", "5616", "0295", "6151", "890", "81"]
REGIONS = ["11140", "11110", "11", "44130", "4413010100", "52710"]
SKILLS = ["엑셀", "forklift", "운전", "영어", "요리"]
CERTS = ["요양보호사", "지게차운전기능사", "조리사"]
TYPES = list(EmploymentType)

coords: st.SearchStrategy[dict[str, float]] = st.one_of(
    st.just({}),
    st.fixed_dictionaries(
        {"latitude": st.floats(37.0, 38.0), "longitude": st.floats(126.5, 127.5)},
    ),
)


@st.composite
def seekers(draw: st.DrawFn, n: int = 0) -> Seeker:
    return Seeker(
        seeker_id=f"S{n}-{draw(st.integers(0, 999))}",
        residence_code=draw(st.sampled_from(REGIONS)),
        registered_on=dt.date(2016, 1, 4),
        birth_year=draw(st.none() | st.integers(1940, 2000)),
        desired_occupation=draw(st.none() | st.sampled_from(OCCUPATIONS)),
        desired_wage=draw(st.none() | st.integers(0, 3_000_000)),
        desired_hours=draw(st.none() | st.sampled_from([15.0, 20.0, 30.0, 40.0, 52.0])),
        employment_types=draw(st.frozensets(st.sampled_from(TYPES), max_size=3)),
        intake=Intake(mobile=draw(st.none() | st.booleans())),
        skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=3)),
        certificates=draw(st.frozensets(st.sampled_from(CERTS), max_size=2)),
        extra=draw(coords),
    )


@st.composite
def vacancies(draw: st.DrawFn, n: int = 0) -> Vacancy:
    low = draw(st.none() | st.integers(18, 60))
    high = draw(st.none() | st.integers(low or 18, 75))
    optional = draw(st.lists(st.sampled_from(SKILLS), max_size=2))
    extra = {**draw(coords), **({"optional_skills": ";".join(optional)} if optional else {})}
    return Vacancy(
        vacancy_id=f"V{n}-{draw(st.integers(0, 999))}",
        employer_id="E1",
        occupation=draw(st.sampled_from([o for o in OCCUPATIONS])),
        openings=1,
        employment_type=draw(st.sampled_from(TYPES)),
        region_code=draw(st.sampled_from(REGIONS)),
        posted_on=dt.date(2016, 1, 4),
        offered_wage=draw(st.none() | st.integers(0, 3_000_000)),
        hours_per_week=draw(st.none() | st.sampled_from([15.0, 20.0, 30.0, 40.0, 52.0])),
        min_age=low,
        max_age=high,
        required_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        required_certificates=draw(st.frozensets(st.sampled_from(CERTS), max_size=1)),
        extra=extra,
    )


@FEW
@given(seekers(), vacancies(), st.booleans())
def test_scores_lie_in_the_unit_interval(s: Seeker, v: Vacancy, use_age: bool) -> None:
    r = (AGE_MATCHER if use_age else MATCHER).score(s, v)
    assert 0.0 <= r.total <= 1.0
    assert all(0.0 <= c.value <= 1.0 for c in r.components)
    assert abs(sum(c.contribution for c in r.components) - r.total) < 1e-9
    assert r.eligible == (not any(c.gate for c in r.components))


def _improve(kind: str, s: Seeker, v: Vacancy, data: st.DataObject) -> tuple[Seeker, Vacancy] | None:
    """A pair where one component's input is better, or ``None`` when that input cannot improve."""
    if kind == "wage" and v.offered_wage is not None:
        return s, evolve(v, offered_wage=v.offered_wage + data.draw(st.integers(1, 1_000_000)))
    if kind == "occupation" and s.desired_occupation is not None:
        return s, evolve(v, occupation=s.desired_occupation)
    if kind == "region":
        return s, evolve(v, region_code=s.residence_code)
    if kind == "coordinates" and "latitude" in s.extra and "latitude" in v.extra:
        return s, evolve(v, extra={**v.extra, "latitude": s.extra["latitude"], "longitude": s.extra["longitude"]})
    if kind == "mobility" and s.intake.mobile is not True:
        return evolve(s, intake=Intake(mobile=True)), v
    if kind == "hours" and s.desired_hours is not None and v.hours_per_week is not None:
        return s, evolve(v, hours_per_week=s.desired_hours)
    if kind == "type" and s.employment_types:
        return evolve(s, employment_types=s.employment_types | {v.employment_type}), v
    if kind == "skill" and s.skills:
        return evolve(s, skills=s.skills | {data.draw(st.sampled_from(SKILLS))}), v
    if kind == "certificate" and s.certificates:
        return evolve(s, certificates=s.certificates | {data.draw(st.sampled_from(CERTS))}), v
    if kind == "age" and s.birth_year is not None and (v.min_age is not None or v.max_age is not None):
        inside = v.min_age if v.min_age is not None else v.max_age
        assert inside is not None
        return evolve(s, birth_year=DAY.year - inside, birth_date=None), v
    return None


IMPROVEMENTS = [
    "wage",
    "occupation",
    "region",
    "coordinates",
    "mobility",
    "hours",
    "type",
    "skill",
    "certificate",
    "age",
]


@FEW
@given(seekers(), vacancies(), st.sampled_from(IMPROVEMENTS), st.booleans(), st.data())
def test_improving_one_input_never_lowers_the_total(
    s: Seeker, v: Vacancy, kind: str, use_age: bool, data: st.DataObject
) -> None:
    matcher = AGE_MATCHER if use_age else MATCHER
    better = _improve(kind, s, v, data)
    if better is None:
        return
    before, after = matcher.score(s, v), matcher.score(*better)
    assert after.total >= before.total
    if kind in ("type", "certificate"):
        assert len(after.gates) <= len(before.gates)  # never adds a gate failure


BLANKS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "wage": ({"desired_wage": None}, {}),
    "occupation": ({"desired_occupation": None}, {}),
    "hours": ({"desired_hours": None, "employment_types": frozenset()}, {}),
    "skills": ({}, {"required_skills": frozenset(), "required_certificates": frozenset(), "extra": {}}),
    "age": ({"birth_year": None}, {}),
}


@FEW
@given(seekers(), vacancies(), st.sampled_from(sorted(BLANKS)), st.booleans())
def test_missing_data_equals_the_pair_without_the_component(s: Seeker, v: Vacancy, key: str, use_age: bool) -> None:
    s_blank, v_blank = BLANKS[key]
    s2, v2 = evolve(s, **s_blank), evolve(v, **v_blank)
    matcher = AGE_MATCHER if use_age else MATCHER
    with_missing = matcher.score(s2, v2)
    removed = Matcher(matcher.system, DAY, exclude=[key]).score(s2, v2)
    assert with_missing.component(key).missing
    assert with_missing.total >= removed.total
    assert with_missing.total == removed.total


@FEW
@given(
    st.lists(seekers(), min_size=1, max_size=6),
    st.lists(vacancies(), min_size=1, max_size=6),
    st.integers(1, 40),
    st.booleans(),
)
def test_batch_equals_one_pair_scoring(ss: list[Seeker], vs: list[Vacancy], chunk: int, use_age: bool) -> None:
    matcher = AGE_MATCHER if use_age else MATCHER
    batch = BatchScorer(matcher, ss, vs, chunk_cells=chunk)
    totals, eligible = batch.scores()
    single = np.array([[matcher.score(s, v).total for v in vs] for s in ss])
    gates = np.array([[matcher.score(s, v).eligible for v in vs] for s in ss])
    assert np.abs(totals - single).max() <= 1e-9
    assert (eligible == gates).all()
    si, vi = np.nonzero(np.ones_like(totals, dtype=bool))
    pair_totals, pair_eligible = batch.score_pairs(si, vi)
    assert np.abs(pair_totals - single[si, vi]).max() <= 1e-9
    assert (pair_eligible == gates[si, vi]).all()
    by_vacancy = np.zeros_like(totals)
    for lo in range(len(vs)):
        block, _ = batch.block(lo, lo + 1, "seekers")
        by_vacancy[:, lo] = block[0]
    assert np.abs(by_vacancy - single).max() <= 1e-9


@FEW
@given(st.lists(seekers(), min_size=1, max_size=4), st.lists(vacancies(), min_size=1, max_size=4), st.booleans())
def test_one_pair_alone_is_explained_as_its_row_of_the_batch(
    ss: list[Seeker], vs: list[Vacancy], use_age: bool
) -> None:
    # without coordinates every number is the same to the bit, so the texts are too
    ss = [evolve(s, extra={}) for s in ss]
    vs = [evolve(v, extra={k: x for k, x in v.extra.items() if k not in ("latitude", "longitude")}) for v in vs]
    matcher = AGE_MATCHER if use_age else MATCHER
    si, vi = (a.reshape(-1) for a in np.indices((len(ss), len(vs))))
    explained = BatchScorer(matcher, ss, vs).explain(si, vi)
    for r, i, j in zip(explained, si.tolist(), vi.tolist(), strict=True):
        assert r == matcher.score(ss[i], vs[j])


@FEW
@given(
    st.lists(seekers(), min_size=1, max_size=5),
    st.lists(vacancies(), min_size=1, max_size=8),
    st.integers(1, 5),
)
def test_batch_top_k_equals_sorting_one_pair_scores(ss: list[Seeker], vs: list[Vacancy], k: int) -> None:
    # without coordinates the two paths agree bit for bit, so even ties must come out the same
    ss = [evolve(s, extra={}) for s in ss]
    vs = [evolve(v, extra={}) for v in vs]
    batch = BatchScorer(MATCHER, ss, vs, chunk_cells=7)
    top = batch.top_vacancies(k)
    for i, s in enumerate(ss):
        scored = [(MATCHER.score(s, v), j) for j, v in enumerate(vs)]
        expected = [j for r, j in sorted(scored, key=lambda p: (-p[0].total, p[1])) if r.eligible][:k]
        mine = top.query == i
        assert top.candidate[mine].tolist() == expected
        assert top.rank[mine].tolist() == list(range(1, len(expected) + 1))
    back = batch.top_seekers(k)
    for j, v in enumerate(vs):
        scored = [(MATCHER.score(s, v), i) for i, s in enumerate(ss)]
        expected = [i for r, i in sorted(scored, key=lambda p: (-p[0].total, p[1])) if r.eligible][:k]
        assert back.candidate[back.query == j].tolist() == expected
    results = batch.results(top)
    assert [r.total for r in results] == top.total.tolist()
