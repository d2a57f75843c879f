"""Wanju county (완주군) Job Support Centre, 2023: the funnel consultations → referrals → placements.

seeds/004_169ebb75f2837f78.txt#L56: 11월 말 기준 구직상담 4,013건, 알선 3,516명, 취업 1,525명;
21 counsellors (L96). The figures are totals, not records: they come in as KPI inputs.
The 4,013 consultations are cases (건), the referrals and placements people (명): the
funnel counts them apart, so no conversion runs from consultations to referrals and the
overall conversion is placements per person referred (1,525 / 3,516 = 43.4%).

Run: python examples/wanju_2023/run.py
"""

from __future__ import annotations

import datetime as dt

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.metrics.scope import Period
from employkit.render.kpis import render_table
from employkit.rules import RuleSystem

INPUTS = {"consultations": 4013, "referrals": 3516, "placements": 1525, "counsellors": 21}
PERIOD = Period(dt.date(2023, 1, 1), dt.date(2023, 11, 30))  # to the end of November


def main() -> None:
    system = RuleSystem.build()
    report = kpi_report(
        Dataset(origin="wanju-2023"),
        system,
        PERIOD.end,
        period=PERIOD,
        inputs=INPUTS,
        only=["funnel", "referral_placement_rate"],
    )
    print(render_table(report, "ko"))
    funnel = report.get("funnel").value
    steps = {s.kpi_id.removeprefix("funnel."): s for s in funnel.steps}
    assert [(k, s.numerator) for k, s in steps.items()] == [
        ("consultations", 4013),
        ("served", 3516),
        ("placed", 1525),
    ]
    assert steps["consultations"].unit == "cases" and steps["served"].unit == "people"
    assert steps["served"].denominator is None  # people are not a share of consultations (cases)
    assert steps["placed"].rounded == 43.4  # 1,525 / 3,516
    assert (funnel.numerator, funnel.denominator, funnel.rounded) == (1525, 3516, 43.4)
    # the article does not say how many of the 1,525 came through a referral: no referral placement rate
    referral = report.get("referral_placement_rate").value
    assert referral.value is None and "referral_placements" in referral.missing
    print(
        f"OK: 4,013 consultations (cases); 3,516 referred → 1,525 placed ({steps['placed'].shown}); "
        f"overall {funnel.shown} of people referred"
    )


if __name__ == "__main__":
    main()
