"""How a rule system resolves ids across layers: rule families, origins, activation, conflicts.

Used by :class:`employkit.rules.RuleSystem`, which re-exports the public names. Each id's
candidates (one per pack that defines it) are resolved by :func:`resolve`: the lowest layer
owns an id; a higher layer replaces it only by declaring the override; anything else is a
:class:`Conflict`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.config import CentreConfig
from employkit.explain import SourceRef
from employkit.labels import Text
from employkit.packs import Layer, RuleMeta
from employkit.params import Parameter
from employkit.plugins import LoadedPack, PluginHost

if TYPE_CHECKING:
    pass


__all__ = [
    "RULE_FAMILIES",
    "Activation",
    "Candidate",
    "CatalogueEntry",
    "Conflict",
    "Family",
    "Gap",
    "Origin",
    "OverrideUse",
    "Resolved",
    "activation_of",
    "conflict_entry",
    "id_of",
    "latest_source",
    "latest_value",
    "resolve",
]


@frozen
class Family:
    """A kind of registered rule: the hook that registers it and the interface it meets."""

    kind: str
    hook: str
    interface: Callable[[], type]

    def check(self, item: Any) -> bool:
        """Whether ``item`` meets the interface and carries :class:`RuleMeta`."""
        return isinstance(item, self.interface()) and isinstance(getattr(item, "meta", None), RuleMeta)


def _seeker() -> type:
    from employkit.profiling.base import SeekerTypology

    return SeekerTypology


def _employer() -> type:
    from employkit.profiling.base import EmployerTypology

    return EmployerTypology


def _component() -> type:
    from employkit.matching.base import MatchComponent

    return MatchComponent


def _policy() -> type:
    from employkit.followup.base import FollowUpPolicy

    return FollowUpPolicy


def _kpi() -> type:
    from employkit.metrics.base import KpiDefinition

    return KpiDefinition


def _programme() -> type:
    from employkit.programmes.base import Programme

    return Programme


def _source() -> type:
    from employkit.sources.base import DataSource

    return DataSource


#: The families of rules, by kind.
RULE_FAMILIES: Mapping[str, Family] = {
    f.kind: f
    for f in (
        Family("seeker_typology", "employkit_seeker_typologies", _seeker),
        Family("employer_typology", "employkit_employer_typologies", _employer),
        Family("match_component", "employkit_match_components", _component),
        Family("followup_policy", "employkit_followup_policies", _policy),
        Family("kpi", "employkit_kpis", _kpi),
        Family("programme", "employkit_programmes", _programme),
        Family("data_source", "employkit_data_sources", _source),
    )
}


@frozen
class Origin:
    """Who supplied a rule or value: a pack, or the centre's configuration."""

    name: str
    version: str
    layer: Layer

    @property
    def ref(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    @classmethod
    def of(cls, pack: LoadedPack) -> Origin:
        """The origin of a loaded pack."""
        return cls(pack.info.name, pack.info.version, pack.info.layer)


@frozen
class Candidate:
    """One pack's definition of an id."""

    origin: Origin
    item: Any
    declared: bool  # the definition declares that it overrides a lower layer


@frozen
class Activation:
    """Whether an installed pack takes part in a centre's rules, and why."""

    pack: str
    layer: str
    regions: tuple[str, ...]
    active: bool
    reason: Text


def activation_of(host: PluginHost, config: CentreConfig) -> dict[str, Activation]:
    """Each loaded pack's part in the rules of the centre ``config`` describes."""
    region = config.region_code
    enabled = set(config.enabled_packs or ())
    disabled = {n.lower() for n in config.disabled_packs}
    where = config.path or "employkit.toml"
    out: dict[str, Activation] = {}
    for pack in host.packs:
        info = pack.info
        shown = ", ".join(info.regions)
        if info.name.lower() in disabled:
            active, why = False, Text(f"{where}에서 사용 안 함", f"disabled in {where} ([packs] disabled)")
        elif info.everywhere:
            active, why = True, Text("국가 팩: 모든 센터에 적용", "national pack: applies to every centre")
        elif info.name in enabled:
            active, why = True, Text(f"{where}에서 이름으로 사용", f"enabled by name in {where} ([packs] enabled)")
        elif info.covers(region):
            active, why = (
                True,
                Text(
                    f"적용 지역 {shown}이(가) 센터 지역 {region}을(를) 포함",
                    f"its regions {shown} cover the centre's {region}",
                ),
            )
        elif not info.regions:
            active, why = (
                False,
                Text(
                    "적용 지역을 밝히지 않음: 이름으로 사용 설정 필요 ([packs] enabled)",
                    "declares no region: enable it by name ([packs] enabled)",
                ),
            )
        elif region is None:
            active, why = (
                False,
                Text(
                    f"적용 지역 {shown}; 센터 지역 코드가 없음", f"applies to {shown}; the centre gives no region code"
                ),
            )
        else:
            active, why = (
                False,
                Text(
                    f"적용 지역 {shown}; 센터 지역 {region}은(는) 해당 없음",
                    f"applies to {shown}, not to the centre's {region}",
                ),
            )
        out[info.name] = Activation(info.name, info.layer.code, info.regions, active, why)
    return out


@frozen
class Conflict:
    """Two definitions of one id that the layers do not settle."""

    id: str
    kind: str
    packs: tuple[str, ...]
    reason: str

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.reason}"


@frozen
class Gap:
    """Something missing: a rule reads a parameter nobody defines, an override of nothing…"""

    id: str
    pack: str
    reason: str

    def __str__(self) -> str:
        return f"{self.id} ({self.pack}): {self.reason}"


@frozen
class Resolved:
    """An id after resolution: its definitions, highest layer first."""

    id: str
    kind: str
    chain: tuple[Candidate, ...]
    conflict: Conflict | None = None

    @property
    def top(self) -> Candidate:
        """The definition of the highest layer."""
        return self.chain[0]


@frozen
class CatalogueEntry:
    """One line of the rules catalogue (``employkit rules``)."""

    id: str
    kind: str
    title: Text
    pack: str
    pack_version: str
    layer: str
    effective_from: dt.date | None
    effective_to: dt.date | None
    source: SourceRef | None
    value: Any = None
    unit: str | None = None
    overrides: tuple[str, ...] = ()
    status: str = "in force"


@frozen
class OverrideUse:
    """One id a pack replaces in a centre's rules: the value it sets and the one it replaces."""

    id: str
    kind: str
    pack: str
    replaces: str
    value: Any = None
    replaced_value: Any = None
    source: SourceRef | None = None


def latest_value(item: Any) -> Any:
    if isinstance(item, Parameter):
        return item.values[-1].value if item.values else None
    return None


def latest_source(item: Any) -> SourceRef | None:
    if isinstance(item, Parameter):
        return item.values[-1].source if item.values else None
    meta = getattr(item, "meta", None)
    return meta.source if isinstance(meta, RuleMeta) else None


def resolve(kind_of: Mapping[str, str], candidates: Mapping[str, list[Candidate]]) -> dict[str, Resolved]:
    """Resolve each id's candidates (lowest layer first) into a chain or a conflict."""
    out: dict[str, Resolved] = {}
    for rid, cands in candidates.items():
        ordered = sorted(cands, key=lambda c: c.origin.layer.rank)
        chain = [ordered[0]]
        conflict = None
        for cand in ordered[1:]:
            below = chain[-1]
            names = (below.origin.name, cand.origin.name)
            if cand.origin.layer.rank == below.origin.layer.rank:
                conflict = Conflict(
                    rid,
                    kind_of[rid],
                    names,
                    f"defined by two {cand.origin.layer.code} packs, {names[0]} and {names[1]}; "
                    "disable one of them for this centre ([packs] disabled)",
                )
                break
            if not cand.declared:
                conflict = Conflict(
                    rid,
                    kind_of[rid],
                    names,
                    f"{cand.origin.name} redefines what {below.origin.name} defines without declaring the override",
                )
                break
            chain.append(cand)
        out[rid] = Resolved(rid, kind_of[rid], tuple(reversed(chain)), conflict)
    return out


def id_of(item: Any) -> str:
    return item.id if isinstance(item, Parameter) else item.meta.rule_id


def conflict_entry(res: Resolved, title: Text) -> CatalogueEntry:
    assert res.conflict is not None
    return CatalogueEntry(
        id=res.id,
        kind=res.kind,
        title=title,
        pack=", ".join(res.conflict.packs),
        pack_version="",
        layer="",
        effective_from=None,
        effective_to=None,
        source=None,
        status=f"conflict: {res.conflict.reason}",
    )
