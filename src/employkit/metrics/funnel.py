"""Funnel KPIs: counselled → served (by service) → placed, with the conversion at each step."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.common import explain, frame_of, interval, period_reason, precision_of, ratio
from employkit.metrics.measures import Amount, Measure

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.metrics.columnar import ColumnData, ColumnFrame
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["SERVICES", "FunnelKpi", "FunnelStep"]

Number = int | float


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

    def compute(self, data: ColumnData | Dataset, ctx: EvalContext) -> KpiValue:
        """The steps, their conversions and the overall conversion."""
        frame = frame_of(data, ctx)
        precision = precision_of(ctx, self.precision, "metrics.rounding.decimals")
        display = precision_of(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if frame.scope.ci else None
        reasons = [period_reason(frame)]
        found: list[tuple[FunnelStep, Amount]] = []
        missing: list[str] = []
        for step in self.steps:
            amount = step.measure.evaluate(frame, None)
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
            # the first step (or one in another unit) is a count; each later step a rate of the one before
            shown: dict[str, Any] = (
                {**common, "denominator": None, "value": total, "unit": step.unit}
                | {"precision": 0, "display_precision": 0}
                if previous is None
                else {
                    "denominator": previous,
                    "value": ratio(total, previous, "%"),
                    "unit": "%",
                    "interval": interval(ctx, total, previous, "%", z) if z is not None else None,
                    **common,
                }
            )
            steps.append(
                KpiValue(kpi_id=f"{self.key}.{step.key}", title=step.title, label=step.title, numerator=total, **shown)
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
            interval=interval(ctx, last, first, "%", z) if z is not None else None,
            **common,
        )

    def _services(
        self, frame: ColumnFrame, step: FunnelStep, total: Number | None, common: Mapping[str, Any]
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
