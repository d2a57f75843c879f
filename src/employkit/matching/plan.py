"""The scoring plan of the national engine: kernels and weights, tabulated where they can be.

A :class:`KernelPlan` is what scoring many pairs needs without the rule system: each
component's kernel and weight, and — for a component prepared from columns whose
fields take few distinct combinations — a table of its terms over those combinations,
so that a pair is scored by lookups. Its arithmetic is
:func:`~employkit.matching.batch.combine`'s, term by term in the same order: the totals
are the same to the last bit on every path (dense blocks, single pairs, a partition).

:func:`best_vacancies` and :func:`best_seekers` keep the best ``k`` of dense blocks of
a plan (the approximate blocked mode of
:class:`~employkit.matching.blocking.BlockedScorer` and its distributed run);
:class:`PlanSide` is one half of a plan, what a distributed run sends to its workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.matching.base import ArrayScores, Columns, PairKernel
from employkit.matching.batch import DEFAULT_CHUNK_CELLS, BatchScorer, top_k_rows
from employkit.matching.columns import SpreadKernel
from employkit.matching.topk import BlockFn, ScoreFn, _ranked

__all__ = ["TABLE_CELLS", "KernelPlan", "PlanSide", "best_seekers", "best_vacancies"]


@frozen(eq=False)
class _Columned:
    """A kernel's scoring function with other columns (a slice of the seekers, say)."""

    seeker_columns: Columns
    vacancy_columns: Columns
    inner: PairKernel

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The inner kernel's scores of the columns given."""
        return self.inner.score(seeker, vacancy)


#: A component whose value depends on fewer distinct combinations than this is tabulated.
TABLE_CELLS = 1 << 22


@frozen(eq=False)
class _Table:
    """One component tabulated over the distinct combinations of its fields.

    ``num`` holds, per (seeker combination, vacancy combination), the component's term
    of the weighted mean's numerator (``w·v`` when counted, else 0); ``den`` its term of
    the denominator (``w`` or 0) — a number when it is the same everywhere, one column
    when it depends on the seeker only, else a table; ``gate`` whether the gate fails
    (``None`` when it never does). Scoring a block is a row lookup and a column take.
    """

    seeker_code: NDArray[np.intp]
    vacancy_code: NDArray[np.intp]
    num: NDArray[np.float64]
    den: float | NDArray[np.float64]
    gate: NDArray[np.bool_] | None

    @classmethod
    def build(cls, kernel: SpreadKernel, weight: float) -> _Table | None:
        inner = kernel.inner
        n_sc = int(kernel.seeker_code.max(initial=-1)) + 1
        n_vc = int(kernel.vacancy_code.max(initial=-1)) + 1
        if n_sc * n_vc > TABLE_CELLS or n_sc == 0 or n_vc == 0:
            return None
        sc = {k: np.asarray(a)[:, None] for k, a in inner.seeker_columns.items()}
        vc = {k: np.asarray(a)[None] for k, a in inner.vacancy_columns.items()}
        r = inner.score(sc, vc)
        shape = (n_sc, n_vc)
        counted = np.broadcast_to(r.counted, shape)
        num = np.ascontiguousarray(np.where(counted, weight * np.broadcast_to(r.values, shape), 0.0))
        den_full = np.where(counted, weight, 0.0)
        den: float | NDArray[np.float64]
        if (den_full == den_full[0, 0]).all():
            den = float(den_full[0, 0])
        elif (den_full == den_full[:, :1]).all():
            den = np.ascontiguousarray(den_full[:, 0])
        else:
            den = np.ascontiguousarray(den_full)
        gate = np.broadcast_to(r.gate, shape)
        return cls(
            kernel.seeker_code,
            kernel.vacancy_code,
            num,
            den,
            np.ascontiguousarray(gate) if gate.any() else None,
        )

    @property
    def inert(self) -> bool:
        """Never counted and never a gate (an advisory component): it adds nothing to any pair."""
        return self.gate is None and isinstance(self.den, float) and self.den == 0.0 and not self.num.any()

    def terms(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], float | NDArray[np.float64], NDArray[np.bool_] | None]:
        """The numerator terms, denominator terms and gates of a dense block."""
        s = self.seeker_code[seeker_index]
        v = self.vacancy_code[vacancy_index]
        num = np.take(self.num[s], v, axis=1)
        if isinstance(self.den, float):
            den: float | NDArray[np.float64] = self.den
        elif self.den.ndim == 1:
            den = self.den[s][:, None]
        else:
            den = np.take(self.den[s], v, axis=1)
        gate = None if self.gate is None else np.take(self.gate[s], v, axis=1)
        return num, den, gate


@frozen(eq=False)
class KernelPlan:
    """What scoring needs, without the rule system: the kernels and the weights.

    A component prepared from columns (:class:`~employkit.matching.columns.SpreadKernel`)
    whose fields take few distinct combinations is tabulated once over them; a pair is
    then scored by lookups. The arithmetic is
    :func:`~employkit.matching.batch.combine`'s, term by term in the same order, so the
    totals are the same to the last bit. A component that is never counted and never
    gates (the advisory age) adds exactly nothing and is skipped.

    :meth:`seeker_part` keeps the rows of some seekers only (a partition); the vacancy
    side is shared, so a distributed run sends it once to every worker.
    """

    kernels: tuple[PairKernel | None, ...]
    weights: tuple[float, ...]
    tables: tuple[_Table | None, ...]

    @classmethod
    def of(cls, batch: BatchScorer, tabulate: bool = True) -> KernelPlan:
        """The plan of a batch scorer (``tabulate=False``: score every pair through the kernels)."""
        kernels: list[PairKernel | None] = []
        tables: list[_Table | None] = []
        weights: list[float] = []
        for kernel, w in zip(batch.kernels, batch.weights, strict=True):
            table = _Table.build(kernel, w) if tabulate and isinstance(kernel, SpreadKernel) else None
            if table is not None and table.inert:
                continue
            kernels.append(None if table is not None else kernel)
            tables.append(table)
            weights.append(w)
        return cls(tuple(kernels), tuple(weights), tuple(tables))

    def score_block(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of the dense block seekers × vacancies."""
        shape = (seeker_index.shape[0], vacancy_index.shape[0])
        # 0 + x is x exactly (every term is >= 0), so the first terms are taken as they are
        num: NDArray[np.float64] | None = None
        den: NDArray[np.float64] | None = None  # in its own shape (a column when every term is per seeker)
        gate: NDArray[np.bool_] | None = None
        for w, kernel, table in zip(self.weights, self.kernels, self.tables, strict=True):
            if table is not None:
                n_part, d_part, g_part = table.terms(seeker_index, vacancy_index)
            else:
                assert kernel is not None
                sc = {k: a[seeker_index][:, None] for k, a in kernel.seeker_columns.items()}
                vc = {k: a[vacancy_index][None] for k, a in kernel.vacancy_columns.items()}
                r = kernel.score(sc, vc)
                counted = np.broadcast_to(r.counted, shape)
                n_part = np.where(counted, w * np.broadcast_to(r.values, shape), 0.0)
                d_part = np.where(counted, w, 0.0)
                g_part = np.broadcast_to(r.gate, shape)
            if num is None:
                num = n_part if n_part.shape == shape else np.array(np.broadcast_to(n_part, shape))
            else:
                num += n_part
            # the same additions in the same order, element by element, on fewer elements
            den = np.array(d_part, dtype=np.float64) if den is None else den + d_part
            if g_part is not None:
                if gate is None:
                    gate = np.array(np.broadcast_to(g_part, shape))
                else:
                    gate |= g_part
        if num is None or den is None:
            return np.zeros(shape), np.ones(shape, dtype=bool)
        has = den > 0.0
        total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
        return total, np.ones(shape, dtype=bool) if gate is None else ~gate

    def score_pairs(
        self, seeker_index: NDArray[np.intp], vacancy_index: NDArray[np.intp]
    ) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        """Totals and eligibility of the pairs ``(seeker_index[i], vacancy_index[i])``.

        The arithmetic of :meth:`score_block`, element by element: the same totals. The
        two index arrays may be of any shapes that broadcast (one seeker per row against
        a row of vacancies, say); the result has the broadcast shape.
        """
        shape = np.broadcast_shapes(seeker_index.shape, vacancy_index.shape)
        num: NDArray[np.float64] | None = None
        den: NDArray[np.float64] | None = None  # in its own shape (a column when every term is per seeker)
        gate: NDArray[np.bool_] | None = None
        for w, kernel, table in zip(self.weights, self.kernels, self.tables, strict=True):
            if table is not None:
                s = table.seeker_code[seeker_index]
                flat = table.vacancy_code[vacancy_index]  # one take, not a 2-D index
                if flat.shape == shape:
                    flat += s * table.num.shape[1]
                else:
                    flat = s * table.num.shape[1] + flat
                n_part = np.take(table.num, flat)
                t_den = table.den
                d_part: float | NDArray[np.float64] = (
                    t_den if isinstance(t_den, float) else t_den[s] if t_den.ndim == 1 else np.take(t_den, flat)
                )
                g_part = None if table.gate is None else np.take(table.gate, flat)
            else:
                assert kernel is not None
                sc = {k: a[seeker_index] for k, a in kernel.seeker_columns.items()}
                vc = {k: a[vacancy_index] for k, a in kernel.vacancy_columns.items()}
                r = kernel.score(sc, vc)
                counted = np.broadcast_to(r.counted, shape)
                n_part = np.where(counted, w * np.broadcast_to(r.values, shape), 0.0)
                d_part = np.where(counted, w, 0.0)
                g_part = np.broadcast_to(r.gate, shape)
            if num is None:
                fresh = n_part.shape == shape and n_part.dtype == np.float64
                num = n_part if fresh else np.array(np.broadcast_to(n_part, shape), dtype=np.float64)
            else:
                num += n_part
            # the same additions in the same order, element by element, on fewer elements
            den = np.array(d_part, dtype=np.float64) if den is None else den + d_part
            if g_part is not None:
                gate = np.array(np.broadcast_to(g_part, shape)) if gate is None else gate | g_part
        if num is None or den is None:
            return np.zeros(shape), np.ones(shape, dtype=bool)
        has = den > 0.0
        total = np.where(has, np.minimum(1.0, num / np.where(has, den, 1.0)), 0.0)
        return total, np.ones(shape, dtype=bool) if gate is None else ~gate

    def scorers(self, direction: str) -> tuple[BlockFn, ScoreFn]:
        """The dense-block and pair scoring functions with the queries of ``direction`` as rows.

        ``"vacancies"``: seekers are the queries (:meth:`score_block`, :meth:`score_pairs`);
        ``"seekers"``: vacancies are, the blocks transposed and the pairs swapped.
        """
        if direction == "vacancies":
            return self.score_block, self.score_pairs
        return _ByVacancy(self), _PairsByVacancy(self)

    def seeker_side(self, index: NDArray[np.intp] | None = None) -> PlanSide:
        """The seekers' half of the plan (only the rows ``index``, when given)."""
        parts: list[Any] = []
        for kernel, table in zip(self.kernels, self.tables, strict=True):
            if table is not None:
                parts.append(table.seeker_code if index is None else table.seeker_code[index])
            else:
                assert kernel is not None
                parts.append(
                    {
                        k: np.asarray(a) if index is None else np.asarray(a)[index]
                        for k, a in kernel.seeker_columns.items()
                    }
                )
        return PlanSide("seekers", self.weights, tuple(parts))

    def vacancy_side(self, index: NDArray[np.intp] | None = None) -> PlanSide:
        """The vacancies' half of the plan, with the scoring functions and tables (rows ``index`` when given)."""
        parts: list[Any] = []
        for kernel, table in zip(self.kernels, self.tables, strict=True):
            if table is not None:
                code = table.vacancy_code if index is None else table.vacancy_code[index]
                parts.append(_Table(np.zeros(0, dtype=np.intp), code, table.num, table.den, table.gate))
            else:
                assert kernel is not None
                columns = {
                    k: np.asarray(a) if index is None else np.asarray(a)[index]
                    for k, a in kernel.vacancy_columns.items()
                }
                parts.append((kernel.inner if isinstance(kernel, _Columned) else kernel, columns))
        return PlanSide("vacancies", self.weights, tuple(parts))

    @classmethod
    def join(cls, seekers: PlanSide, vacancies: PlanSide) -> KernelPlan:
        """The plan of a seekers' half and a vacancies' half (of the same plan)."""
        kernels: list[PairKernel | None] = []
        tables: list[_Table | None] = []
        for s_part, v_part in zip(seekers.parts, vacancies.parts, strict=True):
            if isinstance(v_part, _Table):
                kernels.append(None)
                tables.append(_Table(s_part, v_part.vacancy_code, v_part.num, v_part.den, v_part.gate))
            else:
                inner, columns = v_part
                kernels.append(_Columned(s_part, columns, inner))
                tables.append(None)
        return cls(tuple(kernels), seekers.weights, tuple(tables))

    def seeker_part(self, index: NDArray[np.intp]) -> KernelPlan:
        """The plan for the seekers ``index`` only (row ``i`` of the part is seeker ``index[i]``)."""
        return KernelPlan.join(self.seeker_side(index), self.vacancy_side())


@frozen(eq=False)
class PlanSide:
    """One half of a :class:`KernelPlan`: what a distributed run sends for the seekers or the vacancies."""

    side: str
    weights: tuple[float, ...]
    parts: tuple[Any, ...]


def best_vacancies(
    plan: KernelPlan,
    seekers: NDArray[np.intp],
    candidates: NDArray[np.intp],
    k: int,
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    tick: Callable[[int], object] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """For each of ``seekers``, the ``k`` best eligible vacancies among ``candidates`` (ascending).

    Returns ``(vacancies, totals)`` of shape ``(len(seekers), min(k, len(candidates)))``,
    best first, ties by vacancy index; unused places hold ``-1`` and ``-inf``. At most
    ``chunk_cells`` pairs are scored at once.
    """
    width = int(candidates.shape[0])
    kk = min(k, width)
    out_v = np.full((seekers.shape[0], kk), -1, dtype=np.intp)
    out_t = np.full((seekers.shape[0], kk), -np.inf)
    if kk == 0 or seekers.shape[0] == 0:
        return out_v, out_t
    if width <= chunk_cells:
        step = max(1, chunk_cells // width)
        for lo in range(0, seekers.shape[0], step):
            rows = seekers[lo : lo + step]
            total, eligible = plan.score_block(rows, candidates)
            cols, vals = top_k_rows(np.where(eligible, total, -np.inf), kk)
            out_v[lo : lo + rows.shape[0]] = np.where(np.isfinite(vals), candidates[cols], -1)
            out_t[lo : lo + rows.shape[0]] = vals
            if tick is not None:
                tick(rows.shape[0] * width)
        return out_v, out_t
    for r in range(seekers.shape[0]):  # a very wide block: one seeker at a time, columns in pieces
        best_i = np.zeros(0, dtype=np.intp)
        best_t = np.zeros(0)
        for lo in range(0, width, chunk_cells):
            piece = candidates[lo : lo + chunk_cells]
            total, eligible = plan.score_block(seekers[r : r + 1], piece)
            cols, vals = top_k_rows(np.where(eligible, total, -np.inf), kk)
            best_i, best_t = _ranked(np.concatenate([best_t, vals[0]]), np.concatenate([best_i, piece[cols[0]]]), kk)
            if tick is not None:
                tick(piece.shape[0])
        out_v[r, : best_i.shape[0]] = np.where(np.isfinite(best_t), best_i, -1)
        out_t[r, : best_t.shape[0]] = best_t
    return out_v, out_t


def best_seekers(
    plan: KernelPlan,
    seekers: NDArray[np.intp],
    candidates: NDArray[np.intp],
    k: int,
    best: tuple[NDArray[np.intp], NDArray[np.float64]],
    chunk_cells: int = DEFAULT_CHUNK_CELLS,
    tick: Callable[[int], object] | None = None,
) -> None:
    """Merge ``seekers`` (ascending) into the running best ``k`` seekers of each vacancy of ``candidates``.

    ``best`` is ``(seekers, totals)``, one row per vacancy of the whole batch, updated in
    place; ties are broken by seeker index.
    """
    best_i, best_t = best
    width = int(candidates.shape[0])
    if width == 0 or seekers.shape[0] == 0:
        return
    for v_lo in range(0, width, chunk_cells):
        cols = candidates[v_lo : v_lo + chunk_cells]
        step = max(1, chunk_cells // cols.shape[0])
        for lo in range(0, seekers.shape[0], step):
            rows = seekers[lo : lo + step]
            total, eligible = plan.score_block(rows, cols)
            pos, vals = top_k_rows(np.where(eligible, total, -np.inf).T, k)
            found = np.where(np.isfinite(vals), rows[pos], -1)
            merged_i, merged_t = _ranked(
                np.concatenate([best_t[cols], vals], axis=1), np.concatenate([best_i[cols], found], axis=1), k
            )
            best_i[cols, : merged_i.shape[1]] = merged_i
            best_t[cols, : merged_t.shape[1]] = merged_t
            if tick is not None:
                tick(rows.shape[0] * cols.shape[0])


@frozen(eq=False)
class _ByVacancy:
    """A plan's dense blocks with the vacancies as rows (the search for top seekers per vacancy)."""

    plan: KernelPlan

    def __call__(self, q: NDArray[np.intp], c: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        total, eligible = self.plan.score_block(c, q)
        return np.ascontiguousarray(total.T), np.ascontiguousarray(eligible.T)


@frozen(eq=False)
class _PairsByVacancy:
    """A plan's pair scores with the vacancy first."""

    plan: KernelPlan

    def __call__(self, q: NDArray[np.intp], c: NDArray[np.intp]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
        return self.plan.score_pairs(c, q)
