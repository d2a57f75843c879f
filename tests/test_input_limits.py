"""Small inputs built to cost a lot are refused at once, naming the limit; the source is never modified.

Each crafted input is a few kilobytes to a few hundred: a SQLite file whose seekers are a
recursive view, a view of millions of rows, triggers and generated columns; an .xlsx
16,384 columns wide, a zip bomb; a CSV header of a million columns. No timing assert:
each is refused before the cost is paid (the test would run out of memory or time
otherwise). Also: tables or sheets that the data refers to but that are missing are
errors, not an empty load.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from employkit.errors import ConfigError, DataError, LimitExceeded
from employkit.sources import load
from employkit.sources.excel import ExcelSource
from employkit.sources.limits import DataLimits, using
from employkit.sources.readers import CsvFolderSource, JsonlFolderSource, SqliteSource, write_csv_folder, write_sqlite
from employkit.synth import sample_centre
from employkit.testing import config_from_toml, make_system

openpyxl = pytest.importorskip("openpyxl")

SEEKERS = "seeker_id,birth_year,residence_code,registered_on\nS1,1990,11140,2016-01-04\n"


@pytest.fixture(scope="module")
def sample_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sqlite(sample_centre(), tmp_path_factory.mktemp("db") / "centre.sqlite")


def _sqlite(path: Path, *statements: str) -> Path:
    with closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()
    return path


def _problems(error: pytest.ExceptionInfo[DataError]) -> str:
    return "\n".join(str(p) for p in error.value.problems)


# ------------------------------------------------------------------ SQLite


RECURSIVE_VIEW = """CREATE VIEW seekers AS
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
    SELECT 'S' || i AS seeker_id, 1990 AS birth_year, '11140' AS residence_code,
           '2016-01-04' AS registered_on, zeroblob(1000) AS filler FROM n"""


@pytest.mark.parametrize(
    "view",
    [
        RECURSIVE_VIEW,  # never ends
        RECURSIVE_VIEW.replace("FROM n)", "FROM n WHERE i < 3000000)"),  # three million rows
    ],
)
def test_a_sqlite_view_is_refused_without_being_run(tmp_path: Path, view: str) -> None:
    path = _sqlite(tmp_path / "view.sqlite", view)
    assert path.stat().st_size <= 8192
    with pytest.raises(DataError) as caught:
        SqliteSource().open(str(path))
    assert "view.sqlite:seekers, seekers: is a VIEW; only tables are read" in _problems(caught)


def test_triggers_virtual_tables_and_generated_columns_are_refused(tmp_path: Path) -> None:
    path = _sqlite(
        tmp_path / "tricks.sqlite",
        "CREATE TABLE seekers (seeker_id TEXT, birth_year INT, residence_code TEXT, registered_on TEXT)",
        "CREATE TABLE log (x)",
        "CREATE TRIGGER t AFTER INSERT ON seekers BEGIN INSERT INTO log VALUES (1); END",
        "CREATE TABLE employers (employer_id TEXT, big BLOB GENERATED ALWAYS AS (zeroblob(100000000)) VIRTUAL)",
        "INSERT INTO employers (employer_id) VALUES ('E1')",
    )
    with pytest.raises(DataError) as caught:
        SqliteSource().open(str(path))
    text = _problems(caught)
    assert "tricks.sqlite:seekers, seekers: has triggers" in text
    assert "tricks.sqlite:employers, employers: has generated columns (big)" in text


def test_reading_a_sqlite_source_never_modifies_it(sample_sqlite: Path) -> None:
    before = hashlib.sha256(sample_sqlite.read_bytes()).hexdigest()
    mtime = sample_sqlite.stat().st_mtime_ns
    assert len(SqliteSource().open(str(sample_sqlite)).seekers) > 0
    assert hashlib.sha256(sample_sqlite.read_bytes()).hexdigest() == before
    assert sample_sqlite.stat().st_mtime_ns == mtime
    assert not Path(f"{sample_sqlite}-wal").exists()
    with closing(sqlite3.connect(sample_sqlite)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] != "wal"


def test_sqlite_rows_columns_and_cells_are_bounded(sample_sqlite: Path, tmp_path: Path) -> None:
    with using(DataLimits(max_rows=3)), pytest.raises(LimitExceeded) as caught:
        SqliteSource().open(str(sample_sqlite))
    assert "over the limit [data] max_rows = 3" in _problems(caught)
    with using(DataLimits(max_columns=4)), pytest.raises(LimitExceeded, match=r"\[data\] max_columns = 4"):
        SqliteSource().open(str(sample_sqlite))
    big = _sqlite(
        tmp_path / "big.sqlite",
        "CREATE TABLE seekers (seeker_id TEXT, note TEXT)",
        "INSERT INTO seekers VALUES ('S1', printf('%.*c', 5000, 'x'))",
    )
    with using(DataLimits(max_cell_bytes=1000)), pytest.raises(LimitExceeded, match=r"\[data\] max_cell_bytes = 1,000"):
        SqliteSource().open(str(big))


# ------------------------------------------------------------------ Excel


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_sparse_sheet_16384_columns_wide_is_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "seekers"
    sheet.append(["seeker_id", "birth_year", "residence_code", "registered_on"])
    for row in range(2, 2000):
        sheet.cell(row=row, column=1, value=f"S{row}")
        sheet.cell(row=row, column=16384, value="x")  # column XFD
    path = tmp_path / "wide.xlsx"
    book.save(path)
    assert path.stat().st_size < 200_000
    with pytest.raises(LimitExceeded) as caught:
        ExcelSource().open(str(path))
    assert "wide.xlsx:seekers, seekers, row 2, column 'SG': more than 500 columns" in _problems(caught)


def _bomb(path: Path, megabytes: int) -> Path:
    header, row = (line.split(",") for line in SEEKERS.splitlines())
    _workbook(path, {"seekers": [list(header), list(row)]})
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/x.bin", "w") as f,
    ):
        for _ in range(megabytes):
            f.write(bytes(1_000_000))
    return path


def test_a_zip_bomb_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "bomb.xlsx", 300)
    assert path.stat().st_size < 2_000_000
    with pytest.raises(LimitExceeded) as caught:
        ExcelSource().open(str(path))
    assert "bytes once unpacked: over the limit [data] max_workbook_bytes = 100,000,000" in _problems(caught)


def test_a_highly_compressed_part_is_refused_even_under_the_size_limit(tmp_path: Path) -> None:
    path = _bomb(tmp_path / "dense.xlsx", 5)
    with pytest.raises(LimitExceeded, match=r"xl/media/x.bin: .* bytes unpack to 5,000,000"):
        ExcelSource().open(str(path))
    with using(DataLimits(max_compression_ratio=100_000)):
        assert len(ExcelSource().open(str(path)).seekers) > 0


def test_excel_rows_and_cells_are_bounded(tmp_path: Path) -> None:
    rows: list[list[object]] = [["seeker_id", "birth_year", "residence_code", "registered_on", "note"]]
    rows += [[f"S{i}", 1990, "11140", "2016-01-04", "x" * 50] for i in range(10)]
    path = _workbook(tmp_path / "rows.xlsx", {"seekers": rows})
    with using(DataLimits(max_rows=5)), pytest.raises(LimitExceeded, match=r"\[data\] max_rows = 5"):
        ExcelSource().open(str(path))
    with using(DataLimits(max_cell_bytes=20)), pytest.raises(LimitExceeded, match=r"column 'E': more than 20 bytes"):
        ExcelSource().open(str(path))


# ------------------------------------------------------------------ CSV and JSON Lines


def test_a_million_column_csv_header_is_refused_before_any_row(tmp_path: Path) -> None:
    folder = tmp_path / "wide"
    folder.mkdir()
    header = ",".join(f"c{i}" for i in range(1_000_000))
    (folder / "seekers.csv").write_text(header + "\n" + "1," * 999_999 + "1\n", encoding="utf-8")
    with pytest.raises(LimitExceeded) as caught:
        CsvFolderSource().open(str(folder))
    assert "seekers.csv, seekers, row 1: more than 500 columns: over the limit [data] max_columns" in _problems(caught)


def test_csv_and_jsonl_rows_cells_and_keys_are_bounded(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "csv")
    with using(DataLimits(max_rows=3)), pytest.raises(LimitExceeded, match=r"row 5: more than 3 rows"):
        CsvFolderSource().open(str(folder))
    with using(DataLimits(max_cell_bytes=4)), pytest.raises(LimitExceeded, match=r"more than 4 bytes in a cell"):
        CsvFolderSource().open(str(folder))
    jsonl = tmp_path / "jsonl"
    jsonl.mkdir()
    (jsonl / "seekers.jsonl").write_text('{"seeker_id": "S1", ' + ", ".join(f'"k{i}": 1' for i in range(600)) + "}\n")
    with pytest.raises(LimitExceeded, match=r"row 1: more than 500 keys \(columns\)"):
        JsonlFolderSource().open(str(jsonl))


def test_the_limits_come_from_the_centre_configuration(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "csv")
    system = make_system(config=config_from_toml("[data]\nmax_rows = 3\n"))
    with pytest.raises(LimitExceeded, match=r"raise it in employkit.toml \(\[data\] max_rows = …\)"):
        load(folder, system)
    assert len(load(folder, make_system()).seekers) > 3
    for bad in ("0", "-1", '"five"', "true", "1.5"):
        with pytest.raises(ConfigError, match=r"\[data\] max_rows must be a whole number ≥ 1"):
            load(folder, make_system(config=config_from_toml(f"[data]\nmax_rows = {bad}\n")))


# ------------------------------------------------------------------ missing sheets and tables


@pytest.fixture
def centre_rows(tmp_path: Path) -> Iterator[dict[str, list[list[object]]]]:
    folder = write_csv_folder(sample_centre(), tmp_path / "rows")
    import csv

    tables = {}
    for name in ("seekers", "employers", "vacancies", "placements"):
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            tables[name] = [list(r) for r in csv.reader(handle)][:40]  # a header and 39 rows
    yield tables


def test_a_workbook_without_the_employers_sheet_its_vacancies_refer_to_is_an_error(
    tmp_path: Path, centre_rows: dict[str, list[list[object]]]
) -> None:
    path = _workbook(tmp_path / "no-employers.xlsx", {k: v for k, v in centre_rows.items() if k != "employers"})
    with pytest.raises(DataError) as caught:
        ExcelSource().open(str(path))
    text = _problems(caught)
    assert "refer to the employers table (구인기업) through employer_id, but there is no employers table" in text


def test_a_workbook_whose_employers_sheet_part_is_missing_is_an_error(
    tmp_path: Path, centre_rows: dict[str, list[list[object]]]
) -> None:
    whole = _workbook(tmp_path / "whole.xlsx", centre_rows)
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(whole) as src, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet2.xml":  # the employers sheet
                dst.writestr(item, src.read(item))
    with pytest.raises(DataError) as caught:
        ExcelSource().open(str(damaged))
    text = _problems(caught)
    assert "damaged.xlsx:employers, employers: the workbook lists this sheet but its contents are missing" in text


def test_a_folder_whose_placements_refer_to_missing_tables_is_an_error(tmp_path: Path) -> None:
    folder = write_csv_folder(sample_centre(), tmp_path / "folder")
    (folder / "vacancies.csv").unlink()
    with pytest.raises(DataError, match=r"refer to the vacancies table \(구인공고\) through vacancy_id"):
        CsvFolderSource().open(str(folder))
    (folder / "seekers.csv").write_text(SEEKERS, encoding="utf-8")
    (folder / "seekers.csv").unlink()
    with pytest.raises(DataError, match="seekers table is required"):
        CsvFolderSource().open(str(folder))
