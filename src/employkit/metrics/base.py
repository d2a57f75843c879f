"""What a KPI definition is, and what it returns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["KpiDefinition", "KpiValue"]


@frozen(kw_only=True)
class KpiValue:
    """A KPI computed on a dataset, keeping its exact numerator and denominator."""

    kpi_id: str
    title: Text
    numerator: float
    denominator: float | None  # None for counts and sums
    unit: str
    value: float | None  # None when the denominator is zero
    explanation: Explanation
    breakdown: Mapping[str, KpiValue] = field(factory=dict, hash=False)


@runtime_checkable
class KpiDefinition(Protocol):
    """A key performance indicator, registered by ``employkit_kpis``."""

    @property
    def meta(self) -> RuleMeta:
        """The KPI's rule metadata (its id is the KPI id)."""
        ...

    def compute(self, data: Dataset, ctx: EvalContext) -> KpiValue:
        """Compute the KPI on ``data`` as of ``ctx.as_of``."""
        ...
