"""One KPI computation's view of the tables: :class:`ColumnFrame`, on numpy columns.

Every KPI is evaluated here, whatever holds the data (records, arrays or DataFrames —
:mod:`employkit.metrics.columns`). A population is an array of row positions; a column
over those rows is a :class:`~employkit.metrics.columns.Values` (links such as
``seeker.registered_on`` are positions found once per report by id); a
:class:`~employkit.metrics.measures.Where` filter is a boolean mask, computed by numpy
for numeric comparisons and otherwise by comparing each *distinct* value of the column
once. Breakdown cells are codes counted with ``bincount``.

>>> import datetime as dt
>>> from employkit.metrics.report import kpi_report
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> rate = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2016, 1, 31)).get("employment_rate").value
>>> rate.numerator, rate.denominator, rate.display
(1095, 3110, '35%')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from employkit.errors import ConfigError
from employkit.followup.retention import STATUS_NAMES, Contacts, add_months_array, outcome_signs, retention_status
from employkit.labels import Text
from employkit.metrics import derived
from employkit.metrics.cells import DAY, Values, blank
from employkit.metrics.columns import ID, ColumnData, by_day, pick
from employkit.metrics.frame import BAND_PARAMS, DERIVED, DIMENSIONS, LINKS, LOOKUP, POPULATIONS, UNKNOWN, as_key
from employkit.metrics.scope import scope_of
from employkit.model import Employer, FollowUpContact, Placement, Seeker, Vacancy
from employkit.sources.schema import TABLE_ORDER, TABLES

if TYPE_CHECKING:
    from employkit.metrics.measures import Filter, Where, Within
    from employkit.model import Centre
    from employkit.rules import EvalContext

__all__ = ["ColumnData", "ColumnFrame", "Tally", "retention_tally"]

Number = int | float

#: Retention counts: the totals by status, the same per breakdown cell, and whether any check is reached.
Tally = tuple[dict[str, int], dict[str, dict[str, int]], bool]


def retention_tally(status: np.ndarray, reached: np.ndarray, codes: np.ndarray, keys: Sequence[str]) -> Tally:
    """Count the statuses of :func:`employkit.followup.retention.retention_status` in total and per cell.

    ``codes`` gives each placement's cell (an index into ``keys``).
    """
    names = STATUS_NAMES
    counts = np.bincount(status.astype(np.int64), minlength=4)
    totals = {s: int(counts[i]) for i, s in enumerate(names)}
    grid = np.bincount(codes.astype(np.int64) * 4 + status, minlength=4 * len(keys)).reshape(len(keys), 4)
    tally = {keys[i]: {s: int(grid[i, j]) for j, s in enumerate(names)} for i in range(len(keys)) if grid[i].any()}
    return totals, tally, bool(reached.any())


_RECORDS: Mapping[str, type] = {
    "seekers": Seeker,
    "employers": Employer,
    "vacancies": Vacancy,
    "placements": Placement,
    "followups": FollowUpContact,
}
_STORED: Mapping[str, frozenset[str]] = {t: frozenset(c.name for c in TABLES[t]) for t in TABLE_ORDER}
_VIA: Mapping[tuple[str, str], str] = {
    ("placements", "seeker"): "seeker_id",
    ("placements", "employer"): "employer_id",
    ("vacancies", "employer"): "employer_id",
    ("placements", "vacancy"): "vacancy_id",
    ("followups", "placement"): "placement_id",
}
_TARGET: Mapping[str, str] = {
    "seeker": "seekers",
    "employer": "employers",
    "vacancy": "vacancies",
    "placement": "placements",
}


class ColumnFrame:
    """One KPI computation's view of a :class:`ColumnData`: populations, filters, columns and cells.

    Parameters are read through ``ctx.param`` when they are used, so each explanation
    cites the parameters its KPI read; selections and links are cached for the whole report.
    """

    def __init__(self, data: ColumnData, ctx: EvalContext) -> None:
        self.ctx = ctx
        self.scope = scope_of(ctx)
        self.data = data
        self._key = (self.scope.period, self.scope.observed_on)
        self._bands: dict[str, list[Mapping[str, Any]]] = {}

    @property
    def centre(self) -> Centre | None:
        """The centre the data describes (targets, budget, staff, region), if known."""
        return self.data.centre

    @property
    def region_code(self) -> str | None:
        """The centre's region code (for ``resident``)."""
        return self.centre.region_code if self.centre is not None else None

    def cached(self, name: str, build: Callable[[], Any]) -> Any:
        """``build()`` once per report, period and observation date."""
        key = (*self._key, name)
        if key not in self.data.cache:
            self.data.cache[key] = build()
        return self.data.cache[key]

    def has_records(self, table: str) -> bool:
        """Whether the data holds any row of ``table``."""
        return self.data.has_records(table)

    # ------------------------------------------------------------------ bands and labels

    def bands(self, pid: str) -> Sequence[Mapping[str, Any]]:
        """The bands of a band parameter (``metrics.breakdown.age_bands``…), lowest first."""
        if pid not in self._bands:
            self._bands[pid] = sorted(self.ctx.param(pid), key=lambda b: b["min"])
        return self._bands[pid]

    def band_label(self, pid: str, key: str) -> Text:
        """The label of a band."""
        for band in self.bands(pid):
            if str(band["key"]) == key:
                return Text(str(band.get("ko", key)), str(band.get("en", key)))
        return Text(key, key)

    def label(self, column: str, key: str) -> Text:
        """The Korean and English label of a cell."""
        if key == UNKNOWN:
            return Text("미상", "unknown")
        dim = DIMENSIONS.get(column)
        if dim is not None and dim.label is not None:
            return dim.label(self, key)
        return Text(key, key)

    def order(self, column: str, keys: Iterable[str]) -> list[str]:
        """Cells in reading order: bands by their bounds, other cells as strings, unknown last."""
        pid = BAND_PARAMS.get(column)
        keys = list(keys)
        if pid is not None:
            rank = {str(b["key"]): n for n, b in enumerate(self.bands(pid))}
            return sorted(keys, key=lambda k: (k == UNKNOWN, rank.get(k, len(rank)), k))
        return sorted(keys, key=lambda k: (k == UNKNOWN, k))

    # ------------------------------------------------------------------ populations

    def rows(self, population: str) -> np.ndarray:
        """Positions of the rows of ``population`` in the period, in table order."""
        if population not in POPULATIONS:
            raise ConfigError(f"unknown population {population!r}; expected one of {', '.join(POPULATIONS)}")
        result: np.ndarray = self.cached(f"rows:{population}", lambda: self._select(population))
        return result

    def _in_period(self, table: str, column: str) -> np.ndarray:
        days = self.data.column(table, column)
        start, until = np.datetime64(self.scope.period.start, "D"), np.datetime64(self.scope.until, "D")
        return np.flatnonzero(days.known & (days.data >= start) & (days.data <= until))

    def _among(self, table: str, rows: np.ndarray, column: str, ids: Values) -> np.ndarray:
        """Which of ``rows`` have a ``column`` among ``ids``."""
        own = self.data.column(table, column)
        codes, uniques = ids.factorized()
        present = np.zeros(len(uniques), dtype=bool)
        present[codes[codes >= 0]] = True
        matched = self.data.match(own, ids)[present]
        own_codes, own_uniques = own.factorized()
        among = np.zeros(len(own_uniques) + 1, dtype=bool)
        among[matched[matched >= 0]] = True
        mine = own_codes[rows]
        return among[np.where(mine < 0, len(own_uniques), mine)]

    def _select(self, population: str) -> np.ndarray:
        if population == "seekers":
            return self._in_period("seekers", "registered_on")
        if population == "placements":
            return self._in_period("placements", "start_date")
        if population == "placed_seekers":
            seekers = self.rows("seekers")
            placed = self.take("placements", "seeker_id", self.rows("placements"))
            cohort: np.ndarray = seekers[self._among("seekers", seekers, "seeker_id", placed)]
            return cohort
        if population == "vacancies":
            return self._in_period("vacancies", "posted_on")
        if population == "employers":
            posting = self.take("vacancies", "employer_id", self.rows("vacancies"))
            every = np.arange(self.data.size("employers"))
            posted: np.ndarray = every[self._among("employers", every, "employer_id", posting)]
            return posted
        return self._in_period("followups", "contacted_on")

    def outside_cohort(self) -> int:
        """Placements in the period whose seeker did not register in the period."""

        def count() -> int:
            placed = self.rows("placements")
            cohort = self.take("seekers", "seeker_id", self.rows("seekers"))
            return int(np.count_nonzero(~self._among("placements", placed, "seeker_id", cohort)))

        found: int = self.cached("outside_cohort", count)
        return found

    # ------------------------------------------------------------------ filters

    def filtered(self, population: str, where: Iterable[Filter]) -> tuple[np.ndarray, list[Text]]:
        """The population's rows that pass every filter, and the filters in words."""
        table = POPULATIONS[population].table
        rows = self.rows(population)
        words = []
        for f in where:
            rows = rows[self.mask(f, table, rows)]
            words.append(f.describe(self))
        return rows, words

    def mask(self, f: Filter, table: str, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` pass the filter ``f``."""
        from employkit.metrics.measures import Within

        if isinstance(f, Within):
            return self._within(f, table, rows)
        return self._where(f, table, rows)

    def _where(self, f: Where, table: str, rows: np.ndarray) -> np.ndarray:
        from employkit.metrics.measures import Param, compare

        want = self.ctx.param(f.value.id) if isinstance(f.value, Param) else f.value
        values = self.value(table, rows, f.column)
        if f.op in ("present", "absent"):
            return values.known if f.op == "present" else ~values.known
        numeric = isinstance(want, int | float) and not isinstance(want, bool)
        if values.kind in ("int", "float") and numeric and f.op in ("ge", "gt", "le", "lt"):
            test = {"ge": np.greater_equal, "gt": np.greater, "le": np.less_equal, "lt": np.less}[f.op]
            passed: np.ndarray = values.known & test(values.data, want)
            return passed
        codes, uniques = values.factorized()
        passes = np.array([compare(f.op, u, want) for u in uniques] + [compare(f.op, None, want)], dtype=bool)
        return passes[np.where(codes < 0, len(uniques), codes)] if len(codes) else np.zeros(0, dtype=bool)

    def _within(self, f: Within, table: str, rows: np.ndarray) -> np.ndarray:
        from employkit.metrics.measures import Param

        months = int(self.ctx.param(f.months.id) if isinstance(f.months, Param) else f.months)
        day, since = derived.days(self.value(table, rows, f.column)), derived.days(self.value(table, rows, f.of))
        if day is None or since is None:
            return np.zeros(len(rows), dtype=bool)
        ok = ~np.isnat(day) & ~np.isnat(since)
        limit = by_day(since, lambda unique: add_months_array(unique, months))
        return np.asarray(ok & (since <= day) & (day <= limit))

    # ------------------------------------------------------------------ links and columns

    def link(self, table: str, rows: np.ndarray, name: str) -> tuple[str, np.ndarray]:
        """The table linked as ``name`` to ``table`` and the linked row of each of ``rows`` (``-1``: none)."""
        if name == table.rstrip("s") or (name == "vacancy" and table == "vacancies"):
            return table, rows
        target = _TARGET[name]
        none = np.full(len(rows), -1, dtype=np.int64)
        if table == "followups" and name in ("seeker", "employer"):
            _, placed = self.link(table, rows, "placement")
            found = placed >= 0
            _, linked = self.link("placements", placed[found], name)
            none[found] = linked
            return target, none
        via = _VIA.get((table, name))
        if via is None:
            return target, none
        full: np.ndarray = self.data.cache.get(("link", table, name))  # type: ignore[assignment]
        if full is None:
            full = self.data.positions(target, ID[target], self.data.column(table, via))
            self.data.cache["link", table, name] = full
        return target, full[rows]

    def through(self, table: str, rows: np.ndarray, name: str, get: Callable[[str, np.ndarray], Values]) -> Values:
        """``get`` on the row linked as ``name`` to each of ``rows`` (empty where there is none)."""
        target, linked = self.link(table, rows, name)
        found = np.flatnonzero(linked >= 0)
        if len(found) == len(rows):
            return get(target, linked)
        return scatter(len(rows), found, get(target, linked[found]))

    def take(self, table: str, column: str, rows: np.ndarray) -> Values:
        """The stored column of ``table`` at ``rows``."""
        return self.data.column(table, column).take(rows)

    def value(self, table: str, rows: np.ndarray, column: str) -> Values:
        """The value of ``column`` (a dimension, a derived value or a field) for each of ``rows``."""
        if column in DERIVED:
            return self.whole(table, column, derived.derived, rows)
        if column in DIMENSIONS:
            return self.dimension(table, rows, column)
        return self.field(table, rows, column)

    def whole(self, table: str, column: str, compute: Callable[..., Values], rows: np.ndarray) -> Values:
        """``compute(frame, table, rows, column)`` over the whole table once per report, then at ``rows``."""
        size = self.data.size(table)
        full: Values = self.cached(f"whole:{table}:{column}", lambda: compute(self, table, np.arange(size), column))
        if len(rows) == size and (size == 0 or (rows[0] == 0 and rows[-1] == size - 1)):
            return full
        return full.take(rows)

    def field(self, table: str, rows: np.ndarray, column: str) -> Values:
        """The stored value of ``column``: of a linked row when dotted, else looked up through the links."""
        head, dot, rest = column.partition(".")
        if dot and head in LINKS:
            return self.through(table, rows, head, lambda t, r: self.value(t, r, rest))
        pieces: list[tuple[np.ndarray, Values]] = []
        todo = np.ones(len(rows), dtype=bool)
        for name in (None, *LOOKUP[table]):
            target, linked = (table, rows) if name is None else self.link(table, rows, name)
            if column in _STORED[target] or self.data.attribute(target, column):
                take = np.flatnonzero(todo & (linked >= 0))
                pieces.append((take, self.take(target, column, linked[take])))
                todo[take] = False
            elif column in self.data.extra_columns(target):
                candidates = np.flatnonzero(todo & (linked >= 0))
                part = self.take(target, column, linked[candidates])
                take = candidates[part.known]
                pieces.append((take, part.take(np.flatnonzero(part.known))))
                todo[take] = False
            elif hasattr(_RECORDS[target], column) and column != "extra" and self.data.has_records(target):
                raise ConfigError(
                    f"column {column!r} is an attribute of {_RECORDS[target].__name__} records, not a stored "
                    "column of these tables: compute the KPIs on the records (kpi_report on a Dataset)"
                )
            if not todo.any():
                break
        return combine(len(rows), pieces, column)

    def dimension(self, table: str, rows: np.ndarray, name: str) -> Values:
        """The breakdown dimension ``name`` for each of ``rows`` (a text or empty)."""
        if name in BAND_PARAMS:  # the bands are a parameter, read by each KPI that uses them
            codes, keys = self.band_codes(table, rows, name)
            return derived.coded(codes, keys)
        if name == "segment":  # the segments come with the report
            return derived.dimension(self, table, rows, name)
        return self.whole(table, name, derived.dimension, rows)

    def band_codes(self, table: str, rows: np.ndarray, name: str) -> tuple[np.ndarray, list[str]]:
        """The band of each row (``-1``: none) and the band keys; the bands are read only when a row has a value."""
        column = "age" if name == "age_band" else "wage"

        def numbers() -> np.ndarray:  # the whole table's numbers, only while they are needed
            found: np.ndarray = self.value(table, np.arange(self.data.size(table)), column).numbers()
            return found

        known: np.ndarray = self.cached(f"known:{table}:{column}", lambda: ~np.isnan(numbers()))
        if not known[rows].any():
            return np.full(len(rows), -1, dtype=np.int64), []
        bands = self.bands(BAND_PARAMS[name])
        mins = tuple(float(b["min"]) for b in bands)

        def band() -> np.ndarray:  # the whole table once per set of bands
            found = np.searchsorted(np.array(mins), numbers(), side="right") - 1
            return np.where(known, found, -1).astype(np.int8 if len(mins) < 128 else np.int64)

        codes: np.ndarray = self.cached(f"bands:{table}:{column}:{mins}", band)
        return codes[rows].astype(np.int64), [str(b["key"]) for b in bands]

    # ------------------------------------------------------------------ cells

    def keys(self, table: str, rows: np.ndarray, by: str) -> tuple[np.ndarray, list[str]]:
        """The breakdown cell of each of ``rows``: codes into a list of distinct cell keys."""
        if by in BAND_PARAMS or by == "segment":
            return merged(*self.dimension(table, rows, by).factorized())
        full_codes, names = self.cached(
            f"keys:{table}:{by}", lambda: merged(*self.value(table, np.arange(self.data.size(table)), by).factorized())
        )
        return full_codes[rows], names

    def count_cells(self, population: str, rows: np.ndarray, by: str) -> dict[str, Number]:
        """The number of ``rows`` in each cell of ``by`` (cells with none left out)."""
        codes, names = self.keys(POPULATIONS[population].table, rows, by)
        counts = np.bincount(codes, minlength=len(names))
        return {names[i]: int(c) for i, c in enumerate(counts) if c}

    def sum_cells(
        self, population: str, rows: np.ndarray, column: str, by: str | None
    ) -> tuple[Number, dict[str, Number] | None]:
        """The sum of the numbers of ``column`` over ``rows`` (other cells skipped), and per cell of ``by``."""
        table = POPULATIONS[population].table
        values = self.value(table, rows, column)
        known, numbers, kind = derived.numbers(values)
        total = _ordered_sum(numbers, kind)
        if not by:
            return total, None
        codes, names = self.keys(table, rows[known], by)
        order = np.argsort(codes, kind="stable")
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        cells: dict[str, Number] = {}
        for part in np.split(order, bounds) if len(order) else []:
            cells[names[int(codes[part[0]])]] = _ordered_sum(numbers[part], kind)
        return total, cells

    # ------------------------------------------------------------------ retention

    def retention_tally(self, months: int, by: str, window: int) -> Tally:
        """Retention status counts of the period's placements (the one definition, ``retention_status``)."""
        rows = self.rows("placements")
        start: np.ndarray = self.cached("start", lambda: self.take("placements", "start_date", rows).data)
        ended = self.take("placements", "ended_on", rows).data
        contacts: Contacts = self.cached("contacts", lambda: self.contacts(rows))  # the same start: reused
        point = by_day(start, lambda unique: add_months_array(unique, months))
        status, reached = retention_status(start, ended, point, contacts, self.scope.observed_on, window)
        codes, keys = self.keys("placements", rows, by)
        return retention_tally(status, reached, codes, keys)

    def contacts(self, rows: np.ndarray) -> Contacts:
        """The follow-up contacts of the placement ``rows``, sorted (by placement id, the last row of an id)."""
        if not self.data.has_records("followups") or not len(rows):
            return Contacts.empty()
        own = self.data.column("placements", "placement_id")
        codes, uniques = own.factorized()
        mine = codes[rows]
        last = np.full(len(uniques), -1, dtype=np.int64)
        ok = mine >= 0
        last[mine[ok]] = np.flatnonzero(ok)  # the last of the rows with an id, as a dict would keep it
        theirs = self.data.column("followups", "placement_id")
        owner = pick(last, self.data.match(own, theirs), theirs)
        keep = owner >= 0
        day = self.data.column("followups", "contacted_on").data[keep].astype(DAY)
        outcome = self.data.column("followups", "outcome")
        table = outcome_signs([*(getattr(u, "code", str(u)) for u in outcome.uniques), ""])
        signs = table[np.where(outcome.data < 0, len(outcome.uniques), outcome.data)][keep]
        return Contacts(owner[keep], day, signs).sorted()  # sorted once, searched at every retention point

    # ------------------------------------------------------------------ columns a breakdown may use

    def known_column(self, column: str) -> bool:
        """Whether ``column`` names a dimension, a derived value, a stored column or a record attribute."""
        if column in DIMENSIONS or column in DERIVED:
            return True
        head, dot, rest = column.partition(".")
        if dot and head in LINKS:
            return bool(rest)
        for table in TABLE_ORDER:
            if not self.data.has_records(table):
                continue
            if hasattr(_RECORDS[table], column) or self.data.attribute(table, column):
                return True
            if column in self.data.extra_columns(table) and self.data.column(table, column).known[:200].any():
                return True
        return False


def scatter(n: int, where: np.ndarray, part: Values) -> Values:
    """``part`` (the values of the rows ``where``) spread over ``n`` rows, empty elsewhere."""
    if len(where) == n:
        return part
    positions = np.full(n, -1, dtype=np.int64)
    positions[where] = np.arange(len(where))
    return part.take(positions)


def combine(n: int, pieces: list[tuple[np.ndarray, Values]], column: str) -> Values:
    """Pieces of a column found in several linked tables, as one column of ``n`` rows."""
    if not pieces:
        return blank(n)
    first = pieces[0]
    pieces = [(w, p) for w, p in pieces if len(w)]
    if not pieces:  # no row has a value: all empty, of the column's kind
        return first[1].empty(n)
    if len(pieces) == 1:
        return scatter(n, *pieces[0])
    kinds = {p.kind for _, p in pieces}
    kind = kinds.pop() if len(kinds) == 1 else "object"
    if kind == "object" and not all(p.coded for _, p in pieces):
        raise ConfigError(f"column {column!r} has values of different kinds in linked tables")
    out = pieces[0][1].empty(n)
    if not out.coded:
        for where, part in pieces:
            out.data[where], out.known[where] = part.data, part.known
        return out
    index: dict[Any, int] = {}
    for where, part in pieces:
        remap = np.array([*(index.setdefault(u, len(index)) for u in part.uniques), -1], dtype=np.int64)
        out.data[where] = remap[np.where(part.data < 0, len(part.uniques), part.data)]
    return Values(kind, out.data, out.data >= 0, tuple(index), pieces[0][1].enum)


def merged(codes: np.ndarray, uniques: Sequence[Any]) -> tuple[np.ndarray, list[str]]:
    """Codes into distinct values as codes into distinct cell keys (values with the same key merged)."""
    raw = [as_key(u) for u in uniques] + [UNKNOWN]
    names: dict[str, int] = {}
    remap = np.array([names.setdefault(k, len(names)) for k in raw], dtype=np.int64)
    found = remap[np.where(codes < 0, len(uniques), codes)] if len(codes) else codes.astype(np.int64)
    return found, list(names)


def _ordered_sum(numbers: np.ndarray, kind: str) -> Number:
    """The sum as Python adds: exact integers, or floats added left to right."""
    if not len(numbers):
        return 0
    if kind == "int":
        return int(numbers.sum(dtype=np.int64))
    return float(np.cumsum(numbers)[-1])


def compute(data: ColumnData) -> Callable[[Any, Any], Any]:
    """``compute(kpi, ctx)`` of a report on ``data``: every KPI's one ``compute`` on the columns."""

    def one(kpi: Any, ctx: Any) -> Any:
        return kpi.compute(data, ctx)

    return one
