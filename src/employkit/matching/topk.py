"""Exact top-k by branch and bound: the true best ``k`` without scoring every pair.

The candidates (vacancies, or seekers for the other direction) are split into groups —
by default a province and a KECO middle group (*coarse*), each split by district and
KECO minor group (*fine*); :class:`~employkit.matching.bounds.GroupBounds` bounds the
score of every (query, group). Queries are taken in **blocks** of similar queries (the
same coarse key — province, middle group and mobility for seekers — then the same fine
key), and a block is searched as a whole with dense numpy arrays:

1. the bounds of every member against every coarse group (one ``members × groups``
   array);
2. coarse groups are opened best first (by the largest bound of any member), their
   fine groups' bounds computed (``members × fine groups``) and kept while some member's
   bound reaches that member's k-th best score;
3. the pending fine groups with the best bounds are scored as one dense block
   (``members × their vacancies``, the plan's arithmetic), the best ``k`` of each row
   selected (:func:`~employkit.matching.batch.top_k_rows`) and merged with the member's
   list; the k-th best scores rise;
4. the block is done when no member has a pending fine group or an unopened coarse
   group whose bound reaches its k-th best.

Every candidate never scored is in a group whose bound — an upper bound of every total
in it, plus a margin — is below the member's final k-th best, so it scores strictly
less than the last item kept: the lists are the exhaustive top-k of the same score
function, ties broken by candidate index (the scores are the same numbers, the plan's
arithmetic element by element). Which groups a block opens, and in which order, decides
only how much is scored, never what is returned.

:func:`exact_top` is the search; :func:`recall_of` compares another engine's lists with
the exact ones (the figure the approximate blocked mode reports).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.matching.batch import DEFAULT_CHUNK_CELLS, top_k_rows
from employkit.matching.bounds import GroupBounds
from employkit.matching.workers import can_fork, forked_map

__all__ = ["BLOCK_QUERIES", "BlockFn", "Recall", "Search", "exact_top", "recall_of"]

#: Queries searched together at most (a block: its members share groups, bounds and dense scoring).
BLOCK_QUERIES = 256

#: Candidates a block scores in its first step (to find its first k-th best scores); doubles after.
FIRST_WIDTH = 1024

#: Coarse groups a block opens at most in one step (1, 2, 4… up to this).
MAX_OPEN = 16

#: Candidates a block scores at most in one step (fewer: less scored for the members that need few).
MAX_WIDTH = 4096

#: A step is scored as one dense block when it scores at most this many times the pairs its members need.
DENSE_SLACK = 1.5

#: ``pairs(queries, candidates)``: totals and eligibility of the pairs ``(queries[i], candidates[i])``.
ScoreFn = Callable[[NDArray[np.intp], NDArray[np.intp]], tuple[NDArray[np.float64], NDArray[np.bool_]]]

#: ``block(queries, candidates)``: totals and eligibility of every pair, ``(len(queries), len(candidates))``.
BlockFn = Callable[[NDArray[np.intp], NDArray[np.intp]], tuple[NDArray[np.float64], NDArray[np.bool_]]]


@frozen(eq=False)
class Search:
    """What the exact search needs: the score function, the groups and their bounds.

    Candidates are in fine groups (``fine``: a district and a KECO minor group, say),
    each inside one coarse group (``parent``; ``coarse``: a province and a middle
    group). ``members`` lists the candidates of each fine group (ascending, filters
    applied) one group after the other, ``starts[g]`` where group ``g`` begins.
    ``block(queries, candidates)`` gives the totals and eligibility of every pair of
    the queries and candidates given, ``pairs(queries, candidates)`` those of the pairs
    ``(queries[i], candidates[i])`` (the same numbers; the two arrays broadcast).
    ``query_key`` (``(n_queries, 2)``: a coarse and a fine key per query, or ``None``)
    puts similar queries in the same block: blocks hold queries of one coarse key,
    ordered by the fine one.
    """

    block: BlockFn
    pairs: ScoreFn
    coarse: GroupBounds
    fine: GroupBounds
    parent: NDArray[np.intp]
    members: NDArray[np.intp]
    starts: NDArray[np.intp]
    query_key: NDArray[np.int64] | None = None

    @property
    def children(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """The fine groups ordered by coarse group, and where each coarse group's begin."""
        order = np.argsort(self.parent, kind="stable").astype(np.intp)
        return order, np.searchsorted(self.parent[order], np.arange(self.coarse.n_groups + 1)).astype(np.intp)

    @classmethod
    def build(
        cls,
        block: BlockFn,
        pairs: ScoreFn,
        coarse: tuple[NDArray[np.intp], GroupBounds],
        fine: tuple[NDArray[np.intp], GroupBounds],
        query_key: NDArray[np.int64] | None = None,
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
        return cls(block, pairs, c_bounds, f_bounds, parent, order[: starts[-1]], starts.astype(np.intp), query_key)


def _ranked(vals: NDArray[np.float64], idx: NDArray[np.intp], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Per row, the ``k`` best (value descending, index ascending) of the given entries."""
    order = np.lexsort((idx, -vals), axis=-1)[..., :k]
    return np.take_along_axis(idx, order, axis=-1), np.take_along_axis(vals, order, axis=-1)


@frozen(eq=False)
class _Layout:
    """The search's groups as arrays a block reads (computed once per search)."""

    f_sizes: NDArray[np.int64]
    empty: NDArray[np.bool_]
    kids: NDArray[np.intp]
    kid_starts: NDArray[np.intp]

    @classmethod
    def of(cls, search: Search) -> _Layout:
        f_sizes = np.diff(search.starts).astype(np.int64)
        n1 = search.coarse.n_groups
        some = (f_sizes > 0) & (search.parent >= 0)
        c_sizes = np.bincount(search.parent[some], weights=f_sizes[some], minlength=n1)
        kids, kid_starts = search.children
        return cls(f_sizes, c_sizes == 0, kids, kid_starts)


def _reach(bound: NDArray[np.float32], threshold: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Where a member's bound reaches its k-th best (``threshold``, at least :data:`_NO_PAIR`)."""
    result: NDArray[np.bool_] = bound >= threshold[:, None]
    return result


#: Below every total (totals are >= 0), above the bound of a group with no eligible pair (-inf).
_NO_PAIR = -0.5


def _search_block(
    search: Search, layout: _Layout, rows: NDArray[np.intp], k: int, chunk_cells: int
) -> tuple[NDArray[np.intp], NDArray[np.float64], int]:
    """The exact best ``k`` of the queries ``rows`` (a block), and the pairs scored."""
    m = rows.shape[0]
    best_i = np.full((m, k), -1, dtype=np.intp)
    best_t = np.full((m, k), -np.inf)
    coarse = search.coarse.bound(rows)
    q_rows = search.fine.query_rows(rows)  # each table read once per distinct row of the block
    coarse[:, layout.empty] = -np.inf
    c_ids = np.arange(search.coarse.n_groups, dtype=np.intp)  # the coarse groups not opened yet
    pend_g = np.zeros(0, dtype=np.intp)
    pend_b = np.zeros((m, 0), dtype=np.float32)
    width = FIRST_WIDTH
    n_open = 1
    scored = 0
    most = max(FIRST_WIDTH, min(MAX_WIDTH, chunk_cells // max(m, 1)))
    stale = True  # the k-th best scores rose since the arrays below were filtered (or nothing filtered yet)
    while True:
        if stale:
            threshold = np.maximum(best_t[:, k - 1], _NO_PAIR)
            need_c = _reach(coarse, threshold)
            some = need_c.any(axis=0)
            if not some.all():  # a coarse group no member needs now is never needed again: drop it
                coarse, c_ids, need_c = coarse[:, some], c_ids[some], need_c[:, some]
            c_best = np.where(need_c, coarse, -np.inf).max(axis=0)
            if pend_g.size:
                reach = _reach(pend_b, threshold)
                keep = reach.any(axis=0)
                pend_g, pend_b, reach = pend_g[keep], pend_b[:, keep], reach[:, keep]
                p_best = np.where(reach, pend_b, -np.inf).max(axis=0)
            else:
                p_best = np.zeros(0, dtype=np.float32)
            stale = False
        top_pending = float(p_best.max()) if p_best.size else -np.inf
        # open the coarse groups that may hold better candidates than any pending fine group
        wanted = np.flatnonzero(c_best >= top_pending)
        if wanted.size == 0 and pend_g.size == 0:
            break
        if wanted.size:
            wanted = wanted[np.argsort(-c_best[wanted], kind="stable")[:n_open]]
            n_open = min(2 * n_open, MAX_OPEN)
            who = np.flatnonzero(need_c[:, wanted].any(axis=1))  # the members that need one of them
            opening = c_ids[wanted]
            left = np.ones(c_ids.shape[0], dtype=bool)
            left[wanted] = False
            coarse, c_ids, need_c, c_best = coarse[:, left], c_ids[left], need_c[:, left], c_best[left]
            n = layout.kid_starts[opening + 1] - layout.kid_starts[opening]
            offset = np.arange(int(n.sum()), dtype=np.intp) - np.repeat(np.cumsum(n) - n, n)
            g2 = layout.kids[np.repeat(layout.kid_starts[opening], n) + offset]
            g2 = g2[layout.f_sizes[g2] > 0]
            # bounds only for the members that need one of these coarse groups (the others: -inf)
            b2 = np.full((m, g2.shape[0]), -np.inf, dtype=np.float32)
            b2[who] = search.fine.bound_members(q_rows, who, g2)
            reach2 = _reach(b2, threshold)
            keep2 = reach2.any(axis=0)
            b2 = b2[:, keep2]
            pend_g = np.concatenate([pend_g, g2[keep2]])
            pend_b = np.concatenate([pend_b, b2], axis=1)
            p_best = np.concatenate([p_best, np.where(reach2[:, keep2], b2, -np.inf).max(axis=0, initial=-np.inf)])
            continue  # look again (the same k-th bests): more coarse groups may beat the best pending fine group
        # score the pending fine groups with the best bounds, up to ``width`` candidates
        order = np.argsort(-p_best, kind="stable")
        sizes = layout.f_sizes[pend_g[order]]
        take = int(np.searchsorted(np.cumsum(sizes), width, side="left")) + 1
        chosen, rest = order[:take], order[take:]
        groups = pend_g[chosen]
        need = _reach(pend_b[:, chosen], threshold)
        who = np.flatnonzero(need.any(axis=1))  # the members that need one of them
        need = need[who]
        pend_g, pend_b, p_best = pend_g[rest], pend_b[:, rest], p_best[rest]
        stale = True
        width = min(2 * width, most)
        n = layout.f_sizes[groups]
        wanted_pairs = int((need @ n).sum())
        if who.shape[0] * int(n.sum()) <= DENSE_SLACK * wanted_pairs:
            # most members need most of these groups: one dense block
            offset = np.arange(int(n.sum()), dtype=np.intp) - np.repeat(np.cumsum(n) - n, n)
            cols = np.sort(search.members[np.repeat(search.starts[groups], n) + offset])
            step = max(1, chunk_cells // max(who.shape[0], 1))
            for lo in range(0, cols.shape[0], step):
                part = cols[lo : lo + step]
                total, eligible = search.block(rows[who], part)
                _take(best_i, best_t, who, np.where(eligible, total, -np.inf), part, k)
                scored += who.shape[0] * part.shape[0]
        else:
            # each member its own groups: a ragged block, one row per member, padded
            scored += _score_ragged(search, rows, who, need, groups, n, best_i, best_t, k, chunk_cells)
    best_i[~np.isfinite(best_t)] = -1
    return best_i, best_t, scored


def _merge(
    best_i: NDArray[np.intp],
    best_t: NDArray[np.float64],
    who: NDArray[np.intp],
    found: NDArray[np.intp],
    vals: NDArray[np.float64],
    k: int,
) -> None:
    """Merge the best ``k`` found for the members ``who`` into their lists (in place)."""
    merged_i, merged_t = _ranked(
        np.concatenate([best_t[who], vals], axis=1), np.concatenate([best_i[who], found], axis=1), k
    )
    best_i[who, : merged_i.shape[1]] = merged_i
    best_t[who, : merged_t.shape[1]] = merged_t


def _take(
    best_i: NDArray[np.intp],
    best_t: NDArray[np.float64],
    who: NDArray[np.intp],
    key: NDArray[np.float64],
    cand: NDArray[np.intp],
    k: int,
) -> None:
    """Merge the scored ``key`` (rows: members ``who``; ``-inf``: not eligible) into their lists.

    ``cand`` gives the candidate of each column (one row for all, or one per member),
    ascending along a row, so the order of columns breaks ties by index. Only the
    entries reaching a member's k-th best can enter: when they are few (the usual case
    once the lists are full) they are merged directly, else the best ``k`` of each row
    are selected first (:func:`~employkit.matching.batch.top_k_rows`).
    """
    threshold = np.maximum(best_t[who, k - 1], _NO_PAIR)
    hit = key >= threshold[:, None]
    counts = hit.sum(axis=1)
    width = int(counts.max(initial=0))
    if width == 0:
        return
    if width > 4 * k:
        cols, vals = top_k_rows(key, k)
        found = np.take_along_axis(cand, cols, axis=1) if cand.ndim == 2 else cand[cols]
        _merge(best_i, best_t, who, np.where(np.isfinite(vals), found, -1), vals, k)
        return
    r, c = np.nonzero(hit)
    pos = np.arange(r.shape[0]) - np.repeat(np.cumsum(counts) - counts, counts)
    vals = np.full((who.shape[0], width), -np.inf)
    found = np.full((who.shape[0], width), -1, dtype=np.intp)
    vals[r, pos] = key[r, c]
    found[r, pos] = cand[r, c] if cand.ndim == 2 else cand[c]
    _merge(best_i, best_t, who, found, vals, k)


def _score_ragged(
    search: Search,
    rows: NDArray[np.intp],
    who: NDArray[np.intp],
    need: NDArray[np.bool_],
    groups: NDArray[np.intp],
    sizes: NDArray[np.int64],
    best_i: NDArray[np.intp],
    best_t: NDArray[np.float64],
    k: int,
    chunk_cells: int,
) -> int:
    """Score each member of ``who`` against the groups it needs only; merge; the pairs scored (padding included)."""
    lengths = need @ sizes
    order = np.argsort(lengths, kind="stable")  # members of like lengths together: little padding
    scored = 0
    cuts = [0]
    if order.shape[0] * int(lengths.max(initial=0)) <= chunk_cells:
        cuts.append(order.shape[0])
    else:
        start = 0
        for end in range(1, order.shape[0] + 1):  # rows of a piece x its longest row <= chunk_cells
            if end == order.shape[0] or int(lengths[order[end]]) * (end - start + 1) > chunk_cells:
                cuts.append(end)
                start = end
    for lo, hi in itertools.pairwise(cuts):
        part = order[lo:hi]
        length = int(lengths[part].max())
        mi, gi = np.nonzero(need[part])
        n = sizes[gi]
        total_n = int(n.sum())
        offset = np.arange(total_n, dtype=np.intp) - np.repeat(np.cumsum(n) - n, n)
        cand = search.members[np.repeat(search.starts[groups[gi]], n) + offset]
        member = np.repeat(mi, n)
        first = np.searchsorted(member, np.arange(part.shape[0]))
        pos = np.arange(total_n, dtype=np.intp) - first[member]
        big = np.iinfo(np.intp).max
        padded = np.full((part.shape[0], length), big, dtype=np.intp)
        padded[member, pos] = cand
        padded.sort(axis=1)  # ascending candidates: ties broken by index, as brute force does
        valid = padded != big
        safe = np.where(valid, padded, 0)
        total, eligible = search.pairs(rows[who[part]][:, None], safe)  # one query per row: it broadcasts
        key = np.where(valid & eligible, total, -np.inf)
        _take(best_i, best_t, who[part], key, safe, k)
        scored += total_n
    return scored


def _blocks(search: Search, queries: NDArray[np.intp], size: int) -> list[NDArray[np.intp]]:
    """Positions in ``queries`` cut into blocks of similar queries (the same key), at most ``size`` each."""
    n = queries.shape[0]
    if search.query_key is None:
        return [np.arange(lo, min(n, lo + size), dtype=np.intp) for lo in range(0, n, size)]
    key = search.query_key[queries]
    order = np.lexsort((key[:, 1], key[:, 0])).astype(np.intp)
    coarse, fine = key[order, 0], key[order, 1]
    # runs of one fine key; a block gathers whole runs of one coarse key up to ``size`` queries
    starts = np.flatnonzero(np.r_[True, (coarse[1:] != coarse[:-1]) | (fine[1:] != fine[:-1])])
    ends = np.r_[starts[1:], n]
    new_coarse = np.r_[True, coarse[starts[1:]] != coarse[starts[:-1]]]
    out: list[NDArray[np.intp]] = []
    lo = 0
    for a, b, fresh in zip(starts.tolist(), ends.tolist(), new_coarse.tolist(), strict=True):
        if a > lo and (fresh or b - lo > size):
            out.append(order[lo:a])
            lo = a
        while b - lo > size:  # a run longer than a block: cut it evenly
            pieces = -(-(b - lo) // size)
            cut = lo + -(-(b - lo) // pieces)
            out.append(order[lo:cut])
            lo = cut
    if n > lo:
        out.append(order[lo:n])
    return out


def exact_top(
    search: Search,
    queries: NDArray[np.intp],
    k: int,
    *,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    workers: int = 1,
    tick: Callable[[int], object] | None = None,
    block_size: int = BLOCK_QUERIES,
) -> tuple[NDArray[np.intp], NDArray[np.float64], int]:
    """For each of ``queries``, the exact ``k`` best eligible candidates.

    Returns ``(candidates, totals, scored)``: arrays of shape ``(len(queries), k)``, best
    first, ties by candidate index, ``-1`` / ``-inf`` where a query has fewer than ``k``
    eligible candidates; and how many pairs were scored. Queries are searched in blocks
    of at most ``block_size`` similar ones (see the module text); ``workers`` processes
    search blocks at once — forked, when the platform can fork and no other thread runs
    (a Dask worker, say); else threads — and the result does not depend on it; ``tick``
    is called with the pairs each block (or piece of blocks) scored.
    """
    n_q = queries.shape[0]
    best_i = np.full((n_q, k), -1, dtype=np.intp)
    best_t = np.full((n_q, k), -np.inf)
    if search.coarse.n_groups == 0 or n_q == 0 or search.members.size == 0:
        return best_i, best_t, 0
    layout = _Layout.of(search)
    blocks = _blocks(search, queries, max(1, block_size))
    total = 0
    if workers > 1 and len(blocks) > 1 and can_fork():

        def found(pos: NDArray[np.intp]) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], int]:
            return pos, *_search_block(search, layout, queries[pos], k, chunk_cells)

        sizes = [b.shape[0] for b in blocks]
        for pos, found_i, found_t, scored in forked_map(found, blocks, sizes, workers):
            best_i[pos], best_t[pos] = found_i, found_t
            total += scored
            if tick is not None:
                tick(scored)
        return best_i, best_t, total

    def run(pos: NDArray[np.intp]) -> int:
        found_i, found_t, scored = _search_block(search, layout, queries[pos], k, chunk_cells)
        best_i[pos], best_t[pos] = found_i, found_t  # blocks hold different queries: no overlap
        if tick is not None:
            tick(scored)
        return scored

    if workers > 1 and len(blocks) > 1:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            total = sum(pool.map(run, blocks))
    else:
        total = sum(run(b) for b in blocks)
    return best_i, best_t, total


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
