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

The package's modules: :mod:`~.records` (the record and its plain-data form),
:mod:`~.recording` (pseudonyms, safe columns, provenance) and :mod:`~.builders`.

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

from employkit.accountability.decisions.builders import (
    action_result,
    dataset_fingerprint,
    followup_action_decision,
    kpi_decision,
    kpi_result,
    match_list_decision,
    match_result,
    override_decision,
    override_result,
    pool_fingerprint,
    profile_result,
    segment_decision,
)
from employkit.accountability.decisions.recording import (
    RULE_EXTRA_COLUMNS,
    parameter_record,
    placement_data,
    safe_columns,
    seeker_data,
    settings_of,
    vacancy_data,
)
from employkit.accountability.decisions.records import (
    SCHEMA,
    SCHEMA_VERSION,
    SETTINGS_OF,
    DecisionKind,
    DecisionRecord,
    PackRef,
    ParameterRecord,
    from_data,
    plain,
    plain_dict,
    to_line,
)
from employkit.privacy import KEY_ENV, pseudonym_key

__all__ = [
    "KEY_ENV",
    "RULE_EXTRA_COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SETTINGS_OF",
    "DecisionKind",
    "DecisionRecord",
    "PackRef",
    "ParameterRecord",
    "action_result",
    "dataset_fingerprint",
    "followup_action_decision",
    "from_data",
    "kpi_decision",
    "kpi_result",
    "match_list_decision",
    "match_result",
    "override_decision",
    "override_result",
    "parameter_record",
    "placement_data",
    "plain",
    "plain_dict",
    "pool_fingerprint",
    "profile_result",
    "pseudonym_key",
    "safe_columns",
    "seeker_data",
    "segment_decision",
    "settings_of",
    "to_line",
    "vacancy_data",
]
