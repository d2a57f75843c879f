"""Rows out: CSV or JSON for the command line and the report folder.

One formatting for every table employkit writes for people: dates in ISO 8601,
``None`` as an empty cell (rows hold lists already ``;``-joined, as the readers take
them back; booleans are written ``True``/``False``, which the readers accept).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

__all__ = ["csv_text", "rows_text", "write_rows"]


def write_rows(
    rows: Sequence[Mapping[str, Any]], stream: TextIO, fmt: str = "csv", fields: Sequence[str] | None = None
) -> None:
    """Write rows as CSV (UTF-8 text, header first) or a JSON array.

    >>> buf = io.StringIO()
    >>> write_rows([{"a": 1, "b": None}], buf)
    >>> buf.getvalue().splitlines()
    ['a,b', '1,']
    """
    if fmt == "json":
        json.dump([dict(r) for r in rows], stream, ensure_ascii=False, indent=2, default=_json_default)
        stream.write("\n")
        return
    if fmt != "csv":
        raise ValueError(f"unknown format {fmt!r}; expected csv or json")
    names = list(fields) if fields is not None else (list(rows[0]) if rows else [])
    writer = csv.DictWriter(stream, fieldnames=names, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: _cell(v) for k, v in r.items()})


def _cell(value: Any) -> Any:
    """One CSV cell: dates in ISO 8601, ``None`` empty, anything else as Python writes it."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def rows_text(rows: Sequence[Mapping[str, Any]], fmt: str = "csv") -> str:
    """:func:`write_rows` into a string."""
    buf = io.StringIO()
    write_rows(rows, buf, fmt)
    return buf.getvalue()


def csv_text(rows: Sequence[Mapping[str, Any]], *, bom: bool = False) -> str:
    """Rows as CSV text; with ``bom``, a UTF-8 byte-order mark so spreadsheet programs show Hangul."""
    return ("\ufeff" if bom else "") + rows_text(rows, "csv")
