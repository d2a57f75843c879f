"""Time-to-event curves with right-censoring: placement after registration, retention after placement.

A share "placed within 3 months" counted over seekers who registered last month is
wrong: most of them have not had three months yet. The Kaplan–Meier estimator counts
each person only while they are observed (right-censoring), so the curves here give

* **placement curves** (:func:`placement_curves`): for each seeker, days from
  registration to the start of their first placement (the event), or to the observation
  day if not placed by then (censored). ``1 − S(t)`` is the share placed within ``t``;
* **retention curves** (:func:`retention_curves`): for each placement, days in the job
  until the person is known to have left (the event), or the last day they were known
  to be in it (censored). ``S(t)`` is the share still employed ``t`` days after the start.

Retention uses the one definition of :mod:`employkit.followup.retention`
(:func:`~employkit.followup.retention.retention_spells`): the spell ends on the first
day a placement is *left* by that definition (the day after a known end, or a contact
finding the person gone), and is otherwise censored on the last day the person was
known in the job. A fixed-term contract end alone is not a leaving.

Groups are the breakdown columns of the KPIs (``age_band``, ``gender``, ``residence``,
``occupation`` … — :mod:`employkit.metrics.frame`), computed on the KPIs' columns with their own definitions
(age on the registration day for seekers, on the start day for placements).

The estimator is numpy only: survival ``S(t) = Π (1 − dᵢ/nᵢ)``, Greenwood's variance and
the log(−log) interval (the defaults of lifelines, against which the tests check it to
1e-9).

>>> curve = kaplan_meier([5, 6, 6, 2, 4, 4], [1, 0, 1, 1, 1, 0])
>>> [round(float(s), 4) for s in curve.survival]
[0.8333, 0.6667, 0.4444, 0.2222]
>>> round(curve.at(4.5), 4), curve.at(0)
(0.6667, 1.0)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from statistics import NormalDist
from typing import TYPE_CHECKING, Any

import numpy as np
from attrs import field, frozen

from employkit.errors import InvalidArgument
from employkit.followup.retention import contacts_of, placement_columns, retention_spells
from employkit.metrics.columns import ColumnData
from employkit.model import FollowUpContact, Placement

if TYPE_CHECKING:
    import pandas as pd

    from employkit.dataset import Dataset
    from employkit.rules import RuleSystem

__all__ = ["CurveSet", "SurvivalCurve", "kaplan_meier", "placement_curves", "retention_curves", "retention_spell"]

#: Days in a month when curves are read at whole months (365.25 / 12).
MONTH_DAYS = 365.25 / 12


def _array(values: Iterable[float]) -> np.ndarray:
    return np.asarray(list(values), dtype=float)


@frozen(kw_only=True)
class SurvivalCurve:
    """A Kaplan–Meier curve: at each distinct time, who was at risk, the events, the estimate.

    ``lower`` / ``upper`` are the pointwise ``level`` interval (log(−log) transform of
    Greenwood's variance). ``group`` is the breakdown cell, ``None`` for everyone.
    """

    times: np.ndarray = field(eq=False)
    at_risk: np.ndarray = field(eq=False)
    events: np.ndarray = field(eq=False)
    censored: np.ndarray = field(eq=False)
    survival: np.ndarray = field(eq=False)
    lower: np.ndarray = field(eq=False)
    upper: np.ndarray = field(eq=False)
    level: float = 0.95
    group: str | None = None
    kind: str = ""

    @property
    def subjects(self) -> int:
        """How many people the curve follows."""
        return int(self.events.sum() + self.censored.sum())

    def _index(self, t: float) -> int:
        return int(np.searchsorted(self.times, t, side="right")) - 1

    def at(self, t: float) -> float:
        """``S(t)``: the estimate just after time ``t`` (1.0 before the first event time)."""
        i = self._index(t)
        return 1.0 if i < 0 else float(self.survival[i])

    def interval_at(self, t: float) -> tuple[float, float]:
        """The interval of ``S(t)``."""
        i = self._index(t)
        return (1.0, 1.0) if i < 0 else (float(self.lower[i]), float(self.upper[i]))

    def at_risk_at(self, t: float) -> int:
        """People still observed (neither the event nor censored) just before ``t``."""
        i = int(np.searchsorted(self.times, t, side="left"))
        return int(self.at_risk[i]) if i < len(self.times) else 0

    def rows(self) -> list[dict[str, Any]]:
        """One dict per time: the tidy rows of :meth:`to_frame`."""
        return [
            {
                "kind": self.kind,
                "group": self.group,
                "time": float(t),
                "at_risk": int(n),
                "events": int(d),
                "censored": int(c),
                "survival": float(s),
                "lower": float(lo),
                "upper": float(hi),
                "level": self.level,
            }
            for t, n, d, c, s, lo, hi in zip(
                self.times,
                self.at_risk,
                self.events,
                self.censored,
                self.survival,
                self.lower,
                self.upper,
                strict=True,
            )
        ]

    def to_frame(self) -> pd.DataFrame:
        """The curve as a tidy DataFrame, one row per time (needs pandas)."""
        from employkit.frames import tidy_frame

        return tidy_frame(self.rows())


def kaplan_meier(
    durations: Sequence[float] | np.ndarray,
    events: Sequence[bool | int] | np.ndarray,
    *,
    level: float = 0.95,
    group: str | None = None,
    kind: str = "",
) -> SurvivalCurve:
    """The Kaplan–Meier estimate of ``S(t)`` from durations and event flags (0 = censored)."""
    t = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    if t.shape != e.shape:
        raise InvalidArgument("durations and events must have the same length")
    if np.any(t < 0) or np.any(~np.isfinite(t)):
        raise InvalidArgument("durations must be finite and not negative")
    times, inverse = np.unique(t, return_inverse=True)
    deaths = np.bincount(inverse, weights=e, minlength=len(times))
    total = np.bincount(inverse, minlength=len(times)).astype(float)
    at_risk = total[::-1].cumsum()[::-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        survival = np.cumprod(1.0 - deaths / at_risk)
        greenwood = np.cumsum(np.where(at_risk > deaths, deaths / (at_risk * (at_risk - deaths)), np.inf))
        z = NormalDist().inv_cdf(1 - (1 - level) / 2)
        v = np.log(survival)
        spread = z * np.sqrt(greenwood) / v
        lower = np.exp(-np.exp(np.log(-v) - spread))
        upper = np.exp(-np.exp(np.log(-v) + spread))
    lower = np.where(np.isnan(lower), np.where(survival >= 1.0, 1.0, 0.0), lower)
    upper = np.where(np.isnan(upper), np.where(survival >= 1.0, 1.0, 0.0), upper)
    lower, upper = np.minimum(lower, upper), np.maximum(lower, upper)
    return SurvivalCurve(
        times=times,
        at_risk=at_risk.astype(int),
        events=deaths.astype(int),
        censored=(total - deaths).astype(int),
        survival=survival,
        lower=lower,
        upper=upper,
        level=level,
        group=group,
        kind=kind,
    )


@frozen(kw_only=True)
class CurveSet:
    """Curves of one kind (``placement`` or ``retention``) by group, with the overall curve."""

    kind: str
    by: str | None
    as_of: dt.date
    overall: SurvivalCurve
    groups: Mapping[str, SurvivalCurve] = field(factory=dict)

    def curves(self) -> list[SurvivalCurve]:
        """The overall curve, then each group's."""
        return [self.overall, *self.groups.values()]

    def table(self, months: Sequence[int] = (1, 3, 6, 12)) -> list[dict[str, Any]]:
        """The estimate at whole months, by group: ``value`` is the share placed within
        (placement curves, ``1 − S``) or still employed at (retention curves, ``S``) each point."""
        out = []
        for curve in self.curves():
            for m in months:
                t = m * MONTH_DAYS
                s = curve.at(t)
                low, high = curve.interval_at(t)
                if self.kind == "placement":
                    s, low, high = 1 - s, 1 - high, 1 - low
                out.append(
                    {
                        "kind": self.kind,
                        "by": self.by,
                        "group": curve.group,
                        "months": m,
                        "value": s,
                        "lower": low,
                        "upper": high,
                        "level": curve.level,
                        "at_risk": curve.at_risk_at(t),
                        "subjects": curve.subjects,
                    }
                )
        return out

    def to_frame(self) -> pd.DataFrame:
        """Every curve as one tidy DataFrame (columns of :meth:`SurvivalCurve.rows` and ``by``)."""
        from employkit.frames import tidy_frame

        rows = [{"by": self.by, **row} for curve in self.curves() for row in curve.rows()]
        return tidy_frame(rows)


def _frame(data: Dataset, system: RuleSystem | None, as_of: dt.date, first: dt.date | None, by: str | None) -> Any:
    from employkit.errors import ConfigError
    from employkit.metrics.columnar import ColumnFrame
    from employkit.metrics.scope import KpiContext, KpiScope, Period
    from employkit.rules import RuleSystem

    system = system or RuleSystem.build()
    days = [s.registered_on for s in data.seekers] + [p.start_date for p in data.placements]
    start = first or min(days, default=as_of)
    scope = KpiScope(period=Period(min(start, as_of), as_of), observed_on=as_of)
    frame = ColumnFrame(ColumnData.of(data), KpiContext(system, as_of, scope))
    if by is not None and not frame.known_column(by):
        raise ConfigError(f"unknown breakdown column {by!r}")
    return frame


def _keys(frame: Any, table: str, rows: Any, by: str | None) -> list[str]:
    """The breakdown cell of each of ``rows`` (``""`` without a breakdown)."""
    if by is None:
        return [""] * len(rows)
    codes, names = frame.keys(table, rows, by)
    return [names[c] for c in codes.tolist()]


def _by_group(
    rows: Sequence[tuple[str, float, bool]], kind: str, by: str | None, as_of: dt.date, level: float
) -> CurveSet:
    overall = kaplan_meier([r[1] for r in rows], [r[2] for r in rows], level=level, kind=kind)
    groups: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    if by is not None:
        for key, t, e in rows:
            groups[key].append((t, e))
    curves = {
        k: kaplan_meier([t for t, _ in v], [e for _, e in v], level=level, group=k, kind=kind)
        for k, v in sorted(groups.items())
    }
    return CurveSet(kind=kind, by=by, as_of=as_of, overall=overall, groups=curves)


def placement_curves(
    data: Dataset,
    as_of: dt.date,
    *,
    by: str | None = None,
    system: RuleSystem | None = None,
    start: dt.date | None = None,
    level: float = 0.95,
) -> CurveSet:
    """Time from registration to the first placement, censored at ``as_of``, by ``by``.

    The seekers are those registered from ``start`` (default: the first record) to
    ``as_of``; a placement counts from its start date, if on or after the registration
    day and not after ``as_of``.
    """
    frame = _frame(data, system, as_of, start, by)
    first_start: dict[str, list[dt.date]] = defaultdict(list)
    for p in data.placements:
        if p.start_date <= as_of:
            first_start[p.seeker_id].append(p.start_date)
    found = frame.rows("seekers")
    rows = []
    for n, key in zip(found.tolist(), _keys(frame, "seekers", found, by), strict=True):
        s = data.seekers[n]
        after = [d for d in first_start.get(s.seeker_id, ()) if d >= s.registered_on]
        placed = min(after) if after else None
        end = placed if placed is not None else as_of
        rows.append((key, float((end - s.registered_on).days), placed is not None))
    return _by_group(rows, "placement", by, as_of, level)


def retention_spell(placement: Placement, contacts: Iterable[FollowUpContact], as_of: dt.date) -> tuple[float, bool]:
    """``(days, left)`` of one placement: a one-row :func:`~employkit.followup.retention.retention_spells`.

    >>> import datetime as dt
    >>> from employkit.model import EmploymentType, FollowUpOutcome
    >>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
    ...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
    >>> call = FollowUpContact(placement_id="P1", contacted_on=dt.date(2016, 9, 2),
    ...                        outcome=FollowUpOutcome.LEFT_SEEKING)
    >>> retention_spell(p, [call], dt.date(2017, 1, 1))
    (184.0, True)
    """
    start, ended = placement_columns([placement])
    days, left = retention_spells(start, ended, contacts_of([placement], contacts), as_of)
    return float(days[0]), bool(left[0])


def retention_curves(
    data: Dataset,
    as_of: dt.date,
    *,
    by: str | None = None,
    system: RuleSystem | None = None,
    start: dt.date | None = None,
    level: float = 0.95,
) -> CurveSet:
    """Time in the job after placement (:func:`retention_spell`), censored, by ``by``.

    The placements are those that started from ``start`` (default: the first record)
    to ``as_of``; contacts after ``as_of`` are not seen.
    """
    frame = _frame(data, system, as_of, start, by)
    found = frame.rows("placements")
    start_days = frame.take("placements", "start_date", found).data
    ended = frame.take("placements", "ended_on", found).data
    days, left = retention_spells(start_days, ended, frame.contacts(found), as_of)
    rows = [
        (key, float(d), bool(gone))
        for key, d, gone in zip(_keys(frame, "placements", found, by), days, left, strict=True)
    ]
    return _by_group(rows, "retention", by, as_of, level)
