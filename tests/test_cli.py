"""The command line: version, rules as of a date, configuration errors."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from employkit import __version__

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_version(run_cli: Run) -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and __version__ in result.stdout


def _values(run_cli: Run, day: str) -> dict[str, object]:
    result = run_cli("rules", "--as-of", day, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["as_of"] == day
    return {e["id"]: e["value"] for e in data["entries"]}


def test_rules_differ_where_a_parameter_changed(run_cli: Run) -> None:
    before, after = _values(run_cli, "2016-01-01"), _values(run_cli, "2022-01-01")
    assert before["labour.minimum_wage.hourly"] == 6030
    assert after["labour.minimum_wage.hourly"] == 9160
    # the employer typology threshold starts with the 2021 plan (seeds/001, '21.7월~)
    assert "profiling.employer.national.small_firm_employees" not in before
    assert after["profiling.employer.national.small_firm_employees"] == 30


def test_rules_table_shows_source(run_cli: Run) -> None:
    result = run_cli("rules", "--as-of", "2022-01-01")
    assert "seeds/001_9743a8cda015755e.txt#L424" in result.stdout
    assert "9,160" in result.stdout


def test_bad_config_gives_one_clear_error(run_cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "employkit.toml"
    cfg.write_text("[centre]\nname = 'x'\nlevel = 'galaxy'\n", encoding="utf-8")
    result = run_cli("--config", str(cfg), "rules")
    assert result.returncode == 2
    assert "employkit.toml: [centre]: unknown CentreLevel 'galaxy'" in result.stderr
    monkeypatch.chdir(tmp_path)
    cfg.write_text("[centre\n", encoding="utf-8")
    result = run_cli("plugins")  # ./employkit.toml is picked up by default
    assert result.returncode == 2 and "not valid TOML" in result.stderr


def test_bad_as_of_is_a_usage_error(run_cli: Run) -> None:
    result = run_cli("rules", "--as-of", "2016-02-30")
    assert result.returncode == 2 and "Invalid value for '--as-of'" in result.stderr
