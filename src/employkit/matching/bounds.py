"""Upper bounds of the match score over groups of candidates: what exact pruning rests on.

The total of a pair is the weighted mean of its counted components (the missing ones
renormalise the others), capped at 1, and a failed gate makes the pair ineligible
(:func:`~employkit.matching.batch.combine`). For a *group* of candidates — the
vacancies of one province and KECO middle group, say — and one query (a seeker) this
module computes a number no pair of the group can exceed:

* a component tabulated over the distinct combinations of its fields
  (:class:`~employkit.matching.plan.KernelPlan`) gives, per query combination and
  group, the **exact** largest value among the group's candidates (over the cells
  that do not fail its gate), whether some candidate leaves it uncounted, and whether
  every candidate fails its gate (then no pair of the group is eligible);
* any other component (a pack's kernel, or a component scored pair by pair) is
  bounded **conservatively**: value at most 1, maybe uncounted, never known to gate.

The bound of a (query, group) is then the largest weighted mean any choice of counted
components could reach with those values — the components always counted are in, the
ones that may be uncounted are in exactly when they raise the mean (found by
Dinkelbach's iteration, exact in at most one step per component) — capped at 1.
Nothing here approximates: a group is left out only when its bound is below a
query's k-th best score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
from attrs import frozen
from numpy.typing import NDArray

from employkit.matching.columns import distinct_rows

__all__ = ["BOUND_EPS", "ComponentBound", "GroupBounds", "QueryRows", "group_codes"]

#: Added to every bound: its arithmetic (float32) is not the score's (float64), term for term.
BOUND_EPS = 1e-5

#: Rows of a component's table aggregated at once (memory: rows x distinct (group, code) pairs).
_ROWS = 64


def group_codes(keys: Sequence[NDArray[np.object_] | NDArray[np.generic]], n: int) -> tuple[NDArray[np.intp], int]:
    """The group of each of ``n`` rows: the distinct combinations of ``keys`` (numbered from 0)."""
    if n == 0:
        return np.zeros(0, dtype=np.intp), 0
    first, inverse = distinct_rows(list(keys), n)
    return inverse, int(first.shape[0])


@frozen(eq=False)
class ComponentBound:
    """One component's bounds: rows are query codes (``query_code`` maps a query to its row).

    Per (row, group): ``fixed_n`` is ``weight x`` the largest value where the component
    is counted for every candidate of the group (else 0; ``-inf`` where every candidate
    of the group fails the component's gate) and ``fixed_d`` the weight there (else 0;
    a number when the same everywhere, one per row when the same along a row);
    ``optional`` the largest value where it may be counted or not (``-inf`` elsewhere;
    ``None``: nowhere). Tables are float32 (:data:`BOUND_EPS` covers the rounding).
    Build with :meth:`of` from the largest counted value ``hi`` (``-inf``: never
    counted) and whether it may be uncounted (``free``). ``query_code`` is ``None``
    when the bounds are the same for every query (one row).
    """

    weight: float
    query_code: NDArray[np.intp] | None
    fixed_n: NDArray[np.float32]
    fixed_d: float | NDArray[np.float64] | NDArray[np.float32]
    optional: NDArray[np.float32] | None

    @classmethod
    def of(
        cls,
        weight: float,
        query_code: NDArray[np.intp] | None,
        hi: NDArray[np.float64],
        free: NDArray[np.bool_],
        void: NDArray[np.bool_] | None,
    ) -> ComponentBound:
        """From the largest counted values and whether the component may be uncounted."""
        never = np.isneginf(hi)
        fixed = ~free & ~never
        fixed_n = np.where(fixed, weight * np.where(never, 0.0, hi), 0.0).astype(np.float32)
        if void is not None:
            fixed_n[void] = -np.inf  # no pair of the group is eligible: the bound is -inf
        d_full = np.where(fixed, weight, 0.0)
        fixed_d: float | NDArray[np.float64]
        if d_full.size == 0 or (d_full == d_full.flat[0]).all():
            fixed_d = float(d_full.flat[0]) if d_full.size else 0.0
        elif (d_full == d_full[:, :1]).all():
            fixed_d = np.ascontiguousarray(d_full[:, 0])
        else:
            fixed_d = d_full.astype(np.float32)
        maybe = free & ~never
        optional = np.where(maybe, hi, -np.inf).astype(np.float32) if maybe.any() else None
        return cls(weight, query_code, fixed_n, fixed_d, optional)

    def rows(self, queries: NDArray[np.intp]) -> NDArray[np.intp]:
        """The row of each query."""
        if self.query_code is None:
            return np.zeros(queries.shape[0], dtype=np.intp)
        return self.query_code[queries]


def _table_bound(
    num: NDArray[np.float64],
    den: float | NDArray[np.float64],
    gate: NDArray[np.bool_] | None,
    cand_code: NDArray[np.intp],
    group: NDArray[np.intp],
    n_groups: int,
) -> _Raw:
    """Aggregate a tabulated component (rows: query codes, columns: candidate codes) over groups."""
    n_rows, n_cc = num.shape
    hi = np.full((n_rows, n_groups), -np.inf)
    free = np.zeros((n_rows, n_groups), dtype=bool)
    void = None if gate is None else np.ones((n_rows, n_groups), dtype=bool)
    keep = group >= 0
    pairs = np.unique(group[keep].astype(np.int64) * max(n_cc, 1) + cand_code[keep])
    if pairs.size:
        p_group = (pairs // max(n_cc, 1)).astype(np.intp)
        p_code = (pairs % max(n_cc, 1)).astype(np.intp)
        starts = np.flatnonzero(np.r_[True, p_group[1:] != p_group[:-1]])
        present = p_group[starts]
        for lo in range(0, n_rows, _ROWS):
            n_part = num[lo : lo + _ROWS][:, p_code]
            if isinstance(den, float):
                d_part: NDArray[np.float64] = np.full(n_part.shape, den)
            elif den.ndim == 1:
                d_part = np.broadcast_to(den[lo : lo + _ROWS, None], n_part.shape)
            else:
                d_part = den[lo : lo + _ROWS][:, p_code]
            counted = d_part > 0.0
            ok = np.ones(n_part.shape, dtype=bool) if gate is None else ~gate[lo : lo + _ROWS][:, p_code]
            value = np.where(counted & ok, n_part / np.where(counted, d_part, 1.0), -np.inf)
            hi[lo : lo + _ROWS, present] = np.maximum.reduceat(value, starts, axis=1)
            free[lo : lo + _ROWS, present] = np.logical_or.reduceat(~counted & ok, starts, axis=1)
            if void is not None:
                void[lo : lo + _ROWS, present] = np.logical_and.reduceat(~ok, starts, axis=1)
    return hi, free, void


#: Per (query code, group): the largest counted value, whether it may be uncounted, whether all gate.
_Raw = tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.bool_] | None]


def _coarsen(raw: _Raw, parent: NDArray[np.intp], n_parents: int) -> _Raw:
    """The same over the groups' parents (each group inside one parent; ``-1``: in none, empty).

    A parent's largest value is its groups' largest, it may be uncounted where one of them
    may, and every candidate gates where every candidate of each group does (an empty
    group counts as gating): what aggregating the parent's candidates directly gives.
    """
    hi, free, void = raw
    inside = np.flatnonzero(parent >= 0)
    order = inside[np.argsort(parent[inside], kind="stable")]
    p = parent[order]
    n_rows = hi.shape[0]
    c_hi = np.full((n_rows, n_parents), -np.inf)
    c_free = np.zeros((n_rows, n_parents), dtype=bool)
    c_void = None if void is None else np.ones((n_rows, n_parents), dtype=bool)
    if order.size:
        starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        present = p[starts]
        c_hi[:, present] = np.maximum.reduceat(hi[:, order], starts, axis=1)
        c_free[:, present] = np.logical_or.reduceat(free[:, order], starts, axis=1)
        if c_void is not None and void is not None:
            c_void[:, present] = np.logical_and.reduceat(void[:, order], starts, axis=1)
    return c_hi, c_free, c_void


def _spread(
    table: NDArray[np.float32], distinct: NDArray[np.intp], groups: NDArray[np.intp], at: NDArray[np.intp] | None
) -> NDArray[np.float32]:
    """The columns ``groups`` of a table's rows ``distinct``, spread to the queries (``at``; ``None``: one row)."""
    flat = distinct[:, None] * table.shape[1] + groups  # one flat take of the cells read: no row copies
    few: NDArray[np.float32] = np.take(table.reshape(-1), flat)
    return few if at is None else np.take(few, at, axis=0)


@frozen(eq=False)
class QueryRows:
    """Some queries' rows in every component's tables: the distinct rows, and where each query's is."""

    queries: NDArray[np.intp]
    distinct: tuple[NDArray[np.intp], ...]
    inverse: tuple[NDArray[np.intp], ...]


@frozen(eq=False)
class GroupBounds:
    """Bounds of every component of a plan over the groups of one side's candidates.

    Build with :meth:`of`; :meth:`bound` gives the (query, group) bounds of some queries.
    """

    components: tuple[ComponentBound, ...]
    n_groups: int

    @classmethod
    def of(
        cls,
        plan: Any,
        direction: Literal["vacancies", "seekers"],
        group: NDArray[np.intp],
        n_groups: int,
    ) -> GroupBounds:
        """The bounds of the components of ``plan`` (a :class:`~employkit.matching.plan.KernelPlan`).

        Queries are of one side, groups of the other.

        ``direction="vacancies"``: queries are seekers, ``group[j]`` the group of vacancy
        ``j``; ``"seekers"``: the other way round. ``group[j] = -1`` leaves a candidate
        out (a filter).
        """
        return cls.levels(plan, direction, group, n_groups, None)[-1]

    @classmethod
    def levels(
        cls,
        plan: Any,
        direction: Literal["vacancies", "seekers"],
        group: NDArray[np.intp],
        n_groups: int,
        parent: tuple[NDArray[np.intp], int] | None,
    ) -> tuple[GroupBounds, ...]:
        """As :meth:`of`, and with ``parent`` (each group's parent group, and how many) the parents' bounds too.

        Returns ``(parents, groups)`` (or ``(groups,)``): the parents' bounds come from
        the groups' per code (the same numbers as :meth:`of` on the parent groups), so
        the candidates are aggregated once.
        """

        def one(w: float, table: Any) -> tuple[ComponentBound, ...]:
            sizes = [n_groups] if parent is None else [parent[1], n_groups]
            if table is None:  # no table: a value of at most 1, maybe uncounted, a gate unknown
                return tuple(
                    ComponentBound.of(w, None, np.ones((1, n)), np.ones((1, n), dtype=bool), None) for n in sizes
                )
            den: float | NDArray[np.float64]
            if direction == "vacancies":
                num, den, gate = table.num, table.den, table.gate
                q_code, c_code = table.seeker_code, table.vacancy_code
            else:
                num = table.num.T
                den_t = table.den
                if isinstance(den_t, float):
                    den = den_t
                elif den_t.ndim == 1:
                    den = np.broadcast_to(den_t[None, :], num.shape)
                else:
                    den = den_t.T
                gate = None if table.gate is None else table.gate.T
                q_code, c_code = table.vacancy_code, table.seeker_code
            raw = _table_bound(num, den, gate, c_code[: group.shape[0]], group, n_groups)
            raws = [raw] if parent is None else [_coarsen(raw, *parent), raw]
            return tuple(ComponentBound.of(w, q_code, *r) for r in raws)

        # components in two threads: their large array steps release the interpreter lock
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(2) as pool:
            parts = list(pool.map(one, plan.weights, plan.tables))
        sizes = [n_groups] if parent is None else [parent[1], n_groups]
        return tuple(cls(tuple(p[i] for p in parts), n) for i, n in enumerate(sizes))

    def bound(self, queries: NDArray[np.intp]) -> NDArray[np.float32]:
        """``(len(queries), n_groups)``: no pair of a query and a candidate of a group scores above this.

        ``-inf`` where no pair of the group can be eligible (a gate fails for all of it).
        :data:`BOUND_EPS` is already added.
        """
        return self._combine(queries, None)

    def bound_pairs(self, queries: NDArray[np.intp], groups: NDArray[np.intp]) -> NDArray[np.float32]:
        """The bound of each (``queries[i]``, ``groups[i]``), as :meth:`bound` gives it."""
        return self._combine(queries, groups)

    def bound_block(self, queries: NDArray[np.intp], groups: NDArray[np.intp]) -> NDArray[np.float32]:
        """``(len(queries), len(groups))``: the bounds of every query against the groups given."""
        return self._combine(queries, None, groups)

    def query_rows(self, queries: NDArray[np.intp]) -> QueryRows:
        """The rows of ``queries`` in every component's tables, for :meth:`bound_members`."""
        distinct: list[NDArray[np.intp]] = []
        inverse: list[NDArray[np.intp]] = []
        for part in self.components:
            if part.query_code is None:
                distinct.append(np.zeros(1, dtype=np.intp))
                inverse.append(np.zeros(queries.shape[0], dtype=np.intp))
            else:
                d, inv = np.unique(part.query_code[queries], return_inverse=True)
                distinct.append(d.astype(np.intp, copy=False))
                inverse.append(inv.reshape(-1).astype(np.intp, copy=False))
        return QueryRows(queries, tuple(distinct), tuple(inverse))

    def bound_members(self, rows: QueryRows, who: NDArray[np.intp], groups: NDArray[np.intp]) -> NDArray[np.float32]:
        """:meth:`bound_block` of the queries ``rows.queries[who]``, from their distinct rows.

        Every table is read once per distinct row of the queries (a block of similar
        queries shares most of them), then spread to the queries: the same numbers.
        """
        m = who.shape[0]
        fixed_n = np.zeros((m, groups.shape[0]), dtype=np.float32)
        d_row = np.zeros(m, dtype=np.float32)
        d_cell: NDArray[np.float32] | None = None
        optional: list[tuple[float, NDArray[np.float32]]] = []
        for part, distinct, inverse in zip(self.components, rows.distinct, rows.inverse, strict=True):
            at = None if distinct.shape[0] == 1 else inverse[who]  # one row for all: broadcast, no spread
            fixed_n += _spread(part.fixed_n, distinct, groups, at)
            if isinstance(part.fixed_d, float):
                d_row += part.fixed_d
            elif part.fixed_d.ndim == 1:
                d_row += part.fixed_d[distinct][inverse[who]]
            else:
                d_part = np.broadcast_to(
                    _spread(part.fixed_d.astype(np.float32, copy=False), distinct, groups, at), fixed_n.shape
                )
                d_cell = np.array(d_part) if d_cell is None else np.add(d_cell, d_part, out=d_cell)
            if part.optional is not None:
                o_few = _spread(part.optional, distinct, groups, None)
                if np.isfinite(o_few).any():
                    optional.append((part.weight, o_few if at is None else np.take(o_few, at, axis=0)))
        return self._mean(fixed_n, d_row[:, None] if d_cell is None else d_cell + d_row[:, None], optional)

    def _combine(
        self,
        queries: NDArray[np.intp],
        groups: NDArray[np.intp] | None,
        cols: NDArray[np.intp] | None = None,
    ) -> NDArray[np.float32]:
        if groups is not None:
            shape: tuple[int, ...] = queries.shape
        else:
            shape = (queries.shape[0], self.n_groups if cols is None else cols.shape[0])

        def pick(table: NDArray[np.float32], rows: NDArray[np.intp]) -> NDArray[np.float32]:
            if groups is not None:
                return table[rows, groups]
            if cols is not None:  # the few distinct rows first, then their columns, then spread
                if table.shape[0] == 1:
                    return np.tile(np.take(table[0], cols), (rows.shape[0], 1))
                if table.shape[0] <= 2 * rows.shape[0]:
                    picked: NDArray[np.float32] = np.take(np.take(table, cols, axis=1), rows, axis=0)
                    return picked
                distinct, inverse = np.unique(rows, return_inverse=True)
                picked = np.take(np.take(table, distinct, axis=0), cols, axis=1)[inverse]
                return picked
            return np.take(table, rows, axis=0)

        fixed_n = np.zeros(shape, dtype=np.float32)
        d_row = np.zeros(queries.shape[0], dtype=np.float32)
        d_cell: NDArray[np.float32] | None = None
        optional: list[tuple[float, NDArray[np.float32]]] = []
        for part in self.components:
            rows = part.rows(queries)
            fixed_n += pick(part.fixed_n, rows)
            if isinstance(part.fixed_d, float):
                d_row += part.fixed_d
            elif part.fixed_d.ndim == 1:
                d_row += part.fixed_d[rows]
            else:
                d_part = pick(part.fixed_d.astype(np.float32, copy=False), rows)
                d_cell = d_part if d_cell is None else np.add(d_cell, d_part, out=d_cell)
            if part.optional is not None:
                o_part = pick(part.optional, rows)
                if np.isfinite(o_part).any():
                    optional.append((part.weight, o_part))
        d_base = d_row[:, None] if groups is None else d_row
        return self._mean(fixed_n, d_base if d_cell is None else d_cell + d_base, optional)

    @staticmethod
    def _mean(
        fixed_n: NDArray[np.float32], den: NDArray[np.float32], optional: list[tuple[float, NDArray[np.float32]]]
    ) -> NDArray[np.float32]:
        """The largest weighted mean of the fixed terms and any choice of the optional ones, capped, plus the margin."""
        shape = fixed_n.shape
        mu = fixed_n / np.where(den > 0.0, den, np.float32(1.0))  # -inf stays -inf: a void group
        if len(optional) == 1:  # one optional component: in exactly when it raises the mean
            w, value = optional[0]
            with np.errstate(invalid="ignore"):
                mu = np.maximum(mu, (fixed_n + np.float32(w) * value) / (den + np.float32(w)))
        elif optional:
            # Dinkelbach: take the optional components above the current mean; at most one step each
            settled = np.ones(shape, dtype=bool)
            for step in range(len(optional) + 2):
                n = fixed_n.copy()
                d = np.array(np.broadcast_to(den, shape))
                for w, value in optional:
                    take = value > mu
                    n += np.where(take, np.float32(w) * value, np.float32(0.0))
                    d += np.where(take, np.float32(w), np.float32(0.0))
                with np.errstate(invalid="ignore"):
                    new = np.where(d > 0.0, n / np.where(d > 0.0, d, np.float32(1.0)), np.float32(0.0))
                new[np.isneginf(fixed_n)] = -np.inf
                settled = new <= mu + np.float32(1e-6)
                if step == len(optional) + 1 or settled.all():
                    break
                mu = np.maximum(mu, new)
            # should the iteration not have settled somewhere, 1 (the cap) bounds every total there
            mu = np.where(settled | np.isneginf(mu), mu, np.float32(1.0))
        out: NDArray[np.float32] = np.minimum(mu, np.float32(1.0)).astype(np.float32, copy=False)
        out += np.float32(BOUND_EPS)
        return out
