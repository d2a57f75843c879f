"""One seeker ranked against a prepared pool of 10,000 vacancies, against the same ranking without the pool.

Builds a seeded synthetic centre (:func:`employkit.synth.build`, the sample centre's
shares scaled to ``--vacancies`` vacancies and ``--seekers`` seekers), prepares a
:class:`~employkit.matching.pool.MatchPool` on its vacancies once, then ranks the top 10
open vacancies, with their explanations (:class:`~employkit.matching.scoring.MatchResult`),
for ``--queries`` seekers one at a time and prints p50, p95 and p99 of a call.

The peer, in the same run: the same ranking without the pool —
:func:`employkit.matching.ranking.rank`, which prepares every component over the
candidates on each call — on ``--peer-queries`` of the same seekers; every list must be
the same (vacancy ids and totals), and the ratio of the p50s is printed. The pool's
calls are also split into the part that explains the ten (:meth:`Matcher.score
<employkit.matching.scoring.Matcher.score>` of the ten pairs, timed again alone right
after the call) and the rest (scores of every candidate and the top 10: the call's time
less that one).

Goal (issue 16): the pool's p50 ≤ 5 ms.

    python benchmarks/pool_rank.py [--vacancies 10000] [--seekers 2000] [--queries 500] [--peer-queries 60]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time

from employkit.matching.pool import MatchPool
from employkit.matching.ranking import Filters, rank
from employkit.matching.scoring import Matcher
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, build

GOAL_MS = 5.0
TOP = 10


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _line(name: str, times: list[float]) -> str:
    return (
        f"{name:<36} p50 {_quantile(times, 0.5):8.2f} ms   p95 {_quantile(times, 0.95):8.2f} ms   "
        f"p99 {_quantile(times, 0.99):8.2f} ms   ({len(times)} calls)"
    )


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
    pooled: list[float] = []
    found: list[float] = []
    explained: list[float] = []
    lists: dict[int, list[tuple[str, float]]] = {}
    by_id = {v.vacancy_id: v for v in data.vacancies}
    for i in range(args.queries):
        seeker = seekers[query(i)]
        t = time.perf_counter()
        results = pool.top_vacancies(seeker, TOP)
        pooled.append((time.perf_counter() - t) * 1000)
        lists[i] = [(r.vacancy_id, r.total) for r in results]
        t = time.perf_counter()
        for r in results:
            matcher.score(seeker, by_id[r.vacancy_id])
        explained.append((time.perf_counter() - t) * 1000)
        found.append(max(0.0, pooled[-1] - explained[-1]))

    peer: list[float] = []
    differ = 0
    for i in range(args.peer_queries):
        seeker = seekers[query(i)]
        t = time.perf_counter()
        results = rank(seeker, data.vacancies, matcher, top=TOP, filters=Filters(open_on=day))
        peer.append((time.perf_counter() - t) * 1000)
        differ += [(r.vacancy_id, r.total) for r in results] != lists[i]

    print(_line("pool: top 10 with explanations", pooled))
    print(_line("  of which: scores and top 10", found))
    print(_line("  of which: explaining the 10", explained))
    print(_line("peer: rank() without the pool", peer))
    ratio = _quantile(peer, 0.5) / _quantile(pooled, 0.5)
    print(f"ratio of p50s, peer / pool: {ratio:.1f}x; lists that differ: {differ} of {len(peer)}")
    p50 = _quantile(pooled, 0.5)
    print(f"goal: pool p50 <= {GOAL_MS:.0f} ms: {'met' if p50 <= GOAL_MS else 'NOT met'} ({p50:.2f} ms)")


if __name__ == "__main__":
    main()
