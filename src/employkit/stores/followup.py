"""The follow-up store: scheduled contacts, recorded outcomes and their actions, in SQLite.

One file per centre: the store records the key of the centre it belongs to
(:attr:`FollowUpStore.centre`) and refuses to be opened as another centre's. Its default
place is :func:`employkit.stores.paths.default_store_path`. It is built to never lose a
recorded contact:

* the database runs in WAL mode with ``synchronous=FULL`` and a busy timeout, so several
  counsellors' processes can write at once and a commit survives a crash;
* every write is one ``BEGIN IMMEDIATE`` transaction: recording an outcome stores the
  outcome, closes the contact, stores the actions it triggers, schedules a retry and
  closes the placement — all or nothing;
* scheduling is idempotent: a contact is keyed by placement and kind, so scheduling the
  same placements again adds nothing; a closed placement gets no new contacts;
* a caller that may repeat a request (a retry after a timeout) passes a ``key``: an
  outcome is stored once per key and placement, and repeating the same request returns
  the first answer; the same key with another payload, or for another placement, is
  refused (:class:`IdempotencyConflict`) rather than silently dropping a report;
* an outcome dated before its placement started or after today is refused
  (:class:`OutcomeDateError`);
* the schema carries its version (``PRAGMA user_version``); opening an older file
  applies the pending :data:`MIGRATIONS` in one transaction, a newer one is refused.

**Threads and processes.** One :class:`FollowUpStore` may be shared by the threads of a
process: it holds one connection (opened with ``check_same_thread=False``) and every call
takes the store's lock, so calls on one object run one at a time and a transaction is
never interleaved with another thread's statements. Separate processes (or separate
store objects) on the same file are serialised by SQLite itself: a writer waits up to
``timeout`` seconds for another (the busy timeout) instead of failing with "database is
locked". A server therefore shares one store object per centre between its threads, and
runs as many worker processes as it likes.

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
>>> with FollowUpStore(pathlib.Path(folder) / "followup.sqlite", system=system, centre="11140-중구") as store:
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
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from employkit.converter import unstructure
from employkit.errors import InvalidArgument
from employkit.followup.base import Schedule
from employkit.model import FollowUpContact, FollowUpOutcome, Placement
from employkit.stores.paths import default_store_path
from employkit.stores.queries import AgendaItem, StoreQueries, agenda_rows, locked
from employkit.stores.recording import (
    Recorded,
    answered,
    check_date,
    iso,
    parse_outcome,
    record_outcome,
)
from employkit.stores.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    IdempotencyConflict,
    Migration,
    OutcomeDateError,
    StoreBusy,
    StoreError,
    centre_mismatch,
    check_tables,
    migrate,
    recorded_centre,
)

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "AgendaItem",
    "FollowUpStore",
    "IdempotencyConflict",
    "Migration",
    "OutcomeDateError",
    "Recorded",
    "StoreBusy",
    "StoreError",
    "agenda_rows",
    "default_store_path",
]


class FollowUpStore(StoreQueries):
    """A follow-up store in one SQLite file (created on first use), belonging to one centre.

    ``system`` is the rule system used to record outcomes (the policies decide the
    actions); reading the agenda, exporting and the retention feed need none.
    ``centre`` is the key of the centre opening the store (see
    :attr:`employkit.model.Centre.key`): a new store records it, a store of
    another centre is refused with a :class:`StoreError` before anything is written, and
    a store that records no centre yet (one made before schema 3, or opened without a
    centre) adopts it (:attr:`adopted`). ``centre=None`` opens any store and records
    nothing — for tools that only read. ``timeout`` is how long a write waits for
    another writer, in seconds. ``today`` fixes the store's clock (the latest date an
    outcome may have, and the default date of a contact); by default it is the real
    date at each call.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        system: RuleSystem | None = None,
        centre: str | None = None,
        timeout: float = 30.0,
        synchronous: str = "FULL",
        today: dt.date | None = None,
    ) -> None:
        self.path = Path(path)
        self.system = system
        self.timeout = timeout
        self._today = today
        self._lock = threading.RLock()
        self._centre: str | None = None
        self._adopted = False
        if synchronous.upper() not in {"FULL", "NORMAL", "EXTRA"}:
            raise InvalidArgument("synchronous must be FULL, NORMAL or EXTRA")
        if centre is not None and (not isinstance(centre, str) or not centre.strip()):
            raise StoreError(f"{self.path}: the centre key must be a non-empty string, got {centre!r}")
        if self.path.parent and not self.path.parent.exists():
            raise StoreError(f"{self.path}: the folder {self.path.parent} does not exist")
        try:
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the follow-up store: {exc}") from None
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            mode = self._conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{self.path}: cannot switch the database to WAL mode (got {mode})")
            self._conn.execute(f"PRAGMA synchronous = {synchronous.upper()}")
            self._open(centre)
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{self.path}: not a usable follow-up store: {exc}") from None
        except BaseException:
            self._conn.close()
            raise

    def _open(self, centre: str | None) -> None:
        """Check the centre, migrate and adopt — writing only when there is something to write."""
        db = self._conn
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        recorded = recorded_centre(db) if version >= 3 else None
        if centre is not None and recorded is not None and recorded != centre:
            raise centre_mismatch(self.path, recorded, centre)
        if version == SCHEMA_VERSION and (centre is None or recorded == centre):
            check_tables(db, self.path)
            self._centre = recorded
            return
        with self._write() as db:  # foreign keys are still off: a step may rebuild a table
            recorded = recorded_centre(db)
            if centre is not None and recorded is not None and recorded != centre:
                raise centre_mismatch(self.path, recorded, centre)
            found = migrate(db, self.path)
            check_tables(db, self.path)
            if centre is not None and recorded is None:
                db.execute("INSERT INTO meta (key, value) VALUES ('centre', ?)", (centre,))
                recorded = centre
                self._adopted = found > 0  # a store that existed without a centre
        self._centre = recorded

    # ------------------------------------------------------------------ plumbing

    @property
    def centre(self) -> str | None:
        """The key of the centre this store belongs to (``None``: not recorded yet)."""
        return self._centre

    @property
    def adopted(self) -> bool:
        """True when this opening recorded the centre in a store that existed without one."""
        return self._adopted

    def today(self) -> dt.date:
        """The store's clock: the date given to the constructor, else the real date."""
        return self._today or dt.date.today()

    @locked
    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def __enter__(self) -> FollowUpStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the store's lock: committed whole, or rolled back whole."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise StoreBusy(
                    f"{self.path}: could not start writing within {self.timeout:g} s "
                    f"(another writer holds the store, or it is read-only): {exc}"
                ) from None
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        """The file's schema version (``PRAGMA user_version``)."""
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _system(self, system: RuleSystem | None) -> RuleSystem:
        found = system or self.system
        if found is None:
            raise StoreError("recording an outcome needs the rule system (FollowUpStore(..., system=...))")
        return found

    # ------------------------------------------------------------------ scheduling

    @locked
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
        (default: the store's :meth:`today`). The counsellor is ``counsellor``, else the placement's
        ``counsellor`` extra column. One transaction for all.
        """
        day = (as_of or self.today()).isoformat()
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
                        iso(placement.contract_end),
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

    @locked
    def assign(self, placement_id: str, counsellor: str) -> None:
        """Make ``counsellor`` responsible for a placement's follow-up."""
        with self._write() as db:
            cur = db.execute("UPDATE placements SET counsellor = ? WHERE placement_id = ?", (counsellor, placement_id))
            if cur.rowcount == 0:
                raise StoreError(f"placement {placement_id!r} is not in the store")

    # ------------------------------------------------------------------ recording

    @locked
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
        one, on ``on`` (default: the store's :meth:`today`), which must lie between the
        placement's start and today (else :class:`OutcomeDateError`). The policy the
        placement was scheduled with decides the actions: tasks are stored for the
        agenda, a retry becomes a new contact, a closing action closes the placement and
        cancels its pending contacts. When nothing is left pending the follow-up is
        ``completed``.

        With ``key``, the request is recorded once: the same key for the same placement
        with the same payload returns the first answer (``repeated=True``) and writes
        nothing, even once the placement has moved on; the same key with another
        outcome, date, contact, counsellor or note, or for another placement, raises
        :class:`IdempotencyConflict` naming what the key was used for. A field left out
        (``None``) matches what it resolved to the first time.
        """
        found = outcome if isinstance(outcome, FollowUpOutcome) else parse_outcome(outcome)
        rules = self._system(system)
        with self._write() as db:
            return record_outcome(
                db,
                rules,
                placement_id,
                found,
                on=on,
                contact_kind=contact_kind,
                counsellor=counsellor,
                note=note,
                key=key,
                today=self.today(),
            )

    @locked
    def complete_action(self, action_id: int, on: dt.date | None = None) -> None:
        """Mark an open action (re-registration, referral…) done."""
        with self._write() as db:
            cur = db.execute(
                "UPDATE actions SET status = 'done', done_on = ? WHERE action_id = ? AND status = 'open'",
                ((on or self.today()).isoformat(), action_id),
            )
            if cur.rowcount == 0:
                raise StoreError(f"no open action {action_id}")

    @locked
    def import_contacts(
        self, contacts: Iterable[FollowUpContact], system: RuleSystem | None = None
    ) -> tuple[int, list[str]]:
        """Store contacts recorded elsewhere (a dataset's ``followups``) as outcomes.

        Each lands on the pending contact it answers: the one whose date (due or nominal)
        is its ``due_on``, else the earliest pending one due by ``contacted_on``. Each is
        keyed by placement, date and outcome, so importing again adds nothing. Dates are
        checked as :meth:`record` checks them (a contact before its placement started,
        or after today, is left out). Returns the number newly stored and the reasons
        for those left out.
        """
        rules = self._system(system)
        today = self.today()
        added = 0
        skipped: list[str] = []
        with self._write() as db:
            for c in sorted(contacts, key=lambda c: (c.placement_id, c.contacted_on)):
                key = f"import:{c.placement_id}:{c.contacted_on.isoformat()}:{c.outcome.code}"
                if db.execute(
                    "SELECT 1 FROM outcomes WHERE placement_id = ? AND request_key = ?", (c.placement_id, key)
                ).fetchone():
                    continue
                start = db.execute(
                    "SELECT start_date FROM placements WHERE placement_id = ?", (c.placement_id,)
                ).fetchone()
                if start is not None:
                    try:
                        check_date(c.placement_id, dt.date.fromisoformat(start[0]), c.contacted_on, today)
                    except OutcomeDateError as exc:
                        skipped.append(f"{c.placement_id} {c.contacted_on.isoformat()}: {exc}")
                        continue
                kind = answered(db, c)
                if kind is None:
                    skipped.append(f"{c.placement_id} {c.contacted_on.isoformat()}: no pending contact it answers")
                    continue
                db.execute("SAVEPOINT import_one")
                try:
                    record_outcome(
                        db,
                        rules,
                        c.placement_id,
                        c.outcome,
                        on=c.contacted_on,
                        contact_kind=kind,
                        counsellor=c.counsellor,
                        note=c.note,
                        key=key,
                        today=today,
                    )
                except StoreError as exc:
                    db.execute("ROLLBACK TO import_one")
                    skipped.append(f"{c.placement_id} {c.contacted_on.isoformat()}: {exc}")
                    continue
                finally:
                    db.execute("RELEASE import_one")
                added += 1
        return added, skipped
