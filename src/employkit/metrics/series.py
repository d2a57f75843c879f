"""KPI series: every KPI over consecutive months, quarters or years, and multi-year panels.

:func:`kpi_series` runs :func:`~employkit.metrics.report.kpi_report` once per period and
keeps every value unrounded; :meth:`KpiSeries.to_frame` gives the tidy panel (one row per
period × KPI × cell), ready for pandas or Parquet. With ``by`` the panel has one row
per group too (a multi-year panel by age band, residence …).

What each KPI means over a short period follows its own definition: the employment
rate is a cohort rate (placed in the period among those registered in the period), so a
monthly series shows placements found *in the same month*. For "placed within N months
of registration" with seekers still being followed, use the censoring-aware curves of
:mod:`employkit.metrics.survival`.

>>> import datetime as dt
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> series = kpi_series(sample_centre(), RuleSystem.build(), "quarter", dt.date(2015, 1, 1), dt.date(2015, 12, 31),
...                     as_of=dt.date(2016, 12, 31), only=["seekers"])
>>> [(p.label, r.get("seekers").value.numerator) for p, r in series.reports]
[('2015-Q1', 824), ('2015-Q2', 880), ('2015-Q3', 875), ('2015-Q4', 531)]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from attrs import frozen

from employkit.errors import ConfigError
from employkit.followup.calendar import add_months
from employkit.metrics.scope import Period

if TYPE_CHECKING:
    import pandas as pd

    from employkit.dataset import Dataset
    from employkit.metrics.report import KpiReport
    from employkit.rules import RuleSystem

__all__ = ["FREQUENCIES", "KpiSeries", "SeriesPeriod", "kpi_series", "periods"]

Frequency = Literal["month", "quarter", "year"]
#: The frequencies a series can have, with their length in months.
FREQUENCIES: Mapping[str, int] = {"month": 1, "quarter": 3, "year": 12}


@frozen
class SeriesPeriod:
    """One period of a series: its label (``2015-03``, ``2015-Q1``, ``2015``) and days."""

    label: str
    period: Period


def _label(start: dt.date, freq: str) -> str:
    if freq == "year":
        return str(start.year)
    if freq == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


def periods(freq: str, start: dt.date, end: dt.date) -> list[SeriesPeriod]:
    """The calendar months, quarters or years that overlap ``start``–``end``, cut to it.

    >>> [p.label for p in periods("quarter", dt.date(2015, 2, 1), dt.date(2015, 7, 31))]
    ['2015-Q1', '2015-Q2', '2015-Q3']
    """
    if freq not in FREQUENCIES:
        raise ConfigError(f"unknown frequency {freq!r}; use one of {', '.join(FREQUENCIES)}")
    if end < start:
        raise ConfigError(f"the series ends ({end}) before it starts ({start})")
    months = FREQUENCIES[freq]
    first_month = (start.month - 1) // months * months + 1
    day = dt.date(start.year, first_month, 1)
    out = []
    while day <= end:
        nxt = add_months(day, months)
        out.append(SeriesPeriod(_label(day, freq), Period(max(day, start), min(nxt - dt.timedelta(days=1), end))))
        day = nxt
    return out


@frozen(kw_only=True)
class KpiSeries:
    """The KPI reports of consecutive periods (``reports``: ``(period, report)`` pairs)."""

    freq: str
    by: str | None
    as_of: dt.date
    reports: tuple[tuple[SeriesPeriod, KpiReport], ...]

    def rows(self) -> Iterator[dict[str, Any]]:
        """Tidy rows: :func:`employkit.frames.report_rows` of each period, with the period's label."""
        from employkit.frames import report_rows

        for sp, report in self.reports:
            for row in report_rows(report):
                yield {"freq": self.freq, "period": sp.label, **row}

    def to_frame(self) -> pd.DataFrame:
        """The panel as one tidy DataFrame (needs pandas)."""
        from employkit.frames import tidy_frame

        return tidy_frame(list(self.rows()))

    def values(self, kpi: str, cell: str | None = None) -> list[float | None]:
        """One KPI's exact values over the periods (a cell of the breakdown if given)."""
        out = []
        for _, report in self.reports:
            value = report.get(kpi).value
            if cell is not None:
                found = value.breakdown.get(cell)
                out.append(found.value if found is not None else None)
            else:
                out.append(value.value)
        return out


def kpi_series(
    data: Dataset,
    system: RuleSystem,
    freq: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    as_of: dt.date | None = None,
    by: str | None = None,
    only: Iterable[str] | None = None,
    inputs: Mapping[str, float] | None = None,
    ci: bool = False,
    publish: bool = False,
) -> KpiSeries:
    """Every KPI (or ``only`` these) for each ``freq`` period from ``start`` to ``end``.

    ``start`` / ``end`` default to the first and last day of the records (registrations
    and placements) up to ``as_of`` (default today). Values are unsuppressed unless
    ``publish`` — a series is for analysis; publish each period's table on its own.
    ``inputs`` apply to every period (give yearly figures only with ``freq="year"``).
    """
    from employkit.metrics.report import kpi_report

    as_of = as_of or dt.date.today()
    days = [s.registered_on for s in data.seekers if s.registered_on <= as_of]
    days += [p.start_date for p in data.placements if p.start_date <= as_of]
    if not days and (start is None or end is None):
        raise ConfigError("no records up to the observation date: give start and end")
    first = start or min(days)
    last = end or min(max(days), as_of)
    wanted = list(only) if only is not None else None
    out = []
    for sp in periods(freq, first, last):
        report = kpi_report(
            data, system, as_of, period=sp.period, by=by, only=wanted, inputs=inputs, ci=ci, publish=publish
        )
        out.append((sp, report))
    return KpiSeries(freq=freq, by=by, as_of=as_of, reports=tuple(out))
