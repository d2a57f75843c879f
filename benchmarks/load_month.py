"""Loading and validating a national month from CSV, against ``pandas.read_csv`` of the same files.

Writes the month once with ``employkit synth --national`` (December 2024, seeded, in a
temporary folder deleted afterwards; a few minutes), then, in the same run, times in two fresh
child processes:

1. **pandas** — ``pandas.read_csv`` of every CSV file of the folder (default options);
2. **employkit** — :func:`employkit.sources.load` of the folder (what the command line
   does: read every file, check every cell, code, id and reference, build the records).

Each child reports its own wall time for the work (imports and the rule system built
before the clock starts) and its peak resident set size (``os.wait4`` rusage of that
child alone). The script prints both, the ratio and the rows loaded. Goal of issue 16:
employkit ≤ 5× pandas and ≤ 1 GB peak.

    python benchmarks/load_month.py [--seekers 392458] [--vacancies 158227] [--folder DIR] [--repeat N] [--profile N]

``--folder`` reuses a folder written before (nothing is written or deleted).
``--repeat N`` runs each side ``N`` times, alternating, and keeps the best of each (the
machine's load moves both).
``--profile N`` also writes a national month of ``N`` seekers (vacancies in the same
proportion), loads it under cProfile and prints the 30 most expensive functions by
cumulative time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TABLES = ("seekers", "employers", "vacancies", "placements", "followups")


def _child(which: str, folder: Path) -> None:
    """Run one side in this process and print ``{"seconds": …, "rows": {…}}``."""
    if which == "pandas":
        import pandas as pd

        start = time.perf_counter()
        frames = {t: pd.read_csv(folder / f"{t}.csv") for t in TABLES if (folder / f"{t}.csv").is_file()}
        seconds = time.perf_counter() - start
        rows = {t: len(f) for t, f in frames.items()}
    else:
        from employkit.rules import RuleSystem
        from employkit.sources import load

        system = RuleSystem.build()
        start = time.perf_counter()
        data = load(folder, system)
        seconds = time.perf_counter() - start
        rows = {t: len(getattr(data, t)) for t in TABLES}
    print(json.dumps({"seconds": seconds, "rows": rows}))


def _run(which: str, folder: Path) -> tuple[float, dict[str, int], int]:
    """``(seconds, rows per table, peak RSS in bytes)`` of one side in a fresh process."""
    command = [sys.executable, __file__, "--child", which, "--folder", str(folder)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the {which} child failed with status {os.waitstatus_to_exitcode(status)}")
    report = json.loads(out.strip().splitlines()[-1])
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # Linux reports KiB
    return report["seconds"], report["rows"], peak


def _write(folder: Path, seekers: int, vacancies: int, seed: int) -> float:
    command = [sys.executable, "-m", "employkit", "synth", "--national", "--seekers", str(seekers)]
    command += ["--vacancies", str(vacancies), "--seed", str(seed), "--out", str(folder)]
    command += ["--start", "2024-12-01", "--end", "2024-12-31"]  # December 2024: the month of issue 9
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _profile(seekers: int, vacancies: int, seed: int) -> None:
    """cProfile of employkit's load of a smaller national month (``seekers`` seekers)."""
    import cProfile
    import pstats

    from employkit.rules import RuleSystem
    from employkit.sources import load

    temp = Path(tempfile.mkdtemp(prefix="load-month-profile-"))
    try:
        _write(temp / "month", seekers, vacancies, seed)
        system = RuleSystem.build()
        profiler = cProfile.Profile()
        profiler.enable()
        load(temp / "month", system)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seekers", type=int, default=392_458)
    parser.add_argument("--vacancies", type=int, default=158_227)
    parser.add_argument("--seed", type=int, default=2015)
    parser.add_argument("--folder", type=Path, help="a folder written before: reused, not deleted")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, alternating; the best is kept")
    parser.add_argument("--profile", type=int, default=0, help="also profile the load of a month of N seekers")
    parser.add_argument("--child", choices=["pandas", "employkit"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.folder)
        return
    temp = None if args.folder else Path(tempfile.mkdtemp(prefix="load-month-"))
    folder = args.folder or (temp / "month")  # type: ignore[operator]
    try:
        if temp is not None:
            seconds = _write(folder, args.seekers, args.vacancies, args.seed)
            print(f"wrote the month with employkit synth --national in {seconds:.1f} s")
        size = sum(p.stat().st_size for p in folder.glob("*.csv"))
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
        print(f"folder: {size / 2**20:,.0f} MiB of CSV")
        runs = [(_run("pandas", folder), _run("employkit", folder)) for _ in range(args.repeat)]
        pandas_s, pandas_rows, pandas_peak = min((p for p, _ in runs), key=lambda r: r[0])
        ours_s, ours_rows, ours_peak = min((o for _, o in runs), key=lambda r: r[0])
        if args.repeat > 1:
            print(f"best of {args.repeat} runs of each, alternating")
            print("  pandas:", ", ".join(f"{p[0]:.2f}" for p, _ in runs), "s")
            print("  employkit:", ", ".join(f"{o[0]:.2f}" for _, o in runs), "s")
        print("rows:", ", ".join(f"{t} {ours_rows.get(t, 0):,}" for t in TABLES))
        if {t: n for t, n in ours_rows.items() if n} != pandas_rows:
            print(f"  (pandas read {pandas_rows})")
        print(f"pandas.read_csv   {pandas_s:7.2f} s   peak {pandas_peak / 2**20:7,.0f} MiB")
        print(f"employkit load    {ours_s:7.2f} s   peak {ours_peak / 2**20:7,.0f} MiB")
        ratio = ours_s / pandas_s
        print(f"ratio employkit / pandas: {ratio:.1f}x (goal <= 5x); peak {ours_peak / 2**30:.2f} GiB (goal <= 1 GB)")
        if args.profile:
            _profile(args.profile, args.profile * args.vacancies // args.seekers, args.seed)
    finally:
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
