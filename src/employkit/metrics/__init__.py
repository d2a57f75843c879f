"""Metrics: KPI formulas with exact numerators and denominators (성과지표).

KPIs are rules registered through ``employkit_kpis``; the interface is in
:mod:`employkit.metrics.base`.
"""

from employkit.metrics.base import KpiDefinition, KpiValue

__all__ = ["KpiDefinition", "KpiValue"]
