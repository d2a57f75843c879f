"""The follow-up store's queries: status, agenda, export, retention feed, verification.

Split from :mod:`employkit.stores.followup`: :class:`StoreQueries` is the reading half of
:class:`~employkit.stores.followup.FollowUpStore`, which inherits it; :func:`locked` is the
store's lock discipline (one call at a time per store object, see the store's module
documentation).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from attrs import evolve, frozen

from employkit.converter import structure
from employkit.followup.retention import DEFAULT_MONTHS, DEFAULT_WINDOW_DAYS, RetentionRow, retention_feed
from employkit.labels import Text
from employkit.model import FollowUpContact, FollowUpOutcome, Placement
from employkit.stores.schema import INVARIANTS, StoreError

if TYPE_CHECKING:
    from employkit.rules import RuleSystem

__all__ = ["AgendaItem", "StoreQueries", "agenda_rows", "locked"]

_P = ParamSpec("_P")
_R = TypeVar("_R")
_S = TypeVar("_S", bound="StoreQueries")


def locked(method: Callable[Concatenate[_S, _P], _R]) -> Callable[Concatenate[_S, _P], _R]:
    """Run a store method holding the store's lock (one call at a time per store object)."""

    @functools.wraps(method)
    def call(self: _S, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            return method(self, *args, **kwargs)

    return call


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


class StoreQueries:
    """What a follow-up store answers without writing (the base of ``FollowUpStore``)."""

    path: Path
    system: RuleSystem | None
    _conn: sqlite3.Connection
    _lock: threading.RLock

    @locked
    def status(self, placement_id: str) -> tuple[str, str | None]:
        """A placement's follow-up status (open, completed, closed) and closing result."""
        row = self._conn.execute(
            "SELECT status, result FROM placements WHERE placement_id = ?", (placement_id,)
        ).fetchone()
        if row is None:
            raise StoreError(f"placement {placement_id!r} is not in the store")
        return str(row["status"]), row["result"]

    @locked
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

    @locked
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

    @locked
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

    @locked
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

    @locked
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

    @locked
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

    @locked
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

    @locked
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

    @locked
    def placements(self) -> list[Placement]:
        """The stored placements."""
        return [
            structure(json.loads(r[0]), Placement)
            for r in self._conn.execute("SELECT record FROM placements ORDER BY placement_id")
        ]

    @locked
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
        day = as_of or dt.date.today()
        window = (
            int(rules.parameter("metrics.retention.window_days", day).value)
            if rules is not None
            else DEFAULT_WINDOW_DAYS
        )
        return retention_feed(self.placements(), self.recorded_contacts(), months, day, window)

    @locked
    def verify(self) -> list[str]:
        """Check the store's integrity and its invariants; return every problem found (none: ``[]``)."""
        problems = [f"sqlite: {r[0]}" for r in self._conn.execute("PRAGMA integrity_check").fetchall() if r[0] != "ok"]
        for what, sql in INVARIANTS:
            problems += [f"{what}: {r[0]}" for r in self._conn.execute(sql).fetchall()]
        return problems
