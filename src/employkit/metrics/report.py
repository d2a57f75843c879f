"""KPI reports: every KPI of the active packs on one dataset.

:func:`kpi_report` computes the KPIs and, for publication, suppresses small cells. The
report is rendered outside the metrics package, by :mod:`employkit.render.kpis`
(JSON, text table, CSV, Markdown, HTML).

>>> import datetime as dt
>>> from employkit.rules import RuleSystem
>>> from employkit.synth import sample_centre
>>> report = kpi_report(sample_centre(), RuleSystem.build(), dt.date(2016, 1, 31))
>>> rate = report.get("employment_rate").value
>>> rate.numerator, rate.denominator, rate.rounded, rate.display
(1095, 3110, 35.2, '35%')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
from attrs import frozen

from employkit._moved import forward
from employkit.errors import ConfigError, EmploykitError, NotFound
from employkit.explain import Explanation, SourceRef
from employkit.labels import Text
from employkit.metrics.base import KpiValue
from employkit.metrics.columnar import ColumnData, ColumnFrame, compute
from employkit.metrics.columns import latest_year as first_year
from employkit.metrics.frame import DIMENSIONS
from employkit.metrics.kpis import centre_kpis
from employkit.metrics.scope import KpiContext, KpiScope, Period, config_inputs
from employkit.metrics.suppress import min_cell_of, suppress_together

if TYPE_CHECKING:
    import pandas as pd

    from employkit.dataset import Dataset
    from employkit.model import Centre
    from employkit.rules import RuleSystem

__all__ = [
    "KpiReport",
    "KpiResult",
    "build_report",
    "kpi_report",
    "kpi_report_frames",
]


@frozen(kw_only=True)
class KpiResult:
    """One KPI in a report: its value and who defined it."""

    value: KpiValue
    rule_id: str
    pack: str
    pack_version: str
    source: SourceRef | None = None
    error: str | None = None  # the KPI could not be computed (e.g. a parameter had no value)

    @property
    def packs(self) -> str:
        """The KPI's pack and every other pack that supplied a parameter it used.

        ``national`` for a KPI read from national parameters only; ``national; junggu
        (metrics.target.placements)`` when a district pack gave the target.
        """
        others: dict[str, list[str]] = {}
        for use in self.value.explanation.parameters:
            if use.pack != self.pack:
                others.setdefault(use.pack, []).append(use.parameter_id)
        return "; ".join([self.pack, *(f"{p} ({', '.join(sorted(ids))})" for p, ids in others.items())])


@frozen(kw_only=True)
class KpiReport:
    """The KPIs of one dataset over one period, as published (small cells suppressed unless ``min_cell`` is None)."""

    centre: str | None
    origin: str
    as_of: dt.date
    scope: KpiScope
    results: tuple[KpiResult, ...]
    min_cell: int | None

    @property
    def period(self) -> Period:
        """The period the KPIs cover."""
        return self.scope.period

    @property
    def by(self) -> str | None:
        """The breakdown column asked for, if any."""
        return self.scope.by

    def get(self, key: str) -> KpiResult:
        """The result of the KPI with this key or rule id (raises :class:`KeyError`)."""
        for r in self.results:
            if key in (r.value.kpi_id, r.rule_id):
                return r
        raise NotFound(f"no KPI {key!r} in this report")

    def kpi_ids(self) -> list[str]:
        """The KPI keys, in report order."""
        return [r.value.kpi_id for r in self.results]


def _inputs(given: Mapping[str, float] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, value in (given or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise ConfigError(f"KPI input {name!r} must be a number ≥ 0, got {value!r}")
        out[str(name)] = value
    return out


def kpi_report(
    data: Dataset,
    system: RuleSystem,
    as_of: dt.date | None = None,
    *,
    year: int | None = None,
    period: Period | None = None,
    by: str | None = None,
    inputs: Mapping[str, float] | None = None,
    segments: Mapping[str, str] | None = None,
    ci: bool = False,
    only: Iterable[str] | None = None,
    publish: bool = True,
) -> KpiReport:
    """Compute every KPI of the active packs (and the centre's own) on ``data``.

    ``as_of`` (default today) is the observation date: records after it are left out
    and retention checks count once due by then. The period is ``period``, else the
    calendar year ``year``, else the latest year of the records
    (:func:`~employkit.metrics.columns.latest_year`).
    Parameters are read as of the period's end (or ``as_of`` if earlier), so a 2015
    report uses the 2015 thresholds.

    ``by`` breaks every KPI down by a column (``age_band``, ``wage_band``,
    ``occupation``, ``residence``, ``month``, ``segment``, ``partner_agency`` or any
    record field). ``segments`` maps seeker ids to a segment (for ``by="segment"``).
    ``inputs`` are figures that are not records (see :mod:`employkit.metrics.scope`);
    they win over the centre's ``[metrics.inputs]``. ``ci`` adds Wilson intervals to
    proportions. ``only`` keeps the KPIs with these keys or rule ids. With ``publish``
    (the default) cells under ``metrics.suppression.min_cell`` are suppressed.

    A KPI that fails (a parameter with no value in force, a conflict) is reported with
    its error; the others are computed. Raises :class:`ConfigError` for an unknown
    column or bad inputs.

    The KPIs are computed on columns (:mod:`employkit.metrics.columnar`, numpy only): each
    column of the records is converted once, when a KPI first reads it.
    """
    return kpi_report_frames(
        ColumnData.of(data),
        system,
        as_of,
        year=year,
        period=period,
        by=by,
        inputs=inputs,
        segments=segments,
        ci=ci,
        only=only,
        publish=publish,
        origin=data.origin,
    )


def kpi_report_frames(
    frames: Mapping[str, pd.DataFrame] | Mapping[str, Mapping[str, Any]] | ColumnData,
    system: RuleSystem,
    as_of: dt.date | None = None,
    *,
    year: int | None = None,
    period: Period | None = None,
    by: str | None = None,
    inputs: Mapping[str, float] | None = None,
    segments: Mapping[str, str] | None = None,
    ci: bool = False,
    only: Iterable[str] | None = None,
    publish: bool = True,
    centre: Centre | None = None,
    origin: str = "frames",
) -> KpiReport:
    """:func:`kpi_report` on tables given as columns: the same report.

    ``frames`` maps table names (``seekers``, ``employers``, ``vacancies``,
    ``placements``, ``followups``) to DataFrames with the schema's column names, as
    :func:`employkit.frames.to_frames` gives them (needs pandas), or to mappings of column
    names to numpy arrays or lists; or it is a :class:`~employkit.metrics.columns.ColumnData`
    built once and reused across reports (its columns, links and selections are cached).
    ``centre`` is the centre (region for ``resident``, targets, budget, staff). The other
    arguments are those of ``kpi_report``.

    Raises :class:`~employkit.errors.DataError` for a missing required column or a column
    that cannot be read as its type, and :class:`~employkit.errors.ConfigError` as
    ``kpi_report`` does.
    """
    data = frames if isinstance(frames, ColumnData) else ColumnData(frames, centre)
    if centre is not None and data.centre is None:
        data.centre = centre
    return build_report(
        system,
        as_of,
        year=year,
        period=period,
        by=by,
        inputs=inputs,
        segments=segments,
        ci=ci,
        only=only,
        publish=publish,
        latest_year=lambda day: first_year(data, day),
        known_column=lambda ctx, column: ColumnFrame(data, ctx).known_column(column),
        compute=compute(data),
        centre=data.centre.name if data.centre is not None else None,
        origin=origin,
    )


def build_report(
    system: RuleSystem,
    as_of: dt.date | None,
    *,
    year: int | None,
    period: Period | None,
    by: str | None,
    inputs: Mapping[str, float] | None,
    segments: Mapping[str, str] | None,
    ci: bool,
    only: Iterable[str] | None,
    publish: bool,
    latest_year: Callable[[dt.date], int],
    known_column: Callable[[KpiContext, str], bool],
    compute: Callable[[Any, KpiContext], KpiValue],
    centre: str | None,
    origin: str,
) -> KpiReport:
    """The report of :func:`kpi_report`, whatever holds the data: ``compute(kpi, ctx)`` computes one KPI.

    ``latest_year(as_of)`` is the default year and ``known_column(ctx, column)`` says
    whether a breakdown column exists.
    """
    as_of = as_of or dt.date.today()
    if period is None:
        period = Period.year(year if year is not None else latest_year(as_of))
    configured = config_inputs(system, period.start.year)
    given = _inputs(inputs)
    merged = {k: v for k, (v, _) in configured.items()} | given
    origins = {k: w for k, (_, w) in configured.items()} | {k: "caller" for k in given}
    scope = KpiScope(
        period=period,
        observed_on=as_of,
        inputs=merged,
        input_origins=origins,
        by=by,
        segments=segments,
        ci=ci,
    )
    param_day = min(as_of, period.end)
    ctx = KpiContext(system, param_day, scope)
    if by is not None:
        if publish:
            from employkit.privacy import refuse_identifying

            refuse_identifying(by, "--by")
        if by == "segment" and segments is None:
            raise ConfigError("the 'segment' breakdown needs a mapping of seeker ids to segments")
        if not known_column(ctx, by):
            known = ", ".join(DIMENSIONS)
            raise ConfigError(f"unknown breakdown column {by!r}; use a record field or one of: {known}")
    wanted = set(only) if only is not None else None
    kpis: list[Any] = [*system.kpis(param_day), *centre_kpis(system)]
    results = []
    for kpi in kpis:
        rule_id = kpi.meta.rule_id
        key = getattr(kpi, "key", rule_id)
        if wanted is not None and not ({rule_id, key} & wanted):
            continue
        results.append(_compute(kpi, compute, ctx, system))
    if wanted is not None:
        found = {r.rule_id for r in results} | {r.value.kpi_id for r in results}
        unknown = wanted - found
        if unknown:
            raise ConfigError(f"no active KPI has the key or id {', '.join(sorted(unknown))}")
    min_cell = min_cell_of(system, param_day) if publish else None
    if min_cell is not None:
        computed = [r for r in results if not r.error]
        published = dict(zip(map(id, computed), suppress_together([r.value for r in computed], min_cell), strict=True))
        results = [r if r.error else attrs.evolve(r, value=published[id(r)]) for r in results]
    declared = system.declaration_order()  # packs' KPIs as they declare them (lowest layer first), the centre's last
    results.sort(key=lambda r: (declared.get(r.rule_id, len(declared)), r.rule_id))
    return KpiReport(centre=centre, origin=origin, as_of=as_of, scope=scope, results=tuple(results), min_cell=min_cell)


def _compute(
    kpi: Any, compute: Callable[[Any, KpiContext], KpiValue], ctx: KpiContext, system: RuleSystem
) -> KpiResult:
    rule_id = kpi.meta.rule_id
    origin = getattr(kpi, "origin", None)
    if origin is None:
        try:
            pack, _ = system.provenance(rule_id)
            pack_name, pack_version = pack.name, pack.version
        except EmploykitError:
            pack_name, pack_version = "?", "?"
    else:
        pack_name, pack_version = "centre", origin
    try:
        value = compute(kpi, ctx.fork())
        if not isinstance(value, KpiValue):
            raise TypeError(f"compute() returned {type(value).__name__}, not KpiValue")
        error = None
    except (EmploykitError, TypeError, ValueError, KeyError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        value = KpiValue(
            kpi_id=getattr(kpi, "key", rule_id),
            title=kpi.meta.title,
            numerator=None,
            denominator=None,
            unit="",
            value=None,
            explanation=Explanation(
                rule_id=rule_id,
                pack=pack_name,
                pack_version=pack_version,
                reasons=(Text(f"계산 실패: {error}", f"could not be computed: {error}"),),
                as_of=ctx.as_of,
            ),
        )
    return KpiResult(
        value=value,
        rule_id=rule_id,
        pack=pack_name,
        pack_version=pack_version,
        source=kpi.meta.source,
        error=error,
    )


# The renderers (render_table, render_markdown, to_data …) moved to employkit.render.kpis;
# their old names here still work, with a DeprecationWarning, until 0.3.
__getattr__ = forward(__name__, "employkit.render.kpis", elsewhere={"aligned": "employkit.render.text"})
