"""What every declared KPI shares: ratios, intervals, precision, explanations and the frame it reads.

The classes of :mod:`employkit.metrics.kpis`, :mod:`employkit.metrics.funnel` and
:mod:`employkit.metrics.retained` build their :class:`~employkit.metrics.base.KpiValue`
with these.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

from employkit.errors import EmploykitError
from employkit.explain import Explanation, ParameterUse
from employkit.labels import Text
from employkit.metrics.base import Interval
from employkit.metrics.columnar import ColumnData, ColumnFrame
from employkit.metrics.numbers import wilson_interval

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = [
    "NO_INTERVAL",
    "POPULATION_INPUTS",
    "explain",
    "frame_of",
    "interval",
    "period_reason",
    "precision_of",
    "ratio",
]

Number = int | float


def _scale(unit: str) -> int:
    return 100 if unit == "%" else 1


def ratio(numerator: Number | None, denominator: Number | None, unit: str) -> float | None:
    """``numerator / denominator × scale``, or ``None`` when either is unknown or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator * _scale(unit) / denominator


def precision_of(ctx: EvalContext, given: int | None, pid: str) -> int:
    return int(ctx.param(pid)) if given is None else given


#: KPI inputs from a census or the labour-force survey: their ratios are not binomial
#: samples of the counted people, so no Wilson interval is put on them.
POPULATION_INPUTS = frozenset({"population", "economically_active", "inactive", "employed", "unemployed"})
NO_INTERVAL = Text(
    "신뢰구간 없음: 인구·경제활동인구조사 수치는 이항 표본이 아님",
    "no confidence interval: census and labour-force-survey figures are not a binomial sample",
)


def interval(ctx: EvalContext, num: Number | None, den: Number | None, unit: str, z: float) -> Interval | None:
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


def frame_of(data: ColumnData | Dataset, ctx: EvalContext) -> ColumnFrame:
    """The view of one KPI computation: ``data`` as columns (a Dataset's records converted as they are read)."""
    return ColumnFrame(data if isinstance(data, ColumnData) else ColumnData.of(data), ctx)


def period_reason(frame: ColumnFrame) -> Text:
    s = frame.scope
    note_ko = f", {s.observed_on.isoformat()} 현재" if s.observed_on < s.period.end else ""
    note_en = f", as observed on {s.observed_on.isoformat()}" if s.observed_on < s.period.end else ""
    return Text(f"기간 {s.period.label}{note_ko}", f"period {s.period.label}{note_en}")
