"""A KPI report as a plain-text table for a terminal and as a CSV file."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from employkit.export import SafeWriter
from employkit.labels import Lang, Text
from employkit.render.kpis.data import number
from employkit.render.kpis.values import HEAD, exists, footnote, heading, published, result_rows, why_missing
from employkit.render.text import aligned

if TYPE_CHECKING:
    from employkit.metrics.base import KpiValue
    from employkit.metrics.report import KpiReport, KpiResult

__all__ = ["render_csv", "render_table"]


def render_table(report: KpiReport, lang: Lang = "ko") -> str:
    """A plain-text table for a terminal."""
    rows = [row for r in report.results for row in result_rows(r, lang, report.min_cell)]
    return "\n".join([heading(report, lang), aligned(HEAD[lang], rows), footnote(report, lang)])


def render_csv(report: KpiReport) -> str:
    """One row per KPI, per breakdown cell and per funnel step (UTF-8 text, header first).

    A value that does not exist has empty value, numerator, denominator and interval;
    ``reason_ko`` and ``reason_en`` say why.
    """
    buffer = io.StringIO()
    writer = SafeWriter(buffer)  # formulas neutralised, resident numbers masked
    writer.writerow(
        [
            "id",
            "name_ko",
            "name_en",
            "cell",
            "cell_ko",
            "cell_en",
            "value",
            "display",
            "numerator",
            "denominator",
            "unit",
            "ci_low",
            "ci_high",
            "suppressed",
            "pack",
            "pack_version",
            "reason_ko",
            "reason_en",
        ]
    )

    def row(v: KpiValue, cell: str, label: Text | None, r: KpiResult) -> list[Any]:
        there = exists(v)
        i = v.interval if there else None
        why = why_missing(v, report.min_cell)
        return [
            v.kpi_id,
            v.title.ko,
            v.title.en,
            cell,
            label.ko if label else "",
            label.en if label else "",
            "" if v.rounded is None or not there else v.rounded,
            published(v),
            "" if v.numerator is None or not there else number(v.numerator),
            "" if v.denominator is None or not there else number(v.denominator),
            v.unit,
            "" if i is None else round(i.low, v.precision + 1),
            "" if i is None else round(i.high, v.precision + 1),
            "yes" if v.suppressed else "no",
            r.pack,
            r.pack_version,
            why.ko if why else "",
            why.en if why else "",
        ]

    for r in report.results:
        writer.writerow(row(r.value, "", None, r))
        for s in r.value.steps:
            writer.writerow(row(s, "step:" + s.kpi_id.rpartition(".")[2], s.label, r))
        for key, c in r.value.breakdown.items():
            writer.writerow(row(c, key, c.label, r))
    return buffer.getvalue()
