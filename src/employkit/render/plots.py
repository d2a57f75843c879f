"""Research plots: rates with their intervals, group comparisons, series and survival curves.

Needs matplotlib (``employkit[plot]`` or ``employkit[research]``), imported when a plot
is drawn. Labels are Korean when a Hangul font is installed (found as
:func:`employkit.render.charts.hangul_font` finds it) and English otherwise. Every
function returns the matplotlib :class:`~matplotlib.figure.Figure` and, given a path,
also writes it as PNG.

* :func:`plot_rates` — each proportion of a KPI report, one panel per KPI: the total and,
  with a breakdown, one bar per group with its interval (suppressed cells are marked
  ``*``; a census ratio has no interval);
* :func:`plot_series` — KPIs over a :class:`~employkit.metrics.series.KpiSeries`, with
  their intervals as a band, one line per group when the series has a breakdown;
* :func:`plot_curves` — Kaplan–Meier curves (:mod:`employkit.metrics.survival`) by group
  with pointwise intervals: the share placed within *t* months of registering, or still
  employed *t* months after the start.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from employkit.labels import Lang

if TYPE_CHECKING:
    from employkit.metrics.base import KpiValue
    from employkit.metrics.report import KpiReport
    from employkit.metrics.series import KpiSeries
    from employkit.metrics.survival import CurveSet

__all__ = ["plot_curves", "plot_rates", "plot_series", "rate_values"]

_COLOURS = ("#3b6ea5", "#c8553d", "#5a9a5a", "#8e6bb5", "#d4a017", "#4aa3a3", "#7f7f7f", "#b5651d")


def _setup(lang: Lang) -> tuple[Any, Lang]:
    from employkit.render.charts import _matplotlib, chart_lang, hangul_font

    mpl = _matplotlib()
    lang = chart_lang(lang)
    font = hangul_font()
    families = ["DejaVu Sans"]
    if font is not None:
        families = [font, *families] if lang == "ko" else [*families, font]
    return mpl.rc_context({"font.family": families, "axes.unicode_minus": False}), lang


def _finish(fig: Any, path: str | Path | None) -> Any:
    if path is not None:
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=110)
        Path(path).write_bytes(buffer.getvalue())
    return fig


def rate_values(report: KpiReport, kpis: Iterable[str] | None = None) -> list[KpiValue]:
    """The report's proportions (bounded percentages with a value), or the KPIs named."""
    wanted = set(kpis) if kpis is not None else None
    out = []
    for r in report.results:
        v = r.value
        if r.error or v.value is None:
            continue
        if wanted is not None:
            if {v.kpi_id, r.rule_id} & wanted:
                out.append(v)
        elif v.bounded and v.unit == "%":
            out.append(v)
    return out


def _err(v: KpiValue) -> tuple[float, float]:
    if v.interval is None or v.value is None:
        return (0.0, 0.0)
    return (v.value - v.interval.low, v.interval.high - v.value)


def plot_rates(
    report: KpiReport, path: str | Path | None = None, *, kpis: Iterable[str] | None = None, lang: Lang = "ko"
) -> Any:
    """One panel per proportion of ``report``: bars by group with interval whiskers."""
    from matplotlib.figure import Figure

    values = rate_values(report, kpis)
    context, lang = _setup(lang)
    with context:
        cols = 2 if len(values) > 1 else 1
        rows = max(1, (len(values) + cols - 1) // cols)
        fig = Figure(figsize=(6 * cols, 3.8 * rows), layout="constrained")
        word = "비율과 신뢰구간" if lang == "ko" else "rates with intervals"
        fig.suptitle(f"{report.centre or report.origin} — {report.period.label} — {word}")
        if not values:
            ax = fig.add_subplot()
            ax.text(0.5, 0.5, "비율 지표 없음" if lang == "ko" else "no rates", ha="center", va="center")
            ax.set_axis_off()
        for n, v in enumerate(values, 1):
            ax = fig.add_subplot(rows, cols, n)
            cells = [("total" if lang == "en" else "전체", v)]
            cells += [((c.label or c.title).get(lang), c) for c in v.breakdown.values()]
            labels = [name for name, _ in cells]
            heights = [c.value or 0.0 for _, c in cells]
            errs = [_err(c) for _, c in cells]
            colours = [_COLOURS[1] if i == 0 else _COLOURS[0] for i in range(len(cells))]
            ax.bar(
                range(len(cells)),
                heights,
                color=colours,
                yerr=[[e[0] for e in errs], [e[1] for e in errs]],
                capsize=3,
                ecolor="#333333",
            )
            for i, (_, c) in enumerate(cells):
                if c.suppressed:
                    ax.annotate("*", (i, 0), ha="center", va="bottom")
            ax.set_xticks(range(len(cells)))
            ax.set_xticklabels(labels, rotation=30 if len(cells) > 4 else 0, ha="right" if len(cells) > 4 else "center")
            ax.set_title(v.title.get(lang))
            ax.set_ylabel("%")
            ax.set_ylim(0, min(100.0, max([h + e[1] for h, e in zip(heights, errs, strict=True)] + [1.0]) * 1.15))
            if v.interval is None and report.scope.ci:
                ax.text(0.99, 0.97, "no interval" if lang == "en" else "구간 없음", transform=ax.transAxes,
                        ha="right", va="top", fontsize=8)  # fmt: skip
    return _finish(fig, path)


def plot_series(series: KpiSeries, kpis: Sequence[str], path: str | Path | None = None, *, lang: Lang = "ko") -> Any:
    """Each of ``kpis`` over the series' periods (one panel each); one line per group with ``by``."""
    from matplotlib.figure import Figure

    context, lang = _setup(lang)
    labels = [sp.label for sp, _ in series.reports]
    with context:
        fig = Figure(figsize=(9, 3.6 * max(1, len(kpis))), layout="constrained")
        for n, kpi in enumerate(kpis, 1):
            ax = fig.add_subplot(len(kpis), 1, n)
            values = [report.get(kpi).value for _, report in series.reports]
            title = values[0].title.get(lang) if values else kpi
            lines: dict[str, list[KpiValue | None]] = {"total" if lang == "en" else "전체": list(values)}
            if series.by is not None:
                keys = list(dict.fromkeys(k for v in values for k in v.breakdown))
                for key in keys:
                    lines[key] = [v.breakdown.get(key) for v in values]
            for i, (name, vals) in enumerate(lines.items()):
                xs = list(range(len(vals)))
                ys = [float("nan") if v is None or v.value is None else v.value for v in vals]
                colour = _COLOURS[i % len(_COLOURS)]
                ax.plot(xs, ys, marker="o", markersize=3, color=colour, label=name or None)
                low = [float("nan") if v is None or v.interval is None else v.interval.low for v in vals]
                high = [float("nan") if v is None or v.interval is None else v.interval.high for v in vals]
                ax.fill_between(xs, low, high, color=colour, alpha=0.15, linewidth=0)
            ax.set_xticks(range(len(labels)))
            ax.set_xticklabels(
                labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center", fontsize=8
            )
            ax.set_title(title)
            ax.set_ylim(bottom=0)
            if series.by is not None:
                ax.legend(fontsize=7, ncol=2)
    return _finish(fig, path)


def plot_curves(
    curves: CurveSet | Sequence[CurveSet],
    path: str | Path | None = None,
    *,
    months: float = 24,
    lang: Lang = "ko",
) -> Any:
    """Kaplan–Meier curves by group with their intervals, in months, one panel per curve set.

    Placement curves are drawn as the share placed (``1 − S``), retention curves as the
    share still employed (``S``).
    """
    from matplotlib.figure import Figure

    from employkit.metrics.survival import MONTH_DAYS

    sets = [curves] if not isinstance(curves, Sequence) else list(curves)
    context, lang = _setup(lang)
    titles = {
        "placement": ("등록 후 취업한 비율", "share placed within t months of registering"),
        "retention": ("취업 후 재직 비율", "share still employed t months after the start"),
    }
    with context:
        fig = Figure(figsize=(7 * len(sets), 4.5), layout="constrained")
        for n, cs in enumerate(sets, 1):
            ax = fig.add_subplot(1, len(sets), n)
            drawn = list(cs.groups.values()) or [cs.overall]
            for i, curve in enumerate(drawn):
                keep = curve.times <= months * MONTH_DAYS
                xs = [0.0, *(curve.times[keep] / MONTH_DAYS).tolist()]
                s, lo, hi = (
                    [1.0, *curve.survival[keep].tolist()],
                    [1.0, *curve.lower[keep].tolist()],
                    [1.0, *curve.upper[keep].tolist()],
                )
                if cs.kind == "placement":
                    s, lo, hi = [1 - x for x in s], [1 - x for x in hi], [1 - x for x in lo]
                colour = _COLOURS[i % len(_COLOURS)]
                name = curve.group if curve.group is not None else ("전체" if lang == "ko" else "everyone")
                ax.step(xs, s, where="post", color=colour, label=f"{name} (n={curve.subjects:,})")
                ax.fill_between(xs, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
            ko, en = titles.get(cs.kind, (cs.kind, cs.kind))
            by = f" · {cs.by}" if cs.by else ""
            ax.set_title((ko if lang == "ko" else en) + by)
            ax.set_xlabel("개월" if lang == "ko" else "months")
            ax.set_xlim(0, months)
            ax.set_ylim(0, 1)
            ax.legend(fontsize=8)
    return _finish(fig, path)
