"""总览: headline figures with the change since last week, the regions in trouble first,
and how fresh the data is."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from charts import geo
from charts.figures import region_map
from domain.rules import ATTENTION, MILESTONES, STATE_SEVERITY, State
from pages.frame import context, rolled_up, show, table, who
from queries import read
from texts import level_name, milestone_name, reason

ctx = context()
week_ago = ctx.as_of - dt.timedelta(days=7)
now = read.progress(ctx.version, ctx.scope, ctx.as_of, ctx.since)
before = read.progress(ctx.version, ctx.scope, week_ago, ctx.since)


def rate(p, part: str, whole: str) -> float:
    return float(p[part]) / float(p[whole]) if p[whole] else 0.0


plans = read.plans(ctx.version, ctx.scope, ctx.as_of)
sent = plans["plan_submitted_on"].map(lambda d: d is not None and d <= ctx.as_of)
days_left = max(0, ctx.campaign.calendar.working_days_between(ctx.as_of + dt.timedelta(days=1),
                                                               ctx.campaign.final_date))
cols = st.columns(6)
cols[0].metric(ctx.t("metric.registered"), f"{int(now['online']):,}",
               f"{int(now['online'] - before['online']):+,}", help=ctx.t("metric.registered_help"))
for col, (key, part, whole) in zip(cols[1:4], [("metric.confirmed_rate", "confirmed", "registered"),
                                               ("metric.decided_rate", "decided", "confirmed"),
                                               ("metric.issued_rate", "issued", "approved")], strict=True):
    col.metric(ctx.t(key), f"{rate(now, part, whole):.1%}",
               f"{(rate(now, part, whole) - rate(before, part, whole)) * 100:+.1f} pt")
cols[4].metric(ctx.t("metric.plans"), f"{int(sent.sum())}/{len(plans)}")
cols[5].metric(ctx.t("metric.days_left", final=ctx.campaign.final_date.strftime("%m-%d")), days_left)

received, due, missing = read.freshness(ctx.version, ctx.as_of, tuple(ctx.campaign.report_dates()),
                                        ctx.scope)
st.caption(ctx.t("freshness.line", received=received.strftime("%Y-%m-%d %H:%M") if received else ctx.t("unknown"),
                 week=due.isoformat() if due else "—", missing="、".join(missing) or ctx.t("freshness.none_missing")))



# ---- the map: the regions under the province, or the counties of a city, coloured by a measure ----
MEASURES = ("risk", "registrations", "per_10k", "confirmed_rate", "utilisation")
# judged per reporting region, or (per 10,000) needing a census figure counties do not have yet
REGION_ONLY = {"risk", "utilisation", "per_10k"}


def map_parent(scope: str, units: pd.DataFrame) -> tuple[str, str | None]:
    """(whose children the map draws, the shape outlined): a city shows its counties; a county
    its city's counties with itself outlined; a reporting region without counties the province."""
    if geo.shapes_under(scope)["features"]:
        return scope, None
    parent = units.set_index("region_code").at[scope, "parent_code"] if scope != geo.PROVINCE else geo.PROVINCE
    return parent, scope


def drill() -> None:
    """A click on a shape chooses that region in the sidebar (runs before the next script run, so the
    sidebar's widgets may still be set)."""
    event = st.session_state.get("chart-overview-map")
    points = (event or {}).get("selection", {}).get("points", [])
    codes = [p.get("customdata", [None])[0] for p in points if p.get("customdata")]
    if not codes:
        return
    units = read.regions(st.session_state["context"].version).set_index("region_code")
    code = codes[0]
    if units.at[code, "parent_code"] == geo.PROVINCE:
        st.session_state["region"], st.session_state["county"] = code, ""
    else:
        st.session_state["region"], st.session_state["county"] = units.at[code, "parent_code"], code


def back_to_province() -> None:
    st.session_state["region"], st.session_state["county"] = geo.PROVINCE, ""


def map_frame(parent: str, shapes: dict, measure: str) -> pd.DataFrame:
    """One row per shape: its figures summed over the units it covers, the measure and a hover line."""
    data = read.by_child(ctx.version, parent, ctx.as_of, ctx.since).copy()
    data["shape"] = data["region_code"].map(geo.covers(shapes))
    data = data.dropna(subset=["shape"])
    names = {f["id"]: f["properties"]["name"] for f in shapes["features"]}
    sums = data.groupby("shape").agg(registrations=("registrations", "sum"), population=("population", "sum"),
                                     census=("census_population", lambda v: v.sum(min_count=len(v))),
                                     reported=("reported_registered", "sum"), confirmed=("confirmed", "sum"),
                                     utilisation=("utilisation", "max")).reset_index()
    sums["name"] = sums["shape"].map(names)
    short = units.set_index("region_code")["short_name"]
    sums["label"] = sums["shape"].map(lambda s: short.get(s) or names[s])
    # per 10,000 people only on census figures (a direct county's population is an estimate)
    sums["per_10k"] = sums["registrations"] * 10000 / sums["census"].where(sums["census"] > 0)
    sums["confirmed_rate"] = sums["confirmed"] / sums["reported"].where(sums["reported"] > 0)
    if measure == "risk":
        judged = read.risk(ctx.version, parent, ctx.as_of)
        worst = judged.assign(severity=judged["state"].map(lambda v: STATE_SEVERITY[State(v)]))
        worst = worst.sort_values("severity", kind="stable").drop_duplicates("region_code").set_index("region_code")
        state = sums["shape"].map(worst["state"]).fillna(State.NO_DATA.value)
        sums["level"] = state.replace({State.FAILS.value: State.OVERDUE.value})  # one colour, one legend entry
        which = sums["shape"].map(worst["milestone"])  # the milestone of the worst finding, said in the hover
        sums["hover"] = [f"{n}：{level_name(s, ctx.lang, m)}" + (f"（{milestone_name(m, ctx.lang)}）"
                                                               if State(s) in ATTENTION else "")
                         for n, s, m in zip(sums["name"], state, which, strict=True)]
        return sums
    sums["value"] = sums[measure]
    shown = {"registrations": "{:,.0f}", "per_10k": "{:.1f}", "confirmed_rate": "{:.1%}", "utilisation": "{:.0%}"}
    sums["hover"] = sums.apply(lambda r: f"{r['name']}：" + (shown[measure].format(r["value"]) if pd.notna(r["value"])
                                                           else ctx.t("map.no_data")), axis=1)
    return sums


units = read.regions(ctx.version)
parent, outlined = map_parent(ctx.scope, units)
shapes = geo.shapes_under(parent)
offered = [m for m in MEASURES if parent == geo.PROVINCE or m not in REGION_ONLY]
measure = st.segmented_control(ctx.t("map.measure"), offered, default=offered[0],
                               key=f"map-measure-{'province' if parent == geo.PROVINCE else 'city'}",
                               format_func=lambda m: ctx.t(f"map.{m}")) or offered[0]
frame = map_frame(parent, shapes, measure)
parent_name = ctx.t("scope.province") if parent == geo.PROVINCE else units.set_index("region_code").at[parent, "name"]
title = ctx.t("map.title", measure=ctx.t(f"map.{measure}"), region=parent_name, as_of=ctx.as_of.isoformat())
level_names = {s.value: level_name(s.value, ctx.lang) for s in State} | {
    State.OVERDUE.value: level_name("late_or_fails", ctx.lang)}  # a region's worst finding may be either
rates = {"confirmed_rate": (0.0, 1.0), "utilisation": (0.0, max(1.2, float(frame["utilisation"].max() or 0)))}
fig = region_map(frame, shapes, title, ctx.source, legend=ctx.t(f"map.{measure}"), no_data=ctx.t("map.no_data"),
                 level_names=level_names if measure == "risk" else None, highlight=outlined,
                 tickformat=".0%" if measure in rates else ",", value_range=rates.get(measure))
shown = frame[["name", "registrations", "population"]].rename(
    columns={"name": ctx.t("col.region"), "registrations": ctx.t("map.registrations"),
             "population": ctx.t("col.population")})
if measure == "risk":
    shown[ctx.t("map.risk")] = frame["hover"].str.split("：", n=1).str[1].to_numpy()
else:
    percent = measure in rates
    shown[ctx.t(f"map.{measure}") + (" (%)" if percent else "")] = (
        frame["value"] * (100 if percent else 1)).round(1).to_numpy()
show(fig, shown, "overview-map", ctx, on_select=drill)
hint, back = st.columns([5, 1])
hint.caption(ctx.t("map.hint") if parent == geo.PROVINCE else ctx.t("map.hint_county"))
if parent != geo.PROVINCE:
    back.button(ctx.t("map.back"), on_click=back_to_province, key="map-back")
if parent == "410300":
    st.caption(ctx.t("map.jili"))

st.subheader(ctx.t("overview.attention"))
st.caption(ctx.t("overview.attention_help"))
risk = read.risk(ctx.version, ctx.scope, ctx.as_of)
risk["severity"] = risk["state"].map(lambda v: STATE_SEVERITY[State(v)])
trouble = risk[risk["state"].isin(ATTENTION)].sort_values(["severity", "region_code", "milestone"], kind="stable")
quiet = read.silence(ctx.version, ctx.scope, ctx.as_of).set_index("region_code")
order = list(dict.fromkeys([*trouble["region_code"], *quiet.index]))  # most urgent first, then the silent
if not order:
    st.success(ctx.t("overview.attention_none"))
BADGE = {State.OVERDUE: "red", State.FAILS: "red", State.PROJECTED_LATE: "violet", State.AT_RISK: "orange",
         State.DONE_LATE: "yellow"}
for code in order:  # one line per region: its worst finding, what else is wrong, and whether it went quiet
    found = trouble[trouble["region_code"] == code]
    parts = []
    if not found.empty:
        first = found.iloc[0]
        badge = level_name(first["state"], ctx.lang, first["milestone"])
        parts.append(f":{BADGE[State(first['state'])]}-badge[{badge}] "
                     + (reason(who(first['name'], first['unit_name']), first["reason"], json.loads(first["facts"]),
                               ctx.lang) or milestone_name(first["milestone"], ctx.lang)))
        if len(found) > 1:
            others = "、".join(
                f"{milestone_name(r.milestone, ctx.lang)}（{level_name(r.state, ctx.lang, r.milestone)}）"
                for r in found.iloc[1:].itertuples())
            parts.append(ctx.t("overview.also", others=others))
    if code in quiet.index:
        q = quiet.loc[code]
        last = q["last_report"] if isinstance(q["last_report"], dt.date) else None
        sentence = ctx.t("stale.since" if last else "stale.never", region=q["name"],
                         last=last.isoformat() if last else "", n=int(q["missed"]), due=q["latest_missed"].isoformat())
        parts.append(f":gray-badge[{ctx.t('stale.badge')}] {sentence}" if found.empty else ctx.t(
            "overview.also_silent", sentence=sentence))
    st.markdown("".join(parts))

compared = read.registered_two_ways(ctx.version, ctx.scope, ctx.as_of)
differ = compared[compared["difference"].fillna(0) != 0]
if not differ.empty:
    with st.expander(ctx.t("overview.two_sources", n=len(differ))):
        st.caption(ctx.t("overview.two_sources_help"))
        table(differ.drop(columns="region_code").rename(columns={
            "name": ctx.t("col.region"), "report_date": ctx.t("col.report_date"),
            "reported": ctx.t("col.reported"), "daily": ctx.t("col.daily"),
            "difference": ctx.t("col.difference")}), "two-sources", ctx)

st.subheader(ctx.t("overview.by_region", as_of=ctx.as_of.isoformat()))
rolled_up(ctx)
summary = risk.pivot_table(index=["region_code", "name"], columns="milestone", values="state", aggfunc="first")
summary = summary[[m for m in MILESTONES if m in summary.columns]]
summary = summary.apply(lambda column: column.map(lambda v: level_name(v, ctx.lang, column.name)))
summary.columns = [milestone_name(m, ctx.lang) for m in summary.columns]
table(summary.reset_index().drop(columns="region_code").rename(columns={"name": ctx.t("col.region")}),
      "overview-risk", ctx)
