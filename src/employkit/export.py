"""Rows out: CSV or JSON for the command line and the report folder.

One formatting for every table employkit writes for people: dates in ISO 8601,
``None`` as an empty cell (rows hold lists already ``;``-joined, as the readers take
them back; booleans are written ``True``/``False``, which the readers accept).

Every CSV written for people goes through :func:`safe_cell` (CSV injection, OWASP's
guidance): a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a leading single quote (``'=HYPERLINK(…)``), so that a
spreadsheet program shows it as text instead of running it as a formula; text that is
a plain number (``-3.5``) is left as it is. A carriage return inside a cell is written
as a line feed, so that the cell is quoted and the row stays whole. Resident registration numbers are masked in
every cell (a last line of defence: the readers refuse them). The datasets employkit
writes to read back (:func:`employkit.sources.readers.write_csv_folder`, ``employkit
convert``) keep their cells verbatim so that they round-trip; they are data, not
reports, and are not for opening in a spreadsheet program from an untrusted source.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

from .errors import InvalidArgument

__all__ = ["FORMULA_STARTS", "SafeWriter", "csv_text", "md_text", "rows_text", "safe_cell", "safe_row", "write_rows"]

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """One CSV cell fit to publish: formulas neutralised, resident numbers masked.

    >>> safe_cell("=1+2"), safe_cell("-3.5"), safe_cell("@SUM(A1)"), safe_cell(7)
    ("'=1+2", '-3.5', "'@SUM(A1)", 7)
    """
    if isinstance(value, str):
        from employkit.sources.cells import find_rrn, mask_rrn

        if find_rrn(value):
            value = mask_rrn(value)
        if value.startswith(FORMULA_STARTS) and not _is_number(value):
            value = "'" + value
        if "\r" in value:  # a bare CR would not be quoted (lineterminator is LF) and breaks the row
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value
    if (isinstance(value, int) and not isinstance(value, bool)) or (isinstance(value, float) and value.is_integer()):
        from employkit.sources.cells import find_rrn, number_text

        return "*************" if find_rrn(number_text(value)) else value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """:func:`safe_cell` of each value (for ``csv.writer`` rows)."""
    return [safe_cell(v) for v in values]


class SafeWriter:
    """A ``csv.writer`` (or, given ``fields``, a ``csv.DictWriter``) whose every cell passes :func:`safe_cell`."""

    def __init__(self, stream: TextIO, fields: Sequence[str] | None = None) -> None:
        self._writer = csv.writer(stream, lineterminator="\n")
        self._fields = list(fields) if fields is not None else None

    def writeheader(self) -> None:
        """Write the field names (given ``fields``)."""
        self._writer.writerow(safe_row(self._fields or []))

    def writerow(self, row: Sequence[Any] | Mapping[str, Any]) -> None:
        """Write a list of cells, or a mapping of the fields (missing ones empty)."""
        if isinstance(row, Mapping):
            row = ["" if row.get(k) is None else row.get(k) for k in self._fields or []]
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Sequence[Any] | Mapping[str, Any]]) -> None:
        """:meth:`writerow` of each row."""
        for row in rows:
            self.writerow(row)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|~])")


def md_text(value: object) -> str:
    r"""Text embedded in Markdown, inert: HTML escaped, Markdown marks backslash-escaped, one line.

    Centre names, folder names, pack titles and labels come from data or packs; written
    raw they could add headings, links, table columns or (in a viewer that renders HTML)
    scripts.

    >>> md_text("<script>x</script>\n# 제목 | a")
    '&lt;script&gt;x&lt;/script&gt; \\# 제목 \\| a'
    """
    import html

    from employkit.sources.cells import find_rrn, mask_rrn

    text = str(value)
    if find_rrn(text):
        text = mask_rrn(text)
    text = " ".join(text.split())  # no line breaks: nothing can start a heading or a list
    return html.escape(_MD_SPECIAL.sub(r"\\\1", text), quote=False)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return text.strip() == text


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
        from employkit.sources.cells import mask_data

        data = mask_data(json.loads(json.dumps([dict(r) for r in rows], default=_json_default)))
        json.dump(data, stream, ensure_ascii=False, indent=2)
        stream.write("\n")
        return
    if fmt != "csv":
        raise InvalidArgument(f"unknown format {fmt!r}; expected csv or json")
    names = list(fields) if fields is not None else (list(rows[0]) if rows else [])
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(safe_row(names))
    for r in rows:
        writer.writerow([safe_cell(_cell(r.get(k))) for k in names])


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
