"""The KPI set over 10M placement rows: the columnar path against the record path.

:func:`employkit.metrics.report.kpi_report` works on a :class:`~employkit.dataset.Dataset`
of records (about a kilobyte each); :func:`employkit.metrics.report.kpi_report_frames`
computes the same report on pandas DataFrames, column by column. This script

1. builds, with numpy and pandas (seeded, no Dataset objects), the tables of a centre
   with ``--rows`` placements (10M) and Jung-gu 2015's proportions: seekers
   (3,110 per 1,095 placements), employers with one vacancy each, openings, and one
   follow-up contact per placement; integer ids, categorical codes;
2. times ``kpi_report_frames`` on them (every national KPI: formulas, funnel, the four
   retention series; once without a breakdown and once by age band) and prints wall
   time, CPU time (the wall time on a shared machine depends on its load), placement
   rows per second and the process's peak memory;
3. times the record path on a synthetic centre of ``--record-rows`` placements (100k),
   checks that the columnar path gives the same report on it, and prints the ratio of
   rows per second.

The goal (issue 9) is the KPI set over 10M placement rows in ≤ 20 s on a 2-core machine.

    python benchmarks/kpi_scale.py [--rows 10000000] [--record-rows 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time

import numpy as np
import pandas as pd

from employkit.frames import to_frames
from employkit.metrics.report import KpiReport, kpi_report, kpi_report_frames
from employkit.model import Centre, CentreLevel, EmploymentType, FollowUpOutcome, Gender
from employkit.synth import JUNGGU_2015, build
from employkit.testing import make_system

DAY = dt.date(2016, 6, 30)
CENTRE = Centre(name="benchmark", level=CentreLevel.DISTRICT, region_code="11140", targets={2015: 2_300_000})
OCCUPATIONS = ["5611", "5411", "5412", "0231", "4211", "4411", "6211", "7011", "8911", "5521"]
OCCUPATION_SHARE = [44, 12, 8, 11, 7, 7, 5, 2, 2, 2]
TYPE_SHARE = [40, 20, 18, 12, 6, 4, 2, 2, 2, 2, 2, 2, 2][: len(EmploymentType)]
REGIONS = ["11140", "11110", "11170", "11200", "11230", "41131"]


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _dates(rng: np.random.Generator, n: int, start: str, days: int) -> np.ndarray:
    return np.datetime64(start, "ns") + rng.integers(0, days, n).astype("timedelta64[D]")


def _category(rng: np.random.Generator, n: int, codes: list[str], weights: list[float]) -> pd.Categorical:
    p = np.asarray(weights, dtype=float) / sum(weights)
    return pd.Categorical.from_codes(rng.choice(len(codes), n, p=p), categories=codes)


def make_frames(placements: int, seed: int = 9) -> dict[str, pd.DataFrame]:
    """The five tables of a centre with ``placements`` placements, built directly as columns."""
    rng = np.random.default_rng(seed)
    seekers = round(placements * JUNGGU_2015.seekers / JUNGGU_2015.placements)
    vacancies = round(placements * JUNGGU_2015.employers / JUNGGU_2015.placements)
    types = [t.code for t in EmploymentType]
    resident = rng.random(seekers) < JUNGGU_2015.resident_placements / JUNGGU_2015.placements
    residence = np.where(resident, 0, rng.integers(1, len(REGIONS), seekers))
    seeker_frame = pd.DataFrame(
        {
            "seeker_id": np.arange(seekers, dtype=np.int64),
            "birth_year": pd.array(rng.integers(1936, 1998, seekers), dtype="Int64"),
            "gender": _category(rng, seekers, [g.code for g in Gender], [48, 51, 1]),
            "residence_code": pd.Categorical.from_codes(residence, categories=REGIONS),
            "registered_on": _dates(rng, seekers, "2015-01-01", 365),
        }
    )
    placed = rng.choice(seekers, placements, replace=False)
    registered = seeker_frame["registered_on"].to_numpy()[placed]
    start = registered + rng.integers(0, 150, placements).astype("timedelta64[D]")
    start = np.minimum(start, np.datetime64("2015-12-31", "ns"))
    wage = pd.array(rng.integers(70, 281, placements) * 10_000, dtype="Int64")
    wage[rng.random(placements) < 0.02] = pd.NA
    ended = np.where(
        rng.random(placements) < 0.2,
        start + rng.integers(10, 400, placements).astype("timedelta64[D]"),
        np.datetime64("NaT", "ns"),
    )
    placement_frame = pd.DataFrame(
        {
            "placement_id": np.arange(placements, dtype=np.int64),
            "seeker_id": placed.astype(np.int64),
            "employer_id": rng.integers(0, vacancies, placements),
            "vacancy_id": rng.integers(0, vacancies, placements),
            "start_date": start,
            "employment_type": _category(rng, placements, types, TYPE_SHARE),
            "monthly_wage": wage,
            "occupation": _category(rng, placements, OCCUPATIONS, OCCUPATION_SHARE),
            "via_referral": pd.array(rng.random(placements) < 0.6, dtype="boolean"),
            "ended_on": ended,
        }
    )
    vacancy_frame = pd.DataFrame(
        {
            "vacancy_id": np.arange(vacancies, dtype=np.int64),
            "employer_id": np.arange(vacancies, dtype=np.int64),
            "occupation": _category(rng, vacancies, OCCUPATIONS, OCCUPATION_SHARE),
            "openings": pd.array(rng.integers(1, 4, vacancies), dtype="Int64"),
            "employment_type": _category(rng, vacancies, types, TYPE_SHARE),
            "region_code": pd.Categorical.from_codes(rng.integers(0, len(REGIONS), vacancies), categories=REGIONS),
            "posted_on": _dates(rng, vacancies, "2015-01-01", 365),
            "offered_wage": pd.array(rng.integers(70, 281, vacancies) * 10_000, dtype="Int64"),
        }
    )
    employer_frame = pd.DataFrame(
        {
            "employer_id": np.arange(vacancies, dtype=np.int64),
            "employees": pd.array(rng.integers(1, 300, vacancies), dtype="Int64"),
            "region_code": vacancy_frame["region_code"],
        }
    )
    outcomes = [o.code for o in FollowUpOutcome]
    followup_frame = pd.DataFrame(
        {
            "placement_id": np.arange(placements, dtype=np.int64),
            "contacted_on": start + rng.integers(20, 400, placements).astype("timedelta64[D]"),
            "outcome": _category(rng, placements, outcomes, [60, 8, 4, 8, 5, 5, 10]),
        }
    )
    return {
        "seekers": seeker_frame,
        "employers": employer_frame,
        "vacancies": vacancy_frame,
        "placements": placement_frame,
        "followups": followup_frame,
    }


def _same(a: KpiReport, b: KpiReport) -> bool:
    return a.results == b.results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000_000, help="placement rows, columnar path")
    parser.add_argument("--record-rows", type=int, default=100_000, help="placement rows, record path")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"KPI set: {os.cpu_count()} CPUs, load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (shared)")
    system = make_system()
    n = args.rows

    start = time.perf_counter()
    frames = make_frames(n)
    t_make = time.perf_counter() - start
    sizes = ", ".join(f"{t} {len(f):,}" for t, f in frames.items())
    mib = sum(f.memory_usage(deep=True).sum() for f in frames.values()) / 2**20
    print(f"columnar path: frames built in {t_make:.1f} s ({sizes}; {mib:,.0f} MiB)")
    timings = {}
    for by in (None, "age_band"):
        start, cpu = time.perf_counter(), time.process_time()
        report = kpi_report_frames(frames, system, DAY, year=2015, by=by, centre=CENTRE)
        timings[by] = time.perf_counter() - start
        cpu = time.process_time() - cpu
        errors = [r.rule_id for r in report.results if r.error]
        rate = report.get("employment_rate").value
        verdict = "OK" if timings[by] <= 20 else "OVER"
        print(
            f"  kpi_report_frames by={by}: {timings[by]:6.2f} s ({cpu:.2f} s CPU) = "
            f"{n / timings[by]:>12,.0f} placement rows/s, "
            f"goal <= 20 s: {verdict} ({len(report.results)} KPIs, errors: {errors or 'none'}; employment rate "
            f"{rate.numerator:,}/{rate.denominator:,} = {rate.shown})"
        )
    best = timings[None]
    print(f"  peak RSS {peak_rss_mib():,.0f} MiB (the frames included)")
    del frames, report

    size = args.record_rows
    seekers = round(size * JUNGGU_2015.seekers / JUNGGU_2015.placements)
    employers = max(1, round(seekers * JUNGGU_2015.employers / JUNGGU_2015.seekers))
    data = build(JUNGGU_2015.scaled(seekers, employers))
    data = type(data)(
        seekers=data.seekers,
        employers=data.employers,
        vacancies=data.vacancies,
        placements=data.placements,
        followups=data.followups,
        centre=CENTRE,
        origin=data.origin,
    )
    start = time.perf_counter()
    expected = kpi_report(data, system, DAY, year=2015)
    t_record = time.perf_counter() - start
    record_rate = size / t_record
    small = to_frames(data)
    start = time.perf_counter()
    found = kpi_report_frames(small, system, DAY, year=2015, centre=CENTRE, origin=data.origin)
    t_small = time.perf_counter() - start
    print(
        f"record path: kpi_report on {size:,} placements ({len(data.seekers):,} seekers): {t_record:.2f} s = "
        f"{record_rate:,.0f} rows/s; columnar on the same rows {t_small:.2f} s; same report: {_same(expected, found)}"
    )
    print(f"ratio (rows/s, columnar {n:,} rows vs record {size:,} rows): {n / best / record_rate:,.0f}x")


if __name__ == "__main__":
    main()
