"""The notice's rules R1–R7 as functions of a region's figures and a campaign.

Each check returns an Assessment: a level (done / on_track / at_risk / late /
no_data), the due date, the date projected from the region's own pace, the
slack in working days, and a reason (a key into texts plus the figures it
needs), so that the warehouse views and the pages' what-if tools give the same
answer. Nothing here reads files or databases.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.calendar import WorkingCalendar
from domain.campaign import Campaign

Date = dt.date


class Level(StrEnum):
    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    NO_DATA = "no_data"


# Worst first: the order in which regions in trouble are listed.
SEVERITY = {Level.LATE: 0, Level.AT_RISK: 1, Level.NO_DATA: 2, Level.ON_TRACK: 3, Level.DONE: 4}

MILESTONES = ("R1_plan", "R3_confirmation_length", "R4_capacity",
              "R5_record_checks", "R6_decisions", "R7_final")


@dataclass(frozen=True)
class Assessment:
    milestone: str
    level: Level
    due_date: Date | None = None
    projected_date: Date | None = None
    slack_working_days: int | None = None
    reason: str = ""  # key into texts: what a person reads about this
    facts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """A confirmation site (or, with windows=1 and per_window=daily capacity, an exam hospital)."""

    start: Date
    end: Date
    windows: int
    per_window: int

    def daily_capacity(self) -> int:
        return self.windows * self.per_window


# ---- R1: plan before announcement -------------------------------------------------

def check_plan(submitted_on: Date | None, announced_on: Date | None, status: str | None,
               as_of: Date, calendar: WorkingCalendar) -> Assessment:
    """R1: the implementation plan reaches the province before the announcement.

    A plan sent on the day of the announcement counts as before it (the files
    carry dates, not times). Dates after `as_of` have not happened yet.
    """
    m = "R1_plan"
    if submitted_on is None and announced_on is None and status is None:
        return Assessment(m, Level.NO_DATA, reason="r1_no_data")
    sent = submitted_on if submitted_on is not None and submitted_on <= as_of else None
    announced = announced_on if announced_on is not None and announced_on <= as_of else None
    facts = {"submitted_on": sent, "announced_on": announced_on}
    if sent is not None and announced is not None and sent > announced:
        late_by = calendar.working_days_between(announced + dt.timedelta(days=1), sent)
        return Assessment(m, Level.LATE, announced_on, sent, -late_by, "r1_after_announcement",
                          facts | {"days": late_by})
    if sent is None and announced is not None:
        overdue = calendar.working_days_between(announced + dt.timedelta(days=1), as_of)
        return Assessment(m, Level.LATE, announced_on, None, -overdue, "r1_missing_after_announcement",
                          facts | {"days": overdue})
    if sent is not None and status == "退回修改":
        return Assessment(m, Level.AT_RISK, announced_on, sent, None, "r1_returned", facts)
    if sent is not None:
        return Assessment(m, Level.DONE, announced_on, sent, None, "r1_done", facts)
    return Assessment(m, Level.ON_TRACK, announced_on, None, None, "r1_waiting", facts)


# ---- R2: registration window --------------------------------------------------------

def in_registration_window(day: Date, campaign: Campaign) -> bool:
    """R2: online registration runs from the campaign's start to its end, both included."""
    return campaign.registration_start <= day <= campaign.registration_end


# ---- R3: confirmation length ----------------------------------------------------------

def confirmation_working_days(periods: Sequence[tuple[Date, Date]], calendar: WorkingCalendar) -> int:
    """Working days in the union of a region's confirmation periods."""
    return calendar.working_days_in(periods)


def check_confirmation_length(periods: Sequence[tuple[Date, Date]], campaign: Campaign,
                              as_of: Date) -> Assessment:
    """R3: on-site confirmation lasts at least the minimum number of working days.

    Due date: the earliest end that would give the minimum, counted from the first
    start; projected: the planned end; slack: working days beyond the minimum.
    """
    m = "R3_confirmation_length"
    if not periods:
        return Assessment(m, Level.NO_DATA, reason="r3_no_data")
    cal, need = campaign.calendar, campaign.min_confirmation_working_days
    first, last = min(s for s, _ in periods), max(e for _, e in periods)
    days = confirmation_working_days(periods, cal)
    due = cal.add_working_days(cal.next_working_day(first), need - 1)
    facts = {"days": days, "min": need, "start": first, "end": last}
    if days < need:
        return Assessment(m, Level.LATE, due, last, days - need, "r3_too_short", facts)
    level = Level.DONE if last <= as_of else Level.ON_TRACK
    return Assessment(m, level, due, last, days - need, "r3_ok", facts)


# ---- R4: capacity against demand ------------------------------------------------------

def site_capacity(site: Site, calendar: WorkingCalendar) -> int:
    """A site's capacity: its working days × windows × per-window daily throughput."""
    return calendar.working_days_between(site.start, site.end) * site.daily_capacity()


def queue_clear_date(demand: int, sites: Sequence[Site], calendar: WorkingCalendar) -> Date | None:
    """The working day on which the sites have seen `demand` applicants.

    Past the last site's end the queue is assumed to go on at the capacity of the
    sites' open days on average, which is how far behind the plan it would run.
    None if there is no capacity at all.
    """
    if not sites or demand <= 0:
        return min((s.start for s in sites), default=None)
    start, end = min(s.start for s in sites), max(s.end for s in sites)
    done, day, open_days, total = 0, start, 0, 0
    while day <= end:
        if calendar.is_working_day(day):
            today = sum(s.daily_capacity() for s in sites if s.start <= day <= s.end)
            if today:
                open_days, total, done = open_days + 1, total + today, done + today
                if done >= demand:
                    return day
        day += dt.timedelta(days=1)
    if total == 0:
        return None
    extra = math.ceil((demand - done) / (total / open_days))
    return calendar.add_working_days(end, extra)


def check_capacity(demand: int | None, sites: Sequence[Site], campaign: Campaign,
                   as_of: Date, confirmed: int | None = None) -> Assessment:
    """R4: the planned capacity of a region's sites meets its demand within the period."""
    m = "R4_capacity"
    if not sites or demand is None:
        return Assessment(m, Level.NO_DATA, reason="r4_no_data")
    cal = campaign.calendar
    capacity = sum(site_capacity(s, cal) for s in sites)
    end = max(s.end for s in sites)
    projected = queue_clear_date(demand, sites, cal)
    utilisation = demand / capacity if capacity else math.inf
    facts = {"demand": demand, "capacity": capacity, "utilisation": utilisation}
    slack = cal.slack(projected, end) if projected else None
    finished = confirmed is not None and demand > 0 and confirmed >= demand
    if finished or (as_of > end and utilisation <= 1):  # everyone confirmed, or the period ended within capacity
        return Assessment(m, Level.DONE, end, projected, slack, "r4_done", facts)
    if utilisation > 1:
        return Assessment(m, Level.LATE, end, projected, slack, "r4_over", facts)
    if utilisation > campaign.risk.at_risk_utilisation:
        return Assessment(m, Level.AT_RISK, end, projected, slack, "r4_tight", facts)
    return Assessment(m, Level.ON_TRACK, end, projected, slack, "r4_ok", facts)


# ---- R6 / R7 due dates ---------------------------------------------------------------

def decision_due(confirmation_end: Date, campaign: Campaign) -> Date:
    """R6 as the notice words it: the n-th working day after confirmation ends."""
    return campaign.calendar.add_working_days(confirmation_end, campaign.decision_within_working_days)


def effective_decision_due(confirmation_end: Date, campaign: Campaign) -> Date:
    """R6 bounded by R7: a decision is never due after the campaign's final date."""
    return min(decision_due(confirmation_end, campaign), campaign.final_date)


# ---- projection from a region's own pace ---------------------------------------------

PROJECTION_HORIZON = 120  # working days; a finish further away than this is not projected


def pace(history: Sequence[tuple[Date, int]], as_of: Date, campaign: Campaign) -> float | None:
    """Progress per working day over the last `pace_window_days` of reports, or None if none."""
    points = sorted((d, v) for d, v in history if d <= as_of)
    if len(points) < 2:
        return None
    latest_day, latest = points[-1]
    window_start = latest_day - dt.timedelta(days=campaign.risk.pace_window_days)
    in_window = [(d, v) for d, v in points if d >= window_start]
    # With only the latest report inside the window (a week's report skipped), measure
    # from the report before it rather than calling the stage stalled.
    base_day, base = in_window[0] if len(in_window) > 1 else points[-2]
    elapsed = campaign.calendar.working_days_between(base_day + dt.timedelta(days=1), latest_day)
    if latest <= base or elapsed == 0:
        return None
    return (latest - base) / elapsed


def project(history: Sequence[tuple[Date, int]], target: int, as_of: Date,
            campaign: Campaign) -> tuple[int | None, Date | None]:
    """(value as of `as_of`, projected date the value reaches `target`).

    The projected date is None when there is no progress to extrapolate or the
    finish lies beyond PROJECTION_HORIZON working days; when the target is
    already reached it is the first report that showed it.
    """
    points = sorted((d, v) for d, v in history if d <= as_of)
    if not points:
        return None, None
    latest_day, latest = points[-1]
    if latest >= target:
        return latest, next(d for d, v in points if v >= target)
    rate = pace(points, as_of, campaign)
    if rate is None:
        return latest, None
    steps = math.ceil((target - latest) / rate)
    if steps > PROJECTION_HORIZON:
        return latest, None
    return latest, campaign.calendar.add_working_days(latest_day, steps)


def check_progress(milestone: str, history: Sequence[tuple[Date, int]], target: int | None,
                   due: Date | None, stage_start: Date | None, campaign: Campaign,
                   as_of: Date) -> Assessment:
    """A stage that must reach `target` by `due` (R5, R6, R7), judged from its pace.

    Before its stage starts a stage with nothing done is on track; once started,
    no progress in the recent window means it cannot finish at its current pace.
    """
    key = milestone.split("_")[0].lower()
    if due is None or target is None or not [p for p in history if p[0] <= as_of]:
        return Assessment(milestone, Level.NO_DATA, due, reason=f"{key}_no_data")
    value, projected = project(history, target, as_of, campaign)
    cal = campaign.calendar
    facts = {"value": value, "target": target, "due": due}
    if target <= 0:  # nobody to decide on (yet): the stage has not begun
        if stage_start is None or as_of < stage_start:
            return Assessment(milestone, Level.ON_TRACK, due, None, None, f"{key}_not_started", facts)
        return Assessment(milestone, Level.AT_RISK, due, None, None, f"{key}_nothing_to_do", facts)
    if target > 0 and value >= target:
        return Assessment(milestone, Level.DONE, due, projected,
                          cal.slack(projected, due), f"{key}_done", facts)
    if projected is None and pace(history, as_of, campaign):
        return Assessment(milestone, Level.LATE, due, None, None, f"{key}_far_behind", facts)
    if projected is None:
        if as_of > due:
            return Assessment(milestone, Level.LATE, due, None, -cal.working_days_between(
                due + dt.timedelta(days=1), as_of), f"{key}_late", facts)
        if stage_start is not None and as_of < stage_start:
            return Assessment(milestone, Level.ON_TRACK, due, None, None, f"{key}_not_started", facts)
        return Assessment(milestone, Level.AT_RISK, due, None, None, f"{key}_stalled", facts)
    slack = cal.slack(projected, due)
    if slack < 0:
        return Assessment(milestone, Level.LATE, due, projected, slack, f"{key}_late", facts)
    if slack < campaign.risk.at_risk_slack_working_days:
        return Assessment(milestone, Level.AT_RISK, due, projected, slack, f"{key}_tight", facts)
    return Assessment(milestone, Level.ON_TRACK, due, projected, slack, f"{key}_on_track", facts)


# ---- R5: record checks before decisions -------------------------------------------

def check_record_checks(history_checked: Sequence[tuple[Date, int]], decided: int | None,
                        confirmed: int | None, due: Date | None, stage_start: Date | None,
                        campaign: Campaign, as_of: Date) -> Assessment:
    """R5: every decision is preceded by a criminal-record check.

    More decisions than checks means the rule is already broken (late); otherwise
    the checks must reach every confirmed applicant by the decision due date.
    """
    checked = max((v for d, v in history_checked if d <= as_of), default=None)
    if checked is not None and decided is not None and decided > checked:
        return Assessment("R5_record_checks", Level.LATE, due, None, None, "r5_decisions_first",
                          {"checked": checked, "decided": decided})
    return check_progress("R5_record_checks", history_checked, confirmed, due, stage_start,
                          campaign, as_of)
