"""The national rules (고용노동부): the built-in pack, registered like any other.

It owns the parameters every centre shares (minimum wage, suppression threshold, the
dates national programmes start), the Korean business calendar, and — through the same
hooks a district pack uses — the national typologies, match components, follow-up
policies and KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from employkit._version import __version__
from employkit.followup.calendar import BusinessCalendar, korean_calendar
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, load_pack_parameters
from employkit.sources.base import DataSource

if TYPE_CHECKING:
    from employkit.followup.base import FollowUpPolicy
    from employkit.matching.base import MatchComponent
    from employkit.metrics.base import KpiDefinition
    from employkit.profiling.base import EmployerTypology, SeekerTypology
    from employkit.programmes.base import Programme

PACK = PackInfo(
    name="national",
    version=__version__,
    layer=Layer.NATIONAL,
    title=Text("국가 공공고용서비스 규칙", "national public employment service rules"),
    description="Ministry of Employment and Labor rules: 2021 plan to strengthen public employment services.",
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """The national pack's identity."""
    return PACK


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The national parameters, read from every ``*.toml`` file beside this module.

    ``parameters.toml`` holds the shared ones; each domain keeps its own file
    (``profiling.toml``, ``matching.toml``, ``followup.toml``, ``metrics.toml``).
    """
    return load_pack_parameters(__package__)


@hookimpl
def employkit_seeker_typologies() -> Iterable[SeekerTypology]:
    """The national ready / needs-preparation typology and the special-type worker pathways."""
    from employkit.national.profiling import seeker_typologies

    return seeker_typologies()


@hookimpl
def employkit_employer_typologies() -> Iterable[EmployerTypology]:
    """The five national employer types of the 2021 plan."""
    from employkit.national.profiling import employer_typologies

    return employer_typologies()


@hookimpl
def employkit_match_components() -> Iterable[MatchComponent]:
    """Occupation, wage, place, hours and type, skills and certificates, and the advisory age flag."""
    from employkit.national.matching import national_components

    return national_components()


@hookimpl
def employkit_followup_policies() -> Iterable[FollowUpPolicy]:
    """The default follow-up policy by employment type."""
    from employkit.national.followup import national_policies

    return national_policies()


@hookimpl
def employkit_kpis() -> Iterable[KpiDefinition]:
    """The built-in KPIs: employment rate, target achievement, retention, unfilled rate…"""
    from employkit.national.metrics import national_kpis

    return national_kpis()


@hookimpl
def employkit_programmes() -> Iterable[Programme]:
    """The programmes of the 2021 plan, as decision tables (``programmes.toml``)."""
    from employkit.programmes import load_programmes

    return load_programmes(__package__)


@hookimpl
def employkit_data_sources() -> Iterable[DataSource]:
    """The built-in formats: CSV folder, JSON Lines folder, SQLite, Excel, the sample centre."""
    from employkit.sources import builtin_sources

    return builtin_sources()


@hookimpl
def employkit_business_calendar(region_code: str | None) -> BusinessCalendar:
    """Korean public holidays, for every region."""
    return korean_calendar()
