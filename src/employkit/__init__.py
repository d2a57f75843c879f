"""employkit: the logic of public employment services, as a library and plugin SDK.

The top level is light: names are imported on first use, so ``import employkit`` is
fast. The public SDK for pack authors is :data:`hookimpl`, :class:`PackInfo`,
:class:`Layer`, :class:`RuleMeta`, :class:`Text`, :func:`load_parameters` and the
domain interfaces in ``employkit.<domain>.base``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from employkit._version import __version__

if TYPE_CHECKING:
    from employkit.config import CentreConfig, load_config
    from employkit.dataset import Dataset
    from employkit.errors import (
        ConfigError,
        DataError,
        EmploykitError,
        ParameterError,
        PluginLoadError,
        Problem,
        RuleConflictError,
        RuleNotFound,
    )
    from employkit.explain import Explanation, ParameterUse, SourceRef
    from employkit.hookspecs import hookimpl
    from employkit.labels import CodedEnum, Text
    from employkit.model import (
        Centre,
        CentreLevel,
        Employer,
        EmploymentType,
        FollowUpContact,
        FollowUpOutcome,
        Gender,
        Intake,
        Level,
        Placement,
        Seeker,
        SeekerGroup,
        Vacancy,
    )
    from employkit.packs import Layer, PackInfo, RuleMeta
    from employkit.params import DatedValue, Parameter, load_pack_parameters, load_parameters
    from employkit.plugins import PluginHost
    from employkit.rules import EvalContext, RuleSystem
    from employkit.sources import load

_EXPORTS = {
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
    "hookimpl": "hookspecs",
    "CodedEnum": "labels",
    "Text": "labels",
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
    "Layer": "packs",
    "PackInfo": "packs",
    "RuleMeta": "packs",
    "DatedValue": "params",
    "Parameter": "params",
    "load_pack_parameters": "params",
    "load_parameters": "params",
    "PluginHost": "plugins",
    "EvalContext": "rules",
    "RuleSystem": "rules",
    "load": "sources",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'employkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"employkit.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
