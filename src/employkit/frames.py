"""pandas DataFrames in and out, for researchers. Needs the ``pandas`` extra.

:func:`to_frames` gives one DataFrame per table of a :class:`~employkit.dataset.Dataset`,
columns named as in the schema (:mod:`employkit.sources.schema`), in schema order, the
record's extra columns after them. Column dtypes follow the schema's cell types:

- ``int`` and ``wage``: ``Int64`` (nullable integers); ``float``: ``Float64``;
- ``date``: ``datetime64[ns]`` (``NaT`` when missing);
- ``bool``: ``boolean`` (nullable);
- ``level``: an ordered ``category`` (``low`` < ``mid`` < ``high``); ``gender``,
  ``employment_type`` and ``outcome``: a ``category`` whose categories are every code of
  the enumeration;
- ``list``, ``employment_types`` and ``groups``: ``string``, the items ``;``-joined and
  sorted, ``""`` when there are none (``frame["groups"].str.split(";")`` gives lists);
- ``id``, ``text``, ``region``, ``occupation`` and extra columns: ``string`` (nullable).

Every table is present, with its columns, even when it has no rows.

:func:`from_frames` goes the other way through the same checks as the file readers
(:func:`employkit.sources.tables.build_dataset`): it accepts those dtypes and also plain
text, numbers, Python dates and lists; columns may have English or Korean names; and it
raises :class:`~employkit.errors.DataError` listing every problem with its table, row
(1 = the frame's first row) and column.

>>> from employkit.synth import sample_centre
>>> frames = to_frames(sample_centre())
>>> len(frames["seekers"]), str(frames["placements"]["start_date"].dtype)
(3110, 'datetime64[ns]')
>>> from_frames(frames, centre=sample_centre().centre) == sample_centre()
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any

from employkit.dataset import Dataset
from employkit.errors import DataError, Problem
from employkit.model import EmploymentType, FollowUpOutcome, Gender, Level
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_ORDER, TABLES, CellType
from employkit.sources.tables import RawRow, build_dataset

if TYPE_CHECKING:
    import pandas as pd

    from employkit.model import Centre

__all__ = ["from_frames", "to_frames"]

INSTALL_HINT = "pip install 'employkit[pandas]'"

_CATEGORIES: Mapping[CellType, type[Enum]] = {
    "level": Level,
    "gender": Gender,
    "employment_type": EmploymentType,
    "outcome": FollowUpOutcome,
}
_JOINED: frozenset[CellType] = frozenset({"list", "employment_types", "groups"})


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise DataError(
            [Problem(f"DataFrames need pandas: {INSTALL_HINT}")], "cannot convert to or from DataFrames"
        ) from None
    return pandas


def _records(dataset: Dataset) -> Mapping[str, Sequence[Any]]:
    return {
        "seekers": dataset.seekers,
        "employers": dataset.employers,
        "vacancies": dataset.vacancies,
        "placements": dataset.placements,
        "followups": dataset.followups,
    }


def _code(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _series(pd: Any, kind: CellType, values: list[Any]) -> Any:
    if kind in ("int", "wage"):
        return pd.array(values, dtype="Int64")
    if kind == "float":
        return pd.array(values, dtype="Float64")
    if kind == "bool":
        return pd.array(values, dtype="boolean")
    if kind == "date":
        return pd.to_datetime(pd.Series(values, dtype=object)).astype("datetime64[ns]")
    if kind in _CATEGORIES:
        codes = [None if v is None else _code(v) for v in values]
        return pd.Categorical(codes, categories=[m.value for m in _CATEGORIES[kind]], ordered=kind == "level")
    if kind in _JOINED:
        return pd.array([";".join(sorted(_code(x) for x in v)) for v in values], dtype="string")
    return pd.array(values, dtype="string")


def to_frames(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """One DataFrame per table of ``dataset`` (all five), with the dtypes listed above.

    The centre (``dataset.centre``) is not a table; pass it to :func:`from_frames`
    to get it back.
    """
    pd = _pandas()
    frames: dict[str, Any] = {}
    for table, records in _records(dataset).items():
        data: dict[str, Any] = {}
        for col in TABLES[table]:
            sources = [r.intake for r in records] if col.name in INTAKE_COLUMNS else records
            data[col.name] = _series(pd, col.type, [getattr(s, col.name) for s in sources])
        extras = sorted({k for r in records for k in getattr(r, "extra", {})})
        for key in extras:
            data[key] = pd.array([getattr(r, "extra", {}).get(key) for r in records], dtype="string")
        frames[table] = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    return frames


def _text(pd: Any, value: Any) -> str | None:
    """A frame cell as the text the schema's parsers read."""
    if isinstance(value, str):
        return value
    if pd.api.types.is_list_like(value):  # lists, sets, tuples, arrays
        items = [_text(pd, x) for x in value]
        return ";".join(sorted(x for x in items if x is not None))
    if value is None or bool(pd.isna(value)):
        return None
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return "true" if value else "false"
    if isinstance(value, dt.datetime):  # pandas Timestamps too
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(float(value))
    if isinstance(value, Enum):
        return _code(value)
    return str(value)


def _rows(pd: Any, frame: Any) -> Iterable[RawRow]:
    names = [str(c) for c in frame.columns]
    for values in frame.itertuples(index=False, name=None):
        yield {name: _text(pd, v) for name, v in zip(names, values, strict=True)}


def from_frames(
    frames: Mapping[str, pd.DataFrame],
    origin: str = "pandas",
    *,
    centre: Centre | None = None,
) -> Dataset:
    """A :class:`Dataset` from DataFrames keyed by table name; validated like a file.

    Only ``seekers`` is required. Raises :class:`DataError` listing every problem (row 1 =
    the frame's first row, whatever its index); nothing is half-loaded.
    """
    pd = _pandas()
    tables = {table: list(_rows(pd, frame)) for table, frame in frames.items()}
    files = {table: f"frames[{table!r}]" for table in frames}
    order = [t for t in TABLE_ORDER if t in tables] + [t for t in tables if t not in TABLE_ORDER]
    return build_dataset({t: tables[t] for t in order}, origin, files, centre=centre)
