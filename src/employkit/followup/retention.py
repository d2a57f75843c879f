"""Retention at month N — the one definition, on columns.

Every figure about who stayed in a job reads it: the KPIs (``retention_1m`` …, 고용유지율),
``employkit followup retention``, the survival curves and the audit. It is worked out from
the placements and the recorded follow-up contacts alone, so it needs no store.

The status of a placement at a point ``t`` (``t = start + N months``), observed on ``as_of``:

1. **later** when ``t`` is after ``as_of``: the check is not yet due (no status);
2. a known end (``ended_on``) decides: **retained** if it is on or after ``t``, else **left**;
3. otherwise the contacts decide. Only contacts made from the start to ``as_of`` count,
   and only those whose outcome shows the person in the job (still employed, renewed,
   converted to regular, considering a move) or gone (left, seeking or not); the others
   (unreachable, refused …) say nothing about the job.

   * the **last such contact on or before** ``t`` says gone → **left**; says in the job,
     no more than ``window_days`` before ``t`` → **retained**;
   * otherwise the **first such contact after** ``t`` says in the job → **retained** (it is
     the same job, and no leaving was recorded before the point);
   * otherwise **unknown**.

   Of two contacts on the same day, the one finding the person gone counts as the later.

   So "left, then found employed again after the point" is *left* at the point, and "a
   fixed-term contract that ended with no contact" is *unknown*, not *left*: the contract
   end date is a plan, not an observation (the source plans a call one month before it,
   seeds/000_743a0a447e219bca.txt L424–431, exactly to find out).

A rate with nothing known gives no value, never 0. Whether *unknown* counts in the
denominator is the parameter ``metrics.retention.exclude_unknown`` (see
:func:`retention_rate`).

:func:`retention_status` is the definition on columns (numpy arrays: one row per
placement); :func:`retention_feed` is a convenience over records.

>>> import datetime as dt
>>> from employkit.model import Placement, EmploymentType, FollowUpContact, FollowUpOutcome
>>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
>>> seen = FollowUpContact(placement_id="P1", contacted_on=dt.date(2016, 9, 2),
...                        outcome=FollowUpOutcome.STILL_EMPLOYED)
>>> row = retention_feed([p], [seen], as_of=dt.date(2017, 1, 1))[0]
>>> row.retained
{1: True, 3: True, 6: True, 12: None}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from attrs import field, frozen

from employkit.model import FollowUpContact, FollowUpOutcome, Placement

__all__ = [
    "DEFAULT_MONTHS",
    "DEFAULT_WINDOW_DAYS",
    "EMPLOYED",
    "LATER",
    "LEFT",
    "LEFT_JOB",
    "RETAINED",
    "STATUS_NAMES",
    "UNKNOWN",
    "Contacts",
    "RetentionRow",
    "add_months_array",
    "contacts_of",
    "outcome_signs",
    "placement_columns",
    "retention_feed",
    "retention_rate",
    "retention_rates",
    "retention_spells",
    "retention_status",
]

#: The retention points when no parameter says otherwise (``followup.retention.months``).
DEFAULT_MONTHS: tuple[int, ...] = (1, 3, 6, 12)
#: ``metrics.retention.window_days`` when no rule system is at hand.
DEFAULT_WINDOW_DAYS = 14

#: Outcomes that show the person in the job on the day of the contact.
EMPLOYED = frozenset(
    {
        FollowUpOutcome.STILL_EMPLOYED,
        FollowUpOutcome.RENEWED,
        FollowUpOutcome.CONVERTED_REGULAR,
        FollowUpOutcome.CONSIDERING_MOVE,
    }
)
#: Outcomes that show the person gone from the job.
LEFT = frozenset({FollowUpOutcome.LEFT_SEEKING, FollowUpOutcome.LEFT_NOT_SEEKING})

#: Status codes of :func:`retention_status`.
RETAINED, LEFT_JOB, UNKNOWN, LATER = 0, 1, 2, 3
STATUS_NAMES: tuple[str, ...] = ("retained", "left", "unknown", "later")

_DAY = "datetime64[D]"
_FAR = np.datetime64("9999-12-31", "D")


def outcome_signs(codes: Sequence[Any] | np.ndarray) -> np.ndarray:
    """``+1`` for an outcome code showing the person in the job, ``-1`` gone, ``0`` otherwise (or missing)."""
    employed = {o.code for o in EMPLOYED}
    left = {o.code for o in LEFT}
    values = np.asarray(codes, dtype=object)
    if not len(values):
        return np.zeros(0, dtype=np.int8)
    uniques, inverse = np.unique(values.astype(str), return_inverse=True)
    signs = np.array([1 if u in employed else -1 if u in left else 0 for u in uniques.tolist()], dtype=np.int8)
    return signs[np.asarray(inverse, dtype=np.int64).reshape(-1)]


@frozen
class Contacts:
    """Follow-up contacts on columns: the placement row each belongs to, its day, and its outcome sign.

    ``owner`` indexes the placement arrays given to :func:`retention_status` (``-1``: no
    such placement); ``sign`` is :func:`outcome_signs` of the outcome codes. ``ordered``
    says the contacts are already in the order :func:`retention_status` searches
    (:meth:`sorted`): sort them once and every retention point reuses the order.
    """

    owner: np.ndarray
    day: np.ndarray
    sign: np.ndarray
    ordered: bool = False
    #: What :func:`retention_status` found for one ``start`` array and observation day, reused at the next point.
    _seen: dict[Any, Any] = field(factory=dict, init=False, eq=False, repr=False)

    @classmethod
    def empty(cls) -> Contacts:
        """No contact at all."""
        return cls(np.zeros(0, np.int64), np.zeros(0, _DAY), np.zeros(0, np.int8), ordered=True)

    def sorted(self) -> Contacts:
        """The contacts by placement, then day; of two on one day, the one finding the person gone last."""
        if self.ordered:
            return self
        owner = np.asarray(self.owner, dtype=np.int64)
        day = _days(self.day)
        sign = np.asarray(self.sign)
        number = day.astype(np.int64)
        plain = len(owner) and not np.isnat(day).any() and int(owner.min()) >= -1 and int(np.abs(sign).max()) <= 1
        if plain:  # placement, day and sign as one number: one sort instead of three
            low = int(number.min())
            span = int(number.max()) - low + 1
            key = ((owner + 1) * span + (number - low)) * 3 + (1 - sign.astype(np.int64))
            order = np.argsort(key, kind="stable")
        else:
            order = np.lexsort((-sign.astype(np.int64), number, owner))
        return Contacts(owner[order], day[order], sign[order], ordered=True)


def _days(values: Any) -> np.ndarray:
    return np.asarray(values).astype(_DAY, copy=False)


def add_months_array(days: np.ndarray, months: int) -> np.ndarray:
    """:func:`employkit.followup.calendar.add_months` on an array of days (``NaT`` stays ``NaT``)."""
    days = _days(days)
    missing = np.isnat(days)
    safe = np.where(missing, np.datetime64("2000-01-01", "D"), days)
    month = safe.astype("datetime64[M]")
    offset = (safe - month.astype(_DAY)).astype(np.int64)  # 0-based day of month
    target = month + np.timedelta64(months, "M")
    length = ((target + np.timedelta64(1, "M")).astype(_DAY) - target.astype(_DAY)).astype(np.int64)
    result = target.astype(_DAY) + np.minimum(offset, length - 1)
    return np.where(missing, np.datetime64("NaT", "D"), result)


class _Sorted:
    """Some of the contacts in :meth:`Contacts.sorted` order, with a key that searches placement and day at once."""

    def __init__(self, contacts: Contacts, keep: np.ndarray) -> None:
        self.owner = contacts.owner[keep]
        self.day = contacts.day[keep].astype(np.int64)
        self.sign = contacts.sign[keep]
        self.base = int(self.day.min()) - 1 if len(self.day) else 0
        self.span = (int(self.day.max()) - self.base + 2) if len(self.day) else 2
        self.key = self.owner * self.span + (self.day - self.base)

    def position(self, rows: np.ndarray, days: np.ndarray, side: str) -> np.ndarray:
        """Where ``(row, day)`` would go in the sorted contacts (days clipped to the row's block)."""
        wanted = np.clip(days.view(np.int64) - self.base, 0, self.span - 1)
        wanted += rows * self.span
        return np.searchsorted(self.key, wanted, side=side)  # type: ignore[call-overload,no-any-return]


def _latest(n: int, owner: np.ndarray, day: np.ndarray) -> np.ndarray:
    """The last ``day`` of each of ``n`` rows (``NaT`` for none), ``owner`` and ``day`` sorted by row, then day."""
    latest = np.full(n, np.datetime64("NaT"), dtype=_DAY)
    if len(owner):
        last = np.append(owner[1:] != owner[:-1], True)
        latest[owner[last]] = day[last]
    return latest


def retention_status(
    start: np.ndarray,
    ended_on: np.ndarray,
    point: np.ndarray,
    contacts: Contacts,
    as_of: dt.date,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> tuple[np.ndarray, np.ndarray]:
    """The status (:data:`RETAINED` … :data:`LATER`) of each placement at its ``point``, and whether it is *reached*.

    ``start``, ``ended_on`` (``NaT`` when unknown) and ``point`` are arrays of days, one
    per placement; the rules are the module's. *Reached* means the placement is due and
    has an end date or some contact (of any outcome) from ``window_days`` before its
    point to ``as_of``: when no due placement is reached, a rate has no value.

    >>> import numpy as np
    >>> start = np.array(["2016-01-04"], "datetime64[D]"); point = add_months_array(start, 6)
    >>> left_then_seen = Contacts(np.array([0, 0]), np.array(["2016-05-02", "2016-08-01"], "datetime64[D]"),
    ...                           np.array([-1, 1], np.int8))
    >>> retention_status(start, np.array(["NaT"], "datetime64[D]"), point, left_then_seen, dt.date(2017, 1, 1))
    (array([1], dtype=int8), array([ True]))
    """
    start, ended, point = _days(start), _days(ended_on), _days(point)
    n = len(start)
    observed = np.datetime64(as_of, "D")
    rows = np.arange(n, dtype=np.int64)
    status = np.full(n, UNKNOWN, dtype=np.int8)
    told, latest = _usable(contacts.sorted(), start, observed)
    if told is not None:
        after = told.position(rows, point, "right")  # first telling contact after the point
        has_after = after < len(told.owner)
        has_after[has_after] = told.owner[after[has_after]] == rows[has_after]
        next_sign = np.where(has_after, told.sign[np.where(has_after, after, 0)], 0)
        del has_after
        before = after
        before -= 1  # the last telling contact on or before the point
        has_before = before >= 0
        has_before[has_before] = told.owner[before[has_before]] == rows[has_before]
        safe = np.where(has_before, before, 0)
        del before
        last_sign = np.where(has_before, told.sign[safe], 0)
        recent = has_before & (told.day[safe] >= point.view(np.int64) - window_days)
        del safe, has_before
        status[(last_sign > 0) & recent] = RETAINED
        status[(status == UNKNOWN) & (last_sign >= 0) & (next_sign > 0)] = RETAINED
        status[last_sign < 0] = LEFT_JOB
        del last_sign, next_sign, recent
    has_end = ~np.isnat(ended)
    status[has_end] = np.where(ended[has_end] >= point[has_end], RETAINED, LEFT_JOB)
    later = np.isnat(point) | (point > observed)
    status[later] = LATER
    reached = has_end.copy()
    if latest is not None:  # a contact up to the observation day, at most window_days before the point
        reached |= ~np.isnat(latest) & (latest >= point - np.timedelta64(window_days, "D"))
    return status, reached & ~later


def _usable(contacts: Contacts, start: np.ndarray, observed: np.datetime64) -> tuple[_Sorted | None, np.ndarray | None]:
    """The contacts that tell whether the person is in the job, and each placement's latest contact.

    Only contacts from a placement's start to ``observed`` count. Both depend on the
    placements and the observation day, not on the point: kept with ``contacts`` for the
    same ``start`` array, so every retention point of a report reuses them.
    """
    key = (observed, len(start))
    found = contacts._seen.get(key)
    if found is not None and found[0] is start:
        return found[1], found[2]
    n = len(start)
    c_owner, c_day = contacts.owner, contacts.day
    valid = (c_owner >= 0) & (c_owner < n) & ~np.isnat(c_day) & (c_day <= observed)
    if n:
        valid &= c_day >= start[np.where(valid, c_owner, 0)]  # contacts before the start say nothing
    telling = valid & (contacts.sign != 0)
    told = _Sorted(contacts, telling) if n and telling.any() else None
    latest = _latest(n, c_owner[valid], c_day[valid]) if n and valid.any() else None
    contacts._seen.clear()
    contacts._seen[key] = (start, told, latest)
    return told, latest


def retention_spells(
    start: np.ndarray, ended_on: np.ndarray, contacts: Contacts, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """Days in the job and whether the person left, per placement — the time-to-event form of :func:`retention_status`.

    The spell ends (the event) on the first day the placement is *left* at by the
    module's rules: the day after a known end before ``as_of``, or the day of the first
    contact finding the person gone. Otherwise it is censored on the last day the person
    was known in the job: ``as_of`` under an end date still to come, else the last
    contact finding them in it (the start when none).
    """
    start, ended = _days(start), _days(ended_on)
    n = len(start)
    observed = np.datetime64(as_of, "D")
    owner = np.asarray(contacts.owner, dtype=np.int64)
    day = _days(contacts.day)
    sign = np.asarray(contacts.sign)
    ok = (owner >= 0) & ~np.isnat(day) & (day <= observed)
    if n:
        ok &= day >= start[np.where(ok, owner, 0)]
    first_out = np.full(n, _FAR)
    gone = ok & (sign < 0)
    np.minimum.at(first_out, owner[gone], day[gone])
    last_in = start.copy()
    seen = ok & (sign > 0)
    np.maximum.at(last_in, owner[seen], day[seen])
    left = first_out < _FAR
    end = np.where(left, first_out, last_in)
    has_end = ~np.isnat(ended)
    ended_before = has_end & (ended < observed)
    end = np.where(ended_before, ended + np.timedelta64(1, "D"), end)
    end = np.where(has_end & ~ended_before, observed, end)
    left = np.where(has_end, ended_before, left)
    days = np.maximum((end - start).astype(np.int64), 0).astype(np.float64)
    return days, left.astype(bool)


def retention_rate(retained: int, left: int, unknown: int, exclude_unknown: bool) -> tuple[int, int]:
    """``(numerator, denominator)`` of a retention rate: unknown counts as not confirmed unless excluded.

    >>> retention_rate(3, 1, 2, False), retention_rate(3, 1, 2, True)
    ((3, 6), (3, 4))
    """
    return retained, retained + left + (0 if exclude_unknown else unknown)


# ---------------------------------------------------------------------- over records


def contacts_of(placements: Sequence[Placement], contacts: Iterable[FollowUpContact]) -> Contacts:
    """The contacts of ``placements`` as :class:`Contacts`, sorted (those of other placements are dropped)."""
    index = {p.placement_id: n for n, p in enumerate(placements)}
    owner, day, code = [], [], []
    for c in contacts:
        row = index.get(c.placement_id)
        if row is not None:
            owner.append(row)
            day.append(c.contacted_on)
            code.append(c.outcome.code)
    if not owner:
        return Contacts.empty()
    return Contacts(np.array(owner, np.int64), np.array(day, _DAY), outcome_signs(code)).sorted()


def placement_columns(placements: Sequence[Placement]) -> tuple[np.ndarray, np.ndarray]:
    """Start and end days of ``placements`` as arrays (``NaT`` where no end is known)."""
    start = np.array([p.start_date for p in placements], _DAY)
    ended = np.array([p.ended_on if p.ended_on is not None else "NaT" for p in placements], _DAY)
    return start, ended


@frozen(kw_only=True)
class RetentionRow:
    """Retention of one placement at each point: ``True``, ``False`` or ``None`` (unknown or not yet due)."""

    placement_id: str
    seeker_id: str
    employment_type: str
    start_date: dt.date
    retained: Mapping[int, bool | None] = field(hash=False)

    def as_dict(self) -> dict[str, Any]:
        """A flat row (``retained_1m`` … columns) for CSV or JSON."""
        row: dict[str, Any] = {
            "placement_id": self.placement_id,
            "seeker_id": self.seeker_id,
            "employment_type": self.employment_type,
            "start_date": self.start_date.isoformat(),
        }
        for months, value in self.retained.items():
            row[f"retained_{months}m"] = value
        return row


def retention_feed(
    placements: Iterable[Placement],
    contacts: Iterable[FollowUpContact],
    months: Sequence[int] = DEFAULT_MONTHS,
    as_of: dt.date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> list[RetentionRow]:
    """:func:`retention_status` at each of ``months`` for every placement, as rows.

    ``as_of`` defaults to today; a point after it is ``None``, as is an unknown status.
    """
    placed = list(placements)
    day = as_of or dt.date.today()
    start, ended = placement_columns(placed)
    found = contacts_of(placed, contacts)
    statuses = {
        m: retention_status(start, ended, add_months_array(start, m), found, day, window_days)[0] for m in months
    }
    value = {RETAINED: True, LEFT_JOB: False}
    return [
        RetentionRow(
            placement_id=p.placement_id,
            seeker_id=p.seeker_id,
            employment_type=p.employment_type.code,
            start_date=p.start_date,
            retained={m: value.get(int(statuses[m][n])) for m in months},
        )
        for n, p in enumerate(placed)
    ]


def retention_rates(rows: Iterable[RetentionRow]) -> dict[int, tuple[int, int]]:
    """For each point: (retained, known) counts — the rate is retained / known.

    >>> import datetime as dt
    >>> rows = [RetentionRow(placement_id="P1", seeker_id="S1", employment_type="regular",
    ...                      start_date=dt.date(2016, 1, 4), retained={6: True, 12: None}),
    ...         RetentionRow(placement_id="P2", seeker_id="S2", employment_type="regular",
    ...                      start_date=dt.date(2016, 1, 4), retained={6: False, 12: False})]
    >>> retention_rates(rows)
    {6: (1, 2), 12: (0, 1)}
    """
    out: dict[int, tuple[int, int]] = {}
    for row in rows:
        for m, value in row.retained.items():
            kept, known = out.get(m, (0, 0))
            if value is not None:
                out[m] = (kept + int(value), known + 1)
            else:
                out[m] = (kept, known)
    return out
