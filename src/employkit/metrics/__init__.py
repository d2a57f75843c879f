"""Metrics: KPI formulas with exact numerators and denominators (성과지표).

KPIs are rules registered through ``employkit_kpis``; the interface is in
:mod:`employkit.metrics.base`. The modules:

* :mod:`employkit.metrics.kpis`, :mod:`~employkit.metrics.funnel`,
  :mod:`~employkit.metrics.retained` and :mod:`employkit.metrics.measures` — KPIs declared
  as data (formulas, funnels, retention) and the measures and filters they use (the
  national pack's are in :mod:`employkit.national.metrics`);
* :mod:`employkit.metrics.scope` — the period, the observation date and KPI inputs;
* :mod:`employkit.metrics.frame` — populations and breakdown columns;
* :mod:`employkit.metrics.columnar`, :mod:`~employkit.metrics.derived`,
  :mod:`~employkit.metrics.columns` and :mod:`~employkit.metrics.cells` — the one way
  KPIs are evaluated: on numpy columns read from records, arrays or DataFrames;
* :mod:`employkit.metrics.report` — :func:`~employkit.metrics.report.kpi_report`, every KPI
  of the active packs on one dataset;
* :mod:`employkit.metrics.suppress` — small-cell suppression of published tables.

The report is rendered outside this package: :mod:`employkit.render.kpis` (JSON, table, CSV,
Markdown, HTML), :mod:`employkit.render.charts` and :mod:`employkit.render.plots` (matplotlib).
"""

from employkit.metrics.base import Interval, KpiDefinition, KpiValue

__all__ = ["Interval", "KpiDefinition", "KpiValue"]
