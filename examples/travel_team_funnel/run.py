"""The Seoul employment centre's travel-industry special team (여행업 특별취업지원팀), 2021.

seeds/001_9743a8cda015755e.txt#L1038-L1040: 총 941명 상담 → 654명 취업서비스 제공
(알선 315명, 진로지도 244명, 훈련 45명 등) 및 130명 취업 성공 (6.15. 기준).
The parts by service are shares of the served step; they need not add up to it ("등").

Run: python examples/travel_team_funnel/run.py
"""

from __future__ import annotations

import datetime as dt

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.metrics.scope import Period
from employkit.render.kpis import render_table
from employkit.rules import RuleSystem

INPUTS = {
    "counselled": 941,
    "served": 654,
    "served.referral": 315,
    "served.guidance": 244,
    "served.training": 45,
    "placements": 130,
}
PERIOD = Period(dt.date(2021, 1, 25), dt.date(2021, 6, 15))  # the team started 21.1.25; figures as of 6.15


def main() -> None:
    report = kpi_report(
        Dataset(origin="travel-team-2021"),
        RuleSystem.build(),
        PERIOD.end,
        period=PERIOD,
        inputs=INPUTS,
        only=["funnel"],
    )
    print(render_table(report, "ko"))
    funnel = report.get("funnel").value
    steps = {s.kpi_id.removeprefix("funnel."): s for s in funnel.steps}
    assert steps["counselled"].numerator == 941
    assert (steps["served"].numerator, steps["served"].rounded) == (654, 69.5)
    assert (steps["placed"].numerator, steps["placed"].denominator, steps["placed"].rounded) == (130, 654, 19.9)
    services = {
        k.removeprefix("served."): (s.numerator, s.rounded) for k, s in steps.items() if k.startswith("served.")
    }
    assert services == {"referral": (315, 48.2), "guidance": (244, 37.3), "training": (45, 6.9)}, services
    assert (funnel.numerator, funnel.denominator, funnel.rounded) == (130, 941, 13.8)
    print(f"OK: 941 → 654 ({steps['served'].shown}) → 130 ({steps['placed'].shown}); overall {funnel.shown}")


if __name__ == "__main__":
    main()
