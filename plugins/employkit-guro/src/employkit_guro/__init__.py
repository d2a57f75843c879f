"""Seoul Guro-gu (서울 구로구) job-creation rules, as an employkit district pack.

Built only on employkit's public SDK, from the Guro-gu 2010 job-creation plan
(seeds/003_cafe3b9757853c08.txt): the public-work programme's eligibility as a decision
table, the places the plan gives it, and the district's yearly job targets for
2010–2014, each value dated and sourced by line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, load_pack_parameters

if TYPE_CHECKING:
    from employkit.programmes import Programme

__version__ = "0.1.0"

PACK = PackInfo(
    name="guro",
    version=__version__,
    layer=Layer.DISTRICT,
    regions=("11530",),  # 서울특별시 구로구
    title=Text("서울 구로구 일자리 지원", "Seoul Guro-gu job support"),
    description="Guro-gu 2010 job-creation plan: public-work eligibility and places, yearly job targets.",
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """The Guro pack's identity."""
    return PACK


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The pack's parameters, read from every ``*.toml`` file beside this module."""
    return load_pack_parameters(__package__)


@hookimpl
def employkit_programmes() -> Iterable[Programme]:
    """The public-work programme, a decision table in ``programmes.toml``."""
    from employkit.programmes import load_programmes

    return load_programmes(__package__)
