"""`employkit kpi`'s KPI step on a 200k-seeker centre, against a plain pandas recomputation.

Make the centre once with the CLI (about a minute)::

    employkit synth --seekers 200000 --vacancies 80000 --out /tmp/centre200k

then::

    python benchmarks/kpi_centre.py /tmp/centre200k [--as-of 2016-06-30]

The script times, in the same run:

1. **load** — :func:`employkit.sources.load` (what the CLI does: read and validate the
   files into records), against ``pandas.read_csv`` of the same files;
2. **KPI step** — :func:`employkit.metrics.report.kpi_report` on the loaded records, as
   ``employkit kpi`` and the KPI step of ``employkit run`` call it (every KPI of the
   active packs, with explanations and suppression);
3. **pandas** — the same figures recomputed with plain pandas from the DataFrames of
   step 1: the counts and rates of the national formulas (seekers, placements,
   employment rate, residents' share, openings, employers, quality-job share, openings
   filled) and retention at 1, 3, 6 and 12 months by the one definition
   (:mod:`employkit.followup.retention`), written as a pandas programmer would
   (``merge_asof`` for the last contact before each point).

It prints both times, the ratio (goal of issue 16: the KPI step ≤ 3× pandas), and the
figures of both side by side, which must agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from employkit.metrics.report import kpi_report
from employkit.rules import RuleSystem
from employkit.sources import load

EMPLOYED = ["still_employed", "renewed", "converted_regular", "considering_move"]
LEFT = ["left_seeking", "left_not_seeking"]
WINDOW = 14


def _read(folder: Path) -> dict[str, pd.DataFrame]:
    dates = {
        "seekers": ["registered_on", "birth_date"],
        "employers": [],
        "vacancies": ["posted_on", "closes_on"],
        "placements": ["start_date", "contract_end", "ended_on"],
        "followups": ["due_on", "contacted_on"],
    }
    ids = {"seeker_id": str, "employer_id": str, "vacancy_id": str, "placement_id": str, "residence_code": str}
    return {
        t: pd.read_csv(folder / f"{t}.csv", parse_dates=cols, dtype=ids, keep_default_na=True)
        for t, cols in dates.items()
    }


def _retention(p: pd.DataFrame, f: pd.DataFrame, months: int, as_of: pd.Timestamp) -> tuple[int, int]:
    point = p["start_date"] + pd.DateOffset(months=months)
    due = p[point <= as_of].assign(point=point[point <= as_of])
    sign = np.select([f["outcome"].isin(EMPLOYED), f["outcome"].isin(LEFT)], [1, -1], 0)
    c = f.assign(sign=sign)
    c = c[(c["sign"] != 0) & (c["contacted_on"] <= as_of)]
    c = c.merge(due[["placement_id", "start_date", "point"]], on="placement_id")
    c = c[c["contacted_on"] >= c["start_date"]]
    c = c.sort_values(["placement_id", "contacted_on", "sign"], ascending=[True, True, False])
    before = c[c["contacted_on"] <= c["point"]].groupby("placement_id").tail(1).set_index("placement_id")
    after = c[c["contacted_on"] > c["point"]].groupby("placement_id").head(1).set_index("placement_id")
    d = due.set_index("placement_id")
    last_sign = before["sign"].reindex(d.index).fillna(0)
    last_day = before["contacted_on"].reindex(d.index)
    next_sign = after["sign"].reindex(d.index).fillna(0)
    recent = (last_day >= d["point"] - pd.Timedelta(days=WINDOW)).fillna(False)
    retained = ((last_sign > 0) & recent) | ((last_sign >= 0) & (next_sign > 0))
    ended = d["ended_on"]
    retained = retained.where(ended.isna(), ended >= d["point"])
    return int(retained.sum()), len(d)


def pandas_kpis(t: dict[str, pd.DataFrame], year: int, as_of: pd.Timestamp, region: str) -> dict[str, Any]:
    s, p, v, e, f = (t[k] for k in ("seekers", "placements", "vacancies", "employers", "followups"))
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    last = min(end, as_of)
    seekers = s[(s["registered_on"] >= start) & (s["registered_on"] <= last)]
    placed = p[(p["start_date"] >= start) & (p["start_date"] <= last)]
    residents = placed.merge(s[["seeker_id", "residence_code"]], on="seeker_id", how="left")
    vac = v[(v["posted_on"] >= start) & (v["posted_on"] <= last)]
    out: dict[str, Any] = {
        "seekers": len(seekers),
        "placements": len(placed),
        "employment_rate": (len(placed), len(seekers)),
        "resident_share": (int((residents["residence_code"] == region).sum()), len(placed)),
        "openings": int(vac["openings"].sum()),
        "employers": int(e["employer_id"].isin(vac["employer_id"]).sum()),
        "quality_job_share": (int((placed["monthly_wage"] >= 2_000_000).sum()), len(placed)),
        "openings_filled": (len(placed), int(vac["openings"].sum())),
    }
    for m in (1, 3, 6, 12):
        out[f"retention_{m}m"] = _retention(placed, f, m, as_of)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--as-of", default="2016-06-30")
    args = ap.parse_args()
    as_of = dt.date.fromisoformat(args.as_of)
    system = RuleSystem.build()

    t0 = time.perf_counter()
    frames = _read(args.folder)
    t_read = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = load(args.folder, system)
    t_load = time.perf_counter() - t0
    print(f"load: employkit.sources.load {t_load:.1f} s, pandas.read_csv {t_read:.1f} s ({t_load / t_read:.1f}×)")

    t0 = time.perf_counter()
    report = kpi_report(data, system, as_of)
    t_kpi = time.perf_counter() - t0
    t0 = time.perf_counter()
    kpi_report(data, system, as_of, by="age_band")
    t_by = time.perf_counter() - t0
    year = report.period.start.year
    region = data.centre.region_code if data.centre is not None else ""
    t0 = time.perf_counter()
    peer = pandas_kpis(frames, year, pd.Timestamp(as_of), region or "")
    t_pd = time.perf_counter() - t0
    print(f"KPI step ({len(report.results)} KPIs, {year}): employkit {t_kpi:.2f} s, pandas {t_pd:.2f} s")
    print(f"(with --by age_band: employkit {t_by:.2f} s)")
    print(f"ratio {t_kpi / t_pd:.2f}× (goal ≤ 3×)")
    for key, want in peer.items():
        try:
            v = report.get(key).value
        except KeyError:
            continue
        have = (v.numerator, v.denominator) if isinstance(want, tuple) else v.numerator
        mark = "" if have == want or (isinstance(want, tuple) and tuple(have) == tuple(want)) else "  ← differs"
        print(f"  {key:20} employkit {have!s:>20}  pandas {want!s:>20}{mark}")


if __name__ == "__main__":
    main()
