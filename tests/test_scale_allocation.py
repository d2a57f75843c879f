"""Allocation within openings (hypothesis on small random instances).

* no method ever gives a vacancy more seekers than its openings, or a seeker two vacancies;
* the optimal total is at least the greedy total, and equals a brute-force maximum;
* the stable matching has no blocking pair, also when vacancies rank by other scores;
  with one common score it is the greedy allocation;
* the dense and the sparse optimal solvers agree.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.matching import allocation as alloc
from employkit.matching.allocation import allocate, blocking_pairs

FEW = settings(max_examples=60, deadline=None)


@st.composite
def instances(
    draw: st.DrawFn, max_seekers: int = 6, max_vacancies: int = 4
) -> tuple[list[int], list[int], list[float], list[int]]:
    n_s = draw(st.integers(1, max_seekers))
    n_v = draw(st.integers(1, max_vacancies))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n_s - 1), st.integers(0, n_v - 1)), min_size=1, max_size=n_s * n_v, unique=True
        )
    )
    # scores on a coarse grid: ties are common
    scores = draw(
        st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 0.6, 0.3]), min_size=len(pairs), max_size=len(pairs))
    )
    openings = draw(st.lists(st.integers(0, 3), min_size=n_v, max_size=n_v))
    return [p[0] for p in pairs], [p[1] for p in pairs], scores, openings


def _valid(result: alloc.Allocation, openings: list[int]) -> None:
    assert len(set(result.seeker.tolist())) == len(result)  # a seeker at most once
    assert (result.load(len(openings)) <= np.asarray(openings)).all()  # never over the openings


def _brute_force(s: list[int], v: list[int], w: list[float], openings: list[int]) -> float:
    best = 0.0
    edges = list(range(len(s)))
    for size in range(len(edges) + 1):
        for chosen in itertools.combinations(edges, size):
            seekers = [s[e] for e in chosen]
            if len(set(seekers)) < len(seekers):
                continue
            load = np.bincount([v[e] for e in chosen], minlength=len(openings))
            if (load <= np.asarray(openings)).all():
                best = max(best, sum(w[e] for e in chosen))
    return best


@FEW
@given(instances())
def test_allocations_respect_openings_and_optimal_beats_greedy(
    case: tuple[list[int], list[int], list[float], list[int]],
) -> None:
    s, v, w, openings = case
    results = {m: allocate(s, v, w, openings, method=m) for m in ("greedy", "stable", "optimal")}  # type: ignore[arg-type]
    for result in results.values():
        _valid(result, openings)
        chosen = set(zip(s, v, strict=True))
        assert set(result.pairs()) <= chosen  # only candidate pairs
    assert results["optimal"].total_score >= results["greedy"].total_score - 1e-9
    if len(s) <= 10:
        assert abs(results["optimal"].total_score - _brute_force(s, v, w, openings)) <= 1e-9


@FEW
@given(instances(max_seekers=8, max_vacancies=5), st.data())
def test_the_stable_matching_has_no_blocking_pair(
    case: tuple[list[int], list[int], list[float], list[int]], data: st.DataObject
) -> None:
    s, v, w, openings = case
    stable = allocate(s, v, w, openings, method="stable")
    assert blocking_pairs(stable, s, v, w, openings).size == 0
    # one common score: the unique stable matching is the greedy one
    assert stable.pairs() == allocate(s, v, w, openings, method="greedy").pairs()
    # vacancies with their own preferences
    own = data.draw(st.lists(st.floats(0, 1), min_size=len(s), max_size=len(s)))
    other = allocate(s, v, w, openings, method="stable", vacancy_scores=own)
    _valid(other, openings)
    assert blocking_pairs(other, s, v, w, openings, vacancy_scores=own).size == 0


def test_blocking_pairs_finds_an_unstable_allocation() -> None:
    s, v, w, openings = [0, 1], [0, 0], [0.5, 0.9], [1]
    bad = alloc.Allocation(method="hand", seeker=[0], vacancy=[0], score=[0.5])
    assert blocking_pairs(bad, s, v, w, openings).tolist() == [1]


@FEW
@given(instances(max_seekers=7, max_vacancies=4))
def test_dense_and_sparse_optimal_agree(case: tuple[list[int], list[int], list[float], list[int]]) -> None:
    s, v, w, openings = case
    dense = allocate(s, v, w, openings, method="optimal")
    saved = alloc.DENSE_CELLS
    alloc.DENSE_CELLS = 0
    try:
        sparse = allocate(s, v, w, openings, method="optimal")
    finally:
        alloc.DENSE_CELLS = saved
    _valid(sparse, openings)
    assert abs(dense.total_score - sparse.total_score) <= 1e-9


def test_a_vacancy_with_many_openings_takes_several_seekers() -> None:
    s, v, w, openings = [0, 1, 2, 2], [0, 0, 0, 1], [0.9, 0.8, 0.7, 0.6], [2, 1]
    result = allocate(s, v, w, openings, method="optimal")
    assert result.pairs() == [(0, 0), (1, 0), (2, 1)]
    assert result.load(2).tolist() == [2, 1]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        allocate([0, 0], [1, 1], [0.5, 0.4], [1, 1])
    with pytest.raises(ValueError, match="openings"):
        allocate([0], [3], [0.5], [1])
    with pytest.raises(ValueError, match="method"):
        allocate([0], [0], [0.5], [1], method="random")  # type: ignore[arg-type]


def test_without_scipy_the_optimal_method_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    with pytest.raises(alloc.AllocationUnavailable, match="employkit\\[scale\\]"):
        allocate([0], [0], [0.5], [1], method="optimal")
    assert allocate([0], [0], [0.5], [1], method="greedy").pairs() == [(0, 0)]
