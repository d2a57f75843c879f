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

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from attrs import field, frozen

from employkit.errors import ConfigError, EmploykitError
from employkit.explain import Explanation, ParameterUse, SourceRef
from employkit.followup.retention import (
    STATUS_NAMES,
    add_months_array,
    contacts_of,
    placement_columns,
    retention_rate,
    retention_status,
)
from employkit.labels import Text
from employkit.metrics.base import Interval, KpiValue
from employkit.metrics.frame import UNKNOWN, Frame, FrameBase
from employkit.metrics.measures import Amount, Measure, evaluate_columns, measure_from_mapping
from employkit.metrics.numbers import wilson_interval
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.metrics.columnar import ColumnData
    from employkit.rules import EvalContext, RuleSystem

__all__ = ["FormulaKpi", "FunnelKpi", "FunnelStep", "RetentionKpi", "centre_kpis", "retention_tally"]

Number = int | float


def _scale(unit: str) -> int:
    return 100 if unit == "%" else 1


def ratio(numerator: Number | None, denominator: Number | None, unit: str) -> float | None:
    """``numerator / denominator × scale``, or ``None`` when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * _scale(unit) / denominator


def _precision(ctx: EvalContext, given: int | None, pid: str) -> int:
    return int(ctx.param(pid)) if given is None else given


#: KPI inputs from a census or the labour-force survey: their ratios are not binomial
#: samples of the counted people, so no Wilson interval is put on them.
POPULATION_INPUTS = frozenset({"population", "economically_active", "inactive", "employed", "unemployed"})
NO_INTERVAL = Text(
    "신뢰구간 없음: 인구·경제활동인구조사 수치는 이항 표본이 아님",
    "no confidence interval: census and labour-force-survey figures are not a binomial sample",
)


def _interval(ctx: EvalContext, num: Number | None, den: Number | None, unit: str, z: float) -> Interval | None:
    if num is None or den is None or den <= 0 or not 0 <= num <= den:
        return None
    low, high = wilson_interval(num, den, z)
    scale = _scale(unit)
    return Interval(low * scale, high * scale, round(2 * NormalDist().cdf(z) - 1, 4))


def explain(
    ctx: EvalContext,
    meta: RuleMeta,
    *,
    origin: str | None,
    reasons: Iterable[Text],
    inputs: Mapping[str, Any],
    parameters: Iterable[str] = (),
) -> Explanation:
    """The explanation of a KPI value.

    Pack KPIs go through ``ctx.explain`` (pack, version, parameters used). A centre's own
    KPI (``origin`` names its configuration) is not a pack rule: its explanation names
    the configuration and cites the parameters it reads.
    """
    if meta.description is not None:  # e.g. "employkit definition: no source document defines it"
        reasons = (*reasons, meta.description)
    if origin is None:
        return ctx.explain(meta.rule_id, reasons=reasons, inputs=inputs)
    uses: list[ParameterUse] = []
    for pid in dict.fromkeys(parameters):
        try:
            uses.append(ctx.system.parameter(pid, ctx.as_of))
        except EmploykitError:
            continue
    return Explanation(
        rule_id=meta.rule_id,
        pack="centre",
        pack_version=origin,
        reasons=tuple(reasons),
        as_of=ctx.as_of,
        parameters=tuple(uses),
        inputs=dict(inputs),
    )


Evaluate = Callable[[Measure, "str | None"], Amount]


def _period_reason(frame: FrameBase) -> Text:
    s = frame.scope
    note_ko = f", {s.observed_on.isoformat()} 현재" if s.observed_on < s.period.end else ""
    note_en = f", as observed on {s.observed_on.isoformat()}" if s.observed_on < s.period.end else ""
    return Text(f"기간 {s.period.label}{note_ko}", f"period {s.period.label}{note_en}")


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

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        """The value over the scope's period, with a breakdown when a column is asked for."""
        frame = Frame(data, ctx)
        return self._compute(frame, ctx, lambda m, by: m.evaluate(frame, by))

    def compute_columns(self, data: ColumnData, ctx: EvalContext) -> KpiValue:
        """:meth:`compute` on DataFrames (:mod:`employkit.metrics.columnar`); the same value."""
        frame = data.frame(ctx)
        return self._compute(frame, ctx, lambda m, by: evaluate_columns(m, frame, by))

    def _compute(self, frame: FrameBase, ctx: EvalContext, evaluate: Evaluate) -> KpiValue:
        by = frame.scope.by or self.breakdown
        num = evaluate(self.numerator, by)
        den = evaluate(self.denominator, by) if self.denominator is not None else None
        precision = _precision(ctx, self.precision, "metrics.rounding.decimals")
        display = _precision(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if frame.scope.ci and self.bounded else None
        census = bool(POPULATION_INPUTS & {*num.inputs, *(den.inputs if den is not None else ())})
        if census:
            z = None
        value = num.total if den is None else ratio(num.total, den.total, self.unit)
        missing = tuple(dict.fromkeys((*num.missing, *(den.missing if den else ()))))
        reasons = [self.formula] if self.formula else []
        if census and frame.scope.ci:
            reasons.append(NO_INTERVAL)
        reasons += [_period_reason(frame), num.how]
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
                    interval=_interval(ctx, cn, cd, self.unit, z) if z is not None else None,
                    **common,
                )
        return KpiValue(
            kpi_id=self.key,
            title=self.meta.title,
            numerator=num.total,
            denominator=den.total if den is not None else None,
            value=value,
            breakdown=cells,
            interval=_interval(ctx, num.total, den.total, self.unit, z) if z is not None and den else None,
            missing=missing,
            **common,
        )


def _applies(amount: Amount) -> bool:
    """Whether a breakdown column means something for the amount's records (not all unknown)."""
    return amount.cells is None or not amount.cells or set(amount.cells) != {UNKNOWN}


def _counts_cohort(measure: Measure) -> bool:
    return getattr(measure, "population", None) == "placed_seekers"


@frozen(kw_only=True)
class FunnelStep:
    """One step of a funnel. ``services`` names an input prefix (``"served."``) whose
    inputs are the step's parts by service (``served.referral``, ``served.guidance``…)."""

    key: str
    title: Text
    measure: Measure
    services: str | None = None
    #: ``"people"`` or ``"cases"`` (consultations are cases: one person may have several).
    #: No conversion is computed between steps of different units.
    unit: str = "people"
    #: Left out without a note when its figure is missing.
    optional: bool = False


#: Labels of the services named in the source documents (input ``served.<code>``).
SERVICES: Mapping[str, Text] = {
    "referral": Text("알선", "referral"),
    "guidance": Text("진로지도", "career guidance"),
    "training": Text("훈련", "training"),
    "counselling": Text("심층상담", "in-depth counselling"),
    "work_experience": Text("일경험", "work experience"),
    "accompanied_interview": Text("동행면접", "accompanied interview"),
    "job_club": Text("취업역량 프로그램", "job-search programme"),
}


def _steps(values: Iterable[FunnelStep]) -> tuple[FunnelStep, ...]:
    return tuple(values)


@frozen(kw_only=True)
class FunnelKpi:
    """Counselled → served (by service) → placed: the count at each step and the conversion from the one before.

    The value is the overall conversion, last step / first step × 100. A step whose
    figure is missing is left out (the explanation says so) and the next step converts
    from the last present one. Parts by service are shares of their step; they need not
    add up to it (a person can get several services, and the sources list only some).
    """

    meta: RuleMeta
    key: str
    steps: tuple[FunnelStep, ...] = field(converter=_steps)
    precision: int | None = None
    display_precision: int | None = None

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        """The steps, their conversions and the overall conversion."""
        frame = Frame(data, ctx)
        return self._compute(frame, ctx, lambda m, by: m.evaluate(frame, by))

    def compute_columns(self, data: ColumnData, ctx: EvalContext) -> KpiValue:
        """:meth:`compute` on DataFrames (:mod:`employkit.metrics.columnar`); the same value."""
        frame = data.frame(ctx)
        return self._compute(frame, ctx, lambda m, by: evaluate_columns(m, frame, by))

    def _compute(self, frame: FrameBase, ctx: EvalContext, evaluate: Evaluate) -> KpiValue:
        precision = _precision(ctx, self.precision, "metrics.rounding.decimals")
        display = _precision(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if frame.scope.ci else None
        reasons = [_period_reason(frame)]
        found: list[tuple[FunnelStep, Amount]] = []
        missing: list[str] = []
        for step in self.steps:
            amount = evaluate(step.measure, None)
            if amount.total is None:
                if step.optional:
                    continue
                missing.extend(amount.missing)
                reasons.append(
                    Text(
                        f"'{step.title.ko}' 단계 생략: {amount.how.ko}",
                        f"step '{step.title.en}' left out: {amount.how.en}",
                    )
                )
                continue
            found.append((step, amount))
            reasons.append(amount.how)
        counts = {step.key: amount.total for step, amount in found}
        inputs: dict[str, Any] = {"period": frame.scope.period.label, **counts}
        # the overall conversion runs between steps counting the same thing (people, or cases)
        alike = [amount for step, amount in found if step.unit == found[-1][0].unit] if found else []
        first = alike[0].total if alike else None
        last = alike[-1].total if len(alike) > 1 else None
        units = {"people": Text("명", "people"), "cases": Text("건", "cases")}
        for (before, _), (step, _) in itertools.pairwise(found):
            if before.unit != step.unit:
                was, now = units.get(before.unit, Text("", "")), units.get(step.unit, Text("", ""))
                reasons.append(
                    Text(
                        f"'{step.title.ko}'({now.ko})은 앞 단계 '{before.title.ko}'({was.ko})와 "
                        "단위가 달라 전환율 없음",
                        f"'{step.title.en}' ({now.en}) has no conversion from '{before.title.en}' ({was.en})",
                    )
                )
        value = ratio(last, first, "%")
        explanation = explain(ctx, self.meta, origin=None, reasons=reasons, inputs=inputs)
        common: dict[str, Any] = {
            "explanation": explanation,
            "precision": precision,
            "display_precision": display,
            "lower": 0.0,
        }
        steps: list[KpiValue] = []
        previous: Number | None = None
        previous_unit: str | None = None
        for step, amount in found:
            total = amount.total
            if previous_unit != step.unit:
                previous = None
            if previous is None:
                steps.append(
                    KpiValue(
                        kpi_id=f"{self.key}.{step.key}",
                        title=step.title,
                        label=step.title,
                        numerator=total,
                        denominator=None,
                        value=total,
                        unit=step.unit,
                        **{**common, "precision": 0, "display_precision": 0},
                    )
                )
            else:
                steps.append(
                    KpiValue(
                        kpi_id=f"{self.key}.{step.key}",
                        title=step.title,
                        label=step.title,
                        numerator=total,
                        denominator=previous,
                        value=ratio(total, previous, "%"),
                        unit="%",
                        interval=_interval(ctx, total, previous, "%", z) if z is not None else None,
                        **common,
                    )
                )
            if step.services is not None:
                steps.extend(self._services(frame, step, total, common))
            previous, previous_unit = total, step.unit
        return KpiValue(
            kpi_id=self.key,
            title=self.meta.title,
            numerator=last,
            denominator=first,
            value=value,
            unit="%",
            steps=tuple(steps),
            missing=tuple(dict.fromkeys(missing)),
            interval=_interval(ctx, last, first, "%", z) if z is not None else None,
            **common,
        )

    def _services(
        self, frame: FrameBase, step: FunnelStep, total: Number | None, common: Mapping[str, Any]
    ) -> list[KpiValue]:
        prefix = step.services or ""
        out = []
        for name, count in frame.scope.inputs.items():
            if not name.startswith(prefix) or name == prefix.rstrip("."):
                continue
            code = name[len(prefix) :]
            label = SERVICES.get(code, Text(code, code))
            out.append(
                KpiValue(
                    kpi_id=f"{self.key}.{step.key}.{code}",
                    title=Text(f"{step.title.ko} — {label.ko}", f"{step.title.en} — {label.en}"),
                    label=label,
                    numerator=count,
                    denominator=total,
                    value=ratio(count, total, "%"),
                    unit="%",
                    **common,
                )
            )
        return out


#: Retention counts: the totals by status, the same per breakdown cell, and whether any check is reached.
Tally = tuple[dict[str, int], dict[str, dict[str, int]], bool]


def retention_tally(status: np.ndarray, reached: np.ndarray, codes: np.ndarray, keys: Sequence[str]) -> Tally:
    """Count the statuses of :func:`employkit.followup.retention.retention_status` in total and per cell.

    ``codes`` gives each placement's cell (an index into ``keys``).
    """
    names = STATUS_NAMES
    counts = np.bincount(status.astype(np.int64), minlength=4)
    totals = {s: int(counts[i]) for i, s in enumerate(names)}
    grid = np.bincount(codes.astype(np.int64) * 4 + status, minlength=4 * len(keys)).reshape(len(keys), 4)
    tally = {keys[i]: {s: int(grid[i, j]) for j, s in enumerate(names)} for i in range(len(keys)) if grid[i].any()}
    return totals, tally, bool(reached.any())


@frozen(kw_only=True)
class RetentionKpi:
    """Share of placements still employed ``months`` months after the start, by placement cohort.

    The cohort is the placements that started in the period. A placement whose check is
    not yet due on the observation date is left out of the cohort (not a failure).
    Placements whose status is unknown count in the denominator (not confirmed), unless
    the parameter ``metrics.retention.exclude_unknown`` is true. Without a breakdown
    column the value is broken down by start month (the placement cohort).
    """

    meta: RuleMeta
    key: str
    months: int
    precision: int | None = None
    display_precision: int | None = None

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        """Retained / due placements, with counts of left and unknown in the explanation."""
        frame = Frame(data, ctx)
        return self._compute(frame, ctx, lambda by, window: self._tally(frame, by, window))

    def compute_columns(self, data: ColumnData, ctx: EvalContext) -> KpiValue:
        """:meth:`compute` on DataFrames (:mod:`employkit.metrics.columnar`); the same value."""
        frame = data.frame(ctx)
        return self._compute(frame, ctx, lambda by, window: frame.retention_tally(self.months, by, window))

    def _tally(self, frame: Frame, by: str, window: int) -> Tally:
        """The status counts of the period's placements: in total, per cell of ``by``, and whether any is reached."""
        rows = frame.rows("placements")
        placed = [row.record for row in rows]
        start, ended = placement_columns(placed)
        status, reached = retention_status(
            start,
            ended,
            add_months_array(start, self.months),
            contacts_of(placed, frame.data.followups),
            frame.scope.observed_on,
            window,
        )
        keys: dict[str, int] = {}
        codes = np.array([keys.setdefault(frame.key(row, by), len(keys)) for row in rows], dtype=np.int64)
        return retention_tally(status, reached, codes, list(keys))

    def _compute(self, frame: FrameBase, ctx: EvalContext, tally_of: Callable[[str, int], Tally]) -> KpiValue:
        scope = frame.scope
        by = scope.by or "month"
        window = int(ctx.param("metrics.retention.window_days"))
        exclude_unknown = bool(ctx.param("metrics.retention.exclude_unknown"))
        precision = _precision(ctx, self.precision, "metrics.rounding.decimals")
        display = _precision(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if scope.ci else None
        totals, tally, reached = tally_of(by, window)

        def den(t: Mapping[str, int]) -> int:
            return retention_rate(t["retained"], t["left"], t["unknown"], exclude_unknown)[1]

        reasons = [
            Text(
                f"취업 후 {self.months}개월 시점 재직 확인 / 확인 시점이 된 취업자",
                f"confirmed still employed {self.months} month{'s' if self.months != 1 else ''} after the start"
                " / placements whose check is due",
            ),
            _period_reason(frame),
            Text(
                f"재직 {totals['retained']:,}, 이직 {totals['left']:,}, 미확인 {totals['unknown']:,}; "
                f"아직 확인 시점 전 {totals['later']:,}건은 코호트에서 제외",
                f"retained {totals['retained']:,}, left {totals['left']:,}, unknown {totals['unknown']:,}; "
                f"{totals['later']:,} not yet due left out of the cohort",
            ),
            Text(
                "미확인은 분모에서 제외" if exclude_unknown else "미확인은 분모에 포함 (재직 미확인)",
                "unknown left out of the denominator" if exclude_unknown else "unknown counted as not confirmed",
            ),
        ]
        if not reached and den(totals):
            reasons.append(
                Text(
                    f"{self.months}개월 시점에 이른 사후관리 기록이 없어 값을 낼 수 없음",
                    f"no follow-up record reaches {self.months} month{'s' if self.months != 1 else ''}: no value",
                )
            )
        inputs = {"period": scope.period.label, "months": self.months, **totals, "by": by}
        explanation = ctx.explain(self.meta.rule_id, reasons=reasons, inputs=inputs)
        common: dict[str, Any] = {
            "unit": "%",
            "explanation": explanation,
            "precision": precision,
            "display_precision": display,
            "lower": 0.0,
            "upper": 100.0,
            "bounded": True,
        }
        cells = {
            k: KpiValue(
                kpi_id=self.key,
                title=self.meta.title,
                label=frame.label(by, k),
                numerator=t["retained"],
                denominator=den(t),
                value=ratio(t["retained"], den(t), "%"),
                interval=_interval(ctx, t["retained"], den(t), "%", z) if z is not None else None,
                **common,
            )
            for k, t in ((k, tally[k]) for k in frame.order(by, tally))
            if den(t) > 0
        }
        return KpiValue(
            kpi_id=self.key,
            title=self.meta.title,
            numerator=totals["retained"],
            denominator=den(totals),
            value=ratio(totals["retained"], den(totals), "%") if reached else None,
            breakdown=cells if reached else {},
            interval=_interval(ctx, totals["retained"], den(totals), "%", z) if z is not None and reached else None,
            **common,
        )


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
