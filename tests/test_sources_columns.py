"""The column-wise check of clean tables (employkit.sources.columns) against the row path.

``clean_records`` must answer the records exactly when the row path finds no problem at
all, and those records must equal the row path's; the problems of a dataset with any
are the row path's, so they come out the same, in the same order, whichever path ran.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from employkit.errors import DataError, LimitExceeded
from employkit.model import Employer, FollowUpContact, Placement, Seeker, Vacancy
from employkit.sources import columns, folders, limits
from employkit.sources.bulk import CLASSES
from employkit.sources.columns import Columns, clean_records
from employkit.sources.raw import _Read
from employkit.sources.schema import TABLES
from employkit.sources.tables import _check

# Each column: (cells a clean dataset may hold, cells that may be faulty). A clean
# dataset takes the first kind only; then a few faulty cells are planted: every kind of
# fault the row path names (codes, ranges, dates, ids, references, resident numbers,
# control characters, blanks, split numbers, extra follow-up columns).
Pool = dict[str, tuple[list[str], list[str]]]
SEEKERS: Pool = {
    "seeker_id": (["S{}", "Ｓ{}", "S\u200b{}", " S{} "], ["", "870412-2931746", "S1", "Ѕ1"]),
    "birth_year": (["1980", "1990", "1,985", "1975.0"], ["", "1899", "2200", "abc", "2030"]),
    "birth_date": ([""], ["1981-02-30", "1990-03-04", "1980-05-01"]),
    "registered_on": (["2024-12-01", "2024/12/03", "2024-12-1"], ["", "1970-01-01", "2024-13-01", "2023-06-01"]),
    "residence_code": (["11110", "27720", " 26110 "], ["", "99999", "45710", "11-110", "１１１１０"]),
    "gender": (["F", "M", "남", "여자", ""], ["Q"]),
    "desired_wage": (["2000000", "1,500,000", ""], ["-5", "2000000000", "1.5", "true"]),
    "desired_hours": (["40", "", "37.5"], ["0", "200", "x"]),
    "motivation": (["high", "중", ""], ["very"]),
    "skills": (["a;b", "", " ; ", "b"], []),
    "메모": (["", "hello", "tab\there", "전화 010-1234-5678"], ["870412 2931746", "bell\x07", "x" * 40_000]),
    "앞자리": (["", "12"], ["870412"]),
    "뒷자리": (["", "x"], ["2931746"]),
}
EMPLOYERS: Pool = {
    "employer_id": (["E{}"], ["", "E1"]),
    "name": (["가게", "", "Shop 7"], []),
    "employees": (["5", "12"], ["", "-1"]),
    "region_code": (["11110", "26110"], ["abc"]),
    "partner": (["", "true", "예"], ["maybe"]),
}
VACANCIES: Pool = {
    "vacancy_id": (["V{}"], ["V1", ""]),
    "employer_id": (["E1"], ["E9", ""]),
    "occupation": (["5611", "0221"], ["9999"]),
    "openings": (["1", "3"], ["0"]),
    "employment_type": (["regular", "정규직"], ["odd"]),
    "region_code": (["11110", "26110"], ["27720"]),
    "posted_on": (["2024-12-01", "2024-12-10"], ["2024-12-32"]),
    "closes_on": (["", "2024-12-31"], ["2024-11-01"]),
    "min_age": (["", "20"], ["10", "70"]),
    "max_age": (["", "60"], ["18", "101"]),
}
PLACEMENTS: Pool = {
    "placement_id": (["P{}"], ["P1", ""]),
    "seeker_id": (["S1"], ["S99", ""]),
    "employer_id": (["E1"], ["E9"]),
    "vacancy_id": ([""], ["V1", "V9"]),
    "start_date": (["2024-12-05", "2024-12-20"], ["2026-01-01"]),
    "employment_type": (["regular", "time_selective"], ["short_term_contract"]),
    "contract_end": (["", "2025-06-01"], ["2024-01-01"]),
    "ended_on": (["", "2025-01-01"], ["2024-01-01"]),
}
FOLLOWUPS: Pool = {
    "placement_id": (["P1"], ["P7", ""]),
    "contacted_on": (["2025-01-10", "2024-12-25"], ["2024-10-01"]),
    "outcome": (["still_employed", "left_seeking"], ["bogus"]),
    "note": (["", "ok"], []),
    "extra_column": ([""], ["x"]),
}
POOLS: dict[str, Pool] = {
    "seekers": SEEKERS,
    "employers": EMPLOYERS,
    "vacancies": VACANCIES,
    "placements": PLACEMENTS,
    "followups": FOLLOWUPS,
}


@st.composite
def datasets(draw: st.DrawFn) -> dict[str, list[dict[str, str]]]:
    """Tables of 1-4 rows each, some columns left out, clean cells, then 0-3 faulty ones planted."""
    out: dict[str, list[dict[str, str]]] = {}
    wanted = {t for t in POOLS if t == "seekers" or draw(st.booleans())}
    if wanted & {"vacancies", "placements"}:
        wanted.add("employers")  # what they refer to
    if "followups" in wanted:
        wanted.add("placements")
    for table, pool in POOLS.items():
        if table not in wanted:
            continue
        required = {c.name for c in TABLES[table] if c.required} | {"birth_year"}
        names = [n for n in pool if n in required or draw(st.integers(0, 4)) > 0]
        rows = []
        for number in range(1, draw(st.integers(1, 4)) + 1):
            rows.append({n: draw(st.sampled_from(pool[n][0])).format(number) for n in names})
        out[table] = rows
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        table = draw(st.sampled_from(sorted(out)))
        faulty = [n for n in out[table][0] if POOLS[table][n][1]]
        if faulty:
            row = draw(st.sampled_from(out[table]))
            name = draw(st.sampled_from(faulty))
            row[name] = draw(st.sampled_from(POOLS[table][name][1]))
    return out


@contextmanager
def row_path_only() -> Iterator[None]:
    """The row path alone, as before the column-wise check existed."""
    saved = columns.clean_records
    columns.clean_records = lambda *_args, **_kwargs: None  # type: ignore[assignment]
    try:
        yield
    finally:
        columns.clean_records = saved  # type: ignore[assignment]


def _csv_text(rows: Sequence[Mapping[str, str]]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(list(rows[0]))
    for row in rows:
        writer.writerow(list(row.values()))
    return buffer.getvalue()


def _read_csv(tables: Mapping[str, Sequence[Mapping[str, str]]]) -> _Read:
    read = _Read()
    for table, rows in tables.items():
        read.files[table] = f"{table}.csv"
        folders._csv_rows(_csv_text(rows), f"{table}.csv", table, read)
    return read


def _outcome(read: _Read) -> tuple[str, Any]:
    try:
        return "loaded", read.dataset("x")
    except DataError as exc:
        return "refused", [str(p) for p in exc.problems]


def _same_either_way(tables: Mapping[str, Sequence[Mapping[str, str]]]) -> None:
    with row_path_only():
        records, problems = _check(tables, {}, None)
    fast = clean_records(tables)
    if problems:
        assert fast is None, [str(p) for p in problems]
    else:
        assert fast is not None, "a clean dataset left to the row path"
        assert fast == records
        for name, made in fast.items():  # the extra columns too (left out of equality)
            assert [getattr(r, "extra", None) for r in made] == [getattr(r, "extra", None) for r in records[name]]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_records_exactly_when_the_row_path_finds_no_problem(tables: dict[str, list[dict[str, str]]]) -> None:
    _same_either_way(tables)


def _clean(rows: int = 3) -> dict[str, list[dict[str, str]]]:
    return {
        table: [{n: cells[0][i % len(cells[0])].format(i + 1) for n, cells in pool.items()} for i in range(rows)]
        for table, pool in POOLS.items()
    }


FAULTS = [(t, n, v) for t, pool in POOLS.items() for n, (_, faulty) in pool.items() for v in faulty]


def test_the_clean_base_is_clean() -> None:
    with row_path_only():
        assert _check(_clean(), {}, None)[1] == []
    assert clean_records(_clean()) is not None


@pytest.mark.parametrize(("table", "name", "value"), FAULTS)
def test_each_fault_alone(table: str, name: str, value: str) -> None:
    tables = _clean()
    tables[table][1][name] = value
    _same_either_way(tables)
    read = _read_csv(tables)
    with row_path_only():
        before = _outcome(read)
    assert _outcome(read) == before


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_csv_files_load_and_fail_the_same_either_way(tables: dict[str, list[dict[str, str]]]) -> None:
    read = _read_csv(tables)
    with row_path_only():
        before = _outcome(read)
        problems_before = [str(p) for p in read.validate()]
    assert _outcome(read) == before
    assert [str(p) for p in read.validate()] == problems_before


def test_columns_give_the_rows_a_reader_gave() -> None:
    text = "a,b,,c\n1,2,,3\n4\n\n5,6,7,8\n"
    read = _Read()
    folders._csv_rows(text, "seekers.csv", "seekers", read)
    table = read.tables["seekers"]
    assert isinstance(table, Columns)
    assert list(table) == [
        {"a": "1", "b": "2", "c": "3"},
        {"a": "4", "b": None, "c": None},
        {"a": "5", "b": "6", "c": "8"},
    ]
    assert read.numbers["seekers"] == [2, 3, 5]
    assert [(p.row, p.column, p.code) for p in read.problems] == [(5, "#3", "bad_header")]


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_rows_read_in_chunks_keep_their_numbers_and_problems(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(folders, "_CHUNK", chunk)
    text = 'x,y\n1,2\n3,4\n\n5,6,7\n"8\n9",10\n11,12\n13,"14\n'
    read = _Read()
    folders._csv_rows(text, "seekers.csv", "seekers", read)
    assert list(read.tables["seekers"]) == [
        {"x": "1", "y": "2"},
        {"x": "3", "y": "4"},
        {"x": "8\n9", "y": "10"},
        {"x": "11", "y": "12"},
    ]
    assert read.numbers["seekers"] == [2, 3, 6, 7]
    assert [(p.row, p.code) for p in read.problems] == [(5, "bad_row"), (8, "bad_row")]


@pytest.mark.parametrize("chunk", [1, 2, 1000])
def test_a_cell_too_big_is_named_at_its_row_in_any_chunk(monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(folders, "_CHUNK", chunk)
    text = "x,y\n1,2\n3,4\n5," + "6" * 50 + "\n7,8\n"
    read = _Read()
    with limits.using(limits.DataLimits(max_cell_bytes=20)), pytest.raises(LimitExceeded) as caught:
        folders._csv_rows(text, "seekers.csv", "seekers", read)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "y")]


def test_the_month_folder_is_loaded_column_by_column(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from employkit.sources import load
    from employkit.sources.writers import write_records
    from employkit.synth import JUNGGU_2015, generate

    spec = JUNGGU_2015.scaled(600, 240, seed=7)
    write_records(generate(spec), tmp_path / "m", "csv")
    calls: list[bool] = []
    real = columns.clean_records

    def spy(*args: Any, **kwargs: Any) -> Any:
        found = real(*args, **kwargs)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(columns, "clean_records", spy)
    data = load(tmp_path / "m")
    assert calls == [True]
    with row_path_only():
        assert load(tmp_path / "m") == data


def test_every_check_of_the_record_classes_is_one_the_columns_make() -> None:
    """Records are built without ``__init__``: a new validator or check needs its column-wise twin."""
    checked = {
        (cls.__name__, f.name)
        for cls in CLASSES.values()
        for f in attrs.fields(cls)  # type: ignore[arg-type]
        if f.validator is not None
    }
    assert checked == {
        ("Seeker", "seeker_id"),
        ("Seeker", "residence_code"),
        ("Seeker", "birth_year"),
        ("Seeker", "desired_occupation"),
        ("Seeker", "desired_wage"),
        ("Seeker", "desired_hours"),
        ("Seeker", "insured_days"),
        ("Employer", "employer_id"),
        ("Employer", "employees"),
        ("Employer", "region_code"),
        ("Employer", "paid_support_days_left"),
        ("Vacancy", "vacancy_id"),
        ("Vacancy", "employer_id"),
        ("Vacancy", "occupation"),
        ("Vacancy", "openings"),
        ("Vacancy", "region_code"),
        ("Vacancy", "offered_wage"),
        ("Vacancy", "hours_per_week"),
        ("Placement", "placement_id"),
        ("Placement", "seeker_id"),
        ("Placement", "employer_id"),
        ("Placement", "monthly_wage"),
        ("Placement", "occupation"),
        ("FollowUpContact", "placement_id"),
    }
    with_post_init = {cls.__name__ for cls in CLASSES.values() if hasattr(cls, "__attrs_post_init__")}
    assert with_post_init == {"Vacancy", "Placement"}
    assert {Seeker, Employer, Vacancy, Placement, FollowUpContact} == set(CLASSES.values())


def test_cells_of_other_types_load_as_the_row_path_reads_them() -> None:
    from employkit.sources.tables import build_dataset

    base = {"registered_on": "2024-12-01", "residence_code": 11110}
    rows = [
        {"seeker_id": "S1", "birth_year": 1980, "job_field_decided": True, **base},
        {"seeker_id": "S2", "birth_year": 1980.0, "job_field_decided": 1, **base},
        {"seeker_id": "S3", "birth_year": "1980", "job_field_decided": "1", **base},
    ]
    with row_path_only():
        before = build_dataset({"seekers": rows})
    after = build_dataset({"seekers": rows})
    assert after == before
    assert [s.intake.job_field_decided for s in after.seekers] == [True, True, True]
