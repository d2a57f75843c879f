"""Raw string tables to model records, with every problem found at once.

Readers (:mod:`employkit.sources.folders`, :mod:`employkit.sources.sqlite`, …) turn files
into rows of strings, one mapping per row from column name to cell text (``None`` or
``""`` for an empty cell; or :class:`~employkit.sources.columns.Columns`), and hand
them to :func:`build_dataset`. It checks everything — required columns and values, cell
types, codes, duplicate ids, references between tables, resident registration numbers
anywhere — and either returns a complete :class:`~employkit.dataset.Dataset` or raises
:class:`~employkit.errors.DataError` listing every problem. :func:`validate_tables` does
the same checks and returns the problems instead.

Headers are matched to the schema by English name (any case) or Korean name; other
columns are kept as text in the record's ``extra`` mapping.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, cast

from employkit.codes import validity_problem
from employkit.dataset import Dataset
from employkit.errors import DataError, Problem
from employkit.model import Centre, Employer, FollowUpContact, Intake, Placement, Seeker, Vacancy
from employkit.sources import cells, columns
from employkit.sources.aliases import SourceMap, source_map
from employkit.sources.checks import (
    _AGE_COLUMNS,
    _CONTROL,
    _HOURS_COLUMNS,
    _PARSERS,
    _REGION_DATES,
    _WAGE_COLUMNS,
    AGE_RANGE,
    BIRTH_YEARS,
    MAX_CELL,
    MAX_HOURS,
    MAX_WAGE,
    _canonical,
    _header_map,
    _region_of,
    _text,
)
from employkit.sources.masking import safe_problem
from employkit.sources.schema import (
    ID_COLUMNS,
    INTAKE_COLUMNS,
    REFERENCES,
    REQUIRED_TABLES,
    TABLE_KO,
    TABLE_ORDER,
    TABLES,
)

__all__ = [
    "MAX_CELL",
    "RawRow",
    "RawTables",
    "SourceMap",
    "build_dataset",
    "safe_problem",
    "source_map",
    "validate_tables",
]

#: One row as read from a file: column name -> cell text (``None`` or ``""`` = empty).
RawRow = Mapping[str, str | None]
#: Table name -> its rows.
RawTables = Mapping[str, Iterable[RawRow]]
_WORD = re.compile(r"[a-z_]+")


def _renamed_hint(name: str, ko: str, unknown: Sequence[str]) -> str:
    """`` (renamed? found 'seekerid')`` when an unknown header looks like the missing column."""
    folded = {re.sub(r"[\s_\-]+", "", h.casefold()): h for h in unknown}
    close = difflib.get_close_matches(name.replace("_", ""), list(folded), n=1, cutoff=0.75)
    close = close or difflib.get_close_matches(ko, list(folded), n=1, cutoff=0.6)
    if not close:
        return ""
    return f" (renamed? found {folded[close[0]]!r}; use {name!r} or {ko!r})"


class _Table:
    """Converts the rows of one table, recording problems."""

    def __init__(
        self,
        name: str,
        rows: Iterable[RawRow],
        file: str | None,
        numbers: Sequence[int] | None,
        mapping: SourceMap | None = None,
    ) -> None:
        self.name = name
        self.file = file
        self.columns = {c.name: c for c in TABLES[name]}
        self.problems: list[Problem] = []
        # a table needs every seeker's birth; a record alone may leave it unknown, as the model does
        self.births_required = True
        names = _header_map(name)
        mapping = mapping or SourceMap()
        aliases = mapping.columns.get(name, {})
        names.update(aliases)
        #: column -> the file's own header, for the columns the source renamed (problems use it)
        self.headers: dict[str, str] = {column: header for header, column in aliases.items()}
        self.values = mapping.values
        self.rows: list[tuple[int, dict[str, str | None]]] = []
        seen_headers: set[str] = set()
        damaged: set[str] = set()  # known columns whose header holds a control character
        for index, raw in enumerate(rows):
            number = numbers[index] if numbers is not None and index < len(numbers) else index + 1
            row: dict[str, str | None] = {}
            for header, value in raw.items():
                key = _canonical(str(header), names)
                if (control := _CONTROL.search(key)) is not None:
                    if key not in seen_headers:
                        clean = _canonical(_CONTROL.sub("", key), names)
                        what = "a NUL byte" if control.group(0) == "\x00" else "a control character"
                        self.problem(
                            f"the column name holds {what} (U+{ord(control.group(0)):04X}); the header row is damaged",
                            None,
                            clean,
                            None,
                            code="control_character",
                        )
                        seen_headers.add(key)
                        damaged.add(clean)
                    continue
                if cells.find_rrn(key):
                    if key not in seen_headers:
                        self.problem(f"a column name {cells.RRN_REASON}", None, key, None, code="rrn")
                        seen_headers.add(key)
                    continue
                if key in row:
                    if key not in seen_headers:
                        self.problem(
                            "column given twice (by its English and Korean names?)",
                            None,
                            key,
                            None,
                            code="duplicate_field",
                        )
                        seen_headers.add(key)
                    continue
                text = _text(value)
                column = self.columns.get(key)
                if text is not None and column is not None and column.type == "id":
                    text = cells.fold_text(text).strip() or None  # look-alikes (Ｓ1, S1 + zero-width space) are one id
                row[key] = text
            self.rows.append((number, row))
        present = set().union(*(r.keys() for _, r in self.rows)) if self.rows else set()
        unknown = sorted(present - set(self.columns))
        self.missing_columns: set[str] = set(damaged)
        if damaged & {"birth_year", "birth_date"}:
            self.missing_columns.add("birth_year")
        for col in TABLES[name]:
            if col.required and col.name not in present and col.name not in damaged and self.rows:
                self.missing_columns.add(col.name)
                hint = _renamed_hint(col.name, col.ko, unknown)
                self.problem(f"missing required column{hint}", None, col.name, None, code="required")
        if name == "seekers" and self.rows and not ({"birth_year", "birth_date"} & (present | damaged)):
            self.missing_columns.add("birth_year")
            self.problem(
                "missing required column (give birth_year or birth_date)", None, "birth_year", None, code="required"
            )

    def problem(
        self,
        reason: str,
        row: int | None,
        column: str | None,
        value: str | None,
        severity: str = "error",
        *,
        code: str = "invalid",
    ) -> None:
        shown = self.headers.get(column, column) if column else column
        self.problems.append(Problem(reason, self.file, self.name, row, shown, value, severity, code))

    def parse_row(self, number: int, row: Mapping[str, str | None]) -> tuple[dict[str, Any], dict[str, str], bool]:
        """Parsed known values, extra columns, and whether the row is free of cell errors."""
        ok = True
        values: dict[str, Any] = {}
        extra: dict[str, str] = {}
        split = cells.split_rrn(list(row.values()))
        if split is not None:  # 앞자리 and 뒷자리 in two adjacent columns
            names = list(row)[split : split + 2]
            self.problem(
                f"{cells.RRN_REASON} (split over two columns)", number, " + ".join(names), "******-*******", code="rrn"
            )
            row = {k: (None if k in names else v) for k, v in row.items()}
            ok = False
        for key, text in row.items():
            if text is not None and len(text) > MAX_CELL:
                self.problem(
                    f"the cell holds {len(text):,} characters; at most {MAX_CELL:,}", number, key, text, code="too_long"
                )
                ok = False
                if not cells.find_rrn(text):
                    continue
            if text is not None and cells.find_rrn(text):
                self.problem(cells.RRN_REASON, number, key, cells.mask_rrn(text), code="rrn")
                ok = False
                continue
            if text is not None and (control := _CONTROL.search(text)):
                self.problem(
                    f"holds a control character (U+{ord(control.group(0)):04X})",
                    number,
                    key,
                    text,
                    code="control_character",
                )
                ok = False
                continue
            col = self.columns.get(key)
            if col is None:
                if text is not None:
                    extra[key] = text
                continue
            if text is None:
                continue
            spelled = self.values.get(key)
            if spelled is not None:
                text = spelled.get(text.strip(), text)
            try:
                values[key] = _PARSERS[col.type](text)
            except ValueError as exc:
                reason = str(exc)
                if col.name in _WAGE_COLUMNS and reason == "must not be negative":
                    reason = "negative wage: must not be negative"
                self.problem(reason, number, key, text, code=cells.error_code(exc))
                ok = False
        for col in self.columns.values():
            if col.required and col.name not in self.missing_columns and row.get(col.name) is None:
                self.problem("missing required value", number, col.name, None, code="required")
                ok = False
        births = self.births_required
        if births and self.name == "seekers" and row.get("birth_year") is None and row.get("birth_date") is None:
            if "birth_year" not in self.missing_columns:
                self.problem(
                    "missing required value (give birth_year or birth_date)",
                    number,
                    "birth_year",
                    None,
                    code="required",
                )
            ok = False
        if self.name == "vacancies" and isinstance(values.get("openings"), int) and values["openings"] < 1:
            self.problem("openings must be at least 1", number, "openings", row.get("openings"), code="out_of_range")
            ok = False
        for key in _WAGE_COLUMNS & values.keys():
            if values[key] > MAX_WAGE:
                self.problem(
                    f"wage out of range: above {MAX_WAGE:,} KRW a month", number, key, row.get(key), code="out_of_range"
                )
                ok = False
        for key in _HOURS_COLUMNS & values.keys():
            if not 0 < values[key] <= MAX_HOURS:
                self.problem(
                    f"{key} must be between 0 and {MAX_HOURS} hours a week",
                    number,
                    key,
                    row.get(key),
                    code="out_of_range",
                )
                ok = False
        low, high = AGE_RANGE
        for key in _AGE_COLUMNS & values.keys():
            if not low <= values[key] <= high:
                self.problem(
                    f"age out of range: expected {low} to {high}", number, key, row.get(key), code="out_of_range"
                )
                ok = False
        year = values.get("birth_year")
        if self.name == "seekers" and year is not None and not BIRTH_YEARS[0] <= year <= BIRTH_YEARS[1]:
            self.problem(
                f"birth_year out of range: expected {BIRTH_YEARS[0]} to {BIRTH_YEARS[1]}",
                number,
                "birth_year",
                row.get("birth_year"),
                code="out_of_range",
            )
            return values, extra, False
        today = dt.date.today()
        born_on = values.get("birth_date")
        if self.name == "seekers" and (
            (year is not None and year > today.year) or (born_on is not None and born_on > today)
        ):
            column = "birth_year" if year is not None and year > today.year else "birth_date"
            self.problem("born in the future", number, column, row.get(column), code="future_date")
            return values, extra, False
        for code_column, date_column in _REGION_DATES.get(self.name, ()):
            code, day = values.get(code_column), values.get(date_column)
            if code is not None and day is not None and not (region := _region_of(code)).valid_on(day):
                # an expired code with a successor loads (the record keeps it; the engines use the successor)
                severity = "warning" if region.successor and day > (region.valid_to or day) else "error"
                reason = f"{validity_problem(region, day)} ({date_column} {day})"
                self.problem(reason, number, code_column, row.get(code_column), severity, code="expired_code")
                ok = ok and severity == "warning"
        registered = values.get("registered_on")
        born = values.get("birth_date") or values.get("birth_year")
        if self.name == "seekers" and registered is not None and born is not None:
            born_year = born if isinstance(born, int) else born.year
            if born_year > registered.year or (not isinstance(born, int) and born > registered):
                column = "birth_date" if "birth_date" in values else "birth_year"
                self.problem("born after registered_on", number, column, row.get(column), code="date_order")
                ok = False
        return values, extra, ok and not self.missing_columns

    def build(self, number: int, row: Mapping[str, str | None], make: Callable[[], object]) -> object | None:
        """Call ``make``, mapping a ValueError or TypeError to the column it names."""
        try:
            return make()
        except (ValueError, TypeError) as exc:
            message = str(exc)
            named = [(m.start(), m.group(0)) for m in _WORD.finditer(message) if m.group(0) in self.columns]
            column = min(named)[1] if named else None
            self.problem(message, number, column, row.get(column) if column else None, code=_model_code(message))
            return None


def _model_code(message: str) -> str:
    """The problem code of a record class's own check (:mod:`employkit.model`)."""
    if " is before " in message:
        return "date_order"
    if " is required " in message:
        return "required"
    if "disagree" in message or " is above " in message:
        return "inconsistent"
    if "must not be negative" in message or "must be between" in message or "out of range" in message:
        return "out_of_range"
    return "invalid"


def _make(table: str, values: Mapping[str, Any], extra: Mapping[str, str]) -> Callable[[], object]:
    v = dict(values)
    if table == "seekers":
        intake = Intake(**{k: v.pop(k) for k in INTAKE_COLUMNS if k in v})
        return lambda: Seeker(**v, intake=intake, extra=dict(extra))
    if table == "employers":
        return lambda: Employer(**v, extra=dict(extra))
    if table == "vacancies":
        return lambda: Vacancy(**v, extra=dict(extra))
    if table == "placements":
        return lambda: Placement(**v, extra=dict(extra))
    return lambda: FollowUpContact(**v)


def _check(
    tables: RawTables,
    files: Mapping[str, str],
    row_numbers: Mapping[str, Sequence[int]] | None,
    *,
    whole: bool = True,
    mapping: SourceMap | None = None,
) -> tuple[dict[str, list[object]], list[Problem]]:
    """Records and problems of ``tables``; ``whole=False`` for records alone (no required
    tables, no references to other tables).

    Whole datasets are first checked column by column (:func:`columns.clean_records`);
    a dataset with any problem is then checked row by row, which names each one."""
    if whole and (clean := columns.clean_records(tables, mapping)) is not None:
        return clean, []
    problems: list[Problem] = []
    for name in REQUIRED_TABLES if whole else ():
        if name not in tables:
            file = files.get(name)
            problems.append(
                Problem(f"the {name} table is required but was not found", file, name, code="missing_table")
            )
    for name in tables:
        if name not in TABLES:
            problems.append(
                Problem(
                    f"unknown table, ignored; expected {', '.join(TABLE_ORDER)}",
                    files.get(name),
                    name,
                    severity="warning",
                    code="unknown_table",
                )
            )
    parsed: dict[str, _Table] = {}
    records: dict[str, list[object]] = {}
    for name in TABLE_ORDER:
        if name not in tables:
            continue
        numbers = row_numbers.get(name) if row_numbers else None
        t = _Table(name, tables[name], files.get(name), numbers, mapping)
        t.births_required = whole
        parsed[name] = t
        out: list[object] = []
        first_row: dict[str, int] = {}
        id_column = ID_COLUMNS.get(name)
        for number, row in t.rows:
            values, extra, ok = t.parse_row(number, row)
            if name == "followups":
                for key, text in extra.items():
                    t.problem(
                        "unknown column, ignored (follow-ups keep no extra columns)",
                        number,
                        key,
                        text,
                        "warning",
                        code="unknown_field",
                    )
            key_value = row.get(id_column) if id_column is not None else None
            if id_column is not None and key_value is not None and not cells.find_rrn(key_value):
                if key_value in first_row:
                    t.problem(
                        f"duplicate {id_column} (first at row {first_row[key_value]})",
                        number,
                        id_column,
                        key_value,
                        code="duplicate_id",
                    )
                    ok = False
                else:
                    first_row[key_value] = number
            if ok:
                record = t.build(number, row, _make(name, values, extra))
                if record is not None:
                    out.append(record)
        records[name] = out
    # references between tables: checked against every id given, valid row or not
    ids = {name: {row.get(ID_COLUMNS[name]) for _, row in t.rows} for name, t in parsed.items() if name in ID_COLUMNS}
    for (name, column), target in REFERENCES.items() if whole else ():
        t_or_none = parsed.get(name)
        if t_or_none is None:
            continue
        t = t_or_none
        if target not in ids:
            referring = sum(1 for _, row in t.rows if (row.get(column) or "").strip())
            if referring:  # a missing table the data refers to is not an empty one
                t.problem(
                    f"{referring:,} row(s) refer to the {target} table ({TABLE_KO.get(target, target)}) through "
                    f"{column}, but there is no {target} table, sheet or file (참조하는 표가 없음); "
                    f"add it, or leave {column} empty",
                    None,
                    column,
                    None,
                    code="unknown_reference",
                )
            continue
        for number, row in t.rows:
            value = row.get(column)
            if value is not None and value not in ids[target] and not cells.find_rrn(value):
                t.problem(f"unknown {column}: no such row in {target}", number, column, value, code="unknown_reference")
    _check_contact_dates(records, parsed)
    for t in parsed.values():
        problems.extend(t.problems)
    order = {name: i for i, name in enumerate(TABLE_ORDER)}
    problems.sort(key=lambda p: (order.get(p.table or "", -1), p.row or 0, p.column or ""))
    return records, [safe_problem(p) for p in problems]


def _check_contact_dates(records: Mapping[str, list[object]], parsed: Mapping[str, _Table]) -> None:
    """A follow-up contact cannot come before its placement started."""
    table = parsed.get("followups")
    if table is None or "placements" not in records:
        return
    starts = {p.placement_id: p.start_date for p in cast(list[Placement], records["placements"])}
    for number, row in table.rows:
        start = starts.get(row.get("placement_id") or "")
        text = row.get("contacted_on")
        if start is None or text is None:
            continue
        try:
            day = cells.parse_date(text)
        except ValueError:
            continue  # already reported
        if day < start:
            table.problem(
                f"contacted_on is before the placement's start_date ({start.isoformat()})",
                number,
                "contacted_on",
                text,
                code="date_order",
            )


def validate_tables(
    tables: RawTables,
    files: Mapping[str, str] | None = None,
    *,
    row_numbers: Mapping[str, Sequence[int]] | None = None,
    mapping: SourceMap | None = None,
) -> list[Problem]:
    """Every problem of ``tables``, errors and warnings, without raising.

    Arguments are those of :func:`build_dataset`.
    """
    return _check(tables, files or {}, row_numbers, mapping=mapping)[1]


def build_dataset(
    tables: RawTables,
    origin: str = "",
    files: Mapping[str, str] | None = None,
    *,
    centre: Centre | None = None,
    row_numbers: Mapping[str, Sequence[int]] | None = None,
    mapping: SourceMap | None = None,
) -> Dataset:
    """Convert raw string rows into a :class:`Dataset`, or raise :class:`DataError`.

    ``tables`` maps table names (``seekers``, ``employers``, ``vacancies``,
    ``placements``, ``followups``) to their rows; only ``seekers`` is required. ``files``
    maps table names to the file each was read from, named in problems. ``origin`` is
    stored in the dataset; ``centre`` too.

    Row numbers in problems are, by default, the 1-based position of the data row.
    Readers pass ``row_numbers`` (per table, the number of each row) to match what the
    user sees: for CSV, the row as a spreadsheet shows it, the header being row 1 and the
    first data row row 2; for JSON Lines, the line number; for SQLite, the 1-based
    position in ``rowid`` order.

    ``mapping`` (:class:`SourceMap`) renames a source's own headers to the schema's
    columns and its own spellings of values to accepted ones; problems keep naming the
    source's headers.

    Every problem is collected. If any has severity ``"error"``, :class:`DataError` is
    raised with all of them (warnings included) — nothing is half-loaded. Warnings alone
    do not stop loading; use :func:`validate_tables` to see them.
    """
    records, problems = _check(tables, files or {}, row_numbers, mapping=mapping)
    if any(p.severity == "error" for p in problems):
        raise DataError(problems, f"cannot load {origin or 'the data'}")
    return Dataset.from_tables(records, centre, origin)
