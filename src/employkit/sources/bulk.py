"""Records made in bulk from checked columns: one object per row, fields set column by column.

A national month is a million records of 6 to 27 fields. Calling each record class's
``__init__`` would check every field again, one record at a time; here each record is
made once and each field set for all records of a table in one pass, identical values
(dates, codes, sets, intake answers) shared between records.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import Any

import attrs

from employkit.model import Employer, FollowUpContact, Intake, Placement, Seeker, Vacancy
from employkit.sources.schema import INTAKE_COLUMNS

__all__ = ["CLASSES", "build_records"]

#: The record class of each table.
CLASSES: Mapping[str, type] = {
    "seekers": Seeker,
    "employers": Employer,
    "vacancies": Vacancy,
    "placements": Placement,
    "followups": FollowUpContact,
}


def _shared(column: Sequence[Any], convert: Callable[[Any], Any]) -> list[Any]:
    """``convert`` applied once per distinct value of ``column``."""
    done = {v: convert(v) for v in set(column)}
    return list(map(done.__getitem__, column))


def _intakes(n: int, columns: Mapping[str, Sequence[Any]]) -> list[Intake]:
    """Each seeker's intake answers; equal answers share one :class:`Intake`."""
    given = [k for k in INTAKE_COLUMNS if k in columns]
    if not given:
        return list(repeat(Intake(), n))
    rows = list(zip(*(columns[k] for k in given), strict=True))
    made = {a: Intake(**{k: v for k, v in zip(given, a, strict=True) if v is not None}) for a in set(rows)}
    return list(map(made.__getitem__, rows))


def _extras(n: int, columns: Mapping[str, Sequence[Any]], extra: Sequence[str]) -> list[dict[str, str]]:
    """Each record's cells of the columns outside the schema, empty ones left out."""
    if not extra:
        return list(map(dict, repeat((), n)))
    kept = [(k, columns[k]) for k in extra]
    return [{k: c[i] for k, c in kept if c[i] is not None} for i in range(n)]


def _factory(default: Any) -> Callable[[], Any] | None:
    """The function making a field's default for each record (``attrs.Factory``), else ``None``."""
    return getattr(default, "factory", None) if hasattr(default, "takes_self") else None


def _assign(name: str) -> Callable[[object, Any], None]:
    def assign(record: object, value: Any) -> None:
        object.__setattr__(record, name, value)

    return assign


def build_records(cls: type, n: int, columns: Mapping[str, Sequence[Any]], extra: Sequence[str]) -> list[object]:
    """``n`` records of ``cls`` from checked ``columns`` (field name -> values, ``None`` for empty).

    ``extra`` names the columns outside the schema, kept in each record's ``extra``.
    Each record is made once, without ``__init__``: the checks its class makes are made
    on the columns before (:func:`employkit.sources.columns.clean_records`). A field
    without a column, or an empty cell, takes the field's default.
    """
    records: list[object] = list(map(object.__new__, repeat(cls, n)))
    for field in attrs.fields(cls):
        slot: Any = cls.__dict__.get(field.name)
        assign = slot.__set__ if type(slot).__name__ == "member_descriptor" else _assign(field.name)
        if field.name == "intake":
            values: Sequence[Any] = _intakes(n, columns)
        elif field.name == "extra":
            values = _extras(n, columns, extra)
        elif field.name in columns:
            values = columns[field.name]
            default = field.default
            if default is not None and default is not attrs.NOTHING and _factory(default) is None:
                values = list(map({None: default}.get, values, values))
            if field.converter is not None:
                values = _shared(values, field.converter)
        elif (make := _factory(field.default)) is not None:
            values = [make() for _ in range(n)]
        else:
            values = repeat(field.default, n)  # type: ignore[assignment]
        deque(map(assign, records, values), maxlen=0)
    return records
