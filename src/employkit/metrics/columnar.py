"""The KPI set on pandas DataFrames, column by column: the same report as :func:`~employkit.metrics.report.kpi_report`.

:func:`~employkit.metrics.report.kpi_report_frames` takes one DataFrame per table, columns named as in the schema
(what :func:`employkit.frames.to_frames` gives), and computes every declared KPI with
vectorised numpy and pandas operations instead of one Python call per record. The
result is the same :class:`~employkit.metrics.report.KpiReport` — numerators,
denominators, values, breakdown cells, explanations and suppression — as
:func:`~employkit.metrics.report.kpi_report` on the equivalent
:class:`~employkit.dataset.Dataset`, for tens of millions of rows.

How it works: a :class:`ColumnFrame` is the columnar twin of
:class:`~employkit.metrics.frame.Frame`. A population is an array of row positions; a
column over those rows is a pandas Series (links such as ``seeker.registered_on`` are
positions found once per report by id); a :class:`~employkit.metrics.measures.Where`
filter becomes a boolean mask, computed by numpy for numeric comparisons and otherwise by
applying the record path's own comparison to each *distinct* value of the column, so the
two paths cannot disagree. Breakdown cells are codes counted with ``bincount``.

Every KPI kind of :mod:`employkit.metrics.kpis` is supported: formulas
(:class:`~employkit.metrics.kpis.FormulaKpi`), funnels and retention series (follow-up
contacts joined to placements by id). What is not supported raises
:class:`~employkit.metrics.measures.ColumnarUnsupported`, which the report shows as that
KPI's error (the other KPIs are computed): a KPI class of a pack with no
``compute_columns`` method, a measure with no ``evaluate_columns``, or a filter on a
record attribute that is not a stored column (a property such as ``born``). Compute those
with :func:`~employkit.metrics.report.kpi_report` on a Dataset.

Frames may also be built directly (numpy, Arrow): ids of any type that compare equal
across tables (strings or integers), dates as ``datetime64`` or anything
:func:`pandas.to_datetime` reads, numbers as numbers; a missing optional column counts as
empty and a missing required one is a :class:`~employkit.errors.DataError`.

>>> import datetime as dt
>>> from employkit.frames import to_frames
>>> from employkit.metrics.report import kpi_report_frames
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> report = kpi_report_frames(to_frames(sample_centre()), RuleSystem.build(), dt.date(2016, 1, 31),
...                            centre=sample_centre().centre)
>>> rate = report.get("employment_rate").value
>>> rate.numerator, rate.denominator, rate.display
(1095, 3110, '35%')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, cast

import attrs
import numpy as np
from attrs import frozen

from employkit.errors import DataError, Problem
from employkit.followup.retention import Contacts, add_months_array, outcome_signs, retention_status
from employkit.labels import CodedEnum, Text
from employkit.metrics.frame import (
    _BAND_PARAMS,
    _DATE_OF,
    _DERIVED,
    _LINKS,
    _LOOKUP,
    DIMENSIONS,
    POPULATIONS,
    FrameBase,
    _as_key,
)
from employkit.metrics.kpis import Tally, retention_tally
from employkit.metrics.measures import ColumnarUnsupported, Filter, Where, Within, _compare
from employkit.metrics.scope import scope_of
from employkit.model import (
    Employer,
    EmploymentType,
    FollowUpContact,
    FollowUpOutcome,
    Gender,
    Level,
    Placement,
    Seeker,
    SeekerGroup,
    Vacancy,
    ages_on,
)
from employkit.sources.schema import TABLE_ORDER, TABLES

if TYPE_CHECKING:
    from employkit.metrics.base import KpiValue
    from employkit.metrics.scope import KpiContext
    from employkit.model import Centre
    from employkit.rules import EvalContext

__all__ = ["ColumnData", "ColumnFrame", "Values"]

Number = int | float
Positions = np.ndarray  # row positions into a table's frame (int64), -1 where a link is missing

_RECORDS: Mapping[str, type] = {
    "seekers": Seeker,
    "employers": Employer,
    "vacancies": Vacancy,
    "placements": Placement,
    "followups": FollowUpContact,
}
_ENUMS: Mapping[str, type[CodedEnum]] = {
    "level": Level,
    "gender": Gender,
    "employment_type": EmploymentType,
    "outcome": FollowUpOutcome,
}
_SETS: Mapping[str, type[CodedEnum] | None] = {"list": None, "employment_types": EmploymentType, "groups": SeekerGroup}
_KIND: Mapping[str, str] = {
    "id": "str",
    "text": "str",
    "region": "str",
    "occupation": "str",
    "int": "int",
    "wage": "int",
    "float": "float",
    "date": "date",
    "bool": "bool",
    **{k: "enum" for k in _ENUMS},
    **{k: "set" for k in _SETS},
}


def _pd() -> Any:
    from employkit.frames import _pandas

    return _pandas()


@frozen
class Values:
    """A column over some rows: a pandas Series (positional index) and what its cells are.

    ``kind`` is ``int``, ``float``, ``bool``, ``date``, ``str``, ``enum`` (codes of
    ``enum``), ``set`` (``;``-joined items, of ``enum`` when given) or ``object``.
    """

    kind: str
    data: Any
    enum: type[CodedEnum] | None = None

    def python(self, cell: Any) -> Any:
        """The value the record path sees for one cell (``None`` when missing)."""
        pd = _pd()
        if self.kind == "set":
            if cell is None or (not isinstance(cell, str) and not pd.api.types.is_list_like(cell) and pd.isna(cell)):
                return None
            items = [x for x in cell.split(";") if x] if isinstance(cell, str) else [str(x) for x in cell]
            return frozenset(self._member(x) for x in items)
        if cell is None or pd.isna(cell):
            return None
        if self.kind == "int":
            return int(cell)
        if self.kind == "float":
            return float(cell)
        if self.kind == "bool":
            return bool(cell)
        if self.kind == "date":
            return pd.Timestamp(cell).date()
        if self.kind == "enum":
            return self._member(str(cell))
        if self.kind == "str":
            return str(cell)
        return cell

    def _member(self, code: str) -> Any:
        if self.enum is None:
            return code
        try:
            return cast(Any, self.enum)(code)
        except ValueError:
            return code

    def factorized(self) -> tuple[np.ndarray, list[Any]]:
        """Codes (``-1`` for missing) and the record path's value of each distinct cell."""
        pd = _pd()
        codes, uniques = pd.factorize(self.data, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), [self.python(u) for u in uniques]


def _empty(n: int) -> Values:
    pd = _pd()
    return Values("object", pd.Series([None] * n, dtype=object))


def _coded(codes: np.ndarray, names: Sequence[str | None]) -> Values:
    """String cells given as codes into ``names`` (``-1`` or a ``None`` name: missing)."""
    pd = _pd()
    unique: dict[str, int] = {}
    remap = np.full(len(names) + 1, -1, dtype=np.int64)
    for i, name in enumerate(names):
        if name is not None:
            remap[i] = unique.setdefault(name, len(unique))
    mapped = remap[np.where(codes < 0, len(names), codes)] if len(codes) else codes.astype(np.int64)
    return Values("str", pd.Series(pd.Categorical.from_codes(mapped, categories=list(unique))))


def _scatter(n: int, where: np.ndarray, part: Values) -> Values:
    """``part`` (values of the rows ``where``) spread over ``n`` rows, missing elsewhere."""
    pd = _pd()
    if len(where) == n:
        return part
    data = part.data.copy()
    data.index = where
    return Values(part.kind, data.reindex(pd.RangeIndex(n)), part.enum)


def _string_map(values: Values, fn: Callable[[str], str | None]) -> Values:
    """``fn`` of the text of each distinct cell (missing stays missing)."""
    codes, uniques = values.factorized()
    return _coded(codes, [None if u is None else fn(str(u)) for u in uniques])


class ColumnData:
    """The DataFrames of one dataset, checked and typed, with the caches a report's KPIs share.

    ``frames`` maps table names to DataFrames, or to :class:`employkit.frames.RecordTable`
    views of records that build each column as it is read (missing tables are empty); ``centre``
    gives the region, targets, budget and staff the record path reads from
    ``Dataset.centre``.
    """

    def __init__(self, frames: Mapping[str, Any], centre: Centre | None = None) -> None:
        pd = _pd()
        unknown = set(frames) - set(TABLE_ORDER)
        if unknown:
            raise DataError(
                [Problem(f"unknown table {t!r}; expected one of {', '.join(TABLE_ORDER)}", table=t) for t in unknown],
                "cannot compute KPIs from these frames",
            )
        self.centre = centre
        self.frames: dict[str, Any] = {}
        for table in TABLE_ORDER:
            frame = frames.get(table)
            self.frames[table] = pd.DataFrame() if frame is None else frame
        self.cache: dict[Any, Any] = {}
        self._typed: dict[tuple[str, str], Values] = {}

    def frame(self, ctx: EvalContext) -> ColumnFrame:
        """A view for one KPI computation (its own band cache, the shared caches)."""
        return ColumnFrame(self, ctx)

    def size(self, table: str) -> int:
        """The number of rows of ``table``."""
        return len(self.frames[table])

    def has_records(self, table: str) -> bool:
        """Whether ``table`` has any row."""
        return self.size(table) > 0

    def extra_columns(self, table: str) -> set[str]:
        """Columns of ``table``'s frame that are not schema columns (the records' ``extra``)."""
        schema = {c.name for c in TABLES[table]}
        return {str(c) for c in self.frames[table].columns} - schema

    def column(self, table: str, name: str) -> Values:
        """A stored column of the whole table, typed by the schema (extra columns as they are)."""
        key = (table, name)
        if key not in self._typed:
            self._typed[key] = self._type(table, name)
        return self._typed[key]

    def _type(self, table: str, name: str) -> Values:
        pd = _pd()
        frame = self.frames[table]
        n = len(frame)
        schema = {c.name: c for c in TABLES[table]}
        col = schema.get(name)
        if name not in frame.columns:
            if col is not None and col.required and n:
                raise DataError(
                    [Problem(f"required column {name!r} is missing", table=table, column=name)],
                    "cannot compute KPIs from these frames",
                )
            if col is None:
                return _empty(n)
            raw = pd.Series([None] * n, dtype=object)
        else:
            raw = frame[name].reset_index(drop=True)
        if col is None:
            return Values(
                "object" if raw.dtype == object else "str", raw.astype("string") if raw.dtype != object else raw
            )
        kind = _KIND[col.type]
        try:
            if kind == "int":
                data = raw if str(raw.dtype) == "Int64" else pd.to_numeric(raw).astype("Int64")
            elif kind == "float":
                data = raw if str(raw.dtype) == "Float64" else pd.to_numeric(raw).astype("Float64")
            elif kind == "bool":
                data = raw if str(raw.dtype) == "boolean" else raw.astype("boolean")
            elif kind == "date":
                data = raw if str(raw.dtype) == "datetime64[ns]" else pd.to_datetime(raw).astype("datetime64[ns]")
            elif kind == "set":
                data = raw if raw.dtype == object else raw.astype("string").fillna("")
                if raw.dtype == object:
                    data = raw.map(lambda v: v if isinstance(v, str) or pd.api.types.is_list_like(v) else "")
            else:
                data = raw
        except (ValueError, TypeError) as exc:
            raise DataError(
                [Problem(f"cannot read as {col.type}: {exc}", table=table, column=name)],
                "cannot compute KPIs from these frames",
            ) from None
        return Values(kind, data, _ENUMS.get(col.type) or _SETS.get(col.type))

    def positions(self, table: str, by: str, ids: Any) -> np.ndarray:
        """The row of ``table`` whose ``by`` id equals each of ``ids`` (the last one if repeated; ``-1`` if none)."""
        pd = _pd()
        index, last, _ = self._index(table, by)
        if index is None:  # sorted whole-number ids: a binary search
            own = last
            wanted = pd.Series(ids)
            if not pd.api.types.is_integer_dtype(wanted.dtype):
                return self._lookup(table, by, ids)
            values = wanted.to_numpy(dtype="float64", na_value=np.nan)
            known = ~np.isnan(values)
            if len(own) and own[-1] - own[0] == len(own) - 1:  # consecutive ids: the position is an offset
                offset = values[known].astype(np.int64) - own[0]
                inside = (offset >= 0) & (offset < len(own))
                found = np.full(len(values), -1, dtype=np.int64)
                found[np.flatnonzero(known)[inside]] = offset[inside]
                return found
            where = np.searchsorted(own, values[known].astype(np.int64))
            where = np.minimum(where, len(own) - 1) if len(own) else where
            found = np.full(len(values), -1, dtype=np.int64)
            hit = own[where] == values[known].astype(np.int64) if len(own) else np.zeros(0, dtype=bool)
            found[np.flatnonzero(known)[hit]] = where[hit]
            return found
        return self._lookup(table, by, ids)

    def _lookup(self, table: str, by: str, ids: Any) -> np.ndarray:
        pd = _pd()
        key = ("hash", table, by)
        if key not in self.cache:
            own = self.column(table, by).data
            codes, uniques = pd.factorize(own, use_na_sentinel=True)
            last = np.full(len(uniques), -1, dtype=np.int64)
            rows = np.arange(len(own), dtype=np.int64)
            ok = codes >= 0
            last[codes[ok]] = rows[ok]  # later rows overwrite earlier ones: the last wins, as a dict would
            self.cache[key] = (pd.Index(uniques), last)
        index, last = self.cache[key]
        found = index.get_indexer(ids)
        if not len(last):  # an empty table: no id links
            return np.full(len(found), -1, dtype=np.int64)
        return np.where(found >= 0, last[np.maximum(found, 0)], -1).astype(np.int64)

    def _index(self, table: str, by: str) -> tuple[Any, np.ndarray, bool]:
        """How ids of ``table`` are found: ``(None, ids, True)`` for sorted unique whole numbers, else a hash."""
        pd = _pd()
        key = ("index", table, by)
        if key not in self.cache:
            own = self.column(table, by).data
            if pd.api.types.is_integer_dtype(own.dtype) and not own.hasnans and own.is_monotonic_increasing:
                values = own.to_numpy(dtype=np.int64)
                if len(values) < 2 or bool(np.all(values[1:] != values[:-1])):
                    self.cache[key] = (None, values, True)
                    return self.cache[key]  # type: ignore[no-any-return]
            self.cache[key] = ("hash", np.empty(0, dtype=np.int64), bool(own.is_unique))
        return self.cache[key]  # type: ignore[no-any-return]

    def unique_ids(self, table: str) -> bool:
        """Whether every row of ``table`` has its own id (links then stand for sets of ids)."""
        return self._index(table, _ID[table])[2]


class ColumnFrame(FrameBase):
    """One KPI computation's view of DataFrames: the columnar :class:`~employkit.metrics.frame.Frame`.

    Populations are arrays of row positions; columns over them are :class:`Values`;
    filters are boolean masks. Parameters are read through ``ctx.param`` at the same
    points as the record path, so explanations cite the same parameters.
    """

    def __init__(self, data: ColumnData, ctx: EvalContext) -> None:
        super().__init__(ctx, scope_of(ctx))
        self.data = data
        self._key = (self.scope.period, self.scope.observed_on)

    @property
    def centre(self) -> Centre | None:
        """The centre given with the frames."""
        return self.data.centre

    def _cached(self, name: str, build: Callable[[], Any]) -> Any:
        key = (*self._key, name)
        if key not in self.data.cache:
            self.data.cache[key] = build()
        return self.data.cache[key]

    def has_records(self, table: str) -> bool:
        """Whether the frames hold any row of ``table``."""
        return self.data.has_records(table)

    # ------------------------------------------------------------------ populations

    def _in_period(self, table: str, column: str) -> np.ndarray:
        days = self.data.column(table, column).data
        start = np.datetime64(self.scope.period.start, "ns")
        until = np.datetime64(self.scope.until, "ns")
        values = days.to_numpy(dtype="datetime64[ns]")
        return np.asarray(~np.isnat(values) & (values >= start) & (values <= until))

    def rows(self, population: str) -> np.ndarray:
        """Positions of the rows of ``population`` in the period, in table order."""
        result: np.ndarray = self._cached(f"rows:{population}", lambda: self._select(population))
        return result

    def _select(self, population: str) -> np.ndarray:
        if population == "seekers":
            return np.flatnonzero(self._in_period("seekers", "registered_on"))
        if population == "placements":
            return np.flatnonzero(self._in_period("placements", "start_date"))
        if population == "placed_seekers" and self.data.unique_ids("seekers"):
            placed = np.zeros(self.data.size("seekers"), dtype=bool)
            _, linked = self.link("placements", self.rows("placements"), "seeker")
            placed[linked[linked >= 0]] = True
            seekers = self.rows("seekers")
            chosen: np.ndarray = seekers[placed[seekers]]
            return chosen
        if population == "placed_seekers":
            seekers = self.rows("seekers")
            ids = self.data.column("seekers", "seeker_id").data
            placed = self.data.column("placements", "seeker_id").data.iloc[self.rows("placements")]
            kept: np.ndarray = seekers[np.asarray(ids.iloc[seekers].isin(placed.dropna().unique()))]
            return kept
        if population == "vacancies":
            return np.flatnonzero(self._in_period("vacancies", "posted_on"))
        if population == "employers" and self.data.unique_ids("employers"):
            posting_rows = np.zeros(self.data.size("employers"), dtype=bool)
            _, linked = self.link("vacancies", self.rows("vacancies"), "employer")
            posting_rows[linked[linked >= 0]] = True
            return np.flatnonzero(posting_rows)
        if population == "employers":
            posting = self.data.column("vacancies", "employer_id").data.iloc[self.rows("vacancies")]
            ids = self.data.column("employers", "employer_id").data
            return np.flatnonzero(np.asarray(ids.isin(posting.dropna().unique())))
        return np.flatnonzero(self._in_period("followups", "contacted_on"))

    def outside_cohort(self) -> int:
        """Placements in the period whose seeker did not register in the period."""
        if self.data.unique_ids("seekers"):
            cohort_rows = np.zeros(self.data.size("seekers"), dtype=bool)
            cohort_rows[self.rows("seekers")] = True
            _, linked = self.link("placements", self.rows("placements"), "seeker")
            return int(np.count_nonzero(~cohort_rows[np.maximum(linked, 0)] | (linked < 0)))
        cohort = self.data.column("seekers", "seeker_id").data.iloc[self.rows("seekers")]
        placed = self.data.column("placements", "seeker_id").data.iloc[self.rows("placements")]
        return int((~placed.isin(cohort.dropna().unique())).sum())

    def filtered(self, population: str, where: Iterable[Filter]) -> tuple[np.ndarray, list[Text]]:
        """The population's rows that pass every filter, and the filters in words (as the record path)."""
        table = POPULATIONS[population].table
        rows = self.rows(population)
        words = []
        for f in where:
            rows = rows[self.mask(f, table, rows)]
            words.append(f.describe(self))
        return rows, words

    def mask(self, f: Filter, table: str, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` pass the filter ``f``."""
        if isinstance(f, Within):
            return self._within(f, table, rows)
        return self._where(f, table, rows)

    def _where(self, f: Where, table: str, rows: np.ndarray) -> np.ndarray:
        from employkit.metrics.measures import Param

        want = self.ctx.param(f.value.id) if isinstance(f.value, Param) else f.value
        values = self.value(table, rows, f.column)
        if f.op in ("present", "absent") and values.kind != "object":
            known = np.asarray(values.data.notna(), dtype=bool)
            return known if f.op == "present" else ~known
        numeric = isinstance(want, int | float) and not isinstance(want, bool)
        if values.kind in ("int", "float") and numeric and f.op in ("ge", "gt", "le", "lt"):
            data = values.data
            test = {"ge": data >= want, "gt": data > want, "le": data <= want, "lt": data < want}[f.op]
            return np.asarray(test.fillna(False), dtype=bool)
        codes, uniques = values.factorized()
        table_of = np.array([_compare(f.op, u, want) for u in uniques] + [_compare(f.op, None, want)], dtype=bool)
        return table_of[np.where(codes < 0, len(uniques), codes)] if len(codes) else np.zeros(0, dtype=bool)

    def _within(self, f: Within, table: str, rows: np.ndarray) -> np.ndarray:
        from employkit.metrics.measures import Param

        months = int(self.ctx.param(f.months.id) if isinstance(f.months, Param) else f.months)
        day, since = self.value(table, rows, f.column), self.value(table, rows, f.of)
        if day.kind != "date" or since.kind != "date":
            if "object" in (day.kind, since.kind):
                raise ColumnarUnsupported(f"Within({f.column!r}, {f.of!r}) on columns that are not dates")
            return np.zeros(len(rows), dtype=bool)
        d = day.data.to_numpy(dtype="datetime64[ns]")
        s = since.data.to_numpy(dtype="datetime64[ns]")
        ok = ~np.isnat(d) & ~np.isnat(s)
        limit = _add_months(s, months)
        return np.asarray(ok & (s <= d) & (d <= limit))

    # ------------------------------------------------------------------ links and columns

    def link(self, table: str, rows: np.ndarray, name: str) -> tuple[str, np.ndarray]:
        """The table linked as ``name`` to ``table`` and the linked row of each of ``rows`` (``-1``: none)."""
        if name == table.rstrip("s") or (name == "vacancy" and table == "vacancies"):
            return table, rows
        target = {"seeker": "seekers", "employer": "employers", "vacancy": "vacancies", "placement": "placements"}[name]
        none = np.full(len(rows), -1, dtype=np.int64)
        if table == "followups" and name in ("seeker", "employer"):
            _, placed = self.link(table, rows, "placement")
            found = placed >= 0
            _, linked = self.link("placements", placed[found], name)
            none[found] = linked
            return target, none
        via = {
            ("placements", "seeker"): "seeker_id",
            ("placements", "employer"): "employer_id",
            ("vacancies", "employer"): "employer_id",
            ("placements", "vacancy"): "vacancy_id",
            ("followups", "placement"): "placement_id",
        }.get((table, name))
        if via is None:
            return target, none
        full: np.ndarray = self._cached(
            f"link:{table}:{name}",
            lambda: self.data.positions(target, _ID[target], self.data.column(table, via).data),
        )
        return target, full[rows]

    def _through(self, table: str, rows: np.ndarray, name: str, get: Callable[[str, np.ndarray], Values]) -> Values:
        """``get`` on the record linked as ``name`` to each row (missing where there is none)."""
        target, linked = self.link(table, rows, name)
        found = np.flatnonzero(linked >= 0)
        if len(found) == len(rows):
            return get(target, linked)
        return _scatter(len(rows), found, get(target, linked[found]))

    def value(self, table: str, rows: np.ndarray, column: str) -> Values:
        """The value of ``column`` for each of ``rows``, as :meth:`employkit.metrics.frame.Frame.value`."""
        if column in _DERIVED:
            return self._whole(table, column, self._derived, rows)
        if column in DIMENSIONS:
            return self.dimension(table, rows, column)
        return self.field(table, rows, column)

    def _whole(
        self, table: str, column: str, compute: Callable[[str, np.ndarray, str], Values], rows: np.ndarray
    ) -> Values:
        """``compute`` over the whole table once per report (it reads no parameter), then the rows asked for."""
        full: Values = self._cached(
            f"whole:{table}:{column}", lambda: compute(table, np.arange(self.data.size(table)), column)
        )
        if len(rows) == self.data.size(table) and (len(rows) == 0 or (rows[0] == 0 and rows[-1] == len(rows) - 1)):
            return full
        return Values(full.kind, full.data.iloc[rows].reset_index(drop=True), full.enum)

    def field(self, table: str, rows: np.ndarray, column: str) -> Values:
        """The stored value of ``column``, of a linked record when dotted, else looked up through the links."""
        head, dot, rest = column.partition(".")
        if dot and head in _LINKS:
            return self._through(table, rows, head, lambda t, r: self.value(t, r, rest))
        pieces: list[tuple[np.ndarray, Values]] = []
        todo = np.ones(len(rows), dtype=bool)
        for name in (None, *_LOOKUP[table]):
            target, linked = (table, rows) if name is None else self.link(table, rows, name)
            record = _RECORDS[target]
            if column in _FIELDS[target]:
                take = np.flatnonzero(todo & (linked >= 0))
                pieces.append((take, self._take(target, column, linked[take])))
                todo[take] = False
            elif hasattr(record, column) and column != "extra":
                raise ColumnarUnsupported(
                    f"column {column!r} is an attribute of {record.__name__} records but not a stored column; "
                    "use kpi_report on a Dataset"
                )
            elif column in self.data.extra_columns(target):
                candidates = np.flatnonzero(todo & (linked >= 0))
                part = self._take(target, column, linked[candidates])
                present = np.asarray(part.data.notna(), dtype=bool)
                take = candidates[present]
                pieces.append((take, Values(part.kind, part.data[present].reset_index(drop=True), part.enum)))
                todo[take] = False
            if not todo.any():
                break
        return self._combine(len(rows), pieces, column)

    def _take(self, table: str, column: str, rows: np.ndarray) -> Values:
        whole = self.data.column(table, column)
        return Values(whole.kind, whole.data.iloc[rows].reset_index(drop=True), whole.enum)

    def _combine(self, n: int, pieces: list[tuple[np.ndarray, Values]], column: str) -> Values:
        pd = _pd()
        if not pieces:
            return _empty(n)
        first = pieces[0]
        pieces = [(w, p) for w, p in pieces if len(w)]
        if not pieces:  # no row has a value: all missing, of the column's kind
            return _scatter(n, first[0], first[1])
        if len(pieces) == 1:
            return _scatter(n, *pieces[0])
        kinds = {(p.kind, p.enum) for _, p in pieces}
        if len(kinds) > 1:
            raise ColumnarUnsupported(f"column {column!r} has values of different kinds in linked tables")
        parts = []
        for where, part in pieces:
            data = part.data.astype(object) if part.kind in ("enum", "str") else part.data.copy()
            data.index = where
            parts.append(data)
        kind, enum = kinds.pop()
        return Values(kind, pd.concat(parts).reindex(pd.RangeIndex(n)), enum)

    # ------------------------------------------------------------------ derived columns

    def _derived(self, table: str, rows: np.ndarray, column: str) -> Values:
        pd = _pd()
        n = len(rows)
        if column == "age":
            return self._age(table, rows)
        if column == "wage":
            return self._wage(table, rows)
        if column == "is_resident":
            region = self.region_code
            if region is None:
                return _empty(n)
            home = self._through(table, rows, "seeker", lambda t, r: self._take(t, "residence_code", r))
            codes, uniques = home.factorized()
            from employkit.codes import in_region  # the current codes, as the record path

            flags = np.array([in_region(str(u), region) for u in uniques] + [False], dtype=bool)
            data = pd.array(flags[np.where(codes < 0, len(uniques), codes)], dtype="boolean")
            data[codes < 0] = pd.NA
            return Values("bool", pd.Series(data))
        if column == "hires":
            if table != "vacancies":
                return _empty(n)
            counts = self._cached("hires", self._hire_counts)
            ids = self.data.column("vacancies", "vacancy_id").data.iloc[rows]
            placed = ids.map(counts).fillna(0).to_numpy(dtype=np.int64)
            openings = self.data.column("vacancies", "openings").data.iloc[rows].to_numpy(dtype=np.int64)
            return Values("int", pd.Series(pd.array(np.minimum(placed, openings), dtype="Int64")))
        raise ColumnarUnsupported(f"no derived column {column!r}")  # pragma: no cover - _DERIVED has four

    def _hire_counts(self) -> Any:
        placed = self.data.column("placements", "vacancy_id").data
        start = self.data.column("placements", "start_date").data.to_numpy(dtype="datetime64[ns]")
        started = start <= np.datetime64(self.scope.observed_on, "ns")
        return placed[started].dropna().value_counts()

    def _age(self, table: str, rows: np.ndarray) -> Values:
        pd = _pd()
        n = len(rows)
        if table in ("seekers", "placements"):
            day = self._take(table, "registered_on" if table == "seekers" else "start_date", rows).data
        elif table == "followups":
            day = self._through(table, rows, "placement", lambda t, r: self._take(t, "start_date", r)).data
        else:
            return _empty(n)
        born_on = self._through(table, rows, "seeker", lambda t, r: self._take(t, "birth_date", r)).data
        born_in = self._through(table, rows, "seeker", lambda t, r: self._take(t, "birth_year", r)).data
        age = ages_on(
            day.to_numpy(dtype="datetime64[ns]"),
            born_on.to_numpy(dtype="datetime64[ns]"),
            born_in.to_numpy(dtype="float64", na_value=np.nan),
        )
        known = ~np.isnan(age)
        whole = np.where(known, age, 0).astype(np.int64)
        return Values("int", pd.Series(pd.arrays.IntegerArray(whole, ~known)))

    def _wage(self, table: str, rows: np.ndarray) -> Values:
        name = {"placements": "monthly_wage", "vacancies": "offered_wage", "seekers": "desired_wage"}.get(table)
        if name is not None:
            return self._take(table, name, rows)
        return self._through(table, rows, "placement", self._wage)

    def _occupation(self, table: str, rows: np.ndarray) -> Values:
        name = {"placements": "occupation", "vacancies": "occupation", "seekers": "desired_occupation"}.get(table)
        if name is None:
            return self._through(table, rows, "placement", self._occupation)
        own = self._take(table, name, rows)
        if table != "placements":
            return own
        missing = np.flatnonzero(np.asarray(own.data.isna(), dtype=bool))
        if not len(missing):
            return own
        filled = self._through(table, rows[missing], "vacancy", lambda t, r: self._take(t, "occupation", r))
        data = own.data.astype(object)
        data.iloc[missing] = filled.data.astype(object).to_numpy()
        return Values("str", data.astype("string"))

    # ------------------------------------------------------------------ dimensions

    def dimension(self, table: str, rows: np.ndarray, name: str) -> Values:
        """The breakdown dimension ``name`` for each of ``rows`` (a string or missing), as the record path."""
        if name in ("age_band", "wage_band"):  # the bands are a parameter, read by each KPI that uses them
            return _coded(*self._band_codes(table, rows, name))
        if name == "segment":  # the segments come with the report
            return self._dimension(table, rows, name)
        return self._whole(table, name, self._dimension, rows)

    def _dimension(self, table: str, rows: np.ndarray, name: str) -> Values:
        n = len(rows)
        if name == "occupation":
            return self._occupation(table, rows)
        if name == "occupation_group":
            return _string_map(self._occupation(table, rows), lambda code: code[:2] if code else None)
        if name == "residence":
            home = self._through(table, rows, "seeker", lambda t, r: self._take(t, "residence_code", r))
            return _string_map(home, lambda code: code[:5])
        if name == "resident":
            flags = self._derived(table, rows, "is_resident")
            if flags.kind != "bool":
                return _empty(n)
            data = flags.data
            codes = np.where(data.isna(), -1, np.where(data.fillna(False), 0, 1))
            return _coded(codes.astype(np.int64), ["resident", "non_resident"])
        if name == "month":
            column = _DATE_OF.get(table)
            if column is None:
                return _empty(n)
            days = self._take(table, column, rows).data.to_numpy(dtype="datetime64[M]")
            month = days.astype(np.int64)
            codes, uniques = _pd().factorize(np.where(np.isnat(days), np.iinfo(np.int64).min, month))
            names = [None if u == np.iinfo(np.int64).min else f"{1970 + u // 12:04d}-{u % 12 + 1:02d}" for u in uniques]
            return _coded(np.asarray(codes, dtype=np.int64), names)
        if name == "segment":
            segments = self.scope.segments
            if segments is None:
                return _empty(n)
            ids = self._through(table, rows, "seeker", lambda t, r: self._take(t, "seeker_id", r))
            codes, uniques = ids.factorized()
            return _coded(codes, [segments.get(str(u)) if u is not None else None for u in uniques])
        if name == "partner_agency":
            return self._partner_agency(table, rows)
        if name == "employment_type":
            value = self.field(table, rows, "employment_type")
            if value.kind != "enum":
                return _empty(n)
            return _string_map(value, lambda code: code)
        if name == "gender":
            return self._through(table, rows, "seeker", lambda t, r: self._take(t, "gender", r))
        # industry
        industry = self._through(table, rows, "employer", lambda t, r: self._take(t, "industry", r))
        return _string_map(industry, lambda code: code or None)

    def _band_codes(
        self, table: str, rows: np.ndarray, name: str, *, as_keys: bool = False
    ) -> tuple[np.ndarray, list[str]]:
        """The band of each row (``-1``: none) and the band keys; the bands are read only when a row has a value.

        With ``as_keys`` the codes are into distinct cell keys, the last one :data:`UNKNOWN` (as :meth:`keys`).
        """
        column = "age" if name == "age_band" else "wage"

        def measure() -> tuple[np.ndarray, np.ndarray]:
            values = self.value(table, np.arange(self.data.size(table)), column).data
            return values.to_numpy(dtype="float64", na_value=np.nan), np.asarray(values.notna(), dtype=bool)

        numbers, known = self._cached(f"numbers:{table}:{column}", measure)
        if not known[rows].any():
            codes = np.full(len(rows), -1, dtype=np.int64)
            return _merged(codes, []) if as_keys else (codes, [])
        pid = _BAND_PARAMS[name]
        bands = self.bands(pid)  # read only when some value is known, as the record path does
        mins = tuple(float(b["min"]) for b in bands)
        keys = [str(b["key"]) for b in bands]

        def locate() -> tuple[np.ndarray, tuple[np.ndarray, list[str]]]:
            codes = np.searchsorted(np.array(mins), numbers, side="right") - 1
            codes = np.where(known, codes, -1).astype(np.int64)
            return codes, _merged(codes, keys)

        full, merged = self._cached(f"bands:{table}:{column}:{mins}:{keys}", locate)
        if as_keys:
            return merged[0][rows], merged[1]
        return full[rows], keys

    def _partner_agency(self, table: str, rows: np.ndarray) -> Values:
        pd = _pd()
        n = len(rows)
        out = pd.Series([None] * n, dtype=object)
        todo = np.ones(n, dtype=bool)
        for name in (None, "seeker", "placement"):
            target, linked = (table, rows) if name is None else self.link(table, rows, name)
            if "partner_agency" not in self.data.extra_columns(target):
                continue
            found = np.flatnonzero(todo & (linked >= 0))
            values = self.data.column(target, "partner_agency").data.iloc[linked[found]]
            cells = values.astype(object).to_numpy()
            truthy = np.array([v is not None and not pd.isna(v) and bool(v) for v in cells], dtype=bool)
            out.iloc[found[truthy]] = [str(v) for v in cells[truthy]]
            todo[found[truthy]] = False
        return Values("str", out.astype("string"))

    # ------------------------------------------------------------------ cells

    def keys(self, table: str, rows: np.ndarray, by: str) -> tuple[np.ndarray, list[str]]:
        """The breakdown cell of each of ``rows``: codes into a list of distinct cell keys."""
        if by not in ("age_band", "wage_band", "segment"):
            full_codes, full_names = self._cached(
                f"keys:{table}:{by}", lambda: self._keys(table, np.arange(self.data.size(table)), by)
            )
            return full_codes[rows], full_names
        if by != "segment":
            return self._band_codes(table, rows, by, as_keys=True)
        return self._keys(table, rows, by)

    def _keys(self, table: str, rows: np.ndarray, by: str) -> tuple[np.ndarray, list[str]]:
        values = self.dimension(table, rows, by) if by in DIMENSIONS else self.value(table, rows, by)
        codes, uniques = values.factorized()
        return _merged(codes, uniques)

    def count_cells(self, population: str, rows: np.ndarray, by: str) -> dict[str, Number]:
        """The number of ``rows`` in each cell of ``by`` (cells with none left out)."""
        codes, names = self.keys(POPULATIONS[population].table, rows, by)
        counts = np.bincount(codes, minlength=len(names))
        return {names[i]: int(c) for i, c in enumerate(counts) if c}

    def sum_cells(
        self, population: str, rows: np.ndarray, column: str, by: str | None
    ) -> tuple[Number, dict[str, Number] | None]:
        """The sum of ``column`` over ``rows`` (numbers only, added in row order), and per cell of ``by``."""
        table = POPULATIONS[population].table
        values = self.value(table, rows, column)
        if values.kind == "object" and values.data.notna().any():
            raise ColumnarUnsupported(f"the sum of {column!r}: the column holds values that are not typed numbers")
        if values.kind not in ("int", "float"):
            return 0, ({} if by else None)
        known = np.asarray(values.data.notna(), dtype=bool)
        numbers = values.data[known].to_numpy(dtype=np.int64 if values.kind == "int" else np.float64)
        total = _ordered_sum(numbers, values.kind)
        if not by:
            return total, None
        codes, names = self.keys(table, rows[known], by)
        order = np.argsort(codes, kind="stable")
        cells: dict[str, Number] = {}
        sorted_codes = codes[order]
        bounds = np.flatnonzero(np.diff(sorted_codes)) + 1
        for part in np.split(order, bounds) if len(order) else []:
            cells[names[int(codes[part[0]])]] = _ordered_sum(numbers[part], values.kind)
        return total, cells

    # ------------------------------------------------------------------ retention

    def retention_tally(self, months: int, by: str, window: int) -> Tally:
        """Retention status counts of the period's placements (the one definition, ``retention_status``)."""
        rows = self.rows("placements")
        start = self._take("placements", "start_date", rows).data.to_numpy(dtype="datetime64[ns]")
        ended = self._take("placements", "ended_on", rows).data.to_numpy(dtype="datetime64[ns]")
        contacts = self._cached("contacts", lambda: self._contacts(rows))
        status, reached = retention_status(
            start, ended, add_months_array(start, months), contacts, self.scope.observed_on, window
        )
        codes, keys = self.keys("placements", rows, by)
        return retention_tally(status, reached, codes, keys)

    def _contacts(self, rows: np.ndarray) -> Contacts:
        """Every follow-up contact of the placement ``rows``, by placement id, as columns."""
        if not self.data.has_records("followups") or not len(rows):
            return Contacts.empty()
        owner, contacted, outcome = self._pairs(rows)
        codes = outcome.astype(object).where(outcome.notna(), "").to_numpy()
        return Contacts(owner, contacted.astype("datetime64[D]"), outcome_signs(codes))

    def _pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, Any]:
        pd = _pd()
        contacted = self.data.column("followups", "contacted_on").data.to_numpy(dtype="datetime64[ns]")
        outcome = self.data.column("followups", "outcome").data
        if self.data.unique_ids("placements"):
            inverse = np.full(self.data.size("placements"), -1, dtype=np.int64)
            inverse[rows] = np.arange(len(rows))
            _, linked = self.link("followups", np.arange(self.data.size("followups")), "placement")
            owner = np.where(linked >= 0, inverse[np.maximum(linked, 0)], -1)
            keep = owner >= 0
            return owner[keep], contacted[keep], outcome[keep].reset_index(drop=True)
        mine = self._take("placements", "placement_id", rows).data
        theirs = self.data.column("followups", "placement_id").data
        codes, _ = pd.factorize(pd.concat([mine, theirs], ignore_index=True), use_na_sentinel=True)
        own, other = codes[: len(mine)], codes[len(mine) :]
        ok = own >= 0
        if not ok.any() or np.bincount(own[ok]).max() <= 1:  # ids unique among the rows: a direct lookup
            first = np.full(int(codes.max()) + 2 if len(codes) else 1, -1, dtype=np.int64)
            first[own[ok]] = np.flatnonzero(ok)
            owner = np.where(other >= 0, first[np.maximum(other, 0)], -1)
            keep = owner >= 0
            return owner[keep], contacted[keep], outcome[keep].reset_index(drop=True)
        pairs = pd.DataFrame({"code": own, "owner": np.arange(len(own))})[ok].merge(
            pd.DataFrame({"code": other, "contact": np.arange(len(other))})[other >= 0], on="code"
        )
        contact = pairs["contact"].to_numpy()
        return pairs["owner"].to_numpy(), contacted[contact], outcome.iloc[contact].reset_index(drop=True)

    # ------------------------------------------------------------------ columns a breakdown may use

    def known_column(self, column: str) -> bool:
        """Whether ``column`` names a dimension, a derived value or a stored column (as the record path)."""
        if column in DIMENSIONS or column in _DERIVED:
            return True
        head, dot, rest = column.partition(".")
        if dot and head in _LINKS:
            return bool(rest)
        for table in TABLE_ORDER:
            if not self.data.has_records(table):
                continue
            if hasattr(_RECORDS[table], column):
                return True
            if column in self.data.extra_columns(table):
                head_rows = self.data.column(table, column).data.iloc[:200]
                if head_rows.notna().any():
                    return True
        return False


_ID: Mapping[str, str] = {
    "seekers": "seeker_id",
    "employers": "employer_id",
    "vacancies": "vacancy_id",
    "placements": "placement_id",
}
_FIELDS: Mapping[str, frozenset[str]] = {
    table: frozenset(f.name for f in attrs.fields(cls) if f.name not in ("extra", "intake"))
    & frozenset(c.name for c in TABLES[table])
    for table, cls in _RECORDS.items()
}


def _merged(codes: np.ndarray, uniques: Sequence[Any]) -> tuple[np.ndarray, list[str]]:
    """Codes into distinct values as codes into distinct cell keys (values with the same key merged)."""
    raw = [_as_key(u) for u in uniques] + [_as_key(None)]
    names: dict[str, int] = {}
    remap = np.array([names.setdefault(k, len(names)) for k in raw], dtype=np.int64)
    merged = remap[np.where(codes < 0, len(uniques), codes)] if len(codes) else codes.astype(np.int64)
    return merged, list(names)


def _ordered_sum(numbers: np.ndarray, kind: str) -> Number:
    """The sum as the record path adds: Python integers, or floats added left to right."""
    if not len(numbers):
        return 0
    if kind == "int":
        return int(numbers.sum(dtype=np.int64))
    return float(np.cumsum(numbers)[-1])


def _per_day(days: np.ndarray, fn: Callable[[np.ndarray], Any]) -> Any:
    """``fn`` of an array of days, computed once per distinct day (dates repeat a lot)."""
    codes, uniques = _pd().factorize(days.astype("datetime64[ns]").view(np.int64))
    found = fn(np.asarray(uniques).view("datetime64[ns]"))
    if isinstance(found, tuple):
        return tuple(part[codes] for part in found)
    return found[codes]


def _add_months(days: np.ndarray, months: int) -> np.ndarray:
    """:func:`~employkit.followup.retention.add_months_array` in nanoseconds, once per distinct day."""
    result: np.ndarray = _per_day(days, lambda unique: add_months_array(unique, months).astype("datetime64[ns]"))
    return result


def latest_year(data: ColumnData, as_of: dt.date) -> int:
    """:func:`employkit.metrics.scope.default_year` on frames: the latest year of placements and registrations."""
    years = []
    day = np.datetime64(as_of, "ns")
    for table, column in (("placements", "start_date"), ("seekers", "registered_on")):
        if not data.has_records(table):
            continue
        values = data.column(table, column).data.to_numpy(dtype="datetime64[ns]")
        values = values[~np.isnat(values) & (values <= day)]
        if len(values):
            years.append(int(values.max().astype("datetime64[Y]").astype(np.int64)) + 1970)
    return max(years) if years else as_of.year


def _compute(data: ColumnData) -> Callable[[Any, KpiContext], KpiValue]:
    def compute(kpi: Any, ctx: KpiContext) -> KpiValue:
        method = getattr(kpi, "compute_columns", None)
        if method is None:
            raise ColumnarUnsupported(
                f"the KPI {kpi.meta.rule_id} ({type(kpi).__name__}) has no columnar evaluation (compute_columns); "
                "compute it with kpi_report on a Dataset"
            )
        value: KpiValue = method(data, ctx)
        return value

    return compute
