"""截止风险: regions (province) or a region's working units (city, county) × milestones, worst first,
coloured by the finding's state; a cell's rule and the figures behind it; the unit's progress
against the curve it needs."""

import json

import pandas as pd
import streamlit as st

from charts.figures import pace, risk_heatmap
from domain.rules import MILESTONES, STATE_SEVERITY, State, expected_progress
from pages.frame import choice, context, once_or_empty, rolled_up, show, who
from queries import read
from texts import fact_name, reason, rule_text


def build(ctx) -> dict | None:
    """The heatmap, its table and what the picker below needs, built once per version and view (see
    once): the findings worst row first, hovers and cell words in the page's language."""
    by_unit = ctx.scope != read.PROVINCE  # inside a region, each unit that does the work is a row of its own
    if by_unit:
        risk = read.risk_by_unit(ctx.version, ctx.scope, ctx.as_of).rename(columns={"unit_name": "name"})
    else:
        risk = read.risk(ctx.version, ctx.scope, ctx.as_of)
    if risk.empty:
        return None
    risk["severity"] = risk["state"].map(lambda v: STATE_SEVERITY[State(v)])
    worst = risk.groupby("name", sort=False)["severity"].agg(["min", "sum"]).sort_values(["min", "sum"],
                                                                                         kind="stable")
    rows = list(worst.index)
    indexed = risk.set_index(["name", "milestone"])
    names = [ctx.milestone(m) for m in MILESTONES]
    absent = ctx.t("risk.not_applicable")
    found = {key: row for key, row in zip(indexed.index, indexed.to_dict("records"), strict=True)}

    def hover(row: dict) -> str:
        due = row["due_date"].isoformat() if pd.notna(row["due_date"]) else "—"
        projected = row["projected_date"].isoformat() if pd.notna(row["projected_date"]) else "—"
        slack = "—" if pd.isna(row["slack_working_days"]) else int(row["slack_working_days"])
        return ctx.t("risk.hover", due=due, projected=projected, slack=slack)

    texts = [[hover(found[(r, m)]) if (r, m) in found else absent for m in MILESTONES] for r in rows]
    cells = [[ctx.level(found[(r, m)]["state"], m) if (r, m) in found else "—" for m in MILESTONES] for r in rows]
    renamed = indexed.rename(index=dict(zip(MILESTONES, names, strict=True)), level=1)
    what = ctx.t("risk.title")
    figure = risk_heatmap(renamed, rows, names, ctx.heading(what), ctx.source, cells, texts)
    shown = pd.DataFrame({
        ctx.t("col.region"): risk["name"],
        ctx.t("col.milestone"): risk["milestone"].map(ctx.milestone),
        ctx.t("col.level"): [ctx.level(v, m) for v, m in zip(risk["state"], risk["milestone"], strict=True)],
        ctx.t("col.due"): risk["due_date"], ctx.t("col.projected"): risk["projected_date"],
        ctx.t("col.slack"): risk["slack_working_days"],
        ctx.t("col.finding"): [reason(who(r.get("region_name", r["name"]), r["name"] if by_unit else r["unit_name"]),
                                      r["reason"], json.loads(r["facts"]), ctx.lang) for r in risk.to_dict("records")],
    })
    unit_codes = dict(zip(risk["name"], risk["unit_code"], strict=False)) if by_unit else {}
    return {"by_unit": by_unit, "rows": rows, "found": found, "figure": figure, "shown": shown, "what": what,
            "unit_codes": unit_codes}


ctx = context()
rolled_up(ctx)
built = once_or_empty("risk", build, ctx)
by_unit, rows, found = built["by_unit"], built["rows"], built["found"]


def choose_cell() -> None:
    """A click on a cell chooses its row and milestone below (before the next run, so the
    pickers may still be set)."""
    points = (st.session_state.get("chart-risk") or {}).get("selection", {}).get("points", [])
    chosen = [p["customdata"] for p in points if p.get("customdata")]
    if chosen:
        st.session_state["risk-region"], st.session_state["risk-milestone"] = chosen[0][0], MILESTONES[chosen[0][1]]


show(built["figure"], built["shown"], "risk", ctx, built["what"], on_select=choose_cell)
st.caption(ctx.t("risk.click"))
st.caption(ctx.t("risk.states"))

st.subheader(ctx.t("risk.pick"), anchor=False)
a, b = st.columns(2)
with a:  # a choice from another scope no longer applies: the worst row then
    region = choice(st.selectbox, ctx.t("col.region"), rows, "risk-region", ctx.lang, format_func=str)
with b:
    milestone = choice(st.selectbox, ctx.t("col.milestone"), list(MILESTONES), "risk-milestone", ctx.lang,
                       format_func=ctx.milestone)
if (region, milestone) not in found:
    st.info(ctx.t("risk.not_applicable_detail", region=region, milestone=ctx.milestone(milestone)))
    st.stop()
row = found[(region, milestone)]
unit_name = row["unit_name"] if not by_unit else region
named = who(row["region_name"] if by_unit else region, unit_name)
facts = json.loads(row["facts"])


def _fact(key: str, value: object) -> str:
    if value is None:
        return "—"
    if key in ("utilisation", "time_used") and isinstance(value, float):
        return f"{value:.0%}"
    return f"{value:,}" if isinstance(value, int) else str(value)


finding = reason(named, row["reason"], facts, ctx.lang)
st.markdown(f"**{ctx.level(row['state'], milestone)}** · {finding or ctx.milestone(milestone)}")
if milestone == "R3_confirmation_length" and facts.get("days") is not None:  # a length, not a date
    st.write(ctx.t("risk.detail_r3", region=named, start=facts.get("start"), end=facts.get("end"),
                   days=facts["days"], min=facts.get("min")))
else:
    detail = "risk.detail_dated" if milestone == "R1_plan" else "risk.detail"  # R1: dates the region set
    st.write(ctx.t(detail, region=named, milestone=ctx.milestone(milestone),
                   due=row["due_date"] if pd.notna(row["due_date"]) else "—",
                   projected=row["projected_date"] if pd.notna(row["projected_date"]) else "—",
                   slack="—" if pd.isna(row["slack_working_days"]) else int(row["slack_working_days"])))
st.caption(rule_text(milestone, ctx.campaign, ctx.lang))
if facts:
    st.dataframe(pd.DataFrame({ctx.t("risk.figure"): [fact_name(k, ctx.lang) for k in facts],
                               ctx.t("risk.value"): [_fact(k, v) for k, v in facts.items()]}),
                 hide_index=True, width=480)

MEASURE = {"R5_record_checks": "record_checked", "R6_decisions": "decided", "R7_final": "issued"}
unit = row["unit_code"] if not by_unit else built["unit_codes"][region]
history = read.progress_history(ctx.version, unit, ctx.as_of)
if milestone in MEASURE and not history.empty and facts.get("start") and facts.get("target"):
    start, due = pd.Timestamp(facts["start"]).date(), row["due_date"]
    required = pd.DataFrame(expected_progress(start, due, int(facts["target"]), ctx.campaign.calendar),
                            columns=["date", "value"]) if start <= due else pd.DataFrame(columns=["date", "value"])
    labels = {"actual": ctx.t("risk.actual"), "required": ctx.t("risk.required")}
    what = ctx.t("risk.pace_title", milestone=ctx.milestone(milestone))
    progress = history.rename(columns={"as_of": ctx.t("col.report_date"), "registered": ctx.t("metric.registered"),
                                       "confirmed": ctx.t("col.confirmed"), "record_checked": ctx.t("col.checked"),
                                       "decided": ctx.t("col.decided"), "issued": ctx.t("col.issued")})
    show(pace(history, MEASURE[milestone], required, ctx.heading(what, named), ctx.source, labels), progress, "pace",
         ctx, what, named)
