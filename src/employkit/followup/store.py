"""The follow-up store: scheduled contacts, recorded outcomes and their actions, in SQLite.

One file per centre (``[followup] store`` in ``employkit.toml``). It is built to never
lose a recorded contact:

* the database runs in WAL mode with ``synchronous=FULL`` and a busy timeout, so several
  counsellors' processes can write at once and a commit survives a crash;
* every write is one ``BEGIN IMMEDIATE`` transaction: recording an outcome stores the
  outcome, closes the contact, stores the actions it triggers, schedules a retry and
  closes the placement — all or nothing;
* scheduling is idempotent: a contact is keyed by placement and kind, so scheduling the
  same placements again adds nothing; a closed placement gets no new contacts;
* a caller that may repeat a request (a retry after a timeout) passes a ``key``: an
  outcome is stored once per key, and repeating it returns the first answer;
* the schema carries its version (``PRAGMA user_version``); opening an older file
  applies the pending :data:`MIGRATIONS` in one transaction, a newer one is refused.

A placement is followed under the policy and parameters in force on the day it was
scheduled (its ``policy_as_of``), so its schedule and its actions come from one version.

>>> import datetime as dt, tempfile, pathlib
>>> from employkit.model import Placement, EmploymentType
>>> from employkit.rules import RuleSystem
>>> from employkit.followup.api import schedule
>>> system = RuleSystem.build()
>>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
>>> folder = tempfile.mkdtemp()
>>> with FollowUpStore(pathlib.Path(folder) / "followup.sqlite", system=system) as store:
...     store.add_schedules([(p, schedule(p, system))], as_of=dt.date(2016, 3, 2))
...     store.add_schedules([(p, schedule(p, system))], as_of=dt.date(2016, 3, 2))
...     done = store.record("P1", "still_employed", on=dt.date(2016, 3, 2))
...     [i.code for i in store.due(dt.date(2016, 3, 1), dt.date(2016, 3, 31))]
4
0
['week_1']
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from attrs import evolve, frozen

from employkit.converter import structure, to_json, unstructure
from employkit.errors import EmploykitError
from employkit.followup.base import Action, Schedule
from employkit.followup.retention import DEFAULT_MONTHS, RetentionRow, retention_feed
from employkit.labels import Text
from employkit.model import FollowUpContact, FollowUpOutcome, Placement

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AgendaItem",
    "FollowUpStore",
    "Migration",
    "Recorded",
    "StoreError",
    "agenda_rows",
]


class StoreError(EmploykitError):
    """The follow-up store cannot do what was asked (unknown placement, closed, newer schema…)."""


@frozen
class Migration:
    """One step of the schema: the version it brings the file to, and its statements."""

    version: int
    title: str
    statements: tuple[str, ...]


#: Every schema step, in order. Never edit a released step; add a new one.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "placements, contacts, outcomes and actions",
        (
            """CREATE TABLE placements (
                placement_id TEXT PRIMARY KEY,
                seeker_id TEXT NOT NULL,
                employment_type TEXT NOT NULL,
                start_date TEXT NOT NULL,
                contract_end TEXT,
                policy_id TEXT NOT NULL,
                policy_as_of TEXT NOT NULL,
                centre TEXT NOT NULL DEFAULT '',
                counsellor TEXT NOT NULL DEFAULT '',
                status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completed', 'closed')),
                result TEXT,
                closed_on TEXT,
                record TEXT NOT NULL
            )""",
            """CREATE TABLE contacts (
                contact_id INTEGER PRIMARY KEY,
                placement_id TEXT NOT NULL REFERENCES placements (placement_id),
                kind TEXT NOT NULL,
                seq INTEGER NOT NULL,
                due_on TEXT NOT NULL,
                nominal_on TEXT NOT NULL,
                label_ko TEXT NOT NULL,
                label_en TEXT NOT NULL,
                origin TEXT NOT NULL CHECK (origin IN ('schedule', 'retry')),
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled')),
                UNIQUE (placement_id, kind)
            )""",
            """CREATE TABLE outcomes (
                outcome_id INTEGER PRIMARY KEY,
                contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts (contact_id),
                placement_id TEXT NOT NULL REFERENCES placements (placement_id),
                outcome TEXT NOT NULL,
                contacted_on TEXT NOT NULL,
                counsellor TEXT,
                note TEXT,
                request_key TEXT UNIQUE,
                explanation TEXT
            )""",
            """CREATE TABLE actions (
                action_id INTEGER PRIMARY KEY,
                outcome_id INTEGER NOT NULL REFERENCES outcomes (outcome_id),
                placement_id TEXT NOT NULL REFERENCES placements (placement_id),
                code TEXT NOT NULL,
                label_ko TEXT NOT NULL,
                label_en TEXT NOT NULL,
                due_on TEXT,
                closes INTEGER NOT NULL DEFAULT 0,
                result TEXT,
                contact_kind TEXT,
                status TEXT NOT NULL CHECK (status IN ('open', 'done', 'info'))
            )""",
            "CREATE INDEX contacts_due ON contacts (status, due_on)",
            "CREATE INDEX actions_placement ON actions (placement_id)",
        ),
    ),
    Migration(
        2,
        "actions are marked done on a date; indexes for recording and for the agenda by counsellor",
        (
            "ALTER TABLE actions ADD COLUMN done_on TEXT",
            "CREATE INDEX contacts_placement ON contacts (placement_id, status, due_on)",
            "CREATE INDEX actions_due ON actions (status, due_on)",
            "CREATE INDEX placements_counsellor ON placements (centre, counsellor)",
        ),
    ),
)

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version


@frozen(kw_only=True)
class Recorded:
    """The result of :meth:`FollowUpStore.record`."""

    outcome_id: int
    placement_id: str
    contact_kind: str
    outcome: FollowUpOutcome
    contacted_on: dt.date
    actions: tuple[Action, ...]
    status: str  # the placement's follow-up: open, completed or closed
    result: str | None = None
    repeated: bool = False  # the key was already recorded; nothing was written


@frozen(kw_only=True)
class AgendaItem:
    """A contact to make or an action to do, for the agenda of a centre or counsellor."""

    item: str  # "contact" or "action"
    ref: int  # contact_id or action_id
    placement_id: str
    seeker_id: str
    employment_type: str
    centre: str
    counsellor: str
    code: str  # contact kind or action code
    label: Text
    due_on: dt.date
    overdue: bool = False

    def as_dict(self) -> dict[str, Any]:
        """A flat row for CSV, JSON or a table."""
        return {
            "due_on": self.due_on.isoformat(),
            "overdue": self.overdue,
            "centre": self.centre,
            "counsellor": self.counsellor,
            "placement_id": self.placement_id,
            "seeker_id": self.seeker_id,
            "employment_type": self.employment_type,
            "item": self.item,
            "code": self.code,
            "label_ko": self.label.ko,
            "label_en": self.label.en,
            "ref": self.ref,
        }


def agenda_rows(items: Iterable[AgendaItem]) -> list[dict[str, Any]]:
    """:meth:`AgendaItem.as_dict` of every item."""
    return [i.as_dict() for i in items]


def _d(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


class FollowUpStore:
    """A follow-up store in one SQLite file (created on first use).

    ``system`` is the rule system used to record outcomes (the policies decide the
    actions); reading the agenda, exporting and the retention feed need none.
    ``timeout`` is how long a write waits for another writer, in seconds.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        system: RuleSystem | None = None,
        timeout: float = 30.0,
        synchronous: str = "FULL",
    ) -> None:
        self.path = Path(path)
        self.system = system
        if synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
            raise ValueError("synchronous must be FULL, NORMAL or EXTRA")
        try:
            if self.path.parent and not self.path.parent.exists():
                raise StoreError(f"{self.path}: the folder {self.path.parent} does not exist")
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch the database to WAL mode (got {mode})")
            self._conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable follow-up store: {exc}") from None

    # ------------------------------------------------------------------ plumbing

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> FollowUpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> None:
        latest = migrations[-1].version
        if self.schema_version == latest:
            return
        with self._write() as db:
            current = int(db.execute("PRAGMA user_version").fetchone()[0])
            if current > latest:
                raise StoreError(
                    f"{self.path}: schema version {current} is newer than this employkit knows ({latest}); upgrade"
                )
            for step in migrations:
                if step.version > current:
                    for statement in step.statements:
                        db.execute(statement)
                    db.execute(f"PRAGMA user_version = {int(step.version)}")

    def _system(self, system: RuleSystem | None) -> RuleSystem:
        found = system or self.system
        if found is None:
            raise StoreError("recording an outcome needs the rule system (FollowUpStore(..., system=...))")
        return found

    # ------------------------------------------------------------------ scheduling

    def add_schedules(
        self,
        items: Iterable[tuple[Placement, Schedule]],
        *,
        centre: str = "",
        counsellor: str | None = None,
        as_of: dt.date | None = None,
    ) -> int:
        """Store placements and their scheduled contacts; return how many contacts were new.

        Idempotent: a placement already stored keeps its policy and record, a contact
        already stored (same placement and kind) is left as it is, and a closed
        placement gets no new contacts. ``as_of`` is the date the policy was read on
        (default today). The counsellor is ``counsellor``, else the placement's
        ``counsellor`` extra column. One transaction for all.
        """
        day = (as_of or dt.date.today()).isoformat()
        added = 0
        with self._write() as db:
            for placement, sched in items:
                if sched.placement_id != placement.placement_id:
                    raise StoreError(f"schedule of {sched.placement_id} given for placement {placement.placement_id}")
                who = counsellor if counsellor is not None else str(placement.extra.get("counsellor") or "")
                db.execute(
                    """INSERT OR IGNORE INTO placements (placement_id, seeker_id, employment_type, start_date,
                       contract_end, policy_id, policy_as_of, centre, counsellor, record)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        placement.placement_id,
                        placement.seeker_id,
                        placement.employment_type.code,
                        placement.start_date.isoformat(),
                        _iso(placement.contract_end),
                        sched.policy_id,
                        day,
                        centre,
                        who,
                        json.dumps(unstructure(placement), ensure_ascii=False),
                    ),
                )
                status = db.execute(
                    "SELECT status FROM placements WHERE placement_id = ?", (placement.placement_id,)
                ).fetchone()[0]
                if status == "closed":
                    continue
                new = 0
                for seq, c in enumerate(sched.contacts, 1):
                    cur = db.execute(
                        """INSERT OR IGNORE INTO contacts (placement_id, kind, seq, due_on, nominal_on, label_ko,
                           label_en, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'schedule')""",
                        (
                            c.placement_id,
                            c.kind,
                            seq,
                            c.due_on.isoformat(),
                            c.nominal_on.isoformat(),
                            c.label.ko,
                            c.label.en,
                        ),
                    )
                    new += cur.rowcount
                if new and status == "completed":
                    db.execute(
                        "UPDATE placements SET status = 'open', closed_on = NULL WHERE placement_id = ?",
                        (placement.placement_id,),
                    )
                added += new
        return added

    def assign(self, placement_id: str, counsellor: str) -> None:
        """Make ``counsellor`` responsible for a placement's follow-up."""
        with self._write() as db:
            cur = db.execute("UPDATE placements SET counsellor = ? WHERE placement_id = ?", (counsellor, placement_id))
            if cur.rowcount == 0:
                raise StoreError(f"placement {placement_id!r} is not in the store")

    # ------------------------------------------------------------------ recording

    def record(
        self,
        placement_id: str,
        outcome: FollowUpOutcome | str,
        *,
        on: dt.date | None = None,
        contact_kind: str | None = None,
        counsellor: str | None = None,
        note: str | None = None,
        key: str | None = None,
        system: RuleSystem | None = None,
    ) -> Recorded:
        """Record what a contact found, and schedule what it triggers — one transaction.

        The contact is ``contact_kind`` if given, else the placement's earliest pending
        one. The policy the placement was scheduled with decides the actions: tasks are
        stored for the agenda, a retry becomes a new contact, a closing action closes
        the placement and cancels its pending contacts. When nothing is left pending the
        follow-up is ``completed``. With ``key``, a repeated call returns the first
        result and writes nothing.
        """
        found = outcome if isinstance(outcome, FollowUpOutcome) else _outcome(outcome)
        rules = self._system(system)
        with self._write() as db:
            return self._record_in(
                db, rules, placement_id, found, on or dt.date.today(), contact_kind, counsellor, note, key
            )

    def _record_in(
        self,
        db: sqlite3.Connection,
        rules: RuleSystem,
        placement_id: str,
        found: FollowUpOutcome,
        day: dt.date,
        contact_kind: str | None,
        counsellor: str | None,
        note: str | None,
        key: str | None,
    ) -> Recorded:
        """The body of :meth:`record`, inside the caller's write transaction."""
        from employkit.privacy import refuse_rrn

        refuse_rrn(note, where="note")
        refuse_rrn(counsellor, where="counsellor")
        if key is not None:
            row = db.execute("SELECT outcome_id FROM outcomes WHERE request_key = ?", (key,)).fetchone()
            if row is not None:
                return self._recorded(db, int(row[0]), repeated=True)
        prow = db.execute("SELECT * FROM placements WHERE placement_id = ?", (placement_id,)).fetchone()
        if prow is None:
            raise StoreError(f"placement {placement_id!r} is not in the store; schedule it first")
        if prow["status"] == "closed":
            raise StoreError(
                f"follow-up of {placement_id} closed on {prow['closed_on']} ({prow['result']}); nothing to record"
            )
        contact = self._pending_contact(db, placement_id, contact_kind)
        placement = structure(json.loads(prow["record"]), Placement)
        from employkit.followup.api import resolve_policy

        policy_day = dt.date.fromisoformat(prow["policy_as_of"])
        policy = resolve_policy(rules, prow["policy_id"], policy_day)
        actions = policy.actions(placement, contact["kind"], found, day, rules.context(policy_day))
        explanation = next((a.explanation for a in actions if a.explanation is not None), None)
        cur = db.execute(
            """INSERT INTO outcomes (contact_id, placement_id, outcome, contacted_on, counsellor, note,
               request_key, explanation) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                contact["contact_id"],
                placement_id,
                found.code,
                day.isoformat(),
                counsellor or prow["counsellor"] or None,
                note,
                key,
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
                    _iso(a.due_on),
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
        return self._recorded(db, outcome_id, actions=actions)

    def _pending_contact(self, db: sqlite3.Connection, placement_id: str, kind: str | None) -> sqlite3.Row:
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

    def _recorded(
        self,
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

    def complete_action(self, action_id: int, on: dt.date | None = None) -> None:
        """Mark an open action (re-registration, referral…) done."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE actions SET status = 'done', done_on = ? WHERE action_id = ? AND status = 'open'",
                ((on or dt.date.today()).isoformat(), action_id),
            )
            if cur.rowcount == 0:
                raise StoreError(f"no open action {action_id}")

    def import_contacts(
        self, contacts: Iterable[FollowUpContact], system: RuleSystem | None = None
    ) -> tuple[int, list[str]]:
        """Store contacts recorded elsewhere (a dataset's ``followups``) as outcomes.

        Each lands on the pending contact it answers: the one whose date (due or nominal)
        is its ``due_on``, else the earliest pending one due by ``contacted_on``. Each is
        keyed by placement, date and outcome, so importing again adds nothing. Returns
        the number newly stored and the reasons for those left out.
        """
        rules = self._system(system)
        added = 0
        skipped: list[str] = []
        with self._write() as db:
            for c in sorted(contacts, key=lambda c: (c.placement_id, c.contacted_on)):
                key = f"import:{c.placement_id}:{c.contacted_on.isoformat()}:{c.outcome.code}"
                if db.execute("SELECT 1 FROM outcomes WHERE request_key = ?", (key,)).fetchone():
                    continue
                kind = self._answered(c)
                if kind is None:
                    skipped.append(f"{c.placement_id} {c.contacted_on.isoformat()}: no pending contact it answers")
                    continue
                db.execute("SAVEPOINT import_one")
                try:
                    self._record_in(
                        db, rules, c.placement_id, c.outcome, c.contacted_on, kind, c.counsellor, c.note, key
                    )
                except StoreError as exc:
                    db.execute("ROLLBACK TO import_one")
                    skipped.append(f"{c.placement_id} {c.contacted_on.isoformat()}: {exc}")
                    continue
                finally:
                    db.execute("RELEASE import_one")
                added += 1
        return added, skipped

    def _answered(self, c: FollowUpContact) -> str | None:
        pending = self._conn.execute(
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

    # ------------------------------------------------------------------ reading

    def status(self, placement_id: str) -> tuple[str, str | None]:
        """A placement's follow-up status (open, completed, closed) and closing result."""
        row = self._conn.execute(
            "SELECT status, result FROM placements WHERE placement_id = ?", (placement_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"placement {placement_id!r} is not in the store")
        return str(row["status"]), row["result"]

    def contacts(self, placement_id: str) -> list[dict[str, Any]]:
        """A placement's contacts in order, with their outcomes where recorded."""
        return [
            dict(r)
            for r in self._conn.execute(
                """SELECT c.kind, c.due_on, c.nominal_on, c.status, c.origin, o.outcome, o.contacted_on
                   FROM contacts c LEFT JOIN outcomes o USING (contact_id)
                   WHERE c.placement_id = ? ORDER BY c.due_on, c.seq, c.contact_id""",
                (placement_id,),
            )
        ]

    def actions(self, placement_id: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """Stored actions (all, or one placement's; optionally by status), oldest first."""
        sql = "SELECT * FROM actions WHERE 1 = 1"
        args: list[Any] = []
        if placement_id is not None:
            sql += " AND placement_id = ?"
            args.append(placement_id)
        if status is not None:
            sql += " AND status = ?"
            args.append(status)
        return [dict(r) for r in self._conn.execute(sql + " ORDER BY action_id", args)]

    def counts(self) -> dict[str, int]:
        """Placements by follow-up status, and contacts, outcomes and open actions."""
        out = {"open": 0, "completed": 0, "closed": 0}
        for row in self._conn.execute("SELECT status, COUNT(*) FROM placements GROUP BY status"):
            out[row[0]] = int(row[1])
        for name, sql in (
            ("contacts", "SELECT COUNT(*) FROM contacts"),
            ("pending", "SELECT COUNT(*) FROM contacts WHERE status = 'pending'"),
            ("outcomes", "SELECT COUNT(*) FROM outcomes"),
            ("open_actions", "SELECT COUNT(*) FROM actions WHERE status = 'open'"),
        ):
            out[name] = int(self._conn.execute(sql).fetchone()[0])
        return out

    def due(
        self,
        start: dt.date,
        end: dt.date,
        *,
        centre: str | None = None,
        counsellor: str | None = None,
        actions: bool = True,
    ) -> list[AgendaItem]:
        """Pending contacts (and open actions) due from ``start`` to ``end``, both included."""
        return self._agenda(
            "c.due_on BETWEEN ? AND ?", [start.isoformat(), end.isoformat()], centre, counsellor, actions
        )

    def overdue(
        self,
        as_of: dt.date,
        *,
        centre: str | None = None,
        counsellor: str | None = None,
        actions: bool = True,
    ) -> list[AgendaItem]:
        """Pending contacts (and open actions) due before ``as_of``, marked overdue."""
        return [
            evolve(i, overdue=True)
            for i in self._agenda("c.due_on < ?", [as_of.isoformat()], centre, counsellor, actions)
        ]

    def agenda(
        self,
        start: dt.date,
        end: dt.date,
        *,
        centre: str | None = None,
        counsellor: str | None = None,
        overdue: bool = True,
    ) -> list[AgendaItem]:
        """The overdue items (before ``start``) then those due in the window, by centre and counsellor."""
        items = self.overdue(start, centre=centre, counsellor=counsellor) if overdue else []
        items += self.due(start, end, centre=centre, counsellor=counsellor)
        return sorted(items, key=lambda i: (i.centre, i.counsellor, not i.overdue, i.due_on, i.placement_id, i.ref))

    def _agenda(
        self, when: str, args: list[Any], centre: str | None, counsellor: str | None, actions: bool
    ) -> list[AgendaItem]:
        who = ""
        extra: list[Any] = []
        if centre is not None:
            who += " AND p.centre = ?"
            extra.append(centre)
        if counsellor is not None:
            who += " AND p.counsellor = ?"
            extra.append(counsellor)
        sql = f"""SELECT 'contact' AS item, c.contact_id AS ref, c.kind AS code, c.label_ko, c.label_en, c.due_on,
                  p.placement_id, p.seeker_id, p.employment_type, p.centre, p.counsellor
                  FROM contacts c JOIN placements p USING (placement_id)
                  WHERE c.status = 'pending' AND {when}{who}"""
        params = args + extra
        if actions:
            sql += f""" UNION ALL SELECT 'action', c.action_id, c.code, c.label_ko, c.label_en, c.due_on,
                  p.placement_id, p.seeker_id, p.employment_type, p.centre, p.counsellor
                  FROM actions c JOIN placements p USING (placement_id)
                  WHERE c.status = 'open' AND c.contact_kind IS NULL AND {when}{who}"""
            params += args + extra
        rows = self._conn.execute(sql + " ORDER BY 6, 7, 1, 2", params).fetchall()
        return [
            AgendaItem(
                item=r["item"],
                ref=int(r["ref"]),
                placement_id=r["placement_id"],
                seeker_id=r["seeker_id"],
                employment_type=r["employment_type"],
                centre=r["centre"],
                counsellor=r["counsellor"],
                code=r["code"],
                label=Text(r["label_ko"], r["label_en"]),
                due_on=dt.date.fromisoformat(r["due_on"]),
            )
            for r in rows
        ]

    def history_rows(self) -> list[dict[str, Any]]:
        """Every contact with its outcome, for export (CSV/JSON)."""
        return [
            dict(r)
            for r in self._conn.execute(
                """SELECT p.centre, p.counsellor, c.placement_id, p.employment_type, p.policy_id, c.kind, c.origin,
                   c.nominal_on, c.due_on, c.status, o.outcome, o.contacted_on, o.counsellor AS recorded_by, o.note,
                   p.status AS followup_status, p.result AS followup_result
                   FROM contacts c JOIN placements p USING (placement_id) LEFT JOIN outcomes o USING (contact_id)
                   ORDER BY p.centre, c.placement_id, c.due_on, c.seq, c.contact_id"""
            )
        ]

    def recorded_contacts(self) -> list[FollowUpContact]:
        """Every recorded outcome as a :class:`~employkit.model.FollowUpContact` (for KPIs and datasets)."""
        return [
            FollowUpContact(
                placement_id=r["placement_id"],
                contacted_on=dt.date.fromisoformat(r["contacted_on"]),
                outcome=FollowUpOutcome.parse(r["outcome"]),
                due_on=dt.date.fromisoformat(r["due_on"]),
                note=r["note"],
                counsellor=r["counsellor"],
            )
            for r in self._conn.execute(
                """SELECT o.*, c.due_on FROM outcomes o JOIN contacts c USING (contact_id)
                   ORDER BY o.placement_id, o.contacted_on, o.outcome_id"""
            )
        ]

    def placements(self) -> list[Placement]:
        """The stored placements."""
        return [
            structure(json.loads(r[0]), Placement)
            for r in self._conn.execute("SELECT record FROM placements ORDER BY placement_id")
        ]

    def retention(
        self, months: Sequence[int] | None = None, as_of: dt.date | None = None, system: RuleSystem | None = None
    ) -> list[RetentionRow]:
        """The retention feed of the stored placements (see :mod:`employkit.followup.retention`).

        ``months`` defaults to the parameter ``followup.retention.months`` when a rule
        system is at hand, else 1, 3, 6 and 12.
        """
        rules = system or self.system
        if months is None:
            months = (
                tuple(rules.parameter("followup.retention.months", as_of or dt.date.today()).value)
                if rules is not None
                else DEFAULT_MONTHS
            )
        return retention_feed(self.placements(), self.recorded_contacts(), months, as_of)

    def verify(self) -> list[str]:
        """Check the store's integrity and its invariants; return every problem found (none: ``[]``)."""
        problems = [f"sqlite: {r[0]}" for r in self._conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        checks = (
            (
                "contact done without an outcome",
                """SELECT c.placement_id || ' ' || c.kind FROM contacts c LEFT JOIN outcomes o USING (contact_id)
                   WHERE c.status = 'done' AND o.outcome_id IS NULL""",
            ),
            (
                "outcome on a contact not done",
                """SELECT o.placement_id || ' ' || c.kind FROM outcomes o JOIN contacts c USING (contact_id)
                   WHERE c.status != 'done'""",
            ),
            (
                "outcome without an action",
                """SELECT o.placement_id || ' ' || o.outcome_id FROM outcomes o
                   WHERE NOT EXISTS (SELECT 1 FROM actions a WHERE a.outcome_id = o.outcome_id)""",
            ),
            (
                "retry without its contact",
                """SELECT a.placement_id || ' ' || a.contact_kind FROM actions a WHERE a.contact_kind IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.placement_id = a.placement_id
                   AND c.kind = a.contact_kind)""",
            ),
            (
                "closed placement with a pending contact",
                """SELECT DISTINCT p.placement_id FROM placements p JOIN contacts c USING (placement_id)
                   WHERE p.status = 'closed' AND c.status = 'pending'""",
            ),
            (
                "closing action on a placement not closed",
                """SELECT a.placement_id FROM actions a JOIN placements p USING (placement_id)
                   WHERE a.closes = 1 AND p.status != 'closed'""",
            ),
            (
                "open placement with nothing pending",
                """SELECT p.placement_id FROM placements p WHERE p.status = 'open' AND EXISTS
                   (SELECT 1 FROM outcomes o WHERE o.placement_id = p.placement_id) AND NOT EXISTS
                   (SELECT 1 FROM contacts c WHERE c.placement_id = p.placement_id AND c.status = 'pending')""",
            ),
        )
        for what, sql in checks:
            problems += [f"{what}: {r[0]}" for r in self._conn.execute(sql).fetchall()]
        return problems


def _outcome(text: str) -> FollowUpOutcome:
    try:
        return FollowUpOutcome.parse(text)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
