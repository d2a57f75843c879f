"""What goes into every record: pseudonymised subjects, safe columns and provenance.

Provenance is the rules, packs, parameters and centre settings a decision used.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from employkit.accountability.decisions.records import (
    _RRN_KEY,
    SETTINGS_OF,
    DecisionKind,
    DecisionRecord,
    PackRef,
    ParameterRecord,
    plain,
)
from employkit.explain import Explanation, ParameterUse
from employkit.model import Placement, Seeker, Vacancy
from employkit.profiling.api import pseudonym
from employkit.sources.cells import mask_rrn

if TYPE_CHECKING:
    from employkit.rules import RuleSystem


# ---------------------------------------------------------------------- privacy


def _mask(value: Any) -> Any:
    if isinstance(value, str):
        return mask_rrn(value)
    if isinstance(value, Mapping):
        return {k: _mask(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_mask(v) for v in value]
    return value


class _Ids:
    """Replaces raw ids by their pseudonyms wherever they appear in strings."""

    def __init__(self, mapping: Mapping[str, str]) -> None:
        self.mapping = {k: v for k, v in mapping.items() if k}
        ordered = sorted(self.mapping, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w])(" + "|".join(re.escape(k) for k in ordered) + r")(?![\w])") if ordered else None
        )

    def __call__(self, value: Any) -> Any:
        if isinstance(value, str):
            if self.pattern is None:
                return mask_rrn(value)
            return mask_rrn(self.pattern.sub(lambda m: self.mapping[m.group(1)], value))
        if isinstance(value, Mapping):
            return {k: self(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self(v) for v in value]
        return value


#: Extra columns the shipped rules read (so a replay reproduces the decision): home and
#: workplace coordinates (distance), a vacancy's optional skills, a seeker's special-type
#: goal, a placement's partner agency. Every other extra column (names, phone numbers,
#: addresses, notes…) stays out of the log unless ``[privacy] safe_columns`` lists it.
RULE_EXTRA_COLUMNS = frozenset({"latitude", "longitude", "optional_skills", "special_type_goal", "partner_agency"})


def safe_columns(source: Any = None) -> frozenset[str]:
    """The extra columns a decision log may keep: :data:`RULE_EXTRA_COLUMNS` and ``[privacy] safe_columns``.

    ``source`` is a :class:`~employkit.rules.RuleSystem` or a
    :class:`~employkit.config.CentreConfig`; the setting must be a list of column names.
    """
    config = getattr(source, "config", source)
    settings = getattr(config, "settings", None) or {}
    privacy = settings.get("privacy", {}) if isinstance(settings, Mapping) else {}
    listed = privacy.get("safe_columns", []) if isinstance(privacy, Mapping) else []
    if not isinstance(listed, list | tuple) or not all(isinstance(c, str) for c in listed):
        from employkit.errors import ConfigError

        raise ConfigError('[privacy] safe_columns: expected a list of column names, e.g. safe_columns = ["지점"]')
    return RULE_EXTRA_COLUMNS | frozenset(listed)


def _extra(extra: Mapping[str, Any], safe: Collection[str] | None) -> dict[str, Any]:
    keep = RULE_EXTRA_COLUMNS if safe is None else safe
    return {k: v for k, v in extra.items() if k in keep and not _RRN_KEY.search(str(k))}


def seeker_data(seeker: Seeker, key: str, safe: Collection[str] | None = None) -> dict[str, Any]:
    """The seeker's record for replay: id pseudonymised, only the extra columns rules read
    (or ``safe`` lists: :func:`safe_columns`) kept, anything shaped like a resident number masked."""
    kept = attrs.evolve(seeker, seeker_id=pseudonym(seeker.seeker_id, key), extra=_extra(seeker.extra, safe))
    data: dict[str, Any] = _mask(plain(kept))
    return data


def vacancy_data(vacancy: Vacancy, safe: Collection[str] | None = None) -> dict[str, Any]:
    """The vacancy's record for replay (not personal data; extra columns kept as for seekers)."""
    kept = attrs.evolve(vacancy, extra=_extra(vacancy.extra, safe))
    data: dict[str, Any] = _mask(plain(kept))
    return data


def placement_data(placement: Placement, key: str, safe: Collection[str] | None = None) -> dict[str, Any]:
    """The placement's record for replay: placement and seeker ids pseudonymised, extra columns as for seekers."""
    kept = attrs.evolve(
        placement,
        placement_id=pseudonym(placement.placement_id, key),
        seeker_id=pseudonym(placement.seeker_id, key),
        extra=_extra(placement.extra, safe),
    )
    data: dict[str, Any] = _mask(plain(kept))
    return data


# ---------------------------------------------------------------------- provenance


def _walk(explanations: Iterable[Explanation]) -> Iterable[Explanation]:
    for e in explanations:
        yield e
        yield from _walk(e.details)


def _provenance(
    explanations: Sequence[Explanation], extra_packs: Iterable[PackRef] = ()
) -> tuple[tuple[str, ...], tuple[PackRef, ...], tuple[ParameterRecord, ...]]:
    rule_ids: dict[str, None] = {}
    packs: dict[tuple[str, str], None] = {(p.name, p.version): None for p in extra_packs}
    params: dict[tuple[str, str, dt.date], ParameterRecord] = {}
    for e in _walk(explanations):
        rule_ids[e.rule_id] = None
        packs[(e.pack, e.pack_version)] = None
        for use in e.parameters:
            packs[(use.pack, use.pack_version)] = None
            params[(use.parameter_id, use.pack, use.effective_from)] = parameter_record(use)
    return (
        tuple(rule_ids),
        tuple(PackRef(name=n, version=v) for n, v in sorted(packs)),
        tuple(params[k] for k in sorted(params, key=lambda k: (k[0], k[1], k[2]))),
    )


def parameter_record(use: ParameterUse) -> ParameterRecord:
    """The log's form of one parameter use."""
    return ParameterRecord(
        parameter_id=use.parameter_id,
        value=plain(use.value),
        pack=use.pack,
        pack_version=use.pack_version,
        effective_from=use.effective_from,
        effective_to=use.effective_to,
        source=str(use.source) if use.source is not None else None,
    )


def settings_of(system: RuleSystem, kind: DecisionKind | str) -> dict[str, Any]:
    """The centre settings a kind of decision depends on (never ``[privacy]``)."""
    code = kind.code if isinstance(kind, DecisionKind) else kind
    out: dict[str, Any] = {}
    for section in SETTINGS_OF[code]:
        values = system.config.settings.get(section)
        if values:
            out[section] = plain(dict(values))
    return out


def _now(recorded_at: dt.datetime | None) -> str:
    moment = recorded_at or dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds")


def _record(
    *,
    kind: DecisionKind,
    subject: str,
    subject_kind: str,
    as_of: dt.date,
    explanations: Sequence[Explanation],
    system: RuleSystem,
    inputs: Mapping[str, Any],
    result: Mapping[str, Any],
    ids: _Ids,
    counsellor: str | None = None,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
    extra_packs: Iterable[PackRef] = (),
    extra_rules: Iterable[str] = (),
) -> DecisionRecord:
    rule_ids, packs, params = _provenance(explanations, extra_packs)
    rules = tuple(dict.fromkeys((*extra_rules, *rule_ids)))
    explanation = plain(explanations[0]) if len(explanations) == 1 else {"items": [plain(e) for e in explanations]}
    return DecisionRecord(
        decision_id=decision_id or uuid.uuid4().hex,
        kind=kind,
        subject=subject,
        subject_kind=subject_kind,
        recorded_at=_now(recorded_at),
        as_of=as_of,
        rule_ids=rules,
        packs=packs,
        parameters=params,
        settings=settings_of(system, kind),
        inputs=ids(plain(inputs)),
        result=ids(plain(result)),
        explanation=ids(explanation),
        counsellor=counsellor,
    )
