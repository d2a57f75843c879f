"""``employkit profile``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from employkit.profiling.api import EMPLOYER_ROW_FIELDS, ROW_FIELDS

Run = Callable[..., CompletedProcess[str]]

#: The sample centre registered in 2015, before the national typology; named, it applies as of --as-of.
NATIONAL = ("--typology", "profiling.seeker.national")


@pytest.fixture
def cfg(tmp_path: Path) -> str:
    path = tmp_path / "employkit.toml"
    path.write_text('[packs]\ndisabled = ["junggu"]\n', encoding="utf-8")
    return str(path)


def test_profile_table_with_summary(run_cli: Run, cfg: str) -> None:
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01")
    assert out.returncode == 0, out.stderr
    assert "profiling.seeker.national · as of 2022-06-01 · 3,110 profile(s)" in out.stdout
    assert "준비된 구직자 — 지역이동 가능" in out.stdout
    last = out.stdout.strip().splitlines()[-1].split()
    assert last[:3] == ["total", "합계", "3,110"]


def test_profile_json(run_cli: Run, cfg: str) -> None:
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01", "--format", "json")
    data = json.loads(out.stdout)
    assert data["typology"] == "profiling.seeker.national" and data["as_of"] == "2022-06-01"
    assert sum(data["summary"].values()) == len(data["profiles"]) == 3110
    assert set(data["summary"]) >= {"ready_mobile", "prep_multiple_barriers", "not_profiled"}


def test_profile_csv(run_cli: Run, cfg: str) -> None:
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert len(rows) == 3110 and tuple(rows[0]) == ROW_FIELDS
    assert all(r["segment"] for r in rows)


def test_profile_explain_one_person(run_cli: Run, cfg: str) -> None:
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01", "--explain", "S0000003")
    assert out.returncode == 0
    assert "규칙 profiling.seeker.national — national" in out.stdout
    assert "rule profiling.seeker.national — national" in out.stdout
    assert "seeds/001_9743a8cda015755e.txt#L504" in out.stdout
    js = run_cli(
        "--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01", "--explain", "S0000003", "--format", "json"
    )
    assert json.loads(js.stdout)["seeker_id"] == "S0000003"


def test_profile_errors_are_messages(run_cli: Run, cfg: str) -> None:
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2022-06-01", "--explain", "NOPE")
    assert out.returncode == 2 and "NOPE" in out.stderr and "Traceback" not in out.stderr
    out = run_cli("--config", cfg, "profile", *NATIONAL, "--as-of", "2016-06-01")
    assert out.returncode == 2 and "not in force on 2016-06-01" in out.stderr
    # by default each seeker gets the typology of its registration day: none in 2015, and it says so
    out = run_cli("--config", cfg, "profile", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["summary"]["no_typology"] == 3110
    assert "3,110 seeker(s) registered 2015-01-02–2015-11-30 not profiled" in out.stderr
    out = run_cli("--config", cfg, "profile", "--typology", "profiling.seeker.nope")
    assert out.returncode == 2 and "known:" in out.stderr
    out = run_cli("--config", cfg, "profile", "--source", "/no/such/folder")
    assert out.returncode == 2


def test_profile_employers(run_cli: Run, cfg: str) -> None:
    out = run_cli(
        "--config",
        cfg,
        "profile",
        "--as-of",
        "2022-06-01",
        "--typology",
        "profiling.employer.national",
        "--format",
        "csv",
        "--by-vacancy",
    )
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert tuple(rows[0]) == EMPLOYER_ROW_FIELDS and len(rows) == 1302
    table = run_cli("--config", cfg, "profile", "--as-of", "2022-06-01", "--typology", "profiling.employer.national")
    assert "condition_improvement" in table.stdout and "고용여건개선형" in table.stdout


def test_profile_uses_the_centre_typology(run_cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "centre.toml"
    path.write_text('[profiling]\nseeker_typology = "profiling.seeker.national.special_type"\n', encoding="utf-8")
    out = run_cli("--config", str(path), "profile", "--format", "json", "--as-of", "2022-06-01")
    data = json.loads(out.stdout)
    # the centre's typology applies from its first day (2022), after the sample's 2015 registrations
    assert data["summary"]["no_typology"] == 3110
    assert "no seeker typology in force on their registration days (in force: 2022-01-01" in out.stderr
