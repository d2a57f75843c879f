"""The built-in data sources — CSV folder, JSON Lines folder, SQLite — and their writers.

The readers live in :mod:`employkit.sources.folders` (a folder of CSV or JSON Lines
files, one per table) and :mod:`employkit.sources.sqlite` (a SQLite database, ``.sqlite``,
``.sqlite3`` or ``.db``, with tables of the same names and an optional one-row table
``centre`` with a column ``toml``); their names are importable from here too.

Writers produce what the readers read back into an equal dataset. They write to a
temporary folder or file beside the target and rename it into place, so an interrupted
write leaves no partial output.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, closing
from enum import Enum
from pathlib import Path
from typing import Any

from employkit.atomic import atomic_file, atomic_folder
from employkit.dataset import Dataset
from employkit.errors import DataError, Problem
from employkit.model import Centre
from employkit.sources.folders import (
    CsvFolderSource,
    JsonlFolderSource,
    expected_files,
    location_hint,
    table_files,
    table_named,
)
from employkit.sources.raw import CENTRE_FILE, decode, decode_problem
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_ORDER, TABLES
from employkit.sources.sqlite import SQLITE_SUFFIXES, SqliteSource, _quote

__all__ = [
    "CENTRE_FILE",
    "SQLITE_SUFFIXES",
    "CsvFolderSource",
    "JsonlFolderSource",
    "SqliteSource",
    "centre_toml",
    "dataset_rows",
    "decode",
    "decode_problem",
    "expected_files",
    "location_hint",
    "table_files",
    "table_named",
    "write_csv_folder",
    "write_jsonl_folder",
    "write_sqlite",
]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, frozenset | set | list | tuple):
        return ";".join(sorted(_cell(v) for v in value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def dataset_rows(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """Every table of ``dataset`` as rows of text, as all writers serialise them.

    Columns are in schema order, extra columns after (sorted); dates ISO, booleans
    ``true``/``false``, lists ``;``-joined and sorted, enums by code, missing as ``""``.
    Tables without records are left out, except ``seekers``.
    """
    records: Mapping[str, Sequence[Any]] = {
        "seekers": dataset.seekers,
        "employers": dataset.employers,
        "vacancies": dataset.vacancies,
        "placements": dataset.placements,
        "followups": dataset.followups,
    }
    out: dict[str, list[dict[str, str]]] = {}
    for table in TABLE_ORDER:
        items = records[table]
        if not items and table != "seekers":
            continue
        extras = sorted({k for r in items for k in getattr(r, "extra", {})})
        rows = []
        for record in items:
            row: dict[str, str] = {}
            for col in TABLES[table]:
                source = record.intake if col.name in INTAKE_COLUMNS else record
                row[col.name] = _cell(getattr(source, col.name))
            extra = getattr(record, "extra", {})
            for key in extras:
                row[key] = _cell(extra.get(key))
            rows.append(row)
        out[table] = rows
    return out


def _columns(table: str, rows: Sequence[Mapping[str, str]]) -> list[str]:
    return list(rows[0]) if rows else [c.name for c in TABLES[table]]


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def centre_toml(centre: Centre) -> str:
    """``centre`` as a ``[centre]`` table in the format of ``employkit.toml``."""
    lines = ["[centre]", f"name = {_toml_string(centre.name)}", f"level = {_toml_string(centre.level.code)}"]
    if centre.region_code is not None:
        lines.append(f"region_code = {_toml_string(centre.region_code)}")
    for key in ("counsellors", "officials"):
        value = getattr(centre, key)
        if value is not None:
            lines.append(f"{key} = {value}")
    if centre.period is not None:
        lines.append(f"period_start = {centre.period.start.isoformat()}")
        lines.append(f"period_end = {centre.period.end.isoformat()}")
    for key in ("targets", "budget_krw"):
        table: Mapping[int, int] = getattr(centre, key)
        if table:
            lines += ["", f"[centre.{key}]", *(f"{year} = {amount}" for year, amount in sorted(table.items()))]
    return "\n".join(lines) + "\n"


#: The files a dataset folder may hold; a folder with anything else is never replaced.
_DATASET_FILES = frozenset({f"{t}{s}" for t in TABLE_ORDER for s in (".csv", ".jsonl")} | {CENTRE_FILE})


def _atomic_folder(path: Path) -> AbstractContextManager[Path]:
    """A temporary folder beside ``path``, renamed to ``path`` when the block succeeds."""
    return atomic_folder(path, replace_only=_DATASET_FILES)


def _write_table_csv(path: Path, table: str, rows: Sequence[Mapping[str, str]], encoding: str) -> None:
    columns = _columns(table, rows)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] for c in columns])
    text = buffer.getvalue()
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        problems = []
        for number, row in enumerate([dict(zip(columns, columns, strict=True)), *rows], start=1):
            for c in columns:
                try:
                    row[c].encode(encoding)
                except UnicodeEncodeError:
                    problems.append(
                        Problem(
                            f"cannot be written in {encoding}",
                            path.name,
                            table,
                            number,
                            c,
                            row[c],
                            "error",
                            code="not_writable",
                        )
                    )
        raise DataError(problems, f"cannot write {path.name} in {encoding}") from None
    path.write_bytes(data)


def write_csv_folder(dataset: Dataset, path: str | Path, encoding: str = "utf-8") -> Path:
    """Write ``dataset`` as a folder of CSV files (and ``centre.toml``), atomically.

    ``encoding`` may be ``"utf-8"``, ``"utf-8-sig"`` (with BOM, for Excel) or
    ``"cp949"``/``"euc-kr"``. Raises :class:`DataError` naming each cell the encoding
    cannot hold. Returns the folder.
    """
    target = Path(path)
    tables = dataset_rows(dataset)
    with _atomic_folder(target) as temp:
        for table, rows in tables.items():
            _write_table_csv(temp / f"{table}.csv", table, rows, encoding)
        if dataset.centre is not None:
            (temp / CENTRE_FILE).write_text(centre_toml(dataset.centre), encoding="utf-8")
    return target


def write_jsonl_folder(dataset: Dataset, path: str | Path) -> Path:
    """Write ``dataset`` as a folder of JSON Lines files (UTF-8), atomically.

    Empty cells are left out of each object. Returns the folder.
    """
    target = Path(path)
    tables = dataset_rows(dataset)
    with _atomic_folder(target) as temp:
        for table, rows in tables.items():
            lines = [json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False) for row in rows]
            (temp / f"{table}.jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
        if dataset.centre is not None:
            (temp / CENTRE_FILE).write_text(centre_toml(dataset.centre), encoding="utf-8")
    return target


def write_sqlite(dataset: Dataset, path: str | Path) -> Path:
    """Write ``dataset`` as a SQLite database of text columns, atomically.

    An existing file at ``path`` is replaced. The centre, if any, goes in a one-row table
    ``centre`` (column ``toml``). Returns the path.
    """
    target = Path(path)
    tables = dataset_rows(dataset)
    with atomic_file(target) as temp, closing(sqlite3.connect(temp)) as db:
        for table, rows in tables.items():
            columns = _columns(table, rows)
            db.execute(f"CREATE TABLE {_quote(table)} ({', '.join(f'{_quote(c)} TEXT' for c in columns)})")
            marks = ", ".join("?" for _ in columns)
            db.executemany(
                f"INSERT INTO {_quote(table)} VALUES ({marks})",
                [[row[c] or None for c in columns] for row in rows],
            )
        if dataset.centre is not None:
            db.execute('CREATE TABLE "centre" ("toml" TEXT)')
            db.execute('INSERT INTO "centre" VALUES (?)', (centre_toml(dataset.centre),))
        db.commit()
    return target
