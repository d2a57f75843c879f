"""KPI reports: every KPI of the active packs on one dataset, and its renderings.

:func:`kpi_report` computes the KPIs and, for publication, suppresses small cells;
:func:`to_data` gives the JSON object (``kpis.json``); :func:`render_table`,
:func:`render_csv`, :func:`render_markdown` and :func:`render_html` give the other
formats. The HTML report embeds the charts of :mod:`employkit.metrics.charts` when
matplotlib is installed.

>>> import datetime as dt
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> report = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2016, 1, 31))
>>> rate = report.get("employment_rate").value
>>> rate.numerator, rate.denominator, rate.rounded, rate.display
(1095, 3110, 35.2, '35%')
"""

from __future__ import annotations

import datetime as dt
import html
import io
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from employkit.documents import cite, documents_cited
from employkit.errors import ConfigError, EmploykitError, NotFound
from employkit.explain import Explanation, SourceRef
from employkit.export import SafeWriter, md_text
from employkit.labels import Lang, Text
from employkit.metrics.base import KpiValue
from employkit.metrics.columnar import ColumnData, ColumnFrame, compute
from employkit.metrics.columns import latest_year as first_year
from employkit.metrics.frame import DIMENSIONS
from employkit.metrics.kpis import centre_kpis
from employkit.metrics.scope import INPUTS, KpiContext, KpiScope, Period, config_inputs
from employkit.metrics.suppress import SAFE_MIN_CELL, min_cell_of, suppress_together

if TYPE_CHECKING:
    import pandas as pd

    from employkit.dataset import Dataset
    from employkit.model import Centre
    from employkit.rules import RuleSystem

__all__ = [
    "KpiReport",
    "KpiResult",
    "build_report",
    "kpi_report",
    "kpi_report_frames",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_table",
    "to_data",
]


@frozen(kw_only=True)
class KpiResult:
    """One KPI in a report: its value and who defined it."""

    value: KpiValue
    rule_id: str
    pack: str
    pack_version: str
    source: SourceRef | None = None
    error: str | None = None  # the KPI could not be computed (e.g. a parameter had no value)

    @property
    def packs(self) -> str:
        """The KPI's pack and every other pack that supplied a parameter it used.

        ``national`` for a KPI read from national parameters only; ``national; junggu
        (metrics.target.placements)`` when a district pack gave the target.
        """
        others: dict[str, list[str]] = {}
        for use in self.value.explanation.parameters:
            if use.pack != self.pack:
                others.setdefault(use.pack, []).append(use.parameter_id)
        return "; ".join([self.pack, *(f"{p} ({', '.join(sorted(ids))})" for p, ids in others.items())])


@frozen(kw_only=True)
class KpiReport:
    """The KPIs of one dataset over one period, as published (small cells suppressed unless ``min_cell`` is None)."""

    centre: str | None
    origin: str
    as_of: dt.date
    scope: KpiScope
    results: tuple[KpiResult, ...]
    min_cell: int | None

    @property
    def period(self) -> Period:
        """The period the KPIs cover."""
        return self.scope.period

    @property
    def by(self) -> str | None:
        """The breakdown column asked for, if any."""
        return self.scope.by

    def get(self, key: str) -> KpiResult:
        """The result of the KPI with this key or rule id (raises :class:`KeyError`)."""
        for r in self.results:
            if key in (r.value.kpi_id, r.rule_id):
                return r
        raise NotFound(f"no KPI {key!r} in this report")

    def kpi_ids(self) -> list[str]:
        """The KPI keys, in report order."""
        return [r.value.kpi_id for r in self.results]


def _inputs(given: Mapping[str, float] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in (given or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"KPI input {name!r} must be a number ≥ 0, got {value!r}")
        out[str(name)] = value
    return out


def kpi_report(
    data: Dataset,
    system: RuleSystem,
    as_of: dt.date | None = None,
    *,
    year: int | None = None,
    period: Period | None = None,
    by: str | None = None,
    inputs: Mapping[str, float] | None = None,
    segments: Mapping[str, str] | None = None,
    ci: bool = False,
    only: Iterable[str] | None = None,
    publish: bool = True,
) -> KpiReport:
    """Compute every KPI of the active packs (and the centre's own) on ``data``.

    ``as_of`` (default today) is the observation date: records after it are left out
    and retention checks count once due by then. The period is ``period``, else the
    calendar year ``year``, else the latest year of the records
    (:func:`~employkit.metrics.columns.latest_year`).
    Parameters are read as of the period's end (or ``as_of`` if earlier), so a 2015
    report uses the 2015 thresholds.

    ``by`` breaks every KPI down by a column (``age_band``, ``wage_band``,
    ``occupation``, ``residence``, ``month``, ``segment``, ``partner_agency`` or any
    record field). ``segments`` maps seeker ids to a segment (for ``by="segment"``).
    ``inputs`` are figures that are not records (see :mod:`employkit.metrics.scope`);
    they win over the centre's ``[metrics.inputs]``. ``ci`` adds Wilson intervals to
    proportions. ``only`` keeps the KPIs with these keys or rule ids. With ``publish``
    (the default) cells under ``metrics.suppression.min_cell`` are suppressed.

    A KPI that fails (a parameter with no value in force, a conflict) is reported with
    its error; the others are computed. Raises :class:`ConfigError` for an unknown
    column or bad inputs.

    The KPIs are computed on columns (:mod:`employkit.metrics.columnar`, numpy only): each
    column of the records is converted once, when a KPI first reads it.
    """
    return kpi_report_frames(
        ColumnData.of(data),
        system,
        as_of,
        year=year,
        period=period,
        by=by,
        inputs=inputs,
        segments=segments,
        ci=ci,
        only=only,
        publish=publish,
        origin=data.origin,
    )


def kpi_report_frames(
    frames: Mapping[str, pd.DataFrame] | Mapping[str, Mapping[str, Any]] | ColumnData,
    system: RuleSystem,
    as_of: dt.date | None = None,
    *,
    year: int | None = None,
    period: Period | None = None,
    by: str | None = None,
    inputs: Mapping[str, float] | None = None,
    segments: Mapping[str, str] | None = None,
    ci: bool = False,
    only: Iterable[str] | None = None,
    publish: bool = True,
    centre: Centre | None = None,
    origin: str = "frames",
) -> KpiReport:
    """:func:`kpi_report` on tables given as columns: the same report.

    ``frames`` maps table names (``seekers``, ``employers``, ``vacancies``,
    ``placements``, ``followups``) to DataFrames with the schema's column names, as
    :func:`employkit.frames.to_frames` gives them (needs pandas), or to mappings of column
    names to numpy arrays or lists; or it is a :class:`~employkit.metrics.columns.ColumnData`
    built once and reused across reports (its columns, links and selections are cached).
    ``centre`` is the centre (region for ``resident``, targets, budget, staff). The other
    arguments are those of ``kpi_report``.

    Raises :class:`~employkit.errors.DataError` for a missing required column or a column
    that cannot be read as its type, and :class:`~employkit.errors.ConfigError` as
    ``kpi_report`` does.
    """
    data = frames if isinstance(frames, ColumnData) else ColumnData(frames, centre)
    if centre is not None and data.centre is None:
        data.centre = centre
    return build_report(
        system,
        as_of,
        year=year,
        period=period,
        by=by,
        inputs=inputs,
        segments=segments,
        ci=ci,
        only=only,
        publish=publish,
        latest_year=lambda day: first_year(data, day),
        known_column=lambda ctx, column: ColumnFrame(data, ctx).known_column(column),
        compute=compute(data),
        centre=data.centre.name if data.centre is not None else None,
        origin=origin,
    )


def build_report(
    system: RuleSystem,
    as_of: dt.date | None,
    *,
    year: int | None,
    period: Period | None,
    by: str | None,
    inputs: Mapping[str, float] | None,
    segments: Mapping[str, str] | None,
    ci: bool,
    only: Iterable[str] | None,
    publish: bool,
    latest_year: Callable[[dt.date], int],
    known_column: Callable[[KpiContext, str], bool],
    compute: Callable[[Any, KpiContext], KpiValue],
    centre: str | None,
    origin: str,
) -> KpiReport:
    """The report of :func:`kpi_report`, whatever holds the data: ``compute(kpi, ctx)`` computes one KPI.

    ``latest_year(as_of)`` is the default year and ``known_column(ctx, column)`` says
    whether a breakdown column exists.
    """
    as_of = as_of or dt.date.today()
    if period is None:
        period = Period.year(year if year is not None else latest_year(as_of))
    configured = config_inputs(system, period.start.year)
    given = _inputs(inputs)
    merged = {k: v for k, (v, _) in configured.items()} | given
    origins = {k: w for k, (_, w) in configured.items()} | {k: "caller" for k in given}
    scope = KpiScope(
        period=period,
        observed_on=as_of,
        inputs=merged,
        input_origins=origins,
        by=by,
        segments=segments,
        ci=ci,
    )
    param_day = min(as_of, period.end)
    ctx = KpiContext(system, param_day, scope)
    if by is not None:
        if publish:
            from employkit.privacy import refuse_identifying

            refuse_identifying(by, "--by")
        if by == "segment" and segments is None:
            raise ConfigError("the 'segment' breakdown needs a mapping of seeker ids to segments")
        if not known_column(ctx, by):
            known = ", ".join(DIMENSIONS)
            raise ConfigError(f"unknown breakdown column {by!r}; use a record field or one of: {known}")
    wanted = set(only) if only is not None else None
    kpis: list[Any] = [*system.kpis(param_day), *centre_kpis(system)]
    results = []
    for kpi in kpis:
        rule_id = kpi.meta.rule_id
        key = getattr(kpi, "key", rule_id)
        if wanted is not None and not ({rule_id, key} & wanted):
            continue
        results.append(_compute(kpi, compute, ctx, system))
    if wanted is not None:
        found = {r.rule_id for r in results} | {r.value.kpi_id for r in results}
        unknown = wanted - found
        if unknown:
            raise ConfigError(f"no active KPI has the key or id {', '.join(sorted(unknown))}")
    min_cell = min_cell_of(system, param_day) if publish else None
    if min_cell is not None:
        computed = [r for r in results if not r.error]
        published = dict(zip(map(id, computed), suppress_together([r.value for r in computed], min_cell), strict=True))
        results = [r if r.error else attrs.evolve(r, value=published[id(r)]) for r in results]
    declared = system.declaration_order()  # packs' KPIs as they declare them (lowest layer first), the centre's last
    results.sort(key=lambda r: (declared.get(r.rule_id, len(declared)), r.rule_id))
    return KpiReport(centre=centre, origin=origin, as_of=as_of, scope=scope, results=tuple(results), min_cell=min_cell)


def _compute(
    kpi: Any, compute: Callable[[Any, KpiContext], KpiValue], ctx: KpiContext, system: RuleSystem
) -> KpiResult:
    rule_id = kpi.meta.rule_id
    origin = getattr(kpi, "origin", None)
    if origin is None:
        try:
            pack, _ = system.provenance(rule_id)
            pack_name, pack_version = pack.name, pack.version
        except EmploykitError:
            pack_name, pack_version = "?", "?"
    else:
        pack_name, pack_version = "centre", origin
    try:
        value = compute(kpi, ctx.fork())
        if not isinstance(value, KpiValue):
            raise TypeError(f"compute() returned {type(value).__name__}, not KpiValue")
        error = None
    except (EmploykitError, TypeError, ValueError, KeyError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        value = KpiValue(
            kpi_id=getattr(kpi, "key", rule_id),
            title=kpi.meta.title,
            numerator=None,
            denominator=None,
            unit="",
            value=None,
            explanation=Explanation(
                rule_id=rule_id,
                pack=pack_name,
                pack_version=pack_version,
                reasons=(Text(f"계산 실패: {error}", f"could not be computed: {error}"),),
                as_of=ctx.as_of,
            ),
        )
    return KpiResult(
        value=value,
        rule_id=rule_id,
        pack=pack_name,
        pack_version=pack_version,
        source=kpi.meta.source,
        error=error,
    )


# ---------------------------------------------------------------------- JSON


def _num(x: float | None) -> float | int | None:
    if x is None:
        return None
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else {"ko": t.ko, "en": t.en}


# ---------------------------------------------------------------------- what a reader sees

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


def _cell(key: str, v: KpiValue, total: float | None, min_cell: int | None) -> dict[str, Any]:
    share = None
    there = exists(v)
    if there and v.denominator is None and v.numerator is not None and total:
        share = round(v.numerator * 100 / total, v.precision)
    out: dict[str, Any] = {
        "key": key,
        "label": _text(v.label),
        "value": v.rounded if there else None,
        "display": published(v),
        "numerator": _num(v.numerator) if there else None,
        "denominator": _num(v.denominator) if there else None,
        "suppressed": v.suppressed,
        "reason": _text(why_missing(v, min_cell)),
    }
    if share is not None:
        out["share"] = share
    if there and v.interval is not None:
        out["interval"] = _interval(v)
    return out


def _interval(v: KpiValue) -> dict[str, Any] | None:
    i = v.interval
    if i is None or not exists(v):
        return None
    return {
        "low": round(i.low, v.precision + 1),
        "high": round(i.high, v.precision + 1),
        "level": i.level,
        "method": i.method,
    }


def _result(r: KpiResult, by: str | None, min_cell: int | None) -> dict[str, Any]:
    from employkit.converter import unstructure

    v = r.value
    there = exists(v)
    total = v.numerator if there else None
    source = str(r.source) if r.source else None
    out: dict[str, Any] = {
        "id": v.kpi_id,
        "rule_id": r.rule_id,
        "names": _text(v.title),
        "pack": {"name": r.pack, "version": r.pack_version},
        "parameter_packs": [
            {"parameter": pid, "pack": pack}
            for pid, pack in sorted({(u.parameter_id, u.pack) for u in v.explanation.parameters})
        ],
        "source": source,
        "citation": {"ko": cite(source, "ko"), "en": cite(source, "en")} if source else None,
        "value": v.rounded if there else None,
        "exact": v.value if there else None,
        "display": published(v),
        "numerator": _num(v.numerator) if there else None,
        "denominator": _num(v.denominator) if there else None,
        "unit": v.unit,
        "unit_label": {"ko": unit_label(v.unit, "ko"), "en": unit_label(v.unit, "en")},
        "precision": v.precision,
        "bounds": [v.lower, v.upper],
        "interval": _interval(v) if there else None,
        "suppressed": v.suppressed,
        "missing": list(v.missing),
        "reason": _text(why_missing(v, min_cell)),
        "breakdown": None,
        "steps": [
            {**_cell(s.kpi_id.rpartition(".")[2], s, None, min_cell), "id": s.kpi_id, "unit": s.unit} for s in v.steps
        ],
        "explanation": unstructure(v.explanation),
        "error": r.error,
    }
    if v.breakdown:
        column = _breakdown_column(v, by)
        dim = DIMENSIONS.get(column or "")
        out["breakdown"] = {
            "by": column,
            "title": _text(dim.title) if dim else None,
            "cells": [_cell(k, c, total, min_cell) for k, c in v.breakdown.items()],
        }
    return out


def _breakdown_column(v: KpiValue, by: str | None) -> str | None:
    return by or (v.explanation.inputs.get("by") if v.explanation.inputs else None)


def _sources(report: KpiReport) -> list[str]:
    """Every source the report cites: the KPIs', their parameters' and their reasons'."""
    out = [str(r.source) for r in report.results if r.source]
    out += [str(u.source) for r in report.results for u in r.value.explanation.parameters if u.source]
    return out


def to_data(report: KpiReport) -> dict[str, Any]:
    """The report as a JSON-ready object: ``{"kpis": [{"id", "names", "value", "numerator", …}], …}``.

    A value that does not exist (``value`` null) has no numerator, denominator or
    interval; ``reason`` says why. ``documents`` lists the source documents cited.
    """
    s = report.scope
    return {
        "centre": report.centre,
        "origin": report.origin,
        "as_of": report.as_of.isoformat(),
        "period": {"label": s.period.label, "start": s.period.start.isoformat(), "end": s.period.end.isoformat()},
        "by": s.by,
        "inputs": {k: _num(v) for k, v in s.inputs.items()},
        "suppression": {"min_cell": report.min_cell} if report.min_cell is not None else None,
        "confidence_intervals": s.ci,
        "kpis": [_result(r, s.by, report.min_cell) for r in report.results],
        "documents": [
            {"file": f"seeds/{d.file}", "title": _text(d.title), "author": _text(d.author), "year": d.year}
            for d in documents_cited(_sources(report))
        ],
    }


# ---------------------------------------------------------------------- text table


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows under headers with columns aligned (Hangul counts as two columns)."""
    sizes = [_width(h) for h in headers]
    for row in rows:
        for i, c in enumerate(row):
            sizes[i] = max(sizes[i], _width(c))

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (sizes[i] - _width(c)) for i, c in enumerate(cells)).rstrip()

    return "\n".join([line(headers), "  ".join("-" * s for s in sizes), *(line(r) for r in rows)])


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


_HEAD: Mapping[str, tuple[str, ...]] = {
    "ko": ("지표", "값", "공표", "분자", "분모", "단위", "신뢰구간", "팩", "비고"),
    "en": ("KPI", "value", "published", "numerator", "denominator", "unit", "interval", "pack", "note"),
}


def _row(v: KpiValue, name: str, pack: str, lang: Lang, min_cell: int | None, error: str | None = None) -> list[str]:
    """One row: a value that does not exist shows "–" (or "*") and why, and no numerator or denominator."""
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


def _result_rows(r: KpiResult, lang: Lang, min_cell: int | None = None) -> list[list[str]]:
    """The rows of one KPI: its own first, then its funnel steps and breakdown cells."""
    v = r.value
    rows = [_row(v, title(v, lang), r.packs, lang, min_cell, r.error)]
    for s in v.steps:
        rows.append(_row(s, "  → " + (s.label or s.title).get(lang), "", lang, min_cell))
    for c in v.breakdown.values():
        rows.append(_row(c, "  · " + (c.label or c.title).get(lang), "", lang, min_cell))
    return rows


def _rows(report: KpiReport, lang: Lang) -> list[list[str]]:
    return [row for r in report.results for row in _result_rows(r, lang, report.min_cell)]


def _heading(report: KpiReport, lang: Lang) -> str:
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


def _footnote(report: KpiReport, lang: Lang) -> str:
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


def render_table(report: KpiReport, lang: Lang = "ko") -> str:
    """A plain-text table for a terminal."""
    return "\n".join([_heading(report, lang), aligned(_HEAD[lang], _rows(report, lang)), _footnote(report, lang)])


# ---------------------------------------------------------------------- CSV


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
            "" if v.numerator is None or not there else _num(v.numerator),
            "" if v.denominator is None or not there else _num(v.denominator),
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


# ---------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return md_text(text)


_DOC_HEAD: Mapping[str, tuple[str, ...]] = {
    "ko": ("문서", "제목 (영문)", "작성", "연도", "파일"),
    "en": ("document", "title (Korean)", "by", "year", "file"),
}


def _document_rows(report: KpiReport, lang: Lang) -> list[list[str]]:
    other: Lang = "en" if lang == "ko" else "ko"
    return [
        [f"{d.title.get(lang)}", d.title.get(other), d.author.get(lang), str(d.year), f"seeds/{d.file}"]
        for d in documents_cited(_sources(report))
    ]


def _documents_heading(lang: Lang) -> str:
    return "근거 문서" if lang == "ko" else "Source documents"


def _parameter_line(use: Any, lang: Lang) -> str:
    source = cite(str(use.source), lang) if use.source else use.pack
    return f"`{use.parameter_id}` = {_md(str(use.value))} ({_md(source)})"


def render_markdown(
    report: KpiReport,
    lang: Lang = "ko",
    charts: Mapping[str, str] | None = None,
    chart_note: str | None = None,
) -> str:
    """A Markdown report: the KPI table, breakdowns, funnel steps, each KPI's reasons and the documents cited.

    ``charts`` maps chart titles to image paths (relative to the Markdown file), as
    written by :func:`employkit.metrics.charts.save_charts`; ``chart_note`` says why
    charts are missing or drawn in English (:func:`employkit.metrics.charts.chart_note`).
    """
    head = _HEAD[lang]
    lines = [f"# {_md(_heading(report, lang))}", ""]
    lines.append("| " + " | ".join(_md(h) for h in head) + " |")
    lines.append("|" + "---|" * len(head))
    for r in report.results:
        cells = _row(r.value, title(r.value, lang), f"{r.pack} {r.pack_version}", lang, report.min_cell, r.error)
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    lines += ["", _footnote(report, lang), ""]  # employkit's own text: the footnote's "*" is the mark
    if chart_note:
        lines += [f"> {chart_note}", ""]  # employkit's own text, as written
    for name, path in (charts or {}).items():
        lines += [f"![{_md(name)}]({path})", ""]  # a path employkit chose (chart-N.png)
    for r in report.results:
        v = r.value
        if not (v.breakdown or v.steps):
            continue
        lines += [f"## {_md(title(v, lang))}", ""]
        lines.append("| " + " | ".join((head[0], head[1], head[3], head[4], head[8])) + " |")
        lines.append("|---|---|---|---|---|")
        for part in (*v.steps, *v.breakdown.values()):
            cells = _row(part, (part.label or part.title).get(lang), "", lang, report.min_cell)
            lines.append("| " + " | ".join(_md(cells[i]) for i in (0, 1, 3, 4, 8)) + " |")
        lines.append("")
    lines += ["## " + ("산식과 근거" if lang == "ko" else "Definitions and reasons"), ""]
    for r in report.results:
        v = r.value
        source = f" — {cite(str(r.source), lang)}" if r.source else ""
        lines.append(
            f"- **{_md(title(v, lang))}** ({_md(r.rule_id)}, {_md(r.pack)} {_md(r.pack_version)}){_md(source)}"
        )
        for reason in v.explanation.reasons:
            lines.append(f"  - {_md(cite(reason.get(lang), lang))}")
        for use in v.explanation.parameters:
            lines.append(f"  - {_parameter_line(use, lang)}")
    docs = _document_rows(report, lang)
    if docs:
        lines += ["", f"## {_documents_heading(lang)}", ""]
        lines.append("| " + " | ".join(_DOC_HEAD[lang]) + " |")
        lines.append("|---|---|---|---:|---|")
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in docs]  # employkit's table
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

    Get the charts from :func:`employkit.metrics.charts.report_charts` (needs matplotlib).
    """
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{e(_heading(report, lang))}</title>',
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{e(_heading(report, lang))}</h1>",
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
    head = _HEAD[lang]
    out = ["<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in head) + "</tr></thead><tbody>"]
    for r in report.results:
        value = "" if r.value.rounded is None or not exists(r.value) else repr(r.value.rounded)
        for n, row in enumerate(_result_rows(r, lang, report.min_cell)):
            cells = "".join(
                f'<td data-value="{e(value)}">{e(c)}</td>'
                if n == 0 and i == 1
                else f'<td class="why">{e(c)}</td>'
                if i == len(row) - 1
                else f"<td>{e(c.strip() if i == 0 else c)}</td>"
                for i, c in enumerate(row)
            )
            out.append(
                f'<tr data-kpi="{e(r.value.kpi_id)}">{cells}</tr>' if n == 0 else f'<tr class="part">{cells}</tr>'
            )
    out.append("</tbody></table>")
    out.append(f'<p class="note">{e(_footnote(report, lang))}</p>')
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
    docs = _document_rows(report, lang)
    if docs:
        out.append(f'<h2 id="documents">{_documents_heading(lang)}</h2><table class="documents"><thead><tr>')
        out.append("".join(f"<th>{e(h)}</th>" for h in _DOC_HEAD[lang]) + "</tr></thead><tbody>")
        for row in docs:
            out.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>")
        out.append("</tbody></table>")
    return "\n".join(out)
