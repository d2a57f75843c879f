"""What a follow-up policy is, and what it returns.

A policy (registered through ``employkit_followup_policies``) answers two questions:
which contacts a placement gets (:meth:`FollowUpPolicy.schedule`) and what an outcome
recorded at one of them triggers (:meth:`FollowUpPolicy.actions`). Both are pure: they
read the rule system's parameters and business calendar through an
:class:`~employkit.rules.EvalContext`, never a store.

A contact that could not be made is retried under a derived kind: the second attempt at
``month_3`` is ``month_3:retry1`` (see :func:`retry_kind` and :func:`split_kind`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.errors import InvalidArgument
from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.model import FollowUpOutcome, Placement
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["Action", "FollowUpPolicy", "Schedule", "ScheduledContact", "retry_kind", "split_kind"]

_RETRY = ":retry"


def retry_kind(kind: str, attempt: int) -> str:
    """The kind of the ``attempt``-th retry of a contact (``attempt`` ≥ 1).

    >>> retry_kind("month_3", 2)
    'month_3:retry2'
    >>> retry_kind("month_3:retry1", 2)
    'month_3:retry2'
    """
    if attempt < 1:
        raise InvalidArgument(f"a retry attempt counts from 1, got {attempt}")
    return f"{split_kind(kind)[0]}{_RETRY}{attempt}"


def split_kind(kind: str) -> tuple[str, int]:
    """A contact kind's scheduled kind and retry attempt (0 for the scheduled contact).

    >>> split_kind("pre_contract_end:retry1")
    ('pre_contract_end', 1)
    >>> split_kind("week_1")
    ('week_1', 0)
    """
    base, sep, attempt = kind.partition(_RETRY)
    if sep and attempt.isdigit():
        return base, int(attempt)
    return kind, 0


@frozen(kw_only=True)
class ScheduledContact:
    """A contact due after a placement.

    ``nominal_on`` is the date the policy names (start + offset, or contract end − lead
    time); ``due_on`` is the business day it moves to. ``before_end`` marks a check
    that must happen before the contract ends (it moves back, not forward);
    ``moved_because`` names the holiday or weekend that moved it.
    """

    placement_id: str
    due_on: dt.date
    kind: str  # e.g. "start_day", "week_1", "month_3", "pre_contract_end"
    label: Text
    nominal_on: dt.date  # the date before moving off weekends and holidays
    before_end: bool = False
    moved_because: Text | None = None


def _contacts(values: Iterable[ScheduledContact]) -> tuple[ScheduledContact, ...]:
    return tuple(values)


@frozen(kw_only=True)
class Schedule:
    """The contacts a policy plans for one placement, in date order."""

    placement_id: str
    policy_id: str
    contacts: tuple[ScheduledContact, ...] = field(converter=_contacts)
    explanation: Explanation

    def kinds(self) -> tuple[str, ...]:
        """The contact kinds, in date order."""
        return tuple(c.kind for c in self.contacts)

    def dates(self) -> tuple[dt.date, ...]:
        """The due dates, in order."""
        return tuple(c.due_on for c in self.contacts)


@frozen(kw_only=True)
class Action:
    """What a recorded outcome triggers (close, re-register, training referral…).

    ``due_on`` is set for a task a counsellor must do (re-registration, a referral, a
    retry call); an action without it only informs (follow-up continues). ``closes``
    ends the placement's follow-up with ``result`` (``retained``, ``renewed``…);
    ``contact_kind`` names the contact a retry schedules.
    """

    code: str
    label: Text
    due_on: dt.date | None = None
    closes: bool = False
    explanation: Explanation | None = field(default=None, eq=False)
    result: str | None = None
    contact_kind: str | None = None


@runtime_checkable
class FollowUpPolicy(Protocol):
    """A follow-up schedule and outcome rules, registered by ``employkit_followup_policies``."""

    @property
    def meta(self) -> RuleMeta:
        """The policy's rule metadata (its id is what a centre selects)."""
        ...

    def schedule(self, placement: Placement, ctx: EvalContext) -> Schedule:
        """The contacts due for ``placement``."""
        ...

    def actions(
        self, placement: Placement, contact_kind: str, outcome: FollowUpOutcome, on: dt.date, ctx: EvalContext
    ) -> tuple[Action, ...]:
        """What to do after ``outcome`` was recorded at a contact of ``contact_kind``."""
        ...
