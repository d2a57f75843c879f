"""What a rule pack says about itself, and the metadata every rule carries."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from attrs import field, frozen

from employkit.errors import InvalidValue
from employkit.explain import SourceRef
from employkit.labels import CodedEnum, Text

__all__ = ["PROVINCE_SUCCESSIONS", "Layer", "PackInfo", "RuleMeta", "check_rule_id", "region_codes", "region_forms"]

_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_PACK_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")


def check_rule_id(rule_id: str) -> str:
    """Return ``rule_id`` if it is namespaced (``family.part[.part…]``), else raise.

    >>> check_rule_id("followup.policy.regular")
    'followup.policy.regular'
    """
    if not _RULE_ID.match(rule_id):
        raise InvalidValue(
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
        raise InvalidValue(f"pack name {value!r} must be lower-case letters, digits, '-' or '_'")


def region_codes(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Province (2-digit) or district (5-digit) codes, checked, sorted and without repeats.

    >>> region_codes(["44", "11140", "44"])
    ('11140', '44')
    """
    if values is None:
        return ()
    if isinstance(values, str):
        values = (values,)
    found = []
    for code in values:
        text = str(code).strip()
        if not (text.isascii() and text.isdigit() and len(text) in (2, 5)):
            raise InvalidValue(
                f"pack region {code!r} must be a province code of 2 digits (e.g. '44' 충청남도) "
                "or a district code of 5 digits (e.g. '11140' 서울 중구)"
            )
        found.append(text)
    return tuple(sorted(set(found)))


@frozen(kw_only=True)
class PackInfo:
    """A rule pack's identity, returned by its ``employkit_pack_info`` hook.

    ``overrides`` lists the rule and parameter ids of lower layers that this pack
    replaces. Redefining an id without listing it here is a conflict.

    ``regions`` says where the pack applies: province codes (2 digits) or district
    codes (5 digits). A centre's rules come from the national pack, the packs whose
    regions cover the centre's region code, and the packs the centre enables by name
    (``[packs] enabled``) — never from packs of other regions. A regional or district
    pack that declares no region applies only where it is enabled by name.
    ``region_code`` is the older spelling of a single region.

    >>> info = PackInfo(name="gangnam", version="1.0", layer=Layer.DISTRICT,
    ...                 title=Text("강남구", "Gangnam-gu"), regions=["11680"])
    >>> info.covers("11680"), info.covers("11140"), info.covers(None)
    (True, False, False)
    """

    name: str = field(validator=_pack_name)
    version: str
    layer: Layer
    title: Text
    overrides: frozenset[str] = field(default=frozenset(), converter=_ids)
    regions: tuple[str, ...] = field(default=(), converter=region_codes)
    region_code: str | None = field(default=None)
    description: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.region_code is not None and self.region_code not in self.regions:
            object.__setattr__(self, "regions", region_codes((*self.regions, self.region_code)))
        if self.layer is Layer.NATIONAL and self.regions:
            raise InvalidValue(f"pack {self.name}: a national pack applies everywhere and declares no regions")

    @property
    def ref(self) -> str:
        """``name@version``, as explanations cite packs."""
        return f"{self.name}@{self.version}"

    @property
    def everywhere(self) -> bool:
        """Whether the pack applies to every centre (the national layer)."""
        return self.layer is Layer.NATIONAL

    def covers(self, region_code: str | None) -> bool:
        """Whether the pack applies to a centre in ``region_code`` by region alone.

        A province code covers its districts; an administrative code that changed
        (e.g. 전라북도 45 → 전북특별자치도 52) is matched under its old and new forms.
        """
        if self.everywhere:
            return True
        if not region_code or not self.regions:
            return False
        forms = region_forms(region_code)
        return any(form.startswith(r) for form in forms for r in self.regions)


#: Province codes that changed, (old, new, since): records and packs may use either.
PROVINCE_SUCCESSIONS: tuple[tuple[str, str, dt.date], ...] = (
    ("42", "51", dt.date(2023, 6, 11)),  # 강원도 → 강원특별자치도
    ("45", "52", dt.date(2024, 1, 18)),  # 전라북도 → 전북특별자치도
)


def region_forms(region_code: str) -> tuple[str, ...]:
    """``region_code`` with its other forms across province code changes.

    >>> region_forms("45710")
    ('45710', '52710')
    >>> region_forms("11140")
    ('11140',)
    """
    forms = [region_code]
    for old, new, _since in PROVINCE_SUCCESSIONS:
        if region_code.startswith(old):
            forms.append(new + region_code[len(old) :])
        elif region_code.startswith(new):
            forms.append(old + region_code[len(new) :])
    return tuple(forms)


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
