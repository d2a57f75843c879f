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
