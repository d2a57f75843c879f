"""Renderers: results as text for terminals and text reports, and as HTML pages.

Domain packages (profiling, matching, follow-up, metrics, accountability) compute results
and import nothing from here; the command line and report writers call these renderers.

- :mod:`employkit.render.text`: aligned plain-text tables, text safe for a terminal;
- :mod:`employkit.render.kpis`: the KPI report as JSON, a text table, CSV, Markdown and HTML;
- :mod:`employkit.render.charts`: the KPI report's charts (matplotlib, the ``plot`` extra);
- :mod:`employkit.render.plots`: research plots — rates with intervals, series, survival curves;
- :mod:`employkit.render.audit`: the fairness audit as text tables and as an HTML page;
- :mod:`employkit.render.monitoring`: the override monitoring report as text tables.
"""
