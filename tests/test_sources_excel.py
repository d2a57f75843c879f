"""The Excel source: sheet names, Excel values, row numbers, bad workbooks, the writer."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from employkit.dataset import Dataset
from employkit.errors import DataError, Problem
from employkit.model import EmploymentType, Seeker
from employkit.sources import excel as excel_module
from employkit.sources import load
from employkit.sources.excel import ExcelSource, sheet_table, write_xlsx
from employkit.synth import JUNGGU_2015, build, sample_centre

Run = Callable[..., subprocess.CompletedProcess[str]]

SEEKERS: list[list[Any]] = [
    ["seeker_id", "birth_year", "residence_code", "registered_on"],
    ["S1", 1970, "11140", dt.date(2016, 1, 4)],
    ["S2", "1985", 11140, "2016.01.05"],
]
VACANCIES: list[list[Any]] = [
    ["구인ID", "기업ID", "모집직종", "구인인원", "고용형태", "근무지코드", "등록일", "제시임금"],
    ["V1", "E1", "5611", 2, "정규직", "11140", dt.datetime(2016, 1, 10), 1_500_000.0],
]
EMPLOYERS: list[list[Any]] = [["employer_id", "employees", "region_code", "partner"], ["E1", 12, "11140", True]]


def workbook(path: Path, sheets: dict[str, Any]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.save(path)
    return path


def problems(path: Path) -> list[Problem]:
    return ExcelSource().validate(str(path))


def test_english_and_korean_sheet_names_and_excel_values(tmp_path: Path) -> None:
    path = workbook(tmp_path / "c.xlsx", {"Seekers": SEEKERS, "구인기업": EMPLOYERS, "구인공고": VACANCIES})
    data = load(path)
    assert [s.seeker_id for s in data.seekers] == ["S1", "S2"]
    assert data.seekers[1].registered_on == dt.date(2016, 1, 5) and data.seekers[1].birth_year == 1985
    (vacancy,) = data.vacancies
    assert vacancy.posted_on == dt.date(2016, 1, 10) and vacancy.offered_wage == 1_500_000
    assert vacancy.employment_type is EmploymentType.REGULAR and vacancy.openings == 2
    assert data.employers[0].partner is True
    assert (sheet_table(" 구직자 "), sheet_table("Follow Ups"), sheet_table("notes")) == ("seekers", "followups", None)


def test_problems_name_file_sheet_excel_row_and_column(tmp_path: Path) -> None:
    rows = [
        [],
        ["구직자ID", "출생연도", "거주지코드", "구직등록일", "희망임금"],
        ["S1", 1970, "11140", "2016-01-04", -5],
        [],
        ["S2", 1971, "99999", "2016-01-04", None, "stray"],
    ]
    path = workbook(tmp_path / "centre.xlsx", {"구직자": rows, "notes": [["free text"]]})
    found = {(p.file, p.table, p.row, p.column, p.severity) for p in problems(path)}
    assert found == {
        ("centre.xlsx:구직자", "seekers", 3, "desired_wage", "error"),
        ("centre.xlsx:구직자", "seekers", 5, "residence_code", "error"),
        ("centre.xlsx:구직자", "seekers", 5, "F", "error"),
        ("centre.xlsx:notes", None, None, None, "warning"),
    }
    with pytest.raises(DataError) as info:
        load(path)
    text = str(info.value)
    assert "centre.xlsx:구직자, seekers, row 3, column 'desired_wage'" in text and "negative wage" in text
    assert "row 5, column 'F'" in text and "has no header" in text


def test_missing_and_renamed_columns_are_clear(tmp_path: Path) -> None:
    renamed = [["seeker", "birth_year", "residence_code", "구직 등록"], ["S1", 1970, "11140", "2016-01-04"]]
    path = workbook(tmp_path / "bad.xlsx", {"seekers": renamed})
    found = [p for p in problems(path) if p.severity == "error"]
    assert {(p.row, p.column) for p in found} == {(None, "seeker_id"), (None, "registered_on")}
    reasons = {p.column: p.reason for p in found}
    assert reasons["seeker_id"].startswith("missing required column (renamed? found 'seeker'")
    assert "'구직 등록'" in reasons["registered_on"] and "'구직등록일'" in reasons["registered_on"]
    missing = [["seeker_id", "birth_year", "residence_code"], ["S1", 1970, "11140"]]
    (p,) = problems(workbook(tmp_path / "missing.xlsx", {"seekers": missing}))
    assert (p.file, p.column, p.reason) == ("missing.xlsx:seekers", "registered_on", "missing required column")


def test_bad_workbooks(tmp_path: Path) -> None:
    (tmp_path / "not.xlsx").write_bytes(b"plain text, not a zip")
    with pytest.raises(DataError, match="not an Excel workbook"):
        load(tmp_path / "not.xlsx")
    empty = workbook(tmp_path / "empty.xlsx", {"seekers": []})
    assert [(p.table, p.reason) for p in problems(empty)] == [("seekers", "the sheet is empty: no header row")]
    nothing = workbook(tmp_path / "none.xlsx", {"memo": [["x"]]})
    assert "the seekers table is required" in str([p.reason for p in problems(nothing)])
    twice = workbook(tmp_path / "twice.xlsx", {"seekers": SEEKERS, "구직자": SEEKERS})
    assert [p.reason for p in problems(twice)] == ["a second sheet for the seekers table (the first is 'seekers')"]


def test_rrn_in_a_sheet_is_refused_and_masked(tmp_path: Path) -> None:
    rows = [[*SEEKERS[0], "메모"], [*SEEKERS[1], "주민번호 900101-1234567"]]
    (p,) = problems(workbook(tmp_path / "rrn.xlsx", {"seekers": rows}))
    assert (p.row, p.column, p.value) == (2, "메모", "주민번호 ******-*******")


def test_writer_keeps_codes_as_text_and_numbers_dates_as_values(tmp_path: Path) -> None:
    data = Dataset(
        seekers=[
            Seeker(
                seeker_id="S1",
                residence_code="11140",
                registered_on=dt.date(2016, 1, 4),
                birth_year=1970,
                desired_occupation="0295",
                desired_wage=1_500_000,
                desired_hours=37.5,
                extra={"메모": "=SUM(A1:A2)"},
            )
        ]
    )
    path = write_xlsx(data, tmp_path / "out.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["seekers"].iter_rows(values_only=True))
    book.close()
    header, row = rows
    cells = dict(zip(header, row, strict=True))
    assert cells["desired_occupation"] == "0295" and cells["residence_code"] == "11140"
    assert cells["desired_wage"] == 1_500_000 and cells["desired_hours"] == 37.5
    assert cells["registered_on"] == dt.datetime(2016, 1, 4) and cells["메모"] == "=SUM(A1:A2)"
    assert load(path) == data


def test_synthetic_centre_round_trips_through_excel(tmp_path: Path) -> None:
    data = build(JUNGGU_2015.scaled(600, 250, seed=3))
    assert load(write_xlsx(data, tmp_path / "synthetic.xlsx")) == data


def test_sheet_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(excel_module, "MAX_ROWS", 3)
    data = Dataset(seekers=sample_centre().seekers[:3])
    with pytest.raises(DataError, match="at most 3 rows") as info:
        write_xlsx(data, tmp_path / "big.xlsx")
    assert info.value.problems[0].row == 4
    assert list(tmp_path.iterdir()) == []


def test_missing_openpyxl_says_how_to_install(tmp_path: Path) -> None:
    path = write_xlsx(Dataset(seekers=sample_centre().seekers[:1]), tmp_path / "c.xlsx")
    code = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "from employkit.sources.excel import ExcelSource\n"
        "from employkit.errors import DataError\n"
        f"try:\n    ExcelSource().open({str(path)!r})\nexcept DataError as exc:\n    print(exc)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "needs openpyxl: pip install 'employkit[excel]'" in result.stdout
    assert ExcelSource().can_open(str(path)) and not ExcelSource().can_open(str(tmp_path / "c.csv"))


def test_validate_cli_on_a_workbook(tmp_path: Path, run_cli: Run) -> None:
    good = write_xlsx(build(JUNGGU_2015.scaled(300, 100)), tmp_path / "good.xlsx")
    result = run_cli("validate", "--source", str(good))
    assert result.returncode == 0 and "0 error(s)" in result.stdout
    bad = workbook(tmp_path / "bad.xlsx", {"seekers": [SEEKERS[0], ["S1", "x", "11140", "2016-01-04"]]})
    report = json.loads(run_cli("validate", "--source", str(bad), "--json").stdout)
    assert [(p["file"], p["row"], p["column"]) for p in report["problems"]] == [("bad.xlsx:seekers", 2, "birth_year")]
