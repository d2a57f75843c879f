"""The follow-up store's schema: its errors, its migrations, its centre and its invariants.

Split from :mod:`employkit.stores.followup`, which re-exports what is public here. The
schema carries its version (``PRAGMA user_version``); :data:`MIGRATIONS` lists every step,
never edited once released. Version 3 adds the ``meta`` table (the centre the store
belongs to) and scopes request keys to the placement (``UNIQUE (placement_id,
request_key)``), keeping the request as the caller gave it so a reused key can be
compared with its first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from attrs import frozen

from employkit.errors import EmploykitError

__all__ = [
    "INVARIANTS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "IdempotencyConflict",
    "Migration",
    "OutcomeDateError",
    "StoreBusy",
    "StoreError",
    "centre_mismatch",
    "check_tables",
    "migrate",
    "recorded_centre",
]


class StoreError(EmploykitError):
    """The follow-up store cannot do what was asked (unknown placement, closed, newer schema…)."""


class IdempotencyConflict(StoreError):
    """A request key was already used for a different report (another payload or placement).

    Nothing was written; an HTTP layer answers 409 Conflict.
    """


class StoreBusy(StoreError):
    """Another writer held the store for longer than the busy timeout; nothing was written.

    Retrying later is safe; an HTTP layer answers 503 Service Unavailable with Retry-After.
    """


class OutcomeDateError(StoreError):
    """An outcome is dated before its placement started or after today.

    Nothing was written; an HTTP layer answers 422 Unprocessable Content.
    """


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
    Migration(
        3,
        "the centre the store belongs to (meta); request keys scoped to the placement, with the request kept",
        (
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            # SQLite cannot drop a column's UNIQUE: rebuild the table (foreign keys are off
            # while migrating, and checked before the step commits)
            """CREATE TABLE outcomes_v3 (
                outcome_id INTEGER PRIMARY KEY,
                contact_id INTEGER NOT NULL UNIQUE REFERENCES contacts (contact_id),
                placement_id TEXT NOT NULL REFERENCES placements (placement_id),
                outcome TEXT NOT NULL,
                contacted_on TEXT NOT NULL,
                counsellor TEXT,
                note TEXT,
                request_key TEXT,
                request TEXT,
                explanation TEXT,
                UNIQUE (placement_id, request_key)
            )""",
            """INSERT INTO outcomes_v3 (outcome_id, contact_id, placement_id, outcome, contacted_on, counsellor,
               note, request_key, explanation)
               SELECT outcome_id, contact_id, placement_id, outcome, contacted_on, counsellor, note, request_key,
               explanation FROM outcomes""",
            "DROP TABLE outcomes",
            "ALTER TABLE outcomes_v3 RENAME TO outcomes",
            "CREATE INDEX outcomes_request_key ON outcomes (request_key)",
        ),
    ),
)

#: The schema version this code writes.
SCHEMA_VERSION = MIGRATIONS[-1].version

#: What :meth:`~employkit.stores.followup.FollowUpStore.verify` checks: a name, and a query
#: returning one row (a placement and what is wrong) per violation.
INVARIANTS: tuple[tuple[str, str], ...] = (
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


def recorded_centre(db: sqlite3.Connection) -> str | None:
    """The centre key a store records (``None``: a store of schema < 3, or one not yet claimed)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() is None:
        return None
    row = db.execute("SELECT value FROM meta WHERE key = 'centre'").fetchone()
    return None if row is None else str(row[0])


#: The tables every store of the current schema has.
TABLES = frozenset({"meta", "placements", "contacts", "outcomes", "actions"})


def check_tables(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that claims the current schema but lacks its tables."""
    found = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = sorted(TABLES - found)
    if missing:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        raise StoreError(
            f"{path}: claims follow-up store schema {version} but has no {', '.join(missing)} table; "
            "not a store employkit wrote (restore it from a backup, or give another --store)"
        )


def centre_mismatch(path: Path, recorded: str, asked: str) -> StoreError:
    """The error for opening centre ``recorded``'s store as centre ``asked``."""
    return StoreError(
        f"{path}: this follow-up store (사후관리 저장소) belongs to centre {recorded!r}, "
        f"not to {asked!r}; nothing was written. Give each centre its own store "
        "(--store FILE, or [followup] store in that centre's employkit.toml)"
    )


def migrate(db: sqlite3.Connection, path: Path, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Apply the pending steps inside the caller's write transaction; return the version found.

    Foreign keys must be off (a step may rebuild a table); they are checked before returning.
    """
    latest = migrations[-1].version
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    if current > latest:
        raise StoreError(f"{path}: schema version {current} is newer than this employkit knows ({latest}); upgrade")
    for step in migrations:
        if step.version > current:
            for statement in step.statements:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {int(step.version)}")
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise StoreError(f"{path}: {len(broken)} row(s) refer to rows that do not exist (first in {broken[0][0]})")
    return current
