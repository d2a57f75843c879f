"""Capacity-aware allocation: each seeker to at most one vacancy, each vacancy to its openings.

Ranking gives every seeker a list; allocation decides who is referred where when a
vacancy has ``openings`` places (구인인원) and many seekers rank it first. Three methods
work on the same candidate pairs (for instance the top-30 lists of
:class:`~employkit.matching.blocking.BlockedScorer`, exact by default: the true best
candidates of each seeker, not only those inside a block) with their scores:

* ``greedy`` — the baseline: pairs in order of score (ties: seeker, then vacancy
  index), each taken if the seeker is free and the vacancy has a place left;
* ``stable`` — seeker-proposing deferred acceptance (Gale–Shapley with capacities):
  seekers propose down their lists (higher score first), each vacancy holds the best
  proposals up to its openings. No seeker and vacancy would both rather be matched to
  each other than keep what they have (no blocking pair). The vacancy side may rank by
  its own scores (``vacancy_scores``). When both sides rank by the same score the stable
  matching is unique and equals the greedy one;
* ``optimal`` — the largest total score: each connected block of the candidate graph is
  a rectangular assignment problem on a capacity-expanded matrix (a vacancy with ``c``
  openings is ``c`` columns), solved by :func:`scipy.optimize.linear_sum_assignment`
  (dense, small blocks) or :func:`scipy.sparse.csgraph.min_weight_full_bipartite_matching`
  (sparse, large blocks). Needs the ``scale`` extra (scipy).

Every method respects the openings, and the optimal total is at least the greedy one.
Only the pairs given are considered: a pair outside the candidate lists is never
allocated.

>>> import numpy as np
>>> seeker = np.array([0, 0, 1, 2])
>>> vacancy = np.array([0, 1, 0, 0])
>>> score = np.array([0.9, 0.8, 0.85, 0.3])
>>> openings = np.array([1, 1])
>>> g = allocate(seeker, vacancy, score, openings, method="greedy")
>>> g.pairs(), round(g.total_score, 2)
([(0, 0)], 0.9)
>>> o = allocate(seeker, vacancy, score, openings, method="optimal")
>>> o.pairs(), round(o.total_score, 2)
([(0, 1), (1, 0)], 1.65)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.errors import EmploykitError, InvalidArgument

__all__ = ["METHODS", "Allocation", "AllocationUnavailable", "allocate", "blocking_pairs"]

Method = Literal["optimal", "stable", "greedy"]

#: The allocation methods, in the order the CLI lists them.
METHODS: tuple[str, ...] = ("optimal", "stable", "greedy")

#: Blocks up to this many (seekers × places) cells use the dense solver.
DENSE_CELLS = 1 << 21

INSTALL_HINT = "pip install 'employkit[scale]'"


class AllocationUnavailable(EmploykitError):
    """The optimal allocation needs scipy, which is not installed."""


def _intp(value: Any) -> NDArray[np.intp]:
    return np.asarray(value, dtype=np.intp)


def _float(value: Any) -> NDArray[np.float64]:
    return np.asarray(value, dtype=np.float64)


@frozen(kw_only=True, eq=False)
class Allocation:
    """The pairs allocated, ordered by seeker: ``seeker[i]`` goes to ``vacancy[i]`` with ``score[i]``."""

    method: str
    seeker: NDArray[np.intp] = field(converter=_intp)
    vacancy: NDArray[np.intp] = field(converter=_intp)
    score: NDArray[np.float64] = field(converter=_float)

    def __len__(self) -> int:
        return int(self.seeker.shape[0])

    @property
    def total_score(self) -> float:
        """The sum of the allocated pairs' scores."""
        return float(self.score.sum())

    def load(self, n_vacancies: int) -> NDArray[np.intp]:
        """How many seekers each vacancy receives."""
        return np.bincount(self.vacancy, minlength=n_vacancies).astype(np.intp)

    def pairs(self) -> list[tuple[int, int]]:
        """``(seeker, vacancy)`` of each allocated pair."""
        return list(zip(self.seeker.tolist(), self.vacancy.tolist(), strict=True))


def _check(
    seeker: Sequence[int] | NDArray[Any],
    vacancy: Sequence[int] | NDArray[Any],
    score: Sequence[float] | NDArray[Any],
    openings: Sequence[int] | NDArray[Any],
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.intp]]:
    s, v, w, cap = _intp(seeker), _intp(vacancy), _float(score), _intp(openings)
    if not (s.ndim == v.ndim == w.ndim == 1 and s.shape == v.shape == w.shape):
        raise InvalidArgument("seeker, vacancy and score must be one-dimensional and of the same length")
    if s.size and (s.min() < 0 or v.min() < 0 or v.max() >= cap.shape[0]):
        raise InvalidArgument("indexes must be >= 0 and every vacancy must have an entry in openings")
    if (cap < 0).any():
        raise InvalidArgument("openings must not be negative")
    if not np.isfinite(w).all() or (w < 0).any():
        raise InvalidArgument("scores must be finite and >= 0")
    if s.size:
        key = s.astype(np.int64) * (int(v.max()) + 1) + v
        if np.unique(key).shape[0] != key.shape[0]:
            raise InvalidArgument("a (seeker, vacancy) pair is given twice")
    return s, v, w, cap


def _result(
    method: str, s: NDArray[np.intp], v: NDArray[np.intp], w: NDArray[np.float64], chosen: NDArray[Any]
) -> Allocation:
    idx = np.asarray(chosen, dtype=np.intp)
    idx = idx[np.lexsort((v[idx], s[idx]))]
    return Allocation(method=method, seeker=s[idx], vacancy=v[idx], score=w[idx])


def _greedy(
    s: NDArray[np.intp], v: NDArray[np.intp], w: NDArray[np.float64], cap: NDArray[np.intp]
) -> NDArray[np.intp]:
    order = np.lexsort((v, s, -w))
    left = cap.copy()
    taken: set[int] = set()
    chosen: list[int] = []
    s_list, v_list = s.tolist(), v.tolist()
    for e in order.tolist():
        si, vi = s_list[e], v_list[e]
        if si in taken or left[vi] <= 0:
            continue
        taken.add(si)
        left[vi] -= 1
        chosen.append(e)
    return np.asarray(chosen, dtype=np.intp)


def _stable(
    s: NDArray[np.intp], v: NDArray[np.intp], w: NDArray[np.float64], wv: NDArray[np.float64], cap: NDArray[np.intp]
) -> NDArray[np.intp]:
    """Seeker-proposing deferred acceptance, every free seeker proposing at once each round."""
    n_e = s.shape[0]
    if n_e == 0:
        return np.zeros(0, dtype=np.intp)
    order = np.lexsort((v, -w, s))  # each seeker's edges, best first
    s_sorted = s[order]
    n_s = int(s.max()) + 1
    start = np.searchsorted(s_sorted, np.arange(n_s), side="left")
    end = np.searchsorted(s_sorted, np.arange(n_s), side="right")
    pointer = start.copy()
    # the vacancy's preference: higher vacancy score, then smaller seeker index
    v_rank = np.empty(n_e, dtype=np.int64)
    v_rank[np.lexsort((s, -wv, v))] = np.arange(n_e)
    held = np.zeros(0, dtype=np.intp)
    free = np.unique(s)
    while True:
        free = free[pointer[free] < end[free]]
        if free.size == 0:
            break
        proposals = order[pointer[free]]
        pointer[free] += 1
        touched = np.zeros(cap.shape[0], dtype=bool)
        touched[v[proposals]] = True
        mine = touched[v[held]]
        pool = np.concatenate([held[mine], proposals])
        pool = pool[np.argsort(v_rank[pool], kind="stable")]  # by vacancy, then the vacancy's preference
        pv = v[pool]
        first = np.r_[True, pv[1:] != pv[:-1]]
        begin = np.maximum.accumulate(np.where(first, np.arange(pool.size), 0))
        keep = (np.arange(pool.size) - begin) < cap[pv]
        held = np.concatenate([held[~mine], pool[keep]])
        free = s[pool[~keep]]
    return held


def _optimal(
    s: NDArray[np.intp], v: NDArray[np.intp], w: NDArray[np.float64], cap: NDArray[np.intp]
) -> NDArray[np.intp]:
    try:
        from scipy.optimize import linear_sum_assignment
        from scipy.sparse import coo_array
        from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching
    except ImportError:
        raise AllocationUnavailable(f"the optimal allocation needs scipy: {INSTALL_HINT}") from None
    live = np.flatnonzero(cap[v] > 0)
    if live.size == 0:
        return np.zeros(0, dtype=np.intp)
    s_ids, s_loc = np.unique(s[live], return_inverse=True)
    v_ids, v_loc = np.unique(v[live], return_inverse=True)
    n_s, n_v = s_ids.size, v_ids.size
    graph = coo_array((np.ones(live.size), (s_loc, n_s + v_loc)), shape=(n_s + n_v, n_s + n_v))
    _, label = connected_components(graph, directed=False)
    chosen: list[NDArray[np.intp]] = []
    block_of_edge = label[s_loc]
    order = np.argsort(block_of_edge, kind="stable")
    bounds = np.flatnonzero(np.r_[True, block_of_edge[order][1:] != block_of_edge[order][:-1], True])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        edges = live[order[a:b]]
        chosen.append(
            _solve_block(edges, s, v, w, cap, linear_sum_assignment, coo_array, min_weight_full_bipartite_matching)
        )
    return np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.intp)


def _solve_block(
    edges: NDArray[np.intp],
    s: NDArray[np.intp],
    v: NDArray[np.intp],
    w: NDArray[np.float64],
    cap: NDArray[np.intp],
    linear_sum_assignment: Any,
    coo_array: Any,
    sparse_matching: Any,
) -> NDArray[np.intp]:
    """The largest-total assignment of one connected block (edge indexes chosen)."""
    bs, rows = np.unique(s[edges], return_inverse=True)
    bv, vcol = np.unique(v[edges], return_inverse=True)
    degree = np.bincount(vcol, minlength=bv.size)
    places = np.minimum(cap[bv], degree)  # a vacancy never needs more places than candidates
    offset = np.r_[0, np.cumsum(places)[:-1]]
    n_rows, n_cols = bs.size, int(places.sum())
    # expand: edge e -> one column per place of its vacancy
    reps = places[vcol]
    e_rep = np.repeat(np.arange(edges.size), reps)
    col = offset[vcol][e_rep] + (np.arange(e_rep.size) - np.repeat(np.r_[0, np.cumsum(reps)[:-1]], reps))
    row = rows[e_rep]
    weight = w[edges][e_rep]
    if n_rows * n_cols <= DENSE_CELLS:
        matrix = np.full((n_rows, n_cols), -1.0)  # not a candidate: never chosen over leaving a place empty
        matrix[row, col] = weight
        full = np.zeros((n_rows, n_cols + n_rows))  # one "no vacancy" column per seeker, worth 0
        full[:, :n_cols] = matrix
        r, c = linear_sum_assignment(full, maximize=True)
    else:
        # costs 2 - score in [1, 2] (no zero weights); "no vacancy" costs 2 (a score of 0)
        dummy_rows = np.arange(n_rows)
        data = np.r_[2.0 - weight, np.full(n_rows, 2.0)]
        graph = coo_array(
            (data, (np.r_[row, dummy_rows], np.r_[col, n_cols + dummy_rows])), shape=(n_rows, n_cols + n_rows)
        ).tocsr()
        r, c = sparse_matching(graph)
    real = c < n_cols
    r, c = r[real], c[real]
    # back from (row, place column) to the edge
    place_vacancy = np.repeat(np.arange(bv.size), places)[c]
    lookup = {(int(a), int(b)): int(e) for a, b, e in zip(rows.tolist(), vcol.tolist(), edges.tolist(), strict=True)}
    picked = [lookup.get((int(a), int(b)), -1) for a, b in zip(r.tolist(), place_vacancy.tolist(), strict=True)]
    return np.asarray([e for e in picked if e >= 0], dtype=np.intp)


def allocate(
    seeker: Sequence[int] | NDArray[Any],
    vacancy: Sequence[int] | NDArray[Any],
    score: Sequence[float] | NDArray[Any],
    openings: Sequence[int] | NDArray[Any],
    *,
    method: Method = "optimal",
    vacancy_scores: Sequence[float] | NDArray[Any] | None = None,
) -> Allocation:
    """Allocate seekers to vacancies over the candidate pairs ``(seeker[i], vacancy[i])``.

    ``score[i]`` (>= 0) is the pair's score; ``openings[j]`` the places of vacancy ``j``.
    ``method`` is ``"optimal"``, ``"stable"`` or ``"greedy"`` (see the module);
    ``vacancy_scores`` lets vacancies rank seekers by other scores in the stable method.
    Raises :class:`ValueError` for malformed input and :class:`AllocationUnavailable`
    when the optimal method lacks scipy.
    """
    s, v, w, cap = _check(seeker, vacancy, score, openings)
    if method == "greedy":
        chosen = _greedy(s, v, w, cap)
    elif method == "stable":
        wv = w if vacancy_scores is None else _float(vacancy_scores)
        if wv.shape != w.shape:
            raise InvalidArgument("vacancy_scores must have one entry per pair")
        chosen = _stable(s, v, w, wv, cap)
    elif method == "optimal":
        chosen = _optimal(s, v, w, cap)
    else:
        raise InvalidArgument(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    return _result(method, s, v, w, chosen)


def blocking_pairs(
    allocation: Allocation,
    seeker: Sequence[int] | NDArray[Any],
    vacancy: Sequence[int] | NDArray[Any],
    score: Sequence[float] | NDArray[Any],
    openings: Sequence[int] | NDArray[Any],
    *,
    vacancy_scores: Sequence[float] | NDArray[Any] | None = None,
) -> NDArray[np.intp]:
    """The candidate pairs that block ``allocation`` (empty when it is stable).

    A pair ``(s, v)`` blocks when ``s`` prefers ``v`` to what it has (or has nothing)
    and ``v`` has a free place or prefers ``s`` to one of the seekers it holds.
    Preferences: seekers by score (ties: smaller vacancy index), vacancies by
    ``vacancy_scores`` (default the scores; ties: smaller seeker index).
    """
    s, v, w, cap = _check(seeker, vacancy, score, openings)
    wv = w if vacancy_scores is None else _float(vacancy_scores)
    n_s = int(max(int(s.max(initial=-1)), int(allocation.seeker.max(initial=-1)))) + 1
    # the seeker's current match as (score, -vacancy): larger is better; none = (-inf, 0)
    have_w = np.full(n_s, -np.inf)
    have_v = np.zeros(n_s, dtype=np.intp)
    have_w[allocation.seeker] = allocation.score
    have_v[allocation.seeker] = allocation.vacancy
    s_prefers = (w > have_w[s]) | ((w == have_w[s]) & (v < have_v[s]))
    # the vacancy's worst held seeker as (vacancy score, -seeker)
    load = allocation.load(cap.shape[0])
    key = {(int(a), int(b)): float(x) for a, b, x in zip(s.tolist(), v.tolist(), wv.tolist(), strict=True)}
    worst_w = np.full(cap.shape[0], np.inf)
    worst_s = np.full(cap.shape[0], -1, dtype=np.intp)
    for a, b in allocation.pairs():
        x = key.get((a, b), -np.inf)
        if x < worst_w[b] or (x == worst_w[b] and a > worst_s[b]):
            worst_w[b], worst_s[b] = x, a
    v_prefers = (load[v] < cap[v]) | (wv > worst_w[v]) | ((wv == worst_w[v]) & (s < worst_s[v]))
    matched = np.zeros(s.shape[0], dtype=bool)
    pairs = set(allocation.pairs())
    matched[:] = [(a, b) in pairs for a, b in zip(s.tolist(), v.tolist(), strict=True)]
    return np.flatnonzero(s_prefers & v_prefers & ~matched).astype(np.intp)
