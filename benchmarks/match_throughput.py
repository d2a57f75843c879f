"""Pairs scored per second: the one-pair path against the batch (numpy) path.

On the bundled sample centre (3,110 seekers × 1,302 vacancies = 4,049,220 pairs), or on
a larger synthetic centre with ``--seekers/--vacancies``, prints:

* the one-pair path (:meth:`Matcher.score`, full explanation per pair) on a random
  sample of pairs;
* the batch path scoring the same sample (:meth:`BatchScorer.score_pairs`), and the
  largest difference between the two (must be ≤ 1e-9);
* the batch path over every pair with top-10 kept per seeker
  (:meth:`BatchScorer.top_vacancies`), and per vacancy;
* the ratios batch / one-pair.

    python benchmarks/match_throughput.py [--sample N] [--seekers N --vacancies N] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import statistics
import time
from collections.abc import Callable

import numpy as np

from employkit.matching import BatchScorer, Matcher
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, build, sample_centre


def best(func: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` wall times of ``func()``, in seconds (least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=5_000, help="pairs scored by the one-pair path")
    parser.add_argument("--seekers", type=int, default=None, help="synthetic seekers (default: the sample centre)")
    parser.add_argument("--vacancies", type=int, default=None, help="synthetic vacancies")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the fastest is kept")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()

    if args.seekers or args.vacancies:
        data = build(JUNGGU_2015.scaled(args.seekers or 3110, args.vacancies or 1302))
    else:
        data = sample_centre()
    seekers, vacancies = data.seekers, data.vacancies
    matcher = Matcher(RuleSystem.build(), dt.date(2015, 12, 31))
    n_pairs = len(seekers) * len(vacancies)
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}")
    print(f"data: {len(seekers):,} seekers x {len(vacancies):,} vacancies = {n_pairs:,} pairs")
    print(f"components: {', '.join(matcher.keys)}")

    rng = np.random.default_rng(2015)
    si = rng.integers(0, len(seekers), args.sample)
    vi = rng.integers(0, len(vacancies), args.sample)
    pairs = [(seekers[i], vacancies[j]) for i, j in zip(si.tolist(), vi.tolist(), strict=True)]

    one = best(lambda: [matcher.score(s, v) for s, v in pairs], args.repeat)
    one_rate = args.sample / one
    print(f"one-pair path:   {args.sample:>12,} pairs in {one:8.3f} s = {one_rate:>14,.0f} pairs/s")

    start = time.perf_counter()
    batch = BatchScorer(matcher, seekers, vacancies)
    prepare = time.perf_counter() - start
    print(f"batch prepare:   columns for every seeker and vacancy in {prepare:.3f} s")

    sample_time = best(lambda: batch.score_pairs(si, vi), args.repeat)
    totals, _ = batch.score_pairs(si, vi)
    diff = max(abs(matcher.score(s, v).total - t) for (s, v), t in zip(pairs[:2000], totals.tolist(), strict=False))
    sample_rate = args.sample / sample_time
    print(f"batch, same sample: {args.sample:>9,} pairs in {sample_time:8.3f} s = {sample_rate:>14,.0f} pairs/s")
    print(f"largest |batch - one-pair| on 2,000 pairs: {diff:.2e}")

    full = best(lambda: batch.top_vacancies(args.top), args.repeat)
    full_rate = n_pairs / full
    print(f"batch, all pairs, top-{args.top} per seeker:  {full:8.3f} s = {full_rate:>14,.0f} pairs/s")
    back = best(lambda: batch.top_seekers(args.top), args.repeat)
    print(f"batch, all pairs, top-{args.top} per vacancy: {back:8.3f} s = {n_pairs / back:>14,.0f} pairs/s")
    top = batch.top_vacancies(args.top)
    explain = best(lambda: batch.results(top), 1)
    print(f"explanations for the {len(top):,} pairs returned: {explain:.3f} s")

    print(f"ratio batch / one-pair (same sample):      {sample_rate / one_rate:10,.0f}x")
    print(f"ratio batch all pairs + top-k / one-pair:  {full_rate / one_rate:10,.0f}x")
    print(f"one-pair path over all pairs would take about {n_pairs / one_rate / 60:,.1f} min")
    print(f"median of pair totals in the sample: {statistics.median(totals.tolist()):.3f}")


if __name__ == "__main__":
    main()
