"""The national rules (고용노동부): the built-in pack, registered like any other.

It owns the parameters every centre shares (minimum wage, suppression threshold, the
dates national programmes start), the Korean business calendar, and — through the same
hooks a district pack uses — the national typologies, match components, follow-up
policies and KPIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.resources import files

from employkit._version import __version__
from employkit.followup.calendar import BusinessCalendar, korean_calendar
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, load_parameters
from employkit.sources.base import DataSource

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
    """The national parameters, read from ``parameters.toml`` beside this module."""
    return load_parameters(files(__package__) / "parameters.toml")


@hookimpl
def employkit_data_sources() -> Iterable[DataSource]:
    """The built-in formats: a folder of CSV files, a folder of JSON Lines, SQLite."""
    from employkit.sources import builtin_sources

    return builtin_sources()


@hookimpl
def employkit_business_calendar(region_code: str | None) -> BusinessCalendar:
    """Korean public holidays, for every region."""
    return korean_calendar()
