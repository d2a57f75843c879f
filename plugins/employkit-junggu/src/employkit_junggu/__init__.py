"""Seoul Jung-gu job centre (서울 중구 일자리센터) rules, as an employkit district pack.

Built only on employkit's public SDK: the A/B/C seeker typology, the district visit
list of firms, the summary follow-up variant (1 month, 6 months, 1 year) and the
district's yearly placement targets, each with its source in the Jung-gu plans.
"""

from __future__ import annotations

from collections.abc import Iterable

from employkit.followup.base import FollowUpPolicy
from employkit.hookspecs import hookimpl
from employkit.labels import Text
from employkit.packs import Layer, PackInfo
from employkit.params import Parameter, load_pack_parameters
from employkit.profiling.base import EmployerTypology, SeekerTypology

__version__ = "0.1.0"

PACK = PackInfo(
    name="junggu",
    version=__version__,
    layer=Layer.DISTRICT,
    regions=("11140",),  # 서울특별시 중구
    title=Text("서울 중구 일자리센터", "Seoul Jung-gu job centre"),
    description="Jung-gu 2016 employment plan: A/B/C seeker types, firm visit list, follow-up, targets.",
)


@hookimpl
def employkit_pack_info() -> PackInfo:
    """The Jung-gu pack's identity."""
    return PACK


@hookimpl
def employkit_parameters() -> Iterable[Parameter]:
    """The pack's parameters, read from every ``*.toml`` file beside this module."""
    return load_pack_parameters(__package__)


@hookimpl
def employkit_seeker_typologies() -> Iterable[SeekerTypology]:
    """The A/B/C typology."""
    from employkit_junggu.profiling import seeker_typologies

    return seeker_typologies()


@hookimpl
def employkit_employer_typologies() -> Iterable[EmployerTypology]:
    """The district visit list of firms."""
    from employkit_junggu.profiling import employer_typologies

    return employer_typologies()


@hookimpl
def employkit_followup_policies() -> Iterable[FollowUpPolicy]:
    """The summary follow-up variant (1 month, 6 months, 1 year)."""
    from employkit_junggu.followup import followup_policies

    return followup_policies()
