"""The tables a KPI reads, as numpy columns: :class:`ColumnData` and its :class:`Values`.

Every KPI is evaluated on columns (:mod:`employkit.metrics.columnar`). The columns come
from one of three edges, each converting a column the first time a KPI reads it:

* a :class:`~employkit.dataset.Dataset` (:meth:`ColumnData.of`): the records' attributes,
  including properties such as ``born``, and their ``extra`` keys — numpy only;
* a mapping of table names to mappings of column names to arrays or lists (numpy only);
* pandas DataFrames (:mod:`employkit.metrics.dataframes`, with the ``pandas`` extra).

A column is a :class:`~employkit.metrics.cells.Values` (:mod:`employkit.metrics.cells`).

>>> from employkit.synth import sample_centre
>>> data = ColumnData.of(sample_centre())
>>> data.size("seekers"), data.column("seekers", "registered_on").kind
(3110, 'date')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from employkit.errors import DataError, Problem
from employkit.metrics.cells import (
    _DTYPE,
    _ENUMS,
    _SETS,
    DAY,
    KIND,
    Distinct,
    Values,
    _blank,
    blank,
    factorize_whole,
    from_python,
    typed,
)
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_ORDER, TABLES

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.labels import CodedEnum
    from employkit.model import Centre

__all__ = ["DAY", "ColumnData", "ColumnSource", "Values", "blank", "by_day", "latest_year", "pick"]


class ColumnSource(Protocol):
    """One table as columns: its length, its column names and each column as :class:`Values`."""

    def __len__(self) -> int: ...

    @property
    def columns(self) -> Sequence[str]:
        """The names of the columns the table holds."""
        ...

    def values(self, name: str, kind: str | None, enum: type[CodedEnum] | None) -> Values | None:
        """Column ``name`` typed as ``kind`` (a schema column) or as it comes (``None``); ``None`` if absent."""
        ...


class RecordColumns:
    """The records of one table, read as columns on demand (attributes, properties and ``extra`` keys)."""

    def __init__(self, table: str, records: Sequence[Any]) -> None:
        self.table = table
        self.records = records
        self._columns: list[str] | None = None

    @property
    def columns(self) -> list[str]:
        """The schema's columns, then the keys of the records' ``extra`` columns."""
        if self._columns is None:
            schema = [c.name for c in TABLES[self.table]]
            keys = {k for r in self.records if (found := getattr(r, "extra", None)) for k in found}
            self._columns = [*schema, *sorted(keys - set(schema))]
        return self._columns

    def __len__(self) -> int:
        return len(self.records)

    def values(self, name: str, kind: str | None, enum: type[CodedEnum] | None) -> Values | None:
        """The column, read from each record once."""
        records = self.records
        if name in INTAKE_COLUMNS and self.table == "seekers":
            raw = list(map(attrgetter(f"intake.{name}"), records))
        elif records and name != "extra" and hasattr(records[0], name):
            raw = list(map(attrgetter(name), records))
        elif name in self.columns:
            raw = [getattr(r, "extra", {}).get(name) for r in records]
        elif kind is not None:
            raw = [None] * len(records)
        else:
            return None
        return from_python(raw, kind or "object", enum)

    def has(self, name: str) -> bool:
        """Whether the records have an attribute (a stored field or a property) called ``name``."""
        return bool(self.records) and name != "extra" and hasattr(self.records[0], name)


class ArrayColumns:
    """A table given as a mapping of column names to arrays or lists (numpy only)."""

    def __init__(self, table: str, columns: Mapping[str, Any]) -> None:
        self.table = table
        self.data = {str(k): v for k, v in columns.items()}
        lengths = {len(v) for v in self.data.values()}
        if len(lengths) > 1:
            raise DataError(
                [Problem(f"columns of different lengths {sorted(lengths)}", table=table)],
                "cannot compute KPIs from these columns",
            )
        self.n = lengths.pop() if lengths else 0
        self.columns = list(self.data)

    def __len__(self) -> int:
        return self.n

    def values(self, name: str, kind: str | None, enum: type[CodedEnum] | None) -> Values | None:
        """The column converted to :class:`Values` (dates from ``datetime64`` or ``datetime.date``)."""
        if name not in self.data:
            return None
        raw = self.data[name]
        array = np.asarray(raw)
        if kind == "date" and np.issubdtype(array.dtype, np.datetime64):
            days = array.astype(DAY)
            return Values(kind, days, ~np.isnat(days))
        if kind in (None, "str") and array.dtype.kind in "iu":  # whole-number ids: kept as numbers, not cells
            codes, distinct = factorize_whole(array)
            return Values(kind or "object", codes, codes >= 0, distinct)
        if kind in ("int", "float", "bool") and array.dtype.kind in "iufb":
            known = ~np.isnan(array) if array.dtype.kind == "f" else np.ones(len(array), bool)
            return Values(kind, np.where(known, array, 0).astype(_DTYPE[kind]), known)
        return typed(list(array.tolist() if isinstance(raw, np.ndarray) else raw), kind, enum)


class ColumnData:
    """The tables of one dataset as columns, typed by the schema, with the caches a report's KPIs share.

    ``tables`` maps table names to :class:`ColumnSource` objects, DataFrames (with the
    ``pandas`` extra) or mappings of column names to arrays; missing tables are empty.
    ``centre`` gives the region, targets, budget and staff of the centre; ``dataset`` is
    the :class:`~employkit.dataset.Dataset` the columns were read from, if any (for a
    pack's own KPI class that counts records).
    """

    dataset: Dataset | None = None

    def __init__(self, tables: Mapping[str, Any], centre: Centre | None = None) -> None:
        unknown = set(tables) - set(TABLE_ORDER)
        if unknown:
            raise DataError(
                [Problem(f"unknown table {t!r}; expected one of {', '.join(TABLE_ORDER)}", table=t) for t in unknown],
                "cannot compute KPIs from these frames",
            )
        self.centre = centre
        self.tables: dict[str, ColumnSource] = {t: _source(t, tables.get(t)) for t in TABLE_ORDER}
        self.cache: dict[Any, Any] = {}
        self._typed: dict[tuple[str, str], Values] = {}

    @classmethod
    def of(cls, data: Dataset) -> ColumnData:
        """The records of ``data`` as columns (each converted when a KPI first reads it)."""
        records = {
            "seekers": data.seekers,
            "employers": data.employers,
            "vacancies": data.vacancies,
            "placements": data.placements,
            "followups": data.followups,
        }
        found = cls({t: RecordColumns(t, r) for t, r in records.items()}, data.centre)
        found.dataset = data
        return found

    def size(self, table: str) -> int:
        """The number of rows of ``table``."""
        return len(self.tables[table])

    def has_records(self, table: str) -> bool:
        """Whether ``table`` has any row."""
        return self.size(table) > 0

    def extra_columns(self, table: str) -> set[str]:
        """Columns of ``table`` that are not schema columns (the records' ``extra``)."""
        return set(self.tables[table].columns) - {c.name for c in TABLES[table]}

    def attribute(self, table: str, name: str) -> bool:
        """Whether the records of ``table`` have an attribute ``name`` that is not a schema column (``born``)."""
        source = self.tables[table]
        return isinstance(source, RecordColumns) and source.has(name)

    def column(self, table: str, name: str) -> Values:
        """A column of the whole table, typed by the schema (other columns as they come)."""
        key = (table, name)
        if key not in self._typed:
            self._typed[key] = self._type(table, name)
        return self._typed[key]

    def _type(self, table: str, name: str) -> Values:
        source = self.tables[table]
        col = {c.name: c for c in TABLES[table]}.get(name)
        kind = KIND[col.type] if col is not None else None
        enum = (_ENUMS.get(col.type) or _SETS.get(col.type)) if col is not None else None
        found = source.values(name, kind, enum)
        if found is None:
            if col is not None and col.required and len(source):
                raise DataError(
                    [Problem(f"required column {name!r} is missing", table=table, column=name)],
                    "cannot compute KPIs from these frames",
                )
            return _blank(kind or "object", len(source), enum)
        return found

    # ------------------------------------------------------------------ ids

    def _keys(self, uniques: Sequence[Any]) -> np.ndarray | None:
        """The distinct values as a sortable numpy array (all whole numbers, or all texts), else ``None``."""
        if isinstance(uniques, Distinct):
            return uniques.keys
        key = ("keys", id(uniques))
        if key not in self.cache:
            found = None
            if not uniques:
                found = np.zeros(0, dtype=np.int64)
            elif type(uniques[0]) in (int, str):
                array = np.array(uniques)
                found = array if array.dtype.kind in "iuU" else None
            self.cache[key] = (uniques, found)  # the tuple kept alive with its id
        return self.cache[key][1]  # type: ignore[no-any-return]

    def match(self, own: Values, ids: Values) -> np.ndarray:
        """For each distinct value of ``ids``, its code among the distinct values of ``own`` (``-1``: absent)."""
        mine, theirs = own.factorized()[1], ids.factorized()[1]
        left = own.uniques if own.coded else tuple(mine)
        right = ids.uniques if ids.coded else tuple(theirs)
        key = ("match", id(left), id(right))
        if key not in self.cache:
            self.cache[key] = (left, right, self._match(left, right))  # the tuples kept alive with their ids
        return self.cache[key][2]  # type: ignore[no-any-return]

    def _match(self, left: Sequence[Any], right: Sequence[Any]) -> np.ndarray:
        a, b = self._keys(left), self._keys(right)
        if a is not None and b is not None and (a.dtype.kind == "U") == (b.dtype.kind == "U"):
            if not len(a) or not len(b):
                return np.full(len(right), -1, dtype=np.int64)
            if a is b or (len(a) == len(b) and np.array_equal(a, b)):  # the same ids: each is its own match
                return np.arange(len(b), dtype=np.int64)
            if a.dtype.kind in "iu" and b.dtype.kind in "iu":
                low, high = int(a.min()), int(a.max())
                if high - low < 4 * len(a) + 1024:  # whole numbers close together: a table, not a search
                    table = np.full(high - low + 1, -1, dtype=np.int64)
                    table[a - low] = np.arange(len(a))
                    inside = (b >= low) & (b <= high)
                    found = np.full(len(b), -1, dtype=np.int64)
                    found[inside] = table[b[inside] - low]
                    return found
            order = np.argsort(a, kind="stable")
            ordered = a[order]
            at = np.minimum(np.searchsorted(ordered, b), len(a) - 1)
            return np.where(ordered[at] == b, order[at], -1).astype(np.int64)
        index = dict(zip(left, range(len(left)), strict=True))
        return np.fromiter(map(index.get, right, repeat(-1)), dtype=np.int64, count=len(right))

    def positions(self, table: str, by: str, ids: Values) -> np.ndarray:
        """The row of ``table`` whose ``by`` equals each of ``ids`` (the last one if repeated; ``-1`` if none)."""
        own = self.column(table, by)
        codes, uniques = own.factorized()
        key = ("last", table, by)
        if key not in self.cache:
            last = np.full(len(uniques) + 1, -1, dtype=np.int64)
            ok = codes >= 0
            last[codes[ok]] = np.flatnonzero(ok)  # later rows overwrite earlier ones, as a dict would keep them
            self.cache[key] = last
        return pick(self.cache[key], self.match(own, ids), ids)

    def unique_ids(self, table: str) -> bool:
        """Whether every row of ``table`` has its own id."""
        codes, uniques = self.column(table, ID[table]).factorized()
        return len(uniques) == len(codes)


def pick(table: np.ndarray, matched: np.ndarray, ids: Values) -> np.ndarray:
    """``table[matched[code]]`` for each cell of ``ids`` (``-1`` for empty cells and unmatched ids)."""
    codes, _ = ids.factorized()
    through = np.append(matched, -1)
    found = through[np.where(codes < 0, len(matched), codes)]
    return np.where(found >= 0, table[np.maximum(found, 0)], -1) if len(table) else np.full(len(codes), -1)


#: The id column of each table.
ID: Mapping[str, str] = {
    "seekers": "seeker_id",
    "employers": "employer_id",
    "vacancies": "vacancy_id",
    "placements": "placement_id",
    "followups": "placement_id",
}


def _source(table: str, given: Any) -> ColumnSource:
    if given is None:
        return ArrayColumns(table, {})
    if isinstance(given, RecordColumns | ArrayColumns):
        return given
    if isinstance(given, Mapping):
        return ArrayColumns(table, given)
    if _is_frame(given):
        from employkit.metrics.dataframes import FrameColumns

        return FrameColumns(table, given)
    raise DataError(
        [Problem(f"cannot read a {type(given).__name__} as a table", table=table)],
        "cannot compute KPIs from these frames",
    )


def _is_frame(value: Any) -> bool:
    return type(value).__module__.startswith("pandas") and hasattr(value, "dtypes")


def latest_year(data: ColumnData, as_of: dt.date) -> int:
    """The latest year of placements and registrations up to ``as_of`` (``as_of``'s year if none)."""
    years = []
    day = np.datetime64(as_of, "D")
    for table, column in (("placements", "start_date"), ("seekers", "registered_on")):
        if not data.has_records(table):
            continue
        values = data.column(table, column)
        days = values.data[values.known]
        days = days[days <= day]
        if len(days):
            years.append(int(days.max().astype("datetime64[Y]").astype(np.int64)) + 1970)
    return max(years) if years else as_of.year


def by_day(days: np.ndarray, fn: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``fn`` of an array of days, computed once per distinct day (dates repeat a lot)."""
    days = days.astype(DAY)
    known = ~np.isnat(days)
    number = days.view(np.int64)
    if known.any():
        low, high = int(number[known].min()), int(number[known].max())
        if high - low < 200_000:  # a few centuries at most: one value per calendar day, found by offset
            span = np.arange(low, high + 1, dtype=np.int64).view(DAY)
            table = np.append(fn(span), fn(np.array(["NaT"], dtype=DAY)))
            return table[np.where(known, number - low, len(span))]
    uniques, inverse = np.unique(days, return_inverse=True)
    found: np.ndarray = fn(uniques)[np.asarray(inverse, dtype=np.int64).reshape(-1)]
    return found
