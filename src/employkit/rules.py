"""The rule system: every active pack's rules and parameters, resolved by layer.

:meth:`RuleSystem.build` asks each active pack for its parameters and rules, then
resolves every id across layers (national → regional → district → centre):

* the lowest layer that defines an id owns it;
* a higher layer replaces it only if it declares the override (``override = true`` in
  its parameter file, or the id in :attr:`PackInfo.overrides`); the replaced values
  stay underneath and are used on dates the override does not cover;
* anything else — an undeclared redefinition, two packs of one layer defining the same
  id — is a :class:`Conflict`. It is reported when the system is built and raises
  :class:`~employkit.errors.RuleConflictError` when the id is used; it is never settled
  by registration order. In strict mode it is fatal at build time.

Which packs take part is the centre's: the national pack, the packs whose regions cover
the centre's region code (:meth:`PackInfo.covers`), and the packs the centre enables
by name (``[packs] enabled``), less those it disables (``[packs] disabled``). A pack of
another region contributes nothing — no parameter, override, rule or KPI. Each pack's
:class:`Activation` says why it is or is not active.

Rules read parameters through an :class:`EvalContext`, which records each value used,
so the explanation it builds cites every value with its pack, dates and source.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from employkit.config import CentreConfig
from employkit.context import EvalContext
from employkit.errors import (
    InvalidArgument,
    ParameterError,
    PluginLoadError,
    RuleConflictError,
    RuleNotFound,
)
from employkit.explain import ParameterUse
from employkit.packs import Layer, RuleMeta
from employkit.params import Parameter
from employkit.plugins import Contribution, LoadedPack, PluginHost
from employkit.resolution import (
    RULE_FAMILIES,
    Activation,
    Candidate,
    CatalogueEntry,
    Conflict,
    Gap,
    Origin,
    OverrideUse,
    Resolved,
    activation_of,
    conflict_entry,
    id_of,
    latest_source,
    latest_value,
    resolve,
)

if TYPE_CHECKING:
    from employkit.followup.base import FollowUpPolicy
    from employkit.followup.calendar import BusinessCalendar
    from employkit.matching.base import MatchComponent
    from employkit.metrics.base import KpiDefinition
    from employkit.profiling.base import EmployerTypology, SeekerTypology
    from employkit.sources.base import DataSource

__all__ = [
    "RULE_FAMILIES",
    "Activation",
    "CatalogueEntry",
    "Conflict",
    "EvalContext",
    "Gap",
    "Origin",
    "RuleSystem",
]


class RuleSystem:
    """The active packs' rules and parameters, resolved. Build with :meth:`build`."""

    def __init__(
        self,
        host: PluginHost,
        config: CentreConfig,
        active: tuple[LoadedPack, ...],
        parameters: dict[str, Resolved],
        rules: dict[str, Resolved],
        gaps: list[Gap],
    ) -> None:
        self.host = host
        self.config = config
        self.active = active
        self._parameters = parameters
        self._rules = rules
        self.gaps = tuple(gaps)
        self.conflicts = tuple(r.conflict for r in [*parameters.values(), *rules.values()] if r.conflict is not None)
        self._cache: dict[tuple[str, dt.date], ParameterUse] = {}
        self.activation: Mapping[str, Activation] = {}

    @property
    def region_code(self) -> str | None:
        """The region code of the centre the system was built for."""
        return self.config.region_code

    def overrides_of(self, pack: str) -> list[OverrideUse]:
        """Every id ``pack`` overrides in this system, with what it replaces (highest first)."""
        found = []
        for kind, table in (("parameter", self._parameters), ("rule", self._rules)):
            for rid in sorted(table):
                res = table[rid]
                for n, cand in enumerate(res.chain[:-1]):
                    if cand.origin.name == pack:
                        below = res.chain[n + 1]
                        found.append(
                            OverrideUse(
                                id=rid,
                                kind=kind if kind == "parameter" else res.kind,
                                pack=pack,
                                replaces=below.origin.ref,
                                value=latest_value(cand.item),
                                replaced_value=latest_value(below.item),
                                source=latest_source(cand.item),
                            )
                        )
        return found

    # ----------------------------------------------------------------- building

    @classmethod
    def build(
        cls,
        config: CentreConfig | None = None,
        host: PluginHost | None = None,
        *,
        strict: bool | None = None,
        extra_parameters: Iterable[Parameter] = (),
    ) -> RuleSystem:
        """Load packs (unless ``host`` is given), collect and resolve their rules.

        ``extra_parameters`` are centre-level overrides on top of the configuration's,
        as used by what-if scenarios.
        """
        config = config or CentreConfig()
        strict = config.strict if strict is None else strict
        host = host or PluginHost(strict=strict or None)
        if strict:
            host.strict = True
        if config.hook_timeout is not None:
            host.hook_timeout = config.hook_timeout
        gaps: list[Gap] = []
        loaded = {p.name for p in host.packs}
        for name in config.enabled_packs or ():
            if name not in loaded:
                gaps.append(Gap(name, config.origin, "enabled in the configuration but not loaded"))
        activation = activation_of(host, config)
        inactive = {n for n, a in activation.items() if not a.active}

        collected: dict[str, list[Contribution[Any]]] = {
            kind: host.collect(fam.hook, fam.check, f"an object with meta and the {kind} interface", inactive)
            for kind, fam in RULE_FAMILIES.items()
        }
        raw_params = host.collect("employkit_parameters", lambda i: isinstance(i, Parameter), "Parameter", inactive)
        failed = host.failed_names()
        active = tuple(p for p in host.packs if p.name not in inactive and p.name not in failed)
        active_names = {p.name for p in active}

        param_cands: dict[str, list[Candidate]] = defaultdict(list)
        for c in raw_params:
            if c.pack.name in active_names:
                p: Parameter = c.item
                declared = p.override or p.id in c.pack.info.overrides
                param_cands[p.id].append(Candidate(Origin.of(c.pack), p, declared))
        centre = Origin("centre", config.path or "employkit.toml", Layer.CENTRE)
        for p in (*config.parameters, *extra_parameters):
            if p.id not in param_cands:
                gaps.append(Gap(p.id, centre.name, "the configuration sets a parameter no pack defines"))
            param_cands[p.id].append(Candidate(centre, p, True))

        rule_cands: dict[str, list[Candidate]] = defaultdict(list)
        rule_kind: dict[str, str] = {}
        kind_clash: list[Conflict] = []
        for kind, contributions in collected.items():
            for c in contributions:
                if c.pack.name not in active_names:
                    continue
                meta: RuleMeta = c.item.meta
                rid = meta.rule_id
                if rule_kind.setdefault(rid, kind) != kind:
                    kind_clash.append(Conflict(rid, kind, (c.pack.name,), f"id already used by a {rule_kind[rid]}"))
                    continue
                declared = rid in c.pack.info.overrides
                rule_cands[rid].append(Candidate(Origin.of(c.pack), c.item, declared))

        params = resolve({k: "parameter" for k in param_cands}, param_cands)
        rules = resolve(rule_kind, rule_cands)
        for cands in [*param_cands.values(), *rule_cands.values()]:
            lowest = min(cands, key=lambda c: c.origin.layer.rank)
            if lowest.declared and lowest.origin.name != "centre":
                gaps.append(
                    Gap(id_of(lowest.item), lowest.origin.name, "declares an override, but no lower layer defines it")
                )
        for r in rules.values():
            for pid in r.top.item.meta.parameters:
                if pid not in params:
                    gaps.append(Gap(pid, r.top.origin.name, f"rule {r.id} reads a parameter no active pack defines"))
        system = cls(host, config, active, params, rules, gaps)
        system.activation = activation
        system.conflicts = (*system.conflicts, *kind_clash)
        if strict and (system.conflicts or gaps):
            problems = [str(c) for c in system.conflicts] + [str(g) for g in gaps]
            raise PluginLoadError("strict mode: " + "; ".join(problems))
        return system

    # ----------------------------------------------------------------- parameters

    def parameter_ids(self) -> list[str]:
        """Every parameter id, sorted."""
        return sorted(self._parameters)

    def resolved_parameter(self, pid: str) -> Resolved:
        """The resolution of one parameter (raises :class:`RuleNotFound`)."""
        try:
            return self._parameters[pid]
        except KeyError:
            raise RuleNotFound(f"no active pack defines parameter {pid!r}") from None

    def rule_named_by(self, pid: str, on: dt.date | None, *, what: str, setting: str) -> str:
        """The rule id a dated parameter names on ``on`` (its latest value when ``on`` is None).

        How an engine finds its default rule (the typology, the follow-up policy) without
        naming a pack: the pack in force sets the parameter. Raises :class:`RuleNotFound`
        saying which ``setting`` to make when no pack defines ``pid``, and the dates
        covered when none of its values is in force on ``on``.
        """
        try:
            res = self.resolved_parameter(pid)
        except RuleNotFound:
            raise RuleNotFound(
                f"no {what} named: set {setting} in employkit.toml, or activate a pack "
                f"that defines the parameter {pid} (the national pack does)"
            ) from None
        if on is None:
            return str(res.top.item.values[-1].value)
        try:
            return str(self.parameter(pid, on).value)
        except ParameterError:
            spans = "; ".join(
                f"{v.value} {v.effective_from}–{v.effective_to or '…'} ({c.origin.name})"
                for c in res.chain
                for v in c.item.values
            )
            raise RuleNotFound(
                f"no {what} in force on {on.isoformat()} (in force: {spans}, by the parameter {pid})"
            ) from None

    def parameter(self, pid: str, as_of: dt.date) -> ParameterUse:
        """The value of ``pid`` in force on ``as_of``, with its provenance.

        Raises :class:`RuleNotFound`, :class:`RuleConflictError` or
        :class:`ParameterError` (no value in force on that date).
        """
        key = (pid, as_of)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        res = self.resolved_parameter(pid)
        if res.conflict is not None:
            raise RuleConflictError(f"parameter {pid}: {res.conflict.reason}")
        for n, cand in enumerate(res.chain):
            dated = cand.item.at(as_of)
            if dated is not None:
                use = ParameterUse(
                    parameter_id=pid,
                    value=dated.value,
                    pack=cand.origin.name,
                    pack_version=cand.origin.version,
                    effective_from=dated.effective_from,
                    effective_to=dated.effective_to,
                    source=dated.source,
                    overrides=tuple(c.origin.ref for c in res.chain[n + 1 :]),
                )
                self._cache[key] = use
                return use
        raise ParameterError(f"parameter {pid} has no value in force on {as_of.isoformat()}")

    # ----------------------------------------------------------------- rules

    def rule_ids(self) -> list[str]:
        """Every rule id (typologies, components, policies, KPIs, sources), sorted."""
        return sorted(self._rules)

    def declaration_order(self) -> dict[str, int]:
        """Rule id → where it was first declared: packs in load order (lowest layer first), each in its own order."""
        return {rid: n for n, rid in enumerate(self._rules)}

    def resolved_rule(self, rule_id: str) -> Resolved:
        """The resolution of one rule (raises :class:`RuleNotFound`)."""
        try:
            return self._rules[rule_id]
        except KeyError:
            raise RuleNotFound(f"no active pack provides rule {rule_id!r}") from None

    def rule(self, rule_id: str, as_of: dt.date | None = None) -> Any:
        """The rule object for ``rule_id``: the highest layer's, or on ``as_of`` the
        highest whose rule is in force then.

        Raises :class:`RuleNotFound` or :class:`RuleConflictError`.
        """
        res = self.resolved_rule(rule_id)
        if res.conflict is not None:
            raise RuleConflictError(f"rule {rule_id}: {res.conflict.reason}")
        for cand in res.chain:
            if as_of is None or cand.item.meta.in_force(as_of):
                return cand.item
        raise RuleNotFound(f"rule {rule_id} is not in force on {as_of}")

    def provenance(self, rule_id: str) -> tuple[Origin, tuple[str, ...]]:
        """The origin of the rule used for ``rule_id`` and the packs it overrides."""
        res = self.resolved_rule(rule_id)
        return res.top.origin, tuple(c.origin.ref for c in res.chain[1:])

    def rules(self, kind: str, as_of: dt.date | None = None) -> list[Any]:
        """The rules of one family (``"seeker_typology"``, ``"kpi"``…), sorted by id.

        Conflicted ids are left out (they are listed in :attr:`conflicts`).
        """
        if kind not in RULE_FAMILIES:
            raise InvalidArgument(f"unknown rule family {kind!r}; expected one of {', '.join(RULE_FAMILIES)}")
        out = []
        for rid in sorted(self._rules):
            res = self._rules[rid]
            if res.kind != kind or res.conflict is not None:
                continue
            try:
                out.append(self.rule(rid, as_of))
            except RuleNotFound:
                continue
        return out

    def seeker_typologies(self, as_of: dt.date | None = None) -> list[SeekerTypology]:
        """The seeker typologies of the active packs."""
        return self.rules("seeker_typology", as_of)

    def employer_typologies(self, as_of: dt.date | None = None) -> list[EmployerTypology]:
        """The employer typologies of the active packs."""
        return self.rules("employer_typology", as_of)

    def match_components(self, as_of: dt.date | None = None) -> list[MatchComponent]:
        """The match components of the active packs."""
        return self.rules("match_component", as_of)

    def followup_policies(self, as_of: dt.date | None = None) -> list[FollowUpPolicy]:
        """The follow-up policies of the active packs."""
        return self.rules("followup_policy", as_of)

    def kpis(self, as_of: dt.date | None = None) -> list[KpiDefinition]:
        """The KPI definitions of the active packs."""
        return self.rules("kpi", as_of)

    def data_sources(self) -> list[DataSource]:
        """The data sources of the active packs, highest layer first."""
        sources = self.rules("data_source")
        return sorted(sources, key=lambda s: -self.provenance(s.meta.rule_id)[0].layer.rank)

    def business_calendar(self, region_code: str | None = None) -> BusinessCalendar:
        """The calendar of business days, from the highest layer that answers."""
        inactive = {p.name for p in self.host.packs} - {p.name for p in self.active}
        answer = self.host.first_result("employkit_business_calendar", skip=inactive, region_code=region_code)
        if answer is None:
            raise RuleNotFound("no active pack provides a business calendar")
        return answer[1]  # type: ignore[no-any-return]

    # ----------------------------------------------------------------- evaluation

    def context(self, as_of: dt.date) -> EvalContext:
        """A fresh evaluation context for decisions as of ``as_of``."""
        return EvalContext(self, as_of)

    def catalogue(self, as_of: dt.date) -> list[CatalogueEntry]:
        """Every rule and parameter in force on ``as_of``, and every conflict."""
        entries: list[CatalogueEntry] = []
        for pid in sorted(self._parameters):
            res = self._parameters[pid]
            top = res.top
            param: Parameter = top.item
            if res.conflict is not None:
                entries.append(conflict_entry(res, param.title))
                continue
            try:
                use = self.parameter(pid, as_of)
            except ParameterError:
                continue
            layer = next(c.origin.layer.code for c in res.chain if c.origin.name == use.pack)
            entries.append(
                CatalogueEntry(
                    id=pid,
                    kind="parameter",
                    title=param.title,
                    pack=use.pack,
                    pack_version=use.pack_version,
                    layer=layer,
                    effective_from=use.effective_from,
                    effective_to=use.effective_to,
                    source=use.source,
                    value=use.value,
                    unit=param.unit,
                    overrides=use.overrides,
                )
            )
        for rid in sorted(self._rules):
            res = self._rules[rid]
            if res.conflict is not None:
                entries.append(conflict_entry(res, res.top.item.meta.title))
                continue
            for n, cand in enumerate(res.chain):
                meta: RuleMeta = cand.item.meta
                if meta.in_force(as_of):
                    entries.append(
                        CatalogueEntry(
                            id=rid,
                            kind=res.kind,
                            title=meta.title,
                            pack=cand.origin.name,
                            pack_version=cand.origin.version,
                            layer=cand.origin.layer.code,
                            effective_from=meta.effective_from,
                            effective_to=meta.effective_to,
                            source=meta.source,
                            overrides=tuple(c.origin.ref for c in res.chain[n + 1 :]),
                        )
                    )
                    break
        return entries

    def unset_parameters(self, as_of: dt.date) -> list[str]:
        """A warning for each parameter whose values ended before ``as_of`` with none after.

        E.g. the minimum wage asked for after its last published year: a rule reading it
        on that date finds no value. (A parameter whose first value comes later is simply
        not in force yet, like the rules that read it; one that only rules no longer in
        force declare they read — a closed programme's amounts — is not a warning.)
        """
        out = []
        readers: dict[str, list[RuleMeta]] = defaultdict(list)
        for r in self._rules.values():
            meta: RuleMeta = r.top.item.meta
            for pid in meta.parameters:
                readers[pid].append(meta)
        for pid in sorted(self._parameters):
            res = self._parameters[pid]
            if res.conflict is not None:
                continue
            if readers[pid] and not any(m.in_force(as_of) for m in readers[pid]):
                continue  # read only by rules that have ended (a closed programme's amounts)
            values = [v for c in res.chain for v in c.item.values]
            if not any(v.effective_to is not None and v.effective_to < as_of for v in values):
                continue
            try:
                self.parameter(pid, as_of)
            except ParameterError:
                spans = "; ".join(
                    f"{v.effective_from}–{v.effective_to or '…'} ({c.origin.name})"
                    for c in res.chain
                    for v in c.item.values
                )
                out.append(f"parameter {pid} has no value in force on {as_of.isoformat()} (values: {spans})")
        return out

    def with_parameters(self, overrides: Mapping[str, Any], since: dt.date = dt.date.min) -> RuleSystem:
        """A what-if copy of this system with centre-level parameter values changed.

        The same packs are used (nothing is reloaded); the baseline is left as it was.
        """
        from employkit.config import centre_parameter

        extra = [centre_parameter(pid, value, since) for pid, value in overrides.items()]
        for p in extra:
            self.resolved_parameter(p.id)  # unknown ids fail loudly, not as a gap
        return RuleSystem.build(self.config, self.host, extra_parameters=extra)
