"""Builders: a segment, an override, a match list, follow-up actions or a KPI value as a decision record."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from employkit.accountability.decisions.recording import (
    _Ids,
    _record,
    placement_data,
    safe_columns,
    seeker_data,
    vacancy_data,
)
from employkit.accountability.decisions.records import DecisionKind, DecisionRecord, PackRef, plain_dict
from employkit.converter import unstructure
from employkit.errors import InvalidArgument
from employkit.model import FollowUpOutcome, Placement, Seeker, Vacancy
from employkit.profiling.api import pseudonym
from employkit.profiling.base import SeekerProfile

if TYPE_CHECKING:
    from employkit.dataset import Dataset
    from employkit.followup.base import Action
    from employkit.matching.ranking import Filters
    from employkit.matching.scoring import MatchResult
    from employkit.metrics.report import KpiReport, KpiResult
    from employkit.profiling.overrides import OverriddenProfile
    from employkit.rules import RuleSystem


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
    pid = policy_id_for(system, policy_id, as_of or on)
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
