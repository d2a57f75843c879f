"""Guro-gu (구로구) 2010: labour-force rates and the local-hiring agreement, from KPI inputs.

Labour-force counts are not a centre's records: they come in as KPI inputs
(seeds/003_cafe3b9757853c08.txt, <표 1>, L48-L63). The source prints the inactive
population as "159.182"; it is 159,182 (421,115 − 261,933).

Run: python examples/guro_2010/run.py
"""

from __future__ import annotations

import datetime as dt

import employkit_guro

from employkit.dataset import Dataset
from employkit.metrics.report import kpi_report
from employkit.render.kpis import render_table
from employkit.rules import RuleSystem
from employkit.testing import make_system

LABOUR_FORCE = {
    "population": 421_115,  # 인구수 (L48)
    "economically_active": 261_933,  # 경제활동인구 (L49)
    "inactive": 159_182,  # 비경제활동인구 (L53)
    "employed": 250_146,  # 취업자 (L57)
    "unemployed": 11_787,  # 실업자 (L61)
}
# 대성 디큐브시티: 고용인력 1,000명 중 50%인 500명을 구로구 주민으로 (L30-L32, L121)
LOCAL_HIRING = {"local_hiring.jobs": 1000, "local_hiring.resident_share": 0.5}
# 연도별 취업 목표 2010-2014 (<표 2>, L72-L74): the Guro pack's metrics.target.placements
YEARS = range(2010, 2015)


def main() -> None:
    lf = LABOUR_FORCE
    assert lf["employed"] + lf["unemployed"] == lf["economically_active"]
    assert lf["economically_active"] + lf["inactive"] == lf["population"]
    # <표 2> prints a total of 18,640 (12,850 + 5,790), but its yearly figures add up to 18,650:
    # the second sub-row (1,100 + 1,260 + 1,170 + 1,160 + 1,110) is 5,800, not 5,790.
    guro = make_system(employkit_guro, region="11530")
    targets = {y: guro.parameter("metrics.target.placements", dt.date(y, 6, 30)).value for y in YEARS}
    assert sum(targets.values()) == 18_650, targets
    assert 1_100 + 1_260 + 1_170 + 1_160 + 1_110 == 5_800 and 3_250 + 2_550 + 2_450 + 2_350 + 2_250 == 12_850

    system = RuleSystem.build()
    report = kpi_report(
        Dataset(origin="guro-2010"), system, dt.date(2010, 9, 30), year=2010, inputs={**lf, **LOCAL_HIRING}
    )
    keys = [k for k in report.kpi_ids() if k.startswith("labour_force") or k == "local_hiring_progress"]
    print(
        render_table(
            kpi_report(
                Dataset(origin="guro-2010"),
                system,
                dt.date(2010, 9, 30),
                year=2010,
                inputs={**lf, **LOCAL_HIRING},
                only=keys,
            ),
            "ko",
        )
    )

    got = {k: report.get(k).value.rounded for k in keys if k.startswith("labour_force")}
    # (62.2) (37.8) (95.5) (4.5) in <표 1>; 실업률 4.5% vs 전국 3.9% (L11)
    assert got["labour_force_participation"] == 62.2, got
    assert got["labour_force_inactive"] == 37.8, got
    assert got["labour_force_employed_share"] == 95.5, got
    assert got["labour_force_unemployment_rate"] == 4.5, got
    unemployment = report.get("labour_force_unemployment_rate").value
    assert (unemployment.numerator, unemployment.denominator) == (11_787, 261_933)

    quota = report.get("local_hiring_progress").value
    assert quota.denominator == 500  # 1,000 jobs × 50% for residents
    assert quota.missing == ("local_hiring.resident_hires",)  # the plan reports the agreement, not hires yet
    print(
        f"OK: participation {got['labour_force_participation']}%, unemployment "
        f"{got['labour_force_unemployment_rate']}% (11,787 / 261,933); local-hiring quota {quota.denominator} residents"
    )
    print("targets (Guro pack): " + ", ".join(f"{y} {t:,}" for y, t in targets.items()))


if __name__ == "__main__":
    main()
