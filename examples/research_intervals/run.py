"""Intervals only where they mean something, and suppression that hides only what reveals a small count.

Run: python examples/research_intervals/run.py
"""

from __future__ import annotations

import datetime as dt

from employkit.metrics.report import kpi_report
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

DAY = dt.date(2016, 6, 30)


def main() -> None:
    data, system = sample_centre(), RuleSystem.build()
    census = {"population": 421_115, "economically_active": 261_933, "employed": 250_146, "unemployed": 11_787}
    report = kpi_report(data, system, DAY, inputs=census, ci=True)
    rate = report.get("cohort_employment_rate").value  # a proportion of the period's registrants
    assert rate.interval is not None
    print(
        f"cohort employment rate {rate.shown}, 95% interval {rate.interval.low:.1f}–{rate.interval.high:.1f}% (records)"
    )
    no_interval = [
        r.value
        for r in report.results
        if not r.error
        and r.value.value is not None
        and set(r.value.explanation.inputs) & set(census)
        and r.value.bounded
    ]
    for v in no_interval:
        assert v.interval is None
        why = next(r.en for r in v.explanation.reasons if "confidence interval" in r.en)
        print(f"{v.title.en}: {v.shown} — {why}")
    published = kpi_report(data, system, DAY, by="month")
    truth = kpi_report(data, system, DAY, by="month", publish=False)
    january = truth.get("placements").value.breakdown["2015-01"].numerator
    seekers = published.get("seekers").value.breakdown["2015-01"]
    assert published.get("placements").value.breakdown["2015-01"].suppressed and not seekers.suppressed
    print(f"January: {january} placements started (hidden), {seekers.numerator} seekers registered (shown)")
    print(f"OK: {len(no_interval)} census ratios without an interval; January's seekers shown, its placements hidden")


if __name__ == "__main__":
    main()
