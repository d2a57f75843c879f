"""Exact top-k by branch and bound: the true best ``k`` without scoring every pair.

The candidates (vacancies, or seekers for the other direction) are split into groups —
by default a province and a KECO middle group. For a chunk of queries,
:class:`~employkit.matching.bounds.GroupBounds` gives the bound of every (query, group);
each query visits its groups in order of bound, best first, in waves (1, 2, 4… groups
per query and wave), and a group's pairs are scored as dense numpy blocks. After each
wave a query's k-th best score is its threshold; a query stops as soon as its next
group's bound is below it — no pair left can enter its list. The result is the
exhaustive top-k of the same score function, ties broken by candidate index: the
scores are the same numbers (the same plan, element by element), and every candidate
never scored scores strictly less than the last one kept.

:func:`exact_top` is the search; :func:`recall_of` compares another engine's lists with
the exact ones (the figure the approximate blocked mode reports).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.matching.batch import DEFAULT_CHUNK_CELLS, top_k_rows
from employkit.matching.bounds import GroupBounds

__all__ = ["QUERY_CHUNK", "SEED_GROUPS", "Recall", "Search", "exact_top", "recall_of"]

#: Queries whose bounds are computed at once (a dense queries x groups array).
QUERY_CHUNK = 8192

#: At most this many groups, best bound first, are scored for a query before its threshold is read.
SEED_GROUPS = 4

#: ``score(queries, candidates)``: totals and eligibility, one row per query.
ScoreFn = Callable[[NDArray[np.intp], NDArray[np.intp]], tuple[NDArray[np.float64], NDArray[np.bool_]]]


@frozen(eq=False)
class Search:
    """What the exact search needs: the score function, the groups and their bounds.

    ``members[g]`` are the candidates of group ``g`` (ascending, filters applied).
    """

    score: ScoreFn
    members: Sequence[NDArray[np.intp]]
    bounds: GroupBounds


def _merge(
    best_i: NDArray[np.intp], best_t: NDArray[np.float64], idx: NDArray[np.intp], vals: NDArray[np.float64], k: int
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The best ``k`` per row of two ranked lists (value descending, index ascending)."""
    all_t = np.concatenate([best_t, vals], axis=1)
    all_i = np.concatenate([best_i, np.where(np.isfinite(vals), idx, -1)], axis=1)
    order = np.lexsort((np.where(all_i < 0, np.iinfo(np.intp).max, all_i), -all_t), axis=-1)[:, :k]
    return np.take_along_axis(all_i, order, axis=1), np.take_along_axis(all_t, order, axis=1)


def _score_group(
    search: Search,
    queries: NDArray[np.intp],
    cands: NDArray[np.intp],
    k: int,
    chunk_cells: int,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The best ``k`` of ``cands`` for each of ``queries`` (dense blocks of at most ``chunk_cells``)."""
    kk = min(k, cands.shape[0])
    out_i = np.full((queries.shape[0], kk), -1, dtype=np.intp)
    out_t = np.full((queries.shape[0], kk), -np.inf)
    width = max(1, chunk_cells)
    rows_step = max(1, width // max(cands.shape[0], 1))
    for lo in range(0, queries.shape[0], rows_step):
        rows = queries[lo : lo + rows_step]
        run_i = np.full((rows.shape[0], 0), -1, dtype=np.intp)
        run_t = np.full((rows.shape[0], 0), -np.inf)
        for c_lo in range(0, cands.shape[0], width):
            piece = cands[c_lo : c_lo + width]
            total, eligible = search.score(rows, piece)
            cols, vals = top_k_rows(np.where(eligible, total, -np.inf), kk)
            found = np.where(np.isfinite(vals), piece[cols], -1)
            run_i, run_t = _merge(run_i, run_t, found, vals, kk) if run_i.shape[1] else (found, vals)
        out_i[lo : lo + rows.shape[0], : run_i.shape[1]] = run_i
        out_t[lo : lo + rows.shape[0], : run_t.shape[1]] = run_t
    return out_i, out_t


def _score_wave(
    search: Search,
    queries: NDArray[np.intp],
    q_pos: NDArray[np.intp],
    groups: NDArray[np.intp],
    best: tuple[NDArray[np.intp], NDArray[np.float64]],
    k: int,
    chunk_cells: int,
    workers: int,
    tick: Callable[[int], object] | None,
) -> int:
    """Score the (query, group) pairs given, group by group, and merge into ``best``; the pairs scored."""
    if q_pos.size == 0:
        return 0
    order = np.argsort(groups, kind="stable")
    q_pos, groups = q_pos[order], groups[order]
    cuts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1], True])
    segments = [(q_pos[a:b], int(groups[a])) for a, b in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True)]

    def run(seg: tuple[NDArray[np.intp], int]) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        rows, g = seg
        found = _score_group(search, queries[rows], search.members[g], k, chunk_cells)
        if tick is not None:
            tick(rows.shape[0] * search.members[g].shape[0])
        return found

    if workers > 1 and len(segments) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            found = list(pool.map(run, segments))
    else:
        found = [run(seg) for seg in segments]
    best_i, best_t = best
    scored = 0
    for (rows, g), (f_i, f_t) in zip(segments, found, strict=True):  # one merge at a time: a query may be in two
        scored += rows.shape[0] * search.members[g].shape[0]
        if f_t.shape[1] == 0:
            continue
        better = f_t[:, 0] >= best_t[rows, k - 1]  # only these can change (a tie may, by index)
        if better.any():
            r = rows[better]
            best_i[r], best_t[r] = _merge(best_i[r], best_t[r], f_i[better], f_t[better], k)
    return scored


def exact_top(
    search: Search,
    queries: NDArray[np.intp],
    k: int,
    *,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    query_chunk: int = QUERY_CHUNK,
    workers: int = 1,
    tick: Callable[[int], object] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.float64], int]:
    """For each of ``queries``, the exact ``k`` best eligible candidates.

    Returns ``(candidates, totals, scored)``: arrays of shape ``(len(queries), k)``, best
    first, ties by candidate index, ``-1`` / ``-inf`` where a query has fewer than ``k``
    eligible candidates; and how many pairs were scored. ``workers`` threads score
    groups at once; ``tick`` is called with the pairs of each block scored.

    First each query scores its best groups by bound until they hold ``k`` candidates
    (at most :data:`SEED_GROUPS`); its k-th best is then a threshold, and only the
    groups whose bound reaches it are kept, best first. Later waves score 1, 2, 4…
    more of them per query, raising the threshold as they go, until no query has a
    group left whose bound reaches its k-th best.
    """
    n_q = queries.shape[0]
    best_i = np.full((n_q, k), -1, dtype=np.intp)
    best_t = np.full((n_q, k), -np.inf)
    sizes = np.array([m.shape[0] for m in search.members], dtype=np.int64)
    n_groups = search.bounds.n_groups
    if n_groups == 0 or n_q == 0:
        return best_i, best_t, 0
    empty = sizes == 0
    n_seed = min(SEED_GROUPS, n_groups)
    seed = np.empty((n_q, n_seed), dtype=np.intp)
    seed_ok = np.empty((n_q, n_seed), dtype=bool)
    for lo in range(0, n_q, query_chunk):
        bound = search.bounds.bound(queries[lo : lo + query_chunk])
        bound[:, empty] = -np.inf
        top = np.argpartition(-bound, n_seed - 1, axis=1)[:, :n_seed] if n_seed < n_groups else np.argsort(-bound, 1)
        top_b = np.take_along_axis(bound, top, axis=1)
        rank = np.argsort(-top_b, axis=1, kind="stable")
        top, top_b = np.take_along_axis(top, rank, axis=1), np.take_along_axis(top_b, rank, axis=1)
        before = np.cumsum(sizes[top], axis=1) - sizes[top]
        seed[lo : lo + top.shape[0]] = top
        seed_ok[lo : lo + top.shape[0]] = np.isfinite(top_b) & (before < k)
    q_pos, j = np.nonzero(seed_ok)
    best = (best_i, best_t)
    scored = _score_wave(search, queries, q_pos, seed[q_pos, j], best, k, chunk_cells, workers, tick)
    # the groups whose bound reaches each query's k-th best, best first
    lists_q: list[NDArray[np.intp]] = []
    lists_g: list[NDArray[np.intp]] = []
    lists_b: list[NDArray[np.float64]] = []
    for lo in range(0, n_q, query_chunk):
        part = queries[lo : lo + query_chunk]
        bound = search.bounds.bound(part)
        bound[:, empty] = -np.inf
        done_r, done_c = np.nonzero(seed_ok[lo : lo + part.shape[0]])
        bound[done_r, seed[lo + done_r, done_c]] = -np.inf  # scored already
        keep = np.isfinite(bound) & (bound >= best_t[lo : lo + part.shape[0], k - 1][:, None])
        qq, gg = np.nonzero(keep)
        lists_q.append(qq + lo)
        lists_g.append(gg)
        lists_b.append(bound[qq, gg])
    all_q = np.concatenate(lists_q)
    all_g = np.concatenate(lists_g)
    all_b = np.concatenate(lists_b)
    order = np.lexsort((all_g, -all_b, all_q))
    all_q, all_g, all_b = all_q[order], all_g[order], all_b[order]
    starts = np.searchsorted(all_q, np.arange(n_q + 1))
    pos = starts[:-1].copy()
    end = starts[1:]
    width = 1
    while True:
        active = np.flatnonzero(pos < end)
        if active.size == 0:
            break
        span = np.minimum(end[active] - pos[active], width)
        q_rep = np.repeat(active, span)
        idx = np.repeat(pos[active], span) + (np.arange(q_rep.shape[0]) - np.repeat(np.cumsum(span) - span, span))
        ok = all_b[idx] >= best_t[q_rep, k - 1]
        # a query stops at its first group below its threshold: later ones are lower still
        stop = np.zeros(n_q, dtype=bool)
        np.logical_or.at(stop, q_rep[~ok], True)
        pos[active] += span
        pos[stop] = end[stop]
        if ok.any():
            scored += _score_wave(search, queries, q_rep[ok], all_g[idx[ok]], best, k, chunk_cells, workers, tick)
        width *= 2
    return best_i, best_t, scored


@frozen(kw_only=True)
class Recall:
    """How much of the exact top-k an approximate engine returned, on a sample of queries.

    ``recall`` is the share of the exact lists' pairs (all sampled queries together) that
    the approximate lists hold; ``best_missed`` the share of queries whose exact best
    candidate is missing; ``kth_gap`` the mean of (exact k-th score − approximate k-th
    score) over queries with a full exact list (0 when the lists agree).
    """

    sample: int
    k: int
    seed: int
    recall: float
    best_missed: float
    kth_gap: float


def recall_of(
    approx: tuple[NDArray[np.intp], NDArray[np.float64]],
    exact: tuple[NDArray[np.intp], NDArray[np.float64]],
    *,
    k: int,
    seed: int,
) -> Recall:
    """Compare approximate lists with exact ones, row by row (same queries, ``(n, k)`` arrays)."""
    a_i, a_t = approx
    e_i, e_t = exact
    n = e_i.shape[0]
    hits = wanted = missed = 0
    gaps: list[float] = []
    for r in range(n):
        truth = e_i[r][e_i[r] >= 0]
        got = set(a_i[r][a_i[r] >= 0].tolist())
        wanted += truth.shape[0]
        hits += sum(1 for x in truth.tolist() if x in got)
        if truth.shape[0] and int(truth[0]) not in got:
            missed += 1
        if np.isfinite(e_t[r, k - 1]):
            last = a_t[r, k - 1] if a_t.shape[1] >= k and np.isfinite(a_t[r, k - 1]) else 0.0
            gaps.append(float(e_t[r, k - 1] - last))
    return Recall(
        sample=n,
        k=k,
        seed=seed,
        recall=hits / wanted if wanted else 1.0,
        best_missed=missed / n if n else 0.0,
        kth_gap=float(np.mean(gaps)) if gaps else 0.0,
    )
