"""Streaming writers: records written one row at a time, in bounded memory.

:func:`write_records` takes ``(table, record)`` pairs — such as
:func:`employkit.synth.generate` yields, in any order of tables — and writes each row
as it comes, so the size of the output is not limited by memory. Formats:

- ``csv``: a folder of CSV files (``seekers.csv``…), UTF-8 by default;
- ``jsonl``: a folder of JSON Lines files;
- ``sqlite``: a SQLite database, rows inserted in batches inside one transaction;
- ``xlsx``: an Excel workbook, one sheet per table (openpyxl's write-only mode; needs the
  ``excel`` extra).

Every format is written to a temporary file or folder beside the target and renamed into
place at the end, so an interrupted write leaves nothing. The columns are the schema's,
in schema order; cells are serialised as :func:`~employkit.sources.readers.dataset_rows`
does. Records' extra columns are not written (a stream cannot know them in advance).
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, closing, contextmanager
from pathlib import Path
from typing import IO, Any, Protocol

from employkit.atomic import atomic_file
from employkit.errors import DataError, InvalidArgument, Problem
from employkit.model import Centre
from employkit.sources.readers import CENTRE_FILE, SQLITE_SUFFIXES, _atomic_folder, _cell, centre_toml
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_ORDER, TABLES
from employkit.sources.sqlite import _quote

__all__ = ["FORMATS", "RowSink", "format_for", "open_sink", "record_cells", "write_records"]

#: The formats :func:`write_records` writes.
FORMATS: tuple[str, ...] = ("csv", "jsonl", "sqlite", "xlsx")

#: Rows per ``executemany`` batch when writing SQLite.
SQLITE_BATCH = 5000


def record_cells(table: str, record: Any) -> list[str]:
    """The cells of ``record`` (a model record of ``table``) as text, in schema order.

    >>> from employkit.model import Employer
    >>> record_cells("employers", Employer(employer_id="E1", employees=12, region_code="11140", partner=True))
    ['E1', '', '12', '', '11140', '', '', '', '', 'true', 'false', 'false', '', '', '']
    """
    cells = []
    for col in TABLES[table]:
        source = record.intake if col.name in INTAKE_COLUMNS else record
        cells.append(_cell(getattr(source, col.name)))
    return cells


def format_for(path: str | Path, default: str = "csv") -> str:
    """The format a target's name implies: ``.sqlite``/``.sqlite3``/``.db``, ``.xlsx``, else ``default``."""
    suffix = Path(path).suffix.lower()
    if suffix in SQLITE_SUFFIXES:
        return "sqlite"
    if suffix == ".xlsx":
        return "xlsx"
    return default


class RowSink(Protocol):
    """Where :func:`write_records` puts rows: one call per row, tables in any order."""

    def write(self, table: str, cells: Sequence[str]) -> None:
        """Append one row (cells in schema order, as text) to ``table``."""
        ...


class _FolderSink:
    """One open text file per table in a folder; CSV or JSON Lines."""

    def __init__(self, folder: Path, fmt: str, encoding: str) -> None:
        self.folder = folder
        self.fmt = fmt
        self.encoding = encoding
        self.files: dict[str, IO[str]] = {}
        self.writers: dict[str, Any] = {}
        self.rows: dict[str, int] = {}
        self.names = {t: [c.name for c in TABLES[t]] for t in TABLE_ORDER}

    def _open(self, table: str) -> None:
        suffix = ".csv" if self.fmt == "csv" else ".jsonl"
        handle = open(self.folder / f"{table}{suffix}", "w", encoding=self.encoding, newline="")  # noqa: SIM115
        self.files[table] = handle
        self.rows[table] = 1
        if self.fmt == "csv":
            writer = csv.writer(handle, lineterminator="\r\n")
            writer.writerow(self.names[table])
            self.writers[table] = writer

    def write(self, table: str, cells: Sequence[str]) -> None:
        if table not in self.files:
            self._open(table)
        self.rows[table] += 1
        try:
            if self.fmt == "csv":
                self.writers[table].writerow(cells)
            else:
                data = {k: v for k, v in zip(self.names[table], cells, strict=True) if v != ""}
                self.files[table].write(json.dumps(data, ensure_ascii=False) + "\n")
        except UnicodeEncodeError:
            bad = [(n, c) for n, c in zip(self.names[table], cells, strict=True) if not _encodes(c, self.encoding)]
            name = f"{table}.{self.fmt}"
            problems = [
                Problem(
                    f"cannot be written in {self.encoding}", name, table, self.rows[table], n, c, code="not_writable"
                )
                for n, c in bad
            ]
            raise DataError(problems, f"cannot write {name} in {self.encoding}") from None

    def close(self) -> None:
        if "seekers" not in self.files:
            self._open("seekers")
        for handle in self.files.values():
            handle.close()


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


class _SqliteSink:
    """Rows buffered per table and inserted with ``executemany`` in batches, one transaction."""

    def __init__(self, db: sqlite3.Connection, batch: int) -> None:
        self.db = db
        self.batch = batch
        self.pending: dict[str, list[list[str | None]]] = {}
        self.sql: dict[str, str] = {}

    def _create(self, table: str) -> None:
        columns = [c.name for c in TABLES[table]]
        self.db.execute(f"CREATE TABLE {_quote(table)} ({', '.join(f'{_quote(c)} TEXT' for c in columns)})")
        self.sql[table] = f"INSERT INTO {_quote(table)} VALUES ({', '.join('?' for _ in columns)})"
        self.pending[table] = []

    def write(self, table: str, cells: Sequence[str]) -> None:
        if table not in self.sql:
            self._create(table)
        rows = self.pending[table]
        rows.append([c or None for c in cells])
        if len(rows) >= self.batch:
            self.flush(table)

    def flush(self, table: str) -> None:
        self.db.executemany(self.sql[table], self.pending[table])
        self.pending[table].clear()

    def close(self) -> None:
        if "seekers" not in self.sql:
            self._create("seekers")
        for table in self.sql:
            self.flush(table)


def _temp_file(target: Path) -> AbstractContextManager[Path]:
    """A temporary file beside ``target``, renamed to ``target`` when the block succeeds."""
    return atomic_file(target)


@contextmanager
def _folder_sink(target: Path, fmt: str, encoding: str, centre: Centre | None) -> Iterator[RowSink]:
    with _atomic_folder(target) as temp:
        sink = _FolderSink(temp, fmt, "utf-8" if fmt == "jsonl" else encoding)
        try:
            yield sink
        finally:
            sink.close()
        if centre is not None:
            (temp / CENTRE_FILE).write_text(centre_toml(centre), encoding="utf-8")


@contextmanager
def _sqlite_sink(target: Path, centre: Centre | None, batch: int) -> Iterator[RowSink]:
    with _temp_file(target) as temp, closing(sqlite3.connect(temp, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        sink = _SqliteSink(db, batch)
        yield sink
        sink.close()
        if centre is not None:
            db.execute('CREATE TABLE "centre" ("toml" TEXT)')
            db.execute('INSERT INTO "centre" VALUES (?)', (centre_toml(centre),))
        db.execute("COMMIT")


def open_sink(
    path: str | Path,
    fmt: str | None = None,
    *,
    encoding: str = "utf-8",
    centre: Centre | None = None,
    batch: int = SQLITE_BATCH,
) -> AbstractContextManager[RowSink]:
    """A :class:`RowSink` writing to ``path`` in ``fmt`` (default: :func:`format_for` ``path``).

    The output appears at ``path`` only when the ``with`` block ends without an error.
    ``encoding`` applies to CSV (``utf-8``, ``utf-8-sig``, ``cp949``); ``centre``, if
    given, is stored as the readers expect it (``centre.toml``, a ``centre`` table or
    sheet). Raises :class:`ValueError` for an unknown format.
    """
    target = Path(path)
    fmt = fmt or format_for(target)
    if fmt in ("csv", "jsonl"):
        return _folder_sink(target, fmt, encoding, centre)
    if fmt == "sqlite":
        return _sqlite_sink(target, centre, batch)
    if fmt == "xlsx":
        from employkit.sources.excel import xlsx_sink

        return xlsx_sink(target, centre)
    raise InvalidArgument(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")


def write_records(
    records: Iterable[tuple[str, object]],
    path: str | Path,
    fmt: str | None = None,
    *,
    encoding: str = "utf-8",
    centre: Centre | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write ``(table, record)`` pairs to ``path`` as they come; return rows written per table.

    ``fmt`` is one of :data:`FORMATS` (default: implied by ``path``'s suffix, else
    ``csv``). ``progress``, if given, is called with the number of rows written since its
    last call (every few thousand rows and at the end). Nothing is kept but the current
    row and, for SQLite, one batch per table.
    """
    counts = {t: 0 for t in TABLE_ORDER}
    step = 0
    with open_sink(path, fmt, encoding=encoding, centre=centre) as sink:
        for table, record in records:
            sink.write(table, record_cells(table, record))
            counts[table] += 1
            step += 1
            if progress is not None and step >= 10_000:
                progress(step)
                step = 0
    if progress is not None and step:
        progress(step)
    return {t: n for t, n in counts.items() if n or t == "seekers"}
