"""The notice's rules R1–R7 as functions of one working unit's figures and a campaign.

Each check returns an Assessment: a state (what a person reads: 已完成, 逾期完成, 正常,
有风险, 预计逾期, 已逾期, 不达标, 无数据), the contract's coarser level derived from it,
the due date, the projected date, the slack in working days, and a reason (a key into
texts plus the figures it needs), so that the warehouse views and the pages' what-if
tools give the same answer. Nothing here reads files or databases.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from domain.calendar import WorkingCalendar
from domain.campaign import Campaign
from domain.projection import finish_times

Date = dt.date
DAY = dt.timedelta(days=1)


class Level(StrEnum):
    """The contract's levels (CONTRACT.md §5 deadline_risk.level)."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    NO_DATA = "no_data"


class State(StrEnum):
    """What a finding says, finer than its level: a late finish, a projection and a passed due
    date are different things to a leader, and so is a broken rule that is not a deadline."""

    DONE = "done"                      # 已完成: finished on or before its due date
    DONE_LATE = "done_late"            # 逾期完成: finished, after its due date
    ON_TRACK = "on_track"              # 正常
    AT_RISK = "at_risk"                # 有风险: tight, stalled, silent, or too little to tell
    PROJECTED_LATE = "projected_late"  # 预计逾期: due date ahead, the projection misses it
    OVERDUE = "overdue"                # 已逾期: due date passed, not finished
    FAILS = "fails"                    # 不达标: a rule broken that is not a date (R3, R4, R5)
    NO_DATA = "no_data"                # 无数据: nothing reported and nothing due yet


LEVEL_OF = {State.DONE: Level.DONE, State.DONE_LATE: Level.LATE, State.ON_TRACK: Level.ON_TRACK,
            State.AT_RISK: Level.AT_RISK, State.PROJECTED_LATE: Level.LATE, State.OVERDUE: Level.LATE,
            State.FAILS: Level.LATE, State.NO_DATA: Level.NO_DATA}

# Worst first: the order in which regions in trouble are listed.
STATE_SEVERITY = {State.OVERDUE: 0, State.FAILS: 0, State.PROJECTED_LATE: 1, State.AT_RISK: 2,
                  State.DONE_LATE: 3, State.NO_DATA: 4, State.ON_TRACK: 5, State.DONE: 6}
# Findings a leader has to act on or know about (需要关注): everything but the calm states.
ATTENTION = frozenset({State.OVERDUE, State.FAILS, State.PROJECTED_LATE, State.AT_RISK, State.DONE_LATE})

MILESTONES = ("R1_plan", "R3_confirmation_length", "R4_capacity", "R4_exam_capacity",
              "R5_record_checks", "R6_decisions", "R7_final")
DEADLINES = ("R1_plan", "R5_record_checks", "R6_decisions", "R7_final")  # the rest are not dates


@dataclass(frozen=True)
class Assessment:
    milestone: str
    state: State
    due_date: Date | None = None
    projected_date: Date | None = None
    slack_working_days: int | None = None
    reason: str = ""  # key into texts: what a person reads about this
    facts: dict = field(default_factory=dict)

    @property
    def level(self) -> Level:
        return LEVEL_OF[self.state]


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
               as_of: Date, calendar: WorkingCalendar, registration_start: Date | None = None) -> Assessment:
    """R1: the implementation plan reaches the province before the announcement.

    A plan sent on the day of the announcement counts as before it (the files carry dates,
    not times). Dates after `as_of` have not happened yet. The announcement itself must come
    before registration opens, so once registration has opened with neither plan nor
    announcement, the plan is overdue.
    """
    m = "R1_plan"
    sent = submitted_on if submitted_on is not None and submitted_on <= as_of else None
    announced = announced_on if announced_on is not None and announced_on <= as_of else None
    facts = {"submitted_on": sent, "announced_on": announced_on}
    if sent is not None and announced is not None and sent > announced:
        late_by = calendar.working_days_between(announced + DAY, sent)
        return Assessment(m, State.DONE_LATE, announced_on, sent, -late_by, "r1_after_announcement",
                          facts | {"days": late_by, "calendar_days": (sent - announced).days})
    if sent is None and announced is not None:
        overdue = calendar.working_days_between(announced + DAY, as_of)
        return Assessment(m, State.OVERDUE, announced_on, None, -overdue, "r1_missing_after_announcement",
                          facts | {"days": overdue})
    if sent is None and registration_start is not None and as_of >= registration_start:
        overdue = calendar.working_days_between(registration_start, as_of)
        return Assessment(m, State.OVERDUE, registration_start, None, -overdue, "r1_missing_after_opening",
                          facts | {"days": overdue, "opened": registration_start})
    if submitted_on is None and announced_on is None and status is None:
        return Assessment(m, State.NO_DATA, reason="r1_no_data")
    if sent is not None and status == "退回修改":
        return Assessment(m, State.AT_RISK, announced_on, sent, None, "r1_returned", facts)
    if sent is not None:
        return Assessment(m, State.DONE, announced_on, sent, None, "r1_done", facts)
    return Assessment(m, State.ON_TRACK, announced_on, None, None, "r1_waiting", facts)


# ---- R2: registration window --------------------------------------------------------

def in_registration_window(day: Date, campaign: Campaign) -> bool:
    """R2: online registration runs from the campaign's start to its end, both included."""
    return campaign.registration_start <= day <= campaign.registration_end


# ---- R3: confirmation length ----------------------------------------------------------

def confirmation_working_days(periods: Sequence[tuple[Date, Date]], calendar: WorkingCalendar) -> int:
    """Working days in the union of a unit's confirmation periods."""
    return calendar.working_days_in(periods)


def within_system_open(periods: Sequence[tuple[Date, Date]], campaign: Campaign) -> list[tuple[Date, Date]]:
    """The parts of the periods that fall while the national information system is open
    (a province's setting in the campaign file): confirmation outside it cannot happen."""
    return [(max(s, campaign.system_open_from), min(e, campaign.system_open_until)) for s, e in periods
            if e >= campaign.system_open_from and s <= campaign.system_open_until]


def check_confirmation_length(periods: Sequence[tuple[Date, Date]], campaign: Campaign,
                              as_of: Date, has_applicants: bool = False) -> Assessment:
    """R3: on-site confirmation lasts at least the minimum number of working days, counted
    over the union of the unit's sites' periods while the information system is open.

    Due date: the earliest end that would give the minimum, counted from the first start;
    projected: the planned end; slack: working days beyond the minimum.
    """
    m = "R3_confirmation_length"
    if not periods:  # once registration has closed, a unit with applicants and no sites is a worry
        if has_applicants and as_of > campaign.registration_end:
            return Assessment(m, State.AT_RISK, reason="r3_no_sites", facts={"closed": campaign.registration_end})
        return Assessment(m, State.NO_DATA, reason="r3_no_data")
    cal, need = campaign.calendar, campaign.min_confirmation_working_days
    first, last = min(s for s, _ in periods), max(e for _, e in periods)
    planned = confirmation_working_days(periods, cal)
    days = confirmation_working_days(within_system_open(periods, campaign), cal)
    due = cal.add_working_days(cal.next_working_day(first), need - 1)
    facts = {"days": days, "min": need, "start": first, "end": last}
    if days < planned:
        facts |= {"outside": planned - days, "open_until": campaign.system_open_until}
    if days < need:
        reason = "r3_outside_system" if days < planned else "r3_too_short"
        return Assessment(m, State.FAILS, due, last, days - need, reason, facts)
    state = State.DONE if last <= as_of else State.ON_TRACK
    return Assessment(m, state, due, last, days - need, "r3_ok", facts)


# ---- R4: capacity against demand ------------------------------------------------------

PROJECT_DEMAND_AFTER_DAYS = 7  # days of registration before a pace says anything about the total


def expected_demand(registered: Mapping[Date, int], campaign: Campaign, as_of: Date,
                    codes: tuple[str, ...] = ()) -> tuple[int | None, str]:
    """(the demand R4 is judged on, how it was obtained).

    After registration closes: everyone registered ("registered"). Before, where an earlier
    campaign is loaded (campaign file [earlier]) and the first of `codes` with a curve there
    (the unit, its region, the province) had reached at least EARLIER_MIN_SHARE of its final
    registrations by the same point of its window: the registrations so far divided by that
    share ("earlier"). Otherwise the registrations so far carried to the window's end at the
    average daily pace since it opened ("projected"); in the first days, too few to carry, the
    registrations so far ("so_far"). None before anyone registered.
    """
    so_far = sum(n for d, n in registered.items() if d <= as_of)
    if not so_far:
        return None, "none"
    start, end = campaign.registration_start, campaign.registration_end
    if as_of >= end:
        return so_far, "registered"
    elapsed, window = (as_of - start).days + 1, (end - start).days + 1
    if campaign.earlier is not None:
        share = campaign.earlier.share_at((*codes, campaign.province_code), elapsed / window)
        if share is not None and share >= EARLIER_MIN_SHARE:
            return max(math.ceil(so_far / share), so_far), "earlier"
    if elapsed < PROJECT_DEMAND_AFTER_DAYS:
        return so_far, "so_far"
    return math.ceil(so_far * window / elapsed), "projected"


EARLIER_MIN_SHARE = 0.1  # an earlier campaign's curve is used once it had reached this share of its total


def site_capacity(site: Site, calendar: WorkingCalendar) -> int:
    """A site's capacity: its working days × windows × per-window daily throughput."""
    return calendar.working_days_between(site.start, site.end) * site.daily_capacity()


def queue_clear_date(demand: int, sites: Sequence[Site], calendar: WorkingCalendar) -> Date | None:
    """The working day on which the sites have seen `demand` applicants.

    Past the last site's end the queue is assumed to go on at the capacity of the
    sites' open days on average, which is how far behind the plan it would run.
    None if there is no capacity at all, or the queue would run past PROJECTION_HORIZON.
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
        day += DAY
    if total == 0:
        return None
    extra = math.ceil((demand - done) / (total / open_days))
    return calendar.add_working_days(end, extra) if extra <= PROJECTION_HORIZON else None


def check_capacity(demand: int | None, sites: Sequence[Site], campaign: Campaign, as_of: Date,
                   done_so_far: int | None = None, basis: str = "registered",
                   milestone: str = "R4_capacity") -> Assessment:
    """R4: the planned capacity of a unit's sites (or exam hospitals, milestone
    R4_exam_capacity) meets its demand within the period. Over capacity on demand projected
    from the pace so far is 预计不达标; on the registrations themselves, 不达标."""
    key = "r4" if milestone == "R4_capacity" else "r4e"
    if not sites and demand and as_of > campaign.registration_end:
        return Assessment(milestone, State.AT_RISK, reason=f"{key}_no_sites",
                          facts={"demand": demand, "basis": basis, "closed": campaign.registration_end})
    if not sites or demand is None:
        return Assessment(milestone, State.NO_DATA, reason=f"{key}_no_data")
    cal = campaign.calendar
    capacity = sum(site_capacity(s, cal) for s in sites)
    end = max(s.end for s in sites)
    projected = queue_clear_date(demand, sites, cal)
    utilisation = demand / capacity if capacity else None
    facts = {"demand": demand, "capacity": capacity, "utilisation": utilisation, "basis": basis,
             "start": min(s.start for s in sites), "end": end}
    slack = cal.slack(projected, end) if projected else None
    finished = done_so_far is not None and demand > 0 and done_so_far >= demand
    within = utilisation is not None and utilisation <= 1
    if finished or (as_of > end and within):  # everyone seen, or the period ended within capacity
        return Assessment(milestone, State.DONE, end, projected, slack, f"{key}_done", facts)
    if not within:
        state = State.PROJECTED_LATE if basis == "projected" else State.FAILS
        return Assessment(milestone, state, end, projected, slack, f"{key}_over", facts)
    if utilisation > campaign.risk.at_risk_utilisation:
        return Assessment(milestone, State.AT_RISK, end, projected, slack, f"{key}_tight", facts)
    return Assessment(milestone, State.ON_TRACK, end, projected, slack, f"{key}_ok", facts)


# ---- R6 / R7 due dates ---------------------------------------------------------------

def decision_due(confirmation_end: Date, campaign: Campaign) -> Date:
    """R6 as the notice words it: the n-th working day after confirmation ends."""
    return campaign.calendar.add_working_days(confirmation_end, campaign.decision_within_working_days)


def effective_decision_due(confirmation_end: Date, campaign: Campaign) -> Date:
    """R6 bounded by R7: a decision is never due after the campaign's final date."""
    return min(decision_due(confirmation_end, campaign), campaign.final_date)


# ---- projection on S-shaped progress ---------------------------------------------------

PROJECTION_HORIZON = 120  # working days; a finish further away than this is not projected


def s_curve(x: float) -> float:
    """Share of a stage done when a share `x` of its time has passed, for a stage that starts
    slowly, runs fastest in the middle and slows at the end (smoothstep: 3x² − 2x³)."""
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


def s_curve_time(share: float) -> float:
    """The inverse of s_curve: the share of its time a stage on the curve needs to reach `share`."""
    share = min(max(share, 0.0), 1.0)
    return 0.5 - math.sin(math.asin(1 - 2 * share) / 3)


def expected_progress(start: Date, due: Date, target: int, calendar: WorkingCalendar) -> list[tuple[Date, int]]:
    """The S-shaped curve a stage that starts on `start` and finishes exactly on `due` follows,
    one point per working day: what the projection holds a unit's reports against."""
    days = [start, *[d for d in (start + DAY * i for i in range(1, (due - start).days + 1))
                     if calendar.is_working_day(d)]]
    length = max(len(days) - 1, 1)
    return [(d, round(target * s_curve(i / length))) for i, d in enumerate(days)]


def stage_began(history: Sequence[tuple[Date, int]], planned: Date | None) -> Date | None:
    """When a stage really began: its planned start, or, for a stage that started late, the
    last report that still showed nothing (it is measured from there, not blamed for the wait)."""
    zeros = [d for d, v in history if v == 0 and (planned is None or d >= planned)]
    if zeros:
        return max(zeros)
    return planned if planned is not None else (min(d for d, _ in history) if history else None)


def project_finish(history: Sequence[tuple[Date, int]], target: int, began: Date,
                   campaign: Campaign, planned: Date | None = None) -> tuple[Date | None, Date | None] | None:
    """(likely, earliest plausible) days a stage reaches `target`, on the S-shaped curves its
    reports since it began allow (domain/projection.py); None for a day past PROJECTION_HORIZON
    working days. None altogether when too little of the stage is done to tell.

    A curve cannot have started before the stage's `planned` start, unless a report before
    that day already showed progress (the unit began early)."""
    cal = campaign.calendar
    latest_day, value = history[-1]
    if value / target < campaign.risk.min_share_to_project:
        return None
    points = [(cal.working_days_between(began + DAY, d), min(v / target, 0.999)) for d, v in history
              if d >= began]
    if not points or points[0][1] > 0:  # no report of nothing: the curve starts at the planned start
        points.insert(0, (0, 0.0))
    not_before = None
    if planned is not None and not any(v > 0 for d, v in history if d < planned):
        not_before = (-cal.working_days_between(planned + DAY, began) if planned <= began
                      else cal.working_days_between(began + DAY, planned))
    ends = finish_times(points, not_before)
    if ends is None:
        return None

    def day(end: float) -> Date | None:
        remaining = math.ceil(end - points[-1][0] - 1e-9)
        return None if remaining > PROJECTION_HORIZON else cal.add_working_days(latest_day, max(remaining, 0))
    return day(ends[0]), day(ends[1])


def check_progress(milestone: str, history: Sequence[tuple[Date, int]], target: int | None,
                   due: Date | None, stage_start: Date | None, campaign: Campaign,
                   as_of: Date) -> Assessment:
    """A stage that must reach `target` by `due` (R5, R6, R7), judged from the unit's reports.

    In order: a stage planned to start after its due date cannot be met (预计逾期, the day
    the plan is known); nothing reported once the stage has started is 有风险, and 已逾期 after
    its due date; reached the target: 已完成, or 逾期完成 if after the due date; data older than the
    campaign's stale_after_days: 有风险, said with the data's date (old data tells nothing of today,
    before or after the due date); due date passed: 已逾期;
    otherwise the projection on an S-shaped curve, with a tolerance of a share of the stage
    before a finish after the due date reads as 预计逾期, and no projection from too little.
    """
    key = milestone.split("_")[0].lower()
    cal, risk = campaign.calendar, campaign.risk
    if due is None:
        return Assessment(milestone, State.NO_DATA, due, reason=f"{key}_no_data")
    points = sorted((d, v) for d, v in history if d <= as_of)
    facts: dict = {"target": target, "due": due, "start": stage_start}
    finished = bool(points) and target is not None and target > 0 and points[-1][1] >= target
    if stage_start is not None and stage_start > due and not finished:
        return Assessment(milestone, State.PROJECTED_LATE, due, None, None, f"{key}_impossible", facts)
    if not points:
        if stage_start is None or as_of < stage_start:
            return Assessment(milestone, State.NO_DATA, due, reason=f"{key}_no_data")
        if as_of > due:
            return Assessment(milestone, State.OVERDUE, due, None, None, f"{key}_silent_overdue", facts)
        return Assessment(milestone, State.AT_RISK, due, None, None, f"{key}_silent", facts)
    if target is None:
        return Assessment(milestone, State.NO_DATA, due, reason=f"{key}_no_data")
    latest_day, value = points[-1]
    facts |= {"value": value, "data_as_of": latest_day}
    silent = (as_of - latest_day).days
    if silent > risk.stale_after_days:
        facts["silent_days"] = silent
    if target <= 0:  # nobody to work on (yet): the stage has not begun
        if stage_start is None or as_of < stage_start:
            return Assessment(milestone, State.ON_TRACK, due, None, None, f"{key}_not_started", facts)
        return Assessment(milestone, State.AT_RISK, due, None, None, f"{key}_nothing_to_do", facts)
    if value >= target:
        finished = next(d for d, v in points if v >= target)
        if finished <= due:
            return Assessment(milestone, State.DONE, due, finished, cal.slack(finished, due), f"{key}_done", facts)
        if any(due < d < finished for d, _ in points):  # a report after the due date still showed it unfinished
            return Assessment(milestone, State.DONE_LATE, due, finished, cal.slack(finished, due),
                              f"{key}_done_late", facts)
        # finished by the first report after the due date: weekly reports cannot tell it was late
        return Assessment(milestone, State.DONE, due, finished, None, f"{key}_done_by", facts | {"by": finished})
    if "silent_days" in facts:  # old data says nothing of today: not projected, not called overdue
        return Assessment(milestone, State.AT_RISK, due, None, None, f"{key}_stale", facts)
    if as_of > due:
        overdue = cal.working_days_between(due + DAY, as_of)
        return Assessment(milestone, State.OVERDUE, due, None, -overdue, f"{key}_overdue",
                          facts | {"left": target - value})
    if stage_start is not None and as_of < stage_start:
        return Assessment(milestone, State.ON_TRACK, due, None, None, f"{key}_not_started", facts)
    began = stage_began(points, stage_start) or latest_day
    length = max(cal.working_days_between(began + DAY, due), 1)
    projected = project_finish(points, target, began, campaign, stage_start)
    if projected is None:  # too little done to project from
        used = cal.working_days_between(began + DAY, latest_day) / length
        facts["time_used"] = used
        if used >= risk.behind_if_little_done_after:
            return Assessment(milestone, State.PROJECTED_LATE, due, None, None, f"{key}_far_behind", facts)
        if used >= risk.behind_if_little_done_after / 2:
            return Assessment(milestone, State.AT_RISK, due, None, None, f"{key}_slow_start", facts)
        return Assessment(milestone, State.ON_TRACK, due, None, None, f"{key}_early", facts)
    likely, earliest = projected
    if likely is None and earliest is None:
        return Assessment(milestone, State.PROJECTED_LATE, due, None, None, f"{key}_far_behind", facts)
    tolerance = max(risk.at_risk_slack_working_days, math.ceil(risk.projection_tolerance * length))
    late_even_so = earliest is None or cal.slack(earliest, due) < 0  # late on the kindest curve too
    if likely is None:
        return Assessment(milestone, State.PROJECTED_LATE if late_even_so else State.AT_RISK, due, None, None,
                          f"{key}_far_behind", facts)
    slack = cal.slack(likely, due)
    facts["projected"] = likely
    if slack < -tolerance and late_even_so:
        return Assessment(milestone, State.PROJECTED_LATE, due, likely, slack, f"{key}_late", facts)
    if slack < risk.at_risk_slack_working_days:
        return Assessment(milestone, State.AT_RISK, due, likely, slack, f"{key}_tight", facts)
    return Assessment(milestone, State.ON_TRACK, due, likely, slack, f"{key}_on_track", facts)


def after_decisions(final: Assessment, decisions: Assessment, as_of: Date) -> Assessment:
    """R7 as R6 allows: a certificate follows its decision, so issuing cannot finish before the
    decisions do. Where R6 is 预计逾期 or 已逾期 and its finish (projected, or at the earliest
    the day after `as_of`) falls after R7's own due date, R7 is 预计逾期 too, whatever its own
    reports say; otherwise R7's own finding stands."""
    if final.state not in (State.ON_TRACK, State.AT_RISK) or final.due_date is None:
        return final
    if decisions.state is State.OVERDUE:
        earliest = as_of + DAY
    elif decisions.state is State.PROJECTED_LATE:
        earliest = decisions.projected_date or decisions.due_date
    else:
        return final
    if earliest is None or earliest <= final.due_date:
        return final
    facts = final.facts | {"decisions_due": decisions.due_date}
    if decisions.projected_date is None:
        return Assessment(final.milestone, State.PROJECTED_LATE, final.due_date, None, None,
                          "r7_after_r6_undated", facts)
    return Assessment(final.milestone, State.PROJECTED_LATE, final.due_date, decisions.projected_date, None,
                      "r7_after_r6", facts | {"decisions_by": decisions.projected_date})


# ---- R5: record checks before decisions -------------------------------------------

def check_record_checks(history_checked: Sequence[tuple[Date, int]], decided: int | None,
                        confirmed: int | None, due: Date | None, stage_start: Date | None,
                        campaign: Campaign, as_of: Date) -> Assessment:
    """R5: every decision is preceded by a criminal-record check.

    More decisions than checks means the rule is already broken (不达标); otherwise the
    checks must reach every confirmed applicant by the decision due date.
    """
    checked = max((v for d, v in history_checked if d <= as_of), default=None)
    if checked is not None and decided is not None and decided > checked:
        return Assessment("R5_record_checks", State.FAILS, due, None, None, "r5_decisions_first",
                          {"checked": checked, "decided": decided})
    return check_progress("R5_record_checks", history_checked, confirmed, due, stage_start,
                          campaign, as_of)


# ---- silence: regions that stopped sending weekly reports ------------------------------

def missed_reports(last_report: Date | None, campaign: Campaign, as_of: Date) -> list[Date]:
    """The weekly reports a unit has missed, once it has been silent for longer than the
    campaign allows (stale_after_days); empty while it is not."""
    dates = campaign.report_dates()
    missed = [d for d in dates if (last_report is None or d > last_report) and d <= as_of]
    quiet_since = last_report or (dates[0] if dates else as_of)
    return missed if missed and (as_of - quiet_since).days > campaign.risk.stale_after_days else []
