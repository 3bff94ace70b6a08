"""The reporting cycle and a submission's standing, worked by hand around the 2020 Dragon Boat
holiday (06-25 Thu to 06-27 Sat off; Sunday 06-28 a make-up working day)."""

from __future__ import annotations

import datetime as dt

from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.reporting import Submission, arrangements_due, latest_weekly, plan_due, standing, weekly_due

C = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
D = dt.date


def test_a_weekly_report_due_on_a_holiday_moves_to_the_next_working_day():
    due = dict(weekly_due(C))
    assert due[D(2020, 6, 19)] == D(2020, 6, 19)  # an ordinary Friday
    assert due[D(2020, 6, 26)] == D(2020, 6, 28)  # Friday in the holiday → Sunday's make-up working day
    assert due[D(2020, 7, 3)] == D(2020, 7, 3)
    assert len(due) == 11


def test_the_board_judges_the_latest_report_already_due():
    assert latest_weekly(C, D(2020, 6, 27)) == (D(2020, 6, 19), D(2020, 6, 19))  # 06-26's is not due yet
    assert latest_weekly(C, D(2020, 6, 28)) == (D(2020, 6, 26), D(2020, 6, 28))
    assert latest_weekly(C, D(2020, 6, 11)) is None


def test_standing_around_the_holiday():
    due = D(2020, 6, 28)
    assert standing(due, D(2020, 6, 28), False, C, D(2020, 6, 29)).state == Submission.ON_TIME
    assert standing(due, D(2020, 6, 24), False, C, D(2020, 6, 29)).state == Submission.ON_TIME  # early
    late = standing(due, D(2020, 6, 30), False, C, D(2020, 7, 1))
    assert (late.state, late.overdue_working_days) == (Submission.LATE, 2)  # 06-29, 06-30
    missing = standing(due, None, False, C, D(2020, 7, 3))
    assert (missing.state, missing.overdue_working_days) == (Submission.MISSING, 5)  # 06-29 .. 07-03
    assert standing(due, None, False, C, D(2020, 6, 27)).state == Submission.NOT_DUE
    errors = standing(due, D(2020, 6, 28), True, C, D(2020, 6, 30))
    assert (errors.state, errors.overdue_working_days) == (Submission.ERRORS, 2)


def test_plans_and_arrangements_are_due_before_what_they_precede():
    assert plan_due(D(2020, 5, 25), C) == D(2020, 5, 25)
    assert plan_due(None, C) == C.registration_start
    assert arrangements_due(C) == C.registration_end
