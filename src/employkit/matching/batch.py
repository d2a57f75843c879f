"""The batch path: many seekers × many vacancies, scored with numpy, top-k kept.

:class:`BatchScorer` prepares each component once for the whole batch (its
:class:`~employkit.matching.base.PairKernel`: one row of columns per seeker and per
vacancy), then scores blocks of pairs with array operations and combines them exactly
as :meth:`~employkit.matching.scoring.Matcher.combine` does — the same weighted mean in
the same order — so its totals equal the one-pair path's (to 1e-9; bit for bit except
where a kernel uses trigonometry, as the km distance does).

Memory is bounded: a block holds at most ``chunk_cells`` pairs (a few arrays of that
many floats), and :meth:`BatchScorer.top_vacancies` / :meth:`BatchScorer.top_seekers`
keep only the top ``k`` of each row (``numpy.argpartition``-style selection, ties
broken by input order). Explanations are built only for the pairs returned
(:meth:`BatchScorer.results`).

Built for the later national scale: :meth:`BatchScorer.score_pairs` scores any list
of (seeker, vacancy) index pairs, so candidate generation by region or occupation
(blocking) can feed it, and a partition of seekers is just another ``BatchScorer`` over
that partition — the columns are plain numpy arrays.

>>> import datetime as dt
>>> from employkit.synth import sample_centre
>>> from employkit.testing import make_system
>>> from employkit.matching.scoring import Matcher
>>> data = sample_centre()
>>> matcher = Matcher(make_system(), dt.date(2015, 12, 31))
>>> batch = BatchScorer(matcher, data.seekers[:50], data.vacancies)
>>> top = batch.top_vacancies(3)
>>> len(top), top.rank[:3].tolist()
(150, [1, 2, 3])
>>> first = batch.results(top)[0]
>>> abs(first.total - float(top.total[0])) < 1e-9
True
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching.base import Columns, PairKernel
from employkit.matching.columns import as_seeker_table, as_vacancy_table
from employkit.matching.kernels import explain_pairs, prepare_kernels

if TYPE_CHECKING:
    from employkit.matching.scoring import Matcher, MatchResult

__all__ = ["DEFAULT_CHUNK_CELLS", "BatchScorer", "TopK", "combine", "top_k_rows"]

#: Pairs scored at once by default (about 16 MB per float array).
DEFAULT_CHUNK_CELLS = 1 << 21

Direction = Literal["vacancies", "seekers"]


def _intp(value: Any) -> NDArray[np.intp]:
    return np.asarray(value, dtype=np.intp)


def _float(value: Any) -> NDArray[np.float64]:
    return np.asarray(value, dtype=np.float64)


@frozen(kw_only=True, eq=False)
class TopK:
    """Ranked lists from the batch path, one row per (query, candidate) pair.

    For :meth:`BatchScorer.top_vacancies` the query is a seeker and the candidates are
    vacancies; for :meth:`BatchScorer.top_seekers` the other way round. Indexes refer to
    the sequences given to :class:`BatchScorer`. Rows are ordered by query, then rank
    (1 = best).
    """

    direction: Direction
    query: NDArray[np.intp] = field(converter=_intp)
    candidate: NDArray[np.intp] = field(converter=_intp)
    rank: NDArray[np.intp] = field(converter=_intp)
    total: NDArray[np.float64] = field(converter=_float)

    def __len__(self) -> int:
        return int(self.query.shape[0])

    @property
    def seeker_index(self) -> NDArray[np.intp]:
        """The seeker index of each row."""
        return self.query if self.direction == "vacancies" else self.candidate

    @property
    def vacancy_index(self) -> NDArray[np.intp]:
        """The vacancy index of each row."""
        return self.candidate if self.direction == "vacancies" else self.query


def top_k_rows(key: NDArray[np.float64], k: int) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """The column indexes and values of the ``k`` largest entries of each row, best first.

    Ties are broken by column index (smaller first), so the result does not depend on
    the selection algorithm. Selection is linear per row (``numpy.partition``); only
    the ``k`` selected entries are sorted. Entries equal to ``-inf`` may be selected
    when a row has fewer than ``k`` others; callers drop them.

    >>> cols, vals = top_k_rows(np.array([[0.5, 0.9, 0.5, 0.1]]), 2)
    >>> cols.tolist(), vals.tolist()
    ([[1, 0]], [[0.9, 0.5]])
    """
    m, n = key.shape
    k = min(k, n)
    if k <= 0 or m == 0:
        return np.zeros((m, 0), dtype=np.intp), np.zeros((m, 0))
    if k < n:
        kth = np.partition(key, n - k, axis=1)[:, n - k]
        greater = key > kth[:, None]
        need = k - greater.sum(axis=1)
        equal = key == kth[:, None]
        take = greater | (equal & (np.cumsum(equal, axis=1) <= need[:, None]))
        cols = np.nonzero(take)[1].reshape(m, k).astype(np.intp)
    else:
        cols = np.broadcast_to(np.arange(n, dtype=np.intp), (m, n)).copy()
    vals = np.take_along_axis(key, cols, axis=1)
    order = np.lexsort((cols, -vals), axis=1)
    return np.take_along_axis(cols, order, axis=1), np.take_along_axis(vals, order, axis=1)


def _shaped(array: NDArray[Any], shape: tuple[int, ...]) -> NDArray[Any]:
    """``array`` broadcast to ``shape`` (as it is when it has that shape already)."""
    return array if array.shape == shape else np.broadcast_to(array, shape)


def combine(
    kernels: Sequence[PairKernel],
    weights: Sequence[float],
    seeker_cols: Sequence[Columns],
    vacancy_cols: Sequence[Columns],
    shape: tuple[int, ...],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Totals and eligibility of pairs from each kernel's scores of their columns.

    The same weighted mean, in the same order, as
    :meth:`~employkit.matching.scoring.Matcher.combine`: components that are counted
    enter with their weight, the total is 0 when none is, and a failed gate makes the
    pair not eligible. ``seeker_cols[c]`` and ``vacancy_cols[c]`` are the columns of
    kernel ``c`` for the pairs, broadcasting to ``shape``.
    """
    num = np.zeros(shape)
    den = np.zeros(shape)
    gate = np.zeros(shape, dtype=bool)
    for w, kernel, sc, vc in zip(weights, kernels, seeker_cols, vacancy_cols, strict=True):
        r = kernel.score(sc, vc)
        counted = _shaped(r.counted, shape)
        num = num + np.where(counted, w * _shaped(r.values, shape), 0.0)
        den = den + np.where(counted, w, 0.0)
        gate |= _shaped(r.gate, shape)
    has = den > 0.0
    total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
    return total, ~gate


class BatchScorer:
    """Scores every seeker against every vacancy (or chosen pairs) with numpy.

    ``seekers`` and ``vacancies`` are tables (:mod:`employkit.matching.columns`),
    DataFrames, Arrow tables, mappings of columns or records; indexes in results are
    their rows. ``chunk_cells`` bounds the pairs held in memory at once; ``progress``
    shows a progress bar (tqdm) over the blocks.

    ``kernels`` (one per component of ``matcher``, in order) gives kernels already
    prepared (:func:`~employkit.matching.kernels.prepare_kernels` builds them by
    default).
    """

    def __init__(
        self,
        matcher: Matcher,
        seekers: Any,
        vacancies: Any,
        *,
        chunk_cells: int = DEFAULT_CHUNK_CELLS,
        progress: bool = False,
        kernels: Sequence[PairKernel] | None = None,
    ) -> None:
        if chunk_cells < 1:
            raise InvalidArgument("chunk_cells must be at least 1")
        self.matcher = matcher
        self.seeker_table = as_seeker_table(seekers)
        self.vacancy_table = as_vacancy_table(vacancies)
        self.chunk_cells = chunk_cells
        self.progress = progress
        if kernels is not None:
            if len(kernels) != len(matcher.components):
                raise InvalidArgument(
                    f"expected one kernel per component ({len(matcher.components)}), got {len(kernels)}"
                )
            self.kernels: tuple[PairKernel, ...] = tuple(kernels)
        else:
            self.kernels = prepare_kernels(matcher, self.seeker_table, self.vacancy_table)
        self.weights: tuple[float, ...] = tuple(matcher.weights[c.key] for c in matcher.components)

    @property
    def shape(self) -> tuple[int, int]:
        """(number of seekers, number of vacancies)."""
        return len(self.seeker_table), len(self.vacancy_table)

    # ------------------------------------------------------------------ scoring

    def _combine(
        self, seeker_cols: Sequence[Columns], vacancy_cols: Sequence[Columns], shape: tuple[int, ...]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        return combine(self.kernels, self.weights, seeker_cols, vacancy_cols, shape)

    def block(self, lo: int, hi: int, by: Direction = "vacancies") -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of a block: rows ``lo:hi`` against every candidate.

        With ``by="vacancies"`` rows are seekers and columns vacancies; with
        ``by="seekers"`` rows are vacancies and columns seekers.
        """
        n_s, n_v = self.shape
        sc: list[Columns] = []
        vc: list[Columns] = []
        for kernel in self.kernels:
            if by == "vacancies":
                sc.append({k: a[lo:hi][:, None] for k, a in kernel.seeker_columns.items()})
                vc.append({k: a[None] for k, a in kernel.vacancy_columns.items()})
            else:
                sc.append({k: a[None] for k, a in kernel.seeker_columns.items()})
                vc.append({k: a[lo:hi][:, None] for k, a in kernel.vacancy_columns.items()})
        rows = max(0, min(hi, n_s if by == "vacancies" else n_v) - lo)
        return self._combine(sc, vc, (rows, n_v if by == "vacancies" else n_s))

    def scores(self) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """The full matrices (seekers × vacancies) of totals and eligibility.

        Holds every pair in memory: for small batches and tests; use the top-k methods
        for large ones.
        """
        n_s, n_v = self.shape
        totals = np.zeros((n_s, n_v))
        eligible = np.zeros((n_s, n_v), dtype=bool)
        for lo, hi in self._chunks(n_s, n_v):
            totals[lo:hi], eligible[lo:hi] = self.block(lo, hi, "vacancies")
        return totals, eligible

    def score_pairs(
        self, seeker_index: Sequence[int] | NDArray[np.intp], vacancy_index: Sequence[int] | NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of the pairs ``(seeker_index[i], vacancy_index[i])``."""
        si = np.asarray(seeker_index, dtype=np.intp)
        vi = np.asarray(vacancy_index, dtype=np.intp)
        if si.shape != vi.shape or si.ndim != 1:
            raise InvalidArgument("seeker_index and vacancy_index must be one-dimensional and of the same length")
        totals = np.zeros(si.shape)
        eligible = np.zeros(si.shape, dtype=bool)
        step = self.chunk_cells
        for lo in range(0, si.shape[0], step):
            s_part, v_part = si[lo : lo + step], vi[lo : lo + step]
            sc = [{k: a[s_part] for k, a in kernel.seeker_columns.items()} for kernel in self.kernels]
            vc = [{k: a[v_part] for k, a in kernel.vacancy_columns.items()} for kernel in self.kernels]
            totals[lo : lo + step], eligible[lo : lo + step] = self._combine(sc, vc, s_part.shape)
        return totals, eligible

    def score_block(
        self, seeker_index: Sequence[int] | NDArray[np.intp], vacancy_index: Sequence[int] | NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of every pair of the given seekers × the given vacancies.

        The result has one row per entry of ``seeker_index`` and one column per entry of
        ``vacancy_index`` (a dense block, as :meth:`block` but for any rows and columns:
        the shape blocked candidate generation scores). The caller bounds its size.
        """
        si = np.asarray(seeker_index, dtype=np.intp)
        vi = np.asarray(vacancy_index, dtype=np.intp)
        if si.ndim != 1 or vi.ndim != 1:
            raise InvalidArgument("seeker_index and vacancy_index must be one-dimensional")
        sc = [{k: a[si][:, None] for k, a in kernel.seeker_columns.items()} for kernel in self.kernels]
        vc = [{k: a[vi][None] for k, a in kernel.vacancy_columns.items()} for kernel in self.kernels]
        return self._combine(sc, vc, (si.shape[0], vi.shape[0]))

    # ------------------------------------------------------------------ top-k

    def _chunks(self, rows: int, width: int) -> Iterator[tuple[int, int]]:
        step = max(1, self.chunk_cells // max(width, 1))
        starts: Iterable[int] = range(0, rows, step)
        if self.progress:
            from tqdm import tqdm

            starts = tqdm(starts, desc="matching", unit="block", total=-(-rows // step))
        for lo in starts:
            yield lo, min(rows, lo + step)

    def _top(
        self,
        k: int,
        by: Direction,
        candidate_mask: NDArray[np.bool_] | None,
        rows: Sequence[int] | NDArray[np.intp] | None,
    ) -> TopK:
        n_s, n_v = self.shape
        n_rows, width = (n_s, n_v) if by == "vacancies" else (n_v, n_s)
        if candidate_mask is not None:
            candidate_mask = np.asarray(candidate_mask, dtype=bool)
            if candidate_mask.shape != (width,):
                raise InvalidArgument(f"the candidate mask must have one entry per candidate ({width})")
        wanted = None if rows is None else np.asarray(rows, dtype=np.intp)
        queries: list[NDArray[np.intp]] = []
        cands: list[NDArray[np.intp]] = []
        ranks: list[NDArray[np.intp]] = []
        totals: list[NDArray[np.float64]] = []
        for lo, hi in self._chunks(n_rows, width):
            if wanted is not None:
                chosen = wanted[(wanted >= lo) & (wanted < hi)]
                if chosen.size == 0:
                    continue
            total, eligible = self.block(lo, hi, by)
            keep = eligible if candidate_mask is None else eligible & candidate_mask[None, :]
            key = np.where(keep, total, -np.inf)
            if wanted is not None:
                key = key[chosen - lo]
                row_ids = chosen
            else:
                row_ids = np.arange(lo, hi, dtype=np.intp)
            cols, vals = top_k_rows(key, k)
            valid = np.isfinite(vals)
            rank = np.broadcast_to(np.arange(1, cols.shape[1] + 1, dtype=np.intp), cols.shape)
            queries.append(np.broadcast_to(row_ids[:, None], cols.shape)[valid])
            cands.append(cols[valid])
            ranks.append(rank[valid])
            totals.append(vals[valid])
        if not queries:
            empty = np.zeros(0, dtype=np.intp)
            return TopK(direction=by, query=empty, candidate=empty, rank=empty, total=np.zeros(0))
        return TopK(
            direction=by,
            query=np.concatenate(queries),
            candidate=np.concatenate(cands),
            rank=np.concatenate(ranks),
            total=np.concatenate(totals),
        )

    def top_vacancies(
        self,
        k: int,
        *,
        vacancy_mask: NDArray[np.bool_] | None = None,
        seekers: Sequence[int] | NDArray[np.intp] | None = None,
    ) -> TopK:
        """For each seeker (or the ``seekers`` given by index), the ``k`` best eligible vacancies.

        ``vacancy_mask`` (one bool per vacancy) restricts the candidates (filters).
        Pairs that fail a gate are never returned.
        """
        return self._top(k, "vacancies", vacancy_mask, seekers)

    def top_seekers(
        self,
        k: int,
        *,
        seeker_mask: NDArray[np.bool_] | None = None,
        vacancies: Sequence[int] | NDArray[np.intp] | None = None,
    ) -> TopK:
        """For each vacancy (or the ``vacancies`` given by index), the ``k`` best eligible seekers."""
        return self._top(k, "seekers", seeker_mask, vacancies)

    def results(self, top: TopK) -> list[MatchResult]:
        """The full :class:`~employkit.matching.scoring.MatchResult` of each returned pair, in order."""
        return self.explain(top.seeker_index, top.vacancy_index)

    def explain(
        self, seeker_index: Sequence[int] | NDArray[np.intp], vacancy_index: Sequence[int] | NDArray[np.intp]
    ) -> list[MatchResult]:
        """The :class:`~employkit.matching.scoring.MatchResult` of each pair ``(seeker_index[i], vacancy_index[i])``.

        The batch's kernels score just these pairs; each component renders them.
        """
        return explain_pairs(
            self.matcher, self.kernels, self.seeker_table, self.vacancy_table, seeker_index, vacancy_index
        )
