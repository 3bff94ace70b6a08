"""报名量: daily and cumulative registrations against the window, by kind, and the regions
ranked in absolute numbers and per 10,000 population."""

import pandas as pd
import streamlit as st

from charts.figures import by_kind, campaign_comparison, daily_registrations, ranking
from pages.frame import context, empty, show
from queries import read

ctx = context()
frame = read.registrations_daily(ctx.version, ctx.scope, ctx.as_of, ctx.since)
if frame.empty:
    empty(ctx)
    st.stop()
window = (ctx.campaign.registration_start, ctx.campaign.registration_end)
holidays = [d for d in ctx.campaign.calendar.holidays_between(*window) if d.weekday() < 5]
labels = {"series": ctx.t("metric.registered"), "window": ctx.t("reg.window"), "outside": ctx.t("reg.outside")}
region, as_of = ctx.scope_name, ctx.as_of.isoformat()
daily = frame.groupby("date", as_index=False)["registrations"].sum()
st.caption(ctx.t("reg.source_note"))
left, right = st.columns(2)
with left:
    show(daily_registrations(frame, window, holidays, ctx.t("reg.daily_title", region=region, as_of=as_of),
                             ctx.source, labels), daily, "daily", ctx)
with right:
    cumulative = daily.assign(registrations=daily["registrations"].cumsum())
    show(daily_registrations(frame, window, holidays, ctx.t("reg.cumulative_title", region=region, as_of=as_of),
                             ctx.source, labels, cumulative=True), cumulative, "cumulative", ctx)
kinds = frame.groupby("qualification", as_index=False)["registrations"].sum()
show(by_kind(frame, ctx.t("reg.kind_title", region=region, as_of=as_of), ctx.source), kinds, "kinds", ctx)
ranked = read.registrations_by_child(ctx.version, ctx.scope, ctx.as_of, ctx.since)
if len(ranked) > 1:
    left, right = st.columns(2)
    with left:
        show(ranking(ranked, "registrations", ctx.t("reg.rank_title", region=region, as_of=as_of), ctx.source),
             ranked, "rank", ctx)
    with right:
        rated = ranked[ranked["per_10k"].notna()]
        if not rated.empty:
            show(ranking(rated, "per_10k", ctx.t("reg.rank_per_10k_title", region=region, as_of=as_of),
                         ctx.source), ranked, "rank-per-10k", ctx)
            unrated = ranked[ranked["per_10k"].isna() & ranked["population"].notna()]
            if not unrated.empty:
                st.caption(ctx.t("reg.rate_left_out", names="、".join(unrated["name"])))
        else:  # county populations are estimates until the census figures are loaded
            st.caption(ctx.t("reg.no_rate_counties"))


# ---- the same days of another campaign, when its registrations are in the warehouse ----
st.subheader(ctx.t("reg.compare"))
others = {}
for other in st.session_state.get("campaigns", []):
    rows = read.registrations_between(ctx.version, ctx.scope, other.registration_start, other.registration_end)
    if not rows.empty:
        others[other.name] = (other, rows)
if not others:
    st.caption(ctx.t("reg.compare_none"))
else:
    chosen = st.selectbox(ctx.t("reg.compare_with"), list(others), key="compare-campaign")
    other, rows = others[chosen]

    def by_day(frame: pd.DataFrame, opening) -> pd.DataFrame:
        daily = frame.groupby("date", as_index=False)["registrations"].sum().sort_values("date")
        return pd.DataFrame({"day": [(d - opening).days + 1 for d in daily["date"]],
                             "date": daily["date"], "cumulative": daily["registrations"].cumsum()})
    series = {ctx.campaign.name: by_day(frame, ctx.campaign.registration_start),
              other.name: by_day(rows, other.registration_start)}
    labels = {"day": ctx.t("reg.compare_day"), "cumulative": ctx.t("reg.compare_cumulative")}
    both = pd.concat([f.assign(campaign=name) for name, f in series.items()])
    show(campaign_comparison(series, ctx.t("reg.compare_title", region=region, other=other.name, as_of=as_of),
                             ctx.source, labels), both, "compare", ctx)
