"""``employkit synth`` and the streaming writers behind it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs
import pytest

from employkit.dataset import Dataset
from employkit.errors import DataError
from employkit.model import Seeker
from employkit.sources import load
from employkit.sources.writers import FORMATS, format_for, open_sink, record_cells, write_records
from employkit.synth import JUNGGU_2015, build, generate, synth_centre

Run = Callable[..., subprocess.CompletedProcess[str]]

TARGET = {"csv": "out", "jsonl": "out", "sqlite": "out.sqlite", "xlsx": "out.xlsx"}


def ordered(data: Dataset) -> Dataset:
    """``data`` with employers and vacancies in id order (the stream writes them in generation order)."""
    return Dataset(
        seekers=data.seekers,
        employers=sorted(data.employers, key=lambda e: e.employer_id),
        vacancies=sorted(data.vacancies, key=lambda v: v.vacancy_id),
        placements=data.placements,
        followups=data.followups,
        centre=data.centre,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_synth_output_validates_and_equals_the_generated_centre(tmp_path: Path, run_cli: Run, fmt: str) -> None:
    out = tmp_path / TARGET[fmt]
    args = ["synth", "--seekers", "400", "--vacancies", "150", "--seed", "11", "--out", str(out), "--json"]
    result = run_cli(*args, *(["--format", fmt] if fmt == "jsonl" else []))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    spec = JUNGGU_2015.scaled(400, 150, seed=11).over(dt.date(2013, 1, 1), dt.date(2015, 12, 31))
    assert summary["format"] == fmt and summary["openings"] == spec.openings
    assert summary["rows"]["seekers"] == 400 + summary["re_registrations"]
    assert summary["rows"]["placements"] == spec.placements
    check = run_cli("validate", "--source", str(out), "--json")
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["errors"] == 0 and report["warnings"] == 0
    assert ordered(load(out)) == attrs.evolve(build(spec), centre=synth_centre(spec))


def test_synth_is_seeded_and_says_what_it_wrote(tmp_path: Path, run_cli: Run) -> None:
    for name, seed in [("a", "5"), ("b", "5"), ("c", "6")]:
        result = run_cli(
            "synth", "--seekers", "300", "--vacancies", "90", "--seed", seed, "--out", str(tmp_path / name)
        )
        assert result.returncode == 0 and result.stdout.startswith("wrote 3"), result.stdout
        assert "90 employers, 90 vacancies" in result.stdout and "2013-01-01–2015-12-31" in result.stdout
        assert result.stderr == ""  # no progress bar when standard error is not a terminal
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == ["centre.toml", "employers.csv", "followups.csv", "placements.csv", "seekers.csv", "vacancies.csv"]
    same = all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    assert same and (tmp_path / "a" / "seekers.csv").read_bytes() != (tmp_path / "c" / "seekers.csv").read_bytes()


def test_synth_refuses_bad_targets(tmp_path: Path, run_cli: Run) -> None:
    result = run_cli("synth", "--seekers", "10", "--vacancies", "5", "--out", str(tmp_path / "x"), "--format", "sqlite")
    assert result.returncode == 2 and ".sqlite" in result.stderr
    result = run_cli("synth", "--seekers", "10", "--vacancies", "5", "--out", str(tmp_path / "x.db"), "--format", "csv")
    assert result.returncode == 2 and "names a sqlite file" in result.stderr
    big = ["synth", "--seekers", "1048576", "--vacancies", "5", "--out", str(tmp_path / "x.xlsx")]
    result = run_cli(*big)
    assert result.returncode == 2 and "at most 1,048,576 rows" in result.stderr
    result = run_cli("synth", "--seekers", "0", "--vacancies", "5", "--out", str(tmp_path / "y"))
    assert result.returncode == 2
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.docx").write_bytes(b"precious")
    result = run_cli("synth", "--seekers", "10", "--vacancies", "5", "--out", str(tmp_path / "mine"))
    assert result.returncode == 2 and "holds other files (thesis.docx)" in result.stderr
    assert "Traceback" not in result.stderr and [p.name for p in (tmp_path / "mine").iterdir()] == ["thesis.docx"]


def test_format_for_suffixes() -> None:
    assert [format_for(n) for n in ["a", "a.SQLITE", "a.db", "a.xlsx", "a.csv"]] == [
        "csv",
        "sqlite",
        "sqlite",
        "xlsx",
        "csv",
    ]
    assert format_for("folder", "jsonl") == "jsonl"


@pytest.mark.parametrize("fmt", FORMATS)
def test_interrupted_stream_leaves_nothing(tmp_path: Path, fmt: str) -> None:
    def records() -> Iterator[tuple[str, object]]:
        for n, item in enumerate(generate(JUNGGU_2015.scaled(200, 50))):
            if n == 150:
                raise KeyboardInterrupt
            yield item

    with pytest.raises(KeyboardInterrupt):
        write_records(records(), tmp_path / TARGET[fmt], fmt)
    assert list(tmp_path.iterdir()) == []


def test_stream_with_a_centre_progress_and_small_sqlite_batches(tmp_path: Path) -> None:
    spec = JUNGGU_2015.scaled(250, 80, seed=2)
    seen: list[int] = []
    counts = write_records(generate(spec), tmp_path / "c.sqlite", centre=JUNGGU_2015.centre, progress=seen.append)
    assert sum(seen) == sum(counts.values()) and counts["employers"] == 80
    loaded = load(tmp_path / "c.sqlite")
    assert loaded.centre == JUNGGU_2015.centre
    assert ordered(loaded) == attrs.evolve(build(spec), centre=JUNGGU_2015.centre)
    with open_sink(tmp_path / "b.sqlite", batch=7) as sink:
        for table, record in generate(spec):
            sink.write(table, record_cells(table, record))
    assert ordered(load(tmp_path / "b.sqlite")) == build(spec)


def test_stream_names_a_cell_the_encoding_cannot_hold(tmp_path: Path) -> None:
    import datetime as dt

    seekers = [
        Seeker(seeker_id=f"S{i}", residence_code="11140", registered_on=dt.date(2016, 1, 4), birth_year=1970)
        for i in range(3)
    ]
    odd = Seeker(seeker_id="S9", residence_code="11140", registered_on=dt.date(2016, 1, 4), nationality="😀")
    with pytest.raises(DataError) as info:
        write_records([("seekers", s) for s in [*seekers, odd]], tmp_path / "out", encoding="cp949")
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == ("seekers.csv", 5, "nationality")
    assert list(tmp_path.iterdir()) == []


def test_empty_stream_still_writes_the_seekers_header(tmp_path: Path) -> None:
    assert write_records([], tmp_path / "out") == {"seekers": 0}
    assert (tmp_path / "out" / "seekers.csv").read_text(encoding="utf-8").startswith("seeker_id,birth_year,")
