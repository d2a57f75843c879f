"""KPIs with charts: the sample centre's report as PNG charts, Markdown and HTML.

Run: python examples/kpi_charts/run.py [--out FOLDER] [--lang ko|en]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from employkit.metrics.report import kpi_report
from employkit.render.charts import hangul_font, plot_dashboard, save_charts
from employkit.render.kpis import render_html, render_markdown
from employkit.rules import RuleSystem
from employkit.synth import sample_centre

AS_OF = dt.date(2016, 1, 31)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("kpi-charts"))
    parser.add_argument("--lang", choices=["ko", "en"], default="ko")
    args = parser.parse_args()

    data, system = sample_centre(), RuleSystem.build()
    report = kpi_report(data, system, AS_OF, year=2015)
    args.out.mkdir(parents=True, exist_ok=True)
    dashboard = plot_dashboard(data, system, report, args.out / "dashboard.png", args.lang)
    charts = save_charts(data, system, report, args.out, args.lang)
    (args.out / "report.md").write_text(render_markdown(report, args.lang, charts=charts), encoding="utf-8")
    (args.out / "report.html").write_text(render_html(report, args.lang), encoding="utf-8")

    from matplotlib.image import imread

    pixels = imread(dashboard)
    assert pixels.shape[0] > 400 and pixels.shape[1] > 400 and float(pixels.std()) > 0.01
    assert len(charts) >= 4 and all((args.out / name).stat().st_size > 5000 for name in charts.values())
    font = hangul_font() or "none (English labels)"
    print(f"charts: {', '.join(charts)}")
    print(f"OK: dashboard {pixels.shape[1]}×{pixels.shape[0]} px and {len(charts)} charts in {args.out}; font {font}")


if __name__ == "__main__":
    main()
