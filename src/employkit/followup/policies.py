"""Follow-up policies whose schedule and outcome rules are tables of dated parameters.

:class:`TablePolicy` is the engine; a pack registers instances of it. The national pack's
(:mod:`employkit.national.followup`) is the default policy of the Jung-gu detailed plan
(``seeds/000_743a0a447e219bca.txt#L417-L453``):

* every placement is contacted on the first day at work, after the first week, after 3
  and after 6 months — a fixed-term job only up to its contract end;
* commercial contracts, short-term contracts and public jobs get a check 1 month before
  the contract end;
* what an outcome triggers (close, re-register, training referral, in-depth counselling,
  retry) is the table ``followup.outcomes``: the plan's employment-type rules, then its
  three-stage flow.

Dates follow the centre's business calendar (``RuleSystem.business_calendar``): a routine
contact that falls on a weekend or public holiday moves to the next business day; a check
that must happen before the contract ends moves to the previous one. A district pack
registers a variant by giving a :class:`TablePolicy` its own parameter ids (see
:class:`PolicyParameters`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from attrs import frozen

from employkit.errors import ParameterError
from employkit.followup.base import Action, Schedule, ScheduledContact, retry_kind, split_kind
from employkit.followup.calendar import BusinessCalendar, add_months
from employkit.followup.policy_tables import (
    CLOSE,
    MISSED,
    PRE_END,
    PRE_END_LABEL,
    RETRY,
    ActionSpec,
    ContactPoint,
    OutcomeRow,
    PolicyParameters,
    PolicyTables,
    parsed_once,
    read_actions,
    read_contacts,
    read_outcomes,
    read_results,
    whole_number,
)
from employkit.labels import Text
from employkit.model import EmploymentType, FollowUpOutcome
from employkit.packs import RuleMeta

if TYPE_CHECKING:
    from employkit.model import Placement
    from employkit.rules import EvalContext

__all__ = [
    "PRE_END",
    "ActionSpec",
    "ContactPoint",
    "OutcomeRow",
    "PolicyParameters",
    "PolicyTables",
    "TablePolicy",
]

# --------------------------------------------------------------------------- the engine


def region_of(ctx: EvalContext) -> str | None:
    """The centre's region code from the configuration (for the business calendar)."""
    centre = ctx.system.config.centre
    return centre.region_code if centre is not None else None


@frozen(kw_only=True)
class TablePolicy:
    """A follow-up policy read from parameter tables (see the module text).

    >>> import datetime as dt
    >>> from employkit.model import Placement, EmploymentType
    >>> from employkit.rules import RuleSystem
    >>> system = RuleSystem.build()
    >>> policy = system.rule("national.followup.default")
    >>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
    ...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
    >>> [d.isoformat() for d in policy.schedule(p, system.context(dt.date(2016, 3, 2))).dates()]
    ['2016-03-02', '2016-03-09', '2016-06-02', '2016-09-02']
    """

    meta: RuleMeta
    params: PolicyParameters = PolicyParameters()  # noqa: RUF009 (frozen: one shared default is safe)

    # ------------------------------------------------------------------ tables

    def tables(self, ctx: EvalContext, *, outcomes: bool = True) -> PolicyTables:
        """Read and check this policy's tables (records each use in ``ctx``).

        With ``outcomes=False`` only the schedule's tables are read.
        """
        p = self.params
        types = ctx.param(p.pre_end_types)
        if isinstance(types, str) or not isinstance(types, tuple | list):
            raise ParameterError(f"parameter {p.pre_end_types}: expected a list of employment types")
        known = {t.code for t in EmploymentType}
        if set(types) - known:
            raise ParameterError(
                f"parameter {p.pre_end_types}: unknown type(s) {', '.join(sorted(set(types) - known))}"
            )
        raw_contacts = ctx.param(p.contacts)
        contacts = parsed_once(p.contacts, (raw_contacts,), lambda: read_contacts(raw_contacts, p.contacts))
        lead = whole_number(ctx.param(p.pre_end_lead_months), f"parameter {p.pre_end_lead_months}")
        if not outcomes:
            return PolicyTables(contacts=contacts, pre_end_types=frozenset(types), lead_months=lead)
        raw_actions, raw_results, raw_outcomes = ctx.param(p.actions), ctx.param(p.results), ctx.param(p.outcomes)
        actions = parsed_once(p.actions, (raw_actions,), lambda: read_actions(raw_actions, p.actions))
        results = parsed_once(p.results, (raw_results,), lambda: read_results(raw_results, p.results))
        outcomes_key = (raw_outcomes, raw_actions, raw_results)
        return PolicyTables(
            contacts=contacts,
            pre_end_types=frozenset(types),
            lead_months=lead,
            outcomes=parsed_once(
                p.outcomes, outcomes_key, lambda: read_outcomes(raw_outcomes, p.outcomes, actions, results)
            ),
            actions=actions,
            results=results,
        )

    # ------------------------------------------------------------------ schedule

    def schedule(self, placement: Placement, ctx: EvalContext) -> Schedule:
        """The contacts due for ``placement``, in date order, with the reasons."""
        c = ctx.fork()
        t = self.tables(c, outcomes=False)
        cal = c.system.business_calendar(region_of(c))
        plan, reasons = plan_contacts(placement, t, cal)
        explanation = c.explain(
            self.meta.rule_id,
            reasons=reasons,
            inputs={
                "placement_id": placement.placement_id,
                "employment_type": placement.employment_type.code,
                "start_date": placement.start_date,
                "contract_end": placement.contract_end,
                "ended_on": placement.ended_on,
                "calendar": cal.name,
            },
        )
        return Schedule(
            placement_id=placement.placement_id, policy_id=self.meta.rule_id, contacts=plan, explanation=explanation
        )

    # ------------------------------------------------------------------ outcomes

    def actions(
        self, placement: Placement, contact_kind: str, outcome: FollowUpOutcome, on: dt.date, ctx: EvalContext
    ) -> tuple[Action, ...]:
        """What ``outcome``, recorded on ``on`` at a contact of ``contact_kind``, triggers.

        The first matching row of the outcome table decides. ``retry`` schedules the
        contact again after ``followup.retry.business_days`` business days, at most
        ``followup.retry.limit`` times; then the contact is missed, and if no later
        contact is planned follow-up closes as unreachable.
        """
        c = ctx.fork()
        t = self.tables(c)
        cal = c.system.business_calendar(region_of(c))
        kind, attempt = split_kind(contact_kind)
        etype = placement.employment_type.code
        row = next((r for r in t.outcomes if r.matches(etype, kind, outcome.code)), None)
        if row is None:
            raise ParameterError(
                f"parameter {self.params.outcomes}: no row for outcome {outcome.code!r} at contact {kind!r} "
                f"of a {etype} placement; add a row without 'types' and 'contacts' for it"
            )
        reasons = [
            Text(
                f"{outcome.label.ko} ({kind} 연락, {on.isoformat()}) → 표 {row.index}행 적용",
                f"{outcome.label.en} at the {kind} contact on {on.isoformat()} → row {row.index} of the table",
            )
        ]
        planned: list[tuple[str, dt.date | None, str | None, Text]] = []  # code, due, contact kind, label
        close = row.close
        for code in row.actions:
            spec = t.actions[code]
            if code == RETRY:
                limit = whole_number(c.param(self.params.retry_limit), f"parameter {self.params.retry_limit}")
                if attempt < limit:
                    days = whole_number(
                        c.param(self.params.retry_business_days), f"parameter {self.params.retry_business_days}", 1
                    )
                    due = cal.add_business_days(cal.next_business_day(on), days)
                    planned.append((code, due, retry_kind(kind, attempt + 1), spec.label))
                    reasons.append(
                        Text(
                            f"재연락 {attempt + 1}/{limit}회: {days}영업일 후 {due.isoformat()}",
                            f"retry {attempt + 1} of {limit}: {days} business day{'s' if days != 1 else ''} later, "
                            f"{due.isoformat()}",
                        )
                    )
                    continue
                later = _later_contacts(placement, kind, t, cal)
                planned.append((MISSED, None, None, t.actions[MISSED].label))
                if later:
                    reasons.append(
                        Text(
                            f"재연락 {limit}회 모두 실패: 다음 연락({later[0]})은 그대로",
                            f"all {limit} retries failed: the next contact ({later[0]}) stands",
                        )
                    )
                elif close is None:
                    close = "unreachable"
                    reasons.append(
                        Text(
                            f"재연락 {limit}회 모두 실패, 남은 연락 없음: 사후관리 종료",
                            f"all {limit} retries failed and no contact is left: follow-up closes",
                        )
                    )
                continue
            task_due = cal.add_business_days(cal.next_business_day(on), spec.within) if spec.task else None
            planned.append((code, task_due, None, spec.label))
        if close is not None:
            reasons.append(Text(f"사후관리 종료: {t.results[close].ko}", f"follow-up closes: {t.results[close].en}"))
        explanation = c.explain(
            self.meta.rule_id,
            reasons=reasons,
            inputs={
                "placement_id": placement.placement_id,
                "employment_type": etype,
                "contact_kind": contact_kind,
                "outcome": outcome.code,
                "on": on,
            },
        )
        out = [
            Action(code=code, label=label, due_on=due, contact_kind=ck, explanation=explanation)
            for code, due, ck, label in planned
        ]
        if close is not None:
            out.append(Action(code=CLOSE, label=t.results[close], closes=True, result=close, explanation=explanation))
        return tuple(out)


def _later_contacts(placement: Placement, kind: str, t: PolicyTables, cal: BusinessCalendar) -> list[str]:
    plan, _ = plan_contacts(placement, t, cal)
    kinds = [c.kind for c in plan]
    if kind not in kinds:
        return []
    return kinds[kinds.index(kind) + 1 :]


def plan_contacts(
    placement: Placement, t: PolicyTables, cal: BusinessCalendar
) -> tuple[tuple[ScheduledContact, ...], list[Text]]:
    """The contacts of ``placement`` under tables ``t`` and calendar ``cal``, with reasons.

    Routine contacts move forward off closed days; a placement with a contract end keeps those due on
    or before its contract end. The pre-end check moves back, never before the start;
    a routine contact due the same day is merged into it. Contacts due after
    ``placement.ended_on`` are dropped (the placement is known to have ended).
    """
    start, end, ended = placement.start_date, placement.contract_end, placement.ended_on
    reasons: list[Text] = []
    routine: list[ScheduledContact] = []
    for point in t.contacts:
        nominal = point.nominal(start)
        due = cal.next_business_day(nominal)
        if end is not None and due > end:
            reasons.append(
                Text(
                    f"{point.label.ko}: {due.isoformat()}은 계약만료일 {end.isoformat()} 이후라 제외",
                    f"{point.label.en}: {due.isoformat()} is after the contract end {end.isoformat()}; left out",
                )
            )
            continue
        if routine and due <= routine[-1].due_on:
            reasons.append(
                Text(
                    f"{point.label.ko}: 앞 연락과 같은 날({due.isoformat()})이라 합침",
                    f"{point.label.en}: falls on the previous contact's day ({due.isoformat()}); merged",
                )
            )
            continue
        routine.append(_contact(placement, point.kind, point.label, nominal, due, cal, before_end=False))
    contacts = list(routine)
    if end is not None and placement.employment_type.code in t.pre_end_types:
        nominal = max(add_months(end, -t.lead_months), start)
        due = cal.previous_business_day(nominal)
        if due < start:
            due = cal.next_business_day(start)
        check = _contact(placement, PRE_END, PRE_END_LABEL, nominal, due, cal, before_end=True)
        if due > end:
            reasons.append(
                Text(
                    f"계약기간({start.isoformat()}~{end.isoformat()})에 영업일이 없어 만료 후 첫 영업일에 확인",
                    f"the contract ({start.isoformat()} to {end.isoformat()}) holds no business day; "
                    "checked on the first business day after it",
                )
            )
        same_day = [r for r in contacts if r.due_on == due]
        for r in same_day:
            contacts.remove(r)
            reasons.append(
                Text(
                    f"{r.label.ko}: 계약만료 전 확인과 같은 날({due.isoformat()})이라 합침",
                    f"{r.label.en}: falls on the pre-end check's day ({due.isoformat()}); merged",
                )
            )
        contacts.append(check)
    if ended is not None:
        for c in [c for c in contacts if c.due_on > ended]:
            contacts.remove(c)
            reasons.append(
                Text(
                    f"{c.label.ko}: {ended.isoformat()}에 퇴사하여 제외",
                    f"{c.label.en}: the placement ended on {ended.isoformat()}; left out",
                )
            )
    contacts.sort(key=lambda c: c.due_on)
    lines = []
    for c in contacts:
        why = c.moved_because
        lines.append(
            Text(
                f"{c.label.ko}: {c.due_on.isoformat()}"
                + (f" ({c.nominal_on.isoformat()} {why.ko} → 이동)" if why else ""),
                f"{c.label.en}: {c.due_on.isoformat()}"
                + (f" (moved from {c.nominal_on.isoformat()}, {why.en})" if why else ""),
            )
        )
    return tuple(contacts), lines + reasons


def _contact(
    placement: Placement,
    kind: str,
    label: Text,
    nominal: dt.date,
    due: dt.date,
    cal: BusinessCalendar,
    *,
    before_end: bool,
) -> ScheduledContact:
    moved = None
    if due != nominal:
        moved = cal.closed_label(nominal) or Text("휴무일", "closed day")
    return ScheduledContact(
        placement_id=placement.placement_id,
        due_on=due,
        kind=kind,
        label=label,
        nominal_on=nominal,
        before_end=before_end,
        moved_because=moved,
    )
