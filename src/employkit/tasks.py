"""The task functions: one call per job a centre does, all taking the same arguments.

Each takes the centre's records and the rule system first, then keyword-only options;
``as_of`` (the date rules and parameters are read on) is optional everywhere and
defaults to :func:`reference_date` of the data::

    profile(data, system, *, as_of=None, typology=None)            # 구직자 유형분류
    match(data, system, *, as_of=None, top=10)                      # 알선 추천
    schedule(data, system, *, as_of=None, store=None)               # 사후관리 일정
    kpis(data, system, *, as_of=None, year=None, by=None, ...)      # 성과지표
    audit(data, system, *, as_of=None, by=(...), ...)               # 공정성 점검

They are thin: each calls the domain function named in its docstring, which takes more
options. :func:`employkit.load` reads the records.

>>> import employkit
>>> data = employkit.load("sample")
>>> system = employkit.RuleSystem.build()
>>> employkit.reference_date(data)
datetime.date(2015, 12, 31)
>>> employkit.kpis(data, system, only=["employment_rate"]).results[0].value.display
'35%'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from employkit.accountability.audit import FairnessAudit
    from employkit.dataset import Dataset
    from employkit.followup.api import ScheduleRun, ScheduleStore
    from employkit.matching.ranking import Rankings
    from employkit.metrics.report import KpiReport
    from employkit.profiling.api import DatasetProfiles
    from employkit.rules import RuleSystem

__all__ = ["audit", "kpis", "match", "profile", "reference_date", "schedule"]


def reference_date(data: Dataset) -> dt.date:
    """The date a job runs on when none is given: the centre's reference date.

    The end of the centre's reporting period (its ``centre.toml``), else the last day its
    records cover — so a report on 2015 records is read as of the end of 2015, never
    today (:func:`employkit.centre.reference_date`). Raises
    :class:`~employkit.errors.ConfigError` for a dataset with no dates at all.
    """
    from employkit.centre import reference_date as centre_reference

    return centre_reference(data).day


def _day(data: Dataset, as_of: dt.date | None) -> dt.date:
    return as_of if as_of is not None else reference_date(data)


def profile(
    data: Dataset, system: RuleSystem, *, as_of: dt.date | None = None, typology: str | None = None
) -> DatasetProfiles:
    """Profile every seeker of ``data`` (:func:`employkit.profiling.api.profile_dataset`)."""
    from employkit.profiling.api import profile_dataset

    return profile_dataset(data, system, _day(data, as_of), typology)


def match(
    data: Dataset, system: RuleSystem, *, as_of: dt.date | None = None, top: int = 10, open_only: bool = True
) -> Rankings:
    """The ``top`` vacancies of every seeker and seekers of every vacancy (:func:`employkit.matching.rank_all`)."""
    from employkit.matching.ranking import rank_all

    return rank_all(data.seekers, data.vacancies, system, top=top, as_of=_day(data, as_of), open_only=open_only)


def schedule(
    data: Dataset,
    system: RuleSystem,
    *,
    as_of: dt.date | None = None,
    store: ScheduleStore | None = None,
    policy: str | None = None,
) -> ScheduleRun:
    """Schedule the follow-up of every placement (:func:`employkit.followup.api.schedule_dataset`)."""
    from employkit.followup.api import schedule_dataset

    return schedule_dataset(data, system, store=store, policy_id=policy, as_of=_day(data, as_of))


def kpis(
    data: Dataset,
    system: RuleSystem,
    *,
    as_of: dt.date | None = None,
    year: int | None = None,
    by: str | None = None,
    inputs: Mapping[str, float] | None = None,
    ci: bool = False,
    only: Iterable[str] | None = None,
    publish: bool = True,
) -> KpiReport:
    """Every KPI of the active packs on ``data`` (:func:`employkit.metrics.report.kpi_report`)."""
    from employkit.metrics.report import kpi_report

    day = _day(data, as_of)
    return kpi_report(data, system, day, year=year, by=by, inputs=inputs, ci=ci, only=only, publish=publish)


def audit(
    data: Dataset,
    system: RuleSystem,
    *,
    as_of: dt.date | None = None,
    by: Sequence[str] | None = None,
    typology: str | None = None,
    publish: bool = True,
) -> FairnessAudit:
    """The fairness audit of ``data`` (:func:`employkit.accountability.audit.fairness_audit`)."""
    from employkit.accountability.audit import DEFAULT_BY, fairness_audit

    day = _day(data, as_of)
    return fairness_audit(data, system, day, by=DEFAULT_BY if by is None else by, typology_id=typology, publish=publish)
