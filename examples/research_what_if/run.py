"""What-if from the command line: --param ID=VALUE against the baseline.

Lowers the quality-job wage threshold from 2.0M to 1.5M KRW: the share of quality jobs
rises from 24 to 181 + 24 of the 1,095 placements (seeds/000_743a0a447e219bca.txt#L601).

Run: python examples/research_what_if/run.py
"""

from __future__ import annotations

import subprocess
import sys


def main() -> None:
    command = [
        sys.executable,
        "-m",
        "employkit",
        "kpi",
        "--as-of",
        "2016-06-30",
        "--kpi",
        "quality_job_share",
        "--lang",
        "en",
        "--param",
        "metrics.quality_job.min_monthly_wage=1500001",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    line = next(x for x in done.stdout.splitlines() if x.strip().startswith("quality_job_share:"))
    before, after = (float(x) for x in line.split(":")[1].split("(")[0].split("→"))
    assert round(before * 1095 / 100) == 24 and round(after * 1095 / 100) == 181 + 24
    print(f"OK: quality-job share {before:.2f}% → {after:.2f}% (24 → 205 of 1,095 placements)")


if __name__ == "__main__":
    main()
