"""A KPI report as Markdown and as HTML (a whole page or a fragment to place in one)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from employkit.documents import cite
from employkit.export import md_text
from employkit.labels import Lang
from employkit.render.kpis.values import (
    DOC_HEAD,
    HEAD,
    document_rows,
    documents_heading,
    exists,
    footnote,
    heading,
    result_rows,
    row,
    title,
)

if TYPE_CHECKING:
    from employkit.metrics.report import KpiReport

__all__ = ["html_fragment", "render_html", "render_markdown"]


def _parameter_line(use: Any, lang: Lang) -> str:
    source = cite(str(use.source), lang) if use.source else use.pack
    return f"`{use.parameter_id}` = {md_text(str(use.value))} ({md_text(source)})"


def render_markdown(
    report: KpiReport,
    lang: Lang = "ko",
    charts: Mapping[str, str] | None = None,
    chart_note: str | None = None,
) -> str:
    """A Markdown report: the KPI table, breakdowns, funnel steps, each KPI's reasons and the documents cited.

    ``charts`` maps chart titles to image paths (relative to the Markdown file), as
    written by :func:`employkit.render.charts.save_charts`; ``chart_note`` says why
    charts are missing or drawn in English (:func:`employkit.render.charts.chart_note`).
    """
    head = HEAD[lang]
    lines = [f"# {md_text(heading(report, lang))}", ""]
    lines.append("| " + " | ".join(md_text(h) for h in head) + " |")
    lines.append("|" + "---|" * len(head))
    for r in report.results:
        cells = row(r.value, title(r.value, lang), f"{r.pack} {r.pack_version}", lang, report.min_cell, r.error)
        lines.append("| " + " | ".join(md_text(c) for c in cells) + " |")
    lines += ["", footnote(report, lang), ""]  # employkit's own text: the footnote's "*" is the mark
    if chart_note:
        lines += [f"> {chart_note}", ""]  # employkit's own text, as written
    for name, path in (charts or {}).items():
        lines += [f"![{md_text(name)}]({path})", ""]  # a path employkit chose (chart-N.png)
    for r in report.results:
        v = r.value
        if not (v.breakdown or v.steps):
            continue
        lines += [f"## {md_text(title(v, lang))}", ""]
        lines.append("| " + " | ".join((head[0], head[1], head[3], head[4], head[8])) + " |")
        lines.append("|---|---|---|---|---|")
        for part in (*v.steps, *v.breakdown.values()):
            cells = row(part, (part.label or part.title).get(lang), "", lang, report.min_cell)
            lines.append("| " + " | ".join(md_text(cells[i]) for i in (0, 1, 3, 4, 8)) + " |")
        lines.append("")
    lines += ["## " + ("산식과 근거" if lang == "ko" else "Definitions and reasons"), ""]
    for r in report.results:
        v = r.value
        source = f" — {cite(str(r.source), lang)}" if r.source else ""
        about = f"{md_text(r.rule_id)}, {md_text(r.pack)} {md_text(r.pack_version)}"
        lines.append(f"- **{md_text(title(v, lang))}** ({about}){md_text(source)}")
        for reason in v.explanation.reasons:
            lines.append(f"  - {md_text(cite(reason.get(lang), lang))}")
        for use in v.explanation.parameters:
            lines.append(f"  - {_parameter_line(use, lang)}")
    docs = document_rows(report, lang)
    if docs:
        lines += ["", f"## {documents_heading(lang)}", ""]
        lines.append("| " + " | ".join(DOC_HEAD[lang]) + " |")
        lines.append("|---|---|---|---:|---|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in doc) + " |" for doc in docs]  # employkit's table
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- HTML

_CSS = """
body{font-family:'NanumGothic','Noto Sans KR','Malgun Gothic',sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}tr.part td:first-child{padding-left:2em;color:#555}
.note{color:#666;font-size:.9em}figure{display:inline-block;margin:1em}img{max-width:640px}
td.why,th:last-child{text-align:left}td.why{color:#666;font-size:.85em;max-width:24em}th{white-space:nowrap}
table.documents td,table.documents th{text-align:left}
"""


def render_html(
    report: KpiReport,
    lang: Lang = "ko",
    charts: Mapping[str, bytes] | None = None,
    chart_note: str | None = None,
) -> str:
    """A self-contained HTML report; ``charts`` (title → PNG bytes) are embedded as data URIs.

    Get the charts from :func:`employkit.render.charts.report_charts` (needs matplotlib).
    """
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{e(heading(report, lang))}</title>',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(heading(report, lang))}</h1>",
        html_fragment(report, lang, charts, chart_note),
        "</body></html>",
    ]
    return "\n".join(out) + "\n"


def html_fragment(
    report: KpiReport,
    lang: Lang = "ko",
    charts: Mapping[str, bytes] | None = None,
    chart_note: str | None = None,
) -> str:
    """The report's table, charts, definitions and documents cited as HTML to place inside a page's body.

    Each KPI's row carries ``data-kpi`` (its key) and its value cell ``data-value`` (the
    rounded value in ``kpis.json``), so a page can be checked against the JSON.
    """
    import base64

    e = html.escape
    head = HEAD[lang]
    out = ["<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in report.results:
        value = "" if r.value.rounded is None or not exists(r.value) else repr(r.value.rounded)
        for n, line in enumerate(result_rows(r, lang, report.min_cell)):
            cells = "".join(
                f'<td data-value="{e(value)}">{e(c)}</td>'
                if n == 0 and i == 1
                else f'<td class="why">{e(c)}</td>'
                if i == len(line) - 1
                else f"<td>{e(c.strip() if i == 0 else c)}</td>"
                for i, c in enumerate(line)
            )
            out.append(
                f'<tr data-kpi="{e(r.value.kpi_id)}">{cells}</tr>' if n == 0 else f'<tr class="part">{cells}</tr>'
            )
    out.append("</tbody></table>")
    out.append(f'<p class="note">{e(footnote(report, lang))}</p>')
    if chart_note:
        out.append(f'<p class="note chart-note">{e(chart_note)}</p>')
    for caption, png in (charts or {}).items():
        data = base64.b64encode(png).decode("ascii")
        image = f'<img class="chart" alt="{e(caption)}" src="data:image/png;base64,{data}">'
        out.append(f"<figure>{image}<figcaption>{e(caption)}</figcaption></figure>")
    out.append(f"<h2>{'산식과 근거' if lang == 'ko' else 'Definitions and reasons'}</h2><dl>")
    for r in report.results:
        v = r.value
        out.append(f"<dt><b>{e(title(v, lang))}</b> <code>{e(r.rule_id)}</code> — {e(r.pack)} {e(r.pack_version)}</dt>")
        reasons = "".join(f"<li>{e(cite(x.get(lang), lang))}</li>" for x in v.explanation.reasons)
        params = "".join(
            f"<li><code>{e(u.parameter_id)}</code> = {e(str(u.value))} "
            f"({e(cite(str(u.source), lang) if u.source else u.pack)})</li>"
            for u in v.explanation.parameters
        )
        source = f"<li>{'출처' if lang == 'ko' else 'source'}: {e(cite(str(r.source), lang))}</li>" if r.source else ""
        out.append(f"<dd><ul>{reasons}{params}{source}</ul></dd>")
    out.append("</dl>")
    docs = document_rows(report, lang)
    if docs:
        out.append(f'<h2 id="documents">{documents_heading(lang)}</h2><table class="documents"><thead><tr>')
        out.append("".join(f"<th>{e(h)}</th>" for h in DOC_HEAD[lang]) + "</tr></thead><tbody>")
        for doc in docs:
            out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in doc) + "</tr>")
        out.append("</tbody></table>")
    return "\n".join(out)
