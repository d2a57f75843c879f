"""Recording follow-up outcomes: one thread, two threads on one store object, two objects.

Schedules ``--placements`` placements in a fresh store, then records three keyed outcomes
each (an unreachable call, then still employed twice) and times every ``record`` call:

* ``one thread`` — the peer: one store object, one thread;
* ``threads, one object`` — two threads share one :class:`FollowUpStore` (the store's
  lock serialises them);
* ``threads, two objects`` — two threads with their own objects on one file (SQLite's
  busy timeout serialises them);
* ``retry`` — every report sent again with its key (answered from the store, nothing
  written).

Prints p50 and p99 per call in ms, outcomes per second and the ratio to the peer, and
checks every outcome is stored once. Goal (issue 17): p50 ≤ 15 ms per recorded outcome.

    python benchmarks/followup_record.py [--placements N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from employkit.followup.api import schedule_all
from employkit.stores.followup import FollowUpStore
from employkit.model import EmploymentType, Placement
from employkit.testing import make_system

SYSTEM = make_system()
CENTRE = "11140-중구-일자리플러스센터"
PLAN = ("unreachable", "still_employed", "still_employed")
Job = tuple[str, str, str, dt.date]


def placements(n: int) -> list[Placement]:
    return [
        Placement(
            placement_id=f"P{k:05d}",
            seeker_id=f"S{k}",
            employer_id="E1",
            start_date=dt.date(2016, 3, 2) + dt.timedelta(days=k % 90),
            employment_type=EmploymentType.REGULAR,
        )
        for k in range(n)
    ]


def jobs(ps: Sequence[Placement]) -> list[Job]:
    return [
        (f"{p.placement_id}#{i}", p.placement_id, outcome, p.start_date + dt.timedelta(days=3 * i))
        for p in ps
        for i, outcome in enumerate(PLAN)
    ]


def fresh(folder: Path, name: str, ps: Sequence[Placement]) -> Path:
    path = folder / f"{name}.sqlite"
    with FollowUpStore(path, system=SYSTEM, centre=CENTRE) as store:
        store.add_schedules(zip(ps, schedule_all(ps, SYSTEM, dt.date(2016, 3, 1)), strict=True))
    return path


def record(store: FollowUpStore, todo: Sequence[Job], times: list[float]) -> None:
    for key, pid, outcome, day in todo:
        start = time.perf_counter()
        store.record(pid, outcome, on=day, key=key)
        times.append(time.perf_counter() - start)


def split(todo: Sequence[Job]) -> list[list[Job]]:
    """Two halves by placement, so each placement's outcomes stay in order in one thread."""
    first = {pid for n, (_k, pid, *_rest) in enumerate(todo) if n < len(todo) // 2}
    return [[j for j in todo if j[1] in first], [j for j in todo if j[1] not in first]]


def threaded(stores: Sequence[FollowUpStore], halves: Sequence[Sequence[Job]]) -> list[float]:
    times: list[list[float]] = [[] for _ in halves]
    threads = [threading.Thread(target=record, args=(s, h, t)) for s, h, t in zip(stores, halves, times, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for t in times for x in t]


def report(label: str, times: Sequence[float], wall: float, peer: float | None) -> float:
    ms = sorted(1000 * t for t in times)
    rate = len(times) / wall
    ratio = f"  ×{rate / peer:.2f} of one thread" if peer else ""
    print(
        f"{label:<24} {len(times):>6,} calls  p50 {statistics.median(ms):6.2f} ms  "
        f"p99 {ms[int(0.99 * (len(ms) - 1))]:7.2f} ms  {rate:8,.0f}/s{ratio}"
    )
    return rate


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--placements", type=int, default=300)
    args = parser.parse_args(argv)
    ps = placements(args.placements)
    todo = jobs(ps)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        runs: dict[str, Path] = {}

        # warm the caches (parameters, tables, holidays) so the first run is not charged for them
        warm = fresh(folder, "warm", ps[:20])
        with FollowUpStore(warm, system=SYSTEM, centre=CENTRE) as store:
            record(store, jobs(ps[:20]), [])

        path = runs["one"] = fresh(folder, "one", ps)
        times: list[float] = []
        with FollowUpStore(path, system=SYSTEM, centre=CENTRE) as store:
            start = time.perf_counter()
            record(store, todo, times)
            peer = report("one thread", times, time.perf_counter() - start, None)

            retry: list[float] = []
            start = time.perf_counter()
            record(store, todo, retry)
            report("retry (same keys)", retry, time.perf_counter() - start, peer)

        path = runs["shared"] = fresh(folder, "shared", ps)
        with FollowUpStore(path, system=SYSTEM, centre=CENTRE) as store:
            start = time.perf_counter()
            times = threaded([store, store], split(todo))
            report("threads, one object", times, time.perf_counter() - start, peer)

        path = runs["own"] = fresh(folder, "own", ps)
        stores = [FollowUpStore(path, system=SYSTEM, centre=CENTRE) for _ in range(2)]
        start = time.perf_counter()
        times = threaded(stores, split(todo))
        report("threads, two objects", times, time.perf_counter() - start, peer)
        for s in stores:
            s.close()

        for name, path in runs.items():
            with FollowUpStore(path) as store:
                n = store.counts()["outcomes"]
                problems = store.verify()
            assert n == len(todo) and not problems, (name, n, problems)
        print(f"every run stored {len(todo):,} outcomes once; store invariants hold")


if __name__ == "__main__":
    main()
