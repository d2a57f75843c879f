"""A realistic synthetic centre over three years, and a synthetic country.

Registrations all year with a January peak, placements in every month, job exits,
re-registrations and follow-up contacts at the national policy's points, so every KPI —
retention included — has a value. The same seed gives the same records.

Run: python examples/research_synth/run.py [--out FOLDER]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tomllib
from collections import Counter
from pathlib import Path

from employkit.metrics.report import kpi_report
from employkit.rules import RuleSystem
from employkit.sources import load
from employkit.sources.writers import write_records
from employkit.synth import JUNGGU_2015, generate, synth_centre
from employkit.synth_national import national_districts, national_records

START, END = dt.date(2013, 1, 1), dt.date(2015, 12, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="synthetic-centre")
    args = parser.parse_args()
    spec = JUNGGU_2015.scaled(6_000, 2_400, seed=7).over(START, END)
    out = Path(args.out)
    counts = write_records(generate(spec), out, "csv", centre=synth_centre(spec))
    print("wrote", ", ".join(f"{n:,} {t}" for t, n in counts.items()))
    data = load(out)
    centre = tomllib.loads((out / "centre.toml").read_text("utf-8"))["centre"]
    assert (centre["period_start"], centre["period_end"]) == (START, END)

    placed = Counter((p.start_date.year, p.start_date.month) for p in data.placements)
    months = [(y, m) for y in range(2013, 2016) for m in range(1, 13)]
    assert all(placed[m] > 0 for m in months), "a month without placements"
    print("placements by month, 2014:", [placed[(2014, m)] for m in range(1, 13)])
    again = sum(s.seeker_id.endswith("R1") for s in data.seekers)
    outcomes = Counter(c.outcome.code for c in data.followups)
    print(f"re-registrations {again:,}; follow-up outcomes {dict(outcomes)}")

    report = kpi_report(data, RuleSystem.build(), END, year=2014)
    retention = {m: report.get(f"retention_{m}m").value for m in (1, 3, 6, 12)}
    assert all(v.value is not None for v in retention.values())
    shown = ", ".join(f"{m}m {v.shown} ({v.numerator}/{v.denominator})" for m, v in retention.items())
    print("2014 retention:", shown)

    districts = Counter(r.region_code for t, r in national_records(spec, 3_000, 1_200) if t == "employers")  # type: ignore[attr-defined]
    # the districts in force throughout 2013–2015 (228: 여주 changed within 2013), each with its code of
    # then; a district with two vacancies may see both go to firms of a neighbouring district
    country = set(national_districts(START, END))
    assert set(districts) <= country and len(districts) >= 0.97 * len(country)
    print(
        f"OK: 36 months with placements, {again:,} re-registrations, retention {shown}; "
        f"national mode over {len(districts)} districts"
    )


if __name__ == "__main__":
    main()
