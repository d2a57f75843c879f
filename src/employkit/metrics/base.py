"""What a KPI definition is, and what it returns.

A KPI is any object with rule metadata (``meta``) and ``compute(data, ctx)`` returning a
:class:`KpiValue`, where ``data`` is a :class:`~employkit.metrics.columns.ColumnData` (the
tables as numpy columns; ``data.dataset`` holds the records when the report was computed
on a :class:`~employkit.dataset.Dataset`). Packs register them through the ``employkit_kpis`` hook. Most KPIs
are declared as data with the classes of :mod:`employkit.metrics.kpis`; a pack may also
write its own class, as long as it meets :class:`KpiDefinition`.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.explain import Explanation
from employkit.labels import Text
from employkit.metrics.numbers import format_number, round_half_up

if TYPE_CHECKING:
    from employkit.metrics.columns import ColumnData
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["Interval", "KpiDefinition", "KpiValue"]


@frozen
class Interval:
    """A confidence interval of a rate, in the KPI's unit (e.g. percent)."""

    low: float
    high: float
    level: float  # e.g. 0.95
    method: str = "wilson"


def _cells(values: Mapping[str, KpiValue]) -> Mapping[str, KpiValue]:
    return dict(values)


@frozen(kw_only=True)
class KpiValue:
    """A KPI computed on a dataset, keeping its exact numerator and denominator.

    ``value`` is exact (``numerator / denominator × scale``); :attr:`rounded` is the value
    as reports show it (``precision`` decimals, e.g. 35.2) and :attr:`display` the
    headline form a centre publishes (``display_precision`` decimals, e.g. "35%").
    ``numerator`` is ``None`` when an input the KPI needs was not given (``missing``
    names it) or when a published table suppressed the cell (``suppressed``).
    ``breakdown`` holds one value per cell of a breakdown column; ``steps`` the steps of
    a funnel or the points of a series.
    """

    kpi_id: str
    title: Text
    numerator: float | None
    denominator: float | None  # None for counts, sums and inputs
    unit: str
    value: float | None  # None when the denominator is zero, an input is missing, or suppressed
    explanation: Explanation
    breakdown: Mapping[str, KpiValue] = field(factory=dict, hash=False, converter=_cells)
    steps: tuple[KpiValue, ...] = ()
    precision: int = 1
    display_precision: int = 0
    lower: float | None = None  # the bounds the KPI declares for its value
    upper: float | None = None
    bounded: bool = False  # numerator <= denominator by definition
    disclosive: tuple[bool, bool] = (True, True)  # numerator, denominator count people (suppressed when small)
    interval: Interval | None = None
    suppressed: bool = False
    missing: tuple[str, ...] = ()
    label: Text | None = None  # the cell's label, in a breakdown or a funnel

    @property
    def rounded(self) -> float | None:
        """The value rounded half-up to :attr:`precision` decimals (35.209… → 35.2)."""
        if self.value is None:
            return None
        exact = self.exact
        rounded = round_half_up(exact if exact is not None else Fraction(self.value), self.precision)
        return int(rounded) if self.precision <= 0 else float(rounded)

    @property
    def exact(self) -> Fraction | None:
        """The value as an exact fraction, when numerator and denominator are whole numbers."""
        if self.value is None or self.numerator is None:
            return None
        scale = _scale(self.unit)
        num, den = self.numerator, self.denominator
        if den is None:
            return Fraction(num).limit_denominator(10**9) if isinstance(num, float) else Fraction(num)
        if isinstance(num, int) and isinstance(den, int) and den:
            return Fraction(num, den) * scale
        return Fraction(self.value)

    @property
    def display(self) -> str:
        """The published form: ``display_precision`` decimals and the unit ("35%")."""
        if self.suppressed:
            return "*"
        if self.value is None:
            return "–"
        exact = self.exact if self.exact is not None else Fraction(self.value)
        return format_number(round_half_up(exact, self.display_precision), self.display_precision, self.unit)

    @property
    def shown(self) -> str:
        """The report form: :attr:`precision` decimals and the unit ("35.2%")."""
        if self.suppressed:
            return "*"
        if self.value is None:
            return "–"
        exact = self.exact if self.exact is not None else Fraction(self.value)
        return format_number(round_half_up(exact, self.precision), self.precision, self.unit)


def _scale(unit: str) -> int:
    return 100 if unit == "%" else 1


@runtime_checkable
class KpiDefinition(Protocol):
    """A key performance indicator, registered by ``employkit_kpis``."""

    @property
    def meta(self) -> RuleMeta:
        """The KPI's rule metadata (its id is the KPI's rule id)."""
        ...

    def compute(self, data: ColumnData, ctx: EvalContext) -> KpiValue:
        """Compute the KPI on the tables ``data`` as of ``ctx.as_of``.

        When ``ctx`` is a :class:`employkit.metrics.scope.KpiContext` it carries the
        period, the caller's inputs, the breakdown column and segments; with a plain
        context the KPI uses the calendar year of ``ctx.as_of`` and the centre's
        ``[metrics.inputs]`` settings.
        """
        ...
