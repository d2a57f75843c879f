"""What a follow-up policy is, and what it returns."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from attrs import field, frozen

from employkit.explain import Explanation
from employkit.labels import Text

if TYPE_CHECKING:
    from employkit.model import FollowUpOutcome, Placement
    from employkit.packs import RuleMeta
    from employkit.rules import EvalContext

__all__ = ["Action", "FollowUpPolicy", "Schedule", "ScheduledContact"]


@frozen(kw_only=True)
class ScheduledContact:
    """A contact due after a placement."""

    placement_id: str
    due_on: dt.date
    kind: str  # e.g. "start_day", "week_1", "month_3", "pre_contract_end"
    label: Text
    nominal_on: dt.date  # the date before moving off weekends and holidays


@frozen(kw_only=True)
class Schedule:
    """The contacts a policy plans for one placement, in date order."""

    placement_id: str
    policy_id: str
    contacts: tuple[ScheduledContact, ...] = field(converter=tuple)
    explanation: Explanation


@frozen(kw_only=True)
class Action:
    """What a recorded outcome triggers (close, re-register, training referral…)."""

    code: str
    label: Text
    due_on: dt.date | None = None
    closes: bool = False
    explanation: Explanation | None = None


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
