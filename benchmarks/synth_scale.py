"""Wall time, rows per second and peak memory of ``employkit synth`` at several sizes.

Each size runs ``employkit synth`` in a fresh process (output in a temporary folder,
deleted afterwards); the peak resident set size is that process's own
(``os.wait4`` rusage). Memory is bounded when the peak stays flat while the rows grow:
the last lines print both ratios between the largest and the smallest size.

    python benchmarks/synth_scale.py [SEEKERSxVACANCIES ...] [--format csv|jsonl|sqlite|xlsx]

Default sizes: 10000x4000 and 100000x40000. The issue's size is 1000000x400000.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUFFIX = {"csv": "", "jsonl": "", "sqlite": ".sqlite", "xlsx": ".xlsx"}


def size(text: str) -> tuple[int, int]:
    """``"100000x40000"`` -> ``(100000, 40000)``."""
    seekers, _, vacancies = text.lower().partition("x")
    return int(seekers.replace("_", "")), int(vacancies.replace("_", ""))


def run(seekers: int, vacancies: int, fmt: str) -> tuple[float, int, int]:
    """``(seconds, rows written, peak RSS in bytes)`` of one ``employkit synth`` process."""
    folder = Path(tempfile.mkdtemp(prefix="synth-bench-"))
    out = folder / f"out{SUFFIX[fmt]}"
    command = [sys.executable, "-m", "employkit", "synth", "--seekers", str(seekers), "--vacancies", str(vacancies)]
    command += ["--out", str(out), "--format", fmt, "--json"]
    try:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        assert child.stdout is not None
        report = child.stdout.read()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"employkit synth failed with status {child.returncode}")
        import json

        rows = sum(json.loads(report)["rows"].values())
        peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # Linux reports KiB
        return seconds, rows, peak
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["10000x4000", "100000x40000"], help="SEEKERSxVACANCIES")
    parser.add_argument("--format", default="csv", choices=sorted(SUFFIX))
    args = parser.parse_args()
    results = []
    print(f"employkit synth --format {args.format}, python {sys.version.split()[0]}, one fresh process per size")
    print(f"  {'seekers x vacancies':>22} {'rows':>11} {'seconds':>9} {'rows/s':>9} {'peak RSS':>10}")
    for text in args.sizes:
        seekers, vacancies = size(text)
        seconds, rows, peak = run(seekers, vacancies, args.format)
        results.append((rows, peak))
        label = f"{seekers:,} x {vacancies:,}"
        print(f"  {label:>22} {rows:>11,} {seconds:>9.1f} {rows / seconds:>9,.0f} {peak / 2**20:>7.1f} MiB")
    if len(results) >= 2:
        (rows_small, peak_small), (rows_large, peak_large) = min(results), max(results)
        print(f"rows ratio (largest / smallest): {rows_large / rows_small:.1f}x")
        print(f"peak RSS ratio (largest / smallest): {peak_large / peak_small:.2f}x (bounded: close to 1)")


if __name__ == "__main__":
    main()
