"""The metrics examples reproduce the source figures: each script asserts them, and so does this test."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"

CASES = {
    "junggu_2015": [
        "OK: employment rate 35.2% (35%), target 47.6% (48%), residents 44.0% (44%)",
        "연령별 취업자: 20-30대 139, 40-50대 595, 60세 이상 361",
        "급여별 취업자: 100만원 이하 309, 100~150만원 581, 150~200만원 181, 200만원 이상 24",
        "청소원 44%, 사무 보조 11%, 서비스 7%",
    ],
    "guro_2010": [
        "OK: participation 62.2%, unemployment 4.5% (11,787 / 261,933); local-hiring quota 500 residents",
        "targets (Guro pack): 2010 4,350, 2011 3,810, 2012 3,620, 2013 3,510, 2014 3,360",
    ],
    "wanju_2023": [
        "OK: 4,013 consultations (cases); 3,516 referred → 1,525 placed (43.4%); overall 43.4% of people referred"
    ],
    "travel_team_funnel": ["OK: 941 → 654 (69.5%) → 130 (19.9%); overall 13.8%"],
}


def run(name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(CASES))
def test_example_reproduces_the_source(name: str, tmp_path: Path) -> None:
    assert (EXAMPLES / name / "README.md").is_file()
    result = run(name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for line in CASES[name]:
        assert line in result.stdout


def test_junggu_example_writes_reports(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    result = run("junggu_2015", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert page.count("data:image/png;base64,") >= 4
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "![" in markdown and (tmp_path / "out" / "chart-1.png").is_file()
