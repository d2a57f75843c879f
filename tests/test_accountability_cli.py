"""The accountability commands: audit, explain-change, decisions, overrides."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture(autouse=True)
def _packs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Only the national and Jung-gu packs, and the centre's pseudonym key in the environment."""
    for name in ("EMPLOYKIT_CONFIG", "EMPLOYKIT_DISABLE_PLUGINS", "EMPLOYKIT_STRICT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("EMPLOYKIT_PLUGINS", "junggu")
    monkeypatch.setenv("EMPLOYKIT_PSEUDONYM_KEY", "cli-test-secret-of-the-centre")
    yield


def test_audit_json_and_html(run_cli: Run, tmp_path: Path) -> None:
    done = run_cli(
        "audit", "--as-of", "2022-01-03", "--typology", "profiling.seeker.national", "--by", "gender,age_band",
        "--sections", "profiling,matching", "--format", "json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["threshold"] == 0.8 and data["by"] == ["gender", "age_band"]
    # ages at registration: the profiling is not flagged; the match lists of the 20-30s are
    assert [(f["section"], f["attribute"], f["group"]) for f in data["flags"]] == [("matching", "age_band", "20-30s")]
    assert data["flags"][0]["rule_reads_attribute"] is False
    page = tmp_path / "audit.html"
    done = run_cli(
        "audit", "--as-of", "2016-03-02", "--typology", "profiling.seeker.junggu", "--by", "gender",
        "--sections", "profiling,followup", "--format", "html", "--lang", "en", "--out", str(page),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = page.read_text(encoding="utf-8")
    assert "profiling profiling.seeker.junggu" in text and "retention · by gender" in text


def test_audit_errors_are_one_line(run_cli: Run) -> None:
    done = run_cli("audit", "--as-of", "2022-01-03", "--by", "shoe_size")
    assert done.returncode == 2 and "unknown grouping column 'shoe_size'" in done.stderr
    done = run_cli(
        "audit", "--as-of", "2015-06-01", "--typology", "profiling.seeker.national", "--sections", "profiling"
    )
    assert done.returncode == 2 and "not in force" in done.stderr


def test_explain_change(run_cli: Run) -> None:
    national = ("--typology", "profiling.seeker.national")  # the Jung-gu centre's own is A/B/C
    done = run_cli("explain-change", "--seeker", "S0000001", *national, "--as-of", "2022-01-03", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "S0000001 · profiling.seeker.national" in done.stdout and "ready_mobile" in done.stdout
    done = run_cli("explain-change", "--seeker", "S0000001", *national, "--as-of", "2022-01-03", "--format", "json")
    data = json.loads(done.stdout)
    assert data["current"]["segment"] == "ready_local"
    assert [c["field"] for p in data["proposals"] for c in p["changes"]] == ["mobile"]
    done = run_cli("explain-change", "--seeker", "S0000001", "--vacancy", "V0000001", "--as-of", "2015-12-31")
    assert done.returncode == 0, done.stderr
    assert "component" in done.stdout and "age: " in done.stdout
    done = run_cli("explain-change", "--seeker", "nobody", "--as-of", "2022-01-03")
    assert done.returncode == 2 and "no seeker with id 'nobody'" in done.stderr


def test_record_replay_verify(run_cli: Run, tmp_path: Path) -> None:
    log = tmp_path / "decisions.jsonl"
    done = run_cli(
        "decisions", "record", "--log", str(log), "--as-of", "2016-03-02", "--typology", "profiling.seeker.junggu",
        "--kinds", "segment,kpi_value,followup_action", "--limit", "20",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "decision(s) appended (segment 20, followup_action" in done.stdout
    assert "S0000001" not in log.read_text(encoding="utf-8")
    done = run_cli("decisions", "verify", "--log", str(log))
    assert done.returncode == 0 and "0 problem(s)" in done.stdout
    done = run_cli("decisions", "replay", "--log", str(log), "--source", "sample", "--format", "json")
    assert done.returncode == 0, done.stderr + done.stdout
    data = json.loads(done.stdout)
    assert data["replayed"] == data["identical"] > 20
    # without the dataset neither the centre (its region, so its packs) nor a KPI value can be
    # replayed: a clear error, not a traceback
    done = run_cli("decisions", "replay", "--log", str(log))
    assert done.returncode == 2 and "pack junggu 0.1.0 is not active" in done.stderr


def test_record_needs_a_key(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMPLOYKIT_PSEUDONYM_KEY")
    done = run_cli("decisions", "record", "--log", str(tmp_path / "d.jsonl"), "--as-of", "2022-01-03")
    assert done.returncode == 2 and "no pseudonym key" in done.stderr
    assert not (tmp_path / "d.jsonl").exists()


def test_overrides_report(run_cli: Run, tmp_path: Path) -> None:
    import datetime as dt

    from employkit.accountability import decisions as dec
    from employkit.accountability.log import DecisionLog
    from employkit.national.profiling import SEEKER_SEGMENTS
    from employkit.profiling.api import profile_dataset
    from employkit.profiling.overrides import override
    from employkit.synth import sample_centre
    from employkit.testing import make_system

    system, data = make_system(), sample_centre()
    day = dt.date(2022, 1, 3)
    log = DecisionLog(tmp_path / "d.jsonl")
    seekers = data.seekers[:120]
    for n, p in enumerate(profile_dataset(seekers, system, day, "profiling.seeker.national").profiles):
        who = "C1" if n < 60 else "C2"
        log.append(dec.segment_decision(p, seekers[n], system, key="k", counsellor=who))
        if who == "C2" and n % 3 == 0 and p.segment is not None:
            target = "prep_low_ability" if p.segment.code != "prep_low_ability" else "prep_low_motivation"
            changed = override(p, target, reason_code="counsellor_judgement", reason="판단", counsellor=who,
                            segments=SEEKER_SEGMENTS)  # fmt: skip
            log.append(dec.override_decision(changed, seekers[n], system, key="k"))
    done = run_cli("overrides", "report", "--log", str(log.path), "--as-of", "2022-01-03", "--lang", "en")
    assert done.returncode == 0, done.stderr
    assert "by counsellor" in done.stdout and "rubber_stamp" in done.stdout
    done = run_cli("overrides", "report", "--log", str(log.path), "--as-of", "2022-01-03", "--format", "json")
    rows = {r["counsellor"]: r for r in json.loads(done.stdout)["by_counsellor"]}
    assert (rows["C1"]["overridden"], rows["C2"]["overridden"]) == (0, 20)
