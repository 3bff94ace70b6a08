"""Deadline risk for every reporting region, milestone and day, from the rules in domain/.

The warehouse keeps one row per (day, region, milestone), from the opening of
registration to the latest date data has arrived for, so a page can look at
the campaign as it stood on any day without computing a rule itself.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

import duckdb
import pyarrow as pa

from domain.campaign import Campaign
from domain.regions import Units
from domain.rules import (
    MILESTONES,
    Assessment,
    Site,
    check_capacity,
    check_confirmation_length,
    check_plan,
    check_progress,
    check_record_checks,
    effective_decision_due,
)


@dataclass
class RegionFacts:
    """What the warehouse knows of one reporting region (its own rows and its counties')."""

    plan: tuple | None = None
    sites: list[Site] = field(default_factory=list)
    registrations: dict[dt.date, int] = field(default_factory=lambda: defaultdict(int))
    progress: dict[dt.date, dict[str, int]] = field(default_factory=dict)

    def latest(self, as_of: dt.date) -> dict[str, int] | None:
        days = [d for d in self.progress if d <= as_of]
        return self.progress[max(days)] if days else None

    def history(self, measure: str, as_of: dt.date) -> list[tuple[dt.date, int]]:
        return [(d, f[measure]) for d, f in sorted(self.progress.items()) if d <= as_of]


MEASURES = ("registered", "booked", "confirmed", "examined", "record_checked", "approved", "rejected",
            "printed", "issued")


def gather(con: duckdb.DuckDBPyConnection, units: Units, campaign: Campaign) -> dict[str, RegionFacts]:
    facts = {r.code: RegionFacts() for r in units.reporting()}

    def root(code: str) -> str:
        return units.reporting_root(code).code

    for code, submitted, announced, status in con.execute(
            "select region_code, plan_submitted_on, announced_on, status from plan_current").fetchall():
        if code in facts:
            facts[code].plan = (submitted, announced, status)
    for code, start, end, windows, per_window in con.execute(
            "select region_code, start_date, end_date, windows, per_window from sites_current").fetchall():
        facts[root(code)].sites.append(Site(start, end, windows, per_window or campaign.default_daily_per_window))
    for code, day, n in con.execute(
            "select region_code, date, sum(registrations) from registrations_current group by all").fetchall():
        facts[root(code)].registrations[day] += n
    columns = ", ".join(f"coalesce({m}, 0)" for m in MEASURES)
    for code, as_of, *values in con.execute(f"select region_code, as_of, {columns} from progress_current").fetchall():
        week = facts[root(code)].progress.setdefault(as_of, dict.fromkeys(MEASURES, 0))
        for measure, value in zip(MEASURES, values, strict=True):
            week[measure] += value
    return facts


def assess(f: RegionFacts, campaign: Campaign, as_of: dt.date) -> list[Assessment]:
    """The six milestones of one region as of one day."""
    cal = campaign.calendar
    plan = check_plan(*(f.plan or (None, None, None)), as_of, cal)
    periods = [(s.start, s.end) for s in f.sites]
    length = check_confirmation_length(periods, campaign, as_of)
    latest = f.latest(as_of)
    registered = sum(n for d, n in f.registrations.items() if d <= as_of)
    demand = max(registered, latest["registered"] if latest else 0) if (registered or latest) else None
    capacity = check_capacity(demand, f.sites, campaign, as_of, latest["confirmed"] if latest else None)
    start = min((s.start for s in f.sites), default=None)
    end = max((s.end for s in f.sites), default=None)
    due = effective_decision_due(end, campaign) if end else None
    confirmed = latest["confirmed"] if latest else None
    decided = latest["approved"] + latest["rejected"] if latest else None
    checks = check_record_checks(f.history("record_checked", as_of), decided, confirmed, due, start, campaign,
                                 as_of)
    decided_history = [(d, w["approved"] + w["rejected"]) for d, w in sorted(f.progress.items()) if d <= as_of]
    decisions = check_progress("R6_decisions", decided_history, confirmed, due, end, campaign, as_of)
    to_issue = confirmed - latest["rejected"] if latest else None
    final = check_progress("R7_final", f.history("issued", as_of), to_issue, campaign.final_date, end, campaign,
                           as_of)
    return [plan, length, capacity, checks, decisions, final]


def build_risk(con: duckdb.DuckDBPyConnection, units: Units, campaign: Campaign, data_as_of: dt.date | None) -> int:
    """Fill risk_by_day from the current tables; returns the number of rows."""
    con.execute("""create or replace table risk_by_day (
        as_of date, region_code varchar, milestone varchar, due_date date, projected_date date,
        slack_working_days integer, level varchar, reason varchar, facts varchar)""")
    if data_as_of is None:
        return 0
    facts = gather(con, units, campaign)
    rows = []
    day = min(campaign.registration_start, data_as_of)
    while day <= data_as_of:
        for code, f in facts.items():
            for a in assess(f, campaign, day):
                assert a.milestone in MILESTONES
                rows.append((day, code, a.milestone, a.due_date, a.projected_date, a.slack_working_days,
                             a.level.value, a.reason, json.dumps(a.facts, default=str, ensure_ascii=False)))
        day += dt.timedelta(days=1)
    names = ["as_of", "region_code", "milestone", "due_date", "projected_date", "slack_working_days", "level",
             "reason", "facts"]
    frame = pa.table(dict(zip(names, map(list, zip(*rows, strict=True)), strict=True)) if rows else
                     {n: [] for n in names})
    con.register("risk_rows", frame)
    con.execute("insert into risk_by_day by name select * from risk_rows")
    con.unregister("risk_rows")
    return len(rows)
