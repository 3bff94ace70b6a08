"""截止风险: regions (worst first) × milestones, coloured by level; a region's rule and the
figures behind it; its progress against the pace it needs."""

import json

import pandas as pd
import streamlit as st

from charts.figures import pace, risk_heatmap
from domain.rules import MILESTONES, SEVERITY, Level
from pages.frame import context, empty, rolled_up, show
from queries import read
from texts import fact_name, level_name, milestone_name, reason, rule_text

ctx = context()
risk = read.risk(ctx.version, ctx.scope, ctx.as_of)
rolled_up(ctx)
if risk.empty:
    empty(ctx)
    st.stop()
risk["severity"] = risk["level"].map(lambda v: SEVERITY[Level(v)])
worst = risk.groupby("name")["severity"].agg(["min", "sum"]).sort_values(["min", "sum"])
regions = list(worst.index)
indexed = risk.set_index(["name", "milestone"])
names = [milestone_name(m, ctx.lang) for m in MILESTONES]
renamed = indexed.rename(index=dict(zip(MILESTONES, names, strict=True)), level=1)


def hover(row: pd.Series) -> str:
    due = row["due_date"].isoformat() if pd.notna(row["due_date"]) else "—"
    projected = row["projected_date"].isoformat() if pd.notna(row["projected_date"]) else "—"
    slack = "—" if pd.isna(row["slack_working_days"]) else int(row["slack_working_days"])
    return ctx.t("risk.hover", due=due, projected=projected, slack=slack)


texts = [[hover(renamed.loc[(r, m)]) for m in names] for r in regions]
cells = [[level_name(indexed.loc[(r, m), "level"], ctx.lang, m) for m in MILESTONES] for r in regions]
figure = risk_heatmap(renamed, regions, names, ctx.t("risk.title", region=ctx.scope_name, as_of=ctx.as_of.isoformat()),
                      ctx.source, cells, texts)
shown = risk.assign(level=[level_name(v, ctx.lang, m) for v, m in zip(risk["level"], risk["milestone"], strict=True)],
                    milestone=risk["milestone"].map(lambda m: milestone_name(m, ctx.lang)))


def choose_cell() -> None:
    """A click on a cell chooses its region and milestone below (before the next run, so the
    pickers may still be set)."""
    points = (st.session_state.get("chart-risk") or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"] for p in points if p.get("customdata")]
    if chosen:
        st.session_state["risk-region"], st.session_state["risk-milestone"] = chosen[0][0], MILESTONES[chosen[0][1]]


show(figure, shown.drop(columns=["severity", "facts", "reason", "region_code"]), "risk", ctx, on_select=choose_cell)
st.caption(ctx.t("risk.click"))

st.subheader(ctx.t("risk.pick"))
a, b = st.columns(2)
region = a.selectbox(ctx.t("col.region"), regions, key="risk-region")
milestone = b.selectbox(ctx.t("col.milestone"), MILESTONES, format_func=lambda m: milestone_name(m, ctx.lang),
                        key="risk-milestone")
row = indexed.loc[(region, milestone)]


def _fact(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key == "utilisation" and isinstance(value, float):
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else str(value)


finding = reason(region, row["reason"], json.loads(row["facts"]), ctx.lang, ctx.as_of)
st.markdown(f"**{level_name(row['level'], ctx.lang, milestone)}** · {finding or milestone_name(milestone, ctx.lang)}")
facts = json.loads(row["facts"])
if milestone == "R3_confirmation_length" and facts.get("days") is not None:  # a length, not a date
    st.write(ctx.t("risk.detail_r3", region=region, start=facts.get("start"), end=facts.get("end"),
                   days=facts["days"], min=facts.get("min")))
else:
    detail = "risk.detail_dated" if milestone == "R1_plan" else "risk.detail"  # R1: dates the region set
    st.write(ctx.t(detail, region=region, milestone=milestone_name(milestone, ctx.lang),
                   due=row["due_date"] if pd.notna(row["due_date"]) else "—",
                   projected=row["projected_date"] if pd.notna(row["projected_date"]) else "—",
                   slack="—" if pd.isna(row["slack_working_days"]) else int(row["slack_working_days"])))
st.caption(rule_text(milestone, ctx.lang))
if facts:
    st.dataframe(pd.DataFrame({ctx.t("risk.figure"): [fact_name(k, ctx.lang) for k in facts],
                               ctx.t("risk.value"): [_fact(k, v) for k, v in facts.items()]}),
                 hide_index=True, width=480)

MEASURE = {"R5_record_checks": "record_checked", "R6_decisions": "decided", "R7_final": "issued"}
code = risk.loc[risk["name"] == region, "region_code"].iloc[0]
history = read.progress_history(ctx.version, code, ctx.as_of)
sites = read.capacity(ctx.version, code)
if milestone in MEASURE and not history.empty and pd.notna(row["due_date"]) and not sites.empty:
    facts = json.loads(row["facts"])
    start = sites["start_date"].min() if milestone == "R5_record_checks" else sites["end_date"].max()
    labels = {"actual": ctx.t("risk.actual"), "required": ctx.t("risk.required")}
    show(pace(history, MEASURE[milestone], int(facts.get("target") or 0), start, row["due_date"],
              ctx.t("risk.pace_title", region=region, milestone=milestone_name(milestone, ctx.lang),
                    as_of=ctx.as_of.isoformat()), ctx.source, labels), history, "pace", ctx)
