"""A bounded load on ``employkit serve``: latency per endpoint against the same calls in process.

Writes a seeded synthetic centre with 10,000 vacancies (``employkit synth``), starts
``employkit serve`` on 127.0.0.1 with two worker processes, schedules the placements to
report on, then sends a fixed mix of requests (default 2,000, 8 at a time): profile a
seeker, rank the top 10 vacancies for a seeker against the 10,000, record an outcome
(each with its idempotency key). It prints p50 and p99 per endpoint and the number of
errors, beside the same calls made in this process without HTTP
(:class:`employkit.serve.centres.CentreRuntime`, one at a time) and their ratio.

Goals on this machine: profile p50 ≤ 5 ms, rank top-10 p50 ≤ 20 ms, record p50 ≤ 15 ms,
0 errors.

    python benchmarks/serve_load.py [--requests 2000] [--concurrency 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TOKEN = "bench-" + "t" * 40
GOALS_MS = {"profile": 5.0, "rank": 20.0, "record": 15.0}


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _seekers(n: int) -> list[dict[str, Any]]:
    occupations = ["5611", "0295", "5420", "5629", "5323", "5623", "6151", "2311"]
    return [
        {
            "seeker_id": f"B{i:05d}",
            "residence_code": "11140",
            "registered_on": "2016-03-02",
            "birth_year": 1960 + i % 40,
            "desired_occupation": occupations[i % len(occupations)],
            "desired_wage": 1_800_000 + 50_000 * (i % 20),
            "intake": {
                "job_field_decided": bool(i % 3),
                "employability": ("low", "mid", "high")[i % 3],
                "motivation": ("high", "mid", "low")[i % 3],
                "ability": ("mid", "high", "low")[i % 3],
                "mobile": bool(i % 2),
            },
        }
        for i in range(n)
    ]


def _placement(pid: str, start: dt.date) -> dict[str, Any]:
    return {
        "placement_id": pid,
        "seeker_id": "S",
        "employer_id": "E",
        "start_date": start.isoformat(),
        "employment_type": "regular",
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_config(root: Path, data: Path, store: str) -> Path:
    from employkit.serve.config import hash_token

    path = root / "server.toml"
    path.write_text(
        f"""[server]
access_log = ""
rate_per_minute = 10000000

[centres.bench]
data = "{data}"
store = "{store}"

[[tokens]]
name = "bench"
sha256 = "{hash_token(TOKEN)}"
centres = ["bench"]
""",
        encoding="utf-8",
    )
    return path


class _Connection:
    """One keep-alive HTTP/1.1 connection: the lightest client, so the load generator,
    which shares the machine's two cores with the server, takes as little CPU as it can."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        length = next((int(h.split(":", 1)[1]) for h in lines[1:] if h.lower().startswith("content-length:")), 0)
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _load(
    url: str, calls: list[tuple[str, str, str, dict[str, Any], dict[str, str]]], concurrency: int
) -> tuple[dict[str, list[float]], dict[str, int]]:
    import json

    host, port = url.removeprefix("http://").split(":")
    times: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    queue: asyncio.Queue[tuple[str, str, str, dict[str, Any], dict[str, str]]] = asyncio.Queue()
    for c in calls:
        queue.put_nowait(c)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}

    async def worker() -> None:
        conn = _Connection(host, int(port))
        try:
            while not queue.empty():
                name, method, path, body, headers = queue.get_nowait()
                payload = json.dumps(body).encode() if body else b""
                start = time.perf_counter()
                status, text = await conn.request(method, path, payload, {**auth, **headers})
                elapsed = (time.perf_counter() - start) * 1000
                times.setdefault(name, []).append(elapsed)
                if status != 200:
                    errors[name] = errors.get(name, 0) + 1
                    if errors[name] <= 3:
                        print(f"  error {name}: {status} {text[:200]!r}", file=sys.stderr)
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times, errors


def _in_process(
    data: Path, store: Path, seekers: list[dict[str, Any]], n: int, start: dt.date
) -> dict[str, list[float]]:
    """The same calls without HTTP: validation by the converter, then the centre's answers."""
    from employkit.converter import structure
    from employkit.model import Placement, Seeker
    from employkit.serve.centres import CentreRuntime
    from employkit.serve.config import CentreEntry

    rt = CentreRuntime(CentreEntry(centre_id="peer", data=str(data), store=store))
    times: dict[str, list[float]] = {"profile": [], "rank": [], "record": []}
    for i in range(n):
        pid = f"PEER{i:05d}"
        rt.schedule(structure(_placement(pid, start), Placement), None, None)
    steps: dict[str, Callable[[int], Any]] = {
        "profile": lambda i: rt.profile_seeker(structure(seekers[i % len(seekers)], Seeker), None, None),
        "rank": lambda i: rt.rank_vacancies(structure(seekers[i % len(seekers)], Seeker), 10, None),
        "record": lambda i: rt.record(
            f"PEER{i:05d}", {"outcome": "still_employed", "contacted_on": start}, f"peer-key-{i}"
        ),
    }
    for name, step in steps.items():
        step(0) if name != "record" else None  # warm
        for i in range(1 if name != "record" else 0, n):
            t = time.perf_counter()
            step(i)
            times[name].append((time.perf_counter() - t) * 1000)
    rt.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--vacancies", type=int, default=10_000)
    parser.add_argument("--sequential", type=int, default=300, help="then this many more, one at a time")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="employkit-serve-load-"))
    data = root / "centre"
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "employkit",
            "synth",
            "--seekers",
            "2000",
            "--vacancies",
            str(args.vacancies),
            "--out",
            str(data),
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    config = _write_config(root, data, str(root / "bench.sqlite"))
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "employkit",
            "serve",
            "--config",
            str(config),
            "--port",
            str(port),
            "--workers",
            str(args.workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        import httpx

        started = time.perf_counter()
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit(f"the server did not start: {proc.communicate(timeout=5)[1][-2000:]}")
            time.sleep(0.2)
        print(
            f"server up in {time.perf_counter() - started:.1f} s ({args.workers} workers, "
            f"{args.vacancies:,} vacancies in the pool)"
        )

        seekers = _seekers(200)
        start = dt.date.today() - dt.timedelta(days=30)
        n_record = args.requests * 3 // 10
        n_profile = args.requests * 35 // 100
        n_rank = args.requests - n_record - n_profile
        auth = {"Authorization": f"Bearer {TOKEN}"}
        with httpx.Client(base_url=url, headers=auth, timeout=60) as c:
            for i in range(n_record):
                r = c.post("/centres/bench/placements", json=_placement(f"P{i:05d}", start))
                r.raise_for_status()
            for i in range(2 * args.workers * 4):  # warm every worker's rank path and matcher
                c.post("/centres/bench/match/vacancies", json=seekers[i % len(seekers)])
                c.post("/centres/bench/profile/seeker", json=seekers[i % len(seekers)])
        calls: list[tuple[str, str, str, dict[str, Any], dict[str, str]]] = []
        for i in range(max(n_profile, n_rank, n_record)):
            if i < n_profile:
                calls.append(("profile", "POST", "/centres/bench/profile/seeker", seekers[i % len(seekers)], {}))
            if i < n_rank:
                calls.append(
                    ("rank", "POST", "/centres/bench/match/vacancies?top=10", seekers[(i * 7) % len(seekers)], {})
                )
            if i < n_record:
                calls.append(
                    (
                        "record",
                        "POST",
                        f"/centres/bench/placements/P{i:05d}/outcomes",
                        {"outcome": "still_employed", "contacted_on": start.isoformat()},
                        {"Idempotency-Key": f"bench-{i}"},
                    )
                )
        wall = time.perf_counter()
        times, errors = asyncio.run(_load(url, calls, args.concurrency))
        wall = time.perf_counter() - wall
        more = [
            (name, m, path.replace("/P", "/Q"), body, {k: v.replace("bench-", "alone-") for k, v in h.items()})
            for name, m, path, body, h in calls[: args.sequential]
        ]
        with httpx.Client(base_url=url, headers=auth, timeout=60) as c:
            for _, _, path, _, _ in more:
                if "/Q" in path:
                    pid = path.split("/")[4]
                    c.post("/centres/bench/placements", json=_placement(pid, start)).raise_for_status()
        alone, alone_errors = asyncio.run(_load(url, more, 1))
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()

    peer = _in_process(data, root / "peer.sqlite", seekers, 200, start)
    total = sum(len(v) for v in times.values())
    print(f"{total:,} requests, {args.concurrency} concurrent, in {wall:.1f} s ({total / wall:,.0f} requests/s)")
    print(
        f"{'endpoint':<9} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6} {'in-process p50':>15} "
        f"{'http/in-process':>16} {'goal p50':>9} {'':6}  {'one at a time p50':>17}"
    )
    for name in ("profile", "rank", "record"):
        t = times.get(name, [])
        if not t:
            continue
        p50, p99 = _quantile(t, 0.5), _quantile(t, 0.99)
        peer50 = statistics.median(peer[name])
        met = "met" if p50 <= GOALS_MS[name] else "MISSED"
        one = statistics.median(alone[name]) if alone.get(name) else float("nan")
        print(
            f"{name:<9} {len(t):>5} {p50:>8.2f} {p99:>8.2f} {errors.get(name, 0):>6} {peer50:>15.2f} "
            f"{p50 / peer50:>15.1f}x {GOALS_MS[name]:>6.0f} ms {met:<6}  {one:>14.2f} ms"
        )
    print(f"errors: {sum(errors.values())} under load, {sum(alone_errors.values())} one at a time")
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared with other work)")


if __name__ == "__main__":
    main()
