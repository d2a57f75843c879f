"""pandas DataFrames as KPI tables: the pandas edge of :class:`~employkit.metrics.columns.ColumnData`.

Each column is converted once to numpy :class:`~employkit.metrics.columns.Values` when a
KPI first reads it: numbers with :func:`pandas.to_numeric`, days with
:func:`pandas.to_datetime`, texts and codes with :func:`pandas.factorize` (each distinct
cell parsed once). Ids of any type that compare equal across tables work (strings or
integers); a ``list``-typed column may hold ``;``-joined texts or lists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from employkit.errors import DataError, Problem
from employkit.metrics.cells import DAY, NUMERIC, Values, _parse, coded_from, factorize_whole

if TYPE_CHECKING:
    from employkit.labels import CodedEnum

__all__ = ["FrameColumns"]


class FrameColumns:
    """One DataFrame read as KPI columns."""

    def __init__(self, table: str, frame: Any) -> None:
        self.table = table
        self.frame = frame
        self.columns = [str(c) for c in frame.columns]

    def __len__(self) -> int:
        return len(self.frame)

    def values(self, name: str, kind: str | None, enum: type[CodedEnum] | None) -> Values | None:
        """Column ``name`` as :class:`Values` of ``kind`` (``None`` when the frame has no such column)."""
        import pandas as pd

        if name not in self.frame.columns:
            return None
        raw = self.frame[name].reset_index(drop=True)
        try:
            if kind == "date":
                dated = raw if raw.dtype.kind == "M" and getattr(raw.dtype, "tz", None) is None else pd.to_datetime(raw)
                days = dated.to_numpy(dtype="datetime64[ns]").astype(DAY)
                return Values(kind, days, ~np.isnat(days))
            if kind in (None, "str") and raw.dtype.kind in "iu":  # whole-number ids: kept as numbers, not cells
                known = np.asarray(raw.notna(), dtype=bool)
                codes, distinct = factorize_whole(raw.to_numpy(dtype=np.int64, na_value=0), known)
                return Values(kind or "object", codes, codes >= 0, distinct)
            if kind in NUMERIC:
                series = raw.astype("boolean") if kind == "bool" else pd.to_numeric(raw)
                known = np.asarray(series.notna(), dtype=bool)
                dtype = {"int": np.int64, "float": np.float64, "bool": bool}[kind]
                data = series.to_numpy(dtype=np.float64 if kind != "bool" else object, na_value=0)
                whole = kind != "int" or bool(np.all(np.equal(np.mod(data[known], 1), 0)))
                if whole:
                    return Values(kind, data.astype(dtype), known)
            elif raw.dtype == object:
                raw = raw.map(lambda v: ";".join(str(x) for x in v) if isinstance(v, list | tuple | set) else v)
            codes, uniques = pd.factorize(raw, use_na_sentinel=True)
            cells = np.asarray(uniques, dtype=object).tolist()
            if kind in (None, "str"):  # ids and texts as they come: distinct already, compared as they are
                return Values(kind or _kind_of(cells), np.asarray(codes, dtype=np.int64), codes >= 0, tuple(cells))
            parsed = [_parse(u, kind, enum) for u in cells]
        except (ValueError, TypeError) as exc:
            raise DataError(
                [Problem(f"cannot read as {kind}: {exc}", table=self.table, column=name)],
                "cannot compute KPIs from these frames",
            ) from None
        if kind in NUMERIC:  # an int column holding fractions
            raise DataError(
                [Problem(f"cannot read as {kind}: not whole numbers", table=self.table, column=name)],
                "cannot compute KPIs from these frames",
            )
        found = coded_from(np.asarray(codes, dtype=np.int64), parsed, kind)
        return Values(found.kind, found.data, found.known, found.uniques, enum)


def _kind_of(cells: list[Any]) -> str:
    return "str" if all(isinstance(c, str) for c in cells) else "object"
