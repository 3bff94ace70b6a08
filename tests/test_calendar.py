"""The statutory working-day calendar around the 2020 holidays.

Every expected value is worked out by hand from the 2020 State Council holiday
schedule (端午 06-25..06-27 with Sunday 06-28 worked; 国庆+中秋 10-01..10-08 with
Sunday 09-27 and Saturday 10-10 worked). 2020-06-01 was a Monday, 2020-07-01 a
Wednesday, 2020-08-01 a Saturday, 2020-10-01 a Thursday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from domain.calendar import STATUTORY, CalendarNotCovered, WorkingCalendar

D = dt.date
cal = STATUTORY


# ---- single days ---------------------------------------------------------------------

def test_weekday_assumptions_used_in_this_file():
    # Sanity for the hand-worked values below (pure stdlib, not the code under test).
    assert D(2020, 6, 28).weekday() == 6  # Sunday
    assert D(2020, 6, 25).weekday() == 3  # Thursday
    assert D(2020, 7, 10).weekday() == 4  # Friday
    assert D(2020, 9, 27).weekday() == 6  # Sunday
    assert D(2020, 10, 10).weekday() == 5  # Saturday


def test_dragon_boat_make_up_sunday_is_a_working_day():
    # 2020-06-28 is a Sunday but the make-up day (调休) for the Dragon Boat holiday.
    assert cal.is_working_day(D(2020, 6, 28)) is True


@pytest.mark.parametrize("day", [D(2020, 6, 25), D(2020, 6, 26), D(2020, 6, 27)])
def test_dragon_boat_holiday_is_not_working(day):
    # 06-25 Thu, 06-26 Fri, 06-27 Sat: the Dragon Boat holiday.
    assert cal.is_working_day(day) is False


def test_ordinary_weekdays_and_weekends():
    assert cal.is_working_day(D(2020, 6, 24)) is True  # Wednesday before the holiday
    assert cal.is_working_day(D(2020, 6, 29)) is True  # Monday after
    assert cal.is_working_day(D(2020, 6, 20)) is False  # ordinary Saturday
    assert cal.is_working_day(D(2020, 6, 21)) is False  # ordinary Sunday


@pytest.mark.parametrize("day", [D(2020, 10, d) for d in range(1, 9)])
def test_national_day_2020_holiday(day):
    # 2020-10-01..10-08: National Day merged with Mid-Autumn, eight days off.
    assert cal.is_working_day(day) is False


@pytest.mark.parametrize("day", [D(2020, 9, 27), D(2020, 10, 10)])
def test_national_day_2020_make_up_days(day):
    # Sunday 09-27 and Saturday 10-10 were worked.
    assert cal.is_working_day(day) is True


def test_national_day_2020_working_days_in_october_first_half():
    # 10-01..10-11: 01..08 off, 09 Fri worked, 10 Sat worked (调休), 11 Sun off → 2.
    assert cal.working_days_between(D(2020, 10, 1), D(2020, 10, 11)) == 2
    # 09-26..10-10: 26 Sat off, 27 Sun worked, 28..30 Mon–Wed worked (3),
    # 10-01..08 off, 09 Fri, 10 Sat → 1 + 3 + 2 = 6.
    assert cal.working_days_between(D(2020, 9, 26), D(2020, 10, 10)) == 6


# ---- counting ---------------------------------------------------------------------------

def test_working_days_between_over_the_dragon_boat_week():
    # 06-24 Wed ✓, 25–27 holiday ✗, 28 Sun (调休) ✓, 29 Mon ✓, 30 Tue ✓ → 4,
    # although the period has 7 calendar days.
    assert cal.working_days_between(D(2020, 6, 24), D(2020, 6, 30)) == 4


def test_working_days_in_the_registration_window():
    # 06-08..06-30: 08–12 (5) + 15–19 (5) + 22–24 (3) + 28 Sun (1) + 29–30 (2) = 16.
    assert cal.working_days_between(D(2020, 6, 8), D(2020, 6, 30)) == 16


def test_working_days_between_single_day_and_empty():
    assert cal.working_days_between(D(2020, 6, 24), D(2020, 6, 24)) == 1
    assert cal.working_days_between(D(2020, 6, 25), D(2020, 6, 25)) == 0  # holiday
    assert cal.working_days_between(D(2020, 6, 30), D(2020, 6, 24)) == 0  # end before start


def test_holidays_between_lists_weekends_and_holidays():
    # 06-20..06-30 off days: Sat 20, Sun 21, 25, 26, 27 (28 Sun is worked).
    assert cal.holidays_between(D(2020, 6, 20), D(2020, 6, 30)) == [
        D(2020, 6, 20), D(2020, 6, 21), D(2020, 6, 25), D(2020, 6, 26), D(2020, 6, 27)]


def test_working_days_in_counts_overlaps_once():
    # 07-01..07-03 (Wed–Fri, 3) and 07-02..07-07 (Thu, Fri, Mon, Tue, 4) overlap on 02, 03:
    # union 07-01..07-07 = Wed, Thu, Fri, Mon, Tue = 5, not 3 + 4 = 7.
    periods = [(D(2020, 7, 1), D(2020, 7, 3)), (D(2020, 7, 2), D(2020, 7, 7))]
    assert cal.working_days_in(periods) == 5


def test_working_days_in_identical_and_disjoint_periods():
    # The same period twice counts once: 06-24..06-30 = 4.
    same = [(D(2020, 6, 24), D(2020, 6, 30))] * 2
    assert cal.working_days_in(same) == 4
    # Disjoint: 06-22..06-24 (Mon–Wed, 3) + 06-29..06-30 (2) = 5.
    apart = [(D(2020, 6, 22), D(2020, 6, 24)), (D(2020, 6, 29), D(2020, 6, 30))]
    assert cal.working_days_in(apart) == 5
    assert cal.working_days_in([]) == 0


# ---- adding working days -------------------------------------------------------------------

def test_add_working_days_across_the_dragon_boat_holiday():
    # After Wed 06-24 the next working day is Sunday 06-28 (25–27 are off).
    assert cal.add_working_days(D(2020, 6, 24), 1) == D(2020, 6, 28)
    # 28 (1), 29 (2), 30 (3), 07-01 (4).
    assert cal.add_working_days(D(2020, 6, 24), 4) == D(2020, 7, 1)


def test_add_working_days_zero_and_negative():
    assert cal.add_working_days(D(2020, 6, 25), 0) == D(2020, 6, 25)
    with pytest.raises(ValueError):
        cal.add_working_days(D(2020, 6, 25), -1)


def test_add_thirty_working_days_after_july_10():
    # Fri 07-10 + 30 working days, no holidays in July/August 2020:
    # 07-13..17 (5), 20..24 (10), 27..31 (15), 08-03..07 (20), 10..14 (25), 17..21 (30)
    # → Friday 2020-08-21.
    assert cal.add_working_days(D(2020, 7, 10), 30) == D(2020, 8, 21)


def test_add_working_days_across_national_day():
    # After Wed 09-30: 10-01..08 off, Fri 10-09 is the 1st, Sat 10-10 (调休) the 2nd,
    # Mon 10-12 the 3rd.
    assert cal.add_working_days(D(2020, 9, 30), 1) == D(2020, 10, 9)
    assert cal.add_working_days(D(2020, 9, 30), 2) == D(2020, 10, 10)
    assert cal.add_working_days(D(2020, 9, 30), 3) == D(2020, 10, 12)


def test_next_working_day():
    assert cal.next_working_day(D(2020, 6, 24)) == D(2020, 6, 24)  # already one
    assert cal.next_working_day(D(2020, 6, 25)) == D(2020, 6, 28)  # holiday → Sunday 调休
    assert cal.next_working_day(D(2020, 10, 1)) == D(2020, 10, 9)


# ---- slack ---------------------------------------------------------------------------------

def test_slack_positive_when_early():
    # Projected Mon 08-17, due Thu 08-20: 18, 19, 20 to spare → 3.
    assert cal.slack(D(2020, 8, 17), D(2020, 8, 20)) == 3


def test_slack_zero_on_the_due_date():
    assert cal.slack(D(2020, 8, 20), D(2020, 8, 20)) == 0


def test_slack_negative_when_late():
    # Due Thu 08-20, projected Mon 08-24: late by Fri 21 and Mon 24 (weekend not counted) → -2.
    assert cal.slack(D(2020, 8, 24), D(2020, 8, 20)) == -2


def test_slack_over_the_holiday():
    # Projected 06-24, due 06-29: 25–27 off, 28 ✓, 29 ✓ → 2 to spare.
    assert cal.slack(D(2020, 6, 24), D(2020, 6, 29)) == 2
    # Projected 06-28 due 06-24 → late by 28 only (25–27 are holidays) → -1.
    assert cal.slack(D(2020, 6, 28), D(2020, 6, 24)) == -1


# ---- years the library does not cover ------------------------------------------------------------

def test_uncovered_year_raises_with_chinese_message_naming_the_year():
    with pytest.raises(CalendarNotCovered) as err:
        cal.is_working_day(D(2027, 3, 3))
    message = str(err.value)
    assert "2027年" in message
    assert "节假日" in message
    assert "[calendar.2027]" in message


def test_uncovered_year_raises_from_counting_too():
    with pytest.raises(CalendarNotCovered):
        cal.working_days_between(D(2026, 12, 28), D(2027, 1, 5))
    with pytest.raises(CalendarNotCovered):
        cal.add_working_days(D(2026, 12, 31), 3)


def _cal_2027() -> WorkingCalendar:
    return WorkingCalendar(extra_years={2027: {
        "holidays": frozenset({D(2027, 1, 1)}),   # a Friday, declared off
        "workdays": frozenset({D(2027, 2, 7)}),   # a Sunday, declared worked
    }})


def test_declared_year_uses_its_holidays_and_workdays():
    c = _cal_2027()
    assert D(2027, 1, 1).weekday() == 4 and D(2027, 2, 7).weekday() == 6
    assert c.is_working_day(D(2027, 1, 1)) is False   # declared holiday on a Friday
    assert c.is_working_day(D(2027, 2, 7)) is True    # declared workday on a Sunday
    assert c.is_working_day(D(2027, 1, 4)) is True    # ordinary Monday
    assert c.is_working_day(D(2027, 1, 2)) is False   # ordinary Saturday


def test_declared_year_counts_and_adds():
    c = _cal_2027()
    # 2027-01-01..01-08: Fri 1 off (holiday), Sat 2, Sun 3 off, Mon 4..Fri 8 → 5.
    assert c.working_days_between(D(2027, 1, 1), D(2027, 1, 8)) == 5
    # After Thu 2026-12-31 (2026 from chinesecalendar, 2027 declared): Fri 01-01 is off,
    # so the first working day is Mon 2027-01-04.
    assert c.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # Years the library does cover are unaffected by another year's declaration.
    assert c.is_working_day(D(2020, 6, 28)) is True
    assert c.is_working_day(D(2020, 6, 25)) is False
