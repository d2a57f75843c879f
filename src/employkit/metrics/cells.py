"""One column of a KPI table: :class:`Values`, numpy arrays of numbers, days or codes.

Numbers, flags and days are a numpy array with a mask of known cells; texts, codes and
sets are integer codes into the distinct values, which are the Python values a record
holds (``"11140"``, ``Gender.F``, ``frozenset({...})``). :func:`from_python` and
:func:`typed` build a column from Python cells, each distinct cell parsed once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import frozen

from employkit.errors import DataError, Problem
from employkit.sources.schema import ENUM_CELLS, SET_CELLS

if TYPE_CHECKING:
    from employkit.labels import CodedEnum

__all__ = [
    "DAY",
    "KIND",
    "NUMERIC",
    "Distinct",
    "Values",
    "blank",
    "coded_from",
    "factorize_whole",
    "from_python",
    "typed",
]

NUMERIC = frozenset({"int", "float", "bool", "date"})
DAY = "datetime64[D]"

_ENUMS: Mapping[str, type[CodedEnum]] = {str(k): v for k, v in ENUM_CELLS.items()}
_SETS: Mapping[str, type[CodedEnum] | None] = {str(k): v for k, v in SET_CELLS.items()}
#: The kind of column of each schema cell type.
KIND: Mapping[str, str] = {
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
_DTYPE: Mapping[str, Any] = {"int": np.int64, "float": np.float64, "bool": bool}


class Distinct(Sequence[Any]):
    """The distinct values of a column held as a numpy array (``keys``: whole numbers, say ids).

    A sequence of the Python values, made from the array only if something reads them one
    by one; matching ids (:meth:`~employkit.metrics.columns.ColumnData.match`) uses the array.
    """

    def __init__(self, keys: np.ndarray) -> None:
        self.keys = keys
        self._cells: list[Any] | None = None

    def _python(self) -> list[Any]:
        if self._cells is None:
            self._cells = self.keys.tolist()
        return self._cells

    def __len__(self) -> int:
        return len(self.keys)

    def __getitem__(self, index: Any) -> Any:
        return self._python()[index]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._python())


def factorize_whole(values: np.ndarray, known: np.ndarray | None = None) -> tuple[np.ndarray, Distinct]:
    """Codes (``-1`` where not ``known``) into the distinct whole numbers of ``values``, in ascending order."""
    values = np.asarray(values, dtype=np.int64)
    every = known is None or bool(np.all(known))
    if every and bool(np.all(values[1:] > values[:-1])):  # each row its own id, in order (a table's own ids)
        return np.arange(len(values), dtype=np.int64), Distinct(values)
    ok = np.ones(len(values), bool) if known is None else np.asarray(known, dtype=bool)
    codes = np.full(len(values), -1, dtype=np.int64)
    present = values if every else values[ok]
    if not len(present):
        return codes, Distinct(np.zeros(0, np.int64))
    low, high = int(present.min()), int(present.max())
    if high - low < 4 * len(present) + 1024:  # close together: a table of every number, not a sort
        seen = np.zeros(high - low + 1, dtype=bool)
        seen[present - low] = True
        rank = np.cumsum(seen) - 1
        codes[ok] = rank[present - low]
        return codes, Distinct(np.flatnonzero(seen) + low)
    uniques, inverse = np.unique(present, return_inverse=True)
    codes[ok] = np.asarray(inverse, dtype=np.int64).reshape(-1)
    return codes, Distinct(uniques)


@frozen
class Values:
    """A column over some rows.

    ``kind`` is ``int``, ``float``, ``bool`` or ``date`` (``data`` holds the numbers,
    flags or ``datetime64[D]`` days and ``known`` which cells have one), or ``str``,
    ``enum``, ``set`` or ``object`` (``data`` holds codes into ``uniques``, ``-1`` where
    the cell is empty; a tuple, or a :class:`Distinct` array of whole numbers).
    """

    kind: str
    data: np.ndarray
    known: np.ndarray
    uniques: Sequence[Any] = ()
    enum: type[CodedEnum] | None = None

    @property
    def coded(self) -> bool:
        """Whether the cells are codes into :attr:`uniques`."""
        return self.kind not in NUMERIC

    def __len__(self) -> int:
        return len(self.data)

    def take(self, rows: np.ndarray) -> Values:
        """The cells of ``rows`` (a position ``-1`` gives an empty cell)."""
        rows = np.asarray(rows, dtype=np.int64)
        missing = rows < 0
        if not len(self.data):
            return self.empty(len(rows))
        if not missing.any():  # every row exists: its cell as it is (an empty cell already holds -1 or NaT)
            return Values(self.kind, self.data[rows], self.known[rows], self.uniques, self.enum)
        at = np.where(missing, 0, rows)
        data, known = self.data[at], self.known[at] & ~missing
        if self.coded:
            data = np.where(known, data, -1)
        elif self.kind == "date":
            data = np.where(known, data, np.datetime64("NaT"))
        return Values(self.kind, data, known, self.uniques, self.enum)

    def empty(self, n: int) -> Values:
        """``n`` empty cells of this column's kind."""
        return _blank(self.kind, n, self.enum)

    def factorized(self) -> tuple[np.ndarray, Sequence[Any]]:
        """Codes (``-1`` for empty cells) and the Python value of each distinct cell."""
        if self.coded:
            return self.data, self.uniques
        values = self.data[self.known]
        if self.kind == "date":
            values = values.view(np.int64)
        uniques, inverse = np.unique(values, return_inverse=True)
        codes = np.full(len(self.data), -1, dtype=np.int64)
        codes[self.known] = np.asarray(inverse, dtype=np.int64).reshape(-1)
        if self.kind == "date":
            return codes, uniques.view(DAY).astype(object).tolist()
        return codes, uniques.tolist()

    def python(self) -> list[Any]:
        """Every cell as the record's Python value (``None`` when empty)."""
        codes, uniques = self.factorized()
        table = [*uniques, None]
        return [table[c] for c in codes.tolist()]

    def numbers(self) -> np.ndarray:
        """The cells as floats (``NaN`` when empty); texts that are not numbers are empty."""
        if self.kind in ("int", "float", "bool"):
            return np.where(self.known, self.data.astype(np.float64), np.nan)
        if self.kind == "date":
            return np.where(self.known, self.data.view(np.int64).astype(np.float64), np.nan)
        table = np.array([*(_number(u) for u in self.uniques), np.nan], dtype=np.float64)
        found: np.ndarray = table[self.data]
        return found

    def map(self, fn: Callable[[Any], Any]) -> Values:
        """``fn`` of each distinct value, as a coded column (``None`` results are empty)."""
        codes, uniques = self.factorized()
        return coded_from(codes, [fn(u) for u in uniques])


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return np.nan
    return float(value)


def _blank(kind: str, n: int, enum: type[CodedEnum] | None = None) -> Values:
    if kind == "date":
        return Values(kind, np.full(n, np.datetime64("NaT"), dtype=DAY), np.zeros(n, bool))
    if kind in NUMERIC:
        return Values(kind, np.zeros(n, dtype=_DTYPE[kind]), np.zeros(n, bool))
    return Values(kind, np.full(n, -1, dtype=np.int64), np.zeros(n, bool), (), enum)


def blank(n: int) -> Values:
    """``n`` empty cells of no particular kind."""
    return _blank("object", n)


def coded_from(codes: np.ndarray, values: Sequence[Any], kind: str | None = None) -> Values:
    """Cells given as codes into ``values`` (code ``-1`` or a ``None`` value: empty); equal values merged."""
    index: dict[Any, int] = {}
    remap = np.full(len(values) + 1, -1, dtype=np.int64)
    for i, value in enumerate(values):
        if value is not None:
            remap[i] = index.setdefault(value, len(index))
    mapped = remap[np.where(codes < 0, len(values), codes)] if len(codes) else np.zeros(0, np.int64)
    uniques = tuple(index)
    if kind is None:
        kind = "str" if all(isinstance(u, str) for u in uniques) else "object"
    return Values(kind, mapped, mapped >= 0, uniques)


def from_python(values: Sequence[Any], kind: str, enum: type[CodedEnum] | None = None) -> Values:
    """A column of Python values (``None`` empty) of ``kind``; ``object`` when the kind is not known."""
    n = len(values)
    if kind == "date":  # each distinct day converted once (days repeat a lot)
        column = from_python(values, "object")
        table = np.array([*(_ordinal(u) for u in column.uniques), _NO_DAY], dtype=np.int64)
        ordinals = table[column.data]
        known = ordinals != _NO_DAY
        days = np.where(known, ordinals - _EPOCH, 0).astype(DAY)
        days[~known] = np.datetime64("NaT")
        return Values(kind, days, known)
    if kind in NUMERIC:
        cells = np.array(values, dtype=object) if n else np.zeros(0, dtype=object)
        known = np.array([v is not None for v in cells.tolist()], dtype=bool) if n else np.zeros(0, bool)
        return Values(kind, np.where(known, cells, 0).astype(_DTYPE[kind]), known)
    try:
        index = dict.fromkeys(values)
    except TypeError:  # unhashable cells (lists in extra columns): by their text
        return from_python([None if v is None else str(v) for v in values], kind, enum)
    index.pop(None, None)
    for code, value in enumerate(index):
        index[value] = code
    index[None] = -1
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=n)
    del index[None]
    uniques = tuple(index)
    if kind == "object" and uniques and all(isinstance(u, str) for u in uniques):
        kind = "str"
    return Values(kind, codes, codes >= 0, uniques, enum)


_EPOCH = dt.date(1970, 1, 1).toordinal()
_NO_DAY = -1


def _ordinal(value: Any) -> int:
    return value.toordinal() if isinstance(value, dt.date) else _NO_DAY


def typed(cells: Sequence[Any], kind: str | None, enum: type[CodedEnum] | None) -> Values:
    """Python cells (texts, numbers, dates, codes) as a column of ``kind``, each distinct cell parsed once."""
    column = from_python([None if _missing(c) else c for c in cells], "object")
    if kind is None:
        return column
    try:
        parsed = [_parse(u, kind, enum) for u in column.uniques]
    except (TypeError, ValueError) as exc:
        raise DataError([Problem(f"cannot read as {kind}: {exc}")], "cannot compute KPIs from these columns") from None
    if kind in NUMERIC:
        return from_python([None if c < 0 else parsed[c] for c in column.data.tolist()], kind)
    found = coded_from(column.data, parsed, kind)
    return Values(kind, found.data, found.known, found.uniques, enum)


def _missing(cell: Any) -> bool:
    return cell is None or (isinstance(cell, float) and np.isnan(cell)) or str(cell) in ("NaT", "<NA>")


def _parse(cell: Any, kind: str, enum: type[CodedEnum] | None) -> Any:
    if kind == "int":
        return int(cell)
    if kind == "float":
        return float(cell)
    if kind == "bool":
        return bool(cell)
    if kind == "date":
        if isinstance(cell, dt.datetime):
            return cell.date()
        return cell if isinstance(cell, dt.date) else dt.date.fromisoformat(str(cell)[:10])
    if kind == "set":
        items = [x for x in cell.split(";") if x] if isinstance(cell, str) else [str(x) for x in cell]
        return frozenset(_member(enum, x) for x in items)
    if kind == "enum":
        return _member(enum, str(cell))
    return str(cell) if kind == "str" else cell


def _member(enum: type[CodedEnum] | None, code: str) -> Any:
    if enum is None:
        return code
    try:
        return enum(code)  # type: ignore[call-arg]
    except ValueError:
        return code
