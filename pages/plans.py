"""实施方案: every region's plan status, submission and announcement dates, R1, working days
overdue, and a copyable list of regions still to send or to revise."""

import datetime as dt
import json

import pandas as pd
import streamlit as st

from charts.figures import timeline
from pages.frame import context, once_or_empty, rolled_up, show, table
from queries import read
from texts import data_word


def build(ctx) -> dict | None:
    """The plans table, the remarks, the timeline and the to-do list, built once per version and view
    (see once)."""
    plans = read.plans(ctx.version, ctx.scope, ctx.as_of)
    if plans.empty:
        return None
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
    shown = pd.DataFrame({
        ctx.t("col.region"): plans["name"],
        ctx.t("col.status"): plans["status"].map(lambda v: data_word("status", v, ctx.lang)),
        ctx.t("col.submitted"): plans["plan_submitted_on"], ctx.t("col.announced"): plans["announced_on"],
        ctx.t("col.before"): plans["submitted_before_announcement"].map(  # 是/否 reads better than a greyed checkbox
            lambda v: "" if pd.isna(v) else ctx.t("yes") if bool(v) else ctx.t("no")),
        ctx.t("col.overdue"): plans["overdue"],
        ctx.t("col.remark"): plans["remark"].fillna(""),  # a blank remark reads blank, not "None"
    })
    remarks = [(r.name, r.remark) for r in plans[plans["remark"].fillna("").str.strip() != ""].itertuples()]
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
    what = ctx.t("plans.timeline")
    figure = timeline(timeline_frame, ctx.heading(what), ctx.source)
    timeline_table = timeline_frame.rename(columns={"name": ctx.t("col.region"), "stage": ctx.t("col.stage"),
                                                    "start": ctx.t("col.start"), "end": ctx.t("col.end")})
    todo = plans[(plans["status"].isin(["未报送", "退回修改"])) | plans["status"].isna()]
    missing = ctx.t("plans.not_received")
    listed = [ctx.t("plans.todo_item", region=r.name, status=data_word("status", r.status, ctx.lang) or missing)
              for r in todo.itertuples()]
    return {"shown": shown, "remarks": remarks, "timeline": (figure, timeline_table, what), "todo": listed}


ctx = context()
rolled_up(ctx)
built = once_or_empty("plans", build, ctx)
what = ctx.t("plans.title")
st.subheader(what, anchor=False)
st.caption(ctx.scope_line())
table(built["shown"], "plans", ctx, what)
if built["remarks"]:  # a table cell cuts a long remark: each is here in full
    st.markdown(f"**{ctx.t('plans.remarks')}**")
    for name, remark in built["remarks"]:
        st.markdown(f"- **{name}**：{remark}" if ctx.lang == "zh" else f"- **{name}**: {remark}")
figure, timeline_table, what = built["timeline"]
show(figure, timeline_table, "timeline", ctx, what)

st.subheader(ctx.t("plans.todo"), anchor=False)
if not built["todo"]:
    st.success(ctx.t("plans.todo_none"))
else:
    st.code(ctx.t("sep.list").join(built["todo"]), language=None, wrap_lines=True)
