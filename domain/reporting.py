"""When each submission is due, and whether one arrived in time (the 报送情况 board).

The province's reporting cycle (campaign file `[reporting]`): weekly progress (认定进度, with
the week's registrations) is due on the report weekday; a due date that falls on a day off
moves to the next working day (a period ending on a holiday ends on the first working day
after it — 民法典 第二百零三条), so the report of Friday 2020-06-26, in the Dragon Boat
holiday, is due on Sunday 2020-06-28, a make-up working day. A plan is due by the region's
own announcement (R1), or by registration opening where none is known; confirmation sites
and exam hospitals are due by the close of registration, before confirmation begins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from domain.campaign import Campaign

Date = dt.date
DAY = dt.timedelta(days=1)


class Submission(StrEnum):
    ON_TIME = "on_time"  # 按时
    LATE = "late"  # 逾期 (arrived after its due date)
    MISSING = "missing"  # 未报送 (due date passed, nothing arrived)
    ERRORS = "errors"  # 有错误待更正 (the latest file had rows refused, not yet corrected)
    NOT_DUE = "not_due"  # 未到期


@dataclass(frozen=True)
class Standing:
    state: Submission
    due: Date | None
    overdue_working_days: int = 0  # for LATE: how late it came; for MISSING and ERRORS: how long it has been


def weekly_due(campaign: Campaign) -> list[tuple[Date, Date]]:
    """(the report's day, the day it is due) for every weekly report of the campaign."""
    return [(day, campaign.calendar.next_working_day(day)) for day in campaign.report_dates()]


def latest_weekly(campaign: Campaign, as_of: Date) -> tuple[Date, Date] | None:
    """The latest weekly report due on or before `as_of` (the one the board judges)."""
    due = [pair for pair in weekly_due(campaign) if pair[1] <= as_of]
    return due[-1] if due else None


def plan_due(announced_on: Date | None, campaign: Campaign) -> Date:
    """A plan precedes the region's own announcement; with none known, registration's opening."""
    return announced_on if announced_on is not None else campaign.registration_start


def arrangements_due(campaign: Campaign) -> Date:
    """Confirmation sites and exam hospitals: by the close of registration (a province's setting)."""
    return campaign.registration_end


def standing(due: Date | None, received: Date | None, open_errors: bool, campaign: Campaign,
             as_of: Date) -> Standing:
    """How a unit stands with one submission on `as_of`."""
    cal = campaign.calendar
    if due is None:
        return Standing(Submission.NOT_DUE, None)
    if open_errors:
        return Standing(Submission.ERRORS, due, cal.working_days_between(due + DAY, as_of) if as_of > due else 0)
    if received is None:
        if as_of <= due:
            return Standing(Submission.NOT_DUE, due)
        return Standing(Submission.MISSING, due, cal.working_days_between(due + DAY, as_of))
    if received <= due:
        return Standing(Submission.ON_TIME, due)
    return Standing(Submission.LATE, due, cal.working_days_between(due + DAY, received))
