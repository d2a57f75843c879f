"""Decision records: one decision, as an auditor needs it to check and replay it.

A :class:`DecisionRecord` (schema :data:`SCHEMA`) holds a decision's id and kind
(:class:`DecisionKind`: a segment, a counsellor's override, a match list, a follow-up
action or a KPI value), its subject pseudonymised with a keyed hash, the time it was
recorded, the as-of date, the rule ids, the packs and their versions, every parameter
used with its effective dates and source, the centre settings it depends on, the inputs
needed to replay it, the result, the explanation, and for an override the counsellor.

Builders turn what the domain packages return into records:
:func:`segment_decision` (a :class:`~employkit.profiling.base.SeekerProfile`),
:func:`override_decision` (an :class:`~employkit.profiling.overrides.OverriddenProfile`),
:func:`match_list_decision` (a list of :class:`~employkit.matching.scoring.MatchResult`),
:func:`followup_action_decision` (the :class:`~employkit.followup.base.Action` tuple an
outcome triggers) and :func:`kpi_decision` (a :class:`~employkit.metrics.report.KpiResult`).

Personal data: the seeker's, placement's and candidates' ids are replaced by
:func:`~employkit.profiling.api.pseudonym` under the centre's key
(:func:`employkit.privacy.pseudonym_key`: ``EMPLOYKIT_PSEUDONYM_KEY``, else the key file
or ``[privacy] pseudonym_key``),
everywhere in the record, explanations included. Anything shaped like a resident
registration number is masked, and extra columns named like one are dropped. A KPI
decision holds a fingerprint (SHA-256) of the dataset, never its rows.

>>> import datetime as dt
>>> from employkit.model import Intake, Level, Seeker
>>> from employkit.profiling.api import classify_seeker
>>> from employkit.testing import make_system
>>> system = make_system()
>>> s = Seeker(seeker_id="S1", residence_code="11140", registered_on=dt.date(2022, 3, 2),
...            intake=Intake(job_field_decided=True, employability=Level.HIGH, mobile=False))
>>> record = segment_decision(classify_seeker(s, system, dt.date(2022, 3, 2)), s, system, key="k")
>>> record.kind.code, record.subject, record.result["segment"]
('segment', 'Pa8a02f8a738e41f4', 'ready_local')
>>> "S1" in to_line(record)
False
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from employkit.converter import structure, unstructure
from employkit.errors import InvalidArgument
from employkit.explain import Explanation, ParameterUse
from employkit.labels import CodedEnum
from employkit.model import FollowUpOutcome, Placement, Seeker, Vacancy
from employkit.privacy import KEY_ENV, pseudonym_key
from employkit.profiling.api import pseudonym
from employkit.profiling.base import SeekerProfile
from employkit.sources.cells import mask_rrn

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.followup.base import Action
    from employkit.matching.ranking import Filters
    from employkit.matching.scoring import MatchResult
    from employkit.metrics.report import KpiReport, KpiResult
    from employkit.profiling.overrides import OverriddenProfile
    from employkit.rules import RuleSystem

__all__ = [
    "KEY_ENV",
    "RULE_EXTRA_COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "DecisionKind",
    "DecisionRecord",
    "PackRef",
    "ParameterRecord",
    "action_result",
    "dataset_fingerprint",
    "followup_action_decision",
    "kpi_decision",
    "kpi_result",
    "match_list_decision",
    "match_result",
    "override_decision",
    "override_result",
    "plain",
    "plain_dict",
    "pool_fingerprint",
    "profile_result",
    "pseudonym_key",
    "safe_columns",
    "segment_decision",
    "to_line",
]

#: The schema name and version every record carries (``"employkit.decision/1"``).
SCHEMA_VERSION = 1
SCHEMA = f"employkit.decision/{SCHEMA_VERSION}"

#: The environment variable holding the pseudonym key (wins over the configuration).

#: The centre settings sections each kind of decision depends on.
SETTINGS_OF: Mapping[str, tuple[str, ...]] = {
    "segment": ("profiling",),
    "override": ("profiling",),
    "match_list": ("matching",),
    "followup_action": ("followup",),
    "kpi_value": ("metrics",),
}

_RRN_KEY = re.compile(r"rrn|jumin|resident_?reg|주민", re.IGNORECASE)


class DecisionKind(CodedEnum):
    """What kind of decision a record holds."""

    SEGMENT = ("segment", "구직자 유형분류", "seeker segment")
    OVERRIDE = ("override", "상담사 유형 변경", "counsellor override")
    MATCH_LIST = ("match_list", "추천 목록", "match list")
    FOLLOWUP_ACTION = ("followup_action", "사후관리 조치", "follow-up action")
    KPI_VALUE = ("kpi_value", "성과지표 값", "KPI value")


@frozen(kw_only=True)
class PackRef:
    """A pack and the version a decision used."""

    name: str
    version: str


@frozen(kw_only=True)
class ParameterRecord:
    """A parameter value as a decision used it, with its dates and source."""

    parameter_id: str
    value: Any
    pack: str
    pack_version: str
    effective_from: dt.date
    effective_to: dt.date | None = None
    source: str | None = None


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _packs(values: Iterable[PackRef]) -> tuple[PackRef, ...]:
    return tuple(values)


def _params(values: Iterable[ParameterRecord]) -> tuple[ParameterRecord, ...]:
    return tuple(values)


def _frozen_map(values: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(values))


@frozen(kw_only=True)
class DecisionRecord:
    """One logged decision (one line of the decision log; see ``docs/accountability.rst``).

    ``subject`` is a pseudonym (seekers, placements) or a public id (``kpi:…``);
    ``subject_kind`` says which. ``inputs`` hold what a replay needs; ``result`` what the
    replay must reproduce; ``explanation`` the decision's explanation as plain data.
    ``prev_hash`` is set by the log: the SHA-256 of the previous line, so a changed or
    removed line is detected (:meth:`~employkit.accountability.log.DecisionLog.verify`).
    """

    schema: str = SCHEMA
    decision_id: str
    kind: DecisionKind
    subject: str
    subject_kind: str
    recorded_at: str
    as_of: dt.date
    rule_ids: tuple[str, ...] = field(default=(), converter=_strings)
    packs: tuple[PackRef, ...] = field(default=(), converter=_packs)
    parameters: tuple[ParameterRecord, ...] = field(default=(), converter=_params)
    settings: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    inputs: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    result: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    explanation: Mapping[str, Any] = field(factory=dict, converter=_frozen_map, hash=False)
    counsellor: str | None = None
    prev_hash: str | None = None


# ---------------------------------------------------------------------- plain data


def plain(value: Any) -> Any:
    """``value`` as JSON data exactly as the log stores it (so results compare equal).

    Records become dicts, tuples and sets lists (sets sorted), dates ISO text, enum
    members their codes, and non-finite floats the text ``"nan"``, ``"inf"``, ``"-inf"``.
    """
    data = unstructure(value)
    return _clean(data)


def _clean(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return sorted((_clean(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True, default=str))
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if isinstance(value, Enum):
        return _clean(value.value)
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if attrs.has(type(value)):
        return _clean(unstructure(value))
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _clean(value.item())
    return str(value)


def plain_dict(value: Any) -> dict[str, Any]:
    """:func:`plain` of something that becomes a JSON object."""
    data = plain(value)
    if not isinstance(data, dict):
        raise TypeError(f"expected a mapping, got {type(value).__name__}")
    return data


def to_line(record: DecisionRecord) -> str:
    """The record as one line of JSON (keys sorted, Korean kept readable, no newline)."""
    return json.dumps(plain(record), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def from_data(data: Mapping[str, Any], origin: str | None = None) -> DecisionRecord:
    """A record from parsed JSON (raises :class:`~employkit.errors.DataError`)."""
    return structure(data, DecisionRecord, origin=origin)


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


# ---------------------------------------------------------------------- segments and overrides


def profile_result(profile: SeekerProfile) -> dict[str, Any]:
    """What a replay of a segment decision must reproduce."""
    seg = profile.segment
    return plain_dict(
        {
            "typology_id": profile.typology_id,
            "status": profile.status,
            "segment": seg.code if seg else None,
            "segment_label": {"ko": seg.label.ko, "en": seg.label.en} if seg else None,
            "group": seg.group if seg else None,
            "pathway": [s.code for s in seg.pathway] if seg else [],
            "missing": list(profile.missing),
            "protected_used": list(profile.protected_used),
            "score": profile.score,
            "band": profile.band,
        }
    )


def segment_decision(
    profile: SeekerProfile,
    seeker: Seeker,
    system: RuleSystem,
    *,
    key: str,
    counsellor: str | None = None,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> DecisionRecord:
    """The record of a seeker's segment (``counsellor``: the counsellor in charge, if known)."""
    if profile.seeker_id != seeker.seeker_id:
        raise InvalidArgument(f"the profile is of {profile.seeker_id!r}, the seeker {seeker.seeker_id!r}")
    subject = pseudonym(seeker.seeker_id, key)
    return _record(
        kind=DecisionKind.SEGMENT,
        subject=subject,
        subject_kind="seeker",
        as_of=profile.as_of,
        explanations=[profile.explanation],
        system=system,
        inputs={"typology_id": profile.typology_id, "seeker": seeker_data(seeker, key, safe_columns(system))},
        result=profile_result(profile),
        ids=_Ids({seeker.seeker_id: subject}),
        counsellor=counsellor,
        decision_id=decision_id,
        recorded_at=recorded_at,
        extra_rules=[profile.typology_id],
    )


def override_result(overridden: OverriddenProfile) -> dict[str, Any]:
    """What a replay of an override must reproduce: the original profile and the change."""
    o = overridden.override
    return plain_dict(
        {
            "original": profile_result(overridden.original),
            "segment": o.segment.code,
            "segment_label": {"ko": o.segment.label.ko, "en": o.segment.label.en},
            "group": o.segment.group,
            "reason_code": o.reason_code.code,
            "on": o.on,
        }
    )


def override_decision(
    overridden: OverriddenProfile,
    seeker: Seeker,
    system: RuleSystem,
    *,
    key: str,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> DecisionRecord:
    """The record of a counsellor's override, with the counsellor and the original profile."""
    if overridden.seeker_id != seeker.seeker_id:
        raise InvalidArgument(f"the override is of {overridden.seeker_id!r}, the seeker {seeker.seeker_id!r}")
    o = overridden.override
    subject = pseudonym(seeker.seeker_id, key)
    return _record(
        kind=DecisionKind.OVERRIDE,
        subject=subject,
        subject_kind="seeker",
        as_of=overridden.as_of,
        explanations=[overridden.original.explanation],
        system=system,
        inputs={
            "typology_id": overridden.typology_id,
            "seeker": seeker_data(seeker, key, safe_columns(system)),
            "override": {"segment": o.segment.code, "reason_code": o.reason_code.code, "reason": o.reason, "on": o.on},
        },
        result=override_result(overridden),
        ids=_Ids({seeker.seeker_id: subject}),
        counsellor=o.counsellor,
        decision_id=decision_id,
        recorded_at=recorded_at,
        extra_rules=[overridden.typology_id],
    )


# ---------------------------------------------------------------------- match lists


def match_result(results: Sequence[MatchResult]) -> dict[str, Any]:
    """What a replay of a match list must reproduce: each pair, in order, with its breakdown."""
    pairs = []
    for r in results:
        pairs.append(
            {
                "seeker": r.seeker_id,
                "vacancy": r.vacancy_id,
                "total": r.total,
                "eligible": r.eligible,
                "gates": list(r.gates),
                "flags": list(r.flags),
                "components": {
                    c.key: {"value": c.value, "share": c.share, "status": c.status, "gate": c.gate}
                    for c in r.components
                },
            }
        )
    return plain_dict({"pairs": pairs})


def pool_fingerprint(records: Iterable[Seeker] | Iterable[Vacancy]) -> str:
    """SHA-256 of the candidate records, in order (to check a replay ranks the same pool)."""
    h = hashlib.sha256()
    for r in records:
        h.update(_canonical(r))
    return h.hexdigest()


def _canonical(record: Any) -> bytes:
    """One record as canonical JSON bytes (a line), for fingerprints."""
    text = json.dumps(unstructure(record), sort_keys=True, ensure_ascii=False, default=str)
    return text.encode("utf-8") + b"\n"


def _filters_data(filters: Filters | None) -> dict[str, Any] | None:
    if filters is None:
        return None
    return plain_dict(
        {
            "region": filters.region,
            "occupation": filters.occupation,
            "employment_type": filters.employment_type,
            "open_on": filters.open_on,
        }
    )


def match_list_decision(
    results: Sequence[MatchResult],
    target: Seeker | Vacancy,
    candidates: Sequence[Vacancy] | Sequence[Seeker],
    system: RuleSystem,
    *,
    key: str,
    top: int,
    as_of: dt.date | None = None,
    open_only: bool = True,
    filters: Filters | None = None,
    fingerprint: str | None = None,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> DecisionRecord:
    """The record of a ranked list (from :func:`~employkit.matching.ranking.rank`).

    ``target`` is the seeker (candidates are vacancies) or the vacancy (candidates are
    seekers); ``candidates`` the pool the list was ranked from, given to ``rank``. The
    record keeps the target and the listed candidates' records, and a fingerprint of
    the whole pool (pass ``fingerprint`` from :func:`pool_fingerprint` when logging
    many lists from one pool).
    """
    by_id: dict[str, Any]
    safe = safe_columns(system)
    if isinstance(target, Seeker):
        direction = "vacancies"
        by_id = {v.vacancy_id: v for v in candidates if isinstance(v, Vacancy)}
        listed = [vacancy_data(by_id[r.vacancy_id], safe) for r in results]
        target_data = seeker_data(target, key, safe)
        subject, subject_kind = pseudonym(target.seeker_id, key), "seeker"
        ids = _Ids({target.seeker_id: subject})
    else:
        direction = "seekers"
        by_id = {s.seeker_id: s for s in candidates if isinstance(s, Seeker)}
        listed = [seeker_data(by_id[r.seeker_id], key, safe) for r in results]
        target_data = vacancy_data(target, safe)
        subject, subject_kind = f"vacancy:{target.vacancy_id}", "vacancy"
        ids = _Ids({r.seeker_id: pseudonym(r.seeker_id, key) for r in results})
    day = as_of or (results[0].as_of if results else None)
    if day is None:
        raise InvalidArgument("an empty match list needs as_of")
    return _record(
        kind=DecisionKind.MATCH_LIST,
        subject=subject,
        subject_kind=subject_kind,
        as_of=day,
        explanations=[r.explanation for r in results],
        system=system,
        inputs={
            "direction": direction,
            "target": target_data,
            "listed": listed,
            "top": top,
            "open_only": open_only,
            "filters": _filters_data(filters),
            "pool": {"size": len(candidates), "fingerprint": fingerprint or pool_fingerprint(candidates)},
        },
        result=match_result(results),
        ids=ids,
        decision_id=decision_id,
        recorded_at=recorded_at,
        extra_rules=["matching.score"],
    )


# ---------------------------------------------------------------------- follow-up actions


def action_result(actions: Sequence[Action]) -> dict[str, Any]:
    """What a replay of a follow-up decision must reproduce: the actions, in order."""
    return plain_dict(
        {
            "actions": [
                {
                    "code": a.code,
                    "due_on": a.due_on,
                    "closes": a.closes,
                    "result": a.result,
                    "contact_kind": a.contact_kind,
                }
                for a in actions
            ]
        }
    )


def followup_action_decision(
    placement: Placement,
    contact_kind: str,
    outcome: FollowUpOutcome | str,
    on: dt.date,
    actions: Sequence[Action],
    system: RuleSystem,
    *,
    key: str,
    policy_id: str | None = None,
    as_of: dt.date | None = None,
    counsellor: str | None = None,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> DecisionRecord:
    """The record of what an outcome triggered (from :func:`~employkit.followup.api.actions_for`)."""
    from employkit.followup.api import policy_id_for

    found = outcome if isinstance(outcome, FollowUpOutcome) else FollowUpOutcome.parse(outcome)
    pid = policy_id_for(system, policy_id)
    subject = pseudonym(placement.placement_id, key)
    explanations = [a.explanation for a in actions if a.explanation is not None]
    origin, _ = system.provenance(pid)
    return _record(
        kind=DecisionKind.FOLLOWUP_ACTION,
        subject=subject,
        subject_kind="placement",
        as_of=as_of or on,
        explanations=explanations,
        system=system,
        inputs={
            "policy_id": pid,
            "placement": placement_data(placement, key, safe_columns(system)),
            "contact_kind": contact_kind,
            "outcome": found.code,
            "on": on,
        },
        result=action_result(actions),
        ids=_Ids({placement.placement_id: subject, placement.seeker_id: pseudonym(placement.seeker_id, key)}),
        counsellor=counsellor,
        decision_id=decision_id,
        recorded_at=recorded_at,
        extra_packs=[PackRef(name=origin.name, version=origin.version)],
        extra_rules=[pid],
    )


# ---------------------------------------------------------------------- KPI values


def dataset_fingerprint(data: Dataset) -> str:
    """SHA-256 of a dataset's records (every table, in order): proves a replay used the same data."""
    h = hashlib.sha256()
    for name in ("seekers", "employers", "vacancies", "placements", "followups"):
        h.update(f"[{name}]\n".encode())
        for r in getattr(data, name):
            h.update(_canonical(r))
    h.update(_canonical(data.centre))
    return h.hexdigest()


def _value_data(value: Any) -> dict[str, Any]:
    return {
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value": value.value,
        "unit": value.unit,
        "suppressed": value.suppressed,
        "missing": list(value.missing),
    }


def kpi_result(result: KpiResult) -> dict[str, Any]:
    """What a replay of a KPI value must reproduce: the value, its cells and steps."""
    v = result.value
    data = _value_data(v)
    data["kpi_id"] = v.kpi_id
    data["error"] = result.error
    data["interval"] = None if v.interval is None else [v.interval.low, v.interval.high, v.interval.level]
    data["breakdown"] = {k: _value_data(c) for k, c in v.breakdown.items()}
    data["steps"] = [_value_data(s) for s in v.steps]
    return plain_dict(data)


def kpi_decision(
    result: KpiResult,
    report: KpiReport,
    data: Dataset,
    system: RuleSystem,
    *,
    fingerprint: str | None = None,
    decision_id: str | None = None,
    recorded_at: dt.datetime | None = None,
) -> DecisionRecord:
    """The record of one KPI value of a report (from :func:`~employkit.metrics.report.kpi_report`).

    The record holds the report's period, observation date, breakdown column and inputs,
    and a fingerprint of the dataset (pass ``fingerprint`` from :func:`dataset_fingerprint`
    when logging many values of one dataset); a replay needs the same dataset.
    """
    scope = report.scope
    if scope.segments is not None:
        raise InvalidArgument("a KPI broken down by a seeker-to-segment mapping cannot be logged for replay")
    return _record(
        kind=DecisionKind.KPI_VALUE,
        subject=f"kpi:{result.value.kpi_id}",
        subject_kind="kpi",
        as_of=report.as_of,
        explanations=[result.value.explanation],
        system=system,
        inputs={
            "kpi": result.value.kpi_id,
            "rule_id": result.rule_id,
            "period": {"start": scope.period.start, "end": scope.period.end},
            "by": scope.by,
            "ci": scope.ci,
            "publish": report.min_cell is not None,
            "inputs": dict(scope.inputs),
            "dataset": {
                "origin": data.origin,
                "fingerprint": fingerprint or dataset_fingerprint(data),
                "rows": {n: len(getattr(data, n)) for n in ("seekers", "employers", "vacancies", "placements")},
            },
        },
        result=kpi_result(result),
        ids=_Ids({}),
        decision_id=decision_id,
        recorded_at=recorded_at,
        extra_packs=[PackRef(name=result.pack, version=result.pack_version)],
        extra_rules=[result.rule_id],
    )
