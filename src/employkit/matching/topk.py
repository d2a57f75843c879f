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

from collections.abc import Callable

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.matching.batch import DEFAULT_CHUNK_CELLS
from employkit.matching.bounds import GroupBounds

__all__ = ["QUERY_CHUNK", "SEED_GROUPS", "Recall", "Search", "exact_top", "recall_of"]

#: Queries whose bounds are computed at once (a dense queries x groups array).
QUERY_CHUNK = 8192

#: The coarse groups, best bound first, whose fine groups seed a query's list before its threshold is read.
SEED_GROUPS = 2

#: Seeding scores fine groups until they hold this many times ``k`` candidates (a tighter first threshold).
SEED_FACTOR = 4

#: (query, coarse group) entries whose fine groups are expanded at once in a wave.
OPEN_SLICE = 1 << 16

#: At most this many coarse groups are opened per query and wave (1, 2, 4… up to this).
MAX_WIDTH = 8

#: ``score(queries, candidates)``: totals and eligibility of the pairs (queries[i], candidates[i]).
ScoreFn = Callable[[NDArray[np.intp], NDArray[np.intp]], tuple[NDArray[np.float64], NDArray[np.bool_]]]


@frozen(eq=False)
class Search:
    """What the exact search needs: the score function, the groups and their bounds.

    Candidates are in fine groups (``fine``: a district and a KECO minor group, say),
    each inside one coarse group (``parent``; ``coarse``: a province and a middle
    group). ``members`` lists the candidates of each fine group (ascending, filters
    applied) one group after the other, ``starts[g]`` where group ``g`` begins.
    ``score(queries, candidates)`` gives the totals and eligibility of the pairs
    ``(queries[i], candidates[i])``.
    """

    score: ScoreFn
    coarse: GroupBounds
    fine: GroupBounds
    parent: NDArray[np.intp]
    members: NDArray[np.intp]
    starts: NDArray[np.intp]

    @property
    def children(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The fine groups ordered by coarse group, and where each coarse group's begin."""
        order = np.argsort(self.parent, kind="stable").astype(np.intp)
        return order, np.searchsorted(self.parent[order], np.arange(self.coarse.n_groups + 1)).astype(np.intp)

    @classmethod
    def build(
        cls,
        score: ScoreFn,
        coarse: tuple[NDArray[np.intp], GroupBounds],
        fine: tuple[NDArray[np.intp], GroupBounds],
    ) -> Search:
        """From each candidate's coarse and fine group (``-1``: left out) and their bounds."""
        c_group, c_bounds = coarse
        f_group, f_bounds = fine
        parent = np.full(f_bounds.n_groups, -1, dtype=np.intp)
        parent[f_group[f_group >= 0]] = c_group[f_group >= 0]
        order = np.argsort(np.where(f_group >= 0, f_group, f_bounds.n_groups), kind="stable").astype(np.intp)
        starts = np.searchsorted(
            np.where(f_group >= 0, f_group, f_bounds.n_groups)[order], np.arange(f_bounds.n_groups + 1)
        )
        return cls(score, c_bounds, f_bounds, parent, order[: starts[-1]], starts.astype(np.intp))


def _merge_flat(
    best: tuple[NDArray[np.intp], NDArray[np.float64]],
    q: NDArray[np.intp],
    c: NDArray[np.intp],
    t: NDArray[np.float64],
    k: int,
) -> None:
    """Merge scored pairs (query position, candidate, total) into the running best ``k`` of each query."""
    best_i, best_t = best
    better = t >= best_t[q, k - 1]  # the k-th best may have risen since these were scored
    q, c, t = q[better], c[better], t[better]
    if q.size == 0:
        return
    rows = np.unique(q)
    old_i, old_t = best_i[rows], best_t[rows]
    keep = old_i >= 0
    all_q = np.concatenate([np.broadcast_to(rows[:, None], old_i.shape)[keep], q])
    all_c = np.concatenate([old_i[keep], c])
    all_t = np.concatenate([old_t[keep], t])
    order = np.lexsort((all_c, -all_t, all_q))
    all_q, all_c, all_t = all_q[order], all_c[order], all_t[order]
    first = np.searchsorted(all_q, rows)
    rank = np.arange(all_q.shape[0]) - np.repeat(first, np.diff(np.r_[first, all_q.shape[0]]))
    top = rank < k
    pos = np.searchsorted(rows, all_q[top])
    new_i = np.full((rows.shape[0], k), -1, dtype=np.intp)
    new_t = np.full((rows.shape[0], k), -np.inf)
    new_i[pos, rank[top]] = all_c[top]
    new_t[pos, rank[top]] = all_t[top]
    best_i[rows], best_t[rows] = new_i, new_t


def _expand(
    q: NDArray[np.intp], g: NDArray[np.intp], sizes: NDArray[np.int64], starts: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The (query position, candidate slot) of every pair of the (query, fine group) entries."""
    n = sizes[g]
    total = int(n.sum())
    q_rep = np.repeat(q, n)
    offset = np.arange(total, dtype=np.intp) - np.repeat(np.cumsum(n) - n, n)
    return q_rep, np.repeat(starts[g], n) + offset


def _score_entries(
    search: Search,
    queries: NDArray[np.intp],
    q: NDArray[np.intp],
    g: NDArray[np.intp],
    best: tuple[NDArray[np.intp], NDArray[np.float64]],
    k: int,
    chunk_cells: int,
    workers: int,
    tick: Callable[[int], object] | None,
) -> int:
    """Score every pair of the (query position, fine group) entries; merge those that can enter; the pairs scored."""
    sizes = np.diff(search.starts).astype(np.int64)
    n = sizes[g]
    cum = np.cumsum(n)
    total = int(cum[-1]) if cum.size else 0
    if total == 0:
        return 0
    cuts = np.searchsorted(cum, np.arange(chunk_cells, total, chunk_cells), side="left") + 1
    bounds = np.r_[0, cuts, g.shape[0]]
    pieces = [(a, b) for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True) if b > a]

    threshold = best[1][:, k - 1]

    def run(piece: tuple[int, int]) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64]]:
        a, b = piece
        q_rep, slot = _expand(q[a:b], g[a:b], sizes, search.starts)
        cand = search.members[slot]
        t, ok = search.score(queries[q_rep], cand)
        keep = ok & (t >= threshold[q_rep])  # below the k-th best (a tie may enter by index)
        if tick is not None:
            tick(q_rep.shape[0])
        return q_rep[keep], cand[keep], t[keep]

    # a few pieces at a time (one per worker), merged before the next: the thresholds rise as we go
    step = max(1, workers)
    for lo in range(0, len(pieces), step):
        batch = pieces[lo : lo + step]
        if len(batch) > 1:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(len(batch)) as pool:
                found = list(pool.map(run, batch))
        else:
            found = [run(p) for p in batch]
        _merge_flat(
            best,
            np.concatenate([f[0] for f in found]),
            np.concatenate([f[1] for f in found]),
            np.concatenate([f[2] for f in found]),
            k,
        )
    return total


def _fine_entries(
    search: Search, q: NDArray[np.intp], g1: NDArray[np.intp], queries: NDArray[np.intp]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32]]:
    """The fine groups of the (query position, coarse group) entries, with their bounds."""
    kids_order, kid_starts = search.children
    n = (kid_starts[g1 + 1] - kid_starts[g1]).astype(np.int64)
    q_rep = np.repeat(q, n)
    offset = np.arange(int(n.sum()), dtype=np.intp) - np.repeat(np.cumsum(n) - n, n)
    g2 = kids_order[np.repeat(kid_starts[g1], n) + offset]
    return q_rep, g2, search.fine.bound_pairs(queries[q_rep], g2)


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
    eligible candidates; and how many pairs were scored. ``workers`` threads score at
    once; ``tick`` is called with the pairs of each piece scored.

    Seeding: each query scores the fine groups of its :data:`SEED_GROUPS` best coarse
    groups, best fine bound first, until they hold :data:`SEED_FACTOR` x ``k`` candidates. Its k-th best is
    then a threshold: only the coarse groups whose bound reaches it are listed, best
    first. Waves open 1, 2, 4… (at most :data:`MAX_WIDTH`) more of them per query and
    score their fine groups whose bound reaches the threshold, raising it as they go,
    until no query has a group left whose bound reaches its k-th best.
    """
    n_q = queries.shape[0]
    best_i = np.full((n_q, k), -1, dtype=np.intp)
    best_t = np.full((n_q, k), -np.inf)
    best = (best_i, best_t)
    n1 = search.coarse.n_groups
    if n1 == 0 or n_q == 0 or search.members.size == 0:
        return best_i, best_t, 0
    f_sizes = np.diff(search.starts).astype(np.int64)
    c_sizes = np.bincount(search.parent[f_sizes > 0], weights=f_sizes[f_sizes > 0], minlength=n1)
    empty = c_sizes == 0
    n_seed = min(SEED_GROUPS, n1)
    scored = 0
    seeded_parts: list[NDArray[np.int64]] = []
    for lo in range(0, n_q, query_chunk):  # seeds scored chunk by chunk: memory stays bounded
        bound = search.coarse.bound(queries[lo : lo + query_chunk])
        bound[:, empty] = -np.inf
        top = np.argpartition(-bound, n_seed - 1, axis=1)[:, :n_seed] if n_seed < n1 else np.argsort(-bound, axis=1)
        finite = np.isfinite(np.take_along_axis(bound, top, axis=1))
        del bound
        r, j = np.nonzero(finite)
        q2, g2, b2 = _fine_entries(search, r + lo, top[r, j], queries)
        some = f_sizes[g2] > 0
        q2, g2, b2 = q2[some], g2[some], b2[some]
        order = np.lexsort((g2, -b2, q2))
        q2, g2, b2 = q2[order], g2[order], b2[order]
        before = np.cumsum(f_sizes[g2]) - f_sizes[g2]
        first = np.searchsorted(q2, q2)
        before -= before[first]
        take = np.isfinite(b2) & (before < SEED_FACTOR * k)
        scored += _score_entries(search, queries, q2[take], g2[take], best, k, chunk_cells, workers, tick)
        seeded_parts.append(q2[take].astype(np.int64) * search.fine.n_groups + g2[take])
    seeded = np.sort(np.concatenate(seeded_parts))
    del seeded_parts
    # the coarse groups whose bound reaches each query's k-th best, best first
    lists: list[tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32]]] = []
    for lo in range(0, n_q, query_chunk):
        part = queries[lo : lo + query_chunk]
        bound = search.coarse.bound(part)
        bound[:, empty] = -np.inf
        threshold = best_t[lo : lo + part.shape[0], k - 1]
        r, g1 = np.nonzero(np.isfinite(bound) & (bound >= threshold[:, None]))
        lists.append((r + lo, g1, bound[r, g1]))
    all_q = np.concatenate([x[0] for x in lists]).astype(np.int32)
    all_g = np.concatenate([x[1] for x in lists]).astype(np.int32)
    all_b = np.concatenate([x[2] for x in lists])
    del lists
    order = np.lexsort((all_g, -all_b, all_q))
    all_q, all_g, all_b = all_q[order], all_g[order], all_b[order]
    starts = np.searchsorted(all_q, np.arange(n_q + 1))
    pos = starts[:-1].copy()
    end = starts[1:]
    width = 1
    while True:
        # each query opens its next coarse groups (those still reaching its k-th best) ...
        active = np.flatnonzero(pos < end)
        if active.size == 0:
            break
        span = np.minimum(end[active] - pos[active], width)
        q_rep = np.repeat(active, span)
        idx = np.repeat(pos[active], span) + (np.arange(q_rep.shape[0]) - np.repeat(np.cumsum(span) - span, span))
        ok = all_b[idx] >= best_t[q_rep, k - 1]
        stop = np.zeros(n_q, dtype=bool)
        stop[q_rep[~ok]] = True  # later coarse groups are lower still
        pos[active] += span
        pos[stop] = end[stop]
        width = min(2 * width, MAX_WIDTH)
        if not ok.any():
            continue
        # ... and scores their fine groups whose bound reaches it, not scored yet (a slice at a time: memory)
        open_q, open_g = q_rep[ok], all_g[idx[ok]]
        for lo in range(0, open_q.shape[0], OPEN_SLICE):
            q2, g2, b2 = _fine_entries(search, open_q[lo : lo + OPEN_SLICE], open_g[lo : lo + OPEN_SLICE], queries)
            keep = (f_sizes[g2] > 0) & np.isfinite(b2) & (b2 >= best_t[q2, k - 1])
            q2, g2 = q2[keep], g2[keep]
            if seeded.size and q2.size:
                key = q2.astype(np.int64) * search.fine.n_groups + g2
                at = np.minimum(np.searchsorted(seeded, key), seeded.shape[0] - 1)
                fresh = seeded[at] != key
                q2, g2 = q2[fresh], g2[fresh]
            scored += _score_entries(search, queries, q2, g2, best, k, chunk_cells, workers, tick)
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
