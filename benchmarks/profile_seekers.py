"""Profiling a million seekers through the vectorised path.

Builds synthetic intake columns with numpy (a share of answers left blank), then times
:func:`employkit.profiling.api.profile_columns` with the national typology and with the
logistic example pack's scorer, and the one-by-one path on a sample for the ratio.
Prints wall times, rows per second and peak memory. Goal: 1,000,000 seekers ≤ 30 s.

    python benchmarks/profile_seekers.py [--seekers N] [--sample N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from employkit.profiling.api import profile_columns, profile_dataset
from employkit.profiling.batch import SeekerColumns
from employkit.testing import config_from_toml, make_system

T = TypeVar("T")
DAY = dt.date(2024, 5, 2)
ROOT = Path(__file__).resolve().parent.parent


def synthetic(n: int, seed: int = 4) -> SeekerColumns:
    """``n`` seekers: levels 0–2, booleans 0/1, about 3% of each answer blank."""
    rng = np.random.default_rng(seed)

    def answers(high: int) -> np.ndarray:
        col = rng.integers(0, high + 1, n, dtype=np.int8)
        col[rng.random(n) < 0.03] = -1
        return col

    return SeekerColumns.from_arrays(
        DAY,
        np.char.add("S", np.arange(n).astype(str)).astype(object),
        job_field_decided=answers(1),
        employability=answers(2),
        motivation=answers(2),
        ability=answers(2),
        economic_hardship=answers(1),
        mobile=answers(1),
        age=rng.integers(18, 80, n, dtype=np.int16),
        gender=rng.integers(0, 2, n, dtype=np.int8),
        foreign=(rng.random(n) < 0.04).astype(np.int8),
        groups=rng.integers(0, 1 << 10, n, dtype=np.int32),
        registered_days=rng.integers(0, 1000, n, dtype=np.int32),
    )


def timed(label: str, func: Callable[[], T], n: int, trace: bool = True) -> tuple[T, float]:
    """Run ``func`` once: wall time, rows per second and (with ``trace``) peak traced memory.

    Tracing slows Python-level allocation, so the one-by-one path is timed untraced.
    """
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    memory = ""
    if trace:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        memory = f"  peak {peak / 2**20:8.1f} MiB"
    print(f"  {label:<46} {seconds:8.3f} s  {n / seconds:>13,.0f} rows/s{memory}")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seekers", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="seekers for the one-by-one comparison")
    args = parser.parse_args()
    n = args.seekers
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {n:,} synthetic seekers as of {DAY}")

    cols, t_build = timed("build and check the columns", lambda: synthetic(n), n)
    system = make_system()
    national, t_nat = timed("national typology, vectorised", lambda: profile_columns(cols, system), n)
    counts = national.counts()
    print("    " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))

    sys.path.insert(0, str(ROOT / "plugins" / "employkit-logit-example" / "src"))
    import employkit_logit_example

    logit_system = make_system(
        employkit_logit_example, config=config_from_toml('[profiling]\nallow_protected = ["age"]\n')
    )
    tid = employkit_logit_example.TYPOLOGY_ID
    _, t_logit = timed("logistic example scorer, vectorised", lambda: profile_columns(cols, logit_system, None, tid), n)

    m = min(args.sample, n)
    sample = [cols.seeker(i) for i in range(m)]
    one, t_one = timed(f"national typology, one by one ({m:,})", lambda: profile_dataset(sample, system, DAY), m, False)
    assert [p.segment.code if p.segment else None for p in one.profiles] == national.segment_codes()[:m]
    per_row_one = t_one / m
    per_row_vec = t_nat / n
    print(f"  one-by-one / vectorised per seeker: {per_row_one / per_row_vec:,.0f}x")
    print(f"  one-by-one for all {n:,} (extrapolated): {per_row_one * n:,.1f} s")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = t_build + t_nat
    print(f"  process peak RSS {rss:,.0f} MiB")
    verdict = "OK" if total <= 30 else "OVER"
    print(f"{n:,} seekers, columns + national profiling: {total:.2f} s (goal ≤ 30 s): {verdict}")
    print(f"{n:,} seekers, logistic scorer: {t_logit:.2f} s (goal ≤ 30 s): {'OK' if t_logit <= 30 else 'OVER'}")


if __name__ == "__main__":
    main()
