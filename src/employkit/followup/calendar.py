"""Business days and calendar months for follow-up schedules.

Korean public holidays come from the maintained ``holidays`` package (lunar holidays
such as Seollal and Chuseok, and substitute holidays included); a district may add its
own closing days through the ``employkit_business_calendar`` hook.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from functools import cache
from typing import Any

from employkit.labels import Text

__all__ = ["BusinessCalendar", "add_months", "korean_calendar"]

_WEEKEND = {5: Text("토요일", "Saturday"), 6: Text("일요일", "Sunday")}
_CLOSURE = Text("휴무일", "closure")


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months, keeping the day of month where it exists.

    >>> add_months(dt.date(2016, 1, 31), 1)
    datetime.date(2016, 2, 29)
    >>> add_months(dt.date(2016, 3, 2), 3)
    datetime.date(2016, 6, 2)
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


class BusinessCalendar:
    """Which days a centre works: weekdays that are not public holidays or closures."""

    def __init__(self, name: str, holidays: Any, closures: Iterable[dt.date] = (), local_names: Any = None) -> None:
        """``holidays`` is anything with ``day in holidays`` and ``holidays.get(day)``.

        ``local_names`` optionally gives the Korean names of the same holidays (same
        interface), so :meth:`closed_label` can say why a day is closed in both languages.
        """
        self.name = name
        self._holidays = holidays
        self._closures = frozenset(closures)
        self._local = local_names

    def holiday_name(self, day: dt.date) -> str | None:
        """The name of the holiday or closure on ``day``, or ``None``."""
        if day in self._closures:
            return "closure"
        name = self._holidays.get(day)
        return None if name is None else str(name)

    def closed_label(self, day: dt.date) -> Text | None:
        """Why ``day`` is not a business day (holiday, closure or weekend), or ``None``.

        >>> cal = BusinessCalendar("demo", {dt.date(2016, 9, 15): "Chuseok"})
        >>> cal.closed_label(dt.date(2016, 9, 15)).en
        'Chuseok'
        >>> cal.closed_label(dt.date(2016, 9, 17)).ko
        '토요일'
        >>> cal.closed_label(dt.date(2016, 9, 19)) is None
        True
        """
        if day in self._closures:
            return _CLOSURE
        name = self._holidays.get(day)
        if name is not None:
            local = self._local.get(day) if self._local is not None else None
            return Text(str(local or name), str(name))
        return _WEEKEND.get(day.weekday())

    def is_business_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a weekday that is neither a holiday nor a closure."""
        return day.weekday() < 5 and self.holiday_name(day) is None

    def next_business_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a business day, else the first business day after it."""
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def previous_business_day(self, day: dt.date) -> dt.date:
        """``day`` if it is a business day, else the last business day before it."""
        while not self.is_business_day(day):
            day -= dt.timedelta(days=1)
        return day

    def add_business_days(self, day: dt.date, days: int) -> dt.date:
        """The business day ``days`` business days after ``day`` (``days`` ≥ 0)."""
        current = day
        for _ in range(days):
            current = self.next_business_day(current + dt.timedelta(days=1))
        return current


def korean_calendar(closures: Iterable[dt.date] = ()) -> BusinessCalendar:
    """Korean public holidays (공휴일, with substitute holidays) plus ``closures``.

    Without closures the same calendar object is returned every time, so the holidays
    of a year are worked out once.

    >>> cal = korean_calendar()
    >>> cal.next_business_day(dt.date(2016, 9, 14))  # Chuseok 2016: 14-16 September
    datetime.date(2016, 9, 19)
    >>> cal.previous_business_day(dt.date(2016, 9, 16))
    datetime.date(2016, 9, 13)
    """
    closed = frozenset(closures)
    return _korean(closed)


@cache
def _korean(closures: frozenset[dt.date]) -> BusinessCalendar:
    import holidays

    return BusinessCalendar(
        "KR public holidays",
        holidays.country_holidays("KR"),
        closures,
        local_names=holidays.country_holidays("KR", language="ko"),
    )
