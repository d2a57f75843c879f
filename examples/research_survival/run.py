"""Placement within N months of registering, and retention after placement, with right-censoring.

Seekers who registered recently have not had N months yet: counting them as not placed
biases the share down. Kaplan–Meier curves count each person only while observed. This
script compares the naive share with the curve, by gender and by age band, and checks
the estimator against lifelines when it is installed (``employkit[research]``).

Run: python examples/research_survival/run.py
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from employkit.metrics.survival import MONTH_DAYS, placement_curves, retention_curves
from employkit.synth import JUNGGU_2015, build

END = dt.date(2015, 12, 31)


def main() -> None:
    data = build(JUNGGU_2015.scaled(8_000, 3_000, seed=11).over(dt.date(2013, 1, 1), END))
    placed = placement_curves(data, END, by="gender")
    for row in placed.table((1, 3, 6, 12)):
        if row["group"] is None:
            print(
                f"placed within {row['months']:>2} months: {row['value']:.1%} "
                f"[{row['lower']:.1%}, {row['upper']:.1%}], {row['at_risk']:,} still followed"
            )
    # the naive share: placed within 6 months among everyone registered, however recently
    seekers = {s.seeker_id: s for s in data.seekers}
    within = {
        p.seeker_id
        for p in data.placements
        if (p.start_date - seekers[p.seeker_id].registered_on).days <= 6 * MONTH_DAYS
    }
    naive = len(within) / len(data.seekers)
    curve = 1 - placed.overall.at(6 * MONTH_DAYS)
    print(f"naive 6-month share {naive:.1%} < censoring-aware {curve:.1%}")
    assert curve > naive

    kept = retention_curves(data, END, by="age_band")
    for band, c in kept.groups.items():
        print(f"still employed at 6 months, {band}: {c.at(6 * MONTH_DAYS):.1%} (n={c.subjects:,})")

    try:
        from lifelines import KaplanMeierFitter
    except ImportError:
        print("lifelines is not installed: skipping the comparison")
        checked = "not compared"
    else:
        c = placed.groups["F"]
        durations = np.repeat(c.times, c.events + c.censored)
        events = np.concatenate([np.r_[np.ones(d), np.zeros(k)] for d, k in zip(c.events, c.censored, strict=True)])
        km = KaplanMeierFitter().fit(durations, events)
        gap = float(np.max(np.abs(km.survival_function_["KM_estimate"].loc[c.times].to_numpy() - c.survival)))
        assert gap < 1e-9, gap
        checked = f"equal to lifelines (largest difference {gap:.1e})"
    print(f"OK: placed within 6 months {curve:.1%} (naive {naive:.1%}); Kaplan–Meier {checked}")


if __name__ == "__main__":
    main()
