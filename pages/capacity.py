"""现场确认产能: demand against capacity for every unit that confirms (a region, or a county with
sites of its own), as the rules judged it on the chosen day, with its R3 days; exam hospitals the
same way; and a what-if planner that uses the same rules as the warehouse."""

import datetime as dt

import pandas as pd
import streamlit as st

from charts.figures import capacity_bars
from domain.rules import Site, check_capacity
from pages.frame import choice, context, once_or_empty, rolled_up, show, who
from queries import read
from texts import basis_name


def labelled(units: pd.DataFrame) -> pd.DataFrame:
    """Each unit named with its region (开封市尉氏县)."""
    return units.assign(name=[who(r, n) for r, n in zip(units["region_name"], units["name"], strict=True)])


def table_of(ctx, units: pd.DataFrame, milestone: str) -> pd.DataFrame:
    """The units' figures worded for a person."""
    out = pd.DataFrame({
        ctx.t("col.region"): units["name"],
        ctx.t("cap.demand"): units["demand"],
        ctx.t("cap.basis"): units["basis"].map(lambda b: basis_name(b, ctx.lang)),
        ctx.t("cap.capacity"): units["capacity"],
        ctx.t("cap.utilisation") + " (%)": units["utilisation"] * 100,
        ctx.t("col.level"): [ctx.level(s, milestone) for s in units["state"]],
        ctx.t("col.start"): units["start_date"], ctx.t("col.end"): units["end_date"],
    })
    if milestone == "R4_capacity":  # R3 as the rules judged it, not recounted here
        out[ctx.t("cap.r3")] = [f"{d} ✘" if s == "fails" else (f"{d} ✔" if pd.notna(d) else "—")
                                for d, s in zip(units["working_days"], units["r3_state"], strict=True)]
    return out


def build(ctx) -> dict | None:
    """Both charts with their tables, built once per version and view (see once)."""
    frame = read.capacity(ctx.version, ctx.scope, ctx.as_of)
    if frame.empty:
        return None
    frame = labelled(frame)
    labels = {"demand": ctx.t("cap.demand"), "capacity": ctx.t("cap.capacity"), "over": ctx.t("cap.over")}
    what = ctx.t("cap.title")
    out = {"frame": frame, "panels": [(capacity_bars(frame, ctx.heading(what), ctx.source, labels),
                                       table_of(ctx, frame, "R4_capacity"), "capacity", what)]}
    exams = read.capacity(ctx.version, ctx.scope, ctx.as_of, "R4_exam_capacity")
    if not exams.empty:
        exams = labelled(exams)
        what = ctx.t("cap.exam_title")
        labels = {"demand": ctx.t("cap.demand"), "capacity": ctx.t("cap.exam_capacity"),
                  "over": ctx.t("cap.exam_over")}
        out["panels"].append((capacity_bars(exams, ctx.heading(what), ctx.source, labels),
                              table_of(ctx, exams, "R4_exam_capacity"), "exam-capacity", what))
    return out


ctx = context()
rolled_up(ctx)
st.caption(ctx.t("cap.assumption") + " " + ctx.t("cap.defaults", tight=ctx.campaign.risk.at_risk_utilisation))
built = once_or_empty("capacity", build, ctx)
frame = built["frame"]
(fig, shown, key, what), *exams = built["panels"]
show(fig, shown, key, ctx, what)
if (frame["basis"] == "projected").any():
    st.caption(ctx.t("cap.projected_note", end=ctx.campaign.registration_end.isoformat()))
if (frame["basis"] == "earlier").any() and ctx.campaign.earlier is not None:
    st.caption(ctx.t("cap.earlier_note", end=ctx.campaign.registration_end.isoformat(),
                     label=ctx.campaign.earlier.label))
for fig, shown, key, what in exams:
    show(fig, shown, key, ctx, what)

st.subheader(ctx.t("cap.whatif"), anchor=False)
names = dict(zip(frame["region_code"], frame["name"], strict=True))
region = choice(st.selectbox, ctx.t("cap.whatif_region"), list(names), "whatif-region", ctx.lang, format_func=names.get)
row = frame[frame["region_code"] == region].iloc[0]
a, b, c = st.columns(3)
extra_windows = a.number_input(ctx.t("cap.whatif_windows"), 0, 100, 0, key="whatif-windows")
extra_days = b.number_input(ctx.t("cap.whatif_days"), 0, 30, 0, key="whatif-days")
extra_rate = c.number_input(ctx.t("cap.whatif_rate"), 0, 500, 0, key="whatif-rate")
cal = ctx.campaign.calendar
plan = [Site(s.start_date, cal.add_working_days(s.end_date, int(extra_days)) if extra_days else s.end_date,
             int(s.windows) + (int(extra_windows) if i == 0 else 0), int(s.per_window) + int(extra_rate))
        for i, s in enumerate(read.sites(ctx.version, region).itertuples())]
judged = check_capacity(int(row["demand"]), plan, ctx.campaign, ctx.as_of, basis=row["basis"])
if judged.facts.get("capacity"):
    facts = judged.facts
    st.metric(ctx.t("cap.utilisation"), f"{facts['utilisation']:.0%}",
              help=ctx.level(judged.state, "R4_capacity"))
    changed = bool(extra_windows or extra_days or extra_rate)
    clear = judged.projected_date
    st.write(ctx.t("cap.whatif_result" if changed else "cap.whatif_now", capacity=facts["capacity"],
                   utilisation=facts["utilisation"], clear=clear.isoformat() if isinstance(clear, dt.date) else "—",
                   end=facts["end"].isoformat()))
    if not isinstance(clear, dt.date) or clear > facts["end"]:
        st.warning(ctx.t("cap.whatif_after", end=facts["end"].isoformat()))
else:
    st.warning(ctx.t("cap.whatif_never"))
