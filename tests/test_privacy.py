"""Personal data: resident numbers never get through, ids are pseudonymised, small cells stay hidden.

The run tests use a copy of part of the bundled sample centre (its first placements, their
seekers, employers and vacancies, and more seekers and vacancies), written as CSV files,
with counsellors' notes on its follow-up contacts.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner, Result

from employkit.cli import State, cli
from employkit.config import load_config, parse_config
from employkit.dataset import Dataset
from employkit.errors import ConfigError, DataError
from employkit.metrics.base import KpiValue
from employkit.metrics.report import KpiReport, kpi_report
from employkit.privacy import KEY_ENV, pseudonym_key, pseudonymise, pseudonymiser, refuse_rrn
from employkit.profiling.api import pseudonym
from employkit.rules import RuleSystem
from employkit.sources.cells import find_rrn
from employkit.sources.readers import write_csv_folder
from employkit.synth import sample_centre

AS_OF = "2016-01-04"
TYPOLOGIES = ("--typology", "profiling.seeker.junggu", "--employer-typology", "profiling.employer.junggu.visits")
KEY = "a-centre-secret-of-32-characters"

#: Resident numbers as counsellors might type them into notes: with a dash, without,
#: with a space, with full-width digits and an en dash.
SEEDED = ("850315-2345678", "7702141234567", "801224 1234567", "６００１０１－２３４５６７８", "010203–3456789")


# ------------------------------------------------------------------ the dataset


def _part_of_the_sample() -> Dataset:
    """The sample centre's first 60 placements with what they refer to, plus 100 seekers and 30 vacancies."""
    sample = sample_centre()
    placements = sample.placements[:60]
    seeker_ids = {p.seeker_id for p in placements} | {s.seeker_id for s in sample.seekers[:100]}
    vacancy_ids = {p.vacancy_id for p in placements if p.vacancy_id} | {v.vacancy_id for v in sample.vacancies[:30]}
    vacancies = [v for v in sample.vacancies if v.vacancy_id in vacancy_ids]
    employer_ids = {p.employer_id for p in placements} | {v.employer_id for v in vacancies}
    placement_ids = {p.placement_id for p in placements}
    followups = [
        attrs.evolve(f, note=f"{i}번째 연락: 본인 통화, 근무 만족", counsellor="김상담")
        for i, f in enumerate(c for c in sample.followups if c.placement_id in placement_ids)
    ]
    assert len(followups) >= len(SEEDED)
    return Dataset(
        seekers=[s for s in sample.seekers if s.seeker_id in seeker_ids],
        employers=[e for e in sample.employers if e.employer_id in employer_ids],
        vacancies=vacancies,
        placements=placements,
        followups=followups,
        centre=sample.centre,
        origin="part of the sample",
    )


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The part of the sample as a folder of CSV files, notes without resident numbers."""
    return write_csv_folder(_part_of_the_sample(), tmp_path_factory.mktemp("clean") / "centre")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same, with a resident number in five counsellors' notes."""
    data = _part_of_the_sample()
    followups = list(data.followups)
    for i, number in enumerate(SEEDED):
        followups[i * 3] = attrs.evolve(followups[i * 3], note=f"본인 확인 — 주민번호 {number} (전화로 확인)")
    seeded = attrs.evolve(data, followups=followups)
    return write_csv_folder(seeded, tmp_path_factory.mktemp("seeded") / "centre")


def _run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(cli, ["run", "--as-of", AS_OF, *TYPOLOGIES, *args], obj=State(), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def _texts(folder: Path) -> Iterator[tuple[str, str]]:
    """Every file under ``folder`` as text; a SQLite database as its SQL dump."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"SQLite format 3"):
            db = sqlite3.connect(path)
            yield path.name, "\n".join(db.iterdump())
            db.close()
        elif path.suffix == ".png":
            yield path.name, data.decode("latin-1")  # chart labels are drawn, but metadata is text
        else:
            yield path.name, data.decode("utf-8")


def _digits(text: str) -> str:
    return "".join(str(int(ch)) for ch in text if ch.isdigit())


def _assert_none_of_seeded(name: str, text: str) -> None:
    digits = _digits(text)
    for number in SEEDED:
        assert number not in text, f"{number} in {name}"
        assert _digits(number) not in digits, f"the digits of {number} in {name}"
    assert not find_rrn(text), f"something like a resident number in {name}"


# ------------------------------------------------------------------ resident numbers


def test_a_run_over_resident_numbers_in_notes_refuses_and_leaks_none(
    seeded: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, store = tmp_path / "report", tmp_path / "followup.sqlite"
    with caplog.at_level(logging.DEBUG):
        result = _run("--source", str(seeded), "--out", str(out), "--store", str(store))
    assert result.exit_code == 2
    assert result.stderr.count("resident registration number") == len(SEEDED)
    assert "followups.csv" in result.stderr and "column 'note'" in result.stderr
    assert "******-*******" in result.stderr
    # every output of the run: its messages, its logs, the report folder and the store
    outputs = [("stdout", result.stdout), ("stderr", result.stderr)]
    outputs += [(f"log {r.name}", r.getMessage()) for r in caplog.records]
    outputs += list(_texts(tmp_path))
    for name, text in outputs:
        _assert_none_of_seeded(name, text)
    assert not out.exists() and not store.exists()  # the run wrote nothing


def test_validate_names_each_note_masked(seeded: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--source", str(seeded), "--json"], obj=State())
    assert result.exit_code == 1
    _assert_none_of_seeded("validate", result.output)
    assert result.output.count('"column": "note"') == len(SEEDED)


def test_a_clean_run_writes_nothing_that_looks_like_a_resident_number(
    clean: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    out, store = tmp_path / "report", tmp_path / "followup.sqlite"
    with caplog.at_level(logging.DEBUG):
        result = _run("--source", str(clean), "--out", str(out), "--store", str(store))
    assert result.exit_code == 0, result.output
    names = {name for name, _ in _texts(tmp_path)}
    assert {"report.html", "matches.csv", "followups.csv", "kpis.json", "followup.sqlite"} <= names
    notes = "\n".join(text for name, text in _texts(tmp_path) if name == "followup.sqlite")
    assert "번째 연락: 본인 통화" in notes  # the notes themselves were kept
    for name, text in [("stdout", result.output), *((r.name, r.getMessage()) for r in caplog.records)]:
        assert not find_rrn(text), name
    for name, text in _texts(tmp_path):
        assert not find_rrn(text), name


def test_refuse_rrn_is_for_text_from_elsewhere() -> None:
    refuse_rrn(None, where="note")
    refuse_rrn("전화번호 010-1234-5678, 1,500,000원", where="note")
    for number in SEEDED:
        with pytest.raises(DataError) as info:
            refuse_rrn(f"메모 {number}", where="note", file="record", row=7)
        (problem,) = info.value.problems
        assert (problem.file, problem.row, problem.column) == ("record", 7, "note")
        _assert_none_of_seeded("message", str(info.value))


def test_a_configuration_with_a_resident_number_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "employkit.toml"
    path.write_text('[followup]\ncontacts = ["김상담 850315-2345678"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"followup\.contacts\[0\] looks like a resident registration number") as info:
        load_config(path)
    _assert_none_of_seeded("message", str(info.value))
    result = CliRunner().invoke(cli, ["--config", str(path), "run", "--out", str(tmp_path / "r")])
    assert result.exit_code == 2 and "******-*******" in result.stderr
    _assert_none_of_seeded("stderr", result.output)
    assert not (tmp_path / "r").exists()


# ------------------------------------------------------------------ pseudonyms


def test_pseudonymise_is_a_keyed_hmac_sha256() -> None:
    import hashlib
    import hmac

    expected = "P" + hmac.new(KEY.encode(), b"S0000001", hashlib.sha256).hexdigest()[:16]
    assert pseudonymise("S0000001", KEY) == expected == pseudonym("S0000001", KEY)
    assert pseudonymise("S0000001", KEY + "x") != expected
    assert re.fullmatch(r"P[0-9a-f]{16}", pseudonymise("구직자-1", KEY))
    ids = [f"S{n:07d}" for n in range(5000)]
    assert len({pseudonymise(i, KEY) for i in ids}) == len(ids)
    apply = pseudonymiser(KEY)
    assert [apply(i) for i in ids[:3]] == [pseudonymise(i, KEY) for i in ids[:3]]


def test_the_key_comes_from_the_configuration_else_the_environment(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no pseudonym key") as info:
        pseudonym_key(None, environ={})
    assert "no built-in key" in str(info.value)
    config = parse_config({"privacy": {"pseudonym_key": KEY}}, str(tmp_path / "employkit.toml"))
    assert pseudonym_key(config, environ={}) == KEY
    assert pseudonym_key(RuleSystem.build(config), environ={}) == KEY
    # the centre's own key wins over the process environment (several centres in one process)
    assert pseudonym_key(config, environ={KEY_ENV: " from-the-environment-0123 "}) == KEY
    assert pseudonym_key(None, environ={KEY_ENV: " from-the-environment-0123 "}) == "from-the-environment-0123"
    (tmp_path / "secret.key").write_text(KEY[::-1] + "\n", encoding="utf-8")
    (tmp_path / "secret.key").chmod(0o644)
    by_file = parse_config({"privacy": {"pseudonym_key_file": "secret.key"}}, str(tmp_path / "employkit.toml"))
    with pytest.raises(ConfigError, match="other users can read"):
        pseudonym_key(by_file, environ={})
    (tmp_path / "secret.key").chmod(0o600)
    assert pseudonym_key(by_file, environ={}) == KEY[::-1]
    missing = parse_config({"privacy": {"pseudonym_key_file": "nowhere.key"}}, str(tmp_path / "employkit.toml"))
    with pytest.raises(ConfigError, match="cannot read the key"):
        pseudonym_key(missing, environ={})
    with pytest.raises(ConfigError, match="too short") as short:
        pseudonym_key(None, environ={KEY_ENV: "hunter2"})
    assert "hunter2" not in str(short.value)
    with pytest.raises(ConfigError, match=r"privacy\.pseudonym_key must be a string"):
        parse_config({"privacy": {"pseudonym_key": 12345}})


def test_pseudonymised_run_publishes_no_raw_id(clean: Path, tmp_path: Path) -> None:
    data = _part_of_the_sample()
    out = tmp_path / "report"
    refused = _run("--source", str(clean), "--out", str(out), "--pseudonymise", env={KEY_ENV: ""})
    assert refused.exit_code == 2 and "no pseudonym key" in refused.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []
    result = _run(
        "--source", str(clean), "--out", str(out), "--store", str(tmp_path / "f.sqlite"), "--pseudonymise",
        env={KEY_ENV: KEY},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    raw = {s.seeker_id for s in data.seekers} | {p.placement_id for p in data.placements}
    word = re.compile(r"[SP]\d{7}")
    published = dict(_texts(out))
    for name, text in published.items():
        leaked = set(word.findall(text)) & raw
        assert not leaked, f"{name}: {sorted(leaked)[:3]}"
    seekers = {pseudonymise(s.seeker_id, KEY) for s in data.seekers}
    placements = {pseudonymise(p.placement_id, KEY) for p in data.placements}
    assert len(seekers & set(re.findall(r"P[0-9a-f]{16}", published["profiles.csv"]))) == len(data.seekers)
    assert set(re.findall(r"P[0-9a-f]{16}", published["matches.csv"])) & seekers
    assert set(re.findall(r"P[0-9a-f]{16}", published["followups.csv"])) & placements
    assert set(re.findall(r"P[0-9a-f]{16}", published["report.html"])) <= placements


# ------------------------------------------------------------------ small cells

BREAKDOWNS = ("age_band", "occupation", "month", "residence", "wage_band")


@pytest.fixture(scope="module")
def reports() -> dict[str, tuple[KpiReport, KpiReport]]:
    """The sample's KPIs by each breakdown: as published, and unsuppressed (the truth)."""
    data, system, day = sample_centre(), RuleSystem.build(), dt.date.fromisoformat(AS_OF)
    return {
        by: (kpi_report(data, system, day, by=by), kpi_report(data, system, day, by=by, publish=False))
        for by in BREAKDOWNS
    }


def _attack(value: KpiValue, real: KpiValue) -> Iterator[tuple[str, str, float, float]]:
    """``(cell, figure, least, most)`` for each hidden figure, from the published total and cells.

    The attacker's unknowns are the hidden cells' numerators and denominators (each ≥ 0,
    a numerator at most its denominator for a proportion); what is known is that the
    cells add up to the published total (when they do in the truth). Linear programs
    give the least and the most each unknown can be.
    """
    from scipy.optimize import linprog

    hidden = [k for k, c in value.breakdown.items() if c.suppressed]
    figures = [
        f
        for f in ("numerator", "denominator")
        if getattr(value, f) is not None
        and sum(getattr(c, f) or 0 for c in real.breakdown.values()) == getattr(value, f)
    ]
    n = len(hidden) * len(figures)
    if not n:
        return
    rows, rhs = [], []
    for j, figure in enumerate(figures):
        shown = sum(getattr(c, figure) for k, c in value.breakdown.items() if k not in hidden)
        rows.append([1.0 if i // len(hidden) == j else 0.0 for i in range(n)])
        rhs.append(getattr(value, figure) - shown)
    upper: list[list[float]] = []
    if value.bounded and len(figures) == 2:
        for i in range(len(hidden)):  # numerator_i - denominator_i <= 0
            upper.append([1.0 if k == i else -1.0 if k == len(hidden) + i else 0.0 for k in range(n)])
    for j, figure in enumerate(figures):
        for i, cell in enumerate(hidden):
            found = []
            for sign in (1.0, -1.0):
                goal = [0.0] * n
                goal[j * len(hidden) + i] = sign
                solved = linprog(
                    goal, A_ub=upper or None, b_ub=[0.0] * len(upper) or None, A_eq=rows, b_eq=rhs, bounds=(0, None)
                )
                assert solved.status == 0, solved.message
                found.append(sign * solved.fun)
            yield cell, figure, found[0], found[1]


def test_a_suppressed_cell_cannot_be_recovered_from_the_total_and_the_other_cells(
    reports: dict[str, tuple[KpiReport, KpiReport]],
) -> None:
    attacked = 0
    for by, (published, truth) in reports.items():
        for result in published.results:
            value = result.value
            if result.error or value.suppressed or not value.breakdown:
                continue
            hidden = [k for k, c in value.breakdown.items() if c.suppressed]
            if not hidden:
                continue
            assert len(hidden) >= 2, f"{by} {value.kpi_id}: a lone hidden cell"  # secondary suppression
            real = truth.get(value.kpi_id).value
            for cell, figure, low, high in _attack(value, real):
                attacked += 1
                # A zero is published anyway (it singles nobody out); any count of people must stay unpinned.
                if getattr(real.breakdown[cell], figure) > 0:
                    assert high - low >= 1, f"{by} {value.kpi_id} {cell}: the {figure} is pinned to {low}..{high}"
                assert low <= getattr(real.breakdown[cell], figure) <= high  # the attack itself is sound
    assert attacked >= 40  # the sample has suppressed cells in several breakdowns


def test_a_small_count_cannot_be_recovered_from_other_kpis_of_the_same_report(
    reports: dict[str, tuple[KpiReport, KpiReport]],
) -> None:
    published, truth = reports["month"]
    min_cell = published.min_cell or 5
    # what an attacker reads: every published breakdown figure, by KPI, figure and cell
    figures: dict[tuple[str, str], dict[str, float | None]] = {}
    totals: dict[tuple[str, str], float] = {}
    for r in published.results:
        if r.error or r.value.suppressed or not r.value.breakdown:
            continue
        for figure in ("numerator", "denominator"):
            total = getattr(r.value, figure)
            if total is not None:
                cells = r.value.breakdown.items()
                figures[r.value.kpi_id, figure] = {k: None if c.suppressed else getattr(c, figure) for k, c in cells}
                totals[r.value.kpi_id, figure] = total
    recovered = []
    for key, cells in figures.items():
        # figures with the same total that agree wherever both are shown count the same people
        same = [
            other
            for other, theirs in figures.items()
            if totals[other] == totals[key]
            and theirs.keys() == cells.keys()
            and all(cells[k] == theirs[k] for k in cells if cells[k] is not None and theirs[k] is not None)
        ]
        known = {k: v for other in same for k, v in figures[other].items() if v is not None}
        unknown = [k for k in cells if k not in known]
        if len(unknown) == 1:
            known[unknown[0]] = totals[key] - sum(known.values())
        real = truth.get(key[0]).value.breakdown
        for cell, v in cells.items():
            if v is None and cell in known and 0 < getattr(real[cell], key[1]) < min_cell:
                recovered.append((key, cell, known[cell]))
    assert not recovered, recovered
