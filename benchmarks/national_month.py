"""One Korean month of national matching on one machine: blocked top-30 per seeker.

December 2024 brought 392,458 new seekers and 158,227 openings (issue 9): 6.2×10¹⁰ pairs.
This script builds a synthetic month of that size as columns (no records, nothing
written to disk), spread over the 17 provinces and 229 districts by population and over
the KECO 2018 middle groups (the generator is :func:`employkit.synth_national.month_tables`),
and prints:

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
from employkit.matching.scoring import Matcher
from employkit.synth_national import CERTIFICATES, MIDDLE_GROUPS, PROVINCES, month_tables
from employkit.testing import make_system

__all__ = ["CERTIFICATES", "MIDDLE_GROUPS", "PROVINCES", "best", "month_tables", "peak_rss_mib", "timed"]

T = TypeVar("T")
ROOT = Path(__file__).resolve().parent
DAY = dt.date(2024, 12, 31)


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
