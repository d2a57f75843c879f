"""``employkit followup``: schedule, due, record, retention, export."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def placements(tmp_path: Path) -> Path:
    folder = tmp_path / "centre"
    folder.mkdir()
    (folder / "seekers.csv").write_text(
        "seeker_id,birth_year,residence_code,registered_on\nS1,1961,11140,2016-01-04\nS2,1958,11140,2016-01-04\n",
        encoding="utf-8",
    )
    (folder / "employers.csv").write_text("employer_id,employees,region_code\nE1,40,11140\n", encoding="utf-8")
    (folder / "placements.csv").write_text(
        "placement_id,seeker_id,employer_id,start_date,employment_type,contract_end\n"
        "P1,S1,E1,2016-03-02,regular,\n"
        "P2,S2,E1,2016-04-01,short_term_contract,2016-09-30\n",
        encoding="utf-8",
    )
    return folder


def test_schedule_without_a_store_lists_the_contacts(run_cli: Run, placements: Path) -> None:
    result = run_cli("followup", "schedule", "--source", str(placements), "--format", "json", "--as-of", "2016-03-01")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["placement_id"], r["due_on"]) for r in rows] == [
        ("P1", "2016-03-02"),
        ("P1", "2016-03-09"),
        ("P1", "2016-06-02"),
        ("P1", "2016-09-02"),
        ("P2", "2016-04-01"),
        ("P2", "2016-04-08"),
        ("P2", "2016-07-01"),
        ("P2", "2016-08-30"),
    ]


def test_schedule_due_record_round_trip(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "f.sqlite")
    result = run_cli("followup", "schedule", "--source", str(placements), "--store", store, "--as-of", "2016-03-01")
    assert result.returncode == 0, result.stderr
    assert "8 contact(s) scheduled, 8 new" in result.stdout
    again = run_cli("followup", "schedule", "--source", str(placements), "--store", store, "--as-of", "2016-03-01")
    assert "8 contact(s) scheduled, 0 new" in again.stdout

    due = run_cli("followup", "due", "--store", store, "--from", "2016-08-29", "--to", "2016-09-05", "--format", "csv")
    assert due.returncode == 0, due.stderr
    lines = due.stdout.splitlines()
    assert lines[0].startswith("due_on,overdue,centre,counsellor,placement_id")
    assert any(",P2," in line and "pre_contract_end" in line for line in lines)
    assert any("P1" in line and "2016-09-02" in line for line in lines)
    assert sum(",True," in line for line in lines) == 6  # before 08-29: P1 03-02, 03-09, 06-02; P2 04-01, 04-08, 07-01

    recorded = run_cli(
        "followup", "record", "--store", store, "--placement", "P2", "--outcome", "left_seeking",
        "--on", "2016-08-30", "--contact", "pre_contract_end", "--json",
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    data = json.loads(recorded.stdout)
    assert [a["code"] for a in data["actions"]] == ["re_register", "training_referral", "close"]
    assert data["status"] == "closed" and data["result"] == "left_seeking"

    table = run_cli("followup", "due", "--store", store, "--from", "2016-08-29", "--to", "2016-09-09")
    assert "재구직등록" in table.stdout and "직업훈련기관 연계" in table.stdout

    text = run_cli(
        "followup", "record", "--store", store, "--placement", "P1", "--outcome", "재직 중", "--on", "2016-03-02"
    )
    assert text.returncode == 0 and "start_day" in text.stdout and "follow-up open" in text.stdout

    exported = run_cli("followup", "export", "--store", store, "--format", "json")
    rows = json.loads(exported.stdout)
    assert len(rows) == 8 and sum(r["outcome"] is not None for r in rows) == 2

    retention = run_cli("followup", "retention", "--store", store, "--as-of", "2017-06-01", "--format", "json")
    by_id = {r["placement_id"]: r for r in json.loads(retention.stdout)}
    assert by_id["P2"]["retained_12m"] is False and by_id["P1"]["retained_12m"] is None


def test_store_and_policy_from_the_configuration(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    config = tmp_path / "employkit.toml"
    config.write_text('[followup]\nstore = "followup.sqlite"\npolicy = "national.followup.default"\n', encoding="utf-8")
    result = run_cli(
        "--config", str(config), "followup", "schedule", "--source", str(placements), "--as-of", "2016-03-01"
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "followup.sqlite").is_file()
    due = run_cli("--config", str(config), "followup", "due", "--from", "2016-03-01", "--to", "2016-03-31")
    assert "P1" in due.stdout and "2016-03-09" in due.stdout


def test_clear_errors_no_traceback(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    missing = run_cli(
        "followup", "due", "--store", str(tmp_path / "none.sqlite"), "--from", "2016-01-01", "--to", "2016-02-01"
    )
    assert missing.returncode == 2 and "no follow-up store at" in missing.stderr
    nostore = run_cli("followup", "due", "--from", "2016-01-01", "--to", "2016-02-01")
    assert nostore.returncode == 2 and "give --store FILE" in nostore.stderr
    store = str(tmp_path / "f.sqlite")
    made = run_cli("followup", "schedule", "--source", str(placements), "--store", store, "--as-of", "2016-03-01")
    assert made.returncode == 0, made.stderr
    bad = run_cli("followup", "record", "--store", store, "--placement", "P1", "--outcome", "fired")
    assert bad.returncode == 2 and "unknown FollowUpOutcome 'fired'" in bad.stderr and "Traceback" not in bad.stderr
    policy = run_cli("followup", "schedule", "--source", str(placements), "--policy", "x.followup.none")
    assert policy.returncode == 2 and "policies:" in policy.stderr
    window = run_cli("followup", "due", "--store", store, "--from", "2016-02-01", "--to", "2016-01-01")
    assert window.returncode == 2 and "before --from" in window.stderr


JUNGGU = "11140-중구-일자리플러스센터"
GANGNAM = "11680-강남구-일자리센터"


def _config(path: Path, name: str, region: str) -> Path:
    path.write_text(f'[centre]\nname = "{name}"\nlevel = "district"\nregion_code = "{region}"\n', encoding="utf-8")
    return path


def test_each_centre_has_its_default_store_and_due_finds_it(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    junggu = _config(tmp_path / "junggu.toml", "중구 일자리플러스센터", "11140")
    gangnam = _config(tmp_path / "gangnam.toml", "강남구 일자리센터", "11680")
    for config, key in ((junggu, JUNGGU), (gangnam, GANGNAM)):
        made = run_cli(
            "--config", str(config), "followup", "schedule", "--source", str(placements), "--as-of", "2016-03-01",
            "--format", "json",
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        summary = json.loads(made.stdout)
        # the same placement ids in the second centre are its own, not skipped as already there
        assert summary["centre"] == key and summary["added"] == 8
        assert summary["store"] == str(tmp_path / f"employkit-followup-{key}.sqlite")
    assert sorted(p.name for p in tmp_path.glob("*.sqlite")) == sorted(
        f"employkit-followup-{k}.sqlite" for k in (JUNGGU, GANGNAM)
    )
    recorded = run_cli(
        "--config", str(junggu), "followup", "record", "--placement", "P1", "--outcome", "still_employed",
        "--on", "2016-03-02",
    )  # fmt: skip
    assert recorded.returncode == 0, recorded.stderr
    due = {
        key: run_cli("--config", str(config), "followup", "due", "--from", "2016-03-01", "--to", "2016-03-10")
        for config, key in ((junggu, JUNGGU), (gangnam, GANGNAM))
    }
    assert due[JUNGGU].returncode == 0 and "1 due from 2016-03-01 to 2016-03-10" in due[JUNGGU].stdout
    assert due[GANGNAM].returncode == 0 and "2 due from 2016-03-01 to 2016-03-10" in due[GANGNAM].stdout


def test_the_dataset_names_the_centre_and_its_store_refuses_another(
    run_cli: Run, placements: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (placements / "centre.toml").write_text(
        '[centre]\nname = "중구 일자리플러스센터"\nlevel = "district"\nregion_code = "11140"\n', encoding="utf-8"
    )
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    made = run_cli("followup", "schedule", "--source", str(placements), "--as-of", "2016-03-01")
    assert made.returncode == 0, made.stderr
    store = work / f"employkit-followup-{JUNGGU}.sqlite"
    assert store.is_file() and f"{store.name}: 2 placement(s)" in made.stdout
    listed = run_cli("followup", "schedule", "--source", str(placements), "--no-store", "--format", "json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 8
    gangnam = _config(tmp_path / "gangnam.toml", "강남구 일자리센터", "11680")
    before = store.read_bytes()
    refused = run_cli(
        "--config", str(gangnam), "followup", "record", "--store", str(store), "--placement", "P1",
        "--outcome", "still_employed", "--on", "2016-03-02",
    )  # fmt: skip
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert JUNGGU in refused.stderr and GANGNAM in refused.stderr and str(store) in refused.stderr
    assert store.read_bytes() == before
    # a tool that only reads opens any centre's store
    exported = run_cli("--config", str(gangnam), "followup", "export", "--store", str(store), "--format", "json")
    assert exported.returncode == 0 and len(json.loads(exported.stdout)) == 8
    nothing = run_cli("--config", str(gangnam), "followup", "due", "--from", "2016-03-01", "--to", "2016-03-10")
    assert nothing.returncode == 2 and f"no follow-up store at {tmp_path / 'employkit-followup-'}" in nothing.stderr


def test_an_old_store_adopts_the_centre_and_says_so(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "f.sqlite")
    made = run_cli("followup", "schedule", "--source", str(placements), "--store", store, "--as-of", "2016-03-01")
    assert made.returncode == 0, made.stderr
    junggu = _config(tmp_path / "junggu.toml", "중구 일자리플러스센터", "11140")
    args = ("followup", "record", "--store", store, "--placement", "P1", "--outcome", "still_employed")
    first = run_cli("--config", str(junggu), *args, "--on", "2016-03-02")
    assert first.returncode == 0 and f"it now belongs to {JUNGGU}" in first.stderr
    second = run_cli("--config", str(junggu), *args, "--on", "2016-03-09")
    assert second.returncode == 0 and "belongs to" not in second.stderr


def test_record_refuses_a_reused_key_and_dates_outside_the_placement(
    run_cli: Run, placements: Path, tmp_path: Path
) -> None:
    store = str(tmp_path / "f.sqlite")
    assert run_cli("followup", "schedule", "--source", str(placements), "--store", store).returncode == 0
    record = ("followup", "record", "--store", store, "--outcome", "still_employed", "--key", "call-7")
    first = run_cli(*record, "--placement", "P1", "--on", "2016-03-02")
    assert first.returncode == 0, first.stderr
    again = run_cli(*record, "--placement", "P1", "--on", "2016-03-02")
    assert again.returncode == 0 and "already recorded; nothing changed" in again.stdout
    other = run_cli(*record, "--placement", "P2", "--on", "2016-04-01")
    assert other.returncode == 2 and "already recorded" not in other.stdout + other.stderr
    assert "'call-7' was already used for still_employed on 2016-03-02 at start_day of placement P1" in other.stderr
    changed = run_cli(*record, "--placement", "P1", "--on", "2016-03-03")
    assert changed.returncode == 2 and "differs in on '2016-03-03' (was '2016-03-02')" in changed.stderr
    early = run_cli(
        "followup", "record", "--store", store, "--placement", "P2", "--outcome", "renewed", "--on", "1999-01-04"
    )
    assert early.returncode == 2 and "placement P2: a contact on 1999-01-04" in early.stderr
    assert "2016-04-01 …" in early.stderr and "Traceback" not in early.stderr
    future = run_cli(
        "followup", "record", "--store", store, "--placement", "P2", "--outcome", "renewed", "--on", "2999-01-04"
    )
    assert future.returncode == 2 and "a contact on 2999-01-04 is outside the allowed dates" in future.stderr
    exported = run_cli("followup", "export", "--store", store, "--format", "json")
    assert sum(r["outcome"] is not None for r in json.loads(exported.stdout)) == 1


def test_retention_with_nothing_known_prints_no_value_not_zero(run_cli: Run, placements: Path, tmp_path: Path) -> None:
    store = str(tmp_path / "f.sqlite")
    run_cli("followup", "schedule", "--source", str(placements), "--store", store, "--as-of", "2016-03-01")
    # P2's contract ended on 2016-09-30 and nobody called: its retention is unknown, not "left"
    table = run_cli("followup", "retention", "--store", store, "--as-of", "2017-06-01")
    assert table.returncode == 0, table.stderr
    rows = [line for line in table.stdout.splitlines() if "개월" in line]
    assert len(rows) == 4 and all(line.rstrip().endswith("—") for line in rows), table.stdout
    assert "0.0%" not in table.stdout
