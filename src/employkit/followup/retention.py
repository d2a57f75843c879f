"""The retention feed: who was still employed 1, 3, 6 and 12 months after starting.

The KPIs (6- and 12-month retention, 고용유지율) read this feed; it is worked out from the
placements and the recorded follow-up contacts alone, so it needs no store:

* an outcome showing the person in the job (still employed, renewed, converted to
  regular, considering a move) on or after the point means **retained** there — and at
  every earlier point, since it is the same job;
* a known end (``Placement.ended_on``) before the point, an outcome showing the person
  gone (left, seeking or not) on or before the point, or a fixed-term contract that ended
  before the point with no renewal or conversion recorded means **not retained**;
* anything else is **unknown** (``None``), as is every point after ``as_of``.

>>> import datetime as dt
>>> from employkit.model import Placement, EmploymentType, FollowUpContact, FollowUpOutcome
>>> p = Placement(placement_id="P1", seeker_id="S1", employer_id="E1",
...               start_date=dt.date(2016, 3, 2), employment_type=EmploymentType.REGULAR)
>>> seen = FollowUpContact(placement_id="P1", contacted_on=dt.date(2016, 9, 2),
...                        outcome=FollowUpOutcome.STILL_EMPLOYED)
>>> row = retention_feed([p], [seen])[0]
>>> row.retained
{1: True, 3: True, 6: True, 12: None}
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from attrs import field, frozen

from employkit.followup.calendar import add_months
from employkit.model import FIXED_TERM_TYPES, FollowUpContact, FollowUpOutcome, Placement

__all__ = ["DEFAULT_MONTHS", "EMPLOYED", "LEFT", "RetentionRow", "retention_feed", "retention_rates"]

#: The retention points when no parameter says otherwise (``followup.retention.months``).
DEFAULT_MONTHS: tuple[int, ...] = (1, 3, 6, 12)

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
_CONTINUED = frozenset({FollowUpOutcome.RENEWED, FollowUpOutcome.CONVERTED_REGULAR})


@frozen(kw_only=True)
class RetentionRow:
    """Retention of one placement at each point: ``True``, ``False`` or ``None`` (unknown)."""

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
) -> list[RetentionRow]:
    """Retention at each of ``months`` for every placement (see the module text)."""
    by_placement: dict[str, list[FollowUpContact]] = defaultdict(list)
    for c in contacts:
        by_placement[c.placement_id].append(c)
    rows = []
    for p in placements:
        seen = by_placement.get(p.placement_id, [])
        last_in = max((c.contacted_on for c in seen if c.outcome in EMPLOYED), default=None)
        first_out = min((c.contacted_on for c in seen if c.outcome in LEFT), default=None)
        continued = any(c.outcome in _CONTINUED for c in seen)
        retained: dict[int, bool | None] = {}
        for m in months:
            point = add_months(p.start_date, m)
            retained[m] = _at(p, point, last_in, first_out, continued, as_of)
        rows.append(
            RetentionRow(
                placement_id=p.placement_id,
                seeker_id=p.seeker_id,
                employment_type=p.employment_type.code,
                start_date=p.start_date,
                retained=retained,
            )
        )
    return rows


def _at(
    p: Placement,
    point: dt.date,
    last_in: dt.date | None,
    first_out: dt.date | None,
    continued: bool,
    as_of: dt.date | None,
) -> bool | None:
    if as_of is not None and point > as_of:
        return None
    if p.ended_on is not None:
        return p.ended_on >= point
    if last_in is not None and last_in >= point:
        return True
    if first_out is not None and first_out <= point:
        return False
    if (
        p.employment_type in FIXED_TERM_TYPES
        and p.contract_end is not None
        and p.contract_end < point
        and not continued
        and (last_in is None or last_in <= p.contract_end)
    ):
        return False
    return None


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
