"""The fields of seekers and vacancies as a component reads them: columns for its kernel, values for its reason.

:class:`FieldTable` is what :class:`~employkit.matching.columns.SeekerTable` and
:class:`~employkit.matching.columns.VacancyTable` share: :meth:`FieldTable.field_values`
gives a field as one array (the kernel's input), :meth:`FieldTable.row` one row as a
mapping of Python values (the renderer's input), and :meth:`FieldTable.take` a subset
of rows. A field is a column of the table, ``"age"`` (a seeker's age on the evaluation
date), a column kept in ``extra``, or, for a table built from records, any attribute
of the records or key of their ``extra``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from employkit.errors import InvalidArgument
from employkit.matching import cells
from employkit.model import EmploymentType, Vacancy

__all__ = ["FieldTable", "Row", "coordinates", "decode", "extra_columns", "not_required", "optional_skills"]


def coordinates(extra: Mapping[str, Any]) -> tuple[float, float] | None:
    """``(latitude, longitude)`` from a record's extra columns, if both are readable."""
    try:
        lat, lon = float(extra["latitude"]), float(extra["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return lat, lon


def optional_skills(vacancy: Vacancy) -> frozenset[str]:
    """The optional (preferred) skills of a vacancy: ``extra["optional_skills"]``, ``;``-separated.

    A list or tuple is accepted too. Skills also listed as required are not optional.
    """
    raw = vacancy.extra.get("optional_skills")
    if raw is None:
        return frozenset()
    items = raw.split(";") if isinstance(raw, str) else [str(x) for x in raw]
    return not_required(frozenset(s.strip() for s in items if s.strip()), vacancy.required_skills)


def not_required(optional: frozenset[str], required: Iterable[str]) -> frozenset[str]:
    """The ``optional`` skills not also ``required`` (compared without case or surrounding spaces)."""
    asked = {s.strip().casefold() for s in required}
    return frozenset(s for s in optional if s.strip().casefold() not in asked)


# --------------------------------------------------------------------------- fields


def _whole(value: Any) -> int | None:
    return None if math.isnan(value) else int(value)


_TYPE_SETS: dict[int, frozenset[EmploymentType]] = {}


def _types(mask: Any) -> frozenset[EmploymentType]:
    bits = int(mask)
    found = _TYPE_SETS.get(bits)
    if found is None:
        found = _TYPE_SETS[bits] = frozenset(t for b, t in enumerate(cells.TYPES) if bits >> b & 1)
    return found


def _mobile(value: Any) -> bool | None:
    return None if int(value) < 0 else bool(value)


def _nat_day(value: Any) -> dt.date | None:
    day = np.datetime64(value, "D")
    found = day.item()  # a date, None for NaT (an int only outside the years datetime.date holds)
    return found if found is None or isinstance(found, dt.date) else cells.day(day)


#: How a cell of a table column is read back as a Python value (other columns: as stored).
_DECODE: Mapping[str, Any] = {
    "birth_year": _whole,
    "desired_wage": _whole,
    "offered_wage": _whole,
    "min_age": _whole,
    "max_age": _whole,
    "age": _whole,
    "openings": int,
    "desired_hours": cells.float_or_none,
    "hours_per_week": cells.float_or_none,
    "latitude": cells.float_or_none,
    "longitude": cells.float_or_none,
    "employment_types": _types,
    "employment_type": lambda i: cells.TYPES[int(i)],
    "mobile": _mobile,
    "registered_on": _nat_day,
    "birth_date": _nat_day,
    "posted_on": _nat_day,
    "closes_on": _nat_day,
}


def decode(name: str, raw: Any) -> Any:
    """A cell of field ``name`` as a Python value (``None`` when missing; ints, dates and types decoded)."""
    found = _DECODE.get(name)
    if found is not None:
        return found(raw)
    return raw.item() if isinstance(raw, np.generic) else raw


class Row(Mapping[str, Any]):
    """One row of a table as a read-only mapping of Python values, each field read when asked."""

    def __init__(self, table: FieldTable, index: int, day: dt.date) -> None:
        self._table = table
        self._index = index
        self._day = day
        self._seen: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._seen:
            self._seen[name] = self._table.value(name, self._index, self._day)
        return self._seen[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table.names())

    def __len__(self) -> int:
        return len(self._table.names())


def _record_field(records: Sequence[Any], name: str) -> NDArray[np.object_]:
    """Field ``name`` of every record: the attribute, else ``record.extra[name]`` (``None`` when absent)."""
    if records and hasattr(records[0], name):
        return cells.object_array([getattr(r, name) for r in records])
    return cells.object_array([r.extra.get(name) for r in records])


def extra_columns(src: cells.Source, known: Iterable[str]) -> dict[str, NDArray[Any]]:
    """The columns outside the schema, kept as given (missing cells as ``None``)."""
    skip = set(known)
    out: dict[str, NDArray[Any]] = {}
    for name in src.columns:
        if name not in skip:
            out[name] = cells.plain(src.columns[name], "text")
    return out


class FieldTable:
    """The field access of a table (mixed into the seeker and vacancy tables)."""

    #: The array columns, in the constructor's order.
    ARRAYS: ClassVar[tuple[str, ...]] = ()
    #: Optional array columns (``None`` when not given).
    OPTIONAL: ClassVar[tuple[str, ...]] = ()
    #: The table's name in problems and errors.
    TABLE: ClassVar[str] = ""

    records: Sequence[Any] | None
    extra: Mapping[str, NDArray[Any]]
    _cache: dict[str, NDArray[Any]]

    def __len__(self) -> int:
        return int(getattr(self, self.ARRAYS[0]).shape[0])

    def names(self) -> tuple[str, ...]:
        """The fields of the table (columns and ``extra`` columns)."""
        present = tuple(n for n in self.OPTIONAL if getattr(self, n) is not None)
        return (*self.ARRAYS, *present, *self.extra)

    def ages(self, day: dt.date, index: NDArray[np.intp] | None = None) -> NDArray[np.float64]:
        """Ages on ``day`` (of the rows ``index``); only seekers have them."""
        raise InvalidArgument(f"the {self.TABLE} have no field 'age'")

    def field_values(self, name: str, day: dt.date) -> NDArray[Any]:
        """The field ``name`` as one array, one entry per row (``"age"``: ages on ``day``)."""
        if name == "age":
            key = f"age on {day.isoformat()}"
            if key not in self._cache:
                self._cache[key] = self.ages(day)
            return self._cache[key]
        if name in self.ARRAYS:
            return np.asarray(getattr(self, name))
        if name in self.OPTIONAL:
            found = getattr(self, name)
            if found is not None:
                return np.asarray(found)
            return cells.object_array([frozenset() if name == "groups" else None] * len(self))
        if name in self.extra:
            return self.extra[name]
        if self.records is not None:
            if name not in self._cache:
                self._cache[name] = _record_field(self.records, name)
            return self._cache[name]
        raise InvalidArgument(
            f"the {self.TABLE} have no field {name!r} (columns: {', '.join(self.names())}); "
            "pass it as a column or build the table from records"
        )

    def value(self, name: str, i: int, day: dt.date) -> Any:
        """Field ``name`` of row ``i`` as a Python value (``None`` when missing)."""
        column = getattr(self, name, None) if name in self.ARRAYS or name in self.OPTIONAL else None
        return decode(name, (column if column is not None else self.field_values(name, day))[i])

    def row(self, i: int, day: dt.date) -> Row:
        """Row ``i`` as a mapping of Python values, each field read when asked."""
        return Row(self, i, day)

    def take(self, index: NDArray[np.intp]) -> Any:
        """The rows ``index``, in that order."""
        records = None if self.records is None else [self.records[int(i)] for i in index]
        optional = {n: None if getattr(self, n) is None else getattr(self, n)[index] for n in self.OPTIONAL}
        build: Any = type(self)
        return build(
            **{n: getattr(self, n)[index] for n in self.ARRAYS},
            **optional,
            extra={k: v[index] for k, v in self.extra.items()},
            records=records,
        )
