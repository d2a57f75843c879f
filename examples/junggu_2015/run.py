"""Jung-gu Job Plus Centre, 2015 results, reproduced from the bundled sample centre.

The sample centre (``employkit.synth.sample_centre()``) is synthetic but has the totals
and marginals of seeds/000_743a0a447e219bca.txt: 3,110 seekers, 1,302 firms with 2,239
openings, 1,095 placements, 482 of them residents (L11-L17, L112-L117, L582-L601).

Run: python examples/junggu_2015/run.py [--out FOLDER]   (FOLDER gets report.md, report.html, charts)
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from employkit.metrics.report import kpi_report
from employkit.render.kpis import render_html, render_markdown, render_table
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

AS_OF = dt.date(2016, 1, 31)  # the 2016 operating plan reports the 2015 year


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=None, help="write report.md, report.html and charts here")
    args = parser.parse_args()

    data = sample_centre()
    system = RuleSystem.build()
    report = kpi_report(data, system, AS_OF, year=2015)
    print(render_table(report, "ko"))

    rate = report.get("employment_rate").value
    target = report.get("target_achievement").value
    residents = report.get("resident_share").value
    # 취업률 35% [(취업자/구직자)×100] (L11-L12); 목표 2,300명 대비 48% (L115); 중구민 482명, 44% (L117)
    assert (rate.numerator, rate.denominator, rate.rounded, rate.display) == (1095, 3110, 35.2, "35%")
    assert (target.numerator, target.denominator, target.rounded, target.display) == (1095, 2300, 47.6, "48%")
    assert (residents.numerator, residents.denominator, residents.rounded, residents.display) == (
        482,
        1095,
        44.0,
        "44%",
    )
    assert report.get("openings").value.numerator == 2239 and report.get("employers").value.numerator == 1302

    # 연령별 취업자 수: 40-50대(595명) > 60세이상(361명) > 20-30대(139명) (L597)
    by_age = kpi_report(data, system, AS_OF, year=2015, by="age_band", only=["placements"]).get("placements").value
    ages = {k: c.numerator for k, c in by_age.breakdown.items()}
    assert ages == {"20-30s": 139, "40-50s": 595, "60+": 361}, ages
    # 급여별 취업자 수: 100~150만원(581) > 150~200만원(181) > 100만원이하(309) > 200만원이상(24) (L601)
    by_wage = kpi_report(data, system, AS_OF, year=2015, by="wage_band", only=["placements"]).get("placements").value
    wages = {k: c.numerator for k, c in by_wage.breakdown.items()}
    assert wages == {"<=1.0M": 309, "1.0-1.5M": 581, "1.5-2.0M": 181, ">=2.0M": 24}, wages
    # 직종별 취업자 분포: 청소 44%, 사무직 11%, 서비스직 7% (L635-L668)
    by_job = kpi_report(data, system, AS_OF, year=2015, by="occupation", only=["placements"]).get("placements").value
    share = {k: round(100 * (c.numerator or 0) / 1095) for k, c in by_job.breakdown.items()}
    assert (share["5611"], share["0295"], share["5629"]) == (44, 11, 7), share

    print()
    print(
        "연령별 취업자:",
        ", ".join(f"{c.label.ko if c.label else k} {c.numerator}" for k, c in by_age.breakdown.items()),
    )
    print(
        "급여별 취업자:",
        ", ".join(f"{c.label.ko if c.label else k} {c.numerator}" for k, c in by_wage.breakdown.items()),
    )
    print(f"직종별: 청소원 {share['5611']}%, 사무 보조 {share['0295']}%, 서비스 {share['5629']}%")
    print(
        f"OK: employment rate {rate.rounded}% ({rate.display}), target {target.rounded}% ({target.display}), "
        f"residents {residents.rounded}% ({residents.display})"
    )

    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            from employkit.render.charts import report_charts, save_charts

            names = save_charts(data, system, report, args.out)
            charts = report_charts(data, system, report)
        except ImportError:
            names, charts = {}, {}
        (args.out / "report.md").write_text(render_markdown(report, "ko", names), encoding="utf-8")
        (args.out / "report.html").write_text(render_html(report, "ko", charts), encoding="utf-8")
        print(f"written to {args.out}")


if __name__ == "__main__":
    main()
