"""``employkit run``: the main job on the sample centre, its report folder, and a real browser."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from employkit.pipeline import REPORT_FILES, run_centre
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AS_OF = "2016-01-04"
# The Jung-gu typologies are in force from 2016; the national ones from 2021-07 and 2022.
ABC = ("--typology", "profiling.seeker.junggu", "--employer-typology", "profiling.employer.junggu.visits")


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
    return subprocess.run(
        [sys.executable, "-m", "employkit", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of the main job on the bundled sample centre, from the command line."""
    work = tmp_path_factory.mktemp("run")
    done = _cli("run", "--as-of", AS_OF, *ABC, "--out", "report", cwd=work)
    assert done.returncode == 0, done.stderr
    assert "35.2% (1,095 / 3,110)" in done.stdout
    return work / "report"


def test_report_folder_holds_every_file(report: Path) -> None:
    names = {p.name for p in report.iterdir()}
    assert names >= REPORT_FILES
    assert any(n.startswith("chart-") for n in names)
    kpis = json.loads((report / "kpis.json").read_text(encoding="utf-8"))
    rate = next(k for k in kpis["kpis"] if k["id"] == "employment_rate")
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1095, 3110, 35.2)
    run = json.loads((report / "run.json").read_text(encoding="utf-8"))
    assert run["as_of"] == AS_OF and run["source"] == "sample:junggu-2015"
    assert {"name": "national", "version": run["employkit"]} in run["packs"]


def test_csv_files_have_one_row_per_subject(report: Path) -> None:
    import csv

    def rows(name: str) -> list[dict[str, str]]:
        text = (report / name).read_text(encoding="utf-8-sig")
        return list(csv.DictReader(text.splitlines()))

    data = sample_centre()
    assert len(rows("profiles.csv")) == len(data.seekers)
    assert len(rows("employer_profiles.csv")) == len(data.employers)
    matches = rows("matches.csv")
    per_seeker: dict[str, int] = {}
    for row in matches:
        if row["for"] == "seeker":
            per_seeker[row["seeker_id"]] = per_seeker.get(row["seeker_id"], 0) + 1
    assert per_seeker and max(per_seeker.values()) <= 10
    followups = rows("followups.csv")
    assert followups and all(row["due_on"] for row in followups)


def test_running_again_adds_nothing_to_the_store(report: Path) -> None:
    from employkit.stores.followup import FollowUpStore

    store = report.parent / "employkit-followup.sqlite"
    with FollowUpStore(store) as s:
        before = s.counts()
    again = _cli("run", "--as-of", AS_OF, *ABC, "--out", "report", cwd=report.parent)
    assert again.returncode == 0, again.stderr
    with FollowUpStore(store) as s:
        assert s.counts() == before


@pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="Chromium not installed (make browser)")
def test_report_renders_in_a_real_browser_with_charts_and_kpis(report: Path, tmp_path: Path) -> None:
    assert CHROMIUM is not None, "Chromium is missing: `make browser` installs it from Debian's packages"
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
    ]
    url = (report / "report.html").resolve().as_uri()
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body is not None, "the page did not render"
    charts = re.search(r'data-charts="(\d+)"', body.group(1))
    loaded = re.search(r'data-charts-loaded="(\d+)"', body.group(1))
    assert charts and loaded and int(charts.group(1)) > 0 and loaded.group(1) == charts.group(1)
    kpis = json.loads((report / "kpis.json").read_text(encoding="utf-8"))["kpis"]
    shown = dict(re.findall(r'<tr data-kpi="([^"]+)"><td>[^<]*</td><td data-value="([^"]*)"', dom))
    for k in kpis:
        assert shown[k["id"]] == ("" if k["value"] is None else repr(k["value"])), k["id"]
    shot = tmp_path / "page.png"
    subprocess.run(
        [CHROMIUM, *flags, "--window-size=1200,1600", f"--screenshot={shot}", url], capture_output=True, timeout=120
    )
    from matplotlib.image import imread

    pixels = imread(shot)
    assert pixels.shape[0] >= 1600 and pixels.shape[1] >= 1200 and float(pixels.std()) > 0.05


def test_a_failed_run_leaves_the_previous_report_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = sample_centre()
    system = RuleSystem.build()
    out = tmp_path / "report"
    day = dt.date(2016, 1, 4)
    run_centre(
        data,
        system,
        out,
        as_of=day,
        top=3,
        typology="profiling.seeker.junggu",
        employer_typology="profiling.employer.junggu.visits",
    )
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    import employkit.pipeline as pipeline

    def broken(*_args: object, **_kw: object) -> str:
        raise RuntimeError("interrupted while writing the report")

    monkeypatch.setattr(pipeline, "_html", broken)
    with pytest.raises(RuntimeError, match="interrupted"):
        run_centre(
            data,
            system,
            out,
            as_of=day,
            top=3,
            typology="profiling.seeker.junggu",
            employer_typology="profiling.employer.junggu.visits",
        )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_data_stops_before_anything_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "seekers.csv").write_text("seeker_id,birth_year,residence_code,registered_on\nS1,1980,11140,2015-02-30\n")
    done = _cli("run", "--source", str(folder), "--out", "report", cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "registered_on" in done.stderr and "2015-02-30" in done.stderr
    assert not (tmp_path / "report").exists() and not (tmp_path / "employkit-followup.sqlite").exists()


def test_a_folder_of_other_files_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    (tmp_path / "report" / "thesis.docx").write_text("mine")
    done = _cli("run", "--as-of", AS_OF, *ABC, "--out", "report", "--top", "1", cwd=tmp_path)
    assert done.returncode != 0 and "not overwritten" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "report" / "thesis.docx").read_text() == "mine"
