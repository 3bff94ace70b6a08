"""The week a briefing is about: which warehouse version, campaign, as-of date and scope, and the
queries that more than one part of the briefing reads (the headline figures, the summary and the
charts take their numbers from the same answers)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd

from briefing.scope import PROVINCE, ask
from briefing.words import w
from domain.campaign import Campaign, first_own_day, list_campaigns, load_campaign
from domain.rules import STATE_SEVERITY, State
from queries import read

T = TypeVar("T")


@dataclass(frozen=True)
class Week:
    version: Path
    campaign: Campaign
    as_of: dt.date
    region: str  # the scope: the province, a reporting region or a county
    region_name: str
    lang: str = "zh"
    since: dt.date = dt.date.min  # the campaign's first day that is not an earlier campaign's

    def w(self, key: str, **values: object) -> str:
        return w(key, self.lang, **values)

    def ask(self, query: Callable[..., T], *args: object) -> T:
        """A named query, answered within this briefing's scope."""
        return ask(query, self.version, *args, scope=self.region)

    @property
    def by_unit(self) -> bool:
        """Inside a region, each unit that does the work is judged on its own (as the risk page)."""
        return self.region != PROVINCE

    def heading(self, what: str, region: str | None = None) -> str:
        """A chart's title: what it shows, and under it where and as of when."""
        line = self.w("scope_line", region=region or self.region_name, as_of=self.as_of.isoformat())
        return f"{what}<br><span style='font-size:13px;color:#555'>{line}</span>"

    @property
    def source(self) -> str:
        return self.w("source", as_of=self.as_of.isoformat())


def week_of(version: Path, campaign: Campaign, as_of: dt.date, region: str = PROVINCE, lang: str = "zh",
            campaigns: list[Campaign] | None = None) -> Week:
    """The week for a command-line run: the scope's name from the warehouse, and the first day that
    belongs to this campaign (after the latest earlier campaign's final date, as the dashboard has it)."""
    units = ask(read.regions, version, scope=region).set_index("region_code")
    if region not in units.index:
        raise LookupError(region)
    name = w("province", lang) if region == PROVINCE else str(units.at[region, "name"])
    others = campaigns if campaigns is not None else [load_campaign(p) for p in list_campaigns()]
    return Week(version, campaign, as_of, region, name, lang, first_own_day(campaign, others))


@dataclass(frozen=True)
class Figures:
    """The answers shared by the headline figures, the summary and the charts."""

    now: pd.Series       # read.progress on the as-of date
    before: pd.Series    # … and a week earlier
    plans: pd.DataFrame  # read.plans
    judged: pd.DataFrame  # read.risk_by_unit: every working unit's findings
    risk: pd.DataFrame   # read.risk (province) or read.risk_by_unit (inside a region), with row, who, severity
    silence: pd.DataFrame  # read.silence
    days_left: int


def figures(week: Week) -> Figures:
    now = week.ask(read.progress, week.region, week.as_of, week.since)
    before = week.ask(read.progress, week.region, week.as_of - dt.timedelta(days=7), week.since)
    judged = week.ask(read.risk_by_unit, week.region, week.as_of)
    if week.by_unit:  # rows are the working units, named with their region (开封市杞县)
        risk = judged.assign(row=judged["unit_name"],
                             who=[_who(r, u) for r, u in zip(judged["region_name"], judged["unit_name"], strict=True)])
    else:
        risk = week.ask(read.risk, week.region, week.as_of)
        risk = risk.assign(row=risk["name"],
                           who=[_who(r, u) for r, u in zip(risk["name"], risk["unit_name"], strict=True)])
    risk = risk.assign(severity=risk["state"].map(lambda s: STATE_SEVERITY[State(s)]))
    calendar = week.campaign.calendar
    days_left = max(0, calendar.working_days_between(week.as_of + dt.timedelta(days=1), week.campaign.final_date))
    return Figures(now, before, week.ask(read.plans, week.region, week.as_of), judged, risk,
                   week.ask(read.silence, week.region, week.as_of), days_left)


def _who(region: str, unit: str | None) -> str:
    """A finding's subject: the region, or the county inside it that does the work (开封市杞县)."""
    return region if not unit or unit == region else f"{region}{unit}"


def rate(progress: pd.Series, part: str, whole: str) -> float:
    return float(progress[part]) / float(progress[whole]) if progress[whole] else 0.0


def plans_sent(plans: pd.DataFrame, as_of: dt.date) -> int:
    return int(plans["plan_submitted_on"].map(lambda d: isinstance(d, dt.date) and d <= as_of).sum())
