"""employkit: the logic of public employment services (공공 고용서비스) as a library.

Read a centre's records, build the rule system of its packs, and run a task::

    import employkit

    data = employkit.load("sample")                  # a folder, a workbook, a database
    system = employkit.RuleSystem.build()            # or build(employkit.load_config(path))
    profiles = employkit.profile(data, system)       # 구직자 유형분류
    rankings = employkit.match(data, system, top=10) # 알선 추천
    followup = employkit.schedule(data, system)      # 사후관리 일정
    report = employkit.kpis(data, system, year=2015) # 성과지표
    audit = employkit.audit(data, system)            # 공정성 점검

Every task takes ``(data, system, *, as_of=None, ...)``: ``as_of`` is the date rules
and parameters are read on, by default :func:`reference_date` of the data (the end of
the centre's reporting period, else the last day its records cover; never today).
:class:`CentreContext` holds one centre: its facts, the packs of its region, its
reference date, its follow-up store and its keys. :func:`run_centre` runs the whole job and writes a report folder,
as ``employkit run`` does. Results explain themselves: each carries the rule, the pack
and version, and the parameters with their dates and source documents
(:class:`Explanation`).

Bad input raises an :class:`EmploykitError` (:class:`DataError`, :class:`ConfigError`,
...) naming the file, row and field.

The domains are subpackages: :mod:`employkit.profiling`, :mod:`employkit.matching`,
:mod:`employkit.followup`, :mod:`employkit.metrics`, :mod:`employkit.accountability`,
:mod:`employkit.sources`. Pack authors (national, regional, district rules) use
:mod:`employkit.sdk`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from employkit._version import __version__ as __version__

if TYPE_CHECKING:
    from employkit import accountability as accountability
    from employkit import followup as followup
    from employkit import matching as matching
    from employkit import metrics as metrics
    from employkit import profiling as profiling
    from employkit import sdk as sdk
    from employkit import sources as sources
    from employkit.accountability.audit import FairnessAudit as FairnessAudit
    from employkit.centre import CentreContext as CentreContext
    from employkit.config import CentreConfig as CentreConfig
    from employkit.config import load_config as load_config
    from employkit.dataset import Dataset as Dataset
    from employkit.errors import ConfigError as ConfigError
    from employkit.errors import DataError as DataError
    from employkit.errors import EmploykitError as EmploykitError
    from employkit.errors import ParameterError as ParameterError
    from employkit.errors import PluginLoadError as PluginLoadError
    from employkit.errors import Problem as Problem
    from employkit.errors import RuleConflictError as RuleConflictError
    from employkit.errors import RuleNotFound as RuleNotFound
    from employkit.explain import Explanation as Explanation
    from employkit.explain import ParameterUse as ParameterUse
    from employkit.explain import SourceRef as SourceRef
    from employkit.followup.api import ScheduleRun as ScheduleRun
    from employkit.matching.ranking import Rankings as Rankings
    from employkit.metrics.report import KpiReport as KpiReport
    from employkit.model import Centre as Centre
    from employkit.model import CentreLevel as CentreLevel
    from employkit.model import Employer as Employer
    from employkit.model import EmploymentType as EmploymentType
    from employkit.model import FollowUpContact as FollowUpContact
    from employkit.model import FollowUpOutcome as FollowUpOutcome
    from employkit.model import Gender as Gender
    from employkit.model import Intake as Intake
    from employkit.model import Level as Level
    from employkit.model import Placement as Placement
    from employkit.model import Seeker as Seeker
    from employkit.model import SeekerGroup as SeekerGroup
    from employkit.model import Vacancy as Vacancy
    from employkit.pipeline import RunResult as RunResult
    from employkit.pipeline import run_centre as run_centre
    from employkit.profiling.api import DatasetProfiles as DatasetProfiles
    from employkit.rules import RuleSystem as RuleSystem
    from employkit.sources import load as load
    from employkit.tasks import audit as audit
    from employkit.tasks import kpis as kpis
    from employkit.tasks import match as match
    from employkit.tasks import profile as profile
    from employkit.tasks import reference_date as reference_date
    from employkit.tasks import schedule as schedule

# The public names, static so that type checkers and readers see them. Each is
# imported on first use (see ``__getattr__``), so ``import employkit`` stays fast.
__all__ = [
    "Centre",
    "CentreConfig",
    "CentreContext",
    "CentreLevel",
    "ConfigError",
    "DataError",
    "Dataset",
    "DatasetProfiles",
    "Employer",
    "EmploykitError",
    "EmploymentType",
    "Explanation",
    "FairnessAudit",
    "FollowUpContact",
    "FollowUpOutcome",
    "Gender",
    "Intake",
    "KpiReport",
    "Level",
    "ParameterError",
    "ParameterUse",
    "Placement",
    "PluginLoadError",
    "Problem",
    "Rankings",
    "RuleConflictError",
    "RuleNotFound",
    "RuleSystem",
    "RunResult",
    "ScheduleRun",
    "Seeker",
    "SeekerGroup",
    "SourceRef",
    "Vacancy",
    "__version__",
    "accountability",
    "audit",
    "followup",
    "kpis",
    "load",
    "load_config",
    "match",
    "matching",
    "metrics",
    "profile",
    "profiling",
    "reference_date",
    "run_centre",
    "schedule",
    "sdk",
    "sources",
]

_SUBPACKAGES = frozenset({"accountability", "followup", "matching", "metrics", "profiling", "sdk", "sources"})

_FROM = {
    "FairnessAudit": "accountability.audit",
    "CentreConfig": "config",
    "load_config": "config",
    "Dataset": "dataset",
    "ConfigError": "errors",
    "DataError": "errors",
    "EmploykitError": "errors",
    "ParameterError": "errors",
    "PluginLoadError": "errors",
    "Problem": "errors",
    "RuleConflictError": "errors",
    "RuleNotFound": "errors",
    "Explanation": "explain",
    "ParameterUse": "explain",
    "SourceRef": "explain",
    "ScheduleRun": "followup.api",
    "Rankings": "matching.ranking",
    "KpiReport": "metrics.report",
    "Centre": "model",
    "CentreLevel": "model",
    "Employer": "model",
    "EmploymentType": "model",
    "FollowUpContact": "model",
    "FollowUpOutcome": "model",
    "Gender": "model",
    "Intake": "model",
    "Level": "model",
    "Placement": "model",
    "Seeker": "model",
    "SeekerGroup": "model",
    "Vacancy": "model",
    "CentreContext": "centre",
    "RunResult": "pipeline",
    "run_centre": "pipeline",
    "DatasetProfiles": "profiling.api",
    "RuleSystem": "rules",
    "load": "sources",
    "audit": "tasks",
    "kpis": "tasks",
    "match": "tasks",
    "profile": "tasks",
    "reference_date": "tasks",
    "schedule": "tasks",
}

# Pack authors' names that lived here before :mod:`employkit.sdk`; still importable from
# the top for packs written against 0.1 (see docs/versioning.rst), not listed in
# ``__all__`` and unknown to type checkers.
_MOVED_TO_SDK = frozenset(
    {
        "CodedEnum",
        "DatedValue",
        "EvalContext",
        "Layer",
        "PackInfo",
        "Parameter",
        "PluginHost",
        "RuleMeta",
        "Text",
        "hookimpl",
        "load_pack_parameters",
        "load_parameters",
    }
)

if not TYPE_CHECKING:  # type checkers see the static imports above, and only those

    def __getattr__(name: str) -> Any:
        if name in _SUBPACKAGES:
            value = importlib.import_module(f"employkit.{name}")
        elif name in _FROM:
            value = getattr(importlib.import_module(f"employkit.{_FROM[name]}"), name)
        elif name in _MOVED_TO_SDK:
            value = getattr(importlib.import_module("employkit.sdk"), name)
        else:
            raise AttributeError(f"module 'employkit' has no attribute {name!r}")
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return list(__all__)
