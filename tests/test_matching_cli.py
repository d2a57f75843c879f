"""``employkit match`` and ``employkit mismatch`` on the bundled sample centre."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from importlib.metadata import entry_points

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]
AS_OF = ("--as-of", "2015-12-31")


def test_match_seeker_json_has_the_component_breakdown(run_cli: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    # the national pack alone: installed packs (e.g. Chungnam's component) would add components
    monkeypatch.setenv("EMPLOYKIT_DISABLE_PLUGINS", ",".join(ep.name for ep in entry_points(group="employkit")))
    out = run_cli("match", "--seeker", "S0000001", "--top", "3", "--format", "json", *AS_OF)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["for"] == "seeker S0000001" and data["as_of"] == "2015-12-31"
    results = data["results"]
    assert [r["rank"] for r in results] == [1, 2, 3]
    assert [r["seeker_id"] for r in results] == ["S0000001"] * 3
    totals = [r["total"] for r in results]
    assert totals == sorted(totals, reverse=True)
    first = results[0]
    keys = [c["key"] for c in first["components"]]
    assert keys == ["occupation", "wage", "place", "hours", "skills", "age"]
    for c in first["components"]:
        assert c["reasons"] and c["reasons"][0]["ko"] and c["rule"] == f"national.matching.{c['key']}"
    counted = [c for c in first["components"] if c["status"] == "counted"]
    assert abs(sum(c["contribution"] for c in counted) - first["total"]) < 1e-9
    wage = next(c for c in first["components"] if c["key"] == "wage")
    assert "₩" in wage["reasons"][0]["en"]


def test_match_vacancy_table_shows_each_breakdown(run_cli: Run) -> None:
    out = run_cli("match", "--vacancy", "V0000001", "--top", "2", "--lang", "en", *AS_OF)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("vacancy V0000001: top 2 seeker matches, as of 2015-12-31")
    assert "#1 S" in out.stdout and "#2 S" in out.stdout
    assert "occupation" in out.stdout and "× " in out.stdout and "₩" in out.stdout


def test_match_csv_with_filters(run_cli: Run) -> None:
    out = run_cli("match", "--seeker", "S0000002", "--top", "4", "--format", "csv", "--occupation", "0", *AS_OF)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert 0 < len(rows) <= 4
    assert {r["for"] for r in rows} == {"seeker"}
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    assert all(r["vacancy_id"].startswith("V") for r in rows)
    assert {"total", "wage", "wage_share", "wage_contribution", "wage_status", "wage_reason"} <= set(rows[0])


def test_match_all_small_group_both_directions(run_cli: Run) -> None:
    out = run_cli("match", "--all", "--top", "2", "--occupation", "890", "--format", "csv", "--lang", "en", *AS_OF)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    directions = {r["for"] for r in rows}
    assert directions == {"seeker", "vacancy"}
    per_seeker: dict[str, int] = {}
    for r in rows:
        if r["for"] == "seeker":
            per_seeker[r["seeker_id"]] = per_seeker.get(r["seeker_id"], 0) + 1
    assert per_seeker and max(per_seeker.values()) <= 2


def test_match_errors_are_messages_not_tracebacks(run_cli: Run) -> None:
    missing = run_cli("match", "--seeker", "NOPE", *AS_OF)
    assert missing.returncode == 2 and "no seeker 'NOPE'" in missing.stderr
    assert "Traceback" not in missing.stderr + missing.stdout
    neither = run_cli("match", *AS_OF)
    assert neither.returncode == 2 and "exactly one of" in neither.stderr
    bad = run_cli("match", "--seeker", "S0000001", "--region", "Seoul", *AS_OF)
    assert bad.returncode == 2 and "code prefix" in bad.stderr
    nosource = run_cli("match", "--seeker", "S0000001", "--source", "/nonexistent/folder", *AS_OF)
    assert nosource.returncode == 2 and "Traceback" not in nosource.stderr


def test_mismatch_command(run_cli: Run) -> None:
    out = run_cli("mismatch", "--lang", "en", "--as-of", "2020-12-31")
    assert out.returncode == 0, out.stderr
    assert "occupations: sought by employers vs preferred by seekers" in out.stdout
    assert "national reference: 49.1%" in out.stdout
    as_json = json.loads(run_cli("mismatch", "--format", "json", *AS_OF).stdout)
    rows = [r for r in as_json["tables"] if r["dimension"] == "occupation"]
    assert [r["code"] for r in sorted(rows, key=lambda r: r["demand_rank"] or 99)][:2] == [
        "cleaning",
        "security_parking",
    ]
    assert as_json["easy_match"]["reference"] is None  # the national figure is for 2020
    as_csv = run_cli("mismatch", "--format", "csv", *AS_OF).stdout
    assert as_csv.splitlines()[0].startswith("dimension,code,label_ko,label_en,demand")
