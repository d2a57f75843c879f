"""The bad-input corpus: every case is a centre dataset with one thing wrong.

Cases come from three places:

* ``handmade.toml`` — whole files written by hand (malformed CSV, encodings, references,
  dates, resident numbers, the centre file), some of them bytes kept in ``files/``;
* :data:`CELLS` — one bad cell put into the valid centre of ``base/``, in every column
  type (wrong types, out-of-range values, unknown codes, impossible dates…), written
  as CSV and, for a sample of them, as JSON Lines, Excel and SQLite;
* the builders below for what only code can make (huge fields, Excel sheets with
  missing or renamed columns, broken JSON, SQLite files).

Each case knows the one error it must produce: file, row, column and a fragment of
the reason.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import tomllib
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

HERE = Path(__file__).resolve().parent
BASE = HERE / "base"
FILES = HERE / "files"
TABLES = ("seekers", "employers", "vacancies", "placements", "followups")


@frozen
class Expect:
    """The error a case must produce (``None``: the problem has no row or column)."""

    file: str
    reason: str
    row: int | None = None
    column: str | None = None


@frozen
class Case:
    """One bad input: ``build(folder)`` writes it under ``folder`` and returns the location."""

    name: str
    kind: str  # csv, jsonl, xlsx, sqlite
    build: Callable[[Path], Path]
    expect: Expect

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ the valid centre


def base_rows(table: str) -> list[dict[str, str]]:
    """The rows of ``table`` in the valid centre, as text."""
    with (BASE / f"{table}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _csv_text(rows: list[dict[str, str]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _copy_base(folder: Path) -> Path:
    target = folder / "centre"
    shutil.copytree(BASE, target)
    return target


# ------------------------------------------------------------------ hand-made files


def handmade() -> Iterator[Case]:
    """The cases of ``handmade.toml``."""
    data = tomllib.loads((HERE / "handmade.toml").read_text(encoding="utf-8"))
    for entry in data["case"]:

        def build(folder: Path, entry: Mapping[str, Any] = entry) -> Path:
            target = _copy_base(folder)
            for name in entry.get("drop", []):
                (target / name).unlink()
            if "binary" in entry:
                for path in (FILES / entry["binary"]).iterdir():
                    shutil.copy(path, target / path.name)
            for name, text in entry.get("files", {}).items():
                (target / name).write_bytes(text.encode("utf-8"))
            return target

        expect = entry["expect"]
        yield Case(
            f"handmade:{entry['name']}",
            "csv",
            build,
            Expect(expect["file"], expect["reason"], expect.get("row"), expect.get("column")),
        )


# ------------------------------------------------------------------ one bad cell

#: ``(table, data row index, column, bad value, reason fragment)``: one cell made wrong.
CELLS: tuple[tuple[str, int, str, str, str], ...] = (
    # seekers: wrong types, out-of-range values, unknown codes, impossible dates
    ("seekers", 0, "seeker_id", "", "missing required value"),
    ("seekers", 0, "birth_year", "nineteen sixty", "not a whole number"),
    ("seekers", 0, "birth_year", "-1960", "must not be negative"),
    ("seekers", 0, "birth_year", "1766", "birth_year out of range"),  # age 250
    ("seekers", 0, "birth_year", "2250", "birth_year out of range"),
    ("seekers", 0, "birth_year", "1960.5", "not a whole number"),
    ("seekers", 0, "birth_year", "99999999999999999999", "number too large"),
    ("seekers", 1, "birth_date", "1992-13-15", "month must be in 1..12"),
    ("seekers", 1, "birth_date", "1992-02-30", "day is out of range for month"),
    ("seekers", 1, "birth_date", "15/07/1992", "not a date"),
    ("seekers", 1, "birth_date", "1765-07-15", "date out of range"),
    ("seekers", 0, "gender", "Q", "unknown Gender 'Q'"),
    ("seekers", 0, "gender", "여인", "unknown Gender"),  # 여 and 여자 are accepted spellings of F
    ("seekers", 0, "residence_code", "99999", "unknown region code"),
    ("seekers", 0, "residence_code", "서울 중구", "expected digits only"),
    ("seekers", 0, "residence_code", "1114", "expected 2, 5, 8 or 10 digits"),
    ("seekers", 0, "residence_code", "", "missing required value"),
    ("seekers", 0, "registered_on", "2015-02-29", "day is out of range for month"),
    ("seekers", 0, "registered_on", "2015-04-31", "day is out of range for month"),
    ("seekers", 0, "registered_on", "next week", "not a date"),
    ("seekers", 0, "registered_on", "9999-12-31", "date out of range"),
    ("seekers", 0, "registered_on", "", "missing required value"),
    ("seekers", 0, "desired_occupation", "9999", "unknown KECO occupation code"),
    ("seekers", 0, "desired_occupation", "청소원", "not a KECO occupation code"),
    ("seekers", 0, "desired_occupation", "56-11", "not a KECO occupation code"),
    ("seekers", 0, "desired_wage", "-1500000", "negative wage"),
    ("seekers", 0, "desired_wage", "150만원", "not a whole number"),
    ("seekers", 0, "desired_wage", "15000000000", "wage out of range"),
    ("seekers", 0, "desired_wage", "1.500.000", "not a whole number"),
    ("seekers", 0, "desired_hours", "0", "between 0 and 168 hours"),
    ("seekers", 0, "desired_hours", "200", "between 0 and 168 hours"),
    ("seekers", 0, "desired_hours", "-40", "between 0 and 168 hours"),
    ("seekers", 0, "desired_hours", "nan", "not a finite number"),
    ("seekers", 0, "desired_hours", "inf", "not a finite number"),
    ("seekers", 0, "desired_hours", "forty", "not a number"),
    ("seekers", 0, "employment_types", "permanent", "unknown EmploymentType permanent"),
    ("seekers", 1, "employment_types", "regular;freelance", "unknown EmploymentType freelance"),
    ("seekers", 0, "job_field_decided", "maybe", "not a yes/no value"),
    ("seekers", 0, "job_field_decided", "2", "not a yes/no value"),
    ("seekers", 0, "employability", "very high", "unknown Level 'very high'"),
    ("seekers", 0, "motivation", "5", "unknown Level '5'"),
    ("seekers", 0, "ability", "상급", "unknown Level"),
    ("seekers", 0, "economic_hardship", "yes please", "not a yes/no value"),
    ("seekers", 0, "mobile", "yy", "not a yes/no value"),
    ("seekers", 0, "groups", "veteran", "unknown SeekerGroup veteran"),
    ("seekers", 2, "groups", "older;alien", "unknown SeekerGroup alien"),
    ("seekers", 0, "skills", "운전 850315-2345678", "resident registration number"),
    ("seekers", 0, "nationality", "KR\x07", "control character (U+0007)"),
    # employers
    ("employers", 0, "employer_id", "", "missing required value"),
    ("employers", 0, "employees", "-3", "must not be negative"),
    ("employers", 0, "employees", "many", "not a whole number"),
    ("employers", 0, "employees", "3.5", "not a whole number"),
    ("employers", 0, "employees", "", "missing required value"),
    ("employers", 0, "region_code", "00000", "unknown region code"),
    ("employers", 0, "region_code", "x", "expected digits only"),
    ("employers", 0, "wage_level", "top", "unknown Level 'top'"),
    ("employers", 0, "welfare_level", "0", "unknown Level"),
    ("employers", 0, "recognition", "famous", "unknown Level"),
    ("employers", 0, "uses_job_board", "워크넷", "not a yes/no value"),
    ("employers", 0, "partner", "sometimes", "not a yes/no value"),
    ("employers", 0, "mou", "2", "not a yes/no value"),
    ("employers", 0, "sme_fund", "?", "not a yes/no value"),
    ("employers", 1, "name", "중구경비 600101-1234567", "resident registration number"),
    # vacancies
    ("vacancies", 0, "vacancy_id", "", "missing required value"),
    ("vacancies", 0, "employer_id", "E404", "unknown employer_id"),
    ("vacancies", 0, "occupation", "0000", "unknown KECO occupation code"),
    ("vacancies", 0, "occupation", "KECO", "not a KECO occupation code"),
    ("vacancies", 0, "occupation", "", "missing required value"),
    ("vacancies", 0, "openings", "0", "openings must be at least 1"),
    ("vacancies", 0, "openings", "-1", "must not be negative"),
    ("vacancies", 0, "openings", "two", "not a whole number"),
    ("vacancies", 0, "openings", "1.5", "not a whole number"),
    ("vacancies", 0, "offered_wage", "-1", "negative wage"),
    ("vacancies", 0, "offered_wage", "lots", "not a whole number"),
    ("vacancies", 0, "offered_wage", "9,999,999,999", "wage out of range"),
    ("vacancies", 0, "employment_type", "freelance", "unknown EmploymentType 'freelance'"),
    ("vacancies", 0, "employment_type", "정규", "unknown EmploymentType"),
    ("vacancies", 0, "employment_type", "", "missing required value"),
    ("vacancies", 0, "hours_per_week", "0", "between 0 and 168 hours"),
    ("vacancies", 0, "hours_per_week", "169", "between 0 and 168 hours"),
    ("vacancies", 0, "hours_per_week", "full time", "not a number"),
    ("vacancies", 0, "region_code", "12345", "unknown region code"),
    ("vacancies", 0, "posted_on", "2015-02-29", "day is out of range for month"),
    ("vacancies", 0, "posted_on", "soon", "not a date"),
    ("vacancies", 0, "posted_on", "0001-01-01", "date out of range"),
    ("vacancies", 0, "closes_on", "2014-01-01", "closes_on is before posted_on"),
    ("vacancies", 0, "closes_on", "2015-09-31", "day is out of range for month"),
    ("vacancies", 0, "min_age", "250", "age out of range"),
    ("vacancies", 0, "min_age", "-1", "must not be negative"),
    ("vacancies", 0, "min_age", "ten", "not a whole number"),
    ("vacancies", 0, "min_age", "5", "age out of range"),
    ("vacancies", 0, "max_age", "250", "age out of range"),
    ("vacancies", 0, "max_age", "0", "age out of range"),
    # placements
    ("placements", 0, "placement_id", "", "missing required value"),
    ("placements", 0, "seeker_id", "S404", "unknown seeker_id"),
    ("placements", 0, "seeker_id", "", "missing required value"),
    ("placements", 0, "employer_id", "E404", "unknown employer_id"),
    ("placements", 0, "vacancy_id", "V404", "unknown vacancy_id"),
    ("placements", 0, "start_date", "2016-02-30", "day is out of range for month"),
    ("placements", 0, "start_date", "", "missing required value"),
    ("placements", 0, "start_date", "31/12/2015", "not a date"),
    ("placements", 0, "employment_type", "contractor", "unknown EmploymentType 'contractor'"),
    ("placements", 0, "employment_type", "", "missing required value"),
    ("placements", 1, "contract_end", "2015-01-01", "contract_end is before start_date"),
    ("placements", 1, "contract_end", "2016-02-30", "day is out of range for month"),
    ("placements", 1, "contract_end", "", "contract_end is required for short_term_contract"),
    ("placements", 0, "monthly_wage", "-1", "negative wage"),
    ("placements", 0, "monthly_wage", "1,5OO,OOO", "not a whole number"),
    ("placements", 0, "occupation", "9999", "unknown KECO occupation code"),
    ("placements", 0, "via_referral", "perhaps", "not a yes/no value"),
    ("placements", 0, "ended_on", "2000-01-01", "ended_on is before start_date"),
    ("placements", 0, "ended_on", "2015-11-31", "day is out of range for month"),
    # follow-ups
    ("followups", 0, "placement_id", "P404", "unknown placement_id"),
    ("followups", 0, "placement_id", "", "missing required value"),
    ("followups", 0, "due_on", "2016-02-30", "day is out of range for month"),
    ("followups", 0, "contacted_on", "", "missing required value"),
    ("followups", 0, "contacted_on", "2016-13-01", "month must be in 1..12"),
    ("followups", 0, "contacted_on", "2000-01-01", "before the placement's start_date"),
    ("followups", 0, "outcome", "happy", "unknown FollowUpOutcome 'happy'"),
    ("followups", 0, "outcome", "", "missing required value"),
    ("followups", 0, "note", "주민번호 850315-2345678 확인함", "resident registration number"),
    ("followups", 0, "note", "850315 2345678", "resident registration number"),
    ("followups", 1, "note", "RRN:0103154345678", "resident registration number"),
    ("followups", 0, "counsellor", "김상담(750505-1234567)", "resident registration number"),
)


def _cell_name(table: str, index: int, column: str, value: str) -> str:
    shown = value if len(value) <= 24 else value[:21] + "..."
    return f"{table}[{index}].{column}={shown!r}"


def _with_cell(table: str, index: int, column: str, value: str) -> dict[str, list[dict[str, str]]]:
    """Every table of the valid centre, ``table``'s cell changed to ``value``."""
    tables = {t: base_rows(t) for t in TABLES}
    tables[table][index][column] = value
    return tables


def _write_csv_tables(folder: Path, tables: Mapping[str, list[dict[str, str]]]) -> Path:
    target = folder / "centre"
    target.mkdir()
    for table, rows in tables.items():
        columns = list(rows[0]) if rows else list(base_rows(table)[0])
        (target / f"{table}.csv").write_text(_csv_text(rows, columns), encoding="utf-8")
    return target


def _write_jsonl_tables(folder: Path, tables: Mapping[str, list[dict[str, Any]]]) -> Path:
    target = folder / "centre"
    target.mkdir()
    for table, rows in tables.items():
        lines = [json.dumps({k: v for k, v in row.items() if v != ""}, ensure_ascii=False) for row in rows]
        (target / f"{table}.jsonl").write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return target


def _write_xlsx_tables(folder: Path, tables: Mapping[str, list[dict[str, Any]]], name: str = "centre.xlsx") -> Path:
    import openpyxl

    path = folder / name
    book = openpyxl.Workbook()
    book.remove(book.active)
    for table, rows in tables.items():
        sheet = book.create_sheet(table)
        columns = list(rows[0]) if rows else []
        sheet.append(columns)
        for row in rows:
            sheet.append([None if row[c] == "" else row[c] for c in columns])
    book.save(path)
    return path


def _write_sqlite_tables(folder: Path, tables: Mapping[str, list[dict[str, Any]]]) -> Path:
    path = folder / "centre.sqlite"
    db = sqlite3.connect(path)
    for table, rows in tables.items():
        columns = list(rows[0])
        db.execute(f"CREATE TABLE {table} ({', '.join(f'{c!r} TEXT' for c in columns)})")
        db.executemany(
            f"INSERT INTO {table} VALUES ({', '.join('?' for _ in columns)})",
            [[None if row[c] == "" else row[c] for c in columns] for row in rows],
        )
    db.commit()
    db.close()
    return path


def cell_cases() -> Iterator[Case]:
    """Every cell of :data:`CELLS` as CSV; every third also as JSON Lines, Excel or SQLite."""
    for n, (table, index, column, value, reason) in enumerate(CELLS):
        name = _cell_name(table, index, column, value)

        def tables(table: str = table, index: int = index, column: str = column, value: str = value) -> Any:
            return _with_cell(table, index, column, value)

        yield Case(
            f"csv:{name}",
            "csv",
            lambda folder, tables=tables: _write_csv_tables(folder, tables()),
            Expect(f"{table}.csv", reason, index + 2, column),
        )
        if "\x07" in value or value == "":
            continue  # Excel refuses control characters; JSON Lines and SQLite leave empty cells out
        other = n % 3
        if other == 0:
            yield Case(
                f"jsonl:{name}",
                "jsonl",
                lambda folder, tables=tables: _write_jsonl_tables(folder, tables()),
                Expect(f"{table}.jsonl", reason, index + 1, column),
            )
        elif other == 1:
            yield Case(
                f"xlsx:{name}",
                "xlsx",
                lambda folder, tables=tables: _write_xlsx_tables(folder, tables()),
                Expect(f"centre.xlsx:{table}", reason, index + 2, column),
            )
        else:
            yield Case(
                f"sqlite:{name}",
                "sqlite",
                lambda folder, tables=tables: _write_sqlite_tables(folder, tables()),
                Expect(f"centre.sqlite:{table}", reason, index + 1, column),
            )


# ------------------------------------------------------------------ missing and renamed columns

#: Required columns of each table.
REQUIRED = {
    "seekers": ("seeker_id", "residence_code", "registered_on"),
    "employers": ("employer_id", "employees", "region_code"),
    "vacancies": ("vacancy_id", "employer_id", "occupation", "openings", "employment_type", "region_code", "posted_on"),
    "placements": ("placement_id", "seeker_id", "employer_id", "start_date", "employment_type"),
    "followups": ("placement_id", "contacted_on", "outcome"),
}

#: Columns renamed as exports rename them: ``(table, column, new header)``.
RENAMED = (
    ("seekers", "registered_on", "registered on date"),
    ("seekers", "residence_code", "Residence-Code"),
    ("employers", "employees", "employee"),
    ("vacancies", "posted_on", "postedon"),
    ("vacancies", "openings", "opening"),
    ("placements", "start_date", "startdate"),
    ("placements", "employment_type", "employment-type"),
    ("followups", "contacted_on", "contacted"),
    ("followups", "outcome", "outcomes"),
)


def _without(table: str, column: str, rename: str | None = None) -> dict[str, list[dict[str, str]]]:
    tables = {t: base_rows(t) for t in TABLES}
    rows = []
    for row in tables[table]:
        new = {}
        for key, value in row.items():
            if key != column:
                new[key] = value
            elif rename is not None:
                new[rename] = value
        rows.append(new)
    tables[table] = rows
    return tables


def column_cases() -> Iterator[Case]:
    """Every required column left out (CSV, and Excel for a few), and renamed headers."""
    for table, columns in REQUIRED.items():
        for i, column in enumerate(columns):

            def tables(table: str = table, column: str = column) -> Any:
                return _without(table, column)

            yield Case(
                f"csv:{table} without {column}",
                "csv",
                lambda folder, tables=tables: _write_csv_tables(folder, tables()),
                Expect(f"{table}.csv", "missing required column", None, column),
            )
            if i == 0:
                yield Case(
                    f"xlsx:{table} sheet without {column}",
                    "xlsx",
                    lambda folder, tables=tables: _write_xlsx_tables(folder, tables()),
                    Expect(f"centre.xlsx:{table}", "missing required column", None, column),
                )
    for n, (table, column, header) in enumerate(RENAMED):

        def renamed(table: str = table, column: str = column, header: str = header) -> Any:
            return _without(table, column, header)

        writer = _write_xlsx_tables if n % 2 else _write_csv_tables
        kind, file = ("xlsx", f"centre.xlsx:{table}") if n % 2 else ("csv", f"{table}.csv")
        yield Case(
            f"{kind}:{table}.{column} renamed {header!r}",
            kind,
            lambda folder, renamed=renamed, writer=writer: writer(folder, renamed()),
            Expect(file, f"renamed? found {header!r}", None, column),
        )


# ------------------------------------------------------------------ what only code can make


def _csv_case(name: str, table: str, text: str, expect: Expect) -> Case:
    def build(folder: Path) -> Path:
        target = _copy_base(folder)
        (target / f"{table}.csv").write_text(text, encoding="utf-8")
        return target

    return Case(f"code:{name}", "csv", build, expect)


def _jsonl_case(name: str, table: str, lines: list[str], expect: Expect) -> Case:
    def build(folder: Path) -> Path:
        target = _write_jsonl_tables(folder, {t: base_rows(t) for t in TABLES})
        (target / f"{table}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return target

    return Case(f"jsonl:{name}", "jsonl", build, expect)


def _xlsx_case(name: str, edit: Callable[[Any], None], expect: Expect) -> Case:
    def build(folder: Path) -> Path:
        import openpyxl

        path = _write_xlsx_tables(folder, {t: base_rows(t) for t in TABLES})
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
        return path

    return Case(f"xlsx:{name}", "xlsx", build, expect)


def _file_case(name: str, kind: str, filename: str, data: bytes, expect: Expect) -> Case:
    def build(folder: Path) -> Path:
        path = folder / filename
        path.write_bytes(data)
        return path

    return Case(f"{kind}:{name}", kind, build, expect)


def _header_and_rows(table: str) -> tuple[str, list[str]]:
    text = (BASE / f"{table}.csv").read_text(encoding="utf-8").splitlines()
    return text[0], text[1:]


def code_cases() -> Iterator[Case]:
    """Huge fields, broken JSON Lines, Excel sheets and SQLite files built in code."""
    header, rows = _header_and_rows("followups")
    huge = "가" * 40_000
    yield _csv_case(
        "a 40,000-character note",
        "followups",
        "\n".join([header, rows[0].replace("잘 적응함", huge), rows[1]]) + "\n",
        Expect("followups.csv", "the cell holds 40,000 characters; at most 32,767", 2, "note"),
    )
    yield _csv_case(
        "a 200,000-character quoted cell",
        "followups",
        "\n".join([header, rows[0].replace("잘 적응함", '"' + "x" * 200_000 + '"'), rows[1]]) + "\n",
        Expect("followups.csv", "a cell is larger than", 2),
    )
    yield _csv_case(
        "a 10,000-digit wage",
        "placements",
        "placement_id,seeker_id,employer_id,start_date,employment_type,monthly_wage\n"
        f"P001,S001,E001,2015-09-01,regular,{'9' * 10_000}\n",
        Expect("placements.csv", "number too large", 2, "monthly_wage"),
    )
    ids = "\n".join(f"S{n:05d},1960,11140,2015-03-02" for n in range(3_000))
    yield _csv_case(
        "3,000 seekers, the last id repeated",
        "seekers",
        f"seeker_id,birth_year,residence_code,registered_on\nS001,1960,11140,2015-03-02\nS003,1951,11230,2015-05-20\n"
        f"{ids}\nS02999,1970,11140,2015-03-02\n",
        Expect("seekers.csv", "duplicate seeker_id (first at row 3003)", 3004, "seeker_id"),
    )
    # JSON Lines
    good = json.dumps({"placement_id": "P001", "contacted_on": "2015-09-08", "outcome": "still_employed"})
    for name, line, reason in (
        ("not JSON", "{placement_id: P001}", "not valid JSON"),
        ("a JSON array", '["P001", "2015-09-08"]', "each line must be a JSON object"),
        ("a JSON string", '"P001"', "each line must be a JSON object"),
        ("a truncated object", good[:-5], "not valid JSON"),
        ("two objects on a line", good + good, "not valid JSON"),
        ("a key given twice", good[:-1] + ', "outcome": "unreachable"}', "key given twice"),
        ("nesting 100,000 deep", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("a 5,000-digit number", good[:-1] + ', "due_on": ' + "7" * 5_000 + "}", "not valid JSON"),
    ):
        yield _jsonl_case(name, "followups", [good, line], Expect("followups.jsonl", reason, 2))
    yield _jsonl_case(
        "an object in a cell",
        "followups",
        [good[:-1] + ', "note": {"text": "x"}}'],
        Expect("followups.jsonl", "expected a plain value, found a JSON object", 1, "note"),
    )
    yield _jsonl_case(
        "NaN as a wage",
        "placements",
        [
            '{"placement_id": "P001", "seeker_id": "S001", "employer_id": "E001", "start_date": "2015-09-01", '
            '"employment_type": "regular", "monthly_wage": NaN}'
        ],
        Expect("placements.jsonl", "not a whole number", 1, "monthly_wage"),
    )
    yield _jsonl_case(
        "true as a number of openings",
        "vacancies",
        [
            '{"vacancy_id": "V001", "employer_id": "E001", "occupation": "5611", "openings": true, '
            '"employment_type": "regular", "region_code": "11140", "posted_on": "2015-07-01"}'
        ],
        Expect("vacancies.jsonl", "not a whole number", 1, "openings"),
    )
    yield _jsonl_case(
        "a date as a number",
        "followups",
        ['{"placement_id": "P001", "contacted_on": 2015.0908, "outcome": "still_employed"}'],
        Expect("followups.jsonl", "not a date", 1, "contacted_on"),
    )
    # Excel
    yield _xlsx_case(
        "a number where the employment type goes",
        lambda book: book["vacancies"].cell(row=2, column=6, value=3),
        Expect("centre.xlsx:vacancies", "unknown EmploymentType '3'", 2, "employment_type"),
    )
    yield _xlsx_case(
        "a date cell as a wage",
        lambda book: book["placements"].cell(row=2, column=8, value=__import__("datetime").date(2015, 9, 1)),
        Expect("centre.xlsx:placements", "not a whole number", 2, "monthly_wage"),
    )
    yield _xlsx_case(
        "a negative number as a wage",
        lambda book: book["placements"].cell(row=3, column=8, value=-1_700_000),
        Expect("centre.xlsx:placements", "negative wage", 3, "monthly_wage"),
    )
    yield _xlsx_case(
        "TRUE as a start date",
        lambda book: book["placements"].cell(row=2, column=5, value=True),
        Expect("centre.xlsx:placements", "not a date", 2, "start_date"),
    )
    yield _xlsx_case(
        "a 1850 date",
        lambda book: book["placements"].cell(row=2, column=5, value=__import__("datetime").date(1850, 1, 1)),
        Expect("centre.xlsx:placements", "date out of range", 2, "start_date"),
    )
    yield _xlsx_case(
        "an Excel error value",
        lambda book: book["vacancies"].cell(row=2, column=4, value="#DIV/0!"),
        Expect("centre.xlsx:vacancies", "not a whole number", 2, "openings"),
    )
    yield _xlsx_case(
        "a value in a column without a header",
        lambda book: book["employers"].cell(row=3, column=20, value="메모"),
        Expect("centre.xlsx:employers", "which has no header", 3, "T"),
    )
    yield _xlsx_case(
        "a second seekers sheet, by its Korean name",
        lambda book: book.copy_worksheet(book["seekers"]).__setattr__("title", "구직자"),
        Expect("centre.xlsx:구직자", "a second sheet for the seekers table", None),
    )
    yield _xlsx_case(
        "an empty seekers sheet",
        lambda book: (book.remove(book["seekers"]), book.create_sheet("seekers")),
        Expect("centre.xlsx:seekers", "the sheet is empty", 1),
    )
    yield _xlsx_case(
        "no seekers sheet",
        lambda book: book.remove(book["seekers"]),
        Expect("centre.xlsx:seekers", "the seekers table is required", None),
    )
    yield _xlsx_case(
        "a header given twice",
        lambda book: book["employers"].cell(row=1, column=13, value="employees"),
        Expect("centre.xlsx:employers", "column given twice", 1, "employees"),
    )
    yield _xlsx_case(
        "a resident number in a note cell",
        lambda book: book["followups"].cell(row=3, column=5, value="주민 850315-2345678"),
        Expect("centre.xlsx:followups", "resident registration number", 3, "note"),
    )
    yield _file_case(
        "a text file named .xlsx",
        "xlsx",
        "centre.xlsx",
        b"seeker_id,birth_year\nS001,1960\n",
        Expect("centre.xlsx", "not an Excel workbook", None),
    )
    yield _file_case(
        "a truncated workbook",
        "xlsx",
        "centre.xlsx",
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 64,
        Expect("centre.xlsx", "cannot read the workbook", None),
    )
    # SQLite
    yield _file_case(
        "a text file named .sqlite",
        "sqlite",
        "centre.sqlite",
        b"seeker_id,birth_year\nS001,1960\n" * 100,
        Expect("centre.sqlite", "cannot read the SQLite database", None),
    )

    def no_seekers(folder: Path) -> Path:
        return _write_sqlite_tables(folder, {"employers": base_rows("employers")})

    yield Case(
        "sqlite:no seekers table", "sqlite", no_seekers, Expect("centre.sqlite:seekers", "seekers table is required")
    )

    def integers(folder: Path) -> Path:
        path = _write_sqlite_tables(folder, {t: base_rows(t) for t in TABLES})
        db = sqlite3.connect(path)
        db.execute("UPDATE employers SET employees = -12 WHERE employer_id = 'E002'")
        db.execute("UPDATE placements SET monthly_wage = 1.5e6 WHERE placement_id = 'P002'")  # a REAL: allowed
        db.execute("UPDATE vacancies SET openings = 0.5 WHERE vacancy_id = 'V002'")
        db.commit()
        db.close()
        return path

    yield Case(
        "sqlite:a negative integer and a fraction",
        "sqlite",
        integers,
        Expect("centre.sqlite:employers", "must not be negative", 2, "employees"),
    )


def all_cases() -> list[Case]:
    """Every case of the corpus, names unique."""
    cases = [*handmade(), *cell_cases(), *column_cases(), *code_cases()]
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    return cases
