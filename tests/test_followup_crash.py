"""The store never loses an acknowledged outcome, and never keeps half of one.

A writer process records outcomes and acknowledges each one (a line on a pipe) only after
``record`` returned. The test kills it with SIGKILL at a random moment, many times; each
new writer retries the outcomes not yet acknowledged with the same request keys, as a
client would. Afterwards every acknowledged outcome is in the store exactly once and the
store's invariants hold (no contact done without its outcome, no outcome without its
actions, no retry without its contact, no closed placement with pending contacts).

Writers are forked from the test process (POSIX only), so each starts in milliseconds
with the rule system already loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import signal
import sqlite3
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

import pytest

from employkit.followup.api import schedule_all
from employkit.stores.followup import FollowUpStore
from employkit.model import EmploymentType, Placement
from employkit.testing import make_system

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs os.fork")

SYSTEM = make_system()
D = dt.date
#: Every writer opens the store as this centre, so the centre check runs on every start.
CENTRE = "11140-중구-일자리플러스센터"
#: How many writers are killed mid-write (the issue asks for hundreds, bounded).
KILLS = 200

# Each placement gets: an unreachable call (→ a retry contact), then still employed twice.
PLAN = ("unreachable", "still_employed", "still_employed")
Job = tuple[str, str, str, dt.date]  # key, placement, outcome, day


def _placements(n: int, prefix: str) -> list[Placement]:
    return [
        Placement(
            placement_id=f"{prefix}{k:04d}",
            seeker_id=f"S{prefix}{k}",
            employer_id="E1",
            start_date=D(2016, 3, 2) + dt.timedelta(days=k % 60),
            employment_type=EmploymentType.REGULAR if k % 2 else EmploymentType.SHORT_TERM_CONTRACT,
            contract_end=None if k % 2 else D(2016, 12, 30),
        )
        for k in range(n)
    ]


def _jobs(placements: Sequence[Placement]) -> list[Job]:
    return [
        (f"{p.placement_id}#{n}", p.placement_id, outcome, p.start_date + dt.timedelta(days=3 * n))
        for p in placements
        for n, outcome in enumerate(PLAN)
    ]


def _prepare(path: Path, placements: Sequence[Placement]) -> None:
    with FollowUpStore(path, system=SYSTEM, centre=CENTRE) as store:
        store.add_schedules(zip(placements, schedule_all(placements, SYSTEM, D(2016, 3, 1)), strict=True))
        # warm the caches (parameters, tables, holidays) so forked writers start fast
        scratch = placements[0]
        store.record(scratch.placement_id, "still_employed", on=scratch.start_date, key="warm-up")


def _writer(path: Path, jobs: Sequence[Job], fd: int) -> None:
    """Child body: record each job, acknowledge after it returned. Never returns."""
    code = 1
    try:
        with FollowUpStore(path, system=SYSTEM, centre=CENTRE, timeout=10.0) as store:
            for key, pid, outcome, day in jobs:
                store.record(pid, outcome, on=day, key=key)
                os.write(fd, f"{key}\n".encode())
        code = 0
    finally:
        os._exit(code)


def _spawn(path: Path, jobs: Sequence[Job]) -> tuple[int, BinaryIO]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        _writer(path, jobs, write)
    os.close(write)
    return pid, os.fdopen(read, "rb")


def _wait_acks(acks: BinaryIO, n: int) -> set[str]:
    """Block until the writer acknowledged ``n`` more outcomes (or ended)."""
    got = set()
    for _ in range(n):
        line = acks.readline()
        if not line:
            break
        got.add(line.decode().strip())
    return got


def _finish(pid: int, acks: BinaryIO, kill_after: float | None) -> tuple[set[str], int]:
    """Kill the writer after ``kill_after`` seconds (or let it finish); every ack it gave."""
    if kill_after is not None:
        time.sleep(kill_after)
        with contextlib.suppress(ProcessLookupError):  # it may have finished first
            os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    got = {line.decode().strip() for line in acks.read().splitlines() if line.strip()}
    acks.close()
    return got, status


def _check(path: Path, acked: set[str], all_jobs: Sequence[Job]) -> None:
    with FollowUpStore(path, system=SYSTEM) as store:
        assert store.centre == CENTRE
        assert store.verify() == []
        keys = [r[0] for r in store._conn.execute("SELECT request_key FROM outcomes WHERE request_key IS NOT NULL")]
    assert len(keys) == len(set(keys))  # each outcome once
    assert acked <= set(keys)  # none lost that was acknowledged
    assert set(keys) - {"warm-up"} <= {k for k, *_ in all_jobs}


def test_killed_writers_lose_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "crash.sqlite"
    placements = _placements(300, "K")  # 900 outcomes: more than 200 writers can acknowledge
    jobs = _jobs(placements)
    _prepare(path, placements)
    rng = random.Random(20160302)
    acked: set[str] = set()
    kills = 0
    deadline = time.monotonic() + 40.0  # a safety net on a loaded machine; 200 kills take ~4 s
    while kills < KILLS and time.monotonic() < deadline:
        todo = [j for j in jobs if j[0] not in acked]
        if not todo:
            break
        pid, acks = _spawn(path, todo)
        # a random moment: after 0-2 acknowledged outcomes, then 0-4 ms into the next one
        acked |= _wait_acks(acks, rng.randint(0, 2))
        got, status = _finish(pid, acks, rng.uniform(0.0, 0.004))
        acked |= got
        kills += os.WIFSIGNALED(status)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0:  # a writer failed: show why
            _check(path, acked, jobs)
            pytest.fail("a writer failed on a store a killed writer left behind")
    assert kills >= KILLS, f"only {kills} writers were killed"
    assert len(acked) >= 60, "the writers were killed before recording much"
    _check(path, acked, jobs)
    # a last writer, left to finish, completes the work: the retried keys are not doubled
    pid, acks = _spawn(path, [j for j in jobs if j[0] not in acked])
    got, status = _finish(pid, acks, None)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    acked |= got
    assert acked == {k for k, *_ in jobs}
    _check(path, acked, jobs)
    with FollowUpStore(path) as store:
        counts = store.counts()
    assert counts["outcomes"] == len(jobs) + 1  # + the warm-up


def test_concurrent_writers_do_not_corrupt_the_store(tmp_path: Path) -> None:
    path = tmp_path / "concurrent.sqlite"
    first, second = _placements(40, "A"), _placements(40, "B")
    _prepare(path, first + second)
    jobs_a, jobs_b = _jobs(first), _jobs(second)
    everything = {k for k, *_ in jobs_a + jobs_b}
    rng = random.Random(7)
    acked: set[str] = set()
    for _ in range(8):  # two writers at once, both killed at a random moment
        a = _spawn(path, [j for j in jobs_a if j[0] not in acked])
        b = _spawn(path, [j for j in jobs_b if j[0] not in acked])
        acked |= _wait_acks(a[1], rng.randint(1, 4)) | _wait_acks(b[1], rng.randint(1, 4))
        for pid, acks in (a, b):
            acked |= _finish(pid, acks, rng.uniform(0.0, 0.004))[0]
    _check(path, acked, jobs_a + jobs_b)
    # then two writers at once, left to finish
    a = _spawn(path, [j for j in jobs_a if j[0] not in acked])
    b = _spawn(path, [j for j in jobs_b if j[0] not in acked])
    for pid, acks in (a, b):
        got, status = _finish(pid, acks, None)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        acked |= got
    assert acked == everything
    _check(path, acked, jobs_a + jobs_b)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
