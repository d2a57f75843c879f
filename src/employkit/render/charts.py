"""Charts of a KPI report (optional extra ``employkit[plot]``: matplotlib, imported lazily).

Bars of placements by age band, wage band and occupation; the counselling funnel; the
monthly trend of placements. Labels are Korean when a font that renders Hangul is
installed (NanumGothic from the Debian package ``fonts-nanum``, which the project's
``make setup`` installs, or Noto Sans CJK, Malgun Gothic, AppleGothic) and English
otherwise. Published charts use the report's suppressed figures: a hidden cell is drawn
as an empty bar marked ``*``.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from employkit.errors import EmploykitError
from employkit.labels import Lang, Text

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.metrics.base import KpiValue
    from employkit.metrics.report import KpiReport
    from employkit.rules import RuleSystem

__all__ = [
    "PlotUnavailable",
    "chart_lang",
    "chart_note",
    "hangul_font",
    "plot_dashboard",
    "report_charts",
    "save_charts",
]

#: Font families that render Hangul, most preferred first.
HANGUL_FONTS = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "AppleGothic",
    "UnDotum",
    "Baekmuk Gulim",
)

#: The breakdowns charted, with their titles.
CHARTS: Sequence[tuple[str, Text]] = (
    ("age_band", Text("연령대별 취업자", "placements by age band")),
    ("wage_band", Text("급여별 취업자", "placements by monthly wage")),
    ("occupation", Text("직종별 취업자 (상위 8)", "placements by occupation (top 8)")),
    ("month", Text("월별 취업자 추이", "placements by month")),
)


class PlotUnavailable(EmploykitError):
    """matplotlib is not installed (``pip install 'employkit[plot]'``)."""


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise PlotUnavailable("charts need matplotlib: pip install 'employkit[plot]'") from None
    return matplotlib


@cache
def hangul_font() -> str | None:
    """The family name of an installed font that renders Hangul, or ``None``."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    if not installed & set(HANGUL_FONTS):
        # fonts installed after matplotlib built its cache: look on disk once
        for path in font_manager.findSystemFonts():
            if any(tag in Path(path).name for tag in ("Nanum", "NotoSansCJK", "NotoSansKR", "malgun")):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError):
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
    for name in HANGUL_FONTS:
        if name in installed:
            return name
    return None


def chart_note(lang: Lang, drawn: int) -> str | None:
    """What a report says about its charts when they are missing or not in its language.

    ``drawn`` is how many charts were drawn. ``None`` when there is nothing to say.
    """
    import importlib.util

    ko = lang == "ko"
    if importlib.util.find_spec("matplotlib") is None:
        return (
            "차트 생략: matplotlib이 설치되어 있지 않습니다 (pip install 'employkit[plot]')."
            if ko
            else "Charts skipped: matplotlib is not installed (pip install 'employkit[plot]')."
        )
    if drawn == 0:
        return "차트 생략: 그릴 자료가 없습니다." if ko else "Charts skipped: no data to draw."
    if ko and hangul_font() is None:
        return "한글 글꼴이 없어 차트의 글자를 영어로 표시했습니다 (Debian: apt-get install fonts-nanum)."
    return None


def chart_lang(lang: Lang) -> Lang:
    """``lang``, or English when Korean is asked for and no Hangul font is installed."""
    return "ko" if lang == "ko" and hangul_font() is not None else "en"


def _rc(lang: Lang) -> dict[str, Any]:
    font = hangul_font()
    families = ["DejaVu Sans"]
    if font is not None:
        families = [font, *families] if lang == "ko" else [*families, font]
    return {"font.family": families, "axes.unicode_minus": False}


def _bars(ax: Any, title: str, labels: Sequence[str], values: Sequence[float | None], unit: str) -> None:
    heights = [v or 0 for v in values]
    bars = ax.bar(range(len(labels)), heights, color="#3b6ea5")
    for bar, v in zip(bars, values, strict=True):
        text = "*" if v is None else f"{v:,.0f}"
        ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()), ha="center", va="bottom", fontsize=8)
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(labels, rotation=30 if len(labels) > 4 else 0, ha="right" if len(labels) > 4 else "center")
    ax.set_title(title)
    ax.set_ylabel(unit)
    ax.margins(y=0.15)


def _draw_breakdown(
    ax: Any, value: KpiValue, title: Text, lang: Lang, top: int | None = None, trend: bool = False
) -> None:
    cells = list(value.breakdown.values())
    if top is not None:
        cells = sorted(cells, key=lambda c: -(c.numerator or 0))[:top]
    labels = [(c.label or c.title).get(lang) for c in cells]
    values = [c.numerator for c in cells]
    unit = "명" if lang == "ko" else "people"
    if trend:
        ax.plot(range(len(labels)), [float("nan") if v is None else v for v in values], marker="o", color="#3b6ea5")
        hidden = [i for i, c in enumerate(cells) if c.suppressed or c.numerator is None]
        if hidden:  # a suppressed month is a point with no value: mark it, do not drop it
            ax.plot(hidden, [0] * len(hidden), linestyle="none", marker="x", color="#b03a2e", clip_on=False)
            for i in hidden:
                ax.annotate("*", (i, 0), ha="center", va="bottom", fontsize=9, color="#b03a2e")
            note = (
                "× * 비공개 (소규모 셀): 값을 표시하지 않음"
                if lang == "ko"
                else "× * suppressed (small cell): value not shown"
            )
            ax.text(0.01, 0.97, note, transform=ax.transAxes, fontsize=7, va="top", color="#b03a2e")
        ax.set_xticks(range(len(labels)))
        ax.set_xticklabels(labels, rotation=45, ha="right", fontsize=8)
        ax.set_title(title.get(lang))
        ax.set_ylabel(unit)
        ax.set_ylim(bottom=0)
        ax.margins(y=0.15)
        return
    _bars(ax, title.get(lang), labels, values, unit)


def funnel_title(funnel: KpiValue, lang: Lang) -> str:
    """The funnel's title naming the stages it shows."""
    from employkit.render.kpis import title

    return title(funnel, lang)


def _draw_funnel(ax: Any, funnel: KpiValue, lang: Lang) -> None:
    steps = [s for s in funnel.steps if s.kpi_id.count(".") == 1]
    labels = [(s.label or s.title).get(lang) for s in steps]
    counts = [s.numerator or 0 for s in steps]
    ax.barh(range(len(steps)), counts, color="#5a9a5a")
    ax.invert_yaxis()
    ax.set_yticks(range(len(steps)))
    ax.set_yticklabels(labels)
    for n, s in enumerate(steps):
        conv = "" if s.denominator is None else f" ({s.shown})"
        text = "*" if s.suppressed else f"{s.numerator or 0:,.0f}{conv}"
        ax.annotate(text, (counts[n], n), va="center", ha="left", fontsize=8, xytext=(3, 0), textcoords="offset points")
    ax.set_title(funnel_title(funnel, lang).replace("→", ">"))
    ax.margins(x=0.3)


def _panels(data: Dataset, system: RuleSystem, report: KpiReport) -> list[tuple[str, Text, KpiValue]]:
    from employkit.metrics.report import kpi_report

    panels: list[tuple[str, Text, KpiValue]] = []
    for column, title in CHARTS:
        sub = kpi_report(
            data,
            system,
            report.as_of,
            period=report.period,
            by=column,
            inputs=report.scope.inputs,
            only=["placements"],
            publish=report.min_cell is not None,
        )
        value = sub.get("placements").value
        if value.breakdown:
            panels.append((column, title, value))
    try:
        funnel = report.get("funnel").value
        if len([s for s in funnel.steps if s.kpi_id.count(".") == 1]) >= 2:
            panels.append(("funnel", Text(funnel_title(funnel, "ko"), funnel_title(funnel, "en")), funnel))
    except KeyError:
        pass
    if report.by and report.by not in {c for c, _ in CHARTS}:
        try:
            rate = report.get("employment_rate").value
            if rate.breakdown:
                panels.append((report.by, rate.title, rate))
        except KeyError:
            pass
    return panels


def _draw(ax: Any, column: str, title: Text, value: KpiValue, lang: Lang) -> None:
    if column == "funnel":
        _draw_funnel(ax, value, lang)
    elif value.unit == "%":
        cells = list(value.breakdown.values())
        _bars(
            ax,
            f"{title.get(lang)} — {column}",
            [(c.label or c.title).get(lang) for c in cells],
            [c.rounded for c in cells],
            "%",
        )
    else:
        _draw_breakdown(ax, value, title, lang, top=8 if column == "occupation" else None, trend=column == "month")


def _png(fig: Any) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # without a Hangul font, Korean names in the data (a centre, an occupation) draw as boxes
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def report_charts(data: Dataset, system: RuleSystem, report: KpiReport, lang: Lang = "ko") -> dict[str, bytes]:
    """One PNG per chart (title → bytes): placements by age, wage, occupation and month; the funnel.

    Raises :class:`PlotUnavailable` without matplotlib.
    """
    mpl = _matplotlib()
    from matplotlib.figure import Figure

    lang = chart_lang(lang)
    out: dict[str, bytes] = {}
    with mpl.rc_context(_rc(lang)):
        for column, title, value in _panels(data, system, report):
            fig = Figure(figsize=(6.4, 4.0), layout="constrained")
            _draw(fig.add_subplot(), column, title, value, lang)
            out[title.get(lang) if column != report.by else f"{title.get(lang)} — {column}"] = _png(fig)
    return out


def save_charts(
    data: Dataset, system: RuleSystem, report: KpiReport, folder: str | Path, lang: Lang = "ko"
) -> dict[str, str]:
    """Write each chart as ``chart-<n>.png`` in ``folder``; returns title → file name (for Markdown)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    names: dict[str, str] = {}
    for n, (title, png) in enumerate(report_charts(data, system, report, lang).items(), 1):
        name = f"chart-{n}.png"
        (target / name).write_bytes(png)
        names[title] = name
    return names


def plot_dashboard(data: Dataset, system: RuleSystem, report: KpiReport, path: str | Path, lang: Lang = "ko") -> Path:
    """Every chart of the report on one PNG page (what ``employkit kpi --plot`` writes)."""
    mpl = _matplotlib()
    from matplotlib.figure import Figure

    lang = chart_lang(lang)
    with mpl.rc_context(_rc(lang)):
        panels = _panels(data, system, report)
        cols = 2
        rows = max(1, (len(panels) + cols - 1) // cols)
        fig = Figure(figsize=(12, 4.2 * rows), layout="constrained")
        heading = report.centre or report.origin
        word = "성과지표" if lang == "ko" else "KPIs"
        fig.suptitle(f"{heading} {word} — {report.period.label}")
        if not panels:
            ax = fig.add_subplot()
            ax.text(0.5, 0.5, "자료 없음" if lang == "ko" else "no data", ha="center", va="center")
            ax.set_axis_off()
        for n, (column, title, value) in enumerate(panels, 1):
            _draw(fig.add_subplot(rows, cols, n), column, title, value, lang)
        out = Path(path)
        out.write_bytes(_png(fig))
    return out
