"""Renderers: results as text for terminals and text reports, and as HTML pages.

Domain packages (profiling, matching, follow-up, metrics, accountability) compute results
and import nothing from here; the command line and report writers call these renderers.

- :mod:`employkit.render.text`: aligned plain-text tables, text safe for a terminal;
- :mod:`employkit.render.audit`: the fairness audit as text tables and as an HTML page;
- :mod:`employkit.render.monitoring`: the override monitoring report as text tables.
"""
