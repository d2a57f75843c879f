"""What a rule pack says about itself, and the metadata every rule carries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from attrs import field, frozen

from employkit.explain import SourceRef
from employkit.labels import CodedEnum, Text

__all__ = ["Layer", "PackInfo", "RuleMeta", "check_rule_id"]

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_PACK_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")


def check_rule_id(rule_id: str) -> str:
    """Return ``rule_id`` if it is namespaced (``family.part[.part…]``), else raise.

    >>> check_rule_id("followup.policy.regular")
    'followup.policy.regular'
    """
    if not _RULE_ID.match(rule_id):
        raise ValueError(
            f"rule id {rule_id!r} is not namespaced: use lower-case dotted parts such as "
            "'profiling.seeker.national.ready_mobile'"
        )
    return rule_id


class Layer(CodedEnum):
    """Where a pack sits. A higher layer may override a lower one, if it says so."""

    NATIONAL = ("national", "국가", "national")
    REGIONAL = ("regional", "광역", "regional")
    DISTRICT = ("district", "기초", "district")
    CENTRE = ("centre", "센터 설정", "centre configuration")

    @property
    def rank(self) -> int:
        """0 for national up to 3 for a centre's own configuration."""
        return ("national", "regional", "district", "centre").index(self.code)


def _rule_id(_inst: object, _attribute: Any, value: str) -> None:
    check_rule_id(value)


def _ids(values: Iterable[str]) -> frozenset[str]:
    return frozenset(values)


def _id_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _pack_name(_inst: object, _attribute: Any, value: str) -> None:
    if not _PACK_NAME.match(value):
        raise ValueError(f"pack name {value!r} must be lower-case letters, digits, '-' or '_'")


@frozen(kw_only=True)
class PackInfo:
    """A rule pack's identity, returned by its ``employkit_pack_info`` hook.

    ``overrides`` lists the rule and parameter ids of lower layers that this pack
    replaces. Redefining an id without listing it here is a conflict.
    """

    name: str = field(validator=_pack_name)
    version: str
    layer: Layer
    title: Text
    overrides: frozenset[str] = field(default=frozenset(), converter=_ids)
    region_code: str | None = None
    description: str | None = None

    @property
    def ref(self) -> str:
        """``name@version``, as explanations cite packs."""
        return f"{self.name}@{self.version}"


@frozen(kw_only=True)
class RuleMeta:
    """Metadata every registered rule carries (typologies, components, policies, KPIs…).

    ``parameters`` names the parameter ids the rule reads, so the loader can report a
    rule whose parameters no pack provides.
    """

    rule_id: str = field(validator=_rule_id)
    title: Text
    source: SourceRef | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    parameters: tuple[str, ...] = field(default=(), converter=_id_tuple)
    description: Text | None = None

    def in_force(self, day: dt.date) -> bool:
        """Whether the rule applies on ``day`` (both ends inclusive)."""
        if self.effective_from is not None and day < self.effective_from:
            return False
        return self.effective_to is None or day <= self.effective_to
