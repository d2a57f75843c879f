"""How long ``import employkit`` takes in a fresh interpreter.

Prints the median wall time over several fresh processes for a bare interpreter, for
``import employkit``, and for loading the whole rule system (the national pack through
pluggy), with the ratios between them. Goal: ``import employkit`` under 150 ms.

    python benchmarks/import_time.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "bare interpreter": "pass",
    "import employkit": "import employkit",
    "import employkit + model": "import employkit.model",
    "build the rule system": "from employkit.rules import RuleSystem; RuleSystem.build()",
}


def measure(code: str, runs: int) -> float:
    """Median wall time in milliseconds of ``python -c code`` over ``runs`` processes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    results = {name: measure(code, args.runs) for name, code in CASES.items()}
    base = results["bare interpreter"]
    print(f"python {sys.version.split()[0]}, median of {args.runs} fresh processes")
    for name, ms in results.items():
        print(f"  {name:<28} {ms:8.1f} ms   {ms / base:5.2f}x bare   (+{ms - base:.1f} ms)")
    verdict = "OK" if results["import employkit"] < 150 else "OVER"
    print(f"import employkit: {results['import employkit']:.1f} ms (goal < 150 ms): {verdict}")


if __name__ == "__main__":
    main()
