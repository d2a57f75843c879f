"""The built-in KPIs (filled in by the metrics work)."""

from __future__ import annotations

from employkit.metrics.base import KpiDefinition


def national_kpis() -> tuple[KpiDefinition, ...]:
    """The built-in KPIs."""
    return ()
