"""Age: one definition (employkit.model.age_in_years), for one seeker and for a column."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from employkit.model import Seeker, ages_on

_days = st.dates(dt.date(1930, 1, 1), dt.date(2030, 12, 31))


def _seeker(born: dt.date | None, year: int | None = None) -> Seeker:
    return Seeker(
        seeker_id="S1", residence_code="11140", registered_on=dt.date(2016, 1, 4), birth_date=born, birth_year=year
    )


@given(_days, _days)
def test_a_year_is_added_on_the_birthday_and_only_then(born: dt.date, day: dt.date) -> None:
    if day <= born:
        return
    s = _seeker(born)
    step = s.age_on(day) - s.age_on(day - dt.timedelta(days=1))  # type: ignore[operator]
    assert step == int((day.month, day.day) == (born.month, born.day))
    assert s.age_on(dt.date(day.year, 12, 31)) == day.year - born.year  # by the year's end the birthday is past


@given(st.lists(st.tuples(_days, _days, st.booleans()), min_size=1, max_size=20))
def test_a_column_gives_each_row_its_own_age(rows: list[tuple[dt.date, dt.date, bool]]) -> None:
    days = np.array([d for _, d, _ in rows], "datetime64[D]")
    dated = np.array([b if full else "NaT" for b, _, full in rows], "datetime64[D]")
    years = np.array([np.nan if full else b.year for b, _, full in rows])
    found = ages_on(days, dated, years)
    expected = [_seeker(b if full else None, None if full else b.year).age_on(d) for b, d, full in rows]
    assert found.tolist() == expected


def test_unknown_birth_gives_no_age() -> None:
    assert _seeker(None).age_on(dt.date(2016, 1, 4)) is None
    assert np.isnan(
        ages_on(np.array(["2016-01-04"], "datetime64[D]"), np.array(["NaT"], "datetime64[D]"), [np.nan])
    ).all()
    # birth year only: the difference of years
    assert _seeker(None, 1970).age_on(dt.date(2016, 1, 4)) == 46
