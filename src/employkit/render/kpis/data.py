"""A KPI report as a JSON-ready object (``kpis.json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from employkit.documents import cite, documents_cited
from employkit.labels import Text
from employkit.metrics.frame import DIMENSIONS
from employkit.render.kpis.values import exists, published, sources, unit_label, why_missing

if TYPE_CHECKING:
    from employkit.metrics.base import KpiValue
    from employkit.metrics.report import KpiReport, KpiResult

__all__ = ["number", "to_data"]


def number(x: float | None) -> float | int | None:
    """``x`` as JSON writes it: a whole float as an int (``3.0`` → ``3``)."""
    if x is None:
        return None
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _text(t: Text | None) -> dict[str, str] | None:
    return None if t is None else {"ko": t.ko, "en": t.en}


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
        "numerator": number(v.numerator) if there else None,
        "denominator": number(v.denominator) if there else None,
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
        "numerator": number(v.numerator) if there else None,
        "denominator": number(v.denominator) if there else None,
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
        "inputs": {k: number(v) for k, v in s.inputs.items()},
        "suppression": {"min_cell": report.min_cell} if report.min_cell is not None else None,
        "confidence_intervals": s.ci,
        "kpis": [_result(r, s.by, report.min_cell) for r in report.results],
        "documents": [
            {"file": f"seeds/{d.file}", "title": _text(d.title), "author": _text(d.author), "year": d.year}
            for d in documents_cited(sources(report))
        ],
    }
