"""Test kit for pack authors: build rule systems from temporary packs, no installation.

>>> from employkit.testing import make_pack, make_system
>>> from employkit.testing import parameters_from_toml
>>> pack = make_pack("demo", parameters=parameters_from_toml('''
... [[parameter]]
... id = "demo.answer"
... [[parameter.value]]
... from = 2020-01-01
... value = 42
... '''))
>>> system = make_system(pack)
>>> import datetime as dt
>>> system.parameter("demo.answer", dt.date(2021, 1, 1)).value
42

With pytest, the fixtures ``make_system`` and ``make_pack`` do the same, and files named
``*.cases.yaml`` or ``*.cases.toml`` are collected as data test cases (see
:mod:`employkit.testing.cases`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from typing import Any

from attrs import evolve

from employkit.config import CentreConfig, parse_config
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.model import Centre, CentreLevel
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, parse_parameters
from employkit.plugins import PluginHost
from employkit.rules import RuleSystem

__all__ = ["TestPack", "config_from_toml", "make_host", "make_pack", "make_system", "parameters_from_toml"]


class TestPack:
    """A pack built in memory: its hooks return what it was given."""

    __test__ = False  # not a pytest test class

    def __init__(
        self,
        info: PackInfo,
        *,
        parameters: Iterable[Parameter] = (),
        seeker_typologies: Iterable[Any] = (),
        employer_typologies: Iterable[Any] = (),
        match_components: Iterable[Any] = (),
        followup_policies: Iterable[Any] = (),
        kpis: Iterable[Any] = (),
        data_sources: Iterable[Any] = (),
        calendar: Any = None,
        programmes: Iterable[Any] = (),
    ) -> None:
        self.info = info
        self.parameters = list(parameters)
        self.seeker_typologies = list(seeker_typologies)
        self.employer_typologies = list(employer_typologies)
        self.match_components = list(match_components)
        self.followup_policies = list(followup_policies)
        self.kpis = list(kpis)
        self.data_sources = list(data_sources)
        self.calendar = calendar
        self.programmes = list(programmes)

    def __repr__(self) -> str:
        return f"<TestPack {self.info.ref}>"

    @hookimpl
    def employkit_pack_info(self) -> PackInfo:
        """This pack's identity."""
        return self.info

    @hookimpl
    def employkit_parameters(self) -> list[Parameter]:
        """The parameters given."""
        return self.parameters

    @hookimpl
    def employkit_seeker_typologies(self) -> list[Any]:
        """The seeker typologies given."""
        return self.seeker_typologies

    @hookimpl
    def employkit_employer_typologies(self) -> list[Any]:
        """The employer typologies given."""
        return self.employer_typologies

    @hookimpl
    def employkit_match_components(self) -> list[Any]:
        """The match components given."""
        return self.match_components

    @hookimpl
    def employkit_followup_policies(self) -> list[Any]:
        """The follow-up policies given."""
        return self.followup_policies

    @hookimpl
    def employkit_kpis(self) -> list[Any]:
        """The KPIs given."""
        return self.kpis

    @hookimpl
    def employkit_programmes(self) -> list[Any]:
        """The programmes given."""
        return self.programmes

    @hookimpl
    def employkit_data_sources(self) -> list[Any]:
        """The data sources given."""
        return self.data_sources

    @hookimpl
    def employkit_business_calendar(self, region_code: str | None) -> Any:
        """The calendar given, or ``None`` to pass."""
        return self.calendar


def make_pack(
    name: str,
    *,
    version: str = "0.0.0",
    layer: Layer | str = Layer.DISTRICT,
    overrides: Iterable[str] = (),
    title: Text | None = None,
    regions: Iterable[str] = (),
    **contents: Any,
) -> TestPack:
    """A :class:`TestPack`; ``contents`` are the keyword arguments of :class:`TestPack`.

    ``regions`` are the province or district codes the pack applies to (see
    :class:`~employkit.packs.PackInfo`).
    """
    info = PackInfo(
        name=name,
        version=version,
        layer=layer if isinstance(layer, Layer) else Layer.parse(layer),
        title=title or Text(name, name),
        overrides=frozenset(overrides),
        regions=tuple(regions),
    )
    return TestPack(info, **contents)


def make_host(*packs: object, national: bool = True, strict: bool = False, entry_points: bool = False) -> PluginHost:
    """A plugin host with the given pack objects (modules or :class:`TestPack`).

    Installed packs are not loaded unless ``entry_points=True``; the built-in national
    pack is, unless ``national=False``.
    """
    host = PluginHost(builtins=national, entry_points=entry_points, strict=strict, allow=None, deny=())
    for pack in packs:
        host.add(pack, origin="test")
    return host


def make_system(
    *packs: object,
    config: CentreConfig | None = None,
    national: bool = True,
    strict: bool = False,
    entry_points: bool = False,
    region: str | None = None,
) -> RuleSystem:
    """A rule system built from the national pack (by default) and ``packs``.

    Without ``region`` (and without a region in ``config``), the test centre enables
    every pack given by name, so each takes part whatever regions it declares. With
    ``region`` (or a configuration whose ``[centre]`` has a ``region_code``), packs take
    part as they would for a centre there: by their regions, or when enabled by name.

    >>> gangnam = make_pack("gangnam", regions=["11680"])
    >>> [p.name for p in make_system(gangnam).active]
    ['national', 'gangnam']
    >>> [p.name for p in make_system(gangnam, region="11140").active]
    ['national']
    """
    host = make_host(*packs, national=national, strict=strict, entry_points=entry_points)
    config = config or CentreConfig()
    if region is not None:
        config = evolve(
            config, centre=Centre(name=f"test centre {region}", level=CentreLevel.DISTRICT, region_code=region)
        )
    elif config.region_code is None and config.enabled_packs is None:
        names = tuple(p.name for p in host.packs)
        config = evolve(config, enabled_packs=names)
    return RuleSystem.build(config, host, strict=strict)


def parameters_from_toml(text: str, origin: str = "<inline>") -> list[Parameter]:
    """Parameters from TOML text in the parameter-file format."""
    return parse_parameters(tomllib.loads(text), origin)


def config_from_toml(text: str, origin: str = "<inline employkit.toml>") -> CentreConfig:
    """A centre configuration from TOML text."""
    return parse_config(tomllib.loads(text), origin)
