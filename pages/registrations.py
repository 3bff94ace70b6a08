"""报名量: daily and cumulative registrations against the window, by kind, and the regions
ranked in absolute numbers and per 10,000 population."""

import streamlit as st

from charts.figures import by_kind, daily_registrations, ranking
from pages.frame import context, empty, show
from queries import read

ctx = context()
frame = read.registrations_daily(ctx.version, ctx.scope, ctx.as_of)
if frame.empty:
    empty(ctx)
    st.stop()
window = (ctx.campaign.registration_start, ctx.campaign.registration_end)
holidays = [d for d in ctx.campaign.calendar.holidays_between(*window) if d.weekday() < 5]
labels = {"series": ctx.t("metric.registered"), "window": ctx.t("reg.window")}
region, as_of = ctx.scope_name, ctx.as_of.isoformat()
daily = frame.groupby("date", as_index=False)["registrations"].sum()
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
ranked = read.registrations_by_child(ctx.version, ctx.scope, ctx.as_of)
if len(ranked) > 1:
    left, right = st.columns(2)
    with left:
        show(ranking(ranked, "registrations", ctx.t("reg.rank_title", region=region, as_of=as_of), ctx.source),
             ranked, "rank", ctx)
    with right:
        show(ranking(ranked, "per_10k", ctx.t("reg.rank_per_10k_title", region=region, as_of=as_of), ctx.source),
             ranked, "rank-per-10k", ctx)
