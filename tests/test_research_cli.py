"""The research options of the CLI: --series, --curve, --frame, --plot and --param what-ifs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from employkit.cli._whatif import parse_params
from employkit.errors import ConfigError

Run = Callable[..., subprocess.CompletedProcess[str]]


def test_series_prints_every_period_and_writes_a_parquet_frame(tmp_path: Path, run_cli: Run) -> None:
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = tmp_path / "series.parquet"
    result = run_cli(
        "kpi", "--as-of", "2016-12-31", "--series", "quarter", "--kpi", "seekers", "--format", "csv",
        "--frame", str(frame),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    totals = {r["period"]: int(r["numerator"]) for r in rows if r["cell"] == ""}
    assert list(totals) == ["2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4"] and sum(totals.values()) == 3110
    back = pd.read_parquet(frame)
    assert set(back["period"]) == set(totals) and "numerator" in back


def test_curve_by_group_and_plots(tmp_path: Path, run_cli: Run) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "curve.png"
    result = run_cli(
        "kpi", "--as-of", "2016-12-31", "--curve", "retention", "--by", "gender", "--format", "json", "--plot", str(png)
    )
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["group"] for r in rows} == {None, "F", "M"}
    one = next(r for r in rows if r["group"] is None and r["months"] == 1)
    assert one["lower"] <= one["value"] <= one["upper"] and 0.8 < one["value"] < 1
    assert png.read_bytes().startswith(b"\x89PNG")
    dashboard = tmp_path / "kpi.png"
    shown = run_cli("kpi", "--as-of", "2016-06-30", "--by", "age_band", "--ci", "--plot", str(dashboard))
    assert shown.returncode == 0, shown.stderr
    assert (tmp_path / "kpi-rates.png").read_bytes().startswith(b"\x89PNG")


def test_param_what_if_prints_the_change_against_the_baseline(run_cli: Run) -> None:
    result = run_cli(
        "kpi", "--as-of", "2016-06-30", "--kpi", "quality_job_share", "--lang", "en",
        "--param", "metrics.quality_job.min_monthly_wage=1500001",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # 24 placements pay 2.0M or more; 181 + 24 pay 1.5M or more (seeds/000#L601)
    assert "quality_job_share: 2.192 → 18.72" in result.stdout
    profile = run_cli(
        "profile", "--as-of", "2022-01-03", "--typology", "profiling.seeker.national",
        "--param", "profiling.seeker.national.assume.nothing_lacking_by_ratings=true",
    )  # fmt: skip
    assert profile.returncode == 0, profile.stderr
    # the national table's "not ready, nothing lacking" rows: counsellor review by default, rated with the option
    assert "counsellor_review: 805 → 285" in profile.stdout and "moved: 0 → 520" in profile.stdout
    bad = run_cli("kpi", "--param", "no.such.parameter=1")
    assert bad.returncode == 2 and "no.such.parameter" in bad.stderr and "Traceback" not in bad.stderr
    both = run_cli("kpi", "--series", "month", "--curve", "placement")
    assert both.returncode == 2 and "not both" in both.stderr


def test_parse_params() -> None:
    assert parse_params(["a.b=0.9", "c.d=word"]) == {"a.b": 0.9, "c.d": "word"}
    with pytest.raises(ConfigError, match="ID=VALUE"):
        parse_params(["nothing"])
