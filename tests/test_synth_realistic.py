"""Dated synthetic centres: seasons over several years, exits, re-registrations, follow-ups, national mode."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from employkit.followup.retention import retention_feed, retention_rates
from employkit.metrics.report import kpi_report
from employkit.model import FollowUpOutcome
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, build, sample_centre
from employkit.synth_followup import REGISTRATION_SEASON, contact_points
from employkit.synth_national import national_districts, national_records

Run = Callable[..., subprocess.CompletedProcess[str]]
START, END = dt.date(2013, 1, 1), dt.date(2015, 12, 31)


@pytest.fixture(scope="module")
def dated():  # type: ignore[no-untyped-def]
    return build(JUNGGU_2015.scaled(12_000, 4_000, seed=4).over(START, END))


def test_every_month_of_every_year_has_registrations_and_placements(dated) -> None:  # type: ignore[no-untyped-def]
    months = [(y, m) for y in range(2013, 2016) for m in range(1, 13)]
    placed = Counter((p.start_date.year, p.start_date.month) for p in dated.placements)
    first = [s for s in dated.seekers if not s.seeker_id.endswith("R1")]
    registered = Counter((s.registered_on.year, s.registered_on.month) for s in first)
    assert all(placed[m] > 0 and registered[m] > 0 for m in months)
    # no climb through the year: December is within a factor 1.6 of the mean month, both ways
    mean = len(dated.placements) / 36
    assert all(mean / 1.6 < placed[(y, 12)] < mean * 1.6 for y in (2013, 2014, 2015))
    # January registrations are the peak of the assumed season, in the middle year (no edge effects)
    assert registered[(2014, 1)] == max(registered[(2014, m)] for m in range(1, 13))
    assert REGISTRATION_SEASON.index(max(REGISTRATION_SEASON)) == 0


def test_follow_ups_are_at_the_policy_points_with_plausible_outcomes(dated) -> None:  # type: ignore[no-untyped-def]
    placements = {p.placement_id: p for p in dated.placements}
    for c in dated.followups:
        p = placements[c.placement_id]
        due = {day for _, day in contact_points(p.start_date, p.contract_end, p.employment_type.code)}
        assert c.due_on in due and c.due_on <= c.contacted_on <= min(c.due_on + dt.timedelta(days=3), END)
    shares = Counter(c.outcome for c in dated.followups)
    total = sum(shares.values())
    assert 0.04 < shares[FollowUpOutcome.UNREACHABLE] / total < 0.12
    assert 0.5 < shares[FollowUpOutcome.STILL_EMPLOYED] / total < 0.9
    left = shares[FollowUpOutcome.LEFT_SEEKING] + shares[FollowUpOutcome.LEFT_NOT_SEEKING]
    assert 0.05 < left / total < 0.3
    # follow-up closes after a contact that found the person gone
    by_placement: dict[str, list[FollowUpOutcome]] = {}
    for c in sorted(dated.followups, key=lambda c: c.contacted_on):
        by_placement.setdefault(c.placement_id, []).append(c.outcome)
    gone = {FollowUpOutcome.LEFT_SEEKING, FollowUpOutcome.LEFT_NOT_SEEKING}
    assert all(not (set(o[:-1]) & gone) for o in by_placement.values())


def test_exits_and_re_registrations(dated) -> None:  # type: ignore[no-untyped-def]
    again = [s for s in dated.seekers if s.seeker_id.endswith("R1")]
    assert again
    by_id = dated.seekers_by_id
    ended = {p.seeker_id: p for p in dated.placements if p.ended_on is not None}
    for s in again:
        first = by_id[s.seeker_id.removesuffix("R1")]
        assert (s.birth_year, s.gender, s.residence_code) == (first.birth_year, first.gender, first.residence_code)
        assert ended[first.seeker_id].ended_on < s.registered_on <= END  # type: ignore[operator]


def test_retention_has_values_on_synth_output_and_on_the_sample(dated) -> None:  # type: ignore[no-untyped-def]
    system = RuleSystem.build()
    report = kpi_report(dated, system, END, year=2014)
    for key in ("retention_1m", "retention_3m", "retention_6m", "retention_12m"):
        v = report.get(key).value
        assert v.value is not None and 20 < v.value < 95, (key, v.value)
    # the sample is 2015's records as extracted at the end of 2015: contacts reach 1, 3 and 6 months
    sample = kpi_report(sample_centre(), system, dt.date(2016, 12, 31), year=2015)
    assert all(sample.get(f"retention_{m}m").value.value is not None for m in (1, 3, 6))
    assert sample.get("retention_12m").value.value is None  # nobody placed in 2015 had a year by then
    # the follow-up module's feed sees the same contacts: rates fall with time
    rates = retention_rates(retention_feed(dated.placements, dated.followups, as_of=END))
    shares = [rates[m][0] / rates[m][1] for m in (1, 3, 6, 12)]
    assert shares == sorted(shares, reverse=True) and shares[0] > 0.8


def test_the_sample_keeps_its_totals_and_gains_contacts_at_the_policy_points() -> None:
    data = sample_centre()
    assert (len(data.seekers), len(data.placements)) == (3110, 1095)
    placements = {p.placement_id: p for p in data.placements}
    kinds = Counter(
        kind
        for c in data.followups
        for kind, day in contact_points(
            placements[c.placement_id].start_date,
            placements[c.placement_id].contract_end,
            placements[c.placement_id].employment_type.code,
        )
        if day == c.due_on
    )
    assert {"start_day", "week_1", "month_1", "month_3", "month_6"} <= set(kinds)
    assert max(c.contacted_on for c in data.followups) <= dt.date(2015, 12, 31)


def test_national_mode_covers_every_district_with_unique_ids() -> None:
    spec = JUNGGU_2015.over(START, END)
    seen: Counter[str] = Counter()
    regions: set[str] = set()
    ids: set[str] = set()
    for table, record in national_records(spec, 6_000, 2_500):
        seen[table] += 1
        if table == "seekers":
            ids.add(record.seeker_id)  # type: ignore[attr-defined]
        if table == "employers":
            regions.add(record.region_code)  # type: ignore[attr-defined]
    assert seen["employers"] == 2_500 and seen["seekers"] >= 6_000 and len(ids) == seen["seekers"]
    # the districts of 2013–2015: 군위군 is still 경상북도's (47720, 대구's 27720 from 2023-07-01),
    # 춘천 is 42110 (51110 from 2023-06-11); 여주 changed within the period and is left out
    assert regions == set(national_districts(START, END)) and len(regions) == 228
    assert {"47720", "42110"} <= regions and not {"27720", "51110", "41730", "41670"} & regions
    assert len(national_districts()) == 229  # the end of 2024


def test_every_record_of_the_national_mode_is_valid_on_its_dates() -> None:
    from employkit.codes import regions as region_table
    from employkit.dataset import Dataset

    spec = JUNGGU_2015.over(START, END)
    tables: dict[str, list[object]] = {}
    for table, record in national_records(spec, 1_500, 600):
        tables.setdefault(table, []).append(record)
    data = Dataset(**tables)  # type: ignore[arg-type]
    known = region_table()
    assert all(known[s.residence_code].valid_on(s.registered_on) for s in data.seekers)
    assert all(known[v.region_code].valid_on(v.posted_on) for v in data.vacancies)
    assert national_districts() != national_districts(START, END)  # the country changed between


def test_benchmark_still_exports_the_generator() -> None:
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "national_month.py"
    spec = importlib.util.spec_from_file_location("national_month_bench", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seekers, vacancies = module.month_tables(500, 200)
    assert len(seekers) == 500 and len(vacancies) == 200
    assert {"PROVINCES", "MIDDLE_GROUPS", "CERTIFICATES", "month_tables"} <= set(vars(module))


def test_cli_writes_years_and_the_centre_with_its_period(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "c"
    result = run_cli("synth", "--seekers", "800", "--vacancies", "300", "--years", "2", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["period"] == {"start": "2014-01-01", "end": "2015-12-31", "extracted": "2015-12-31"}
    centre = tomllib.loads((out / "centre.toml").read_text(encoding="utf-8"))["centre"]
    assert centre["period_start"] == dt.date(2014, 1, 1) and centre["period_end"] == END
    assert centre["level"] == "district" and set(centre["targets"]) == {"2014", "2015"}
    kpi = run_cli("kpi", "--source", str(out), "--year", "2015", "--as-of", "2015-12-31", "--format", "json")
    assert kpi.returncode == 0, kpi.stderr
    values = {k["id"]: k for k in json.loads(kpi.stdout)["kpis"]}
    assert values["retention_3m"]["value"] is not None
    bad = run_cli(
        "synth",
        "--seekers",
        "10",
        "--vacancies",
        "5",
        "--years",
        "2",
        "--start",
        "2015-01-01",
        "--out",
        str(tmp_path / "z"),
    )
    assert bad.returncode == 2 and "not both" in bad.stderr and "Traceback" not in bad.stderr
