"""The national batch engine: the exact top-k by default, blocked candidates on request.

A Korean month brings some 392,000 seekers and 158,000 vacancies: 6.2×10¹⁰ pairs.
:class:`BlockedScorer` returns by default the **exact** top-k of the score function —
what scoring every pair would give, ties broken by index — by exact pruning
(:mod:`employkit.matching.topk`, bounds in :mod:`employkit.matching.bounds`): vacancies
are grouped by province and KECO group, each group's best possible score for a seeker
is bounded, groups are scored in order of their bound and a seeker's search stops when
no group left can beat its k-th best. A pair is left out only by a gate of the score
function (it is then not eligible on every path, one-pair scoring included).

``mode="blocked"`` is the older approximation, kept as an explicit option: it scores
only the pairs inside a block — the seeker's commute reach and occupations near the
desired one, by rules read from the parameters in force
(:class:`~employkit.matching.blocks.BlockRules`, also importable from here; the groups
in :class:`~employkit.matching.blocks.Blocks`). A pair outside every block is never
scored, so each blocked run measures its recall against the exact lists
(:attr:`BlockedScorer.recall`). Within the blocks the blocked mode gives for each seeker
exactly the top ``k`` of the unblocked engine restricted to the seeker's in-block
vacancies — the same scores (the same kernels, tabulated by
:class:`~employkit.matching.plan.KernelPlan`), ties broken the same way. Both modes
build explanations only for the pairs asked for (:meth:`BlockedScorer.results`).

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> from employkit.matching.scoring import Matcher
>>> data = sample_centre()
>>> matcher = Matcher(make_system(), dt.date(2015, 12, 31))
>>> engine = BlockedScorer(matcher, data.seekers[:200], data.vacancies)
>>> engine.rules.local, engine.rules.mobile, engine.rules.occupation_digits
('province', 'wide_area', 2)
>>> engine.blocks.pairs < 200 * len(data.vacancies)
True
>>> top = engine.top_vacancies(5)
>>> first = engine.results(top)[0]
>>> abs(first.total - float(top.total[0])) < 1e-9
True
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching.batch import DEFAULT_CHUNK_CELLS, BatchScorer, TopK
from employkit.matching.blocks import BlockRules as BlockRules
from employkit.matching.blocks import Blocks
from employkit.matching.bounds import GroupBounds, group_codes
from employkit.matching.columns import as_seeker_table, as_vacancy_table, prepare_kernels
from employkit.matching.plan import KernelPlan, best_seekers, best_vacancies
from employkit.matching.scoring import Matcher
from employkit.matching.topk import Recall, Search, exact_top, recall_of

if TYPE_CHECKING:
    from employkit.matching.scoring import MatchResult

__all__ = ["MODES", "RECALL_SAMPLE", "BlockedScorer", "NationalScorer", "show_progress"]


def show_progress(progress: bool | None) -> bool:
    """Whether to show a progress bar: ``progress`` if given, else when standard error is a terminal."""
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _topk(direction: str, best_i: NDArray[np.intp], best_t: NDArray[np.float64], rows: NDArray[np.intp]) -> TopK:
    valid = np.isfinite(best_t)
    shape = best_t.shape
    query = np.broadcast_to(rows[:, None], shape)[valid]
    rank = np.broadcast_to(np.arange(1, shape[1] + 1, dtype=np.intp), shape)[valid]
    return TopK(
        direction="vacancies" if direction == "vacancies" else "seekers",
        query=query,
        candidate=best_i[valid],
        rank=rank,
        total=best_t[valid],
    )


#: The modes of :class:`BlockedScorer`: the true top-k, or the in-block pairs only.
MODES = ("exact", "blocked")

#: Seekers whose blocked lists are compared with the exact ones when the blocked mode runs.
RECALL_SAMPLE = 2000


class BlockedScorer:
    """Top-k matching of many seekers and vacancies: exact by default, blocked on request.

    ``seekers`` and ``vacancies`` are tables, DataFrames, Arrow tables, mappings of
    columns or records (see :mod:`employkit.matching.columns`); indexes in results are
    their rows.

    ``mode="exact"`` (the default) returns the true top-k of the score function — the
    lists exhaustive scoring would give, ties broken by index — by exact pruning
    (:mod:`employkit.matching.topk`): candidates are grouped by province and the first
    ``group_digits`` KECO digits, groups are scored in order of their bound, and a
    seeker's search stops when no group left can beat its k-th best. ``mode="blocked"``
    scores only the in-block pairs of ``rules`` (default: the parameters in force on the
    matcher's date) — an approximation; each blocked run measures its recall against
    the exact lists on ``recall_sample`` seekers drawn with ``recall_seed``
    (:attr:`recall`, a :class:`~employkit.matching.topk.Recall`; 0 skips it).

    ``progress`` shows a tqdm bar counting pairs (default: when standard error is a
    terminal). ``workers`` score at once — in the exact mode forked processes (threads
    where the platform cannot fork or another thread runs; see
    :func:`~employkit.matching.topk.exact_top`), in the blocked mode threads (numpy
    releases the interpreter lock on its large blocks); the result does not depend on
    it. :attr:`scored_pairs` is the number of pairs the last top-k call scored.
    """

    def __init__(
        self,
        matcher: Matcher,
        seekers: Any,
        vacancies: Any,
        *,
        mode: str = "exact",
        rules: BlockRules | None = None,
        chunk_cells: int = DEFAULT_CHUNK_CELLS,
        progress: bool | None = None,
        workers: int = 1,
        group_digits: int = 2,
        recall_sample: int = RECALL_SAMPLE,
        recall_seed: int = 0,
    ) -> None:
        if mode not in MODES:
            raise InvalidArgument(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        if chunk_cells < 1:
            raise InvalidArgument("chunk_cells must be at least 1")
        if workers < 1:
            raise InvalidArgument("workers must be at least 1")
        if not 0 <= group_digits <= 4:
            raise InvalidArgument("group_digits must be from 0 to 4")
        self.mode = mode
        self.workers = workers
        self.matcher = matcher
        self.seeker_table = as_seeker_table(seekers)
        self.vacancy_table = as_vacancy_table(vacancies)
        self._rules = rules
        self.chunk_cells = chunk_cells
        self.progress = progress
        self.group_digits = group_digits
        self.recall_sample = recall_sample
        self.recall_seed = recall_seed
        kernels = prepare_kernels(matcher, self.seeker_table, self.vacancy_table)
        self.batch = BatchScorer(
            matcher,
            self.seeker_table.view(),
            self.vacancy_table.view(),
            chunk_cells=chunk_cells,
            kernels=kernels,
        )
        self.plan = KernelPlan.of(self.batch)
        self._blocks: Blocks | None = None
        self._group_cache: dict[tuple[str, bool], tuple[NDArray[np.intp], int]] = {}
        self.scored_pairs = 0
        self.recall: Recall | None = None

    @property
    def rules(self) -> BlockRules:
        """The blocking rules of the blocked mode (read from the parameters when first asked)."""
        if self._rules is None:
            self._rules = BlockRules.of(self.matcher)
        return self._rules

    @property
    def blocks(self) -> Blocks:
        """The blocks of the blocked mode (built when first asked)."""
        if self._blocks is None:
            self._blocks = Blocks.build(self.seeker_table, self.vacancy_table, self.rules)
        return self._blocks

    @property
    def shape(self) -> tuple[int, int]:
        """(number of seekers, number of vacancies)."""
        return len(self.seeker_table), len(self.vacancy_table)

    def _bar(self, total: int, what: str) -> tuple[Callable[[int], object] | None, Callable[[], object]]:
        if not show_progress(self.progress):
            return None, lambda: None
        from tqdm import tqdm

        bar = tqdm(total=total, desc=what, unit="pair", unit_scale=True, file=sys.stderr)
        return bar.update, bar.close

    def _groups(self, wanted: NDArray[np.bool_] | None) -> Iterator[tuple[int, NDArray[np.intp]]]:
        for g in range(len(self.blocks)):
            members = self.blocks.seekers(g)
            if wanted is not None:
                members = members[wanted[members]]
            if members.size:
                yield g, members

    # ------------------------------------------------------------------ exact

    def candidate_groups(self, direction: str, fine: bool = False) -> tuple[NDArray[np.intp], int]:
        """The group of every candidate: vacancies (``"vacancies"``) or seekers (``"seekers"``).

        Coarse groups: vacancies by province and the first ``group_digits`` KECO digits of
        the occupation; seekers by province of residence, the digits of the desired
        occupation and mobility. Fine groups (``fine=True``) split them by district and
        one more KECO digit. Any grouping gives the same (exact) result; this one makes
        the bounds of occupation and place tight.
        """
        key = ("vacancies" if direction == "vacancies" else "seekers", fine)
        if key not in self._group_cache:  # the search and the query keys both ask
            self._group_cache[key] = self._candidate_groups(direction, fine)
        return self._group_cache[key]

    def _candidate_groups(self, direction: str, fine: bool) -> tuple[NDArray[np.intp], int]:
        d = self.group_digits + (1 if fine else 0)
        r = 5 if fine else 2
        if direction == "vacancies":
            v = self.vacancy_table
            keys = [
                np.array([str(c)[:r] for c in v.region_code.tolist()], dtype=object),
                np.array([None if c is None else str(c)[:d] for c in v.occupation.tolist()], dtype=object),
            ]
            return group_codes(keys, len(v))
        s = self.seeker_table
        keys = [
            np.array([str(c)[:r] for c in s.residence_code.tolist()], dtype=object),
            np.array([None if c is None else str(c)[:d] for c in s.desired_occupation.tolist()], dtype=object),
            np.asarray(s.mobile),
        ]
        return group_codes(keys, len(s))

    def search(self, direction: str, mask: NDArray[np.bool_] | None = None) -> Search:
        """The exact search for one direction, its candidates restricted to ``mask``."""
        side: Literal["vacancies", "seekers"] = "vacancies" if direction == "vacancies" else "seekers"
        groups = []
        for fine in (False, True):
            group, n_groups = self.candidate_groups(side, fine)
            groups.append((group if mask is None else np.where(mask, group, -1), n_groups))
        (c_group, n_coarse), (f_group, n_fine) = groups
        parent = np.full(n_fine, -1, dtype=np.intp)  # a fine group lies inside one coarse group
        parent[f_group[f_group >= 0]] = c_group[f_group >= 0]
        # fine groups numbered coarse group by coarse group: the bounds of the fine groups a
        # coarse group holds are then side by side in every table (read as runs, not scattered)
        by_parent = np.argsort(parent, kind="stable")
        number = np.empty(n_fine, dtype=np.intp)
        number[by_parent] = np.arange(n_fine, dtype=np.intp)
        f_group = np.where(f_group >= 0, number[np.maximum(f_group, 0)], -1)
        parent = parent[by_parent]
        c_bounds, f_bounds = GroupBounds.levels(self.plan, side, f_group, n_fine, (parent, n_coarse))
        block, pairs = self.plan.scorers(side)
        return Search.build(block, pairs, (c_group, c_bounds), (f_group, f_bounds), self.query_key(side))

    def query_key(self, direction: str) -> NDArray[np.int64]:
        """Keys that put similar queries side by side: per query its coarse and its fine group.

        Queries are seekers for ``"vacancies"`` and vacancies for ``"seekers"``: the
        groups :meth:`candidate_groups` gives the other side.
        """
        other = "seekers" if direction == "vacancies" else "vacancies"
        coarse, _ = self.candidate_groups(other, False)
        fine, _ = self.candidate_groups(other, True)
        return np.stack([coarse.astype(np.int64), fine.astype(np.int64)], axis=1)

    def _exact(self, search: Search, queries: NDArray[np.intp], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
        tick, close = self._bar(0, "matching (exact)")
        try:
            best_i, best_t, scored = exact_top(
                search, queries, k, chunk_cells=self.chunk_cells, workers=self.workers, tick=tick
            )
        finally:
            close()
        self.scored_pairs = scored
        return best_i, best_t

    def measure_recall(
        self, k: int, lists: tuple[NDArray[np.intp], NDArray[np.float64]], vacancy_mask: NDArray[np.bool_] | None
    ) -> Recall:
        """The recall of blocked lists (one row per seeker) against the exact ones on a seeded sample."""
        n_s = self.shape[0]
        rng = np.random.default_rng(self.recall_seed)
        pick = np.sort(rng.choice(n_s, size=min(self.recall_sample, n_s), replace=False)).astype(np.intp)
        scored = self.scored_pairs
        exact = self._exact(self.search("vacancies", vacancy_mask), pick, k)
        self.scored_pairs = scored
        return recall_of((lists[0][pick], lists[1][pick]), exact, k=k, seed=self.recall_seed)

    # ------------------------------------------------------------------ top-k

    def top_vacancies(
        self,
        k: int,
        *,
        vacancy_mask: NDArray[np.bool_] | None = None,
        seekers: Sequence[int] | NDArray[np.intp] | None = None,
    ) -> TopK:
        """For each seeker (or the ``seekers`` given), the ``k`` best eligible vacancies.

        Exact mode: the true top ``k``; blocked mode: the best in-block ones (and
        :attr:`recall` measured). ``vacancy_mask`` (one bool per vacancy) removes
        candidates (filters). Rows are ordered by seeker, then rank; ties are broken by
        vacancy index.
        """
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        n_s, n_v = self.shape
        mask = _mask(vacancy_mask, n_v)
        wanted = _wanted(seekers, n_s)
        rows = np.arange(n_s, dtype=np.intp)
        if wanted is not None:
            rows = rows[wanted]
        if self.mode == "exact":
            best_i, best_t = self._exact(self.search("vacancies", mask), rows, k)
            return _topk("vacancies", best_i, best_t, rows)
        best_i = np.full((n_s, k), -1, dtype=np.intp)
        best_t = np.full((n_s, k), -np.inf)
        tick, close = self._bar(self.blocks.pairs, "matching (blocked)")
        scored = [0]

        def run(item: tuple[int, NDArray[np.intp]]) -> None:
            g, members = item
            cands = self.blocks.candidates(g, mask)
            found_i, found_t = best_vacancies(self.plan, members, cands, k, self.chunk_cells, tick)
            best_i[members, : found_i.shape[1]] = found_i  # groups hold different seekers: no overlap
            best_t[members, : found_t.shape[1]] = found_t
            scored[0] += members.shape[0] * cands.shape[0]

        try:
            if self.workers == 1:
                for item in self._groups(wanted):
                    run(item)
            else:
                from concurrent.futures import ThreadPoolExecutor

                items = sorted(self._groups(wanted), key=lambda gm: -gm[1].shape[0] * self.blocks.size(gm[0]))
                with ThreadPoolExecutor(self.workers) as pool:
                    for _ in pool.map(run, items):
                        pass
        finally:
            close()
        self.scored_pairs = scored[0]
        if self.recall_sample > 0 and wanted is None and n_s:
            self.recall = self.measure_recall(k, (best_i, best_t), mask)
        if wanted is not None:
            best_i, best_t = best_i[wanted], best_t[wanted]
        return _topk("vacancies", best_i, best_t, rows)

    def top_seekers(
        self,
        k: int,
        *,
        seeker_mask: NDArray[np.bool_] | None = None,
        vacancy_mask: NDArray[np.bool_] | None = None,
    ) -> TopK:
        """For each vacancy, the ``k`` best eligible seekers (exact, or among those whose blocks reach it).

        ``seeker_mask`` removes candidates, ``vacancy_mask`` vacancies (they get no list).
        Ties are broken by seeker index.
        """
        if k < 1:
            raise InvalidArgument("k must be at least 1")
        n_s, n_v = self.shape
        mask = _mask(vacancy_mask, n_v)
        wanted = _mask(seeker_mask, n_s)
        if self.mode == "exact":
            rows = np.arange(n_v, dtype=np.intp)
            if mask is not None:
                rows = rows[mask]
            best_i, best_t = self._exact(self.search("seekers", wanted), rows, k)
            return _topk("seekers", best_i, best_t, rows)
        best_i = np.full((n_v, k), -1, dtype=np.intp)
        best_t = np.full((n_v, k), -np.inf)
        tick, close = self._bar(self.blocks.pairs, "matching (blocked)")
        scored = 0
        try:
            for g, members in self._groups(wanted):
                cands = self.blocks.candidates(g, mask)
                best_seekers(self.plan, members, cands, k, (best_i, best_t), self.chunk_cells, tick)
                scored += members.shape[0] * cands.shape[0]
        finally:
            close()
        self.scored_pairs = scored
        return _topk("seekers", best_i, best_t, np.arange(n_v, dtype=np.intp))

    def results(self, top: TopK) -> list[MatchResult]:
        """The full :class:`~employkit.matching.scoring.MatchResult` of each returned pair, in order.

        Records are built for these pairs only.
        """
        return self.batch.results(top)


#: The engine under the name of what it does by default.
NationalScorer = BlockedScorer


def _mask(mask: NDArray[np.bool_] | None, n: int) -> NDArray[np.bool_] | None:
    if mask is None:
        return None
    out = np.asarray(mask, dtype=bool)
    if out.shape != (n,):
        raise InvalidArgument(f"the mask must have one entry per row ({n})")
    return out


def _wanted(rows: Sequence[int] | NDArray[np.intp] | None, n: int) -> NDArray[np.bool_] | None:
    if rows is None:
        return None
    out = np.zeros(n, dtype=bool)
    out[np.asarray(rows, dtype=np.intp)] = True
    return out
