"""The pack author's kit: everything a pack (national, regional, district) is built from.

A pack is a Python package registered under the ``employkit.packs`` entry point whose
hooks are plain functions marked with :data:`hookimpl` (see :doc:`/plugin-guide` and
:doc:`/hooks`). It describes itself with :class:`PackInfo` (name, version, :class:`Layer`,
regions), gives each rule a :class:`RuleMeta` (id, pack, bilingual :class:`Text` title,
:class:`SourceRef`), and its dated values as :class:`Parameter` with :class:`DatedValue`
(usually read from a TOML file by :func:`load_pack_parameters`). The domain interfaces
a pack implements are re-exported here too: :class:`SeekerTypology`,
:class:`EmployerTypology`, :class:`MatchComponent`, :class:`FollowUpPolicy`,
:class:`KpiDefinition`, :class:`DataSource`; rules read parameters through an
:class:`EvalContext`.

What a pack may rely on, and how changes to these names and to the hooks are announced,
is in :doc:`/versioning`.

>>> from employkit.sdk import Layer, PackInfo, Text
>>> PackInfo(name="my_district", version="0.1.0", layer=Layer.DISTRICT, title=Text("우리 구", "My district")).ref
'my_district@0.1.0'
"""

from __future__ import annotations

from employkit.explain import SourceRef as SourceRef
from employkit.followup.base import FollowUpPolicy as FollowUpPolicy
from employkit.hookspecs import hookimpl as hookimpl
from employkit.labels import CodedEnum as CodedEnum
from employkit.labels import Text as Text
from employkit.matching.base import MatchComponent as MatchComponent
from employkit.metrics.base import KpiDefinition as KpiDefinition
from employkit.packs import Layer as Layer
from employkit.packs import PackInfo as PackInfo
from employkit.packs import RuleMeta as RuleMeta
from employkit.params import DatedValue as DatedValue
from employkit.params import Parameter as Parameter
from employkit.params import load_pack_parameters as load_pack_parameters
from employkit.params import load_parameters as load_parameters
from employkit.plugins import PluginHost as PluginHost
from employkit.profiling.base import EmployerTypology as EmployerTypology
from employkit.profiling.base import SeekerTypology as SeekerTypology
from employkit.rules import EvalContext as EvalContext
from employkit.sources.base import DataSource as DataSource

__all__ = [
    "CodedEnum",
    "DataSource",
    "DatedValue",
    "EmployerTypology",
    "EvalContext",
    "FollowUpPolicy",
    "KpiDefinition",
    "Layer",
    "MatchComponent",
    "PackInfo",
    "Parameter",
    "PluginHost",
    "RuleMeta",
    "SeekerTypology",
    "SourceRef",
    "Text",
    "hookimpl",
    "load_pack_parameters",
    "load_parameters",
]
