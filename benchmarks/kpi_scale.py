"""The KPI set over many placement rows: how far the record path goes, and the goal of 10M rows.

:func:`employkit.metrics.report.kpi_report` works on a :class:`~employkit.dataset.Dataset`
of records. A placement record costs about a kilobyte in memory, so 10,000,000 placements
(plus their seekers) do not fit the record path on a 24 GiB machine. This script

1. times the full KPI set (``kpi_report``, every national KPI) on synthetic centres of
   growing size (``--sizes``, placements), prints rows per second and peak memory, and
   extrapolates to 10M rows;
2. times the core counts of that report — employment rate (placements / seekers),
   placements by age band and by monthly wage band, residents' share — over
   ``--rows`` (10M) placement rows held as numpy columns, checking on the largest record
   size that the counts agree with the record path's.

The goal (issue 9) is the KPI set over 10M placement rows in ≤ 20 s; the script says
which part meets it and which does not.

    python benchmarks/kpi_scale.py [--sizes 20000 100000] [--rows 10000000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import time
from collections.abc import Mapping

import numpy as np

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.synth import AGE_BANDS, JUNGGU_2015, WAGE_BANDS, build
from employkit.testing import make_system

DAY = dt.date(2015, 12, 31)


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mib() -> float:
    """The process's resident memory now, in MiB (Linux; the peak elsewhere)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return peak_rss_mib()


def record_path(placements: int) -> tuple[float, float, Dataset]:
    """Seconds to build a centre with ``placements`` placements, and to compute its KPI report."""
    seekers = round(placements * JUNGGU_2015.seekers / JUNGGU_2015.placements)
    employers = max(1, round(seekers * JUNGGU_2015.employers / JUNGGU_2015.seekers))
    start = time.perf_counter()
    data = build(JUNGGU_2015.scaled(seekers, employers))
    t_build = time.perf_counter() - start
    system = make_system()
    start = time.perf_counter()
    kpi_report(data, system, DAY, year=2015)
    return t_build, time.perf_counter() - start, data


def core_counts(
    seekers: int, birth_year: np.ndarray, wage: np.ndarray, resident: np.ndarray, year: int
) -> Mapping[str, object]:
    """Employment rate, placements by age band and by wage band, residents' share, from columns."""
    n = birth_year.shape[0]
    age = year - birth_year
    by_age = {band: int(np.count_nonzero((age >= lo) & (age <= hi))) for band, (lo, hi) in AGE_BANDS.items()}
    edges = [lo for lo, _ in WAGE_BANDS.values()]
    band = np.searchsorted(np.asarray(edges), wage, side="right") - 1
    counts = np.bincount(band[band >= 0], minlength=len(edges))
    by_wage = dict(zip(WAGE_BANDS, counts.tolist(), strict=True))
    return {
        "employment_rate": n / seekers * 100,
        "by_age": by_age,
        "by_wage": by_wage,
        "resident_share": float(np.count_nonzero(resident)) / n * 100,
    }


def columns_of(data: Dataset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The placement columns the core counts read, from records (for the cross-check)."""
    seekers = data.seekers_by_id
    born = np.array([seekers[p.seeker_id].born or 0 for p in data.placements])
    wage = np.array([p.monthly_wage or 0 for p in data.placements])
    home = (data.centre.region_code if data.centre else None) or "11140"
    resident = np.array([seekers[p.seeker_id].residence_code == home for p in data.placements])
    return born, wage, resident


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000], help="placements, record path")
    parser.add_argument("--rows", type=int, default=10_000_000, help="placement rows, columnar core counts")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"KPI set: {os.cpu_count()} CPUs, load average {load[0]:.2f} (shared machine)")
    print("record path (kpi_report over a Dataset, every national KPI):")
    rate = 0.0
    data = None
    growth: list[tuple[int, float]] = []
    for size in args.sizes:
        data = None  # let the previous centre go before building the next
        t_build, t_report, data = record_path(size)
        growth.append((size, current_rss_mib()))
        rate = size / t_report
        print(
            f"  {size:>10,} placements ({len(data.seekers):,} seekers): build {t_build:7.1f} s, "
            f"KPI report {t_report:7.2f} s = {rate:>10,.0f} rows/s, peak RSS {peak_rss_mib():,.0f} MiB"
        )
    if len(growth) > 1 and growth[-1][0] > growth[0][0]:
        per_row_mib = (growth[-1][1] - growth[0][1]) / (growth[-1][0] - growth[0][0])
    else:
        per_row_mib = growth[-1][1] / growth[-1][0]
    print(
        f"  10,000,000 rows extrapolated: KPI report about {10_000_000 / rate:,.0f} s, "
        f"memory about {per_row_mib * 10_000_000 / 1024:,.0f} GiB of records (placements and their seekers) "
        "— does not fit this path (goal 20 s)"
    )
    assert data is not None
    born, wage, resident = columns_of(data)
    check = core_counts(len(data.seekers), born, wage, resident, 2015)
    report = kpi_report(data, make_system(), DAY, year=2015)
    found = report.get("employment_rate")
    recorded = found.value.value if found is not None and found.value is not None else None
    print(
        f"  cross-check on {len(born):,} rows: employment rate from columns {check['employment_rate']:.3f}%, "
        f"record path {recorded if recorded is None else round(float(recorded), 3)}%"
    )

    rng = np.random.default_rng(10)
    n = args.rows
    start = time.perf_counter()
    born = rng.integers(1936, 1996, n)
    wage = rng.integers(70, 281, n) * 10_000
    resident = rng.random(n) < 0.44
    t_make = time.perf_counter() - start
    start = time.perf_counter()
    counts = core_counts(round(n * 3110 / 1095), born, wage, resident, 2015)
    t_counts = time.perf_counter() - start
    verdict = "OK" if t_counts <= 20 else "OVER"
    print(
        f"columnar core counts over {n:,} placement rows (numpy): "
        f"columns {t_make:.2f} s, counts {t_counts:.2f} s (goal <= 20 s): {verdict}"
    )
    print(f"  {counts}")
    print(f"  peak RSS {peak_rss_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
