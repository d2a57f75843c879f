"""Chungnam province (충청남도) rules, as an employkit regional pack.

From the 2015 MOU follow-up plan: time-selective (part-time, 시간선택제) jobs for
career-break women (경력단절여성) found and filled through partner agencies — nine
women's re-employment centres (여성새로일하기센터) and four employer associations. Built
only on employkit's public SDK.
"""

from __future__ import annotations

from collections.abc import Iterable

from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.matching.base import MatchComponent
from employkit.metrics.base import KpiDefinition
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, load_pack_parameters

__version__ = "0.1.0"

PACK = PackInfo(
    name="chungnam",
    version=__version__,
    layer=Layer.REGIONAL,
    regions=("44",),  # 충청남도
    title=Text("충청남도 경력단절여성 시간선택제 일자리", "Chungnam time-selective jobs for career-break women"),
    description="Chungnam 2015 MOU follow-up plan: time-selective jobs for career-break women via partner agencies.",
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """The Chungnam pack's identity."""
    return PACK


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The pack's dated parameters, from ``parameters.toml``."""
    return load_pack_parameters(__package__)


@hookimpl
def employkit_match_components() -> Iterable[MatchComponent]:
    """The time-selective fit for career-break women."""
    from employkit_chungnam.matching import TimeSelectiveFit

    return [TimeSelectiveFit()]


@hookimpl
def employkit_kpis() -> Iterable[KpiDefinition]:
    """Career-break women in time-selective jobs; placements through partner agencies."""
    from employkit_chungnam.kpis import kpis

    return kpis()
