"""A KPI report (:func:`employkit.metrics.report.kpi_report`) as JSON, a text table, CSV, Markdown and HTML.

:func:`to_data` gives the JSON object (``kpis.json``); :func:`render_table`,
:func:`render_csv`, :func:`render_markdown` and :func:`render_html` give the other
formats (:func:`html_fragment` is the HTML report's body, to place inside another page).
The HTML report embeds the charts of :mod:`employkit.render.charts` when matplotlib is
installed. :func:`shown`, :func:`published`, :func:`why_missing`, :func:`unit_label` and
:func:`title` are what every format shows of one value.

The modules: :mod:`~.values` (one value as a reader sees it, the rows of the table),
:mod:`~.data` (JSON), :mod:`~.tabular` (text table and CSV), :mod:`~.pages` (Markdown and HTML).

>>> import datetime as dt
>>> from employkit.metrics.report import kpi_report
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> report = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2016, 1, 31), only=["employment_rate"])
>>> print(render_table(report, "en").splitlines()[3])
employment rate  35.2%  35%        1,095      3,110        %               national
>>> kpi = to_data(report)["kpis"][0]
>>> kpi["display"], kpi["numerator"], kpi["denominator"], kpi["reason"]
('35%', 1095, 3110, None)
"""

from employkit.render.kpis.data import to_data
from employkit.render.kpis.pages import html_fragment, render_html, render_markdown
from employkit.render.kpis.tabular import render_csv, render_table
from employkit.render.kpis.values import (
    COUNT_UNITS,
    UNITS,
    exists,
    published,
    shown,
    title,
    unit_label,
    why_missing,
)

__all__ = [
    "COUNT_UNITS",
    "UNITS",
    "exists",
    "html_fragment",
    "published",
    "render_csv",
    "render_html",
    "render_markdown",
    "render_table",
    "shown",
    "title",
    "to_data",
    "unit_label",
    "why_missing",
]
