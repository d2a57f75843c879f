"""One seeker ranked against a prepared pool of 10,000 vacancies, against the same ranking without the pool.

Builds a seeded synthetic centre (:func:`employkit.synth.build`, the sample centre's
shares scaled to ``--vacancies`` vacancies and ``--seekers`` seekers), prepares a
:class:`~employkit.matching.pool.MatchPool` on its vacancies once, then ranks the top 10
open vacancies, with their explanations (:class:`~employkit.matching.scoring.MatchResult`),
for ``--queries`` seekers one at a time and prints p50, p95 and p99 of a call.

The peer, in the same run: the same ranking without the pool —
:func:`employkit.matching.ranking.rank`, which prepares every component over the
candidates on each call — on ``--peer-queries`` of the same seekers; every list must be
the same (vacancy ids and totals), and the ratio of the p50s is printed.

Each call is timed twice: wall time (what a caller waits) and the CPU time of this
process (what the call costs on a core of its own; on a machine shared with other
busy processes the wall time of a few milliseconds' call is the CPU time plus the
waits for a core). The pool's CPU time is also split into its two phases, timed
on a second run of the same query: scoring every candidate with the top 10, and
explaining the ten returned pairs from the same kernels.

Goal (issue 16): the pool's p50 ≤ 5 ms.

    python benchmarks/pool_rank.py [--vacancies 10000] [--seekers 2000] [--queries 500] [--peer-queries 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time
from collections.abc import Callable
from typing import Any, TypeVar

from employkit.matching.batch import BatchScorer
from employkit.matching.columns import SeekerTable
from employkit.matching.pool import MatchPool
from employkit.matching.ranking import Filters, rank
from employkit.matching.scoring import Matcher
from employkit.model import Seeker
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, build

GOAL_MS = 5.0
T = TypeVar("T")
TOP = 10


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _line(name: str, times: list[float]) -> str:
    return (
        f"{name:<38} p50 {_quantile(times, 0.5):8.2f} ms   p95 {_quantile(times, 0.95):8.2f} ms   "
        f"p99 {_quantile(times, 0.99):8.2f} ms   ({len(times)} calls)"
    )


def _timed(call: Callable[..., T], *args: Any, **kwargs: Any) -> tuple[T, float, float]:
    """``call(*args, **kwargs)``, its wall time and the CPU time of this process, in ms."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = call(*args, **kwargs)
    return out, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _phases(pool: MatchPool, seeker: Seeker) -> tuple[float, float]:
    """The CPU time (ms) of a query's two phases, as ``MatchPool.top_vacancies`` runs them.

    Scoring every candidate and selecting the top 10, then explaining the 10 returned pairs
    from the same kernels (a second run of the query, timed phase by phase).
    """
    mask = pool._mask(None, True, pool._open_vacancies, "vacancy")
    start = time.process_time()
    query = SeekerTable.from_records([seeker])
    batch = BatchScorer(pool.matcher, query, pool._vacancy_table, kernels=pool._vacancy_kernels(query))
    rows = batch.top_vacancies(TOP, vacancy_mask=mask)
    scored = time.process_time()
    batch.results(rows)
    return (scored - start) * 1000, (time.process_time() - scored) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--seekers", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=500, help="seekers ranked against the pool")
    parser.add_argument("--peer-queries", type=int, default=60, help="seekers ranked without the pool")
    parser.add_argument("--as-of", default="2015-12-31", help="the matcher's date (vacancies open on it)")
    args = parser.parse_args()

    data = build(JUNGGU_2015.scaled(args.seekers, args.vacancies))
    day = dt.date.fromisoformat(args.as_of)
    matcher = Matcher(RuleSystem.build(), day)
    seekers = data.seekers
    print(f"machine: {platform.machine()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    opened = int(Filters(open_on=day).vacancy_mask(data.vacancies).sum())
    print(
        f"data: {len(data.vacancies):,} vacancies ({opened:,} open on {day}), {len(seekers):,} seekers; "
        f"components: {', '.join(matcher.keys)}"
    )

    start = time.perf_counter()
    pool = MatchPool(matcher, vacancies=data.vacancies)
    print(f"pool prepared once in {(time.perf_counter() - start) * 1000:.0f} ms")

    def query(i: int) -> int:
        return (i * 7919) % len(seekers)  # spread over the seekers, the same ones for both paths

    for i in range(5):  # warm
        pool.top_vacancies(seekers[query(i)], TOP)
    wall: list[float] = []
    cpu: list[float] = []
    found: list[float] = []
    explained: list[float] = []
    lists: dict[int, list[tuple[str, float]]] = {}
    for i in range(args.queries):
        seeker = seekers[query(i)]
        results, w, c = _timed(pool.top_vacancies, seeker, TOP)
        wall.append(w)
        cpu.append(c)
        lists[i] = [(r.vacancy_id, r.total) for r in results]
        scored, explaining = _phases(pool, seeker)
        found.append(scored)
        explained.append(explaining)

    peer_wall: list[float] = []
    peer_cpu: list[float] = []
    differ = 0
    for i in range(args.peer_queries):
        seeker = seekers[query(i)]
        results, w, c = _timed(rank, seeker, data.vacancies, matcher, top=TOP, filters=Filters(open_on=day))
        peer_wall.append(w)
        peer_cpu.append(c)
        differ += [(r.vacancy_id, r.total) for r in results] != lists[i]

    print("wall time (what a caller waits, other processes' load included):")
    print(_line("  pool: top 10 with explanations", wall))
    print(_line("  peer: rank() without the pool", peer_wall))
    print("CPU time of this process (what the call costs on a core of its own):")
    print(_line("  pool: top 10 with explanations", cpu))
    print(_line("    of which: scores and top 10", found))
    print(_line("    of which: explaining the 10", explained))
    print(_line("  peer: rank() without the pool", peer_cpu))
    ratio = _quantile(peer_wall, 0.5) / _quantile(wall, 0.5)
    ratio_cpu = _quantile(peer_cpu, 0.5) / _quantile(cpu, 0.5)
    print(
        f"ratio of p50s, peer / pool: {ratio:.1f}x wall, {ratio_cpu:.1f}x CPU; "
        f"lists that differ: {differ} of {len(peer_wall)}"
    )
    p50, p50_cpu = _quantile(wall, 0.5), _quantile(cpu, 0.5)
    verdict = "met" if p50 <= GOAL_MS else "NOT met"
    print(f"goal: pool p50 <= {GOAL_MS:.0f} ms: {verdict} ({p50:.2f} ms wall, {p50_cpu:.2f} ms CPU)")


if __name__ == "__main__":
    main()
