"""Follow-up in a few calls: pick the centre's policy, schedule, list, record.

Everything here is pure except :func:`schedule_dataset` with a store (a
:class:`ScheduleStore`, such as :class:`employkit.stores.followup.FollowUpStore`). A centre
selects its policy in ``employkit.toml``::

    [followup]
    policy = "junggu.followup.summary"   # default: the parameter followup.default_policy
    store = "followup.sqlite"            # where `employkit followup` keeps contacts

>>> import datetime as dt
>>> from employkit.model import Placement, EmploymentType
>>> from employkit.rules import RuleSystem
>>> system = RuleSystem.build()
>>> p = Placement(placement_id="P7", seeker_id="S7", employer_id="E1",
...               start_date=dt.date(2016, 4, 1), contract_end=dt.date(2016, 9, 30),
...               employment_type=EmploymentType.SHORT_TERM_CONTRACT)
>>> s = schedule(p, system)
>>> [(c.kind, c.due_on.isoformat()) for c in s.contacts]
[('start_day', '2016-04-01'), ('week_1', '2016-04-08'), ('month_3', '2016-07-01'), ('pre_contract_end', '2016-08-30')]
>>> to_rows([s])[3]["label_en"]
'check before the contract ends'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from attrs import frozen

from employkit.errors import RuleNotFound
from employkit.followup.base import Action, FollowUpPolicy, Schedule
from employkit.model import FollowUpContact, FollowUpOutcome, Placement
from employkit.rules import EvalContext, RuleSystem

if TYPE_CHECKING:
    from employkit.dataset import Dataset

__all__ = [
    "DEFAULT_POLICY_PARAMETER",
    "ROW_FIELDS",
    "ScheduleRun",
    "ScheduleStore",
    "actions_for",
    "policy_id_for",
    "resolve_policy",
    "schedule",
    "schedule_all",
    "schedule_dataset",
    "to_rows",
]

#: The columns of :func:`to_rows` (``followups.csv``).
ROW_FIELDS: tuple[str, ...] = (
    "placement_id",
    "policy_id",
    "seq",
    "kind",
    "label_ko",
    "label_en",
    "nominal_on",
    "due_on",
    "moved_because",
    "before_end",
)


#: The dated parameter naming the policy a centre follows when it names none.
DEFAULT_POLICY_PARAMETER = "followup.default_policy"


def policy_id_for(system: RuleSystem, policy_id: str | None = None, on: dt.date | None = None) -> str:
    """``policy_id``, else the centre's ``[followup] policy``, else the default in force on ``on``.

    The default is the dated parameter ``followup.default_policy`` (the national pack
    sets it; a district pack may override it for its centres); without ``on``, its
    latest value. Raises :class:`~employkit.errors.RuleNotFound` when no active pack
    defines it or none of its values is in force on ``on``.
    """
    if policy_id:
        return policy_id
    configured = system.config.setting("followup", "policy")
    if configured:
        return str(configured)
    return system.rule_named_by(DEFAULT_POLICY_PARAMETER, on, what="follow-up policy", setting="[followup] policy")


def resolve_policy(system: RuleSystem, policy_id: str | None = None, as_of: dt.date | None = None) -> FollowUpPolicy:
    """The follow-up policy to use (see :func:`policy_id_for`), in force on ``as_of``.

    Raises :class:`~employkit.errors.RuleNotFound` naming the policies there are.
    """
    pid = policy_id_for(system, policy_id, as_of)
    known = sorted(p.meta.rule_id for p in system.followup_policies())
    try:
        rule = system.rule(pid, as_of)
    except RuleNotFound as exc:
        raise RuleNotFound(f"follow-up policy {pid!r}: {exc}; policies: {', '.join(known) or 'none'}") from None
    if not isinstance(rule, FollowUpPolicy) or pid not in known:
        raise RuleNotFound(f"{pid!r} is not a follow-up policy; policies: {', '.join(known) or 'none'}")
    return rule


def _context(system_or_ctx: RuleSystem | EvalContext, as_of: dt.date | None) -> EvalContext:
    if isinstance(system_or_ctx, EvalContext):
        return system_or_ctx if as_of is None else system_or_ctx.system.context(as_of)
    return system_or_ctx.context(as_of or dt.date.today())


def schedule(
    placement: Placement,
    system_or_ctx: RuleSystem | EvalContext,
    as_of: dt.date | None = None,
    policy_id: str | None = None,
) -> Schedule:
    """The contacts due for ``placement`` — a pure function, no store needed.

    The policy and its parameters are those in force on ``as_of`` (default: the
    context's date, or today): the version a placement is followed under is the one in
    force when it enters follow-up.
    """
    ctx = _context(system_or_ctx, as_of)
    policy = resolve_policy(ctx.system, policy_id, ctx.as_of)
    return policy.schedule(placement, ctx)


def schedule_all(
    placements: Iterable[Placement],
    system: RuleSystem,
    as_of: dt.date | None = None,
    policy_id: str | None = None,
) -> list[Schedule]:
    """:func:`schedule` for many placements with one policy lookup."""
    ctx = system.context(as_of or dt.date.today())
    policy = resolve_policy(system, policy_id, ctx.as_of)
    return [policy.schedule(p, ctx) for p in placements]


def actions_for(
    placement: Placement,
    contact_kind: str,
    outcome: FollowUpOutcome | str,
    on: dt.date,
    system: RuleSystem,
    as_of: dt.date | None = None,
    policy_id: str | None = None,
) -> tuple[Action, ...]:
    """What ``outcome`` at a contact of ``contact_kind`` triggers (pure; rules in force on ``as_of`` or ``on``)."""
    found = outcome if isinstance(outcome, FollowUpOutcome) else FollowUpOutcome.parse(outcome)
    ctx = system.context(as_of or on)
    policy = resolve_policy(system, policy_id, ctx.as_of)
    return policy.actions(placement, contact_kind, found, on, ctx)


def to_rows(schedules: Iterable[Schedule]) -> list[dict[str, Any]]:
    """One dict per scheduled contact (columns :data:`ROW_FIELDS`), dates as ISO text."""
    rows = []
    for s in schedules:
        for seq, c in enumerate(s.contacts, 1):
            rows.append(
                {
                    "placement_id": s.placement_id,
                    "policy_id": s.policy_id,
                    "seq": seq,
                    "kind": c.kind,
                    "label_ko": c.label.ko,
                    "label_en": c.label.en,
                    "nominal_on": c.nominal_on.isoformat(),
                    "due_on": c.due_on.isoformat(),
                    "moved_because": c.moved_because.en if c.moved_because else "",
                    "before_end": c.before_end,
                }
            )
    return rows


@frozen(kw_only=True)
class ScheduleRun:
    """What :func:`schedule_dataset` did."""

    schedules: tuple[Schedule, ...]
    added: int = 0  # contacts new to the store
    imported: int = 0  # recorded contacts of the dataset newly stored as outcomes
    skipped: tuple[str, ...] = ()  # why some recorded contacts were not imported

    @property
    def contacts(self) -> int:
        """The number of scheduled contacts."""
        return sum(len(s.contacts) for s in self.schedules)

    def rows(self) -> list[dict[str, Any]]:
        """:func:`to_rows` of the schedules (``followups.csv``)."""
        return to_rows(self.schedules)


class ScheduleStore(Protocol):
    """What :func:`schedule_dataset` needs of a store: keep schedules, and contacts recorded elsewhere.

    :class:`employkit.stores.followup.FollowUpStore` is one; the follow-up package itself
    keeps nothing.
    """

    def add_schedules(
        self,
        items: Iterable[tuple[Placement, Schedule]],
        *,
        centre: str = "",
        counsellor: str | None = None,
        as_of: dt.date | None = None,
    ) -> int:
        """Keep placements and their contacts, idempotently; return how many contacts were new."""
        ...

    def import_contacts(
        self, contacts: Iterable[FollowUpContact], system: RuleSystem | None = None
    ) -> tuple[int, Sequence[str]]:
        """Keep contacts recorded elsewhere as outcomes, each once; return how many and why others were left out."""
        ...


def schedule_dataset(
    data: Dataset,
    system: RuleSystem,
    store: ScheduleStore | None = None,
    policy_id: str | None = None,
    as_of: dt.date | None = None,
    import_contacts: bool = True,
) -> ScheduleRun:
    """Schedule every placement of a centre dataset; with ``store``, keep them there.

    Storing is idempotent (running it again adds nothing). With ``import_contacts`` the
    dataset's recorded contacts (``followups``) are stored as outcomes on the scheduled
    contact they answer, each once; their actions are those of the policy. A placement's
    counsellor is its ``counsellor`` extra column when the source has one.

    >>> from employkit.synth import sample_centre
    >>> from employkit.rules import RuleSystem
    >>> run = schedule_dataset(sample_centre(), RuleSystem.build(), as_of=dt.date(2016, 1, 4))
    >>> len(run.schedules), run.schedules[0].policy_id
    (1095, 'national.followup.default')
    """
    day = as_of or dt.date.today()
    schedules = schedule_all(data.placements, system, day, policy_id)
    if store is None:
        return ScheduleRun(schedules=tuple(schedules))
    centre = data.centre.name if data.centre is not None else _config_centre(system)
    added = store.add_schedules(
        ((p, s) for p, s in zip(data.placements, schedules, strict=True)), centre=centre, as_of=day
    )
    imported, skipped = (0, ()) if not import_contacts else store.import_contacts(data.followups, system)
    return ScheduleRun(schedules=tuple(schedules), added=added, imported=imported, skipped=tuple(skipped))


def _config_centre(system: RuleSystem) -> str:
    centre = system.config.centre
    return centre.name if centre is not None else ""
