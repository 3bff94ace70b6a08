"""The briefing's charts, one function each: the query the page uses → the builder the page uses
(charts/figures.py), with the title saying what, where and as of when. Nothing is drawn here.

Each chart comes with its table of figures (headers in the briefing's language) and the width its
image is drawn at (× 2 in the PNG)."""

from __future__ import annotations

import datetime as dt
import json
import numbers
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from briefing.scope import PROVINCE
from briefing.week import Figures, Week
from charts import geo
from charts.figures import capacity_bars, daily_registrations, region_map, risk_heatmap, timeline
from domain.rules import ATTENTION, MILESTONES, State
from queries import read
from texts import campaign_fields, level_name, t

WIDTH = 1000  # px before the 2× scale: every PNG is at least 1,600 px wide
MAP_WIDTH, MAP_HEIGHT = 820, 660
CAPACITY_ROWS = 10  # the busiest confirmation units
RISK_ROWS = 12  # the regions (or units) in most trouble


@dataclass(frozen=True)
class Chart:
    key: str  # the image's file name: briefing-<region>-<date>-<key>.png
    what: str  # the title's first line
    figure: go.Figure | None  # None: nothing to draw for this scope (`note` says why)
    table: pd.DataFrame
    width: int = WIDTH
    note: str = ""

    @property
    def height(self) -> int:
        return int(self.figure.layout.height or 420) if self.figure is not None else 0


def printable(fig: go.Figure) -> go.Figure:
    """The builder's figure with its axes' labels and its two-line title pushing the margins out
    instead of being cut at the image's edge (开封市尉氏县, the title's first line). Belongs in
    charts/theme.py; done here until it is."""
    return fig.update_yaxes(automargin=True).update_layout(title_automargin=True)


def milestone(week: Week, code: str, short: bool = False) -> str:
    """A milestone's name as the pages say it (texts/)."""
    key = f"milestone_short.{code}" if short else f"milestone.{code}"
    return t(key, week.lang, **campaign_fields(week.campaign, week.lang))


def region_map_chart(week: Week, found: Figures, size: tuple[int, int] = (MAP_WIDTH, MAP_HEIGHT)) -> Chart:
    """总览's map: the regions under the province coloured by their worst finding, or a city's counties
    by registrations (read.by_child, read.risk → region_map). A scope with nothing under it on the
    map (a county, a region without counties) has no map: the province's map would show others."""
    shapes = geo.shapes_under(week.region)
    measure = "risk" if week.region == PROVINCE else "registrations"
    what = week.w(f"map.{measure}")
    if not shapes["features"]:
        return Chart("map", what, None, pd.DataFrame(), note=week.w("page.none"))
    units = week.ask(read.regions)
    sums = geo.by_shape(week.ask(read.by_child, week.region, week.as_of, week.since), shapes, units)
    table = pd.DataFrame({week.w("col.region"): sums["name"], week.w("col.registrations"): sums["registrations"],
                          week.w("col.population"): sums["population"]})
    if measure == "risk":
        worst = read.worst_per_region(found.risk)
        state = sums["shape"].map(worst["state"]).fillna(State.NO_DATA.value)
        sums["level"] = state.replace({State.FAILS.value: State.OVERDUE.value})  # one colour, one legend entry
        which = sums["shape"].map(worst["milestone"])
        words = [level_name(s, week.lang, m if isinstance(m, str) else None) for s, m in zip(state, which, strict=True)]
        sums["hover"] = [f"{n}：{v}" for n, v in zip(sums["name"], words, strict=True)]
        table[week.w("col.finding")] = words
        levels = {s.value: level_name(s.value, week.lang) for s in State} | {
            State.OVERDUE.value: level_name("late_or_fails", week.lang)}
        fig = region_map(sums, shapes, week.heading(what), week.source, legend=what, no_data=week.w("page.none"),
                         level_names=levels, height=size[1])
    else:
        sums["value"], sums["hover"] = sums["registrations"], sums["name"]
        fig = region_map(sums, shapes, week.heading(what), week.source, legend=week.w("col.registrations"),
                         no_data=week.w("page.none"), tickformat=",", height=size[1])
    return Chart("map", what, printable(fig), table, width=size[0])


def registration_curve(week: Week) -> Chart:
    """报名量's cumulative curve (read.registrations_daily → daily_registrations)."""
    frame = week.ask(read.registrations_daily, week.region, week.as_of, week.since)
    what = week.w("curve")
    daily = frame.groupby("date", as_index=False)["registrations"].sum().sort_values("date")
    table = pd.DataFrame({week.w("col.date"): daily["date"], week.w("col.cumulative"): daily["registrations"].cumsum()})
    if frame.empty:
        return Chart("registrations", what, None, table, note=week.w("page.none"))
    campaign = week.campaign
    window = (campaign.registration_start, campaign.registration_end)
    holidays = [d for d in campaign.calendar.holidays_between(*window) if d.weekday() < 5]
    labels = {"series": week.w("registered"), "window": week.w("curve.window"), "outside": week.w("curve.outside")}
    fig = daily_registrations(frame, window, holidays, week.heading(what), week.source, labels, cumulative=True)
    return Chart("registrations", what, printable(fig), table)


def capacity_chart(week: Week) -> Chart:
    """现场确认产能's demand against capacity (read.capacity → capacity_bars), the busiest units."""
    frame = week.ask(read.capacity, week.region, week.as_of)
    frame = frame.assign(name=[r if n == r else f"{r}{n}" for r, n in zip(frame["region_name"], frame["name"],
                                                                          strict=True)])
    busiest = frame.sort_values("utilisation", ascending=False, na_position="last").head(CAPACITY_ROWS)
    what = week.w("capacity", n=len(busiest)) if len(frame) > CAPACITY_ROWS else week.w("capacity.all")
    table = pd.DataFrame({
        week.w("col.unit"): busiest["name"], week.w("col.demand"): busiest["demand"],
        week.w("col.capacity"): busiest["capacity"], week.w("col.utilisation"): (busiest["utilisation"] * 100).round(1),
        week.w("col.finding"): [level_name(s, week.lang, "R4_capacity") for s in busiest["state"]],
        week.w("col.start"): busiest["start_date"], week.w("col.end"): busiest["end_date"]})
    if busiest.empty:
        return Chart("capacity", what, None, table, note=week.w("page.none"))
    labels = {"demand": week.w("capacity.demand"), "capacity": week.w("capacity.capacity"),
              "over": week.w("capacity.over")}
    return Chart("capacity", what, printable(capacity_bars(busiest, week.heading(what), week.source, labels)), table)


def risk_chart(week: Week, found: Figures) -> Chart:
    """截止风险's heatmap (read.risk or read.risk_by_unit → risk_heatmap), the rows needing attention,
    worst first; the table lists every finding that needs attention."""
    risk = found.risk
    what = week.w("risk.units" if week.by_unit else "risk")
    trouble = risk[risk["state"].isin(ATTENTION)]
    order = (trouble.groupby("row", sort=False)["severity"].agg(["min", "sum"])
             .sort_values(["min", "sum"], kind="stable").index.tolist())
    table = trouble.sort_values(["severity", "row"], kind="stable")
    table = pd.DataFrame({
        week.w("col.unit" if week.by_unit else "col.region"): table["who"],
        week.w("col.milestone"): [milestone(week, m) for m in table["milestone"]],
        week.w("col.finding"): [level_name(s, week.lang, m) for s, m in zip(table["state"], table["milestone"],
                                                                          strict=True)],
        week.w("col.due"): table["due_date"], week.w("col.projected"): table["projected_date"]})
    note = ""
    if not order:  # nothing needs attention: every row, and the note says so
        what, note = week.w("risk.all"), week.w("risk.none")
        order = (risk.groupby("row", sort=False)["severity"].agg(["min", "sum"])
                 .sort_values(["min", "sum"], kind="stable").index.tolist())
    if not order:
        return Chart("risk", what, None, table, note=note)
    rows = order[:RISK_ROWS]
    shown = risk[risk["row"].isin(rows)]
    names = [milestone(week, m, short=True) for m in MILESTONES]
    indexed = shown.set_index(["row", "milestone"])
    renamed = indexed.rename(index=dict(zip(MILESTONES, names, strict=True)), level=1)
    cells = [[level_name(indexed.loc[(r, m), "state"], week.lang, m) if (r, m) in indexed.index else "—"
              for m in MILESTONES] for r in rows]
    fig = risk_heatmap(renamed, rows, names, week.heading(what), week.source, cells, cells)
    if len(order) > len(rows):
        note = week.w("risk.more", n=len(order) - len(rows))
    return Chart("risk", what, printable(fig), table, note=note)


def plans_chart(week: Week, found: Figures) -> Chart:
    """实施方案's timeline (read.plans, read.risk_by_unit → timeline) for the regions whose plan needs
    following up (not sent, returned, late: R1 needs attention) — every region inside a city — and
    every region's plan status in the table."""
    plans, judged = found.plans, found.judged
    own = judged[judged["unit_code"] == judged["region_code"]].set_index(["region_code", "milestone"])
    table = pd.DataFrame({
        week.w("col.region"): plans["name"],
        week.w("col.status"): plans["status"].map(lambda s: s if isinstance(s, str) else week.w("not_received")),
        week.w("col.submitted"): plans["plan_submitted_on"], week.w("col.announced"): plans["announced_on"],
        week.w("col.before"): plans["submitted_before_announcement"].map(
            lambda v: "" if pd.isna(v) else week.w("yes") if bool(v) else week.w("no"))})
    if week.by_unit:
        follow, what = plans, week.w("plans.chart")
    else:
        follow = plans[[own.loc[(c, "R1_plan"), "state"] in ATTENTION if (c, "R1_plan") in own.index else True
                        for c in plans["region_code"]]]
        what = week.w("plans.follow")
    if follow.empty:
        return Chart("plans", what, None, table, note=week.w("plans.none"))
    stages = [stage for r in follow.itertuples() for stage in _stages(week, r, own)]
    frame = pd.DataFrame(stages, columns=["name", "stage", "start", "end"])
    return Chart("plans", what, printable(timeline(frame, week.heading(what), week.source)), table)


def _stages(week: Week, plan, own: pd.DataFrame) -> list[tuple]:
    """A region's bars, as the plans page draws them: plan → announcement, registration, its own
    sites' confirmation and the decisions' due date as the rules judged them, the final date."""
    campaign = week.campaign
    stages = []
    if isinstance(plan.plan_submitted_on, dt.date) and isinstance(plan.announced_on, dt.date):
        stages.append((plan.name, week.w("stage.plan"), min(plan.plan_submitted_on, plan.announced_on),
                       max(plan.plan_submitted_on, plan.announced_on)))
    stages.append((plan.name, week.w("stage.registration"), campaign.registration_start, campaign.registration_end))
    if (plan.region_code, "R3_confirmation_length") in own.index:
        period = json.loads(own.loc[(plan.region_code, "R3_confirmation_length"), "facts"])
        if period.get("start"):
            start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
            stages.append((plan.name, week.w("stage.confirmation"), start, end))
            stages.append((plan.name, week.w("stage.decisions"), end,
                           own.loc[(plan.region_code, "R6_decisions"), "due_date"]))
    stages.append((plan.name, week.w("stage.final"), campaign.final_date - dt.timedelta(days=1), campaign.final_date))
    return stages


def cells(table: pd.DataFrame) -> list[list[str]]:
    """A chart's table as text, the header first: counts with thousands separators, other numbers
    to one decimal place, dates as 2020-07-10, blanks blank."""
    def text(value: object) -> str:
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, numbers.Real) and not isinstance(value, bool):
            return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return str(value)
    return [[str(c) for c in table.columns], *([text(v) for v in row] for row in table.itertuples(index=False))]
