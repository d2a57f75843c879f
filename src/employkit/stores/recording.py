"""Recording an outcome in the follow-up store: the one write that closes a contact and triggers actions.

Split from :mod:`employkit.stores.followup`, whose :meth:`~employkit.stores.followup.FollowUpStore.record`
and :meth:`~employkit.stores.followup.FollowUpStore.import_contacts` call these functions inside
their write transaction (each takes the open connection). :class:`Recorded` is re-exported there.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from attrs import frozen

from employkit.converter import structure, to_json
from employkit.followup.base import Action
from employkit.labels import Text
from employkit.model import FollowUpContact, FollowUpOutcome, Placement
from employkit.stores.schema import IdempotencyConflict, OutcomeDateError, StoreError

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = [
    "Recorded",
    "answered",
    "check_date",
    "keyed",
    "parse_outcome",
    "pending_contact",
    "read_recorded",
    "record_outcome",
]


@frozen(kw_only=True)
class Recorded:
    """The result of :meth:`FollowUpStore.record <employkit.stores.followup.FollowUpStore.record>`."""

    outcome_id: int
    placement_id: str
    contact_kind: str
    outcome: FollowUpOutcome
    contacted_on: dt.date
    actions: tuple[Action, ...]
    status: str  # the placement's follow-up: open, completed or closed
    result: str | None = None
    repeated: bool = False  # the key was already recorded; nothing was written


def iso(value: dt.date | None) -> str | None:
    """A date as ISO text, ``None`` kept."""
    return None if value is None else value.isoformat()


def _d(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def parse_outcome(text: str) -> FollowUpOutcome:
    """An outcome code or label, refused as a :class:`StoreError`."""
    try:
        return FollowUpOutcome.parse(text)
    except ValueError as exc:
        raise StoreError(str(exc)) from None


def record_outcome(
    db: sqlite3.Connection,
    rules: RuleSystem,
    placement_id: str,
    found: FollowUpOutcome,
    *,
    on: dt.date | None,
    contact_kind: str | None,
    counsellor: str | None,
    note: str | None,
    key: str | None,
    today: dt.date,
) -> Recorded:
    """The body of :meth:`FollowUpStore.record <employkit.stores.followup.FollowUpStore.record>`.

    Runs inside the caller's write transaction; ``today`` is the store's clock.
    """
    from employkit.privacy import refuse_rrn

    refuse_rrn(note, where="note")
    refuse_rrn(counsellor, where="counsellor")
    refuse_rrn(key, where="key")
    request = {
        "outcome": found.code,
        "on": iso(on),
        "contact": contact_kind,
        "counsellor": counsellor,
        "note": note,
    }
    if key is not None:
        first = keyed(db, key, placement_id, request)
        if first is not None:
            return read_recorded(db, first, repeated=True)
    prow = db.execute("SELECT * FROM placements WHERE placement_id = ?", (placement_id,)).fetchone()
    if prow is None:
        raise StoreError(f"placement {placement_id!r} is not in the store; schedule it first")
    if prow["status"] == "closed":
        raise StoreError(
            f"follow-up of {placement_id} closed on {prow['closed_on']} ({prow['result']}); nothing to record"
        )
    day = on or today
    check_date(placement_id, dt.date.fromisoformat(prow["start_date"]), day, today)
    contact = pending_contact(db, placement_id, contact_kind)
    placement = structure(json.loads(prow["record"]), Placement)
    from employkit.followup.api import resolve_policy

    policy_day = dt.date.fromisoformat(prow["policy_as_of"])
    policy = resolve_policy(rules, prow["policy_id"], policy_day)
    actions = policy.actions(placement, contact["kind"], found, day, rules.context(policy_day))
    explanation = next((a.explanation for a in actions if a.explanation is not None), None)
    cur = db.execute(
        """INSERT INTO outcomes (contact_id, placement_id, outcome, contacted_on, counsellor, note,
           request_key, request, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            contact["contact_id"],
            placement_id,
            found.code,
            day.isoformat(),
            counsellor or prow["counsellor"] or None,
            note,
            key,
            json.dumps(request, ensure_ascii=False) if key is not None else None,
            to_json(explanation) if explanation is not None else None,
        ),
    )
    outcome_id = int(cur.lastrowid or 0)
    db.execute("UPDATE contacts SET status = 'done' WHERE contact_id = ?", (contact["contact_id"],))
    closing: Action | None = None
    for a in actions:
        status = "done" if a.closes else ("open" if a.due_on is not None else "info")
        db.execute(
            """INSERT INTO actions (outcome_id, placement_id, code, label_ko, label_en, due_on, closes,
               result, contact_kind, status, done_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                outcome_id,
                placement_id,
                a.code,
                a.label.ko,
                a.label.en,
                iso(a.due_on),
                int(a.closes),
                a.result,
                a.contact_kind,
                status,
                day.isoformat() if a.closes else None,
            ),
        )
        if a.contact_kind is not None and a.due_on is not None:
            db.execute(
                """INSERT OR IGNORE INTO contacts (placement_id, kind, seq, due_on, nominal_on, label_ko,
                   label_en, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'retry')""",
                (
                    placement_id,
                    a.contact_kind,
                    contact["seq"],
                    a.due_on.isoformat(),
                    a.due_on.isoformat(),
                    f"{contact['label_ko']} ({a.label.ko})",
                    f"{contact['label_en']} ({a.label.en})",
                ),
            )
        if a.closes:
            closing = a
    if closing is not None:
        db.execute(
            "UPDATE placements SET status = 'closed', result = ?, closed_on = ? WHERE placement_id = ?",
            (closing.result, day.isoformat(), placement_id),
        )
        db.execute(
            "UPDATE contacts SET status = 'cancelled' WHERE placement_id = ? AND status = 'pending'",
            (placement_id,),
        )
    else:
        left = db.execute(
            "SELECT COUNT(*) FROM contacts WHERE placement_id = ? AND status = 'pending'", (placement_id,)
        ).fetchone()[0]
        if not left:
            db.execute(
                "UPDATE placements SET status = 'completed', closed_on = ? WHERE placement_id = ?",
                (day.isoformat(), placement_id),
            )
    return read_recorded(db, outcome_id, actions=actions)


def check_date(placement_id: str, start: dt.date, day: dt.date, today: dt.date) -> None:
    """Refuse an outcome dated before the placement started or after ``today`` (the store's clock)."""
    if not start <= day <= today:
        raise OutcomeDateError(
            f"placement {placement_id}: a contact on {day.isoformat()} is outside the allowed dates "
            f"{start.isoformat()} … {today.isoformat()} (사후관리 결과는 취업일부터 오늘까지; "
            "from the placement's start to today); nothing was written"
        )


def keyed(db: sqlite3.Connection, key: str, placement_id: str, request: dict[str, Any]) -> int | None:
    """The outcome a key already recorded for this same request, if any; a conflict otherwise."""
    rows = db.execute(
        """SELECT o.outcome_id, o.placement_id, o.outcome, o.contacted_on, o.counsellor, o.note, o.request,
           c.kind AS contact FROM outcomes o JOIN contacts c USING (contact_id)
           WHERE o.request_key = ? ORDER BY o.placement_id = ? DESC, o.outcome_id""",
        (key, placement_id),
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    used = (
        f"{row['outcome']} on {row['contacted_on']} at {row['contact']} of placement {row['placement_id']} "
        f"(outcome {row['outcome_id']})"
    )
    if row["placement_id"] != placement_id:
        raise IdempotencyConflict(
            f"request key {key!r} was already used for {used}; it cannot record an outcome of placement "
            f"{placement_id}: nothing was written — use a new key for each report (요청 키 중복)"
        )
    given = json.loads(row["request"]) if row["request"] else {}
    differ = []
    for field, value in request.items():
        effective = row["outcome"] if field == "outcome" else row["contacted_on"] if field == "on" else row[field]
        if value == effective or (field in given and value == given[field]) or (not given and value is None):
            continue
        differ.append(field if field == "note" else f"{field} {value!r} (was {effective!r})")
    if differ:
        raise IdempotencyConflict(
            f"request key {key!r} was already used for {used}; this request differs in "
            f"{', '.join(differ)}: nothing was written — use a new key for a new report (요청 키 중복)"
        )
    return int(row["outcome_id"])


def pending_contact(db: sqlite3.Connection, placement_id: str, kind: str | None) -> sqlite3.Row:
    pending = db.execute(
        "SELECT * FROM contacts WHERE placement_id = ? AND status = 'pending' ORDER BY due_on, seq, contact_id",
        (placement_id,),
    ).fetchall()
    if kind is not None:
        for row in pending:
            if row["kind"] == kind:
                chosen: sqlite3.Row = row
                return chosen
        kinds = ", ".join(r["kind"] for r in pending) or "none"
        raise StoreError(f"placement {placement_id} has no pending contact {kind!r}; pending: {kinds}")
    if not pending:
        raise StoreError(f"placement {placement_id} has no pending contact")
    first: sqlite3.Row = pending[0]
    return first


def read_recorded(
    db: sqlite3.Connection,
    outcome_id: int,
    *,
    actions: Sequence[Action] | None = None,
    repeated: bool = False,
) -> Recorded:
    row = db.execute(
        """SELECT o.*, c.kind, p.status, p.result FROM outcomes o JOIN contacts c USING (contact_id)
           JOIN placements p ON p.placement_id = o.placement_id WHERE o.outcome_id = ?""",
        (outcome_id,),
    ).fetchone()
    if actions is None:
        actions = [
            Action(
                code=a["code"],
                label=Text(a["label_ko"], a["label_en"]),
                due_on=_d(a["due_on"]),
                closes=bool(a["closes"]),
                result=a["result"],
                contact_kind=a["contact_kind"],
            )
            for a in db.execute("SELECT * FROM actions WHERE outcome_id = ? ORDER BY action_id", (outcome_id,))
        ]
    return Recorded(
        outcome_id=outcome_id,
        placement_id=row["placement_id"],
        contact_kind=row["kind"],
        outcome=FollowUpOutcome.parse(row["outcome"]),
        contacted_on=dt.date.fromisoformat(row["contacted_on"]),
        actions=tuple(actions),
        status=row["status"],
        result=row["result"],
        repeated=repeated,
    )


def answered(db: sqlite3.Connection, c: FollowUpContact) -> str | None:
    """The kind of the pending contact that a contact recorded elsewhere answers (see ``import_contacts``)."""
    pending = db.execute(
        """SELECT kind, due_on, nominal_on FROM contacts WHERE placement_id = ? AND status = 'pending'
           ORDER BY due_on, seq""",
        (c.placement_id,),
    ).fetchall()
    if c.due_on is not None:
        for row in pending:
            if c.due_on.isoformat() in (row["due_on"], row["nominal_on"]):
                return str(row["kind"])
    for row in pending:
        if row["due_on"] <= c.contacted_on.isoformat():
            return str(row["kind"])
    return None
