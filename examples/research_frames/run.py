"""A multi-year panel of every KPI by quarter, as a tidy frame, through Parquet and back.

Needs pandas and pyarrow (``employkit[parquet]``).

Run: python examples/research_frames/run.py [--out panel.parquet]
"""

from __future__ import annotations

import argparse
import datetime as dt

from employkit.frames import read_parquet, to_frame, to_parquet
from employkit.metrics.series import kpi_series
from employkit.rules import RuleSystem
from employkit.synth import JUNGGU_2015, build

END = dt.date(2015, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="panel.parquet")
    args = parser.parse_args()
    data = build(JUNGGU_2015.scaled(4_000, 1_500, seed=5).over(dt.date(2013, 1, 1), END))
    series = kpi_series(
        data,
        RuleSystem.build(),
        "quarter",
        as_of=END,
        by="age_band",
        only=["employment_rate", "placements", "retention_3m"],
    )
    frame = to_frame(series)
    print(frame.loc[frame["cell"].isna(), ["period", "kpi_id", "value", "numerator", "denominator"]].head(6))
    to_parquet(series, args.out)
    back = read_parquet(args.out)
    assert back.equals(frame), "the Parquet round trip changed the frame"
    totals = frame[(frame["kpi_id"] == "placements") & frame["cell"].isna()]
    cells = frame[(frame["kpi_id"] == "placements") & frame["cell"].notna()]
    assert int(totals["numerator"].sum()) == int(cells["numerator"].sum()) == len(data.placements)
    print(
        f"OK: {len(frame):,} rows ({frame['period'].nunique()} quarters × KPIs × age bands), "
        f"unrounded, round-tripped through {args.out}"
    )


if __name__ == "__main__":
    main()
