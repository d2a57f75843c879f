"""One Korean month of national matching on one machine: blocked top-30 per seeker.

December 2024 brought 392,458 new seekers and 158,227 openings (issue 9): 6.2×10¹⁰ pairs.
This script builds a synthetic month of that size as columns (no records, nothing
written to disk), spread over the 17 provinces and 229 districts by population and over
the KECO 2018 middle groups, and prints:

* the month: columns, kernel preparation, blocking, scoring with top-30 per seeker —
  wall time, in-block pairs, pairs scored per second, peak memory (process RSS);
  goal ≤ 120 s and ≤ 4 GB;
* explanations for one seeker's list (built only for returned pairs);
* ratio batch / one-pair path on the same sample of in-block pairs (goal ≥ 100×);
* exposure of vacancies before and after a cap, and allocation (greedy, stable,
  optimal) on a smaller month;
* single machine against a local Dask cluster on a smaller month (same result);
* profiling 1M seekers (``benchmarks/profile_seekers.py``) and the KPI set over 10M
  placement rows (``benchmarks/kpi_scale.py``), unless ``--skip-extra``.

    python benchmarks/national_month.py [--seekers N] [--vacancies N] [--top K] [--skip-extra]

The figures depend on the machine and on its load: the script prints the CPU count
and the load average when it starts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from employkit.matching.blocking import BlockedScorer
from employkit.matching.columns import SeekerTable, VacancyTable
from employkit.matching.scoring import Matcher
from employkit.model import EmploymentType
from employkit.testing import make_system

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent
DAY = dt.date(2024, 12, 31)

#: Provinces (2024 codes), population share in %, number of districts (시군구).
PROVINCES = {
    "11": (18.2, 25),
    "26": (6.4, 16),
    "27": (4.6, 9),
    "28": (5.8, 10),
    "29": (2.8, 5),
    "30": (2.8, 5),
    "31": (2.1, 5),
    "36": (0.8, 1),
    "41": (26.7, 31),
    "51": (2.9, 18),
    "43": (3.1, 11),
    "44": (4.1, 15),
    "52": (3.4, 14),
    "46": (3.5, 22),
    "47": (5.0, 22),
    "48": (6.3, 18),
    "50": (1.3, 2),
}
MIDDLE_GROUPS = tuple(
    f"{g:02d}" for g in (1, 2, 3, 11, 12, 13, 14, 15, 21, 22, 23, 24, 25, 30, 41, 42, 51, 52, 53, 54, 55, 56)
) + tuple(f"{g:02d}" for g in (61, 62, 70, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90))
CERTIFICATES = ("요양보호사", "지게차운전기능사", "조리사", "전기기능사", "운전면허1종")


def month_tables(n_seekers: int, n_vacancies: int, seed: int = 2024) -> tuple[SeekerTable, VacancyTable]:
    """A synthetic national month as columns: regions by population, occupations skewed."""
    rng = np.random.default_rng(seed)
    provinces = list(PROVINCES)
    share = np.array([PROVINCES[p][0] for p in provinces])
    share = share / share.sum()
    districts = [f"{p}{110 + 10 * i:03d}" for p in provinces for i in range(PROVINCES[p][1])]
    d_province = np.array([d[:2] for d in districts])
    d_weight = np.array([share[provinces.index(p)] / PROVINCES[p][1] for p in d_province])
    d_weight = d_weight * rng.uniform(0.5, 1.5, len(districts))
    d_weight /= d_weight.sum()
    codes = [f"{g}{minor}{detail}" for g in MIDDLE_GROUPS for minor in "1234" for detail in "123"]
    group_weight = 1.0 / np.arange(1, len(MIDDLE_GROUPS) + 1) ** 0.9
    rng.shuffle(group_weight)
    c_weight = np.repeat(group_weight / 12, 12) * rng.uniform(0.3, 1.7, len(codes))
    c_weight /= c_weight.sum()
    codes_arr = np.array(codes, dtype=object)
    districts_arr = np.array(districts, dtype=object)

    def wages(n: int) -> np.ndarray:
        return np.round(rng.lognormal(np.log(2_500_000), 0.25, n), -4)

    n = n_seekers
    s_occ = codes_arr[rng.choice(len(codes), n, p=c_weight)]
    s_occ[rng.random(n) < 0.02] = None
    s_types = np.where(rng.random(n) < 0.15, 1 << list(EmploymentType).index(EmploymentType.TIME_SELECTIVE), 0)
    s_certs = np.empty(n, dtype=object)
    held = rng.random(n) < 0.2
    s_certs[:] = ""
    s_certs[held] = np.array(CERTIFICATES, dtype=object)[rng.integers(0, len(CERTIFICATES), int(held.sum()))]
    seekers = SeekerTable.from_columns(
        {
            "seeker_id": np.char.add("S", np.arange(n).astype(str)).astype(object),
            "residence_code": districts_arr[rng.choice(len(districts), n, p=d_weight)],
            "registered_on": np.datetime64("2024-12-01") + rng.integers(0, 31, n).astype("timedelta64[D]"),
            "birth_year": rng.integers(1955, 2006, n),
            "desired_occupation": s_occ,
            "desired_wage": np.where(rng.random(n) < 0.05, np.nan, wages(n)),
            "desired_hours": np.where(s_types > 0, 20.0, 40.0),
            "employment_types": s_types,
            "mobile": rng.random(n) < 0.25,
            "certificates": s_certs,
        }
    )
    m = n_vacancies
    v_types = rng.choice(len(EmploymentType), m, p=[0.45, 0.2, 0.12, 0.05, 0.05, 0.1, 0.03])
    v_certs = np.empty(m, dtype=object)
    asks = rng.random(m) < 0.1
    v_certs[:] = ""
    v_certs[asks] = np.array(CERTIFICATES, dtype=object)[rng.integers(0, len(CERTIFICATES), int(asks.sum()))]
    has_age = rng.random(m) < 0.1
    low = rng.integers(20, 50, m).astype(float)
    vacancies = VacancyTable.from_columns(
        {
            "vacancy_id": np.char.add("V", np.arange(m).astype(str)).astype(object),
            "employer_id": np.char.add("E", rng.integers(0, m // 2 + 1, m).astype(str)).astype(object),
            "occupation": codes_arr[rng.choice(len(codes), m, p=c_weight)],
            "openings": 1 + rng.poisson(0.7, m),
            "employment_type": np.array([t.code for t in EmploymentType], dtype=object)[v_types],
            "region_code": districts_arr[rng.choice(len(districts), m, p=d_weight)],
            "posted_on": np.datetime64("2024-12-01") + rng.integers(0, 31, m).astype("timedelta64[D]"),
            "offered_wage": wages(m),
            "hours_per_week": np.where(
                v_types == list(EmploymentType).index(EmploymentType.TIME_SELECTIVE), 20.0, 40.0
            ),
            "min_age": np.where(has_age, low, np.nan),
            "max_age": np.where(has_age, low + 20, np.nan),
            "required_certificates": v_certs,
        }
    )
    return seekers, vacancies


def peak_rss_mib() -> float:
    """The process's peak resident memory so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best(func: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` wall times of ``func()``, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def timed(label: str, func: Callable[[], T]) -> tuple[T, float]:
    """Run ``func`` once and print its wall time."""
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"  {label:<52} {seconds:8.2f} s")
    return result, seconds


def month(args: argparse.Namespace, matcher: Matcher) -> None:
    """The month itself: wall time, pairs per second, peak memory."""
    print(
        f"\n== synthetic month: {args.seekers:,} seekers x {args.vacancies:,} vacancies, top-{args.top} per seeker, "
        f"{args.workers} thread(s)"
    )
    (seekers, vacancies), t_build = timed(
        "columns (numpy, checked)", lambda: month_tables(args.seekers, args.vacancies)
    )
    start = time.perf_counter()
    engine, _ = timed(
        "kernels + blocking",
        lambda: BlockedScorer(matcher, seekers, vacancies, progress=args.progress, workers=args.workers),
    )
    pairs = engine.blocks.pairs
    full = args.seekers * args.vacancies
    print(f"  blocks: {len(engine.blocks):,} seeker groups; in-block pairs {pairs:,} = {pairs / full:.2%} of {full:,}")
    cpu = time.process_time()
    top, t_top = timed(f"score in-block pairs, keep top-{args.top}", lambda: engine.top_vacancies(args.top))
    print(f"  CPU time of this process while scoring: {time.process_time() - cpu:.1f} s (of {t_top:.1f} s wall)")
    total = time.perf_counter() - start
    print(f"  pairs scored per second (scoring + top-k):            {pairs / t_top:14,.0f}")
    print(f"  rows returned {len(top):,}; seekers with a full list {np.sum(top.rank == args.top):,}")
    rss = peak_rss_mib()
    verdict = "OK" if total <= 120 and rss <= 4096 else "OVER"
    print(
        f"  month wall time (kernels + blocking + top-k): {total:.1f} s; with columns {total + t_build:.1f} s; "
        f"peak RSS {rss:,.0f} MiB  (goal <= 120 s, <= 4096 MiB): {verdict}"
    )
    first = top.query == top.query[0]
    timed(f"explanations for one seeker's {int(first.sum())} pairs", lambda: engine.results(_rows(top, first)))

    # batch against the one-pair path on the same sample of in-block pairs
    rng = np.random.default_rng(7)
    pick = rng.choice(len(top), size=min(args.sample, len(top)), replace=False)
    si, vi = top.seeker_index[pick], top.vacancy_index[pick]
    s_rec = [seekers.record(int(i)) for i in si]
    v_rec = [vacancies.record(int(j)) for j in vi]
    one = [matcher.score(s, v).total for s, v in zip(s_rec, v_rec, strict=True)]
    batch_totals, _ = engine.batch.score_pairs(si, vi)
    # the fastest of a few runs of each: the least disturbed by the machine's other load
    t_one = best(lambda: [matcher.score(s, v) for s, v in zip(s_rec, v_rec, strict=True)], 3)
    t_batch = best(lambda: engine.batch.score_pairs(si, vi), 20)
    diff = float(np.max(np.abs(np.asarray(one) - batch_totals)))
    one_rate, batch_rate = len(pick) / t_one, len(pick) / t_batch
    print(
        f"\n== batch vs one-pair path on the same {len(pick):,} in-block pairs, fastest of 3 / 20 runs "
        f"(largest difference {diff:.1e})"
    )
    print(f"  one-pair path (Matcher.score, full explanation): {one_rate:14,.0f} pairs/s")
    ratio = batch_rate / one_rate
    print(f"  batch path, same pairs (score_pairs):            {batch_rate:14,.0f} pairs/s  ratio {ratio:,.0f}x")
    ratio = pairs / t_top / one_rate
    print(f"  blocked dense scoring + top-k (the month):       {pairs / t_top:14,.0f} pairs/s  ratio {ratio:,.0f}x")
    print(f"  one-pair path over the month's in-block pairs would take {pairs / one_rate / 3600:,.1f} h")


def smaller(args: argparse.Namespace, matcher: Matcher) -> None:
    """Exposure, allocation, and single machine against local Dask, on a smaller month."""
    from employkit.matching.allocation import allocate, blocking_pairs
    from employkit.matching.distributed import dask_top_vacancies
    from employkit.matching.exposure import cap_exposure, exposure_metrics, truncate

    n_s = args.small
    n_v = round(n_s * args.vacancies / args.seekers)
    k = args.top
    print(f"\n== smaller month: {n_s:,} seekers x {n_v:,} vacancies (same shares)")
    seekers, vacancies = month_tables(n_s, n_v, seed=11)
    engine = BlockedScorer(matcher, seekers, vacancies, progress=False)
    lists, t_local = timed(f"single machine, top-{2 * k} per seeker", lambda: engine.top_vacancies(2 * k))
    top = truncate(lists, k)
    before = exposure_metrics(top.vacancy_index, n_v)
    cap = max(1, round(2 * k * n_s / n_v))  # twice the mean exposure
    capped, _ = timed(f"exposure cap: at most {cap} lists per vacancy", lambda: cap_exposure(lists, k=k, cap=cap))
    after = exposure_metrics(capped.vacancy_index, n_v)
    print("  exposure            before cap   after cap")
    for (_, label, a), (_, _, b) in zip(before.rows("en"), after.rows("en"), strict=True):
        print(f"  {label:<38} {a:>12} {b:>12}")
    args_ = (top.seeker_index, top.vacancy_index, top.total, vacancies.openings)
    results = {}
    for method in ("greedy", "stable", "optimal"):
        results[method], _ = timed(
            f"allocation {method} over {len(top):,} candidate pairs", lambda m=method: allocate(*args_, method=m)
        )
    for method, a in results.items():
        over = int(np.count_nonzero(a.load(n_v) > vacancies.openings))
        unstable = blocking_pairs(a, *args_).shape[0] if method != "optimal" else "-"
        print(
            f"  {method:<8} {len(a):>8,} seekers placed, total score {a.total_score:12.3f}, "
            f"over capacity {over}, blocking pairs {unstable}"
        )
    gain = results["optimal"].total_score / results["greedy"].total_score - 1
    print(f"  optimal / greedy total score: {gain:+.2%}")

    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1, threads_per_worker=os.cpu_count() or 2, processes=False, dashboard_address=None
        ) as cl,
        Client(cl) as client,
    ):
        remote, t_dask = timed(
            "local Dask cluster (threads), same job", lambda: dask_top_vacancies(engine, 2 * k, client=client)
        )
    same = all(np.array_equal(getattr(lists, f), getattr(remote, f)) for f in ("query", "candidate", "rank", "total"))
    print(f"  Dask result equals single machine: {same}; single / Dask wall time: {t_local / t_dask:.2f}x")


def extras() -> None:
    """Profiling 1M seekers and the KPI set, by the scripts that measure them."""
    sys.path.insert(0, str(ROOT))
    print("\n== profiling 1,000,000 seekers (benchmarks/profile_seekers.py)")
    import profile_seekers

    sys.argv = ["profile_seekers.py", "--seekers", "1000000", "--sample", "5000"]
    profile_seekers.main()
    print("\n== KPI set (benchmarks/kpi_scale.py)")
    import kpi_scale

    sys.argv = ["kpi_scale.py"]
    kpi_scale.main()


def _rows(top: object, keep: np.ndarray) -> object:
    from employkit.matching.batch import TopK

    assert isinstance(top, TopK)
    return TopK(
        direction=top.direction,
        query=top.query[keep],
        candidate=top.candidate[keep],
        rank=top.rank[keep],
        total=top.total[keep],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seekers", type=int, default=392_458)
    parser.add_argument("--vacancies", type=int, default=158_227)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sample", type=int, default=3_000, help="pairs for the one-pair comparison")
    parser.add_argument("--small", type=int, default=40_000, help="seekers in the smaller month (Dask, allocation)")
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="threads scoring groups")
    parser.add_argument("--skip-extra", action="store_true", help="skip profiling and KPI figures")
    args = parser.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared machine)"
    )
    matcher = Matcher(make_system(), DAY)
    month(args, matcher)
    sys.stdout.flush()
    smaller(args, matcher)
    sys.stdout.flush()
    if not args.skip_extra:
        extras()


if __name__ == "__main__":
    main()
