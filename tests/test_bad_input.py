"""The bad-input corpus: every case gives a clear error, through the library and the CLI.

For each case of :mod:`tests.badinput.corpus` (hand-made files, one bad cell in every
column type, missing and renamed columns, huge fields, broken JSON Lines, Excel and
SQLite files):

* :func:`employkit.sources.load` raises :class:`DataError` with the expected problem —
  file, row, column and reason;
* ``employkit validate`` exits 1 and shows that problem (as a table or JSON), with no
  traceback;
* ``employkit run --out X --store Y`` (on a representative subset) exits 2 with one
  message and writes neither the report folder nor the store, and leaves an earlier
  report as it was;
* no message shows anything that looks like a resident registration number.

Hypothesis adds generated cases: a random wrong value in a random column, impossible
dates, unknown codes.
"""

from __future__ import annotations

import calendar
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from employkit.cli import State, cli
from employkit.codes import is_known_occupation, is_known_region
from employkit.errors import DataError, Problem
from employkit.rules import RuleSystem
from employkit.sources import load
from employkit.sources.cells import find_rrn
from employkit.sources.schema import TABLES
from employkit.sources.tables import _CONTROL, _PARSERS, validate_tables
from tests.badinput.corpus import CELLS, Case, Expect, all_cases, base_rows

CASES = all_cases()
#: The cases also run through ``employkit run``: every 8th, and every resident number.
RUN_CASES = [c for i, c in enumerate(CASES) if i % 8 == 0 or "resident" in c.expect.reason]


@pytest.fixture(scope="module")
def system() -> RuleSystem:
    return RuleSystem.build()


@pytest.fixture(scope="module")
def state() -> State:
    """One CLI state for the module, so each command does not load the packs again."""
    return State()


def _matches(p: Problem | dict[str, Any], expect: Expect) -> bool:
    get = p.get if isinstance(p, dict) else lambda k: getattr(p, k)
    return bool(
        get("severity") == "error"
        and get("file") == expect.file
        and (expect.row is None or get("row") == expect.row)
        and (expect.column is None or get("column") == expect.column)
        and expect.reason.casefold() in str(get("reason")).casefold()
    )


def _clean(text: str) -> None:
    """No traceback, no resident registration number."""
    assert "Traceback" not in text
    assert not find_rrn(text), "a resident registration number reached the output"


def _invoke(state: State | None, *args: str) -> Result:
    result = CliRunner().invoke(cli, list(args), obj=state)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    _clean(result.output)
    return result


def test_the_corpus_has_hundreds_of_cases_of_every_kind() -> None:
    kinds = {kind: sum(c.kind == kind for c in CASES) for kind in ("csv", "jsonl", "xlsx", "sqlite")}
    assert len(CASES) >= 200, len(CASES)
    assert kinds["csv"] >= 150 and min(kinds.values()) >= 20, kinds
    assert sum(c.name.startswith("handmade:") for c in CASES) >= 50
    assert len(RUN_CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_case_gives_a_clear_error(case: Case, tmp_path: Path, system: RuleSystem, state: State) -> None:
    location = case.build(tmp_path)
    with pytest.raises(DataError) as info:
        load(location, system)
    problems = info.value.problems
    assert any(_matches(p, case.expect) for p in problems), "\n".join(map(str, problems))
    assert all(p.file and p.reason for p in problems)
    _clean(str(info.value))

    # the CLI, in-process: JSON for half the cases, the table for the others
    as_json = hash(case.name) % 2 == 0
    fresh = CASES.index(case) % 10 == 0  # now and then through a fresh state, packs loaded again
    result = _invoke(None if fresh else state, "validate", "--source", str(location), *(["--json"] if as_json else []))
    assert result.exit_code == 1, result.output
    if as_json:
        shown = json.loads(result.stdout)
        assert shown["errors"] >= 1
        assert any(_matches(p, case.expect) for p in shown["problems"]), shown["problems"]
    else:
        assert case.expect.file in result.stdout
        assert " error(s)" in result.stdout


@pytest.mark.parametrize("case", RUN_CASES, ids=str)
def test_run_refuses_bad_input_and_writes_nothing(case: Case, tmp_path: Path, state: State) -> None:
    (tmp_path / "in").mkdir()
    location = case.build(tmp_path / "in")
    out, store = tmp_path / "report", tmp_path / "followup.sqlite"
    result = _invoke(state, "run", "--source", str(location), "--out", str(out), "--store", str(store))
    assert result.exit_code == 2
    assert result.stderr.startswith("employkit: error: cannot load")
    assert case.expect.file in result.stderr
    assert not out.exists() and not store.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


def test_a_refused_run_leaves_the_previous_report_and_store_as_they_were(tmp_path: Path, state: State) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.md").write_text("# last month's report\n", encoding="utf-8")
    store = tmp_path / "followup.sqlite"
    store.write_bytes(b"SQLite format 3\x00 (last month's store)")
    case = next(c for c in CASES if c.name == "handmade:rrn-in-follow-up-note")
    (tmp_path / "in").mkdir()
    location = case.build(tmp_path / "in")
    result = _invoke(state, "run", "--source", str(location), "--out", str(out), "--store", str(store))
    assert result.exit_code == 2
    assert [(p.name, p.read_text(encoding="utf-8")) for p in out.iterdir()] == [
        ("report.md", "# last month's report\n")
    ]
    assert store.read_bytes() == b"SQLite format 3\x00 (last month's store)"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["followup.sqlite", "in", "report"]


def _subprocess(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
    return subprocess.run(
        [sys.executable, "-m", "employkit", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


@pytest.mark.parametrize("name", ["handmade:mixed-encodings", "csv:followups[0].note='주민번호 850315-2345678 확인함'"])
def test_the_real_command_line(name: str, tmp_path: Path) -> None:
    case = next(c for c in CASES if c.name == name)
    location = case.build(tmp_path)
    checked = _subprocess("validate", "--source", str(location), cwd=tmp_path)
    assert checked.returncode == 1
    assert case.expect.file in checked.stdout and case.expect.reason.split(" (")[0] in checked.stdout
    ran = _subprocess("run", "--source", str(location), "--out", "report", "--store", "f.sqlite", cwd=tmp_path)
    assert ran.returncode == 2 and ran.stdout == ""
    assert ran.stderr.startswith("employkit: error: cannot load")
    for text in (checked.stdout, checked.stderr, ran.stderr):
        _clean(text)
    assert not (tmp_path / "report").exists() and not (tmp_path / "f.sqlite").exists()


def test_an_unopenable_location_is_exit_status_2(tmp_path: Path, state: State) -> None:
    result = _invoke(state, "validate", "--source", str(tmp_path / "nowhere"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    (tmp_path / "notes.txt").write_text("seeker_id\nS001\n", encoding="utf-8")
    result = _invoke(state, "run", "--source", str(tmp_path), "--out", str(tmp_path / "r"))
    assert result.exit_code == 2 and "no data source can open it" in result.stderr
    assert not (tmp_path / "r").exists()


# ------------------------------------------------------------------ generated cases


def _raw_tables() -> dict[str, list[dict[str, str | None]]]:
    return {
        t: [dict(r) for r in base_rows(t)] for t in ("seekers", "employers", "vacancies", "placements", "followups")
    }


def _problems_at(tables: dict[str, Any], table: str, row: int, column: str) -> list[Problem]:
    files = {t: f"{t}.csv" for t in tables}
    problems = validate_tables(tables, files)
    return [p for p in problems if p.severity == "error" and (p.table, p.row, p.column) == (table, row, column)]


#: Every (table, column) the schema parses beyond plain text.
TYPED = [(t, c.name, c.type) for t, cols in TABLES.items() for c in cols if c.type not in ("text", "id", "list")]


def _refused(kind: str, text: str) -> str | None:
    """The reason the parser of ``kind`` gives for ``text``, or ``None`` if it takes it."""
    try:
        _PARSERS[kind](text.strip())  # type: ignore[index]
    except ValueError as exc:
        return str(exc)
    return None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(TYPED), st.text(min_size=1, max_size=30), st.integers(0, 1))
def test_any_value_a_column_refuses_is_named_by_row_and_column(
    target: tuple[str, str, str], text: str, index: int
) -> None:
    table, column, kind = target
    reason = _refused(kind, text)
    if reason is None or not text.strip() or find_rrn(text) or _CONTROL.search(text):
        return
    tables = _raw_tables()
    tables[table][index][column] = text
    found = _problems_at(tables, table, index + 1, column)
    assert found, (table, column, text)
    assert any(reason in p.reason for p in found), [p.reason for p in found]


_DATE_COLUMNS = [(t, c) for t, c, kind in TYPED if kind == "date"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_DATE_COLUMNS), st.integers(1900, 2100), st.integers(1, 12), st.data())
def test_impossible_dates_are_refused(target: tuple[str, str], year: int, month: int, data: Any) -> None:
    table, column = target
    last = calendar.monthrange(year, month)[1]
    day = data.draw(st.integers(last + 1, 39))
    sep = data.draw(st.sampled_from(["-", ".", "/"]))
    tables = _raw_tables()
    tables[table][0][column] = f"{year}{sep}{month:02d}{sep}{day:02d}"
    (problem,) = _problems_at(tables, table, 1, column)
    assert problem.reason == "not a valid date: day is out of range for month"


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from(
        [
            ("seekers", "residence_code"),
            ("employers", "region_code"),
            ("vacancies", "region_code"),
            ("seekers", "desired_occupation"),
            ("vacancies", "occupation"),
            ("placements", "occupation"),
        ]
    ),
    st.from_regex(r"\A(9[0-9]{4}|0[0-9]{3}|99[0-9]{2})\Z"),
)
def test_unknown_codes_are_refused(target: tuple[str, str], code: str) -> None:
    table, column = target
    assume(not is_known_region(code) and not is_known_occupation(code))
    tables = _raw_tables()
    tables[table][0][column] = code
    found = _problems_at(tables, table, 1, column)
    assert found and all("unknown" in p.reason or "expected" in p.reason for p in found), found


def test_every_cell_case_names_a_real_column() -> None:
    columns = {t: {c.name for c in cols} for t, cols in TABLES.items()}
    unknown: Sequence[tuple[str, str]] = [(t, c) for t, _, c, _, _ in CELLS if c not in columns[t]]
    assert not unknown
