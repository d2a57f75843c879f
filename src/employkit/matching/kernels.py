"""The one path from tables to scores and explanations: kernels on distinct combinations.

:func:`prepare_kernels` turns two tables into one kernel per component. For each
component it finds the distinct combinations of the fields the component declares
(:func:`distinct_rows`; the engine does this for every component alike), lets the
component build its kernel on those combinations only, and spreads the kernel's columns
back to every row (:class:`SpreadKernel`). A component's value is then a function of
the two combination codes, so the exact engine may tabulate it
(:class:`employkit.matching.blocking.KernelPlan`).

:func:`explain_pairs` renders the pairs asked for: each kernel scores just those pairs
(values and the intermediate arrays its renderer reads) and the component's
:meth:`~employkit.matching.base.MatchComponent.explain` writes the reasons. One pair
scored alone is the same call on tables of one row.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen
from numpy.typing import NDArray

from employkit.matching.base import ArrayScores, Columns, ComponentScore, MatchComponent, Pair, PairKernel

if TYPE_CHECKING:
    import datetime as dt

    from employkit.matching.columns import SeekerTable, VacancyTable
    from employkit.matching.fields import FieldTable
    from employkit.matching.scoring import Matcher, MatchResult
    from employkit.rules import EvalContext

__all__ = [
    "Distinct",
    "SpreadKernel",
    "TableKernel",
    "build_kernel",
    "distinct_rows",
    "explain_pairs",
    "prepare_kernels",
]


def _codes(values: NDArray[Any]) -> tuple[NDArray[np.intp], int]:
    """Integer codes of the distinct values of a column (NaN, None and NaT are values too)."""
    if values.dtype.kind in "fiubM":
        if values.dtype.kind == "M":
            values = values.astype(np.int64)
        _, inverse = np.unique(values, return_inverse=True, equal_nan=True)
        inverse = inverse.reshape(-1)
        return inverse.astype(np.intp), int(inverse.max(initial=-1)) + 1
    seen: dict[Any, int] = {}
    out = np.empty(values.shape[0], dtype=np.intp)
    for i, v in enumerate(values.tolist()):
        try:
            code = seen.get(v)
        except TypeError:  # an unhashable value (a list in an extra column): by its text
            v = repr(v)
            code = seen.get(v)
        if code is None:
            code = seen[v] = len(seen)
        out[i] = code
    return out, len(seen)


_ONE = np.zeros(1, dtype=np.intp)


def distinct_rows(columns: Sequence[NDArray[Any]], n: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The first row of each distinct combination of ``columns``, and each row's combination.

    Returns ``(first, inverse)``: ``first[c]`` is the first row with combination ``c``
    and ``inverse[i]`` the combination of row ``i``, so ``first[inverse]`` gives for every
    row a row with the same values.

    >>> first, inverse = distinct_rows([np.array([1, 3, 1]), np.array(["a", "b", "a"], dtype=object)], 3)
    >>> first.tolist(), inverse.tolist()
    ([0, 1], [0, 1, 0])
    """
    if n == 1:
        return _ONE, _ONE
    key = np.zeros(n, dtype=np.int64)
    for col in columns:
        codes, size = _codes(col)
        combined = key * max(size, 1) + codes
        _, key = np.unique(combined, return_inverse=True)
        key = key.reshape(-1).astype(np.int64)
    if n == 0:
        return np.zeros(0, dtype=np.intp), np.zeros(0, dtype=np.intp)
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    return first.astype(np.intp), inverse.reshape(-1).astype(np.intp)


@frozen(eq=False)
class Distinct:
    """The distinct combinations of some fields of a table: the first row of each, and each row's.

    :meth:`values` gives a field at the combinations; it keeps what it gave, so a
    prepared pool reads its side of every kernel once.
    """

    first: NDArray[np.intp]
    inverse: NDArray[np.intp]
    _seen: dict[tuple[str, dt.date], tuple[FieldTable, NDArray[Any]]] = field(factory=dict, init=False, repr=False)

    def values(self, table: FieldTable, name: str, day: dt.date) -> NDArray[Any]:
        """The field ``name`` of ``table`` (ages on ``day``) at the first row of each combination."""
        if self.first is _ONE:  # a table of one row is its own only combination
            return _take(table.field_values(name, day), _ONE)
        hit = self._seen.get((name, day))
        if hit is not None and hit[0] is table:
            return hit[1]
        found = table.field_values(name, day)[self.first]
        self._seen[(name, day)] = (table, found)
        return found

    @classmethod
    def one(cls) -> Distinct:
        """The combinations of a table of one row: that row (one shared instance; it keeps nothing)."""
        return _SINGLE

    @classmethod
    def of(cls, table: FieldTable, fields: Sequence[str], day: dt.date) -> Distinct:
        """The combinations of ``fields`` in ``table`` (ages on ``day``)."""
        if len(table) == 1:
            return cls.one()
        first, inverse = distinct_rows([table.field_values(f, day) for f in fields], len(table))
        return cls(first, inverse)


_SINGLE = Distinct(_ONE, _ONE)


@frozen(eq=False)
class SpreadKernel:
    """A kernel built on distinct combinations, its columns spread to every row.

    ``inner`` is the component's kernel over the distinct combinations of the fields it
    reads; row ``i`` of the seekers has combination ``seeker_code[i]`` (and likewise for
    vacancies), so a value of the component is a function of the two codes — the batch
    engine may tabulate it (:class:`employkit.matching.blocking.KernelPlan`).
    """

    seeker_columns: Columns
    vacancy_columns: Columns
    inner: PairKernel
    seeker_code: NDArray[np.intp]
    vacancy_code: NDArray[np.intp]

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The inner kernel's scores (its function reads only the columns given)."""
        return self.inner.score(seeker, vacancy)


def _take(values: NDArray[Any], rows: NDArray[np.intp]) -> NDArray[Any]:
    """``values[rows]``; a table of one row is its own only combination."""
    return values if rows is _ONE and values.shape[0] == 1 else values[rows]


def _rows(columns: Columns, inverse: NDArray[np.intp]) -> Columns:
    if inverse is _ONE:  # one row, the kernel's own
        return {k: np.asarray(a) for k, a in columns.items()}
    return {k: np.asarray(a)[inverse] for k, a in columns.items()}


def _spread(kernel: PairKernel, s_inverse: NDArray[np.intp], v_inverse: NDArray[np.intp]) -> SpreadKernel:
    return SpreadKernel(
        _rows(kernel.seeker_columns, s_inverse),
        _rows(kernel.vacancy_columns, v_inverse),
        kernel,
        s_inverse,
        v_inverse,
    )


def _lookup(table: NDArray[Any], si: NDArray[np.intp], vi: NDArray[np.intp]) -> NDArray[Any]:
    """``table[si, vi]``; when one side is a single code (a query against a pool), a plain take of its row."""
    if si.size == 1 and si.ndim <= vi.ndim:
        found: NDArray[Any] = np.take(table[si.item()], vi)
        return found.reshape(np.broadcast_shapes(si.shape, vi.shape))
    if vi.size == 1 and vi.ndim <= si.ndim:
        found = np.take(table[:, vi.item()], si)
        return found.reshape(np.broadcast_shapes(si.shape, vi.shape))
    found = table[si, vi]
    return found


class _Gathered(Mapping[str, Any]):
    """Tabulated details, gathered for the pairs only when a renderer asks for them."""

    def __init__(self, tables: Mapping[str, NDArray[Any]], si: NDArray[np.intp], vi: NDArray[np.intp]) -> None:
        self._tables, self._si, self._vi = tables, si, vi

    def __getitem__(self, name: str) -> NDArray[Any]:
        return _lookup(self._tables[name], self._si, self._vi)

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)


@frozen(eq=False)
class TableKernel:
    """A kernel's scores computed once for every pair of combinations, then looked up by combination code."""

    seeker_columns: Columns
    vacancy_columns: Columns
    values: NDArray[np.float64]
    counted: NDArray[np.bool_]
    gate: NDArray[np.bool_]
    details: Mapping[str, NDArray[Any]]

    @classmethod
    def of(cls, kernel: PairKernel, n_seekers: int, n_vacancies: int) -> TableKernel:
        """The scores of ``kernel`` for each of its ``n_seekers`` × ``n_vacancies`` rows."""
        shape = (n_seekers, n_vacancies)
        r = kernel.score(
            {k: np.asarray(a)[:, None] for k, a in kernel.seeker_columns.items()},
            {k: np.asarray(a)[None, :] for k, a in kernel.vacancy_columns.items()},
        )

        def full(a: Any) -> NDArray[Any]:
            a = np.asarray(a)
            return np.ascontiguousarray(a if a.shape == shape else np.broadcast_to(a, shape))

        return cls(
            {"code": np.arange(n_seekers, dtype=np.intp)},
            {"code": np.arange(n_vacancies, dtype=np.intp)},
            full(r.values),
            full(r.counted),
            full(r.gate),
            {k: full(a) for k, a in r.details.items()},
        )

    def score(self, seeker: Columns, vacancy: Columns) -> ArrayScores:
        """The tabulated scores of the combinations given."""
        si, vi = np.asarray(seeker["code"]), np.asarray(vacancy["code"])
        return ArrayScores(
            values=_lookup(self.values, si, vi),
            counted=_lookup(self.counted, si, vi),
            gate=_lookup(self.gate, si, vi),
            details=_Gathered(self.details, si, vi),
        )


def build_kernel(
    component: MatchComponent,
    seekers: FieldTable,
    seeker_rows: Distinct,
    vacancies: FieldTable,
    vacancy_rows: Distinct,
    ctx: EvalContext,
    *,
    tabulate: bool = False,
) -> SpreadKernel:
    """The kernel of ``component`` built on the given combinations and spread to every row.

    With ``tabulate`` the kernel scores every pair of combinations once and the spread
    kernel looks its scores up (for a query against a prepared pool: one row against a
    few hundred combinations).
    """
    day = ctx.as_of
    s_cols = {f: seeker_rows.values(seekers, f, day) for f in component.seeker_fields}
    v_cols = {f: vacancy_rows.values(vacancies, f, day) for f in component.vacancy_fields}
    inner: PairKernel = component.kernel(s_cols, v_cols, ctx)
    if tabulate:
        table = TableKernel.of(inner, len(seeker_rows.first), len(vacancy_rows.first))
        # the table's columns are the combination codes, so spread to every row they are the rows' codes
        s_inv, v_inv = seeker_rows.inverse, vacancy_rows.inverse
        return SpreadKernel({"code": s_inv}, {"code": v_inv}, table, s_inv, v_inv)
    return _spread(inner, seeker_rows.inverse, vacancy_rows.inverse)


def prepare_kernels(matcher: Matcher, seekers: SeekerTable, vacancies: VacancyTable) -> tuple[SpreadKernel, ...]:
    """One kernel per component of ``matcher``, each built on the distinct combinations of its fields."""
    ctx = matcher.context()
    day = matcher.as_of
    kernels: list[SpreadKernel] = []
    for c in matcher.components:
        s_rows = Distinct.of(seekers, c.seeker_fields, day)
        v_rows = Distinct.of(vacancies, c.vacancy_fields, day)
        kernels.append(build_kernel(c, seekers, s_rows, vacancies, v_rows, ctx.fork()))
    return tuple(kernels)


def _columns(scores: ArrayScores, shape: tuple[int, ...]) -> tuple[list[Any], ...]:
    """The scores of the pairs as Python lists: values, counted, gate, then each detail."""
    arrays = (scores.values, scores.counted, scores.gate, *scores.details.values())
    return tuple(_listed(a, shape) for a in arrays)


def _listed(value: Any, shape: tuple[int, ...]) -> list[Any]:
    array = np.asarray(value)
    if array.shape == shape:
        listed: list[Any] = array.tolist()
        return listed
    if array.size == 1:
        return [array.reshape(()).item()] * shape[0]
    listed = np.broadcast_to(array, shape).tolist()
    return listed


def explain_pairs(
    matcher: Matcher,
    kernels: Sequence[PairKernel],
    seekers: SeekerTable,
    vacancies: VacancyTable,
    seeker_index: Sequence[int] | NDArray[np.intp],
    vacancy_index: Sequence[int] | NDArray[np.intp],
) -> list[MatchResult]:
    """The full :class:`~employkit.matching.scoring.MatchResult` of the pairs ``(seeker_index[i], vacancy_index[i])``.

    Each kernel scores the pairs at once; each component renders each pair from its
    fields and the kernel's values there.
    """
    si = np.asarray(seeker_index, dtype=np.intp).reshape(-1)
    vi = np.asarray(vacancy_index, dtype=np.intp).reshape(-1)
    shape = si.shape
    day = matcher.as_of
    ctx = matcher.context()
    per_component: list[tuple[tuple[str, ...], tuple[list[Any], ...]]] = []
    # one pair of tables of one row each: the kernels' own columns are the pair's
    alone = shape == (1,) and len(seekers) == 1 and len(vacancies) == 1
    for kernel in kernels:
        if alone:
            found = kernel.score(kernel.seeker_columns, kernel.vacancy_columns)
        else:
            sc = {k: np.asarray(a)[si] for k, a in kernel.seeker_columns.items()}
            vc = {k: np.asarray(a)[vi] for k, a in kernel.vacancy_columns.items()}
            found = kernel.score(sc, vc)
        per_component.append((tuple(found.details), _columns(found, shape)))
    s_rows: dict[int, Any] = {}
    v_rows: dict[int, Any] = {}
    results: list[MatchResult] = []
    for n, (s, v) in enumerate(zip(si.tolist(), vi.tolist(), strict=True)):
        if s not in s_rows:
            s_rows[s] = seekers.row(s, day)
        if v not in v_rows:
            v_rows[v] = vacancies.row(v, day)
        s_row, v_row = s_rows[s], v_rows[v]
        scores: list[ComponentScore] = []
        for c, (names, columns) in zip(matcher.components, per_component, strict=True):
            pair = Pair(
                seeker=s_row,
                vacancy=v_row,
                value=columns[0][n],
                counted=columns[1][n],
                gate=columns[2][n],
                details={name: col[n] for name, col in zip(names, columns[3:], strict=True)},
                as_of=day,
            )
            scores.append(c.explain(pair, ctx.fork()))
        results.append(matcher.combine(str(s_row["seeker_id"]), str(v_row["vacancy_id"]), scores))
    return results
