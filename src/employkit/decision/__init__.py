"""Decision tables: rules written as data, checked when loaded, evaluated on columns.

A decision table has input columns, each with a finite or ordered :class:`Domain`
(levels, booleans, enumerated codes, numbers), and rows. Each row has one condition per
input (a cell) and one outcome: an output code, or "stop: these answers are missing".
The hit policy says what happens when several rows match (after DMN):

``unique``
    at most one row may match any input; overlapping rows are refused at load.
``first``
    the first matching row in the order written wins; a row that can never be the
    first to match is refused at load.
``collect``
    every matching row applies (an empty result is allowed).

Cells are written as text (or TOML booleans, numbers and lists):

* ``"any"`` (or ``"-"``) — anything, a missing value included;
* ``"missing"`` — no value; ``"present"`` — any value;
* a value or several: ``"low"``, ``"mid|high"``, ``["mid", "high"]``, ``true``;
  ``"missing"`` may be one of them (``"missing|low"``);
* for ordered inputs (levels, numbers): ``">= mid"``, ``"< 30"``, ``"!= low"``,
  ``"[18, 34]"``, ``"(0, 60]"``.

A value only matches a cell that names it; comparisons never match a missing value.

Before a table is used, :meth:`DecisionTable.compile` enumerates every combination of
its inputs' domains (numbers by the intervals the cells cut them into) and refuses the
table — :class:`DecisionTableError`, naming the table, the row and an example case —
when a combination matches no row (``unique``/``first``), when two rows match one
combination under ``unique``, or when a row can never fire. The same enumeration is the
lookup table that evaluates millions of records with a few numpy operations per input.

>>> t = DecisionTable.from_mapping({
...     "id": "demo.readiness", "hit_policy": "unique",
...     "input": [{"name": "motivation", "domain": "level"}],
...     "row": [{"when": {"motivation": "missing"}, "missing": ["motivation"]},
...             {"when": {"motivation": "low"}, "output": "prepare"},
...             {"when": {"motivation": ">= mid"}, "output": "ready"}]},
...     origin="demo.toml", domains={"level": LEVEL})
>>> compiled = t.compile()
>>> compiled.evaluate({"motivation": np.array([2, 0, -1], dtype=np.int8)}).rows.tolist()
[2, 1, 0]
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from attrs import field, frozen

from employkit.decision.cells import BOOL, LEVEL, Cell, Domain, between, condition_text, parse_cell, show_value
from employkit.errors import EmploykitError
from employkit.explain import SourceRef
from employkit.labels import Text

__all__ = [
    "BOOL",
    "HIT_POLICIES",
    "LEVEL",
    "Cell",
    "CompiledTable",
    "DecisionTable",
    "DecisionTableError",
    "Domain",
    "Input",
    "Row",
    "TableResult",
    "parse_cell",
    "show_value",
]

HIT_POLICIES = ("unique", "first", "collect")
#: Refuse tables whose inputs have more combinations than this (split such a table).
MAX_COMBINATIONS = 1 << 22

Ints = npt.NDArray[np.int64]


class DecisionTableError(EmploykitError):
    """A decision table is malformed, incomplete, overlapping, or has a row that never fires."""


@frozen
class Input:
    """An input column: a ``field`` of the records or a ``parameter`` of the packs."""

    name: str
    domain: Domain
    field: str | None = None
    parameter: str | None = None
    label: Text | None = None

    def cells(self, constants: Sequence[float]) -> tuple[list[Any], list[bool], npt.NDArray[np.float64]]:
        """The domain cut into cells: a representative value per cell (``None`` missing),
        whether the cell can occur, and (numbers) the sorted cut points."""
        if self.domain.kind != "number":
            reps: list[Any] = [*range(len(self.domain.values)), None]
            real = [True] * len(self.domain.values) + [self.parameter is None]
            return reps, real, np.empty(0)
        cuts = np.array(sorted(set(constants)), dtype=np.float64)
        lo, hi = self.domain.minimum, self.domain.maximum
        reps = []
        real = []
        bounds = [-math.inf, *cuts.tolist(), math.inf]
        for j in range(len(bounds) - 1):  # the open interval below cut j, then cut j itself
            a, b = bounds[j], bounds[j + 1]
            rep = between(a, b, self.domain.integer)
            ok = rep is not None and (lo is None or rep >= lo) and (hi is None or rep <= hi)
            reps.append(rep)
            real.append(ok)
            if j < len(cuts):
                c = float(cuts[j])
                ok = (not self.domain.integer or c == int(c)) and (lo is None or c >= lo) and (hi is None or c <= hi)
                reps.append(c)
                real.append(ok)
        reps.append(None)
        real.append(self.parameter is None)
        return reps, real, cuts


@frozen
class Row:
    """One row: a cell per input, and an output code or the answers it names missing."""

    number: int  # 1-based, in the order written
    cells: tuple[Cell, ...]
    output: str | None = None
    missing: tuple[str, ...] = ()
    reason: Text | None = None
    source: SourceRef | None = None
    line: Mapping[str, Any] = field(factory=dict, hash=False)  # the extra keys as written

    def conditions(self, inputs: Sequence[Input]) -> str:
        """``name=cell`` for every input the row conditions on."""
        shown = [condition_text(i.name, c.text) for i, c in zip(inputs, self.cells, strict=True) if not c.any]
        return ", ".join(shown) or "any"


@frozen
class TableResult:
    """What a table decided for each record: the matched row index (``-1`` none) and, under
    ``collect``, every matched row."""

    rows: npt.NDArray[np.int16]
    hits: npt.NDArray[np.bool_] | None = None


@frozen(kw_only=True)
class DecisionTable:
    """A parsed table (not yet checked): build with :meth:`from_mapping`, check with :meth:`compile`."""

    id: str
    origin: str  # the pack and file, for messages
    hit_policy: str
    inputs: tuple[Input, ...]
    rows: tuple[Row, ...]
    data: Mapping[str, Any] = field(factory=dict, hash=False)  # every key as written

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        origin: str,
        domains: Mapping[str, Domain] | None = None,
        field_domain: Callable[[str], Domain] | None = None,
        reasons: Mapping[str, Text] | None = None,
    ) -> DecisionTable:
        """Read a table from parsed TOML; raises :class:`DecisionTableError` naming the row.

        Each input names a ``field`` (its domain from ``field_domain``) or a
        ``parameter`` with a ``domain`` (``"bool"``, ``"level"``…, looked up in
        ``domains``); ``reasons`` are the named reasons rows may cite by key.
        """
        known = {"level": LEVEL, "bool": BOOL, **(domains or {})}
        tid = data.get("id")
        if not isinstance(tid, str) or not tid:
            raise DecisionTableError(f"{origin}: a table needs an 'id'")
        where = f"{origin}: table {tid}"
        policy = str(data.get("hit_policy", "unique"))
        if policy not in HIT_POLICIES:
            raise DecisionTableError(f"{where}: hit_policy {policy!r} is not one of {', '.join(HIT_POLICIES)}")
        inputs = []
        for k, raw in enumerate(data.get("input") or (), 1):
            if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
                raise DecisionTableError(f"{where}: input #{k} needs a 'name'")
            name = raw["name"]
            fld, par = raw.get("field"), raw.get("parameter")
            if fld is not None and par is not None:
                raise DecisionTableError(f"{where}: input {name!r} reads a 'field' or a 'parameter', not both")
            if "domain" not in raw and (fld is None or field_domain is None):
                raise DecisionTableError(f"{where}: input {name!r} names no 'domain' (nor a 'field' of the records)")
            try:
                if "domain" in raw:
                    domain = known[str(raw["domain"])]
                else:
                    assert field_domain is not None  # checked above
                    domain = field_domain(str(fld))
            except KeyError as exc:
                raise DecisionTableError(f"{where}: input {name!r}: unknown domain or field {exc}") from None
            except EmploykitError as exc:
                raise DecisionTableError(f"{where}: input {name!r}: {exc}") from None
            label = Text(str(raw["ko"]), str(raw.get("en", raw["ko"]))) if "ko" in raw else None
            inputs.append(Input(name, domain, fld, par, label))
        if not inputs:
            raise DecisionTableError(f"{where}: needs at least one [[...input]]")
        names = [i.name for i in inputs]
        if len(set(names)) != len(names):
            raise DecisionTableError(f"{where}: an input name is used twice")
        rows = [
            _parse_row(n, raw, inputs, f"{where}, row {n}", reasons or {})
            for n, raw in enumerate(data.get("row") or (), 1)
        ]
        if not rows:
            raise DecisionTableError(f"{where}: needs at least one [[...row]]")
        return cls(id=tid, origin=origin, hit_policy=policy, inputs=tuple(inputs), rows=tuple(rows), data=data)

    def where(self, row: Row | None = None) -> str:
        """How messages name this table (and a row of it)."""
        place = f"{self.origin}: table {self.id}"
        return f"{place}, row {row.number}" if row else place

    def compile(self) -> CompiledTable:
        """Check the table over every combination of its inputs and build its lookup table.

        Raises :class:`DecisionTableError` for a gap (``unique``/``first``), an overlap
        (``unique``) or a row that never fires, naming the row and an example case.
        """
        cells = [inp.cells([x for r in self.rows for x in r.cells[k].constants()]) for k, inp in enumerate(self.inputs)]
        sizes = [len(reps) for reps, _, _ in cells]
        total = math.prod(sizes)
        if total > MAX_COMBINATIONS:
            raise DecisionTableError(
                f"{self.where()}: {total:,} input combinations, more than {MAX_COMBINATIONS:,} can be checked; "
                "split the table"
            )
        shape = tuple(sizes)
        real = np.ones(shape, dtype=bool)
        for k, (_, ok, _) in enumerate(cells):
            real &= _along(np.array(ok, dtype=bool), k, len(sizes))
        first = np.full(shape, -1, dtype=np.int16)
        count = np.zeros(shape, dtype=np.int16)
        hits = np.zeros((len(self.rows), *shape), dtype=bool) if self.hit_policy == "collect" else None
        for r, row in enumerate(self.rows):
            mask = real.copy()
            for k, (inp, (reps, _, _)) in enumerate(zip(self.inputs, cells, strict=True)):
                accept = np.array([row.cells[k].accepts(v, inp.domain) for v in reps], dtype=bool)
                mask &= _along(accept, k, len(sizes))
            if not mask.any():
                raise DecisionTableError(f"{self.where(row)} can never fire: no possible input matches it")
            if self.hit_policy == "first" and not (mask & (first < 0)).any():
                idx = np.unravel_index(int(np.flatnonzero(mask)[0]), shape)
                earlier = self.rows[int(first[idx])]
                raise DecisionTableError(
                    f"{self.where(row)} can never fire: earlier rows take every case it matches "
                    f"(e.g. {self._case(idx, cells)} goes to row {earlier.number})"
                )
            if self.hit_policy == "unique":
                both = mask & (count > 0)
                if both.any():
                    idx = np.unravel_index(int(np.flatnonzero(both)[0]), shape)
                    other = self.rows[int(first[idx])]
                    raise DecisionTableError(
                        f"{self.where(row)} overlaps row {other.number} under the unique hit policy: "
                        f"both match {self._case(idx, cells)}"
                    )
            if hits is not None:
                hits[r] = mask
            first[mask & (first < 0)] = r
            count += mask
        if self.hit_policy != "collect":
            gap = real & (count == 0)
            if gap.any():
                idx = np.unravel_index(int(np.flatnonzero(gap)[0]), shape)
                raise DecisionTableError(
                    f"{self.where()}: no row covers {self._case(idx, cells)} "
                    f"({int(gap.sum()):,} uncovered combination(s)); add a row"
                )
        return CompiledTable(self, tuple(sizes), tuple(c for _, _, c in cells), first.ravel(), hits)

    def _case(self, idx: tuple[Any, ...], cells: Sequence[tuple[list[Any], list[bool], Any]]) -> str:
        parts = []
        for inp, k, (reps, _, _) in zip(self.inputs, idx, cells, strict=True):
            parts.append(f"{inp.name}={show_value(reps[int(k)], inp.domain)}")
        return ", ".join(parts)


def _along(values: npt.NDArray[Any], axis: int, ndim: int) -> npt.NDArray[Any]:
    shape = [1] * ndim
    shape[axis] = values.shape[0]
    return values.reshape(shape)


_ROW_KEYS = {"when", "output", "missing", "reason", "ko", "en", "source"}


def _parse_row(n: int, raw: Any, inputs: Sequence[Input], where: str, reasons: Mapping[str, Text]) -> Row:
    if not isinstance(raw, Mapping):
        raise DecisionTableError(f"{where}: a row is a table with 'when' and 'output' or 'missing'")
    when = raw.get("when", {})
    if not isinstance(when, Mapping):
        raise DecisionTableError(f"{where}: 'when' must map input names to conditions")
    names = {i.name for i in inputs}
    unknown = sorted(set(when) - names)
    if unknown:
        raise DecisionTableError(f"{where}: unknown input(s) {', '.join(unknown)}; the table reads {sorted(names)}")
    cells = []
    for inp in inputs:
        try:
            cells.append(parse_cell(when.get(inp.name, "any"), inp.domain))
        except ValueError as exc:
            raise DecisionTableError(f"{where}, input {inp.name}: {exc}") from None
    output = raw.get("output")
    missing = tuple(str(m) for m in raw.get("missing", ()))
    if (output is None) == (not missing):
        raise DecisionTableError(f"{where}: give either 'output' or 'missing' (the answers it stops for)")
    bad = [m for m in missing if m not in names]
    if bad:
        raise DecisionTableError(f"{where}: 'missing' names {', '.join(bad)}, which the table does not read")
    reason: Text | None = None
    if isinstance(raw.get("reason"), str):
        if raw["reason"] not in reasons:
            raise DecisionTableError(f"{where}: unknown reason {raw['reason']!r}; declare it under reasons")
        reason = reasons[raw["reason"]]
    elif "ko" in raw:
        reason = Text(str(raw["ko"]), str(raw.get("en", raw["ko"])))
    source = SourceRef.parse(raw["source"]) if isinstance(raw.get("source"), str) else None
    extra = {k: v for k, v in raw.items() if k not in _ROW_KEYS}
    return Row(n, tuple(cells), None if output is None else str(output), missing, reason, source, extra)


@frozen(eq=False)
class CompiledTable:
    """A checked table and its lookup over every combination of its inputs."""

    table: DecisionTable
    sizes: tuple[int, ...]
    cuts: tuple[npt.NDArray[np.float64], ...]
    lookup: npt.NDArray[np.int16]  # combination → first (or only) matching row, -1 none
    hits: npt.NDArray[np.bool_] | None = None  # collect: row × combination
    _rows: list[int] = field(init=False, repr=False)
    _cuts: tuple[list[float], ...] = field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_rows", self.lookup.tolist())
        object.__setattr__(self, "_cuts", tuple(c.tolist() for c in self.cuts))

    def cell_of(self, k: int, value: Any) -> int:
        """The domain cell of one value of input ``k`` — :meth:`cell_index` for a single record."""
        inp = self.table.inputs[k]
        if inp.domain.kind != "number":
            n = len(inp.domain.values)
            code = -1 if value is None else int(value)
            if code >= n or code < -1:
                raise DecisionTableError(f"{self.table.where()}: input {inp.name}: code {code} is outside 0..{n - 1}")
            return n if code < 0 else code
        if value is None or math.isnan(float(value)):
            return self.sizes[k] - 1
        x = float(value)
        cuts = self._cuts[k]
        j = bisect.bisect_left(cuts, x)
        return 2 * j + int(j < len(cuts) and cuts[j] == x)

    def row_of(self, values: Mapping[str, Any]) -> int:
        """The matched row (``-1`` none) of one record: its answers index the same lookup as :meth:`evaluate`."""
        key = 0
        for k, size in enumerate(self.sizes):
            key = key * size + self.cell_of(k, values[self.table.inputs[k].name])
        return self._rows[key]

    def cell_index(self, k: int, values: Any) -> Ints:
        """The domain cell of each value of input ``k`` (codes: ``-1`` missing; numbers: NaN missing)."""
        inp = self.table.inputs[k]
        arr = np.asarray(values)
        if inp.domain.kind != "number":
            n = len(inp.domain.values)
            codes = arr.astype(np.int64, copy=False)
            if codes.size and (int(codes.max()) >= n or int(codes.min()) < -1):
                raise DecisionTableError(
                    f"{self.table.where()}: input {inp.name} has a value outside its {n} codes "
                    f"({', '.join(inp.domain.values)}) or -1"
                )
            return np.where(codes < 0, n, codes)
        x = arr.astype(np.float64, copy=False)
        cuts = self.cuts[k]
        j = np.searchsorted(cuts, x, side="left")
        on = np.zeros(x.shape, dtype=bool)
        inside = j < cuts.shape[0]
        on[inside] = cuts[j[inside]] == x[inside]
        idx = 2 * j + on
        return np.where(np.isnan(x), self.sizes[k] - 1, idx).astype(np.int64)

    def keys(self, columns: Mapping[str, Any], n: int | None = None) -> Ints:
        """The combination index of each record (inputs by name; a scalar is broadcast)."""
        key: Ints | int = 0
        stride = 1
        for k in range(len(self.sizes) - 1, -1, -1):
            name = self.table.inputs[k].name
            if name not in columns:
                raise DecisionTableError(f"{self.table.where()}: no column for input {name!r}")
            key = key + self.cell_index(k, columns[name]) * stride
            stride *= self.sizes[k]
        out = np.asarray(key, dtype=np.int64)
        return np.broadcast_to(out, (n,)) if n is not None and out.ndim == 0 else out

    def evaluate(self, columns: Mapping[str, Any], n: int | None = None) -> TableResult:
        """The matched row of every record (``n`` records when every input is a scalar)."""
        key = self.keys(columns, n)
        rows = self.lookup[key]
        hits = None if self.hits is None else self.hits.reshape(len(self.table.rows), -1)[:, key].T
        return TableResult(rows, hits)

    def evaluate_one(self, values: Mapping[str, Any]) -> list[int]:
        """The oracle: the rows matching one record, interpreted cell by cell (no lookup).

        ``values`` maps input names to a code index, a number or ``None``. Returns the
        matching row indices the hit policy keeps (one for ``unique``/``first``).
        """
        found = [
            r
            for r, row in enumerate(self.table.rows)
            if all(c.accepts(values.get(i.name), i.domain) for i, c in zip(self.table.inputs, row.cells, strict=True))
        ]
        return found if self.table.hit_policy == "collect" else found[:1]
