"""The statutory working-day calendar (法定工作日), holidays and make-up days (调休) included.

Backed by `chinesecalendar`. For a year the library does not know, a campaign file
may declare the year's holidays and make-up working days; without them any
question about that year raises CalendarNotCovered rather than guessing from
weekends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import chinese_calendar

Date = dt.date


class CalendarNotCovered(LookupError):
    """No statutory holiday schedule is known for the year asked about."""


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days per the statutory calendar, plus a campaign's own additions.

    `extra_years` maps a year the library does not cover to its declared
    holidays and make-up working days: {2027: {"holidays": [...], "workdays": [...]}}.
    """

    extra_years: dict[int, dict[str, frozenset[Date]]] = field(default_factory=dict)

    def is_working_day(self, day: Date) -> bool:
        declared = self.extra_years.get(day.year)
        if declared is not None:
            if day in declared["workdays"]:
                return True
            if day in declared["holidays"]:
                return False
            return day.weekday() < 5
        try:
            return _statutory_working_day(day)
        except NotImplementedError:
            raise CalendarNotCovered(
                f"{day.year}年的法定节假日安排未知（chinesecalendar 未收录该年）。"
                f"请在活动配置文件的 [calendar.{day.year}] 中填写该年的节假日(holidays)"
                f"和调休上班日(workdays)，或升级 chinesecalendar。"
            ) from None

    def working_days_between(self, start: Date, end: Date) -> int:
        """Working days from start to end, both included; 0 if end is before start."""
        return sum(1 for day in _days(start, end) if self.is_working_day(day))

    def working_days_in(self, periods: Iterable[tuple[Date, Date]]) -> int:
        """Working days in the union of several periods (overlaps counted once)."""
        days: set[Date] = set()
        for start, end in periods:
            days.update(_days(start, end))
        return sum(1 for day in days if self.is_working_day(day))

    def add_working_days(self, day: Date, n: int) -> Date:
        """The n-th working day after `day` (n ≥ 1); for n == 0, `day` itself."""
        if n < 0:
            raise ValueError("n must be ≥ 0")
        current = day
        while n > 0:
            current += dt.timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def next_working_day(self, day: Date) -> Date:
        """`day` if it is a working day, otherwise the first one after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)

    def slack(self, projected: Date, due: Date) -> int:
        """Working days from `projected` to `due`: positive = time to spare,
        negative = working days late, 0 = on the due date itself."""
        if projected <= due:
            return self.working_days_between(projected + dt.timedelta(days=1), due)
        return -self.working_days_between(due + dt.timedelta(days=1), projected)

    def holidays_between(self, start: Date, end: Date) -> list[Date]:
        """Days in the period that are not working days (weekends and holidays)."""
        return [day for day in _days(start, end) if not self.is_working_day(day)]


@cache
def _statutory_working_day(day: Date) -> bool:
    """chinesecalendar's answer, remembered: the library validates every call and is slow."""
    return chinese_calendar.is_workday(day)


def _days(start: Date, end: Date) -> Iterable[Date]:
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


STATUTORY = WorkingCalendar()
