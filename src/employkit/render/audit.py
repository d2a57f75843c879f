"""The fairness audit as plain-text tables and as an HTML page."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from employkit.labels import Lang

if TYPE_CHECKING:
    from employkit.accountability.audit.records import FairnessAudit


def _pct(x: float | None) -> str:
    return "*" if x is None else f"{100 * x:.1f}%"


def _num(x: float | int | None, digits: int = 2) -> str:
    if x is None:
        return "*"
    if isinstance(x, int):
        return f"{x:,}"
    return f"{x:.{digits}f}"


def _mark(flagged: bool, reference: bool) -> str:
    return "⚑" if flagged else ("ref" if reference else "")


def _tables(audit: FairnessAudit, lang: Lang) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every table of the audit as (title, headers, rows)."""
    out: list[tuple[str, list[str], list[list[str]]]] = []
    for p in audit.profiling:
        title = (
            f"유형분류 {p.typology_id} ({p.pack} {p.pack_version}) · 집단 {p.attribute} · "
            f"유리한 결과: {', '.join(p.favourable)}"
            if lang == "ko"
            else f"profiling {p.typology_id} ({p.pack} {p.pack_version}) · by {p.attribute} · favourable: "
            f"{', '.join(p.favourable)}"
        )
        headers = (
            ["group", "seekers", "profiled"] + [code for code, _ in p.segments] + ["selected", "rate", "ratio", ""]
        )
        rows = []
        for r in p.rows:
            rows.append(
                [r.label.get(lang) if r.group != r.label.en else r.group, _num(r.seekers), _num(r.profiled)]
                + [f"{_num(r.counts[c])} ({_pct(r.shares[c])})" for c, _ in p.segments]
                + [_num(r.selected), _pct(r.rate), _num(r.ratio), _mark(r.flagged, r.reference)]
            )
        out.append((title, headers, rows))
    for m in audit.matching:
        title = (
            f"매칭 노출도 · 집단 {m.attribute} · 구인 {m.vacancies:,}건의 상위 {m.top_k}명 목록"
            if lang == "ko"
            else f"matching exposure · by {m.attribute} · top-{m.top_k} lists of {m.vacancies:,} vacancies"
        )
        headers = ["group", "seekers", "listed", "exposure", "ratio", "mean listed", "mean best", ""]
        rows = [
            [
                r.label.get(lang),
                _num(r.seekers),
                _num(r.appearances),
                _num(r.exposure, 3),
                _num(r.ratio),
                _num(r.mean_listed_score, 3),
                _num(r.mean_best_score, 3),
                _mark(r.flagged, r.reference),
            ]
            for r in m.rows
        ]
        out.append((title, headers, rows))
    for pa in audit.placement:
        title = (
            f"취업률 ({pa.kpi}, {pa.period}) · 집단 {pa.attribute}"
            if lang == "ko"
            else f"employment rate ({pa.kpi}, {pa.period}) · by {pa.attribute}"
        )
        headers = ["group", "seekers", "placed", "rate", "ratio", ""]
        rows = [
            [
                pr.label.get(lang),
                _num(pr.seekers),
                _num(pr.placed),
                _pct(pr.rate),
                _num(pr.ratio),
                _mark(pr.flagged, pr.reference),
            ]
            for pr in pa.rows
        ]
        out.append((title, headers, rows))
    for t in audit.retention:
        title = f"고용유지 · 집단 {t.attribute}" if lang == "ko" else f"retention · by {t.attribute}"
        headers = ["group", "placements"]
        for mo in t.months:
            headers += [f"{mo}m retained/known", f"{mo}m rate", f"{mo}m ratio", ""]
        rows = []
        for rr in t.rows:
            row = [rr.label.get(lang), _num(rr.placements)]
            for c in rr.cells:
                row += [
                    f"{_num(c.retained)}/{_num(c.known)}",
                    _pct(c.rate),
                    _num(c.ratio),
                    _mark(c.flagged, c.reference),
                ]
            rows.append(row)
        out.append((title, headers, rows))
    if audit.protected:
        title = "보호 속성 사용" if lang == "ko" else "protected attributes"
        headers = ["rule", "pack", "declared", "used", "allowed", "statement"]
        rows = [
            [
                u.rule_id,
                f"{u.pack} {u.pack_version}",
                ", ".join(u.declared) or "-",
                ", ".join(u.used) or "-",
                ", ".join(u.allowed) or "-",
                u.statement.get(lang),
            ]
            for u in audit.protected
        ]
        out.append((title, headers, rows))
    return out


def _head(audit: FairnessAudit, lang: Lang) -> list[str]:
    who = audit.centre or audit.origin
    if lang == "ko":
        return [
            f"공정성 감사 · {who} · 기준일 {audit.as_of.isoformat()}",
            f"4/5 규칙 기준 {audit.threshold:g} (29 CFR 1607.4(D)) · 최소 셀 {audit.min_cell}"
            + (" · 공표용 (소규모 셀 비공개)" if audit.publish else " · 내부용 (비공개 처리 없음)"),
        ]
    return [
        f"fairness audit · {who} · as of {audit.as_of.isoformat()}",
        f"four-fifths threshold {audit.threshold:g} (29 CFR 1607.4(D)) · min cell {audit.min_cell}"
        + (" · published (small cells suppressed)" if audit.publish else " · internal (nothing suppressed)"),
    ]


def _flag_lines(audit: FairnessAudit, lang: Lang) -> list[str]:
    if not audit.flags:
        return ["표시된 항목 없음" if lang == "ko" else "nothing flagged"]
    head = f"표시 {len(audit.flags)}건:" if lang == "ko" else f"{len(audit.flags)} flag(s):"
    return [head] + [f"  ⚑ [{f.section}] {f.reason.get(lang)}" for f in audit.flags]


def render_table(audit: FairnessAudit, lang: Lang = "ko") -> str:
    """The audit as plain-text tables, then the flags and notes."""
    from employkit.render.text import table

    lines = _head(audit, lang)
    for title, headers, rows in _tables(audit, lang):
        lines += ["", title, table(headers, rows, max_col=90)]
    lines += ["", *_flag_lines(audit, lang)]
    lines += [n.get(lang) for n in audit.notes]
    return "\n".join(lines) + "\n"


def render_html(audit: FairnessAudit, lang: Lang = "ko") -> str:
    """The audit as a standalone HTML page (flagged rows highlighted)."""
    esc = html.escape
    head = _head(audit, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{esc(head[0])}</title>',
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #bbb;padding:.25em .6em;text-align:right}td:first-child,th:first-child"
        "{text-align:left}tr.flag{background:#fde2e1}tr.ref{background:#e6f2e6}.flags li{color:#a00}</style>",
        "</head><body>",
        f"<h1>{esc(head[0])}</h1><p>{esc(head[1])}</p>",
    ]
    for title, headers, rows in _tables(audit, lang):
        parts.append(f"<h2>{esc(title)}</h2><table><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr>")
        for row in rows:
            cls = ' class="flag"' if "⚑" in row else (' class="ref"' if "ref" in row else "")
            parts.append(f"<tr{cls}>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    flag_head = "표시" if lang == "ko" else "Flags"
    parts.append(f'<h2>{flag_head}</h2><ul class="flags">')
    if audit.flags:
        parts += [f"<li>[{esc(f.section)}] {esc(f.reason.get(lang))}</li>" for f in audit.flags]
    else:
        parts.append(f"<li>{esc(_flag_lines(audit, lang)[0])}</li>")
    parts.append("</ul>")
    parts += [f"<p>{esc(n.get(lang))}</p>" for n in audit.notes]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
