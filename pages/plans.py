"""实施方案: every region's plan status, submission and announcement dates, R1, working days
overdue, and a copyable list of regions still to send or to revise."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from charts.figures import timeline
from pages.frame import context, empty, rolled_up, show, table
from queries import read

ctx = context()
plans = read.plans(ctx.version, ctx.scope, ctx.as_of)
rolled_up(ctx)
if plans.empty:
    empty(ctx)
    st.stop()
judged = read.risk_by_unit(ctx.version, ctx.scope, ctx.as_of)
own = judged[judged["unit_code"] == judged["region_code"]].set_index(["region_code", "milestone"])


def overdue(code: str) -> int | None:
    """Working days the plan is (or was) late by, as R1 judged it: 0 when sent in time."""
    if (code, "R1_plan") not in own.index:
        return None
    finding = own.loc[(code, "R1_plan")]
    if finding["state"] in ("overdue", "done_late"):
        return -int(finding["slack_working_days"])
    return 0 if finding["state"] in ("done", "at_risk") and pd.notna(finding["projected_date"]) else None


plans["overdue"] = plans["region_code"].map(overdue)
st.subheader(ctx.t("plans.title", region=ctx.scope_name, as_of=ctx.as_of.isoformat()))
shown = plans.rename(columns={"name": ctx.t("col.region"), "status": ctx.t("col.status"),
                              "plan_submitted_on": ctx.t("col.submitted"), "announced_on": ctx.t("col.announced"),
                              "submitted_before_announcement": ctx.t("col.before"), "overdue": ctx.t("col.overdue"),
                              "remark": ctx.t("col.remark")})
shown[ctx.t("col.remark")] = shown[ctx.t("col.remark")].fillna("")  # a blank remark reads blank, not "None"
shown[ctx.t("col.before")] = shown[ctx.t("col.before")].map(  # 是/否 reads better than a greyed checkbox
    lambda v: "" if pd.isna(v) else ctx.t("yes") if bool(v) else ctx.t("no"))
table(shown.drop(columns=["region_code"]), "plans", ctx)
stages = []
for r in plans.itertuples():
    if r.plan_submitted_on and r.announced_on:
        stages.append((r.name, ctx.t("stage.plan"), min(r.plan_submitted_on, r.announced_on),
                       max(r.plan_submitted_on, r.announced_on)))
    stages.append((r.name, ctx.t("stage.registration"), ctx.campaign.registration_start,
                   ctx.campaign.registration_end))
    if (r.region_code, "R3_confirmation_length") in own.index:  # the region's own sites, as R3 and R6 judged them
        period = json.loads(own.loc[(r.region_code, "R3_confirmation_length"), "facts"])
        if period.get("start"):
            start, end = dt.date.fromisoformat(period["start"]), dt.date.fromisoformat(period["end"])
            stages.append((r.name, ctx.t("stage.confirmation"), start, end))
            due = own.loc[(r.region_code, "R6_decisions"), "due_date"]
            stages.append((r.name, ctx.t("stage.decisions"), end, due))
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
