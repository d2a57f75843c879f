"""The built-in data sources — CSV folder, JSON Lines folder, SQLite — and their writers.

A folder holds one file per table: ``seekers.csv`` (required), ``employers.csv``,
``vacancies.csv``, ``placements.csv``, ``followups.csv`` — or the same names ending in
``.jsonl`` — and optionally ``centre.toml`` with a ``[centre]`` table in the format of
``employkit.toml``. Files may be named in Korean as Korean exports name them, as Excel
sheets may: ``구직자.csv``, ``구인기업.csv``, ``구인공고.csv``, ``취업.csv``, ``사후관리.csv``
(:func:`table_named`). A SQLite database (``.sqlite``, ``.sqlite3`` or ``.db``) holds tables
of the same names, plus an optional one-row table ``centre`` with a column ``toml``.

Writers produce what the readers read back into an equal dataset. They write to a
temporary folder or file beside the target and rename it into place, so an interrupted
write leaves no partial output.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tomllib
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, closing
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar

from attrs import field, frozen

from employkit.atomic import atomic_file, atomic_folder
from employkit.config import parse_config
from employkit.dataset import Dataset
from employkit.errors import ConfigError, DataError, Problem
from employkit.labels import Text
from employkit.model import Centre
from employkit.packs import RuleMeta
from employkit.sources import cells, limits
from employkit.sources.schema import INTAKE_COLUMNS, TABLE_KO, TABLE_ORDER, TABLES
from employkit.sources.tables import RawRow, SourceMap, build_dataset, safe_problem, source_map, validate_tables

__all__ = [
    "CENTRE_FILE",
    "SQLITE_SUFFIXES",
    "CsvFolderSource",
    "JsonlFolderSource",
    "SqliteSource",
    "dataset_rows",
    "decode",
    "write_csv_folder",
    "write_jsonl_folder",
    "write_sqlite",
]

CENTRE_FILE = "centre.toml"
SQLITE_SUFFIXES = frozenset({".sqlite", ".sqlite3", ".db"})
_ENCODINGS = ("utf-8", "cp949", "euc-kr")

CSV_META = RuleMeta(rule_id="source.csv_folder", title=Text("CSV 파일 폴더", "folder of CSV files"))
JSONL_META = RuleMeta(rule_id="source.jsonl", title=Text("JSON Lines 파일 폴더", "folder of JSON Lines files"))
SQLITE_META = RuleMeta(rule_id="source.sqlite", title=Text("SQLite 데이터베이스", "SQLite database"))


# --------------------------------------------------------------------------- reading


@frozen
class _Read:
    """What a reader found: rows, their numbers, files, problems and the centre."""

    tables: dict[str, list[RawRow]] = field(factory=dict)
    numbers: dict[str, list[int]] = field(factory=dict)
    files: dict[str, str] = field(factory=dict)
    problems: list[Problem] = field(factory=list)
    centre: list[Centre] = field(factory=list)
    mapping: list[SourceMap] = field(factory=list)

    def dataset(self, origin: str) -> Dataset:
        found = [safe_problem(p) for p in self.problems]
        mapping = self.mapping[0] if self.mapping else None
        if any(p.severity == "error" for p in found):
            more = validate_tables(self.tables, self.files, row_numbers=self.numbers, mapping=mapping)
            raise DataError([*found, *more], f"cannot load {origin}")
        try:
            return build_dataset(
                self.tables,
                origin,
                self.files,
                centre=self.centre[0] if self.centre else None,
                row_numbers=self.numbers,
                mapping=mapping,
            )
        except DataError as exc:
            raise DataError([*found, *exc.problems], f"cannot load {origin}") from None

    def validate(self) -> list[Problem]:
        found = [safe_problem(p) for p in self.problems]
        mapping = self.mapping[0] if self.mapping else None
        return [*found, *validate_tables(self.tables, self.files, row_numbers=self.numbers, mapping=mapping)]


def decode(data: bytes) -> tuple[str, str]:
    """``(text, encoding)``: UTF-8 with or without BOM, UTF-16 with BOM, else CP949 (a superset of EUC-KR).

    Bytes that decode as UTF-8 are UTF-8: CP949 is tried only when they do not. (Some
    short CP949 texts are valid UTF-8 too, but guessing CP949 for them turned "José"
    into "Jos챕" in files that were UTF-8; a CP949 file of any length almost never is.)

    Raises :class:`UnicodeDecodeError` if none fits.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # "Unicode text" as spreadsheet programs save it
        return data.decode("utf-16"), "utf-16"
    error: UnicodeDecodeError | None = None
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = error or exc
            continue
        return text, encoding
    assert error is not None
    raise error


def decode_problem(data: bytes, file: str, table: str | None = None) -> Problem:
    """The problem of bytes :func:`decode` refused, with the first line at fault.

    A file whose lines are partly UTF-8 Korean and partly another encoding (two exports
    pasted together) is named as such, with one line of each kind.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    utf8_line: int | None = None
    other_line: int | None = None
    for number, raw in enumerate(data[3:].split(b"\n") if bom else data.split(b"\n"), start=1):
        if raw.isascii():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
            continue
        if any(ord(ch) >= 0x800 for ch in text):
            utf8_line = utf8_line or number
    if bom and other_line is not None:
        return Problem(
            f"the file starts with a UTF-8 byte order mark but line {other_line} is not UTF-8; "
            "save the whole file in one encoding (UTF-8)",
            file,
            table,
            other_line,
            code="bad_encoding",
        )
    if utf8_line is not None and other_line is not None:
        return Problem(
            f"mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not; "
            "save the whole file in one encoding (UTF-8)",
            file,
            table,
            other_line,
            code="bad_encoding",
        )
    line = other_line or 1
    return Problem(
        "cannot decode the line: the file is not UTF-8, UTF-8 with BOM, CP949 or EUC-KR",
        file,
        table,
        line,
        code="bad_encoding",
    )


def _read_centre(folder: Path, read: _Read) -> None:
    path = folder / CENTRE_FILE
    if not path.is_file():
        return
    _centre_from_toml(path.read_bytes(), path.name, read)


def _centre_from_toml(data: bytes, where: str, read: _Read) -> None:
    try:
        text, _ = decode(data)
        raw = tomllib.loads(text)
        # the source's own headers and spellings ([columns.<table>], [values.<column>])
        own: dict[str, Any] = {k: raw.pop(k) for k in ("columns", "values") if k in raw}
        if own:
            mapping, problems = source_map(own, where)
            read.mapping.append(mapping)
            read.problems.extend(problems)
        config = parse_config(raw, where)
    except UnicodeDecodeError:
        read.problems.append(decode_problem(data, where))
    except tomllib.TOMLDecodeError as exc:
        read.problems.append(Problem(f"not valid TOML: {exc}", where, code="bad_syntax"))
    except RecursionError:
        read.problems.append(Problem("not valid TOML: arrays or tables nested too deeply", where, code="bad_syntax"))
    except ConfigError as exc:
        reason = str(exc)
        read.problems.append(Problem(reason.removeprefix(f"{where}: "), where, code="bad_setting"))
    else:
        if config.centre is not None:
            read.centre.append(config.centre)


_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def _csv_rows(text: str, file: str, table: str, read: _Read) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        read.problems.append(Problem(f"cannot read the header row: {exc}", file, table, 1, code="bad_header"))
        return
    if header is None or not any(h.strip() for h in header):
        read.problems.append(Problem("the file is empty: no header row", file, table, 1, code="bad_header"))
        return
    bounds = limits.current()
    if len(header) > bounds.max_columns:  # before any row is built
        raise limits.too_many("max_columns", bounds.max_columns, "columns", file, table, 1)
    names = [h.strip().lstrip("\ufeff").strip() for h in header]
    if len(names) == 1:
        found = [d for d in _DELIMITERS if d in names[0]]
        if found:
            read.problems.append(
                Problem(
                    f"the header row is one column holding {_DELIMITERS[found[0]]}: the file seems to be separated "
                    f"by {found[0]!r}; save it as comma-separated CSV",
                    file,
                    table,
                    1,
                    code="bad_header",
                )
            )
            return
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            read.problems.append(
                Problem("column given twice in the header row", file, table, 1, name, code="duplicate_field")
            )
        seen.add(name)
    rows: list[RawRow] = []
    numbers: list[int] = []
    number = 1  # the row as a spreadsheet shows it (a quoted cell may span lines)
    try:
        for values in reader:
            number += 1
            if not any(v.strip() for v in values):
                continue
            _check_cells(values, names, bounds, file, table, number)
            if len(rows) >= bounds.max_rows:
                raise limits.too_many("max_rows", bounds.max_rows, "rows", file, table, number)
            if len(values) > len(names):
                read.problems.append(
                    Problem(
                        f"the row has {len(values)} cells but the header only {len(names)}",
                        file,
                        table,
                        number,
                        code="bad_row",
                    )
                )
                continue
            for i, name in enumerate(names):
                if not name and i < len(values) and values[i].strip():
                    read.problems.append(
                        Problem(
                            f"a value in column {i + 1}, which has no header",
                            file,
                            table,
                            number,
                            f"#{i + 1}",
                            code="bad_header",
                        )
                    )
            rows.append({name: (values[i] if i < len(values) else None) for i, name in enumerate(names) if name})
            numbers.append(number)
    except csv.Error as exc:
        reason = str(exc)
        if "field larger than field limit" in reason:
            reason = f"a cell is larger than {csv.field_size_limit():,} characters"
        elif "expected after" in reason or "unexpected end of data" in reason:
            reason = f"a stray or unclosed quote ({reason}); quote a whole cell, and double quotes inside it"
        read.problems.append(Problem(f"cannot read the row: {reason}", file, table, number + 1, code="bad_row"))
    read.tables[table], read.numbers[table] = rows, numbers


def _check_cells(
    values: Sequence[str], names: Sequence[str], bounds: limits.DataLimits, file: str, table: str, number: int
) -> None:
    """Raise :class:`LimitExceeded` for a cell over ``[data] max_cell_bytes``."""
    for i, value in enumerate(values):
        if bounds.cell_too_big(value):
            column = names[i] if i < len(names) and names[i] else f"#{i + 1}"
            raise limits.too_many(
                "max_cell_bytes", bounds.max_cell_bytes, "bytes in a cell", file, table, number, column
            )


def _jsonl_rows(text: str, file: str, table: str, read: _Read) -> None:
    rows: list[RawRow] = []
    numbers: list[int] = []
    bounds = limits.current()
    # Only "\n" ends a line: JSON strings may hold U+2028 and other line separators.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line, object_pairs_hook=_unique_keys)
        except _DuplicateKey as exc:
            read.problems.append(
                Problem("key given twice in the object", file, table, number, exc.key, code="duplicate_field")
            )
            continue
        except json.JSONDecodeError as exc:
            read.problems.append(
                Problem(f"not valid JSON: {exc.msg} (character {exc.pos + 1})", file, table, number, code="bad_syntax")
            )
            continue
        except (ValueError, RecursionError) as exc:  # e.g. a number of more than 4,300 digits; deep nesting
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            read.problems.append(Problem(f"not valid JSON: {reason}", file, table, number, code="bad_syntax"))
            continue
        if not isinstance(data, dict):
            read.problems.append(Problem("each line must be a JSON object", file, table, number, code="wrong_type"))
            continue
        if len(data) > bounds.max_columns:
            raise limits.too_many("max_columns", bounds.max_columns, "keys (columns)", file, table, number)
        if len(rows) >= bounds.max_rows:
            raise limits.too_many("max_rows", bounds.max_rows, "rows", file, table, number)
        row: dict[str, str | None] = {}
        for key, value in data.items():
            if isinstance(value, dict | list):
                if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
                    row[key] = cells.list_text(value)
                else:
                    read.problems.append(
                        Problem(
                            "expected a plain value, found a JSON object", file, table, number, key, code="wrong_type"
                        )
                    )
                continue
            row[key] = _scalar_text(value)
        _check_cells(
            [v for v in row.values() if v is not None],
            [k for k, v in row.items() if v is not None],
            bounds,
            file,
            table,
            number,
        )
        rows.append(row)
        numbers.append(number)
    read.tables[table], read.numbers[table] = rows, numbers


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out


def _scalar_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float) and (isinstance(value, int) or value.is_integer()):
        return cells.number_text(value)  # a resident number that lost its leading zeros gets them back
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


#: Table names as files and sheets name them: English or Korean, any case.
TABLE_NAMES: Mapping[str, str] = {
    **{t: t for t in TABLE_ORDER},
    **{ko: t for t, ko in TABLE_KO.items()},
}


def table_named(name: str) -> str | None:
    """The table a file or sheet name (without its suffix) stands for, in English or Korean.

    Spaces and case are ignored, and Hangul decomposed as macOS stores file names (NFD)
    is read as composed.

    >>> table_named("Seekers"), table_named("구직자"), table_named("취업"), table_named("notes")
    ('seekers', 'seekers', 'placements', None)
    """
    folded = unicodedata.normalize("NFC", name).strip().casefold()
    return TABLE_NAMES.get(folded) or TABLE_NAMES.get(folded.replace(" ", ""))


def table_files(folder: Path, suffix: str) -> tuple[dict[str, list[Path]], list[Path]]:
    """The files of ``folder`` ending in ``suffix``: by table (English or Korean name), and the others."""
    found: dict[str, list[Path]] = {}
    others: list[Path] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return found, others
    for path in entries:
        name = unicodedata.normalize("NFC", path.name)
        if not path.is_file() or not name.casefold().endswith(suffix):
            continue
        table = table_named(name[: -len(suffix)])
        if table is None:
            others.append(path)
        else:
            found.setdefault(table, []).append(path)
    return found, others


def expected_files(suffix: str = ".csv") -> str:
    """The files a data folder may hold, English and Korean names, for messages."""
    return ", ".join(
        f"{t}{suffix} ({TABLE_KO[t]}{suffix}{', 필수 required' if t == 'seekers' else ''})" for t in TABLE_ORDER
    )


def location_hint(location: str) -> str | None:
    """What to give instead, when ``location`` is a single table file or a folder of none."""
    path = Path(location)
    if path.is_file() and path.suffix.casefold() in {".csv", ".jsonl", ".txt", ".tsv"}:
        return (
            f"파일 하나가 아니라 표마다 파일이 하나씩 든 폴더를 지정하세요 "
            f"(a single file was given: give the folder holding one file per table): {expected_files(path.suffix)}"
        )
    if path.is_dir():
        held = sorted(unicodedata.normalize("NFC", p.name) for p in path.iterdir())
        shown = ", ".join(held[:8]) + (" …" if len(held) > 8 else "") if held else "비어 있음 (empty)"
        return (
            f"인식할 수 있는 파일이 없습니다 (no recognised file; the folder holds: {shown}); "
            f"필요한 파일 (expected): {expected_files('.csv')} — 또는 .jsonl (or .jsonl)"
        )
    return None


def _read_folder(folder: Path, suffix: str, parse: Callable[[str, str, str, _Read], None]) -> _Read:
    read = _Read()
    if not folder.is_dir():
        read.problems.append(Problem("not a folder", str(folder), code="unreadable"))
        return read
    files, _ = table_files(folder, suffix)
    for table in TABLE_ORDER:
        paths = files.get(table, [])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            read.problems.append(
                Problem(
                    f"표 하나에 파일이 여럿입니다: {names} — 하나만 두세요 "
                    f"(several files hold the {table} table; keep one)",
                    str(folder),
                    table,
                    code="duplicate_field",
                )
            )
            continue
        if not paths:
            continue
        path = paths[0]
        read.files[table] = path.name
        try:
            data = path.read_bytes()
        except OSError as exc:
            read.problems.append(
                Problem(f"cannot read the file: {exc.strerror or exc}", path.name, table, code="unreadable")
            )
            continue
        try:
            text, _ = decode(data)
        except UnicodeDecodeError:
            read.problems.append(decode_problem(data, path.name, table))
            continue
        parse(text, path.name, table, read)
    if "seekers" not in read.tables and not any(p.table == "seekers" for p in read.problems):
        read.files.setdefault("seekers", f"seekers{suffix}")
    _read_centre(folder, read)
    return read


def _has_tables(location: str, suffix: str) -> bool:
    folder = Path(location)
    return folder.is_dir() and bool(table_files(folder, suffix)[0])


class _FolderSource:
    """One table file per table in a folder; subclasses name the suffix and the row reader."""

    suffix: ClassVar[str]
    rows: ClassVar[Callable[..., Any]]

    def can_open(self, location: str) -> bool:
        """Whether ``location`` is a folder holding at least one table file."""
        return _has_tables(location, self.suffix)

    def read(self, location: str) -> _Read:
        """The raw rows and reading problems (for :meth:`open` and :meth:`validate`)."""
        return _read_folder(Path(location), self.suffix, type(self).rows)

    def open(self, location: str) -> Dataset:
        """Read the folder; raise :class:`DataError` listing every problem."""
        return self.read(location).dataset(str(location))

    def validate(self, location: str) -> list[Problem]:
        """Every problem of the folder, errors and warnings, without raising."""
        return self.read(location).validate()


@frozen
class CsvFolderSource(_FolderSource):
    """A folder of CSV files (``seekers.csv``…), UTF-8 (with or without BOM) or CP949/EUC-KR.

    Row numbers in problems are those a spreadsheet shows: the header is row 1.
    """

    meta: RuleMeta = CSV_META
    suffix: ClassVar[str] = ".csv"
    rows: ClassVar[Callable[..., Any]] = staticmethod(_csv_rows)


@frozen
class JsonlFolderSource(_FolderSource):
    """A folder of JSON Lines files (``seekers.jsonl``…): one JSON object per line.

    Row numbers in problems are line numbers. Values may be strings, numbers, booleans,
    ``null`` or lists (joined with ``;``).
    """

    meta: RuleMeta = JSONL_META
    suffix: ClassVar[str] = ".jsonl"
    rows: ClassVar[Callable[..., Any]] = staticmethod(_jsonl_rows)


@frozen
class SqliteSource:
    """A SQLite database (``.sqlite``, ``.sqlite3``, ``.db``) with the tables of the schema.

    Values are read as text. Row numbers in problems are 1-based positions in ``rowid``
    order.
    """

    meta: RuleMeta = SQLITE_META

    def can_open(self, location: str) -> bool:
        """Whether ``location`` is a file with a SQLite suffix."""
        path = Path(location)
        return path.suffix.lower() in SQLITE_SUFFIXES and path.is_file()

    def read(self, location: str) -> _Read:
        """The raw rows and reading problems."""
        read = _Read()
        path = Path(location)
        bounds = limits.current()
        try:
            # Read-only: the source is never written, never switched to WAL.
            with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
                db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, bounds.max_cell_bytes + 1)
                db.execute("PRAGMA trusted_schema = OFF")
                found = db.execute("SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view')")
                objects = {name: (kind, sql or "") for kind, name, sql in found}
                triggers = {r[0] for r in db.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'")}
                for table in TABLE_ORDER:
                    if table not in objects:
                        continue
                    where = f"{path.name}:{table}"
                    read.files[table] = where
                    refused = _sqlite_refusal(db, table, *objects[table], table in triggers)
                    if refused:
                        read.problems.append(Problem(refused, where, table, code="unreadable"))
                        read.tables[table], read.numbers[table] = [], []
                        continue
                    _sqlite_rows(db, table, where, bounds, read)
                if "centre" in objects and not _sqlite_refusal(db, "centre", *objects["centre"], "centre" in triggers):
                    found = db.execute('SELECT "toml" FROM "centre"').fetchone()
                    if found and found[0]:
                        _centre_from_toml(str(found[0]).encode("utf-8"), f"{path.name}:centre", read)
        except sqlite3.Error as exc:
            reason = str(exc)
            if "too big" in reason:
                raise limits.too_many("max_cell_bytes", bounds.max_cell_bytes, "bytes in a cell", path.name) from None
            read.problems.append(Problem(f"cannot read the SQLite database: {reason}", path.name, code="unreadable"))
        if "seekers" not in read.tables:
            read.files.setdefault("seekers", f"{path.name}:seekers")
        return read

    def open(self, location: str) -> Dataset:
        """Read the database; raise :class:`DataError` listing every problem."""
        return self.read(location).dataset(str(location))

    def validate(self, location: str) -> list[Problem]:
        """Every problem of the database, errors and warnings, without raising."""
        return self.read(location).validate()


def _sqlite_refusal(db: sqlite3.Connection, table: str, kind: str, sql: str, triggered: bool) -> str | None:
    """Why ``table`` is not read (a view, a virtual table, triggers, generated columns), or ``None``.

    Only plain tables are read: a view or a virtual table runs code of the file's
    choosing (a recursive view never ends), and so do generated columns.
    """
    if kind == "view":
        return "is a VIEW; only tables are read (a view can run without end): store the rows in a table"
    if sql.lstrip().upper().startswith("CREATE VIRTUAL"):
        return "is a virtual table; only plain tables are read"
    if triggered:
        return "has triggers; only plain tables without triggers are read"
    hidden = [r for r in db.execute(f"PRAGMA table_xinfo({_quote(table)})") if r[6] in (2, 3)]
    if hidden:
        return f"has generated columns ({', '.join(str(r[1]) for r in hidden)}); only stored columns are read"
    return None


def _sqlite_rows(db: sqlite3.Connection, table: str, where: str, bounds: limits.DataLimits, read: _Read) -> None:
    cursor = db.execute(f"SELECT * FROM {_quote(table)}")
    columns = [d[0] for d in cursor.description]
    if len(columns) > bounds.max_columns:
        raise limits.too_many("max_columns", bounds.max_columns, "columns", where, table)
    rows: list[RawRow] = []
    while batch := cursor.fetchmany(1000):
        if len(rows) + len(batch) > bounds.max_rows:
            raise limits.too_many("max_rows", bounds.max_rows, "rows", where, table, bounds.max_rows + 1)
        rows.extend({c: _scalar_text(v) for c, v in zip(columns, values, strict=True)} for values in batch)
    read.tables[table] = rows
    read.numbers[table] = list(range(1, len(rows) + 1))


# --------------------------------------------------------------------------- writing


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


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
