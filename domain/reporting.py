"""When each submission is due, and whether one arrived in time (the 报送情况 board).

The province's reporting cycle (campaign file `[reporting]`): weekly progress (认定进度, with
the week's registrations) is due on the report weekday; a due date that falls on a day off
moves to the next working day (a period ending on a holiday ends on the first working day
after it — 民法典 第二百零三条), so the report of Friday 2020-06-26, in the Dragon Boat
holiday, is due on Sunday 2020-06-28, a make-up working day. A plan is due by the region's
own announcement (R1), or by registration opening where none is known; confirmation sites
and exam hospitals are due by the day the unit's confirmation starts (by the close of
registration where no start is known).

The board judges each unit × table on a day (`as_of`) from what is known now: when each report
arrived (a report that came after `as_of` is late, not missing), and whether the latest file
still has refused rows. Weekly tables are judged report by report: a unit that missed one is
未报送 from the first it missed, however many it sent since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from domain.calendar import CalendarNotCovered
from domain.campaign import Campaign

Date = dt.date
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)

# The tables the board follows, in the order a campaign needs them. (申请人明细 is sent by some
# regions only, on request: it has no due date.)
PLAN, REGISTRATIONS, SITES, HOSPITALS, PROGRESS = "plan", "registrations", "sites", "hospitals", "progress"
BOARD_TABLES = (PLAN, REGISTRATIONS, SITES, HOSPITALS, PROGRESS)
WEEKLY = (REGISTRATIONS, PROGRESS)
RETURNED = "退回修改"  # a plan the province sent back: to be corrected, like a file with refused rows
NOT_SENT = "未报送"


class Submission(StrEnum):
    ON_TIME = "on_time"  # 按时
    LATE = "late"  # 逾期 (arrived after its due date)
    MISSING = "missing"  # 未报送 (due date passed, nothing arrived)
    ERRORS = "errors"  # 有错误待更正 (the latest file had rows refused, not yet corrected)
    NOT_DUE = "not_due"  # 未到期


# Worst first: the order a reminder list and the board are sorted in.
SEVERITY = {Submission.ERRORS: 0, Submission.MISSING: 1, Submission.LATE: 2, Submission.NOT_DUE: 3,
            Submission.ON_TIME: 4}


@dataclass(frozen=True)
class Standing:
    state: Submission
    due: Date | None
    # for LATE: how late it came; for MISSING and ERRORS: how long it has been; None where the
    # statutory calendar of a year is not known
    overdue_working_days: int | None = 0


@dataclass(frozen=True)
class Judged(Standing):
    """A unit's standing with one table; for weekly tables also which report is judged, how many
    reports due by then never arrived, and how many arrived late."""

    report: Date | None = None
    missed: int = 0
    late: int = 0


def weekly_due(campaign: Campaign) -> list[tuple[Date, Date]]:
    """(the report's day, the day it is due) for every weekly report of the campaign."""
    return [(day, campaign.calendar.next_working_day(day)) for day in campaign.report_dates()]


def latest_weekly(campaign: Campaign, as_of: Date) -> tuple[Date, Date] | None:
    """The latest weekly report due on or before `as_of` (the one the board judges)."""
    due = [pair for pair in weekly_due(campaign) if pair[1] <= as_of]
    return due[-1] if due else None


def registration_reports(campaign: Campaign) -> list[tuple[Date, Date]]:
    """The weekly reports that carry registrations: those while registration is open, and the
    first one after it closes (which covers the window to its last day)."""
    reports = []
    for day, due in weekly_due(campaign):
        reports.append((day, due))
        if day >= campaign.registration_end:
            break
    return reports


def covered_by(day: Date, campaign: Campaign) -> Date:
    """The last registration day a weekly report of `day` must cover."""
    return min(day, campaign.registration_end)


def plan_due(announced_on: Date | None, campaign: Campaign) -> Date:
    """A plan precedes the region's own announcement; with none known, registration's opening."""
    return announced_on if announced_on is not None else campaign.registration_start


def arrangements_due(campaign: Campaign, confirmation_start: Date | None = None) -> Date:
    """Confirmation sites and exam hospitals: by the day the unit's confirmation starts (the
    files carry dates, not hours: a list that arrives that day is in time); where no start is
    known, by the close of registration (a province's setting)."""
    return confirmation_start if confirmation_start is not None else campaign.registration_end


def _working_days(campaign: Campaign, start: Date, end: Date) -> int | None:
    try:
        return campaign.calendar.working_days_between(start, end)
    except CalendarNotCovered:  # a year the statutory calendar does not know: no count, no failure
        return None


def standing(due: Date | None, received: Date | None, open_errors: bool, campaign: Campaign,
             as_of: Date) -> Standing:
    """How a unit stands with one submission on `as_of`."""
    if due is None:
        return Standing(Submission.NOT_DUE, None)
    if open_errors:
        return Standing(Submission.ERRORS, due, _working_days(campaign, due + DAY, as_of) if as_of > due else 0)
    if received is None:
        if as_of <= due:
            return Standing(Submission.NOT_DUE, due)
        return Standing(Submission.MISSING, due, _working_days(campaign, due + DAY, as_of))
    if received <= due:
        return Standing(Submission.ON_TIME, due)
    return Standing(Submission.LATE, due, _working_days(campaign, due + DAY, received))


def _judged(s: Standing, **more: object) -> Judged:
    return Judged(s.state, s.due, s.overdue_working_days, **more)


def weekly(table: str, campaign: Campaign, as_of: Date, arrivals: Iterable[tuple[Date, Date]],
           open_errors: bool = False) -> Judged:
    """A unit's standing with a weekly table on `as_of`. `arrivals`: for each file that carried
    the unit's rows, (the last date its rows cover, the day it was received). A progress report
    of day D is any file whose as-of date falls in the week up to D (a region may report on the
    last working day before a holiday); a registrations report of D is any file covering
    registrations up to D (or the window's last day)."""
    arrivals = list(arrivals)
    reports = registration_reports(campaign) if table == REGISTRATIONS else weekly_due(campaign)
    due_by_now = [(day, due) for day, due in reports if due <= as_of]
    if not due_by_now:
        upcoming = reports[0] if reports else (None, None)
        return Judged(Submission.NOT_DUE, upcoming[1], 0, report=upcoming[0])

    def received(day: Date) -> Date | None:
        if table == REGISTRATIONS:
            times = [r for covered, r in arrivals if covered >= covered_by(day, campaign)]
        else:
            times = [r for covered, r in arrivals if day - WEEK < covered <= day]
        return min(times, default=None)

    each = [(day, standing(due, received(day), False, campaign, as_of)) for day, due in due_by_now]
    missed = [(day, s) for day, s in each if s.state == Submission.MISSING]
    counts = {"missed": len(missed), "late": sum(s.state == Submission.LATE for _, s in each)}
    day, latest = each[-1]
    if open_errors:
        return _judged(standing(latest.due, None, True, campaign, as_of), report=day, **counts)
    if missed:
        return _judged(missed[0][1], report=missed[0][0], **counts)
    return _judged(latest, report=day, **counts)


def plan(campaign: Campaign, as_of: Date, announced_on: Date | None, submitted_on: Date | None,
         status: str | None, open_errors: bool = False, file_received: Date | None = None) -> Judged:
    """A region's plan: the date it says it was sent (方案报送日期, what R1 judges) against its
    announcement, or, where a plan is reported as sent without a date, the day its file arrived; a
    plan returned for revision (退回修改) is to be corrected."""
    received = submitted_on
    if received is None and status not in (None, NOT_SENT):
        received = file_received
    errors = open_errors or status == RETURNED
    return _judged(standing(plan_due(announced_on, campaign), received, errors, campaign, as_of))


def arrangements(campaign: Campaign, as_of: Date, confirmation_start: Date | None, received: Date | None,
                 open_errors: bool = False) -> Judged:
    """A unit's confirmation sites or exam hospitals, received (first) on `received`."""
    return _judged(standing(arrangements_due(campaign, confirmation_start), received, open_errors, campaign, as_of))
