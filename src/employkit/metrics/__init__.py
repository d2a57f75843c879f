"""Metrics: KPI formulas with exact numerators and denominators (성과지표).

KPIs are rules registered through ``employkit_kpis``; the interface is in
:mod:`employkit.metrics.base`. The modules:

* :mod:`employkit.metrics.kpis` and :mod:`employkit.metrics.measures` — KPIs declared as
  data (formulas, funnels, retention) and the measures and filters they use;
* :mod:`employkit.metrics.builtin` — the national pack's KPIs;
* :mod:`employkit.metrics.scope` — the period, the observation date and KPI inputs;
* :mod:`employkit.metrics.frame` — populations and breakdown columns;
* :mod:`employkit.metrics.report` — :func:`~employkit.metrics.report.kpi_report` and the
  JSON, table, CSV, Markdown and HTML renderings;
* :mod:`employkit.metrics.suppress` — small-cell suppression of published tables;
* :mod:`employkit.metrics.charts` — matplotlib charts (optional extra ``plot``).
"""

from employkit.metrics.base import Interval, KpiDefinition, KpiValue

__all__ = ["Interval", "KpiDefinition", "KpiValue"]
