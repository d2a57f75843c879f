"""Retention at month N: the one definition (employkit.followup.retention) on its edge cases.

The KPIs, ``employkit followup retention``, the survival curves and the audit all read
this definition; the tests below check the definition and that each reader gives the same
answer on the same placement.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from employkit.dataset import Dataset
from employkit.followup.calendar import add_months
from employkit.followup.retention import (
    LATER,
    LEFT_JOB,
    RETAINED,
    UNKNOWN,
    Contacts,
    add_months_array,
    retention_feed,
    retention_spells,
    retention_status,
)
from employkit.metrics.report import kpi_report
from employkit.model import EmploymentType, FollowUpContact, FollowUpOutcome, Placement, Seeker
from employkit.testing import make_system

Out = FollowUpOutcome
START = dt.date(2015, 3, 2)
SIX = dt.date(2015, 9, 2)  # six months after START
AS_OF = dt.date(2016, 6, 30)


def _placement(n: int = 1, **kw: object) -> Placement:
    kw.setdefault("employment_type", EmploymentType.REGULAR)
    return Placement(placement_id=f"P{n}", seeker_id=f"S{n}", employer_id="E1", start_date=START, **kw)  # type: ignore[arg-type]


def _call(day: dt.date, outcome: FollowUpOutcome, n: int = 1) -> FollowUpContact:
    return FollowUpContact(placement_id=f"P{n}", contacted_on=day, outcome=outcome)


def _six(placement: Placement, calls: list[FollowUpContact], as_of: dt.date = AS_OF) -> bool | None:
    return retention_feed([placement], calls, (6,), as_of)[0].retained[6]


def test_the_last_contact_on_or_before_the_point_decides() -> None:
    p = _placement()
    # left, then found employed after the point: left at the point
    assert (
        _six(p, [_call(dt.date(2015, 6, 1), Out.LEFT_SEEKING), _call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED)])
        is False
    )
    # left, then back in the job before the point (within the window): retained
    assert _six(p, [_call(dt.date(2015, 6, 1), Out.LEFT_SEEKING), _call(dt.date(2015, 8, 25), Out.RENEWED)]) is True
    # in the job, then gone before the point: left
    assert (
        _six(p, [_call(dt.date(2015, 4, 1), Out.STILL_EMPLOYED), _call(dt.date(2015, 8, 1), Out.LEFT_NOT_SEEKING)])
        is False
    )


def test_a_contact_in_the_job_after_the_point_confirms_it() -> None:
    p = _placement()
    assert _six(p, [_call(dt.date(2016, 1, 4), Out.STILL_EMPLOYED)]) is True
    # gone after the point: when they left is not known
    assert _six(p, [_call(dt.date(2016, 1, 4), Out.LEFT_SEEKING)]) is None
    # an early call in the job, outside the window, and nothing after: unknown
    assert _six(p, [_call(dt.date(2015, 4, 1), Out.STILL_EMPLOYED)]) is None
    # within the window before the point: retained
    assert _six(p, [_call(SIX - dt.timedelta(days=14), Out.STILL_EMPLOYED)]) is True
    assert _six(p, [_call(SIX - dt.timedelta(days=15), Out.STILL_EMPLOYED)]) is None


def test_contacts_that_say_nothing_about_the_job_are_ignored() -> None:
    p = _placement()
    calls = [_call(dt.date(2015, 8, 30), Out.STILL_EMPLOYED), _call(dt.date(2015, 9, 1), Out.UNREACHABLE)]
    assert _six(p, calls) is True


def test_a_fixed_term_contract_that_ended_with_no_contact_is_unknown_not_left() -> None:
    p = _placement(employment_type=EmploymentType.SHORT_TERM_CONTRACT, contract_end=dt.date(2015, 6, 30))
    assert _six(p, []) is None
    assert _six(p, [_call(dt.date(2015, 7, 15), Out.LEFT_SEEKING)]) is False


def test_a_known_end_date_decides() -> None:
    assert _six(_placement(ended_on=SIX), [_call(dt.date(2015, 5, 1), Out.LEFT_SEEKING)]) is True
    assert _six(_placement(ended_on=SIX - dt.timedelta(days=1)), [_call(SIX, Out.STILL_EMPLOYED)]) is False


def test_not_yet_due_and_not_yet_recorded() -> None:
    p = _placement()
    assert _six(p, [_call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED)], as_of=dt.date(2015, 9, 1)) is None
    # a contact after the observation date is not seen
    assert _six(p, [_call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED)], as_of=dt.date(2015, 9, 20)) is None
    start = np.array([START], "datetime64[D]")
    status, reached = retention_status(
        start, np.array(["NaT"], "datetime64[D]"), add_months_array(start, 6), Contacts.empty(), dt.date(2015, 9, 1)
    )
    assert status.tolist() == [LATER] and not reached.any()


def test_add_months_array_is_the_calendar_add_months() -> None:
    days = [dt.date(2016, 1, 31), dt.date(2015, 12, 31), dt.date(2016, 3, 2), dt.date(2015, 8, 31)]
    for months in (1, 3, 6, 12):
        found = add_months_array(np.array(days, "datetime64[D]"), months)
        assert [d.astype(object) for d in found] == [add_months(d, months) for d in days]


def _centre(placements: list[Placement], calls: list[FollowUpContact]) -> Dataset:
    seekers = [
        Seeker(seeker_id=p.seeker_id, residence_code="11140", registered_on=START, birth_year=1970) for p in placements
    ]
    return Dataset(seekers=seekers, placements=placements, followups=calls)


def test_the_kpi_and_the_feed_agree_and_missing_gives_no_value() -> None:
    placements = [
        _placement(1),  # left, then seen employed after the point: left
        _placement(2, employment_type=EmploymentType.SHORT_TERM_CONTRACT, contract_end=dt.date(2015, 6, 30)),  # unknown
        _placement(3),  # seen after the point: retained
    ]
    calls = [
        _call(dt.date(2015, 6, 1), Out.LEFT_SEEKING, 1),
        _call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED, 1),
        _call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED, 3),
    ]
    system = make_system()
    six = kpi_report(_centre(placements, calls), system, AS_OF, year=2015, only=["retention_6m"], publish=False)
    value = six.get("retention_6m").value
    assert (value.numerator, value.denominator) == (1, 3)
    assert (
        value.explanation.inputs["retained"],
        value.explanation.inputs["left"],
        value.explanation.inputs["unknown"],
    ) == (1, 1, 1)
    feed = [r.retained[6] for r in retention_feed(placements, calls, (6,), AS_OF)]
    assert feed == [False, None, True]
    # nothing reaches the point: no value, never 0
    quiet = kpi_report(_centre(placements[1:2], []), system, AS_OF, year=2015, only=["retention_6m"], publish=False)
    assert quiet.get("retention_6m").value.value is None


def test_spells_end_at_the_first_leaving_and_are_censored_on_the_last_sight() -> None:
    start = np.array([START] * 4, "datetime64[D]")
    ended = np.array(["NaT", "NaT", "2015-05-01", "NaT"], "datetime64[D]")
    contacts = Contacts(
        np.array([0, 0, 1, 3]),
        np.array(["2015-06-01", "2015-10-01", "2015-07-01", "2017-01-01"], "datetime64[D]"),
        np.array([-1, 1, 1, 1], np.int8),
    )
    days, left = retention_spells(start, ended, contacts, AS_OF)
    assert days.tolist() == [91.0, 121.0, 61.0, 0.0]  # the last contact is after the observation date
    assert left.tolist() == [True, False, True, False]


@st.composite
def _histories(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, Contacts, int]:
    n = draw(st.integers(1, 12))
    start = np.array([np.datetime64("2015-01-01") + draw(st.integers(0, 300)) for _ in range(n)], "datetime64[D]")
    ended = np.array(
        [start[i] + draw(st.integers(0, 500)) if draw(st.booleans()) else np.datetime64("NaT") for i in range(n)],
        "datetime64[D]",
    )
    k = draw(st.integers(0, 30))
    owner = np.array([draw(st.integers(0, n - 1)) for _ in range(k)], np.int64)
    day = np.array([start[o] + draw(st.integers(-10, 500)) for o in owner], "datetime64[D]").reshape(-1)
    sign = np.array([draw(st.sampled_from([-1, 0, 1])) for _ in range(k)], np.int8)
    return start, ended, Contacts(owner, day, sign), draw(st.integers(1, 12))


def _one(start: np.ndarray, ended: np.ndarray, contacts: Contacts, i: int, point: np.datetime64) -> int:
    """The module's rules read literally for one placement: the oracle of the vectorised code."""
    if not np.isnat(ended[i]):
        return RETAINED if ended[i] >= point else LEFT_JOB
    mine = sorted(  # on one day, a contact finding the person gone is the later
        (d, -s)
        for o, d, s in zip(contacts.owner, contacts.day, contacts.sign, strict=True)
        if o == i and s != 0 and start[i] <= d <= np.datetime64(AS_OF)
    )
    before = [(d, -s) for d, s in mine if d <= point]
    after = [(d, -s) for d, s in mine if d > point]
    if before and before[-1][1] < 0:
        return LEFT_JOB
    if before and before[-1][1] > 0 and before[-1][0] >= point - np.timedelta64(14, "D"):
        return RETAINED
    if after and after[0][1] > 0:
        return RETAINED
    return UNKNOWN


@settings(max_examples=150, deadline=None)
@given(_histories())
def test_status_on_columns_follows_the_rules_row_by_row(history: tuple[np.ndarray, np.ndarray, Contacts, int]) -> None:
    start, ended, contacts, months = history
    point = add_months_array(start, months)
    status, reached = retention_status(start, ended, point, contacts, AS_OF)
    for i in range(len(start)):
        expected = LATER if point[i] > np.datetime64(AS_OF) else _one(start, ended, contacts, i, point[i])
        assert status[i] == expected
        assert not reached[i] or status[i] != LATER
    # the spell of a placement left at the point has ended by then
    days, left = retention_spells(start, ended, contacts, AS_OF)
    for i in np.flatnonzero(status == LEFT_JOB):
        assert left[i] and days[i] <= (point[i] - start[i]).astype(int)


def test_the_audit_counts_retention_as_the_kpi_does() -> None:
    from employkit.accountability.audit import fairness_audit

    placements = [_placement(n) for n in range(1, 7)]
    calls = [
        _call(dt.date(2015, 6, 1), Out.LEFT_SEEKING, 1),
        _call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED, 1),  # left at six months
        _call(dt.date(2015, 10, 1), Out.STILL_EMPLOYED, 2),
        _call(dt.date(2015, 8, 25), Out.RENEWED, 3),
        _call(dt.date(2015, 4, 2), Out.LEFT_NOT_SEEKING, 4),
    ]  # 5 and 6: unknown
    system = make_system().with_parameters({"metrics.suppression.min_cell": 1})
    data = _centre(placements, calls)
    kpi = kpi_report(data, system, AS_OF, year=2015, only=["retention_6m"], publish=False).get("retention_6m").value
    audit = fairness_audit(data, system, AS_OF, by=["gender"], sections=["followup"], publish=False)
    (row,) = audit.retention[0].rows
    six = next(c for c in row.cells if c.months == 6)
    assert (six.retained, six.known) == (kpi.numerator, kpi.denominator) == (2, 6)
    assert six.rate == pytest.approx(kpi.value / 100)
