"""Excel workbooks (``.xlsx``): one sheet per table. Needs the ``excel`` extra (openpyxl).

A workbook holds a sheet per table, named by the table (``seekers``, ``employers``,
``vacancies``, ``placements``, ``followups``) or by its Korean name (``구직자``,
``구인기업``, ``구인공고``, ``취업``, ``사후관리``; see
:data:`~employkit.sources.schema.TABLE_KO`). In each sheet the first non-empty row
holds the headers (English or Korean column names) and every later non-empty row is a
record. An optional sheet ``centre`` holds the centre's ``[centre]`` TOML in cell A2
(A1 reads ``toml``), as a SQLite database does. Other sheets are ignored with a warning.

Workbooks are read in openpyxl's read-only mode, row by row. Problems name the file and
sheet (``centre.xlsx:구직자``), the row as Excel shows it and the column. Cells may be
text or Excel values: numbers, dates (date cells read as ISO dates) and TRUE/FALSE.

:func:`write_xlsx` writes a dataset with openpyxl's write-only mode (numbers, dates and
booleans as Excel values, codes as text so ``0295`` keeps its zero), to a temporary file
renamed into place.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.errors import DataError, Problem
from employkit.labels import Text
from employkit.packs import RuleMeta
from employkit.sources import cells, limits
from employkit.sources.raw import _centre_from_toml, _Read
from employkit.sources.readers import centre_toml, dataset_rows
from employkit.sources.schema import TABLE_KO, TABLE_ORDER, TABLES, CellType
from employkit.sources.tables import RawRow

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.model import Centre
    from employkit.sources.writers import RowSink

__all__ = ["EXCEL_SUFFIXES", "MAX_ROWS", "ExcelSource", "sheet_table", "write_xlsx", "xlsx_sink"]

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
#: The most rows an Excel sheet holds (the header included).
MAX_ROWS = 1_048_576
#: The sheet holding the centre's TOML.
CENTRE_SHEET = "centre"
INSTALL_HINT = "pip install 'employkit[excel]'"

EXCEL_META = RuleMeta(
    rule_id="source.excel",
    title=Text("엑셀 통합 문서 (.xlsx)", "Excel workbook (.xlsx)"),
    description=Text("표마다 시트 하나: seekers 또는 구직자 …", "One sheet per table: seekers or 구직자, …"),
)

_SHEET_NAMES: Mapping[str, str] = {
    **{t: t for t in TABLE_ORDER},
    **{ko: t for t, ko in TABLE_KO.items()},
}


def _openpyxl(where: str) -> Any:
    """openpyxl, or a :class:`DataError` telling how to install it."""
    try:
        import openpyxl
    except ImportError:
        raise DataError(
            [
                Problem(
                    f"reading and writing Excel workbooks needs openpyxl: {INSTALL_HINT}", where, code="missing_extra"
                )
            ],
            f"cannot use {where}",
        ) from None
    return openpyxl


def sheet_table(name: str) -> str | None:
    """The table a sheet holds, by its English or Korean name (any case, spaces ignored).

    >>> sheet_table("Seekers"), sheet_table("구직자"), sheet_table("notes")
    ('seekers', 'seekers', None)
    """
    folded = name.strip().casefold()
    return _SHEET_NAMES.get(folded) or _SHEET_NAMES.get(folded.replace(" ", ""))


def _column_letter(index: int) -> str:
    """The Excel letter of the 1-based column ``index`` (1 -> A, 28 -> AB)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _excel_text(value: object) -> str | None:
    """A cell's value as the text the schema's parsers read."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):  # a resident number that lost its leading zeros gets them back
        return cells.number_text(value)
    return str(value)


def _read_sheet(rows: Iterator[tuple[Any, ...]], file: str, table: str, read: _Read) -> None:
    header: list[str] | None = None
    records: list[RawRow] = []
    numbers: list[int] = []
    bounds = limits.current()
    for number, values in enumerate(rows, start=1):
        if len(values) > bounds.max_columns and any(v is not None for v in values[bounds.max_columns :]):
            column = _column_letter(bounds.max_columns + 1)
            raise limits.too_many("max_columns", bounds.max_columns, "columns", file, table, number, column)
        texts = [_excel_text(v) for v in values[: bounds.max_columns]]
        for index, text in enumerate(texts):
            if text is not None and bounds.cell_too_big(text):
                column = _column_letter(index + 1)
                raise limits.too_many(
                    "max_cell_bytes", bounds.max_cell_bytes, "bytes in a cell", file, table, number, column
                )
        if not any(t is not None and t.strip() for t in texts):
            continue
        if header is None:
            header = [(t or "").strip() for t in texts]
            named = [h for h in header if h]
            for name in sorted({h for h in named if named.count(h) > 1}):
                read.problems.append(
                    Problem("column given twice in the header row", file, table, number, name, code="duplicate_field")
                )
            continue
        row: dict[str, str | None] = {}
        for index, text in enumerate(texts):
            name = header[index] if index < len(header) else ""
            if name:
                row[name] = text
            elif text is not None and text.strip():
                read.problems.append(
                    Problem(
                        f"a value in column {_column_letter(index + 1)}, which has no header",
                        file,
                        table,
                        number,
                        _column_letter(index + 1),
                        text,
                        code="bad_header",
                    )
                )
        if len(records) >= bounds.max_rows:
            raise limits.too_many("max_rows", bounds.max_rows, "rows", file, table, number)
        records.append(row)
        numbers.append(number)
    if header is None:
        read.problems.append(Problem("the sheet is empty: no header row", file, table, 1, code="bad_header"))
        read.tables[table], read.numbers[table] = [], []
        return
    read.tables[table], read.numbers[table] = records, numbers


def _check_expansion(path: Path) -> None:
    """Refuse a workbook that would unpack to more than ``[data] max_workbook_bytes``.

    Checked on the zip directory before anything is parsed: the total uncompressed size,
    and each part over 1 MB against ``[data] max_compression_ratio`` (a zip bomb). The
    sizes the directory declares bound what is read: a part that inflates past its
    declared size fails its check when read.
    """
    bounds = limits.current()
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # openpyxl reports it
    total = sum(p.file_size for p in parts)
    if total > bounds.max_workbook_bytes:
        raise limits.too_many("max_workbook_bytes", bounds.max_workbook_bytes, "bytes once unpacked", path.name)
    for part in parts:
        if part.file_size > 1_000_000 and part.file_size > bounds.max_compression_ratio * max(part.compress_size, 1):
            raise limits.too_many(
                "max_compression_ratio",
                bounds.max_compression_ratio,
                f"times compressed ({part.filename}: {part.compress_size:,} bytes unpack to {part.file_size:,})",
                path.name,
            )


def _listed_sheets(path: Path) -> list[str]:
    """The sheet names ``xl/workbook.xml`` lists (after :func:`_check_expansion` bounded its size)."""
    from xml.etree import ElementTree

    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ElementTree.ParseError):
        return []
    return [str(e.get("name")) for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "sheet" and e.get("name")]


@frozen
class ExcelSource:
    """An Excel workbook (``.xlsx``) with a sheet per table; needs the ``excel`` extra.

    Row numbers in problems are those Excel shows (the header usually being row 1).
    """

    meta: RuleMeta = EXCEL_META

    def can_open(self, location: str) -> bool:
        """Whether ``location`` is a file with an Excel suffix."""
        path = Path(location)
        return path.suffix.lower() in EXCEL_SUFFIXES and path.is_file()

    def read(self, location: str) -> _Read:
        """The raw rows and reading problems (for :meth:`open` and :meth:`validate`)."""
        path = Path(location)
        openpyxl = _openpyxl(path.name)
        read = _Read()
        _check_expansion(path)
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not an Excel workbook (.xlsx)"
            read.problems.append(Problem(f"cannot read the workbook: {reason}", path.name, code="unreadable"))
            read.files.setdefault("seekers", path.name)
            return read
        except Exception as exc:  # openpyxl's InvalidFileException and parse errors
            read.problems.append(Problem(f"cannot read the workbook: {exc}", path.name, code="unreadable"))
            read.files.setdefault("seekers", path.name)
            return read
        try:
            for name in _listed_sheets(path):
                if name not in workbook.sheetnames:  # openpyxl skips a sheet whose part is missing
                    table = sheet_table(name)
                    read.problems.append(
                        Problem(
                            "the workbook lists this sheet but its contents are missing (a damaged file; "
                            "시트 내용이 없음): save the workbook again from Excel",
                            f"{path.name}:{name}",
                            table,
                            code="unreadable",
                        )
                    )
                    if table is not None:
                        read.files.setdefault(table, f"{path.name}:{name}")
            seen: dict[str, str] = {}
            for sheet in workbook.worksheets:
                title = str(sheet.title)
                where = f"{path.name}:{title}"
                if title.strip().casefold() in (CENTRE_SHEET, "센터"):
                    value = sheet.cell(row=2, column=1).value
                    if value:
                        _centre_from_toml(str(value).encode("utf-8"), where, read)
                    continue
                table = sheet_table(title)
                if table is None:
                    read.problems.append(
                        Problem(
                            f"unknown sheet, ignored; expected {', '.join(TABLE_ORDER)} (or their Korean names)",
                            where,
                            severity="warning",
                            code="unknown_table",
                        )
                    )
                    continue
                if table in seen:
                    read.problems.append(
                        Problem(
                            f"a second sheet for the {table} table (the first is {seen[table]!r})",
                            where,
                            table,
                            code="duplicate_field",
                        )
                    )
                    continue
                seen[table] = title
                read.files[table] = where
                if hasattr(sheet, "reset_dimensions"):
                    sheet.reset_dimensions()
                try:
                    _read_sheet(sheet.iter_rows(values_only=True), where, table, read)
                except IndexError:  # a cell pointing past the shared strings table
                    reason = "a cell refers to a shared string the workbook does not hold (the file is damaged)"
                    read.problems.append(
                        Problem(f"cannot read the sheet: {reason}; save it again from Excel", where, code="unreadable")
                    )
                except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
                    read.problems.append(
                        Problem(f"cannot read the sheet: the file is damaged ({exc})", where, code="unreadable")
                    )
        finally:
            workbook.close()
        if "seekers" not in read.tables:
            read.files.setdefault("seekers", f"{path.name}:seekers")
        return read

    def open(self, location: str) -> Dataset:
        """Read the workbook; raise :class:`DataError` listing every problem."""
        return self.read(location).dataset(str(location))

    def validate(self, location: str) -> list[Problem]:
        """Every problem of the workbook, errors and warnings, without raising."""
        return self.read(location).validate()


# --------------------------------------------------------------------------- writing

_NUMERIC: Mapping[CellType, type] = {"int": int, "wage": int, "float": float}


def _typed(kind: CellType | None, text: str) -> Any:
    """The Excel value of a canonical text cell of column type ``kind``."""
    if text == "":
        return None
    if kind is not None and kind in _NUMERIC:
        return _NUMERIC[kind](text)
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "bool":
        return text == "true"
    return text


class _XlsxSink:
    """Sheets of a write-only workbook, created as their first row comes."""

    def __init__(self, workbook: Any, name: str) -> None:
        self.workbook = workbook
        self.name = name
        self.sheets: dict[str, Any] = {}
        self.kinds: dict[str, list[CellType | None]] = {}
        self.rows: dict[str, int] = {}
        from openpyxl.cell import WriteOnlyCell

        self.cell = WriteOnlyCell

    def start(self, table: str, columns: Sequence[str]) -> None:
        """Create ``table``'s sheet with ``columns`` as headers (schema columns typed, others text)."""
        sheet = self.workbook.create_sheet(table)
        sheet.append(list(columns))
        types = {c.name: c.type for c in TABLES[table]}
        self.sheets[table] = sheet
        self.kinds[table] = [types.get(c) for c in columns]
        self.rows[table] = 1

    def write(self, table: str, cells: Sequence[str]) -> None:
        if table not in self.sheets:
            self.start(table, [c.name for c in TABLES[table]])
        self.rows[table] += 1
        number = self.rows[table]
        if number > MAX_ROWS:
            raise DataError(
                [
                    Problem(
                        f"an Excel sheet holds at most {MAX_ROWS:,} rows; write CSV, JSON Lines or SQLite instead",
                        self.name,
                        table,
                        number,
                        code="not_writable",
                    )
                ],
                f"cannot write {self.name}",
            )
        sheet = self.sheets[table]
        values: list[Any] = []
        for kind, text in zip(self.kinds[table], cells, strict=True):
            value = _typed(kind, text)
            if isinstance(value, str) and value.startswith("="):  # text, not a formula
                cell = self.cell(sheet, value=value)
                cell.data_type = "s"
                value = cell
            values.append(value)
        try:
            sheet.append(values)
        except ValueError as exc:  # openpyxl's IllegalCharacterError: control characters
            raise DataError(
                [Problem(f"cannot be written to Excel: {exc}", self.name, table, number, code="not_writable")],
                f"cannot write {self.name}",
            ) from None

    def abandon(self) -> None:
        """Close every sheet's stream and delete its temporary file (after an error)."""
        for sheet in self.workbook.worksheets:
            try:
                sheet.close()
            finally:
                writer = getattr(sheet, "_writer", None)
                if writer is not None:
                    writer.cleanup()

    def close(self, centre: Centre | None) -> None:
        if "seekers" not in self.sheets:
            self.start("seekers", [c.name for c in TABLES["seekers"]])
        if centre is not None:
            sheet = self.workbook.create_sheet(CENTRE_SHEET)
            sheet.append(["toml"])
            sheet.append([centre_toml(centre)])


@contextmanager
def xlsx_sink(path: str | Path, centre: Centre | None = None) -> Iterator[RowSink]:
    """A row sink writing an Excel workbook at ``path`` (write-only mode), atomically.

    Sheets appear in the order of their first row. Raises :class:`DataError` when a sheet
    would exceed :data:`MAX_ROWS` or a cell holds characters Excel refuses.
    """
    from employkit.atomic import atomic_file  # what the other writers use; not via writers, which imports this module

    target = Path(path)
    openpyxl = _openpyxl(target.name)
    with atomic_file(target) as temp:
        workbook = openpyxl.Workbook(write_only=True)
        sink = _XlsxSink(workbook, target.name)
        try:
            yield sink
            sink.close(centre)
        except BaseException:
            sink.abandon()
            raise
        workbook.save(temp)


def write_xlsx(dataset: Dataset, path: str | Path) -> Path:
    """Write ``dataset`` as an Excel workbook, one sheet per table in schema order, atomically.

    Extra columns follow the schema's, as text. The centre, if any, goes in the sheet
    ``centre``. Returns the path.
    """
    target = Path(path)
    with xlsx_sink(target, dataset.centre) as sink:
        assert isinstance(sink, _XlsxSink)
        for table, rows in dataset_rows(dataset).items():
            columns = list(rows[0]) if rows else [c.name for c in TABLES[table]]
            sink.start(table, columns)
            for row in rows:
                sink.write(table, [row[c] for c in columns])
    return target
