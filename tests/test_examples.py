"""The walk-through examples run as a user would run them, and check what they claim."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CASES = {
    "compare_typologies": ([], "OK: 3,110 seekers profiled by both typologies"),
    "rank_one_seeker": (["--top", "3", "--lang", "en"], "OK: top 3 for"),
    "what_if": ([], "OK: the what-if changes only what it says"),
    "kpi_charts": (["--out", "charts", "--lang", "ko"], "OK: dashboard"),
    "research_synth": (["--out", "centre"], "OK: 36 months with placements"),
    "research_survival": ([], "OK: placed within 6 months"),
    "research_frames": (["--out", "panel.parquet"], "OK: 143 rows (12 quarters"),
    "research_audit": ([], "OK: women 10.6% against men 34.8%, ratio 0.306 < 0.8: flagged"),
    "research_intervals": ([], "OK: 4 census ratios without an interval"),
    "research_plots": (["--out", "plots", "--lang", "en"], "OK: curves.png, rates.png, series.png"),
    "research_what_if": ([], "OK: quality-job share 2.19% → 18.72%"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_runs_and_checks_itself(name: str, tmp_path: Path) -> None:
    args, last = CASES[name]
    assert (EXAMPLES / name / "README.md").is_file()
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1].startswith(last)


def test_every_example_folder_is_run_by_a_test() -> None:
    from tests.test_examples_metrics import CASES as METRICS

    folders = {p.name for p in EXAMPLES.iterdir() if p.is_dir() and (p / "run.py").exists()}
    assert folders == set(CASES) | set(METRICS)
