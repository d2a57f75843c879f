"""The time side of synthetic centres: seasons, time to placement, job exits and follow-up contacts.

:mod:`employkit.synth` decides *who* registers and is placed; this module decides *when*
and *what happened after*:

* **Seasons.** Registrations and placements are spread over the months by
  :data:`REGISTRATION_SEASON` and :data:`PLACEMENT_SEASON`. No source document gives a
  centre's monthly figures, so both profiles are an **assumption**, shaped like the
  monthly series of Korean employment-administration statistics (고용행정통계): new
  registrations peak in January (year-end contract expiries, public-job programmes
  ending, the unemployment-benefit claims that follow) and stay high until March; they
  are lowest in the autumn. Placements dip in January–February (Seollal, hiring not yet
  open) and September (Chuseok) and are highest in spring. Nothing climbs through the
  year: every month of every year has registrations and placements.
* **Time to placement.** A placement's start day is drawn first, by the placement
  season; the registration is 7 days + a log-normal draw (median 45 days) earlier, kept
  inside the period (an assumption).
* **Job exits.** Days in the job follow a Weibull survival ``S(t) = exp(-(t/617)^0.7)``:
  about 89% still in the job after a month, 77% after three, 65% after six and 50% after
  a year (an assumption, in the range Korean studies of job retention after public
  placement report). A fixed-term job ends at its contract end unless it is renewed
  (half of them; a quarter of the renewals are conversions to a regular job).
* **Follow-up contacts** at the points of the national policy, read from
  ``employkit/national/followup.toml`` as in force on the start date: the routine
  contacts (``followup.contacts``: first day, first week, 3 and 6 months), the check
  ``followup.pre_end.lead_months`` before the contract end of the types in
  ``followup.pre_end.types``, and the retention points (``followup.retention.months``:
  1, 3, 6 and 12 months). Each contact is made on its due day or up to three days later;
  8% find nobody (unreachable); the others report the person in the job (still
  employed; 7% considering a move; renewed or converted at a pre-end check) or gone
  (left, 65% seeking work again). After a contact that finds the person gone, follow-up
  closes. No contact is dated after the extraction day.

>>> import datetime as dt, random
>>> points = contact_points(dt.date(2016, 3, 2), None, "regular")
>>> [(kind, day.isoformat()) for kind, day in points][:3]
[('start_day', '2016-03-02'), ('week_1', '2016-03-09'), ('month_1', '2016-04-02')]
>>> round(job_survival(183), 2)
0.65
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections.abc import Iterator, Sequence
from functools import cache
from typing import Any

from attrs import frozen

from employkit.errors import InvalidArgument
from employkit.followup.calendar import add_months
from employkit.model import FollowUpContact, FollowUpOutcome

__all__ = [
    "PLACEMENT_SEASON",
    "REGISTRATION_SEASON",
    "DayPicker",
    "JobCourse",
    "contact_points",
    "contacts_for",
    "job_course",
    "job_survival",
    "registration_before",
]

#: Relative volume of new registrations by calendar month, January first (assumption, see above).
REGISTRATION_SEASON: tuple[float, ...] = (1.45, 1.12, 1.08, 1.00, 0.97, 0.95, 1.00, 0.96, 0.86, 0.88, 0.86, 0.87)
#: Relative volume of placements by the month the job starts, January first (assumption, see above).
PLACEMENT_SEASON: tuple[float, ...] = (0.82, 0.86, 1.15, 1.10, 1.05, 1.00, 1.04, 0.98, 0.88, 0.98, 1.06, 1.08)

_WEIBULL_SHAPE = 0.7
_WEIBULL_SCALE = 617.0  # days: S(365) = 0.5 with the shape above
RENEWAL_SHARE = 0.5
CONVERSION_SHARE = 0.25  # of renewals
UNREACHABLE_SHARE = 0.08
CONSIDERING_SHARE = 0.07
SEEKING_SHARE = 0.65


def job_survival(days: float) -> float:
    """The assumed share of people still in a (non-fixed-term) job ``days`` after the start."""
    return math.exp(-((max(days, 0.0) / _WEIBULL_SCALE) ** _WEIBULL_SHAPE))


def _weibull_after(rng: random.Random, after: float) -> float:
    """Days in the job, given the person stayed at least ``after`` days (conditional Weibull)."""
    u = 1.0 - rng.random()  # (0, 1]
    base = (after / _WEIBULL_SCALE) ** _WEIBULL_SHAPE
    return float(_WEIBULL_SCALE * (base - math.log(u)) ** (1 / _WEIBULL_SHAPE))


class DayPicker:
    """Draws days in ``[start, end]`` with weights by calendar month (``weights[0]`` = January)."""

    def __init__(self, start: dt.date, end: dt.date, weights: Sequence[float]) -> None:
        if end < start:
            raise InvalidArgument(f"the period ends ({end}) before it starts ({start})")
        self.start = start
        self.days = (end - start).days + 1
        total = 0.0
        self.cumulative: list[float] = []
        for i in range(self.days):
            total += weights[(start + dt.timedelta(days=i)).month - 1]
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> dt.date:
        """One day, months weighted."""
        i = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.start + dt.timedelta(days=min(i, self.days - 1))


def registration_before(rng: random.Random, start: dt.date, first: dt.date) -> dt.date:
    """The registration day of a job starting on ``start``: 7 days + a log-normal delay
    (median 45 days) earlier, not before ``first`` (the period's first day)."""
    room = (start - first).days - 7
    if room <= 0:
        return first
    delay = rng.lognormvariate(math.log(45), 0.9)
    if delay > room:
        delay = rng.uniform(0, room)
    return start - dt.timedelta(days=7 + int(delay))


@cache
def _policy() -> dict[str, Any]:
    from importlib.resources import files

    from employkit.params import load_parameters

    found = {p.id: p for p in load_parameters(files("employkit.national") / "followup.toml")}
    return found


def _param(pid: str, day: dt.date) -> Any:
    parameter = _policy()[pid]
    value = parameter.at(day) or parameter.values[0]  # before the policy's first date: its first value
    return value.value


def contact_points(start: dt.date, contract_end: dt.date | None, employment_type: str) -> list[tuple[str, dt.date]]:
    """``(kind, due day)`` of the follow-up contacts of a job starting on ``start``, in date order.

    The national policy's routine points, its pre-end check for fixed-term types and its
    retention points, one contact per day (the routine kind wins a shared day).
    """
    points: dict[dt.date, str] = {}
    for row in _param("followup.contacts", start):
        day = start + dt.timedelta(days=int(row.get("days", 0)) + 7 * int(row.get("weeks", 0)))
        day = add_months(day, int(row.get("months", 0)))
        points.setdefault(day, str(row["kind"]))
    if contract_end is not None and employment_type in _param("followup.pre_end.types", start):
        day = add_months(contract_end, -int(_param("followup.pre_end.lead_months", start)))
        if day > start:
            points.setdefault(day, "pre_contract_end")
    for months in _param("followup.retention.months", start):
        points.setdefault(add_months(start, int(months)), f"month_{int(months)}")
    return sorted(((kind, day) for day, kind in points.items()), key=lambda p: p[1])


@frozen
class JobCourse:
    """What happens to one job: the day the person leaves (``None``: not before ``horizon``),
    whether a fixed-term contract was renewed or converted, and whether a leaver seeks work.
    """

    left_on: dt.date | None
    renewed: bool
    converted: bool
    seeking: bool


def job_course(
    rng: random.Random,
    start: dt.date,
    contract_end: dt.date | None,
    *,
    stayed_days: int = 0,
    left_by: int | None = None,
) -> JobCourse:
    """Draw the course of a job starting on ``start`` (see the module text).

    ``stayed_days``: the person is known to be in the job that many days after the start;
    ``left_by``: known to have left within that many days (both from a contact already made).
    """
    renewed = contract_end is not None and rng.random() < RENEWAL_SHARE
    converted = renewed and rng.random() < CONVERSION_SHARE
    seeking = rng.random() < SEEKING_SHARE
    if left_by is not None:
        return JobCourse(start + dt.timedelta(days=rng.randint(1, max(1, left_by))), False, False, True)
    days = _weibull_after(rng, stayed_days)
    left_on: dt.date | None = start + dt.timedelta(days=min(int(days), 40_000))
    if contract_end is not None and not renewed and left_on is not None and left_on > contract_end:
        left_on = contract_end + dt.timedelta(days=1)
    if left_on is not None and left_on <= start + dt.timedelta(days=stayed_days):
        left_on = start + dt.timedelta(days=stayed_days + 1)
    return JobCourse(left_on, renewed, converted, seeking)


def contacts_for(
    rng: random.Random,
    placement_id: str,
    start: dt.date,
    contract_end: dt.date | None,
    employment_type: str,
    course: JobCourse,
    until: dt.date,
    *,
    skip: frozenset[dt.date] = frozenset(),
) -> Iterator[FollowUpContact]:
    """The follow-up contacts of one placement up to ``until`` (the extraction day).

    ``skip``: due days already covered by a contact made elsewhere.
    """
    last = start
    for kind, due in contact_points(start, contract_end, employment_type):
        if due in skip:
            continue
        day = max(last, due + dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, 3))))  # in the order they are due
        last = day
        if day > until:
            return
        if rng.random() < UNREACHABLE_SHARE:
            outcome = FollowUpOutcome.UNREACHABLE
        elif course.left_on is not None and day >= course.left_on:
            outcome = FollowUpOutcome.LEFT_SEEKING if course.seeking else FollowUpOutcome.LEFT_NOT_SEEKING
        elif kind == "pre_contract_end" and course.renewed:
            outcome = FollowUpOutcome.CONVERTED_REGULAR if course.converted else FollowUpOutcome.RENEWED
        elif rng.random() < CONSIDERING_SHARE:
            outcome = FollowUpOutcome.CONSIDERING_MOVE
        else:
            outcome = FollowUpOutcome.STILL_EMPLOYED
        yield FollowUpContact(placement_id=placement_id, due_on=due, contacted_on=day, outcome=outcome)
        if outcome in (FollowUpOutcome.LEFT_SEEKING, FollowUpOutcome.LEFT_NOT_SEEKING):
            return
