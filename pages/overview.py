"""总览: headline figures with the change since last week, then — on the first screen — the map
beside 需要关注 (one short line per region, the worst first), how fresh the data is, and the
sentences and tables behind them further down."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from charts import geo
from charts.figures import MAP_HEIGHT, MAP_WIDTH, region_map
from domain.rules import ATTENTION, MILESTONES, STATE_SEVERITY, State
from pages.frame import choice, context, once, show, table, who
from queries import read
from queries.who import allowed as user_scope
from texts import reason

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
with st.container(horizontal=True, gap="medium"):  # wraps to two or three a row on a phone
    st.metric(ctx.t("metric.registered"), f"{int(now['online']):,}", f"{int(now['online'] - before['online']):+,}",
              help=ctx.t("metric.registered_help"), width="content")
    for key, part, whole in [("metric.confirmed_rate", "confirmed", "registered"),
                             ("metric.decided_rate", "decided", "confirmed"),
                             ("metric.issued_rate", "issued", "approved")]:
        st.metric(ctx.t(key), f"{rate(now, part, whole):.1%}",
                  f"{(rate(now, part, whole) - rate(before, part, whole)) * 100:+.1f} pt", width="content")
    st.metric(ctx.t("metric.plans_of", region=ctx.reported_by) if ctx.reported_by else ctx.t("metric.plans"),
              f"{int(sent.sum())}/{len(plans)}", width="content")
    st.metric(ctx.t("metric.days_left"), days_left, width="content")
coordinator = user_scope() != geo.PROVINCE
if coordinator:  # how the region compares, without naming any other (computed on the server)
    mine = read.standing(ctx.version, ctx.as_of, ctx.since)
    if mine["rank"] is not None and not pd.isna(mine["rank"]):
        st.caption(ctx.t("overview.standing", total=int(mine["province_registrations"]),
                         average=round(float(mine["peer_average"])),
                         region=read.regions(ctx.version).set_index("region_code").at[user_scope(), "name"],
                         mine=int(mine["registrations"]), rank=int(mine["rank"]), peers=int(mine["peers"])))
if ctx.reported_by:  # a county inside a city: say which figures are its own and which its city's
    st.info(ctx.t("overview.county_note", county=ctx.scope_name, city=ctx.reported_by))


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
    sums = geo.by_shape(read.by_child(ctx.version, parent, ctx.as_of, ctx.since), shapes, units)
    if measure == "risk":
        judged = read.risk(ctx.version, parent, ctx.as_of)
        worst = read.worst_per_region(judged)
        state = sums["shape"].map(worst["state"]).astype(object).fillna(State.NO_DATA.value)  # none judged: no data
        sums["level"] = state.replace({State.FAILS.value: State.OVERDUE.value})  # one colour, one legend entry
        which = sums["shape"].map(worst["milestone"])  # the milestone of the worst finding, said in the hover
        sums["hover"] = [f"{n}：{ctx.level(s, m)}" + (f"（{ctx.milestone(m)}）" if State(s) in ATTENTION else "")
                         for n, s, m in zip(sums["name"], state, which, strict=True)]
        return sums
    sums["value"] = sums[measure]
    shown = {"registrations": "{:,.0f}", "per_10k": "{:.1f}", "confirmed_rate": "{:.1%}", "utilisation": "{:.0%}"}
    sums["hover"] = sums.apply(lambda r: f"{r['name']}：" + (shown[measure].format(r["value"]) if pd.notna(r["value"])
                                                           else ctx.t("map.no_data")), axis=1)
    return sums


def attention_lines(risk: pd.DataFrame) -> list[tuple[str, str]]:
    """需要关注, one line per region, most urgent first, then the silent: (a short line — the worst
    finding's word, the region, the milestones in trouble — and the sentences behind it)."""
    trouble = risk[risk["state"].isin(ATTENTION)].sort_values(["severity", "region_code", "milestone"],
                                                              kind="stable")
    quiet = read.silence(ctx.version, ctx.scope, ctx.as_of).set_index("region_code")
    lines = []
    for code in dict.fromkeys([*trouble["region_code"], *quiet.index]):
        found = trouble[trouble["region_code"] == code]
        short, long = [], []
        if not found.empty:
            first = found.iloc[0]
            badge = f":{BADGE[State(first['state'])]}-badge[{ctx.level(first['state'], first['milestone'])}]"
            named = [ctx.t(f"milestone_short.{m}") for m in found["milestone"]]
            which = ctx.t("sep.list").join(named) if len(named) <= 2 else ctx.t(
                "overview.more", first=ctx.t("sep.list").join(named[:2]), n=len(named))
            short.append(f"{badge} **{first['name']}** {which}")
            long.append(reason(who(first["name"], first["unit_name"]), first["reason"], json.loads(first["facts"]),
                               ctx.lang) or ctx.milestone(first["milestone"]))
            if len(found) > 1:
                others = [f"{ctx.milestone(r.milestone)}（{ctx.level(r.state, r.milestone)}）"
                          for r in found.iloc[1:].itertuples()]
                long.append(ctx.t("overview.also", others=ctx.t("sep.list").join(others)))
        if code in quiet.index:
            q = quiet.loc[code]
            last = q["last_report"] if isinstance(q["last_report"], dt.date) else None
            sentence = ctx.t("stale.since" if last else "stale.never", region=q["name"], last=last.isoformat() if last
                             else "", n=int(q["missed"]), due=q["latest_missed"].isoformat())
            badge = f":gray-badge[{ctx.t('stale.badge')}]"
            if found.empty:
                short.append(f"{badge} **{q['name']}**")
                long.append(sentence)
            else:
                short.append(badge)
                long.append(ctx.t("overview.also_silent", sentence=sentence))
        lines.append((" ".join(short), "".join(long)))
    return lines


BADGE = {State.OVERDUE: "red", State.FAILS: "red", State.PROJECTED_LATE: "violet", State.AT_RISK: "orange",
         State.DONE_LATE: "yellow"}
narrow = "Mobi" in st.context.headers.get("User-Agent", "")  # a phone: the map framed for its width
units = read.regions(ctx.version)
parent, outlined = map_parent(ctx.scope, units)
shapes = geo.shapes_under(parent)
visible = set(units["region_code"])  # read.regions: only the regions in the user's scope
shapes = shapes | {"features": [f for f in shapes["features"] if f["id"] in visible]}  # no one else's shape

offered = [m for m in MEASURES if parent == geo.PROVINCE or m not in REGION_ONLY]


def findings(ctx) -> tuple[list[tuple[str, str]], pd.DataFrame]:
    """需要关注's lines and the table of every region × milestone (built once per
    version and view, see once)."""
    risk = read.risk(ctx.version, ctx.scope, ctx.as_of)
    risk["severity"] = risk["state"].map(lambda v: STATE_SEVERITY[State(v)])
    summary = risk.pivot_table(index=["region_code", "name"], columns="milestone", values="state", aggfunc="first")
    summary = summary[[m for m in MILESTONES if m in summary.columns]]
    summary = summary.apply(lambda column: column.map(lambda v: ctx.level(v, column.name)))
    summary.columns = [ctx.milestone(m) for m in summary.columns]
    summary = summary.reset_index().drop(columns="region_code").rename(columns={"name": ctx.t("col.region")})
    return attention_lines(risk), summary


lines, summary = once("overview-findings", findings, ctx)

def drawn(measure: str) -> tuple:
    """The map coloured by `measure`, its table, what it shows and where (built once per version and
    view, see once)."""
    frame = map_frame(parent, shapes, measure)
    parent_name = ctx.t("scope.province") if parent == geo.PROVINCE else units.set_index("region_code").at[parent,
                                                                                                          "name"]
    what = ctx.t(f"map.{measure}")
    level_names = {s.value: ctx.level(s.value) for s in State} | {
        State.OVERDUE.value: ctx.level("late_or_fails")}  # a region's worst finding may be either
    rates = {"confirmed_rate": (0.0, 1.0), "utilisation": (0.0, max(1.2, float(frame["utilisation"].max() or 0)))}
    height = 470 if narrow else MAP_HEIGHT
    fig = region_map(frame, shapes, ctx.heading(what, parent_name), ctx.source, legend=what,
                     no_data=ctx.t("map.no_data"), level_names=level_names if measure == "risk" else None,
                     highlight=outlined, tickformat=".0%" if measure in rates else ",",
                     value_range=rates.get(measure), height=height, shapes_url=geo.SHAPES_URL)
    shown = frame[["name", "registrations", "population"]].rename(
        columns={"name": ctx.t("col.region"), "registrations": ctx.t("map.registrations"),
                 "population": ctx.t("col.population")})
    if measure == "risk":
        shown[what] = frame["hover"].str.split("：", n=1).str[1].to_numpy()
    else:
        percent = measure in rates
        shown[what + (" (%)" if percent else "")] = (frame["value"] * (100 if percent else 1)).to_numpy()
    return fig, shown, what, parent_name


on_list, on_map = st.columns([2, 3], gap="medium")  # on a phone the list comes first
with on_list:
    st.subheader(ctx.t("overview.attention"), anchor=False)
    with st.container(height=MAP_HEIGHT - 40 if not narrow else "content", border=False):
        if not lines:
            st.success(ctx.t("overview.attention_none"))
        for short, long in lines:
            st.markdown(short, help=long)
with on_map:
    measure = choice(st.selectbox, ctx.t("map.measure"), offered,
                     f"map-measure-{'province' if parent == geo.PROVINCE else 'city'}", ctx.lang,
                     format_func=lambda m: ctx.t(f"map.{m}"), width=320)
    fig, shown, what, parent_name = once("overview-map", lambda _: drawn(measure), ctx, measure, narrow)
    width = 330 if narrow else MAP_WIDTH
    show(fig, shown, "overview-map", ctx, what, parent_name, on_select=drill, image_width=width + 20)
    hint, back = st.columns([3, 1])
    hint.caption(ctx.t("map.hint") if parent == geo.PROVINCE else ctx.t("map.hint_county"))
    if parent != geo.PROVINCE and not coordinator:
        back.button(ctx.t("map.back"), on_click=back_to_province, key="map-back")
    if parent == "410300":
        st.caption(ctx.t("map.jili"))

received, due, missing = read.freshness(ctx.version, ctx.as_of, tuple(ctx.campaign.report_dates()),
                                        ctx.scope)
st.caption(ctx.t("freshness.line", received=received.strftime("%Y-%m-%d %H:%M") if received else ctx.t("unknown"),
                 week=due.isoformat() if due else "—",
                 missing=ctx.t("sep.list").join(missing) or ctx.t("freshness.none_missing")))

if lines:
    with st.expander(ctx.t("overview.attention_details", n=len(lines))):
        st.caption(ctx.t("overview.attention_help"))
        for short, long in lines:
            st.markdown(f"{short}：{long}" if ctx.lang == "zh" else f"{short}: {long}")

compared = read.registered_two_ways(ctx.version, ctx.scope, ctx.as_of)
differ = compared[compared["difference"].fillna(0) != 0]
if not differ.empty:
    with st.expander(ctx.t("overview.two_sources", n=len(differ))):
        st.caption(ctx.t("overview.two_sources_help"))
        table(differ.drop(columns="region_code").rename(columns={
            "name": ctx.t("col.region"), "report_date": ctx.t("col.report_date"),
            "reported": ctx.t("col.reported"), "daily": ctx.t("col.daily"),
            "difference": ctx.t("col.difference")}), "two-sources", ctx, ctx.t("overview.two_sources_table"))

by_region = ctx.t("overview.by_region")
st.subheader(by_region, anchor=False)
st.caption(ctx.scope_line())
table(summary, "overview-risk", ctx, by_region)
