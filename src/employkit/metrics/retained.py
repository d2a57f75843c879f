"""Retention KPIs: the share of placements still employed N months after the start.

The status of each placement is :func:`employkit.followup.retention.retention_status`,
the one definition of retention that the follow-up commands and the audit use too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.followup.retention import retention_rate
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.columnar import Tally, retention_tally
from employkit.metrics.common import frame_of, interval, period_reason, precision_of, ratio

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.metrics.columnar import ColumnData
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["RetentionKpi", "Tally", "retention_tally"]


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

    def compute(self, data: ColumnData | Dataset, ctx: EvalContext) -> KpiValue:
        """Retained / due placements, with counts of left and unknown in the explanation."""
        frame = frame_of(data, ctx)
        scope = frame.scope
        by = scope.by or "month"
        window = int(ctx.param("metrics.retention.window_days"))
        exclude_unknown = bool(ctx.param("metrics.retention.exclude_unknown"))
        precision = precision_of(ctx, self.precision, "metrics.rounding.decimals")
        display = precision_of(ctx, self.display_precision, "metrics.rounding.display_decimals")
        z = float(ctx.param("metrics.wilson.z")) if scope.ci else None
        totals, tally, reached = frame.retention_tally(self.months, by, window)

        def den(t: Mapping[str, int]) -> int:
            return retention_rate(t["retained"], t["left"], t["unknown"], exclude_unknown)[1]

        reasons = [
            Text(
                f"취업 후 {self.months}개월 시점 재직 확인 / 확인 시점이 된 취업자",
                f"confirmed still employed {self.months} month{'s' if self.months != 1 else ''} after the start"
                " / placements whose check is due",
            ),
            period_reason(frame),
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
                interval=interval(ctx, t["retained"], den(t), "%", z) if z is not None else None,
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
            interval=interval(ctx, totals["retained"], den(totals), "%", z) if z is not None and reached else None,
            **common,
        )
