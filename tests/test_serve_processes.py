"""`employkit serve --workers 2`: two processes on one follow-up store, as deployed."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")

from employkit.serve.config import hash_token  # noqa: E402

TOKEN = "p" * 40


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    root = tmp_path_factory.mktemp("workers")
    (root / "gangnam.toml").write_text(
        '[centre]\nname = "강남구 일자리센터"\nregion_code = "11680"\n', encoding="utf-8"
    )
    (root / "server.toml").write_text(
        f"""[server]
access_log = ""
rate_per_minute = 100000

[centres.gangnam]
config = "gangnam.toml"
store = "gangnam.sqlite"

[[tokens]]
name = "gangnam"
sha256 = "{hash_token(TOKEN)}"
centres = ["gangnam"]
""",
        encoding="utf-8",
    )
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("EMPLOYKIT_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "employkit",
            "serve",
            "--config",
            str(root / "server.toml"),
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {proc.communicate(timeout=5)[1][-2000:]}")
            time.sleep(0.2)
        yield url, root / "gangnam.sqlite"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def test_two_processes_write_one_store_without_loss_or_duplicates(two_workers: tuple[str, Path]) -> None:
    url, store = two_workers
    headers = {"Authorization": f"Bearer {TOKEN}"}
    start = dt.date.today() - dt.timedelta(days=40)
    ids = [f"W{i:02d}" for i in range(24)]
    statuses: list[int] = []
    lock = threading.Lock()

    def work(chunk: list[str]) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as c:
            for pid in chunk:
                placement = {
                    "placement_id": pid,
                    "seeker_id": "S",
                    "employer_id": "E",
                    "start_date": start.isoformat(),
                    "employment_type": "regular",
                }
                codes = [c.post("/centres/gangnam/placements", json=placement).status_code]
                for _ in range(2):  # a retry of the same report: stored once
                    r = c.post(
                        f"/centres/gangnam/placements/{pid}/outcomes",
                        json={"outcome": "still_employed", "contacted_on": start.isoformat()},
                        headers={"Idempotency-Key": f"key-{pid}"},
                    )
                    codes.append(r.status_code)
                with lock:
                    statuses.extend(codes)

    threads = [threading.Thread(target=work, args=(ids[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * (3 * len(ids))
    with sqlite3.connect(store) as db:
        placements = db.execute("SELECT COUNT(*) FROM placements").fetchone()[0]
        outcomes = db.execute("SELECT placement_id, COUNT(*) FROM outcomes GROUP BY placement_id").fetchall()
    assert placements == len(ids)
    assert sorted(outcomes) == [(pid, 1) for pid in ids]
