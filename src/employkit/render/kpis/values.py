"""What a reader sees of a KPI value: its unit, its shown and published forms, why it is missing, its rows.

Shared by every rendering of :mod:`employkit.render.kpis`: the text table, the CSV file,
the Markdown and HTML reports, and the JSON object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from employkit.documents import documents_cited
from employkit.labels import Lang, Text
from employkit.metrics.scope import INPUTS
from employkit.metrics.suppress import SAFE_MIN_CELL

if TYPE_CHECKING:
    from employkit.metrics.base import KpiValue
    from employkit.metrics.report import KpiReport, KpiResult

__all__ = [
    "COUNT_UNITS",
    "DOC_HEAD",
    "HEAD",
    "UNITS",
    "document_rows",
    "documents_heading",
    "exists",
    "footnote",
    "heading",
    "published",
    "result_rows",
    "row",
    "shown",
    "sources",
    "title",
    "unit_label",
    "why_missing",
]

#: Units as a Korean or English reader writes them.
UNITS: Mapping[str, Text] = {
    "%": Text("%", "%"),
    "people": Text("명", "people"),
    "seekers": Text("명", "seekers"),
    "openings": Text("명", "openings"),
    "employers": Text("개소", "employers"),
    "firms": Text("개소", "firms"),
    "ratio": Text("비율", "ratio"),
    "seekers/counsellor": Text("구직자/상담사", "seekers/counsellor"),
    "KRW": Text("원", "KRW"),
}

#: Units of head counts and establishment counts: shown as whole numbers.
COUNT_UNITS = frozenset({"people", "seekers", "openings", "employers", "firms", "명", "개소"})


def unit_label(unit: str, lang: Lang) -> str:
    """``unit`` in the reader's language ("people" → "명")."""
    known = UNITS.get(unit)
    return known.get(lang) if known is not None else unit


def exists(v: KpiValue) -> bool:
    """Whether the value can be shown: not missing, not divided by zero, not suppressed."""
    return v.value is not None and not v.suppressed


def _is_count(v: KpiValue) -> bool:
    return v.denominator is None and v.unit in COUNT_UNITS


def shown(v: KpiValue) -> str:
    """The report form of a value; counts as whole numbers ("0", never "0.0")."""
    if exists(v) and _is_count(v) and v.value is not None:
        return f"{round(v.value):,}"
    return v.shown


def published(v: KpiValue) -> str:
    """The published form of a value; counts as whole numbers."""
    if exists(v) and _is_count(v) and v.value is not None:
        return f"{round(v.value):,}"
    return v.display


#: Facts about the centre a KPI may need, by the name its ``missing`` gives them.
_CENTRE_FACTS: Mapping[str, Text] = {
    "centre.region_code": Text("센터 관할 지역 코드 (employkit.toml [centre] region_code)", "the centre's region code"),
}


def why_missing(v: KpiValue, min_cell: int | None = None) -> Text | None:
    """Why a value does not exist (``None`` when it does): suppressed, inputs missing, zero denominator."""
    if v.suppressed:
        under = f"{min_cell}명 미만" if min_cell else "소규모 셀"
        return Text(f"비공개 ({under})", f"suppressed ({f'under {min_cell}' if min_cell else 'small cell'})")
    if v.value is not None:
        return None
    if v.missing:
        labels = [INPUTS.get(name) or _CENTRE_FACTS.get(name) for name in v.missing]
        ko = ", ".join(t.ko if t else n for n, t in zip(v.missing, labels, strict=True))
        en = ", ".join(t.en if t else n for n, t in zip(v.missing, labels, strict=True))
        return Text(f"입력값 없음: {ko}", f"input missing: {en}")
    if v.denominator == 0:
        return Text("분모가 0", "zero denominator")
    said = [r for r in v.explanation.reasons if "값을 낼 수 없" in r.ko]  # the KPI's own account, if it gave one
    return said[-1] if said else Text("값을 낼 수 없음 (산식과 근거 참고)", "no value (see the definitions)")


def title(v: KpiValue, lang: Lang) -> str:
    """A KPI's title; a funnel's names the stages it shows (a skipped stage is left out)."""
    stages = [s for s in v.steps if s.kpi_id.count(".") == 1 and s.label is not None]
    if stages and "→" in v.title.ko:
        return " → ".join(s.label.get(lang) for s in stages if s.label is not None)
    return v.title.get(lang)


# ---------------------------------------------------------------------- rows of the table


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and not x.is_integer():
        return f"{x:,.2f}"
    return f"{int(x):,}"


def _ci(v: KpiValue) -> str:
    i = v.interval
    if i is None or not exists(v):
        return ""
    return f"{i.low:.{v.precision}f}–{i.high:.{v.precision}f}"


#: The columns of the KPI table, by language.
HEAD: Mapping[str, tuple[str, ...]] = {
    "ko": ("지표", "값", "공표", "분자", "분모", "단위", "신뢰구간", "팩", "비고"),
    "en": ("KPI", "value", "published", "numerator", "denominator", "unit", "interval", "pack", "note"),
}


def row(v: KpiValue, name: str, pack: str, lang: Lang, min_cell: int | None, error: str | None = None) -> list[str]:
    """One row under :data:`HEAD`; a value that does not exist shows "–" (or "*"), why, and no counts."""
    there = exists(v)
    why = why_missing(v, min_cell)
    note = (
        (why.get(lang) if why is not None else "")
        if error is None
        else ("오류: " if lang == "ko" else "error: ") + error
    )
    return [
        name,
        shown(v),
        published(v),
        _fmt(v.numerator) if there else "",
        _fmt(v.denominator) if there else "",
        unit_label(v.unit, lang),
        _ci(v),
        pack,
        note,
    ]


def result_rows(r: KpiResult, lang: Lang, min_cell: int | None = None) -> list[list[str]]:
    """The rows of one KPI: its own first, then its funnel steps and breakdown cells."""
    v = r.value
    rows = [row(v, title(v, lang), r.packs, lang, min_cell, r.error)]
    for s in v.steps:
        rows.append(row(s, "  → " + (s.label or s.title).get(lang), "", lang, min_cell))
    for c in v.breakdown.values():
        rows.append(row(c, "  · " + (c.label or c.title).get(lang), "", lang, min_cell))
    return rows


def heading(report: KpiReport, lang: Lang) -> str:
    """The report's title line: centre, period, observation date and breakdown."""
    centre = report.centre or report.origin
    if lang == "ko":
        text = f"{centre} 성과지표 — 기간 {report.period.label}, 기준일 {report.as_of.isoformat()}"
        if report.by:
            text += f", 구분: {report.by}"
    else:
        text = f"{centre} KPIs — period {report.period.label}, as of {report.as_of.isoformat()}"
        if report.by:
            text += f", by {report.by}"
    return text


def footnote(report: KpiReport, lang: Lang) -> str:
    """What the table's marks mean, or the warning that the report is not fit to publish."""
    if report.min_cell is None:
        return (
            "공표용 아님: 소규모 셀 비공개를 하지 않음"
            if lang == "ko"
            else "not for publication: no small-cell suppression"
        )
    if report.min_cell < SAFE_MIN_CELL:
        return (
            f"주의: 소규모 셀 비공개 안 함 (min_cell {report.min_cell}, [privacy] unsafe_small_cells) — 공표 부적합"
            if lang == "ko"
            else f"warning: small cells are not suppressed (min_cell {report.min_cell}, [privacy] unsafe_small_cells)"
            " — not safe to publish"
        )
    if lang == "ko":
        return f"* {report.min_cell}명 미만의 셀은 비공개 (metrics.suppression.min_cell); – 값 없음 (비고에 이유)"
    return (
        f"* cells under {report.min_cell} people are suppressed (metrics.suppression.min_cell); "
        "– no value (the note says why)"
    )


# ---------------------------------------------------------------------- documents cited


def sources(report: KpiReport) -> list[str]:
    """Every source the report cites: the KPIs', their parameters' and their reasons'."""
    out = [str(r.source) for r in report.results if r.source]
    out += [str(u.source) for r in report.results for u in r.value.explanation.parameters if u.source]
    return out


#: The columns of the table of documents cited, by language.
DOC_HEAD: Mapping[str, tuple[str, ...]] = {
    "ko": ("문서", "제목 (영문)", "작성", "연도", "파일"),
    "en": ("document", "title (Korean)", "by", "year", "file"),
}


def document_rows(report: KpiReport, lang: Lang) -> list[list[str]]:
    """One row under :data:`DOC_HEAD` per source document the report cites."""
    other: Lang = "en" if lang == "ko" else "ko"
    return [
        [f"{d.title.get(lang)}", d.title.get(other), d.author.get(lang), str(d.year), f"seeds/{d.file}"]
        for d in documents_cited(sources(report))
    ]


def documents_heading(lang: Lang) -> str:
    """The heading of the documents cited."""
    return "근거 문서" if lang == "ko" else "Source documents"
