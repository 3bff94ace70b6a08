"""总览: headline figures with the change since last week, the regions in trouble first,
and how fresh the data is."""

import datetime as dt
import json

import streamlit as st

from domain.rules import SEVERITY, Level
from pages.frame import context, table
from queries import read
from texts import level_name, milestone_name, reason

ctx = context()
week_ago = ctx.as_of - dt.timedelta(days=7)
now, before = read.progress(ctx.version, ctx.scope, ctx.as_of), read.progress(ctx.version, ctx.scope, week_ago)


def rate(p, part: str, whole: str) -> float:
    return p[part] / p[whole] if p[whole] else 0.0


plans = read.plans(ctx.version, ctx.scope)
sent = plans["plan_submitted_on"].map(lambda d: d is not None and d <= ctx.as_of)
days_left = max(0, ctx.campaign.calendar.working_days_between(ctx.as_of + dt.timedelta(days=1),
                                                               ctx.campaign.final_date))
cols = st.columns(6)
cols[0].metric(ctx.t("metric.registered"), f"{int(now['registered']):,}",
               f"{int(now['registered'] - before['registered']):+,}", help=ctx.t("metric.vs_last_week"))
for col, (key, part, whole) in zip(cols[1:4], [("metric.confirmed_rate", "confirmed", "registered"),
                                               ("metric.decided_rate", "decided", "confirmed"),
                                               ("metric.issued_rate", "issued", "approved")], strict=True):
    col.metric(ctx.t(key), f"{rate(now, part, whole):.1%}",
               f"{(rate(now, part, whole) - rate(before, part, whole)) * 100:+.1f} pt")
cols[4].metric(ctx.t("metric.plans"), f"{int(sent.sum())}/{len(plans)}")
cols[5].metric(ctx.t("metric.days_left", final=ctx.campaign.final_date.strftime("%m-%d")), days_left)

received, due, missing = read.freshness(ctx.version, ctx.as_of, tuple(ctx.campaign.report_dates()))
st.caption(ctx.t("freshness.line", received=received.strftime("%Y-%m-%d %H:%M") if received else ctx.t("unknown"),
                 week=due.isoformat() if due else "—", missing="、".join(missing) or ctx.t("freshness.none_missing")))

st.subheader(ctx.t("overview.attention"))
risk = read.risk(ctx.version, ctx.scope, ctx.as_of)
trouble = risk[risk["level"].isin([Level.LATE, Level.AT_RISK])].copy()
trouble["severity"] = trouble["level"].map(lambda v: SEVERITY[Level(v)])
trouble = trouble.sort_values(["severity", "region_code", "milestone"])
if trouble.empty:
    st.success(ctx.t("overview.attention_none"))
for row in trouble.itertuples():
    sentence = reason(row.name, row.reason, json.loads(row.facts), ctx.lang) or milestone_name(row.milestone, ctx.lang)
    colour = "red" if row.level == Level.LATE else "orange"
    st.markdown(f":{colour}-badge[{level_name(row.level, ctx.lang)}] {sentence}")

st.subheader(ctx.t("overview.by_region", as_of=ctx.as_of.isoformat()))
summary = risk.pivot_table(index=["region_code", "name"], columns="milestone", values="level", aggfunc="first")
summary = summary.map(lambda v: level_name(v, ctx.lang))
summary.columns = [milestone_name(m, ctx.lang) for m in summary.columns]
table(summary.reset_index().drop(columns="region_code").rename(columns={"name": ctx.t("col.region")}),
      "overview-risk", ctx)
