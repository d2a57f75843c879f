"""Rates with their intervals by group, a quarterly series and survival curves, as PNG files.

Needs matplotlib (``employkit[plot]``). Korean labels when a Hangul font is installed.

Run: python examples/research_plots/run.py [--out FOLDER] [--lang ko|en]
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from employkit.metrics.report import kpi_report
from employkit.metrics.series import kpi_series
from employkit.metrics.survival import placement_curves, retention_curves
from employkit.render.plots import plot_curves, plot_rates, plot_series
from employkit.rules import RuleSystem
from employkit.synth import sample_centre


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="plots")
    parser.add_argument("--lang", choices=["ko", "en"], default="ko")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    data, system, day = sample_centre(), RuleSystem.build(), dt.date(2016, 12, 31)
    report = kpi_report(data, system, day, by="age_band", ci=True)
    plot_rates(report, out / "rates.png", kpis=["employment_rate", "resident_share"], lang=args.lang)
    series = kpi_series(data, system, "month", as_of=day, ci=True, only=["employment_rate", "retention_1m"])
    plot_series(series, ["employment_rate", "retention_1m"], out / "series.png", lang=args.lang)
    curves = [placement_curves(data, day, by="gender"), retention_curves(data, day, by="age_band")]
    plot_curves(curves, out / "curves.png", months=18, lang=args.lang)
    written = sorted(p.name for p in out.glob("*.png"))
    assert written == ["curves.png", "rates.png", "series.png"]
    assert all((out / name).read_bytes().startswith(b"\x89PNG") for name in written)
    print(f"OK: {', '.join(written)} written to {out}")


if __name__ == "__main__":
    main()
