"""实施方案: every region's plan status, submission and announcement dates, R1, working days
overdue, and a copyable list of regions still to send or to revise."""

import datetime as dt

import pandas as pd
import streamlit as st

from charts.figures import timeline
from domain.rules import effective_decision_due
from pages.frame import context, empty, rolled_up, show, table
from queries import read

ctx = context()
plans = read.plans(ctx.version, ctx.scope)
rolled_up(ctx)
if plans.empty:
    empty(ctx)
    st.stop()
cal = ctx.campaign.calendar


def overdue(row) -> int | None:
    """Working days between the announcement and the plan (or as-of, if none has come)."""
    announced, sent = row.announced_on, row.plan_submitted_on
    if announced is None or announced > ctx.as_of:
        return None
    if sent is not None and sent <= announced:
        return 0
    end = min(sent or ctx.as_of, ctx.as_of)
    return cal.working_days_between(announced + dt.timedelta(days=1), end)


plans["overdue"] = [overdue(r) for r in plans.itertuples()]
st.subheader(ctx.t("plans.title", region=ctx.scope_name, as_of=ctx.as_of.isoformat()))
shown = plans.rename(columns={"name": ctx.t("col.region"), "status": ctx.t("col.status"),
                              "plan_submitted_on": ctx.t("col.submitted"), "announced_on": ctx.t("col.announced"),
                              "submitted_before_announcement": ctx.t("col.before"), "overdue": ctx.t("col.overdue"),
                              "remark": ctx.t("col.remark")})
shown[ctx.t("col.remark")] = shown[ctx.t("col.remark")].fillna("")  # a blank remark reads blank, not "None"
shown[ctx.t("col.before")] = shown[ctx.t("col.before")].map(  # 是/否 reads better than a greyed checkbox
    lambda v: "" if pd.isna(v) else ctx.t("yes") if bool(v) else ctx.t("no"))
table(shown.drop(columns=["region_code"]), "plans", ctx)
capacity = read.capacity(ctx.version, ctx.scope).set_index("region_code")
stages = []
for r in plans.itertuples():
    if r.plan_submitted_on and r.announced_on:
        stages.append((r.name, ctx.t("stage.plan"), min(r.plan_submitted_on, r.announced_on),
                       max(r.plan_submitted_on, r.announced_on)))
    stages.append((r.name, ctx.t("stage.registration"), ctx.campaign.registration_start,
                   ctx.campaign.registration_end))
    if r.region_code in capacity.index:
        start, end = capacity.loc[r.region_code, ["start_date", "end_date"]]
        stages.append((r.name, ctx.t("stage.confirmation"), start, end))
        stages.append((r.name, ctx.t("stage.decisions"), end, effective_decision_due(end, ctx.campaign)))
    stages.append((r.name, ctx.t("stage.certificates"), ctx.campaign.final_date - dt.timedelta(days=1),
                   ctx.campaign.final_date))
timeline_frame = pd.DataFrame(stages, columns=["name", "stage", "start", "end"])
show(timeline(timeline_frame, ctx.t("plans.timeline", region=ctx.scope_name), ctx.source), timeline_frame,
     "timeline", ctx)

todo = plans[(plans["status"].isin(["未报送", "退回修改"])) | plans["status"].isna()]
st.subheader(ctx.t("plans.todo"))
if todo.empty:
    st.success(ctx.t("plans.todo_none"))
else:
    missing = ctx.t("plans.not_received")
    st.code("、".join(f"{r.name}（{r.status or missing}）" for r in todo.itertuples()), language=None)
