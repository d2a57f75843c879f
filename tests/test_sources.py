"""Data sources: cell parsers, validation faults, RRN refusal, round trips, load(), validate CLI."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from employkit.dataset import Dataset
from employkit.errors import DataError, OutputError, Problem
from employkit.model import (
    Centre,
    CentreLevel,
    Employer,
    EmploymentType,
    FollowUpContact,
    FollowUpOutcome,
    Gender,
    Intake,
    Level,
    Placement,
    Seeker,
    SeekerGroup,
    Vacancy,
)
from employkit.sources import builtin_sources, find_source, load
from employkit.sources import excel as excel_module
from employkit.sources import readers as readers_module
from employkit.sources.cells import (
    find_rrn,
    mask_rrn,
    parse_bool,
    parse_date,
    parse_enum,
    parse_enum_list,
    parse_float,
    parse_int,
    parse_list,
    parse_occupation,
    parse_region,
)
from employkit.sources.excel import ExcelSource, write_xlsx
from employkit.sources.readers import (
    CsvFolderSource,
    JsonlFolderSource,
    SqliteSource,
    dataset_rows,
    write_csv_folder,
    write_jsonl_folder,
    write_sqlite,
)
from employkit.sources.schema import TABLES, column
from employkit.sources.tables import build_dataset, validate_tables

Run = Callable[..., subprocess.CompletedProcess[str]]

SEEKER = {"seeker_id": "S1", "birth_year": "1970", "residence_code": "11140", "registered_on": "2016-01-04"}
EMPLOYER = {"employer_id": "E1", "employees": "12", "region_code": "11140"}
VACANCY = {
    "vacancy_id": "V1",
    "employer_id": "E1",
    "occupation": "5611",
    "openings": "2",
    "employment_type": "regular",
    "region_code": "11140",
    "posted_on": "2016-01-10",
}
PLACEMENT = {
    "placement_id": "P1",
    "seeker_id": "S1",
    "employer_id": "E1",
    "vacancy_id": "V1",
    "start_date": "2016-02-01",
    "employment_type": "regular",
}
FOLLOWUP = {"placement_id": "P1", "contacted_on": "2016-03-01", "outcome": "still_employed"}


def tables(**changes: list[dict[str, str | None]]) -> dict[str, list[dict[str, str | None]]]:
    base: dict[str, list[dict[str, str | None]]] = {
        "seekers": [dict(SEEKER)],
        "employers": [dict(EMPLOYER)],
        "vacancies": [dict(VACANCY)],
        "placements": [dict(PLACEMENT)],
        "followups": [dict(FOLLOWUP)],
    }
    base.update(changes)
    return base


def errors(raw: dict[str, list[dict[str, str | None]]]) -> list[Problem]:
    return [p for p in validate_tables(raw) if p.severity == "error"]


# --------------------------------------------------------------------------- schema and cells


def test_schema_has_korean_names_and_required_columns() -> None:
    assert all(c.ko and c.description for cols in TABLES.values() for c in cols)
    assert column("placements", "contract_end").ko == "계약종료일"
    assert [c.name for c in TABLES["followups"] if c.required] == ["placement_id", "contacted_on", "outcome"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("y", True),
        ("N", False),
        ("예", True),
        ("아니오", False),
    ],
)
def test_parse_bool(text: str, value: bool) -> None:
    assert parse_bool(text) is value


@pytest.mark.parametrize("text", ["2015-07-01", "2015.07.01", "2015-7-1", "2015/07/01", " 2015.7.1. "])
def test_parse_date_formats(text: str) -> None:
    assert parse_date(text) == dt.date(2015, 7, 1)


@pytest.mark.parametrize(
    ("parser", "text", "reason"),
    [
        (parse_bool, "maybe", "yes/no"),
        (parse_date, "2015-13-01", "not a valid date"),
        (parse_date, "yesterday", "not a date"),
        (parse_int, "-5", "negative"),
        (parse_int, "1.5", "whole number"),
        (parse_float, "forty", "not a number"),
        (parse_region, "99999", "unknown region"),
        (parse_region, "1114", "2, 5, 8 or 10 digits"),
        (parse_occupation, "99", "unknown KECO"),
        (parse_occupation, "x1", "digits only"),
    ],
)
def test_parsers_give_reasons(parser: Callable[[str], object], text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parser(text)


def test_numbers_lists_and_enums() -> None:
    assert parse_int("1,500,000") == 1_500_000 and parse_int("12.0") == 12
    assert parse_float("37.5") == 37.5
    assert parse_list(" a; b ;;a ") == {"a", "b"}
    assert parse_enum(Level, "상") is Level.HIGH and parse_enum(Level, "Mid") is Level.MID
    assert parse_enum_list(SeekerGroup, "youth;경력단절여성") == {SeekerGroup.YOUTH, SeekerGroup.CAREER_BREAK_WOMAN}
    with pytest.raises(ValueError, match="unknown SeekerGroup nobody"):
        parse_enum_list(SeekerGroup, "youth;nobody")
    assert parse_region("1114010100") == "1114010100"


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("900101-1234567", True),
        ("9001011234567", True),
        ("연락처 메모: 021231-4123456 본인", True),
        ("200229-3123456", True),  # 2020-02-29 exists
        ("210229-3123456", False),  # 2021-02-29 does not
        ("901301-1234567", False),  # month 13
        ("900101-9234567", False),  # first digit 9
        ("900101-123456", False),  # 6 digits after
        ("010-1234-5678", False),
        ("1500000", False),
        ("2016-01-04", False),
    ],
)
def test_find_rrn(text: str, found: bool) -> None:
    assert find_rrn(text) is found


def test_mask_rrn_hides_every_digit() -> None:
    assert mask_rrn("900101-1234567") == "******-*******"
    assert mask_rrn("a 9001011234567 b") == "a ************* b"


# --------------------------------------------------------------------------- validation


def test_valid_tables_build_a_dataset() -> None:
    raw = tables()
    raw["seekers"][0].update(
        {"gender": "여성", "groups": "youth;older", "motivation": "하", "mobile": "Y", "비고": "메모", "skills": ""}
    )
    data = build_dataset(raw, "test", {})
    (seeker,) = data.seekers
    assert seeker.gender is Gender.FEMALE and seeker.groups == {SeekerGroup.YOUTH, SeekerGroup.OLDER}
    assert seeker.intake == Intake(motivation=Level.LOW, mobile=True)
    assert seeker.extra == {"비고": "메모"} and seeker.skills == frozenset()
    assert data.vacancies[0].openings == 2 and data.followups[0].outcome is FollowUpOutcome.STILL_EMPLOYED
    assert data.origin == "test"


def test_korean_headers_are_accepted() -> None:
    raw = tables(seekers=[{"구직자ID": "S1", "출생연도": "1970", "거주지코드": "11140", "구직등록일": "2016.01.04"}])
    assert build_dataset(raw, "", {}).seekers[0].seeker_id == "S1"


def _only(raw: dict[str, list[dict[str, str | None]]]) -> Problem:
    found = errors(raw)
    assert len(found) == 1, found
    return found[0]


def test_missing_required_column() -> None:
    row: dict[str, str | None] = dict(SEEKER)
    del row["registered_on"]
    p = _only(tables(seekers=[row]))
    assert (p.table, p.row, p.column, p.reason) == ("seekers", None, "registered_on", "missing required column")


def test_missing_required_value_and_birth() -> None:
    p = _only(tables(employers=[{**EMPLOYER, "employees": ""}]))
    assert (p.row, p.column, p.reason) == (1, "employees", "missing required value")
    p = _only(tables(seekers=[{**SEEKER, "birth_year": None}]))
    assert p.column == "birth_year" and "birth_date" in p.reason
    assert not errors(tables(seekers=[{**SEEKER, "birth_year": None, "birth_date": "1970-05-01"}]))


@pytest.mark.parametrize(
    ("table", "col", "value", "reason"),
    [
        ("seekers", "birth_year", "nineteen", "not a whole number"),
        ("seekers", "desired_wage", "-100", "negative wage"),
        ("seekers", "gender", "Q", "unknown Gender"),
        ("seekers", "residence_code", "99999", "unknown region code"),
        ("seekers", "desired_occupation", "99", "unknown KECO"),
        ("seekers", "mobile", "가끔", "yes/no"),
        ("vacancies", "openings", "0", "at least 1"),
        ("vacancies", "employment_type", "forever", "unknown EmploymentType"),
        ("placements", "start_date", "2016-02-30", "not a valid date"),
        ("placements", "monthly_wage", "-1", "negative wage"),
        ("followups", "outcome", "happy", "unknown FollowUpOutcome"),
        ("seekers", "desired_hours", "200", "between 0 and 168"),
    ],
)
def test_cell_faults(table: str, col: str, value: str, reason: str) -> None:
    raw = tables()
    raw[table][0][col] = value
    p = _only(raw)
    assert (p.table, p.row, p.column, p.value) == (table, 1, col, value)
    assert reason in p.reason


def test_contract_end_rules() -> None:
    p = _only(tables(placements=[{**PLACEMENT, "employment_type": "상용 계약직"}]))
    assert p.column == "contract_end" and "required" in p.reason
    p = _only(tables(placements=[{**PLACEMENT, "contract_end": "2016-01-01"}]))
    assert (p.column, p.value, p.reason) == ("contract_end", "2016-01-01", "contract_end is before start_date")


def test_duplicate_ids_and_references() -> None:
    raw = tables(
        seekers=[dict(SEEKER), dict(SEEKER)],
        placements=[{**PLACEMENT, "seeker_id": "S9", "employer_id": "E9", "vacancy_id": "V9"}],
        followups=[{**FOLLOWUP, "placement_id": "P9"}],
    )
    found = {(p.table, p.row, p.column): p.reason for p in errors(raw)}
    assert found == {
        ("seekers", 2, "seeker_id"): "duplicate seeker_id (first at row 1)",
        ("placements", 1, "seeker_id"): "unknown seeker_id: no such row in seekers",
        ("placements", 1, "employer_id"): "unknown employer_id: no such row in employers",
        ("placements", 1, "vacancy_id"): "unknown vacancy_id: no such row in vacancies",
        ("followups", 1, "placement_id"): "unknown placement_id: no such row in placements",
    }


def test_an_absent_table_the_rows_refer_to_is_an_error_naming_it() -> None:
    raw = {"seekers": [dict(SEEKER)], "placements": [dict(PLACEMENT)]}
    found = validate_tables(raw)
    assert {p.severity for p in found} == {"error"}
    assert {p.column for p in found} == {"employer_id", "vacancy_id"}
    assert any("there is no employers table, sheet or file" in p.reason for p in found)
    with pytest.raises(DataError, match="refer to the vacancies table"):
        build_dataset(raw, "", {})
    placement = {**PLACEMENT, "vacancy_id": ""}
    no_refs = {"seekers": [dict(SEEKER)], "employers": [dict(EMPLOYER)], "placements": [placement]}
    assert len(build_dataset(no_refs, "", {}).placements) == 1


def test_seekers_table_is_required() -> None:
    with pytest.raises(DataError, match="seekers table is required"):
        build_dataset({"employers": [dict(EMPLOYER)]}, "x", {"seekers": "seekers.csv"})


def test_rrn_is_refused_in_any_cell_and_never_echoed() -> None:
    raw = tables(
        seekers=[{**SEEKER, "메모": "본인 900101-1234567"}],
        followups=[{**FOLLOWUP, "note": "주민번호 9001012234567 확인"}],
    )
    raw["seekers"][0]["seeker_id"] = "900101-1234567"
    raw["placements"][0]["seeker_id"] = "900101-1234567"
    with pytest.raises(DataError) as info:
        build_dataset(raw, "x", {"seekers": "seekers.csv"})
    text = str(info.value)
    assert "1234567" not in text and "2234567" not in text
    found = {(p.table, p.column) for p in info.value.problems if "주민등록번호" in p.reason}
    assert found == {("seekers", "seeker_id"), ("seekers", "메모"), ("placements", "seeker_id"), ("followups", "note")}
    assert all("1234567" not in (p.value or "") for p in info.value.problems)
    assert any(p.value == "******-*******" for p in info.value.problems)


def test_errors_stop_loading_with_every_problem() -> None:
    raw = tables(employers=[{**EMPLOYER, "employees": "-3"}], vacancies=[{**VACANCY, "openings": "0"}])
    with pytest.raises(DataError) as info:
        build_dataset(raw, "centre", {"employers": "employers.csv", "vacancies": "vacancies.csv"})
    assert {(p.file, p.column) for p in info.value.problems} == {
        ("employers.csv", "employees"),
        ("vacancies.csv", "openings"),
    }


# --------------------------------------------------------------------------- readers


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


SEEKERS_CSV = "seeker_id,birth_year,residence_code,registered_on,nationality\nS1,1970,11140,2016-01-04,대한민국\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949", "euc-kr"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    write(tmp_path / "d", "seekers.csv", SEEKERS_CSV, encoding)
    assert load(tmp_path / "d").seekers[0].nationality == "대한민국"


def test_valid_utf8_is_read_as_utf8() -> None:
    from employkit.sources.readers import decode

    assert decode("청년 구직자".encode("cp949")) == ("청년 구직자", "cp949")
    assert decode("café 청".encode()) == ("café 청", "utf-8")
    # UTF-8 whose only non-ASCII is two-byte Latin (or a no-break space) stays UTF-8,
    # although the bytes happen to decode as CP949 Hangul too
    assert decode("café".encode()) == ("café", "utf-8")
    assert decode("José Müller\u00a0".encode()) == ("José Müller\u00a0", "utf-8")


def test_undecodable_file_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write(folder, "seekers.csv", SEEKERS_CSV)
    (folder / "employers.csv").write_bytes(b"employer_id\n\xff\xfe\xff\xff\x80\x80\n")
    with pytest.raises(DataError) as info:
        CsvFolderSource().open(str(folder))
    (p,) = info.value.problems
    assert p.file == "employers.csv" and "cannot decode" in p.reason


def test_csv_rows_are_spreadsheet_rows(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write(folder, "seekers.csv", SEEKERS_CSV + "\nS2,1980,11140,someday,\n")
    with pytest.raises(DataError) as info:
        load(folder)
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("seekers.csv", 4, "registered_on")


def test_centre_toml_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    write(folder, "seekers.csv", SEEKERS_CSV)
    write(
        folder,
        "centre.toml",
        '[centre]\nname = "중구 일자리플러스센터"\nlevel = "district"\n[centre.targets]\n2015 = 2300\n',
    )
    centre = load(folder).centre
    assert centre is not None and centre.targets == {2015: 2300}
    write(folder, "centre.toml", '[centre]\nname = "x"\nlevel = "planet"\n')
    with pytest.raises(DataError, match=r"centre\.toml"):
        load(folder)


def test_missing_seekers_file(tmp_path: Path) -> None:
    write(tmp_path / "d", "employers.csv", "employer_id,employees,region_code\nE1,3,11140\n")
    with pytest.raises(DataError) as info:
        load(tmp_path / "d")
    assert info.value.problems[0].file == "seekers.csv"


def test_jsonl_reader_values_and_line_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    lines = [
        {
            "seeker_id": "S1",
            "birth_year": 1970,
            "residence_code": "11140",
            "registered_on": "2016-01-04",
            "mobile": True,
        },
        {
            "seeker_id": "S2",
            "birth_year": 1980,
            "residence_code": "11140",
            "registered_on": "2016-01-04",
            "groups": ["youth"],
        },
    ]
    write(folder, "seekers.jsonl", "\n".join(json.dumps(x) for x in lines) + "\n\n{bad\n")
    with pytest.raises(DataError) as info:
        load(folder)
    (p,) = info.value.problems
    assert (p.file, p.row) == ("seekers.jsonl", 4) and "JSON" in p.reason
    write(folder, "seekers.jsonl", "\n".join(json.dumps(x) for x in lines))
    data = load(folder)
    assert data.seekers[0].intake.mobile is True and data.seekers[1].groups == {SeekerGroup.YOUTH}


def test_sqlite_reader_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DataError, match="SQLite"):
        load(path)


# --------------------------------------------------------------------------- round trips

HANGUL = "가나다라마바사아자차카타파하김이박최정강조윤장임한오서신권황안송류홍센터청소경비"
words = st.text(alphabet=HANGUL + "abcXYZ ", min_size=1, max_size=8).map(str.strip).filter(bool)
dates = st.dates(min_value=dt.date(2010, 1, 1), max_value=dt.date(2025, 12, 31))
regions = st.sampled_from(["11", "11140", "11530", "44", "1114010100"])
keco = st.sampled_from(["5611", "56", "02", "5311", "301"])
levels = st.none() | st.sampled_from(list(Level))
bools = st.none() | st.booleans()
extras = st.dictionaries(st.sampled_from(["비고", "memo"]), words, max_size=2)


@st.composite
def datasets(draw: st.DrawFn, centre: bool = True) -> Dataset:
    n = draw(st.integers(1, 3))
    seekers = [
        Seeker(
            seeker_id=f"S{i}",
            residence_code=draw(regions),
            registered_on=draw(dates),
            birth_year=draw(st.integers(1940, 2005)),
            gender=draw(st.none() | st.sampled_from(list(Gender))),
            nationality=draw(st.none() | words),
            desired_occupation=draw(st.none() | keco),
            desired_wage=draw(st.none() | st.integers(0, 5_000_000)),
            desired_hours=draw(st.none() | st.sampled_from([20.0, 37.5, 40.0])),
            employment_types=draw(st.frozensets(st.sampled_from(list(EmploymentType)), max_size=2)),
            intake=Intake(
                job_field_decided=draw(bools),
                employability=draw(levels),
                motivation=draw(levels),
                ability=draw(levels),
                economic_hardship=draw(bools),
                mobile=draw(bools),
            ),
            groups=draw(st.frozensets(st.sampled_from(list(SeekerGroup)), max_size=2)),
            skills=draw(st.frozensets(words, max_size=2)),
            certificates=draw(st.frozensets(words, max_size=1)),
            extra=draw(extras),
        )
        for i in range(n)
    ]
    employers = [
        Employer(
            employer_id=f"E{i}",
            employees=draw(st.integers(0, 500)),
            region_code=draw(regions),
            name=draw(st.none() | words),
            wage_level=draw(levels),
            uses_job_board=draw(bools),
            partner=draw(st.booleans()),
            extra=draw(extras),
        )
        for i in range(draw(st.integers(0, 2)))
    ]
    vacancies = [
        Vacancy(
            vacancy_id=f"V{i}",
            employer_id=e.employer_id,
            occupation=draw(keco),
            openings=draw(st.integers(1, 9)),
            employment_type=draw(st.sampled_from(list(EmploymentType))),
            region_code=e.region_code,
            posted_on=dt.date(2016, 1, 1),
            closes_on=draw(st.none() | st.just(dt.date(2016, 2, 1))),
            offered_wage=draw(st.none() | st.integers(0, 4_000_000)),
            required_skills=draw(st.frozensets(words, max_size=2)),
        )
        for i, e in enumerate(employers)
    ]
    placements = []
    followups = []
    for i, v in enumerate(vacancies):
        kind = draw(st.sampled_from(list(EmploymentType)))
        start = draw(dates)
        placements.append(
            Placement(
                placement_id=f"P{i}",
                seeker_id=seekers[0].seeker_id,
                employer_id=v.employer_id,
                vacancy_id=draw(st.none() | st.just(v.vacancy_id)),
                start_date=start,
                employment_type=kind,
                contract_end=start + dt.timedelta(days=180),
                monthly_wage=draw(st.none() | st.integers(0, 4_000_000)),
                via_referral=draw(bools),
                extra=draw(extras),
            )
        )
        followups.append(
            FollowUpContact(
                placement_id=f"P{i}",
                contacted_on=start + dt.timedelta(days=30),
                outcome=draw(st.sampled_from(list(FollowUpOutcome))),
                note=draw(st.none() | words),
            )
        )
    the_centre = (
        Centre(name="중구 일자리플러스센터", level=CentreLevel.DISTRICT, targets={2015: 2300}) if centre else None
    )
    return Dataset(
        seekers=seekers,
        employers=employers,
        vacancies=vacancies,
        placements=placements,
        followups=followups,
        centre=the_centre,
    )


ROUND_TRIP = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@ROUND_TRIP
@given(data=datasets(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp949"]))
def test_round_trip_csv(tmp_path_factory: pytest.TempPathFactory, data: Dataset, encoding: str) -> None:
    folder = tmp_path_factory.mktemp("csv") / "out"
    write_csv_folder(data, folder, encoding=encoding)
    if encoding == "cp949":  # bytes that are valid UTF-8 too are read as UTF-8 (a few Hangul pairs are)
        assume(not any(_also_utf8(p.read_bytes()) for p in folder.glob("*.csv")))
    assert CsvFolderSource().open(str(folder)) == data


def _also_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


@ROUND_TRIP
@given(data=datasets())
def test_round_trip_jsonl(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    folder = tmp_path_factory.mktemp("jsonl") / "out"
    write_jsonl_folder(data, folder)
    assert JsonlFolderSource().open(str(folder)) == data


@ROUND_TRIP
@given(data=datasets())
def test_round_trip_sqlite(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    path = tmp_path_factory.mktemp("db") / "out.sqlite"
    write_sqlite(data, path)
    assert SqliteSource().open(str(path)) == data


@ROUND_TRIP
@given(data=datasets())
def test_round_trip_excel(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    path = tmp_path_factory.mktemp("xlsx") / "out.xlsx"
    write_xlsx(data, path)
    assert ExcelSource().open(str(path)) == data


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=datasets())
def test_every_format_loads_to_the_same_dataset(tmp_path_factory: pytest.TempPathFactory, data: Dataset) -> None:
    folder = tmp_path_factory.mktemp("all")
    cp949 = write_csv_folder(data, folder / "cp949", encoding="cp949")
    # a CP949 file whose bytes are also valid UTF-8 is read as UTF-8 (as the readers must): not a round trip
    assume(not any(_also_utf8(p.read_bytes()) for p in cp949.glob("*.csv")))
    targets = [
        write_csv_folder(data, folder / "utf8"),
        cp949,
        write_sqlite(data, folder / "data.sqlite"),
        write_xlsx(data, folder / "data.xlsx"),
        write_jsonl_folder(data, folder / "jsonl"),
    ]
    loaded = [load(target) for target in targets]
    assert all(other == data for other in loaded)
    assert [d.origin for d in loaded] == [str(t) for t in targets]


def _seeker(nationality: str) -> Seeker:
    return Seeker(
        seeker_id="S1",
        residence_code="11140",
        registered_on=dt.date(2016, 1, 4),
        birth_year=1970,
        nationality=nationality,
    )


def test_cp949_round_trip_is_cp949(tmp_path: Path) -> None:
    data = Dataset(seekers=[_seeker(nationality="대한민국")])
    write_csv_folder(data, tmp_path / "out", encoding="cp949")
    raw = (tmp_path / "out" / "seekers.csv").read_bytes()
    assert "대한민국".encode("cp949") in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert load(tmp_path / "out") == data


def test_unencodable_cell_is_named(tmp_path: Path) -> None:
    data = Dataset(seekers=[_seeker(nationality="😀")])
    with pytest.raises(DataError) as info:
        write_csv_folder(data, tmp_path / "out", encoding="cp949")
    (p,) = info.value.problems
    assert (p.row, p.column) == (2, "nationality")
    assert not (tmp_path / "out").exists() and list(tmp_path.iterdir()) == []


def test_dataset_rows_serialise_cells() -> None:
    data = build_dataset(tables(seekers=[{**SEEKER, "groups": "older;youth", "mobile": "예", "memo": "x"}]), "", {})
    row = dataset_rows(data)["seekers"][0]
    assert list(row)[: len(TABLES["seekers"])] == [c.name for c in TABLES["seekers"]]
    assert (row["groups"], row["mobile"], row["registered_on"], row["memo"]) == (
        "older;youth",
        "true",
        "2016-01-04",
        "x",
    )


@pytest.mark.parametrize("writer", [write_csv_folder, write_jsonl_folder, write_sqlite, write_xlsx])
def test_interrupted_write_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writer: Callable[[Dataset, Path], Path]
) -> None:
    data = build_dataset(tables(), "", {})
    names: dict[object, str] = {write_sqlite: "out.sqlite", write_xlsx: "out.xlsx"}
    target = tmp_path / names.get(writer, "out")

    def boom(*_args: Any, **_kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(readers_module, "centre_toml", boom)
    monkeypatch.setattr(excel_module, "centre_toml", boom)
    with pytest.raises(KeyboardInterrupt):
        centre = Centre(name="c", level=CentreLevel.COUNTY)
        writer(Dataset(seekers=data.seekers, employers=data.employers, centre=centre), target)
    assert list(tmp_path.iterdir()) == []


def test_overwrite_replaces_previous_output(tmp_path: Path) -> None:
    data = build_dataset(tables(), "", {})
    write_csv_folder(data, tmp_path / "out")
    smaller = Dataset(seekers=data.seekers)
    write_csv_folder(smaller, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["seekers.csv"]
    assert load(tmp_path / "out") == smaller
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    (tmp_path / "out" / "precious.txt").write_text("x")
    with pytest.raises(OutputError):
        write_csv_folder(smaller, tmp_path / "out")


# --------------------------------------------------------------------------- load()


def test_load_dispatches_by_format(tmp_path: Path) -> None:
    from employkit.testing import make_system

    data = build_dataset(tables(), "", {})
    system = make_system()
    write_csv_folder(data, tmp_path / "csv")
    write_jsonl_folder(data, tmp_path / "jsonl")
    write_sqlite(data, tmp_path / "data.db")
    write_xlsx(data, tmp_path / "data.xlsx")
    for location, rule_id in [
        ("csv", "source.csv_folder"),
        ("jsonl", "source.jsonl"),
        ("data.db", "source.sqlite"),
        ("data.xlsx", "source.excel"),
    ]:
        assert find_source(tmp_path / location, system).meta.rule_id == rule_id
        loaded = load(tmp_path / location, system)
        assert loaded == data and loaded.origin == str(tmp_path / location)
    assert load(str(tmp_path / "csv")) == data  # builds its own rule system


def test_load_prefers_a_pack_source(tmp_path: Path, make_pack: Callable[..., Any]) -> None:
    from employkit.labels import Text
    from employkit.packs import RuleMeta
    from employkit.testing import make_system

    class Mine:
        meta = RuleMeta(rule_id="source.mine", title=Text("내 형식", "mine"))

        def can_open(self, location: str) -> bool:
            return location.endswith(".db")

        def open(self, location: str) -> Dataset:
            return Dataset(origin="mine")

    (tmp_path / "x.db").write_bytes(b"")
    assert load(tmp_path / "x.db", make_system(make_pack("gu", data_sources=[Mine()]))).origin == "mine"


def test_load_unknown_location(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        load(tmp_path / "nowhere")
    (p,) = info.value.problems
    assert p.file == str(tmp_path / "nowhere") and "source.csv_folder" in p.reason
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no data source can open it"):
        load(tmp_path / "empty")
    assert {s.meta.rule_id for s in builtin_sources()} == {
        "source.csv_folder",
        "source.jsonl",
        "source.sqlite",
        "source.excel",
        "source.sample",
    }


# --------------------------------------------------------------------------- validate CLI

FAULTY_SEEKERS = """seeker_id,birth_year,residence_code,registered_on,gender,desired_wage,메모
S1,1970,11140,2016-01-04,F,1500000,
S2,19x0,11140,2016-01-04,F,,
S3,1980,99999,2016-01-04,M,,
S1,1985,11140,2016-01-04,F,,
S5,1990,11140,2016-01-04,F,-200000,
S6,1991,11140,2016-01-04,F,,번호 900101-1234567
"""
FAULTY_EMPLOYERS = "employer_id,employees,region_code\nE1,12,11140\nE2,,11140\n"
FAULTY_VACANCIES = (
    "vacancy_id,employer_id,occupation,openings,employment_type,region_code,posted_on\n"
    "V1,E1,5611,0,regular,11140,2016-01-10\n"
    "V2,E1,99,1,regular,11140,2016-01-10\n"
)
FAULTY_PLACEMENTS = (
    "placement_id,seeker_id,employer_id,start_date,employment_type,contract_end\n"
    "P1,S1,E9,2016-02-01,regular,\n"
    "P2,S2,E1,2016-02-01,public_job,2016-01-01\n"
)
PLANTED = {
    ("seekers", 3, "birth_year"),
    ("seekers", 4, "residence_code"),
    ("seekers", 5, "seeker_id"),
    ("seekers", 6, "desired_wage"),
    ("seekers", 7, "메모"),
    ("employers", 3, "employees"),
    ("vacancies", 2, "openings"),
    ("vacancies", 3, "occupation"),
    ("placements", 2, "employer_id"),
    ("placements", 3, "contract_end"),
}


def faulty_folder(folder: Path) -> Path:
    write(folder, "seekers.csv", FAULTY_SEEKERS, "cp949")
    write(folder, "employers.csv", FAULTY_EMPLOYERS)
    write(folder, "vacancies.csv", FAULTY_VACANCIES, "utf-8-sig")
    write(folder, "placements.csv", FAULTY_PLACEMENTS)
    return folder


def test_validate_cli_reports_ten_planted_faults(tmp_path: Path, run_cli: Run) -> None:
    folder = faulty_folder(tmp_path / "d")
    result = run_cli("validate", "--source", str(folder), "--json")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["source"] == str(folder) and report["errors"] == 10 and report["warnings"] == 0
    assert {(p["table"], p["row"], p["column"]) for p in report["problems"]} == PLANTED
    assert all(p["file"] == f"{p['table']}.csv" and p["reason"] for p in report["problems"])
    assert "1234567" not in result.stdout
    text = run_cli("validate", "--source", str(folder))
    assert text.returncode == 1 and "10 error(s), 0 warning(s)" in text.stdout
    assert "******-*******" in text.stdout and "1234567" not in text.stdout
    assert "contract_end is before start_date" in text.stdout


def test_validate_cli_clean_and_bad_paths(tmp_path: Path, run_cli: Run) -> None:
    write_csv_folder(build_dataset(tables(), "", {}), tmp_path / "ok")
    result = run_cli("validate", "--source", str(tmp_path / "ok"))
    assert result.returncode == 0 and "0 error(s)" in result.stdout
    result = run_cli("validate", "--source", str(tmp_path / "missing"))
    assert result.returncode == 2 and "does not exist" in result.stderr and "Traceback" not in result.stderr
    result = run_cli("validate", "--source", str(tmp_path / "ok"), "--json")
    assert json.loads(result.stdout)["problems"] == []


# --------------------------------------------------------------------------- the sample, clean and with planted faults


def _edit_csv(path: Path, edit: Callable[[list[dict[str, str]]], None]) -> None:
    import csv

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_sample_validates_clean_and_a_copy_with_ten_planted_faults_reports_each(tmp_path: Path, run_cli: Run) -> None:
    from employkit.model import FIXED_TERM_TYPES
    from employkit.synth import sample_centre

    clean = run_cli("validate", "--source", "sample", "--json")
    assert clean.returncode == 0 and json.loads(clean.stdout)["errors"] == 0
    data = sample_centre()
    folder = write_csv_folder(data, tmp_path / "copy")
    placed = {p.seeker_id for p in data.placements}
    free = [i for i, s in enumerate(data.seekers) if s.seeker_id not in placed]  # rows no placement refers to
    fixed = next(i for i, p in enumerate(data.placements) if p.employment_type in FIXED_TERM_TYPES)
    planted: set[tuple[str, int, str]] = set()

    def plant(table: str, index: int, col: str, value: str) -> Callable[[list[dict[str, str]]], None]:
        planted.add((table, index + 2, col))  # the header is row 1

        def edit(rows: list[dict[str, str]]) -> None:
            rows[index][col] = value

        return edit

    seekers = [
        plant("seekers", 0, "birth_year", "19x0"),
        plant("seekers", 9, "residence_code", "99999"),
        plant("seekers", free[5], "seeker_id", data.seekers[free[5] - 1].seeker_id),
        plant("seekers", 39, "desired_wage", "-200000"),
        plant("seekers", 49, "nationality", "번호 900101-1234567"),
    ]
    start = data.placements[fixed].start_date
    edits = {
        "seekers": seekers,
        "employers": [plant("employers", 4, "employees", "")],
        "vacancies": [plant("vacancies", 2, "openings", "0")],
        "placements": [
            plant("placements", 0, "employer_id", "E9999999"),
            plant("placements", fixed, "contract_end", (start - dt.timedelta(days=1)).isoformat()),
        ],
        "followups": [plant("followups", 3, "outcome", "maybe")],
    }
    for table, changes in edits.items():
        for change in changes:
            _edit_csv(folder / f"{table}.csv", change)
    assert len(planted) == 10
    result = run_cli("validate", "--source", str(folder), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 10 and report["warnings"] == 0
    assert {(p["table"], p["row"], p["column"]) for p in report["problems"]} == planted
    assert all(p["file"] == f"{p['table']}.csv" and p["reason"] for p in report["problems"])
    assert "1234567" not in result.stdout
    with pytest.raises(DataError) as info:
        load(folder)
    assert len(info.value.problems) == 10
