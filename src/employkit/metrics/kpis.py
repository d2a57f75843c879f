"""Declared KPIs: formulas, funnels and retention series, as data a centre can read.

A pack declares a KPI by building one of these classes and returning it from its
``employkit_kpis`` hook::

    FormulaKpi(
        meta=RuleMeta(rule_id="metrics.junggu.youth_employment_rate",
                      title=Text("청년 취업률", "youth employment rate"),
                      source=SourceRef("seeds/000_743a0a447e219bca.txt", "L597")),
        key="youth_employment_rate",
        numerator=Count("placed_seekers", where=[Where("age", "lt", 35)]),
        denominator=Count("seekers", where=[Where("age", "lt", 35)]),
        unit="%", bounded=True,
    )

* :class:`FormulaKpi` — ``numerator / denominator × scale`` (scale 100 when the unit
  is ``%``), or a plain count or sum when there is no denominator;
* :class:`FunnelKpi` — counselled → served (by service) → placed, with the conversion
  at each step;
* :class:`RetentionKpi` — still employed N months after the start, by placement
  cohort, from follow-up records.

A centre can declare simple formulas in its ``employkit.toml`` without a pack (see
:func:`centre_kpis`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from employkit.errors import ConfigError
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.common import (
    NO_INTERVAL,
    POPULATION_INPUTS,
    explain,
    frame_of,
    interval,
    period_reason,
    precision_of,
    ratio,
)
from employkit.metrics.frame import UNKNOWN
from employkit.metrics.funnel import SERVICES, FunnelKpi, FunnelStep
from employkit.metrics.measures import Amount, Measure, measure_from_mapping
from employkit.metrics.retained import RetentionKpi, Tally, retention_tally
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.metrics.columnar import ColumnData
    from employkit.rules import EvalContext, RuleSystem

__all__ = [
    "NO_INTERVAL",
    "POPULATION_INPUTS",
    "SERVICES",
    "FormulaKpi",
    "FunnelKpi",
    "FunnelStep",
    "RetentionKpi",
    "Tally",
    "centre_kpis",
    "explain",
    "ratio",
    "retention_tally",
]

Number = int | float


@frozen(kw_only=True)
class FormulaKpi:
    """A KPI declared as ``numerator / denominator``, or a count or sum (no denominator).

    ``bounded`` declares that the numerator is a subset of the denominator (a
    proportion): its value lies between 0 and 100% and a Wilson interval can be asked
    for. ``lower`` / ``upper`` are the bounds of the value; ``upper`` defaults to 100 for
    a bounded percentage. ``precision`` and ``display_precision`` default to the
    parameters ``metrics.rounding.decimals`` and ``metrics.rounding.display_decimals``.
    ``breakdown`` is the column used when the caller asks for none. ``origin`` is set
    only for KPIs a centre declares in its configuration.
    """

    meta: RuleMeta
    key: str
    numerator: Measure
    denominator: Measure | None = None
    unit: str = "%"
    bounded: bool = False
    lower: float | None = 0.0
    upper: float | None = None
    precision: int | None = None
    display_precision: int | None = None
    breakdown: str | None = None
    formula: Text | None = None
    origin: str | None = None

    def parameter_ids(self) -> tuple[str, ...]:
        """Every parameter the formula reads."""
        found = list(self.numerator.parameters())
        if self.denominator is not None:
            found += self.denominator.parameters()
        return tuple(dict.fromkeys(found))

    @property
    def upper_bound(self) -> float | None:
        """The declared upper bound (100 for a bounded percentage unless given)."""
        if self.upper is not None:
            return self.upper
        if self.bounded:
            return 100.0 if self.unit == "%" else 1.0
        return None

    def compute(self, data: ColumnData | Dataset, ctx: EvalContext) -> KpiValue:
        """The value over the scope's period, with a breakdown when a column is asked for."""
        frame = frame_of(data, ctx)
        by = frame.scope.by or self.breakdown
        num = self.numerator.evaluate(frame, by)
        den = self.denominator.evaluate(frame, by) if self.denominator is not None else None
        precision = precision_of(ctx, self.precision, "metrics.rounding.decimals")
        display = precision_of(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if frame.scope.ci and self.bounded else None
        census = bool(POPULATION_INPUTS & {*num.inputs, *(den.inputs if den is not None else ())})
        if census:
            z = None
        value = num.total if den is None else ratio(num.total, den.total, self.unit)
        missing = tuple(dict.fromkeys((*num.missing, *(den.missing if den else ()))))
        reasons = [self.formula] if self.formula else []
        if census and frame.scope.ci:
            reasons.append(NO_INTERVAL)
        reasons += [period_reason(frame), num.how]
        if den is not None:
            reasons.append(den.how)
            if den.total == 0:
                reasons.append(Text("분모가 0이어서 값을 낼 수 없음", "the denominator is zero: no value"))
        over = num.total is not None and den is not None and den.total is not None and num.total > den.total
        if self.bounded and over:
            reasons.append(
                Text(
                    "주의: 분자가 분모보다 큼 — 입력값을 확인하세요",
                    "warning: the numerator exceeds the denominator — check the inputs",
                )
            )
        if self.key == "employment_rate" and (outside := frame.outside_cohort()):
            reasons.append(
                Text(
                    f"기간 밖에 등록한 구직자의 취업 {outside:,}건도 취업자에 포함 (문서의 취업률)",
                    f"{outside:,} placements of seekers registered outside the period are counted "
                    "(the documents' 취업률)",
                )
            )
        if _counts_cohort(self.numerator):
            outside = frame.outside_cohort()
            if outside:
                reasons.append(
                    Text(
                        f"기간 밖에 등록한 구직자의 취업 {outside:,}건은 제외 (코호트 기준)",
                        f"{outside:,} placements of seekers registered outside the period left out (cohort rule)",
                    )
                )
        inputs: dict[str, Any] = {"period": frame.scope.period.label, "numerator": num.total}
        if den is not None:
            inputs["denominator"] = den.total
        inputs.update(num.inputs)
        if den is not None:
            inputs.update(den.inputs)
        if by:
            inputs["by"] = by
        explanation = explain(
            ctx,
            self.meta,
            origin=self.origin,
            reasons=reasons,
            inputs=inputs,
            parameters=(
                *self.parameter_ids(),
                "metrics.rounding.decimals",
                "metrics.rounding.display_decimals",
            ),
        )
        common: dict[str, Any] = {
            "unit": self.unit,
            "explanation": explanation,
            "precision": precision,
            "display_precision": display,
            "lower": self.lower,
            "upper": self.upper_bound,
            "bounded": self.bounded,
            "disclosive": (num.disclosive, den.disclosive if den is not None else False),
        }
        cells = {}
        if by and not (_applies(num) and (den is None or _applies(den))):
            reasons_na = Text(
                f"'{by}' 항목은 이 지표의 자료에 해당하지 않아 세부 구분 없음",
                f"'{by}' does not apply to the records of this KPI: no breakdown",
            )
            explanation = attrs.evolve(explanation, reasons=(*explanation.reasons, reasons_na))
            common["explanation"] = explanation
        elif by and num.cells is not None:
            den_cells = den.cells if den is not None else None
            for k in frame.order(by, set(num.cells) | set(den_cells or {})):
                cn = num.cells.get(k, 0)
                cd: Number | None = None
                cv: float | None = None
                if den is None:
                    cv = cn
                elif den_cells is not None:
                    cd = den_cells.get(k, 0)
                    cv = ratio(cn, cd, self.unit)
                cells[k] = KpiValue(
                    kpi_id=self.key,
                    title=self.meta.title,
                    numerator=cn,
                    denominator=cd,
                    value=cv,
                    label=frame.label(by, k),
                    interval=interval(ctx, cn, cd, self.unit, z) if z is not None else None,
                    **common,
                )
        return KpiValue(
            kpi_id=self.key,
            title=self.meta.title,
            numerator=num.total,
            denominator=den.total if den is not None else None,
            value=value,
            breakdown=cells,
            interval=interval(ctx, num.total, den.total, self.unit, z) if z is not None and den else None,
            missing=missing,
            **common,
        )


def _applies(amount: Amount) -> bool:
    """Whether a breakdown column means something for the amount's records (not all unknown)."""
    return amount.cells is None or not amount.cells or set(amount.cells) != {UNKNOWN}


def _counts_cohort(measure: Measure) -> bool:
    return getattr(measure, "population", None) == "placed_seekers"


# ---------------------------------------------------------------------- centre KPIs


def centre_kpis(system: RuleSystem) -> list[FormulaKpi]:
    """The formulas a centre declares in its ``employkit.toml``::

        [[metrics.kpis]]
        key = "youth_employment_rate"
        ko = "청년 취업률"
        en = "youth employment rate"
        numerator = { count = "placed_seekers", where = [["age", "lt", 35]] }
        denominator = { count = "seekers", where = [["age", "lt", 35]] }
        unit = "%"          # default "%"; "people", "ratio", "KRW" …
        bounded = true      # numerator is a subset of the denominator
        precision = 1
        source = "centre plan 2016#p.3"

    Their rule ids are ``metrics.centre.<key>`` and their explanations name the
    configuration. Raises :class:`~employkit.errors.ConfigError` naming the entry.
    """
    raw = system.config.setting("metrics", "kpis", [])
    where = system.config.path or "employkit.toml"
    if not isinstance(raw, list):
        raise ConfigError(f"{where}: metrics.kpis must be an array of tables ([[metrics.kpis]])")
    out = []
    for n, entry in enumerate(raw, 1):
        at = f"{where}: metrics.kpis #{n}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("key"), str):
            raise ConfigError(f"{at}: needs a string 'key'")
        unknown = set(entry) - {
            "key",
            "ko",
            "en",
            "numerator",
            "denominator",
            "unit",
            "bounded",
            "precision",
            "display_precision",
            "source",
            "breakdown",
        }
        if unknown:
            raise ConfigError(f"{at}: unknown key(s) {', '.join(sorted(unknown))}")
        key = entry["key"]
        try:
            meta = RuleMeta(
                rule_id=f"metrics.centre.{key}",
                title=Text(str(entry.get("ko", key)), str(entry.get("en", key))),
                source=SourceRef.parse(entry["source"]) if "source" in entry else None,
            )
        except ValueError as exc:
            raise ConfigError(f"{at}: {exc}") from None
        if "numerator" not in entry:
            raise ConfigError(f"{at}: needs a numerator")
        out.append(
            FormulaKpi(
                meta=meta,
                key=key,
                numerator=measure_from_mapping(entry["numerator"], f"{at}.numerator"),
                denominator=(
                    measure_from_mapping(entry["denominator"], f"{at}.denominator") if "denominator" in entry else None
                ),
                unit=str(entry.get("unit", "%" if "denominator" in entry else "people")),
                bounded=bool(entry.get("bounded", False)),
                precision=entry.get("precision"),
                display_precision=entry.get("display_precision"),
                breakdown=entry.get("breakdown"),
                origin=system.config.origin,
            )
        )
    return out
