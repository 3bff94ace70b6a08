"""报名量: daily and cumulative registrations against the window, by kind, and the regions
ranked in absolute numbers and per 10,000 population."""

import pandas as pd
import streamlit as st

from charts.figures import by_kind, campaign_comparison, daily_registrations, ranking
from pages.frame import choice, context, once, once_or_empty, show
from queries import read
from texts import data_word


def build(ctx) -> dict | None:
    """Every chart and table of the page's first part (built once per version and view: see once)."""
    frame = read.registrations_daily(ctx.version, ctx.scope, ctx.as_of, ctx.since)
    if frame.empty:
        return None
    window = (ctx.campaign.registration_start, ctx.campaign.registration_end)
    holidays = [d for d in ctx.campaign.calendar.holidays_between(*window) if d.weekday() < 5]
    labels = {"series": ctx.t("metric.registered"), "window": ctx.t("reg.window"), "outside": ctx.t("reg.outside"),
              "holiday": ctx.t("reg.holiday")}
    headers = {"date": ctx.t("col.date"), "registrations": ctx.t("metric.registered"),
               "qualification": ctx.t("col.qualification"), "name": ctx.t("col.region"),
               "population": ctx.t("col.population"), "per_10k": ctx.t("col.per_10k")}
    daily = frame.groupby("date", as_index=False)["registrations"].sum()
    cumulative = daily.assign(registrations=daily["registrations"].cumsum())
    out = {"frame": frame, "panels": {}}
    what = ctx.t("reg.daily_title")
    out["panels"]["daily"] = (daily_registrations(frame, window, holidays, ctx.heading(what), ctx.source, labels),
                              daily.rename(columns=headers), what)
    what = ctx.t("reg.cumulative_title")
    out["panels"]["cumulative"] = (daily_registrations(frame, window, holidays, ctx.heading(what), ctx.source, labels,
                                                       cumulative=True), cumulative.rename(columns=headers), what)
    kinds = frame.assign(qualification=frame["qualification"].map(lambda k: data_word("qualification", k, ctx.lang)))
    what = ctx.t("reg.kind_title")
    out["panels"]["kinds"] = (by_kind(kinds, ctx.heading(what), ctx.source), kinds.groupby(
        "qualification", as_index=False)["registrations"].sum().rename(columns=headers), what)
    ranked = read.registrations_by_child(ctx.version, ctx.scope, ctx.as_of, ctx.since)
    out["ranked"] = len(ranked) > 1
    if out["ranked"]:
        ranked_table = ranked.drop(columns="region_code").rename(columns=headers)
        what = ctx.t("reg.rank_title")
        out["panels"]["rank"] = (ranking(ranked, "registrations", ctx.heading(what), ctx.source), ranked_table, what)
        rated = ranked[ranked["per_10k"].notna()]
        if not rated.empty:
            what = ctx.t("reg.rank_per_10k_title")
            out["panels"]["rank-per-10k"] = (ranking(rated, "per_10k", ctx.heading(what), ctx.source, decimals=1),
                                             ranked_table, what)
            unrated = ranked[ranked["per_10k"].isna() & ranked["population"].notna()]
            out["unrated"] = list(unrated["name"])
    return out


ctx = context()
built = once_or_empty("registrations", build, ctx)
frame, panels = built["frame"], built["panels"]


def panel(key: str) -> None:
    fig, table, what = panels[key]
    show(fig, table, key, ctx, what)


def toggle(label: str, options: dict[str, str], key: str) -> str:
    """Which of two charts of the same figures a slot shows (每日/累计, 按人数/每万人口): one chart drawn,
    the other one click away."""
    return choice(st.segmented_control, label, list(options), key, ctx.lang, format_func=options.get,
                  label_visibility="collapsed", required=True)


st.caption(ctx.t("reg.source_note"))
left, right = st.columns(2, vertical_alignment="bottom")  # the two charts side by side, the switch above one
with left:
    panel(toggle(ctx.t("reg.curve"), {"daily": ctx.t("reg.daily"), "cumulative": ctx.t("reg.cumulative")},
                 "reg-curve"))
with right:
    panel("kinds")
if built["ranked"]:
    if "rank-per-10k" in panels:
        panel(toggle(ctx.t("reg.rank_by"), {"rank": ctx.t("reg.by_count"), "rank-per-10k": ctx.t("reg.by_rate")},
                     "reg-rank-by"))
        if built["unrated"]:
            st.caption(ctx.t("reg.rate_left_out", names=ctx.t("sep.list").join(built["unrated"])))
    else:  # county populations are estimates until the census figures are loaded
        panel("rank")
        st.caption(ctx.t("reg.no_rate_counties"))


# ---- the same days of another campaign, when its registrations are in the warehouse ----
def campaign_name(c) -> str:
    return c.name_en if ctx.lang == "en" else c.name


def other_campaigns(ctx) -> dict:
    """The other campaigns whose registrations are in the warehouse: id → (campaign, rows)."""
    found = {}
    for other in st.session_state.get("campaigns", []):
        rows = read.registrations_between(ctx.version, ctx.scope, other.registration_start, other.registration_end)
        if not rows.empty:
            found[other.id] = (other, rows)
    return found


def compared(chosen: str) -> tuple:
    """This campaign's cumulative registrations against the chosen one's, day by day from each opening
    day: (figure, table, what)."""
    other, rows = others[chosen]

    def by_day(frame: pd.DataFrame, opening) -> pd.DataFrame:
        daily = frame.groupby("date", as_index=False)["registrations"].sum().sort_values("date")
        return pd.DataFrame({"day": [(d - opening).days + 1 for d in daily["date"]],
                             "date": daily["date"], "cumulative": daily["registrations"].cumsum()})
    series = {campaign_name(ctx.campaign): by_day(frame, ctx.campaign.registration_start),
              campaign_name(other): by_day(rows, other.registration_start)}
    labels = {"day": ctx.t("reg.compare_day"), "cumulative": ctx.t("reg.compare_cumulative")}
    both = pd.concat([f.assign(campaign=name) for name, f in series.items()])
    what = ctx.t("reg.compare_title", other=campaign_name(other))
    return (campaign_comparison(series, ctx.heading(what), ctx.source, labels),
            both.rename(columns={"day": ctx.t("reg.compare_day"), "date": ctx.t("col.date"),
                                 "cumulative": ctx.t("reg.compare_cumulative"), "campaign": ctx.t("sidebar.campaign")}),
            what)


st.subheader(ctx.t("reg.compare"), anchor=False)
others = once("registrations-others", other_campaigns, ctx, tuple(  # the other campaigns as the sidebar read them
    (c.id, c.registration_start, c.registration_end) for c in st.session_state.get("campaigns", [])))
if not others:
    st.caption(ctx.t("reg.compare_none"))
else:
    chosen = choice(st.selectbox, ctx.t("reg.compare_with"), list(others), "compare-campaign", ctx.lang,
                    format_func=lambda c: campaign_name(others[c][0]))
    figure, table, what = once("registrations-compare", lambda _: compared(chosen), ctx, chosen)
    show(figure, table, "compare", ctx, what)
