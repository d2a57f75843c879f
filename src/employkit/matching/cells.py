"""Cells to columns: the conversions :mod:`employkit.matching.columns` builds its tables with.

Each function takes one column as given (a numpy array, a list, a pandas Series or an
Arrow array), converts it to one numpy array with the tables' missing values (``None``
in text, NaN in numbers, NaT in dates) and appends a :class:`~employkit.errors.Problem`
for every bad cell, so a table reports all of them at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from employkit.errors import DataError, Problem
from employkit.model import EmploymentType, Gender, SeekerGroup

TYPES: tuple[EmploymentType, ...] = tuple(EmploymentType)
NAT = np.datetime64("NaT", "D")
EPOCH = dt.date(1970, 1, 1)
EMPTY: frozenset[str] = frozenset()

_KO_NAMES: dict[str, dict[str, str]] = {}


def korean_names(table: str) -> Mapping[str, str]:
    """Korean column name -> English name, from the schema."""
    if table not in _KO_NAMES:
        from employkit.sources.schema import TABLES

        _KO_NAMES[table] = {c.ko: c.name for c in TABLES[table]}
    return _KO_NAMES[table]


# --------------------------------------------------------------------------- cell conversion


def plain(values: Any, kind: str) -> NDArray[Any]:
    """A numpy array from a numpy array, a list, a pandas Series or an Arrow array."""
    module = type(values).__module__
    if module.startswith("pyarrow"):
        if kind in ("float", "int"):
            return np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.float64)
        return np.asarray(values.to_pylist(), dtype=object)
    if module.startswith("pandas"):
        if kind in ("float", "int"):
            return np.asarray(values.to_numpy(dtype="float64", na_value=np.nan))
        if kind == "date" and str(values.dtype).startswith("datetime64"):
            return np.asarray(values.to_numpy(dtype="datetime64[ns]"))
        return np.asarray(values.to_numpy(dtype=object, na_value=None))
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(list(values), dtype=object)


def missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    return isinstance(value, str) and not value.strip()


def text(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    for i, v in enumerate(values.tolist()):
        out[i] = None if missing(v) else str(v).strip()
    return out


def floats(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.float64]:
    if values.dtype.kind in "fiub":
        return values.astype(np.float64)
    out = np.full(values.shape[0], np.nan)
    for i, v in enumerate(values.tolist()):
        if missing(v):
            continue
        try:
            out[i] = float(v)
        except (TypeError, ValueError):
            problems.append(Problem("not a number", table=table, row=i + 1, column=column, value=str(v)))
    return out


def dates(
    values: NDArray[Any], column: str, problems: list[Problem], table: str, *, required: bool = False
) -> NDArray[np.datetime64]:
    if values.dtype.kind == "M":
        out = values.astype("datetime64[D]")
        if required:
            for i in np.flatnonzero(np.isnat(out))[:1000].tolist():
                problems.append(Problem("required", table=table, row=i + 1, column=column))
        return out
    out = np.full(values.shape[0], NAT)
    for i, v in enumerate(values.tolist()):
        if missing(v):
            if required:
                problems.append(Problem("required", table=table, row=i + 1, column=column))
            continue
        try:
            day = v.date() if isinstance(v, dt.datetime) else v if isinstance(v, dt.date) else dt.date.fromisoformat(v)
            out[i] = np.datetime64(day, "D")
        except (TypeError, ValueError):
            problems.append(Problem("not a date (YYYY-MM-DD)", table=table, row=i + 1, column=column, value=str(v)))
    return out


def tristate(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int8]:
    if values.dtype.kind == "b":
        return values.astype(np.int8)
    out = np.full(values.shape[0], -1, dtype=np.int8)
    for i, v in enumerate(values.tolist()):
        if missing(v):
            continue
        if isinstance(v, bool | np.bool_) or v in (0, 1):
            out[i] = int(bool(v))
        elif isinstance(v, str) and v.strip().lower() in (
            "true",
            "false",
            "yes",
            "no",
            "y",
            "n",
            "1",
            "0",
            "예",
            "아니오",
        ):
            out[i] = int(v.strip().lower() in ("true", "yes", "y", "1", "예"))
        else:
            problems.append(Problem("expected true or false", table=table, row=i + 1, column=column, value=str(v)))
    return out


_E = TypeVar("_E", Gender, SeekerGroup)


def enums(
    values: NDArray[Any], kind: type[_E], column: str, problems: list[Problem], table: str
) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    cache: dict[str, _E] = {}
    for i, v in enumerate(values.tolist()):
        if missing(v):
            out[i] = None
            continue
        key = str(v).strip()
        found = cache.get(key)
        if found is None:
            try:
                found = cache[key] = kind.parse(key)
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                continue
        out[i] = found
    return out


def enum_sets(
    values: NDArray[Any], kind: type[_E], column: str, problems: list[Problem], table: str
) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    for i, v in enumerate(sets(values).tolist()):
        items = []
        for key in sorted(v):
            try:
                items.append(kind.parse(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
        out[i] = frozenset(items)
    return out


def sets(values: NDArray[Any]) -> NDArray[np.object_]:
    out = np.empty(values.shape[0], dtype=object)
    cache: dict[Any, frozenset[str]] = {}
    for i, v in enumerate(values.tolist()):
        if missing(v):
            out[i] = EMPTY
            continue
        if isinstance(v, str):
            found = cache.get(v)
            if found is None:
                found = cache[v] = frozenset(x.strip() for x in v.split(";") if x.strip())
            out[i] = found
        else:
            out[i] = frozenset(str(x).strip() for x in v if str(x).strip())
    return out


def type_masks(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int64]:
    if values.dtype.kind in "iu":
        return values.astype(np.int64)
    out = np.zeros(values.shape[0], dtype=np.int64)
    cache: dict[str, int] = {}
    for i, v in enumerate(values.tolist()):
        if missing(v):
            continue
        items = v.split(";") if isinstance(v, str) else list(v)
        mask = 0
        for item in items:
            key = str(item).strip()
            if not key:
                continue
            bit = cache.get(key)
            if bit is None:
                try:
                    bit = cache[key] = 1 << TYPES.index(EmploymentType.parse(key))
                except ValueError as exc:
                    problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                    continue
            mask |= bit
        out[i] = mask
    return out


def type_index(values: NDArray[Any], column: str, problems: list[Problem], table: str) -> NDArray[np.int8]:
    out = np.zeros(values.shape[0], dtype=np.int8)
    cache: dict[str, int] = {}
    for i, v in enumerate(values.tolist()):
        key = "" if missing(v) else str(v).strip()
        found = cache.get(key)
        if found is None:
            try:
                found = cache[key] = TYPES.index(EmploymentType.parse(key))
            except ValueError as exc:
                problems.append(Problem(str(exc), table=table, row=i + 1, column=column, value=key))
                continue
        out[i] = found
    return out


def check_codes(
    codes: NDArray[np.object_],
    column: str,
    ok: Callable[[str], bool],
    reason: str,
    problems: list[Problem],
    table: str,
    *,
    required: bool,
) -> None:
    verdict: dict[str, bool] = {}
    for i, code in enumerate(codes.tolist()):
        if code is None:
            if required:
                problems.append(Problem("required", table=table, row=i + 1, column=column))
            continue
        good = verdict.get(code)
        if good is None:
            good = verdict[code] = ok(code)
        if not good:
            problems.append(Problem(reason, table=table, row=i + 1, column=column, value=code))


def region_ok(code: str) -> bool:
    return code.isascii() and code.isdigit() and len(code) in (2, 5, 8, 10)


def occupation_ok(code: str) -> bool:
    return code.isascii() and code.isdigit() and 1 <= len(code) <= 6


def range_check(
    values: NDArray[np.float64],
    column: str,
    bad: NDArray[np.bool_],
    reason: str,
    problems: list[Problem],
    table: str,
) -> None:
    for i in np.flatnonzero(bad)[:1000].tolist():
        problems.append(Problem(reason, table=table, row=i + 1, column=column, value=f"{values[i]:g}"))


def day(value: np.datetime64) -> dt.date | None:
    if np.isnat(value):
        return None
    return EPOCH + dt.timedelta(days=int(value.astype("datetime64[D]").astype(np.int64)))


def int_or_none(value: float) -> int | None:
    return None if math.isnan(value) else int(value)


def float_or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


class Source:
    """Columns by English or Korean name, converted to numpy arrays on demand."""

    def __init__(self, columns: Mapping[str, Any], table: str) -> None:
        ko = korean_names(table)
        self.columns = {ko.get(str(k), str(k)): v for k, v in columns.items()}
        self.table = table
        sizes = {k: len(v) for k, v in self.columns.items()}
        if len(set(sizes.values())) > 1:
            listing = ", ".join(f"{k} {n}" for k, n in sizes.items())
            raise DataError([Problem(f"columns differ in length ({listing})", table=table)], f"invalid {table} columns")
        self.n = next(iter(sizes.values()), 0)

    def get(self, name: str, kind: str) -> NDArray[Any] | None:
        if name not in self.columns:
            return None
        return plain(self.columns[name], kind)

    def need(self, name: str, kind: str, problems: list[Problem]) -> NDArray[Any]:
        found = self.get(name, kind)
        if found is None:
            problems.append(Problem("required column is missing", table=self.table, column=name))
            return np.full(self.n, None, dtype=object)
        return found


def object_array(items: Sequence[Any]) -> NDArray[np.object_]:
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):
        out[i] = v
    return out
