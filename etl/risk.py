"""Deadline risk for every working unit, milestone and day, from the rules in domain/.

A reporting region's work is done by units (domain/work_units.py): the region itself,
and each county that sent confirmation sites (or exam hospitals) of its own. Every rule is
judged per unit; a reporting region's finding for a milestone is its worst unit's, and
names that unit. The warehouse keeps one row per (day, unit, milestone) in
risk_by_unit_day and the worst per (day, region, milestone) in risk_by_day, from the
opening of registration to the latest date data has arrived for, so a page can look at
the campaign as it stood on any day without computing a rule itself. silence_by_day holds
the regions that stopped sending weekly reports.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from domain.calendar import CalendarNotCovered
from domain.campaign import Campaign
from domain.regions import Units
from domain.rules import (
    MILESTONES,
    STATE_SEVERITY,
    Assessment,
    Site,
    State,
    after_decisions,
    check_capacity,
    check_confirmation_length,
    check_plan,
    check_progress,
    check_record_checks,
    effective_decision_due,
    expected_demand,
    missed_reports,
)
from domain.work_units import working_unit

MEASURES = ("registered", "booked", "confirmed", "examined", "record_checked", "approved", "rejected",
            "printed", "issued")


@dataclass
class Work:
    """What one working unit does: its sites (or hospitals), the registrations that fall on
    them, and the weekly figures of the units it covers."""

    region: str
    unit: str = ""
    sites: list[Site] = field(default_factory=list)
    registrations: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    progress: dict[dt.date, dict[str, int]] = field(default_factory=dict)

    def latest(self, as_of: dt.date) -> dict[str, int] | None:
        days = [d for d in self.progress if d <= as_of]
        return self.progress[max(days)] if days else None

    def history(self, as_of: dt.date, *measures: str) -> list[tuple[dt.date, int]]:
        return [(d, sum(f[m] for m in measures)) for d, f in sorted(self.progress.items()) if d <= as_of]


@dataclass
class Raw:
    """The current tables, per unit as sent."""

    plans: dict[str, tuple] = field(default_factory=dict)
    sites: dict[str, list[Site]] = field(default_factory=lambda: defaultdict(list))
    hospitals: dict[str, list[Site]] = field(default_factory=lambda: defaultdict(list))
    registrations: list[tuple[str, str, dt.date, int]] = field(default_factory=list)
    progress: dict[str, dict[dt.date, dict[str, int]]] = field(default_factory=lambda: defaultdict(dict))


def read_raw(con: duckdb.DuckDBPyConnection, campaign: Campaign) -> Raw:
    raw = Raw()
    for code, submitted, announced, status in con.execute(
            "select region_code, plan_submitted_on, announced_on, status from plan_current").fetchall():
        raw.plans[code] = (submitted, announced, status)
    for code, start, end, windows, per_window in con.execute(
            "select region_code, start_date, end_date, windows, per_window from sites_current").fetchall():
        raw.sites[code].append(Site(start, end, windows, per_window or campaign.default_daily_per_window))
    for code, start, end, daily in con.execute(
            "select region_code, start_date, end_date, daily_capacity from hospitals_current").fetchall():
        raw.hospitals[code].append(Site(start, end, 1, daily or campaign.default_exam_daily_capacity))
    raw.registrations = con.execute("""select region_code, qualification, date, sum(registrations)
                                       from registrations_current group by all""").fetchall()
    columns = ", ".join(f"coalesce({m}, 0)" for m in MEASURES)
    for code, as_of, *values in con.execute(f"select region_code, as_of, {columns} from progress_current").fetchall():
        raw.progress[code][as_of] = dict(zip(MEASURES, values, strict=True))
    return raw


def working_units(raw: Raw, units: Units, facilities: dict[str, list[Site]]) -> dict[str, Work]:
    """The units that do one kind of work (confirmation with `raw.sites`, exams with
    `raw.hospitals`), each with its facilities, registrations and weekly figures."""
    own = {code for code, sites in facilities.items() if sites}
    work = {r.code: Work(r.code, r.code) for r in units.reporting()}
    for code in own:
        unit = working_unit(code, units, own)
        work.setdefault(unit, Work(units.reporting_root(code).code, unit))
    for code, sites in facilities.items():
        work[working_unit(code, units, own)].sites.extend(sites)
    for code, kind, day, n in raw.registrations:
        work[working_unit(code, units, own, kind)].registrations[day] += n
    for code, weeks in raw.progress.items():
        target = work[working_unit(code, units, own)].progress
        for day, figures in weeks.items():
            week = target.setdefault(day, dict.fromkeys(MEASURES, 0))
            for measure, value in figures.items():
                week[measure] += value
    return work


def demand(w: Work, campaign: Campaign, as_of: dt.date) -> tuple[int | None, str]:
    """The demand R4 judges: registrations (projected before registration closes), or the
    unit's own weekly registered figure where that is higher."""
    expected, basis = expected_demand(w.registrations, campaign, as_of, (w.unit, w.region))
    latest = w.latest(as_of)
    reported = latest["registered"] if latest else 0
    if expected is None and not reported:
        return None, basis
    if reported > (expected or 0):
        return reported, "reported"
    return expected, basis


def assess_confirmation(w: Work, campaign: Campaign, as_of: dt.date) -> list[Assessment]:
    """R3–R7 of one confirming unit as of one day."""
    latest = w.latest(as_of)
    need, basis = demand(w, campaign, as_of)
    silent = not (w.registrations or w.progress)  # a unit that sent nothing is expected to confirm someone
    length = check_confirmation_length([(s.start, s.end) for s in w.sites], campaign, as_of, bool(need) or silent)
    confirmed = latest["confirmed"] if latest else None
    capacity = check_capacity(need, w.sites, campaign, as_of, confirmed, basis)
    # With no sites sent, confirmation cannot be dated: its stages are taken to start when registration
    # closes and to be due by the final date, so that silence escalates rather than stays 无数据.
    start = min((s.start for s in w.sites), default=campaign.registration_end)
    end = max((s.end for s in w.sites), default=campaign.registration_end)
    due = effective_decision_due(end, campaign) if w.sites else campaign.final_date
    decided = latest["approved"] + latest["rejected"] if latest else None
    checks = check_record_checks(w.history(as_of, "record_checked"), decided, confirmed, due, start, campaign,
                                 as_of)
    decisions = check_progress("R6_decisions", w.history(as_of, "approved", "rejected"), confirmed, due, end,
                               campaign, as_of)
    to_issue = confirmed - latest["rejected"] if latest else None
    final = after_decisions(check_progress("R7_final", w.history(as_of, "issued"), to_issue, campaign.final_date,
                                           end, campaign, as_of), decisions, as_of)
    return [length, capacity, checks, decisions, final]


def assess_exams(w: Work, campaign: Campaign, as_of: dt.date) -> Assessment:
    need, basis = demand(w, campaign, as_of)
    latest = w.latest(as_of)
    return check_capacity(need, w.sites, campaign, as_of, latest["examined"] if latest else None, basis,
                          milestone="R4_exam_capacity")


RISK_DAYS_AFTER = 60  # days after the campaign's last report or final date that are still judged

COLUMNS = ["as_of", "region_code", "unit_code", "milestone", "due_date", "projected_date", "slack_working_days",
           "level", "state", "reason", "facts", "worst"]


def beyond_calendar(milestones: tuple[str, ...], judge) -> list[Assessment]:
    """`judge()`, or, where a figure or date takes a rule past the years the statutory calendar knows,
    each milestone said to be beyond what can be computed (有风险), never an exception."""
    try:
        return judge()
    except CalendarNotCovered:
        return [Assessment(m, State.AT_RISK, reason="beyond_calendar") for m in milestones]


def risk_rows(raw: Raw, units: Units, campaign: Campaign, first: dt.date, last: dt.date) -> list[tuple]:
    """One row per day, unit and milestone; `worst` marks the unit that speaks for its region."""
    confirming = working_units(raw, units, raw.sites)
    examining = working_units(raw, units, raw.hospitals)
    rows = []
    day = first
    while day <= last:
        found: list[tuple[str, str, Assessment]] = []
        for r in units.reporting():
            plan = raw.plans.get(r.code, (None, None, None))
            found.extend((r.code, r.code, a) for a in beyond_calendar(("R1_plan",), lambda plan=plan, day=day: [
                check_plan(*plan, day, campaign.calendar, campaign.registration_start)]))
        for code, w in confirming.items():
            found.extend((w.region, code, a) for a in beyond_calendar(
                MILESTONES[1:3] + MILESTONES[4:], lambda w=w, day=day: assess_confirmation(w, campaign, day)))
        for code, w in examining.items():
            found.extend((w.region, code, a) for a in beyond_calendar(
                ("R4_exam_capacity",), lambda w=w, day=day: [assess_exams(w, campaign, day)]))
        worst: dict[tuple[str, str], tuple] = {}
        for region, unit, a in found:
            rank = (STATE_SEVERITY[a.state], unit != region, unit)  # ties: the region itself speaks
            key = (region, a.milestone)
            if key not in worst or rank < worst[key]:
                worst[key] = rank
        for region, unit, a in found:
            assert a.milestone in MILESTONES
            chosen = worst[(region, a.milestone)][2] == unit
            rows.append((day, region, unit, a.milestone, a.due_date, a.projected_date, a.slack_working_days,
                         a.level.value, a.state.value, a.reason,
                         json.dumps(a.facts, default=str, ensure_ascii=False), chosen))
        day += dt.timedelta(days=1)
    return rows


def silence_rows(raw: Raw, units: Units, campaign: Campaign, first: dt.date, last: dt.date) -> list[tuple]:
    """(day, region, last report, reports missed, the latest missed) for every reporting region
    that has gone silent on that day (domain.rules.missed_reports)."""
    reports: dict[str, set[dt.date]] = defaultdict(set)
    for code, weeks in raw.progress.items():
        reports[units.reporting_root(code).code].update(weeks)
    rows = []
    day = first
    while day <= last:
        for r in units.reporting():
            seen = [d for d in reports[r.code] if d <= day]
            latest = max(seen, default=None)
            if missed := missed_reports(latest, campaign, day):
                rows.append((day, r.code, latest, len(missed), missed[-1]))
        day += dt.timedelta(days=1)
    return rows


def build_risk(con: duckdb.DuckDBPyConnection, units: Units, campaign: Campaign, data_as_of: dt.date | None) -> int:
    """Fill risk_by_unit_day, risk_by_day, silence_by_day and work_unit_members (whose weekly
    figures each confirming unit's are) from the current tables; returns the number of unit rows."""
    con.execute("""create or replace table risk_by_unit_day (
        as_of date, region_code varchar, unit_code varchar, milestone varchar, due_date date,
        projected_date date, slack_working_days integer, level varchar, state varchar, reason varchar,
        facts json, worst boolean)""")
    con.execute("""create or replace table silence_by_day (
        as_of date, region_code varchar, last_report date, missed integer, latest_missed date)""")
    rows, silent = [], []
    if data_as_of is not None:
        raw = read_raw(con, campaign)
        first = min(campaign.registration_start, data_as_of)
        # a date typed years ahead must not make the warehouse judge every day until then
        last = min(data_as_of, max(campaign.last_report, campaign.final_date) + dt.timedelta(days=RISK_DAYS_AFTER))
        rows = risk_rows(raw, units, campaign, first, last)
        silent = silence_rows(raw, units, campaign, first, last)
    con.execute("create or replace table work_unit_members (member_code varchar, unit_code varchar)")
    if data_as_of is not None:
        own = {code for code, sites in raw.sites.items() if sites}
        _insert(con, "work_unit_members", ["member_code", "unit_code"],
                [(u.code, working_unit(u.code, units, own)) for u in units if u.kind != "province"])
    _insert(con, "risk_by_unit_day", COLUMNS, rows)
    _insert(con, "silence_by_day", ["as_of", "region_code", "last_report", "missed", "latest_missed"], silent)
    con.execute("""create or replace table risk_by_day as
        select as_of, region_code, milestone, due_date, projected_date, slack_working_days, level, state, reason,
               facts, unit_code
        from risk_by_unit_day where worst""")
    return len(rows)


def _insert(con: duckdb.DuckDBPyConnection, table: str, names: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    frame = pa.table(dict(zip(names, map(list, zip(*rows, strict=True)), strict=True)))
    con.register("new_rows", frame)
    con.execute(f"insert into {table} by name select * from new_rows")
    con.unregister("new_rows")
