"""Metrics: KPI formulas with exact numerators and denominators (성과지표).

KPIs are rules registered through ``employkit_kpis``; the interface is in
:mod:`employkit.metrics.base`. The modules:

* :mod:`employkit.metrics.kpis` and :mod:`employkit.metrics.measures` — KPIs declared as
  data (formulas, funnels, retention) and the measures and filters they use;
* :mod:`employkit.metrics.builtin` — the national pack's KPIs;
* :mod:`employkit.metrics.scope` — the period, the observation date and KPI inputs;
* :mod:`employkit.metrics.frame` — populations and breakdown columns;
* :mod:`employkit.metrics.report` — :func:`~employkit.metrics.report.kpi_report`, every KPI
  of the active packs on one dataset;
* :mod:`employkit.metrics.suppress` — small-cell suppression of published tables.

The report is rendered outside this package: :mod:`employkit.render.kpis` (JSON, table, CSV,
Markdown, HTML), :mod:`employkit.render.charts` and :mod:`employkit.render.plots` (matplotlib).
"""

from employkit.metrics.base import Interval, KpiDefinition, KpiValue

__all__ = ["Interval", "KpiDefinition", "KpiValue"]
