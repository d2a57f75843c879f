"""Folders of table files: one CSV or JSON Lines file per table.

A folder holds one file per table: ``seekers.csv`` (required), ``employers.csv``,
``vacancies.csv``, ``placements.csv``, ``followups.csv`` — or the same names ending in
``.jsonl`` — and optionally ``centre.toml`` with a ``[centre]`` table in the format of
``employkit.toml``. Files may be named in Korean as Korean exports name them, as Excel
sheets may: ``구직자.csv``, ``구인기업.csv``, ``구인공고.csv``, ``취업.csv``, ``사후관리.csv``
(:func:`table_named`).

A CSV file is read into columns (:class:`~employkit.sources.columns.Columns`), each
distinct text of a column kept once, so a national month fits in memory and is checked
column by column.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, ClassVar

from attrs import frozen

from employkit.dataset import Dataset
from employkit.errors import Problem
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.sources import cells, limits
from employkit.sources.columns import Columns, paused_collection
from employkit.sources.raw import (
    CENTRE_FILE,
    _centre_from_toml,
    _check_cells,
    _Read,
    _scalar_text,
    decode,
    decode_problem,
)
from employkit.sources.schema import TABLE_KO, TABLE_ORDER
from employkit.sources.tables import RawRow

__all__ = [
    "TABLE_NAMES",
    "CsvFolderSource",
    "JsonlFolderSource",
    "expected_files",
    "location_hint",
    "table_files",
    "table_named",
]

CSV_META = RuleMeta(rule_id="source.csv_folder", title=Text("CSV 파일 폴더", "folder of CSV files"))
JSONL_META = RuleMeta(rule_id="source.jsonl", title=Text("JSON Lines 파일 폴더", "folder of JSON Lines files"))


def _read_centre(folder: Path, read: _Read) -> None:
    path = folder / CENTRE_FILE
    if not path.is_file():
        return
    _centre_from_toml(path.read_bytes(), path.name, read)


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
    rows = _CsvTable(names, bounds, file, table, read)
    done = 0  # records read after the header, blank ones included
    try:
        while chunk := list(islice(reader, _CHUNK)):
            rows.add_chunk(chunk, done + 2)
            done += len(chunk)
    except csv.Error:
        rows.check_sizes()
        # read again, one row at a time from the chunk that failed, to keep the rows before the fault
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        for _ in islice(reader, done + 1):
            pass
        number = done + 1  # the row as a spreadsheet shows it (a quoted cell may span lines)
        try:
            for values in reader:
                number += 1
                rows.add_row(values, number)
        except csv.Error as exc:
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = f"a cell is larger than {csv.field_size_limit():,} characters"
            elif "expected after" in reason or "unexpected end of data" in reason:
                reason = f"a stray or unclosed quote ({reason}); quote a whole cell, and double quotes inside it"
            read.problems.append(Problem(f"cannot read the row: {reason}", file, table, number + 1, code="bad_row"))
    read.tables[table], read.numbers[table] = rows.columns(), rows.numbers


_CHUNK = 10_000


class _CsvTable:
    """The rows of one CSV file gathered into columns, each distinct text of a column kept once.

    A chunk of rows all as wide as the header, none blank, none with a cell that may be
    over ``[data] max_cell_bytes``, is taken whole; any other chunk row by row, with the
    problem of each row.
    """

    def __init__(self, names: list[str], bounds: limits.DataLimits, file: str, table: str, read: _Read) -> None:
        self.names, self.bounds, self.file, self.table, self.read = names, bounds, file, table, read
        self.width = len(names)
        self.headerless = [i for i, name in enumerate(names) if not name]
        self.cells: list[list[str | None]] = [[] for _ in names]
        # the distinct cells of each column: a mapping keeping one object per text while
        # texts repeat; a set once the column proves to hold mostly different texts (ids)
        self.distinct: list[dict[str | None, str | None] | set[str | None]] = [{} for _ in names]
        self.numbers: list[int] = []
        self.quick = bounds.max_cell_bytes // 4  # no cell of at most this many characters can be too big
        self.unsized: list[tuple[int, int]] = []  # (first row number, rows) of chunks taken whole

    def columns(self) -> Columns:
        self.check_sizes()
        return Columns(self.names, self.cells, len(self.numbers), self.distinct)

    def check_sizes(self) -> None:
        """Raise :class:`LimitExceeded` for the first cell over ``[data] max_cell_bytes`` in the chunks taken whole.

        Done once for many chunks, on the distinct cells of each column; the rows are
        then read in order only if some cell may be too big.
        """
        if not self.unsized or csv.field_size_limit() <= self.quick:
            self.unsized.clear()  # the CSV reader refuses any cell longer than its field size limit
            return
        if any(max(map(len, filter(None, same)), default=0) > self.quick for same in self.distinct):
            index = {number: i for i, number in enumerate(self.numbers)}
            for first, count in self.unsized:
                for number in range(first, first + count):
                    values = [c[index[number]] or "" for c in self.cells]
                    _check_cells(values, self.names, self.bounds, self.file, self.table, number)
        self.unsized.clear()

    def _extend(self, columns: Sequence[Sequence[str | None]]) -> None:
        for i, (column, same, cells_) in enumerate(zip(self.cells, self.distinct, columns, strict=True)):
            if isinstance(same, set):
                column.extend(cells_)
                same.update(cells_)
                continue
            if any(cells_):
                column.extend(map(same.setdefault, cells_, cells_))
            else:  # a chunk of empty cells: one shared object already
                column.extend(cells_)
                same.update(zip(cells_, cells_, strict=True))
            if len(column) >= _CHUNK and len(same) > len(column) // 2:
                self.distinct[i] = set(same)

    def add_chunk(self, chunk: list[list[str]], first: int) -> None:
        """Add rows numbered ``first``, ``first + 1``…"""
        if (
            not self.headerless
            and len(self.numbers) + len(chunk) <= self.bounds.max_rows
            and set(map(len, chunk)) == {self.width}
        ):
            columns = list(zip(*chunk, strict=True))
            if all(map(str.strip, columns[0])):  # no blank row: each has its first cell
                self._extend(columns)
                self.numbers.extend(range(first, first + len(chunk)))
                self.unsized.append((first, len(chunk)))
                return
        self.check_sizes()
        rows: list[list[str | None]] = []
        for number, values in enumerate(chunk, start=first):
            row = self._row(values, number)
            if row is not None:
                rows.append(row)
        if rows:
            self._extend(list(zip(*rows, strict=True)))

    def add_row(self, values: list[str], number: int) -> None:
        row = self._row(values, number)
        if row is not None:
            self._extend([[v] for v in row])

    def _row(self, values: list[str], number: int) -> list[str | None] | None:
        """The row's cells as wide as the header, or ``None`` for a row left out; counts it."""
        file, table, width = self.file, self.table, self.width
        if not any(v.strip() for v in values):
            return None
        _check_cells(values, self.names, self.bounds, file, table, number)
        if len(self.numbers) >= self.bounds.max_rows:
            raise limits.too_many("max_rows", self.bounds.max_rows, "rows", file, table, number)
        if len(values) > width:
            self.read.problems.append(
                Problem(
                    f"the row has {len(values)} cells but the header only {width}", file, table, number, code="bad_row"
                )
            )
            return None
        for i in self.headerless:
            if i < len(values) and values[i].strip():
                self.read.problems.append(
                    Problem(
                        f"a value in column {i + 1}, which has no header",
                        file,
                        table,
                        number,
                        f"#{i + 1}",
                        code="bad_header",
                    )
                )
        self.numbers.append(number)
        return [*values, *([None] * (width - len(values)))]


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
        with paused_collection():
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
