"""现场确认产能: demand against capacity per region, the R3 check, and a what-if planner that
uses the same rules as the warehouse."""

import datetime as dt

import streamlit as st

from charts.figures import capacity_bars
from domain.rules import Site, queue_clear_date, site_capacity
from pages.frame import context, empty, rolled_up, show
from queries import read

ctx = context()
frame = read.capacity(ctx.version, ctx.scope)
rolled_up(ctx)
if frame.empty:
    empty(ctx)
    st.stop()
cal, need = ctx.campaign.calendar, ctx.campaign.min_confirmation_working_days
frame["working_days"] = [cal.working_days_between(s, e) for s, e in zip(frame["start_date"], frame["end_date"],
                                                                       strict=True)]
frame[ctx.t("cap.r3", min=need)] = frame["working_days"].map(lambda d: f"{d} ✔" if d >= need else f"{d} ✘")
labels = {"demand": ctx.t("cap.demand"), "capacity": ctx.t("cap.capacity"), "over": ctx.t("cap.over")}
show(capacity_bars(frame, ctx.t("cap.title", region=ctx.scope_name, as_of=ctx.as_of.isoformat()), ctx.source,
                   labels), frame, "capacity", ctx)

exams = read.exam_capacity(ctx.version, ctx.scope)
if not exams.empty:
    show(capacity_bars(exams, ctx.t("cap.exam_title", region=ctx.scope_name, as_of=ctx.as_of.isoformat()),
                       ctx.source, {"demand": ctx.t("cap.demand"), "capacity": ctx.t("cap.exam_capacity"),
                                    "over": ctx.t("cap.over")}),
         exams, "exam-capacity", ctx)

st.subheader(ctx.t("cap.whatif"))
names = dict(zip(frame["region_code"], frame["name"], strict=True))
region = st.selectbox(ctx.t("cap.whatif_region"), list(names), format_func=names.get, key="whatif-region")
row = frame[frame["region_code"] == region].iloc[0]
a, b, c = st.columns(3)
extra_windows = a.number_input(ctx.t("cap.whatif_windows"), 0, 100, 0, key="whatif-windows")
extra_days = b.number_input(ctx.t("cap.whatif_days"), 0, 30, 0, key="whatif-days")
extra_rate = c.number_input(ctx.t("cap.whatif_rate"), 0, 500, 0, key="whatif-rate")
plan = [Site(s.start_date, cal.add_working_days(s.end_date, int(extra_days)) if extra_days else s.end_date,
             int(s.windows) + (int(extra_windows) if i == 0 else 0), int(s.per_window) + int(extra_rate))
        for i, s in enumerate(read.sites(ctx.version, region).itertuples())]
total = sum(site_capacity(s, cal) for s in plan)
clear = queue_clear_date(int(row["demand"]), plan, cal)
if total:
    st.metric(ctx.t("cap.utilisation"), f"{row['demand'] / total:.0%}")
    changed = bool(extra_windows or extra_days or extra_rate)
    ends = max(s.end for s in plan)
    st.write(ctx.t("cap.whatif_result" if changed else "cap.whatif_now", capacity=total,
                   utilisation=row["demand"] / total, clear=clear.isoformat() if isinstance(clear, dt.date) else "—",
                   end=ends.isoformat()))
    if not isinstance(clear, dt.date) or clear > ends:
        st.warning(ctx.t("cap.whatif_after", end=ends.isoformat()))
else:
    st.warning(ctx.t("cap.whatif_never"))
