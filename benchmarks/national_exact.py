"""A national month, top-30 per seeker: exact pruning against the blocked approximation.

Builds the synthetic month of ``benchmarks/national_month.py`` (392,458 seekers x
158,227 vacancies at ``--scale 1``) and prints, for the exact mode (the default of
:class:`~employkit.matching.blocking.BlockedScorer`) and then the blocked mode, in the
same run:

* wall time of the top-k (and of preparing the engine), its CPU time (the process and
  its worker processes: on a shared machine the wall time depends on the others' load),
  peak memory (process RSS, and that of the largest worker process — the exact mode
  forks ``--workers`` processes; it runs first, so the peaks after it are its own);
* the share of all pairs actually scored;
* recall against **exhaustive** scoring (every vacancy scored) on a random sample of
  ``--sample`` seekers (seeded): the share of the exhaustive top-k pairs each mode
  returned (the exact mode must give 1.0, with the same totals), the share of sampled
  seekers whose best vacancy is missing, and the mean drop of the k-th score.

    python benchmarks/national_exact.py [--scale 0.1] [--top 30] [--sample 2000] [--workers N]

Goal at full scale on a 2-core machine: exact ≤ 60 s and ≤ 4 GB. The figures depend on
the machine and its load: the script prints the CPU count and the load average.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from national_month import DAY, month_tables, peak_rss_mib

from employkit.matching.blocking import BlockedScorer
from employkit.matching.plan import best_vacancies
from employkit.matching.scoring import Matcher
from employkit.matching.topk import Recall, recall_of
from employkit.testing import make_system

FULL_SEEKERS, FULL_VACANCIES = 392_458, 158_227


def lists(top: object, rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``(len(rows), k)`` candidate and total arrays of a TopK's rows for ``rows``."""
    from employkit.matching.batch import TopK

    assert isinstance(top, TopK)
    out_i = np.full((rows.shape[0], k), -1, dtype=np.intp)
    out_t = np.full((rows.shape[0], k), -np.inf)
    at = np.searchsorted(rows, top.query)
    hit = (at < rows.shape[0]) & (rows[np.minimum(at, rows.shape[0] - 1)] == top.query)
    out_i[at[hit], top.rank[hit] - 1] = top.candidate[hit]
    out_t[at[hit], top.rank[hit] - 1] = top.total[hit]
    return out_i, out_t


def cpu_seconds() -> float:
    """CPU time of this process and of its finished worker processes, in seconds."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def child_rss_mib() -> float:
    """The peak resident memory of the largest finished worker process, in MiB (0: none)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def show(label: str, r: Recall) -> None:
    print(
        f"  {label:<8} recall {r.recall:.4f}; best vacancy missing for {r.best_missed:.1%} of seekers; "
        f"k-th score lower by {r.kth_gap:.3f} on average"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the national month (0.1: a tenth)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sample", type=int, default=2000, help="seekers compared with exhaustive scoring")
    parser.add_argument("--seed", type=int, default=19, help="seed of the sample")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    n_s, n_v, k = round(FULL_SEEKERS * args.scale), round(FULL_VACANCIES * args.scale), args.top
    load = os.getloadavg()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"numpy {np.__version__}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared machine)"
    )
    print(f"month: {n_s:,} seekers x {n_v:,} vacancies = {n_s * n_v:,} pairs; top-{k}; {args.workers} worker(s)")
    matcher = Matcher(make_system(), DAY)
    seekers, vacancies = month_tables(n_s, n_v)
    full = n_s * n_v
    rng = np.random.default_rng(args.seed)
    pick = np.sort(rng.choice(n_s, size=min(args.sample, n_s), replace=False)).astype(np.intp)

    print("\n== exact (default)")
    start = time.perf_counter()
    exact = BlockedScorer(matcher, seekers, vacancies, workers=args.workers, progress=False)
    t_prep = time.perf_counter() - start
    start = time.perf_counter()
    cpu = cpu_seconds()
    top = exact.top_vacancies(k)
    t_exact = time.perf_counter() - start
    cpu = cpu_seconds() - cpu
    own, child = peak_rss_mib(), child_rss_mib()
    rss = own + args.workers * child if args.workers > 1 else own
    verdict = "OK" if t_prep + t_exact <= 60 and rss <= 4096 else "NOT MET"
    print(f"  prepare {t_prep:.1f} s, top-{k} {t_exact:.1f} s, total {t_prep + t_exact:.1f} s wall")
    print(f"  CPU time of the top-{k} (this process and its workers): {cpu:.1f} s")
    print(
        f"  peak RSS {own:,.0f} MiB, largest worker process {child:,.0f} MiB; "
        f"bound on the total {rss:,.0f} MiB (pages shared with the parent counted once per process)"
    )
    print(f"  goal <= 60 s and <= 4096 MiB: {verdict}")
    print(f"  pairs scored {exact.scored_pairs:,} = {exact.scored_pairs / full:.3%} of all pairs")
    print(f"  rows {len(top):,}; seekers with a full list {int(np.sum(top.rank == k)):,}")

    print(f"\n== exhaustive scoring of {pick.shape[0]:,} sampled seekers against every vacancy (seed {args.seed})")
    start = time.perf_counter()
    truth = best_vacancies(exact.plan, pick, np.arange(n_v, dtype=np.intp), k, exact.chunk_cells)
    t_truth = time.perf_counter() - start
    print(f"  {pick.shape[0] * n_v:,} pairs in {t_truth:.1f} s")
    mine = lists(top, pick, k)
    r_exact = recall_of(mine, truth, k=k, seed=args.seed)
    same = bool(np.array_equal(mine[0], truth[0]) and np.array_equal(mine[1], truth[1]))
    show("exact", r_exact)
    print(f"  exact lists equal exhaustive lists (candidates, order, totals): {same}")

    print("\n== blocked (approximate, on request)")
    start = time.perf_counter()
    blocked = BlockedScorer(
        matcher, seekers, vacancies, mode="blocked", workers=args.workers, progress=False, recall_sample=0
    )
    _ = blocked.blocks
    t_bprep = time.perf_counter() - start
    start = time.perf_counter()
    b_cpu = cpu_seconds()
    b_top = blocked.top_vacancies(k)
    t_blocked = time.perf_counter() - start
    print(f"  CPU time of the top-{k}: {cpu_seconds() - b_cpu:.1f} s")
    print(f"  prepare + blocks {t_bprep:.1f} s, top-{k} {t_blocked:.1f} s, total {t_bprep + t_blocked:.1f} s")
    print(f"  pairs scored {blocked.scored_pairs:,} = {blocked.scored_pairs / full:.3%} of all pairs")
    show("blocked", recall_of(lists(b_top, pick, k), truth, k=k, seed=args.seed))
    print(
        f"\n== exact / blocked: time {(t_prep + t_exact) / (t_bprep + t_blocked):.2f}x, "
        f"pairs scored {exact.scored_pairs / max(blocked.scored_pairs, 1):.2f}x; "
        f"peak RSS of the run {peak_rss_mib():,.0f} MiB"
    )


if __name__ == "__main__":
    main()
