"""报送情况: who has sent what, judged by the reporting cycle (domain/reporting.py) on the sidebar's
date — every unit of the scope (the reporting regions; a city and its counties; a county) × every
table it owes, with a copyable reminder list (催报名单); every version a unit sent of a table and what
a correction changed; and the data's quality (warnings loaded with it, refused rows, one person in two
regions as counts). Everyone signed in sees it for their own scope."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.reporting import BOARD_TABLES, SEVERITY, WEEKLY, Submission
from pages.frame import choice, context, day, once, table
from queries import read

STATE = {"on_time": "subm.state.on_time", "late": "subm.state.late", "missing": "subm.state.missing",
         "errors": "subm.state.errors", "not_due": "subm.state.not_due"}
TABLE = {"plan": "subm.table.plan", "registrations": "subm.table.registrations", "sites": "subm.table.sites",
         "hospitals": "subm.table.hospitals", "progress": "subm.table.progress"}
RESULT = {"loaded": "upload.status.loaded", "partial": "upload.status.partial", "rejected": "upload.status.rejected",
          "duplicate": "upload.status.duplicate"}  # the ledger's word for a file, as 数据上报 says it
CHANGE = {"added": "subm.change.added", "changed": "subm.change.changed", "removed": "subm.change.removed"}

ctx = context()


def state_word(state: str) -> str:
    return ctx.t(STATE[state])


def table_word(tbl: str) -> str:
    return ctx.t(TABLE[tbl])


def when(values: pd.Series) -> pd.Series:
    """Received times as a person reads them, to the minute; blank where nothing arrived."""
    return values.map(lambda v: "" if pd.isna(v) else f"{v:%Y-%m-%d %H:%M}")


def weekly_counts(frame: pd.DataFrame) -> pd.Series:
    """For a weekly table, how many reports due by now never came and how many came late."""
    return pd.Series([ctx.t("subm.weekly_counts", missed=r.missed, late=r.late) if r.tbl in WEEKLY else ""
                      for r in frame.itertuples()], index=frame.index, dtype=object)


def board_table(board: pd.DataFrame) -> pd.DataFrame:
    """The board as a person reads it, one row per unit × table (the board's own index)."""
    return pd.DataFrame({
        ctx.t("col.unit"): board["name"], ctx.t("col.table"): board["tbl"].map(table_word),
        ctx.t("col.state"): board["state"].map(state_word), ctx.t("col.overdue"): board["overdue"],
        ctx.t("col.due_by"): day(board["due"]), ctx.t("col.report_date"): day(board["report"]),
        ctx.t("col.weekly"): weekly_counts(board),
        ctx.t("col.last_file"): board["file_name"].fillna(""), ctx.t("col.received_at"): when(board["received_at"]),
        ctx.t("col.received_by"): board["received_by"].fillna(""), ctx.t("col.data_as_of"): day(board["last_day"]),
        ctx.t("col.files"): board["files"],
    })


def build(ctx) -> dict:
    """The board, its table and the reminder list, built once per version and view (see once)."""
    board = read.submission_board(ctx.version, ctx.scope, ctx.as_of, ctx.campaign)
    todo = board[board["state"].isin([Submission.ERRORS.value, Submission.MISSING.value])]
    lines = [reminder(row) for row in todo.itertuples()]
    reminder_table = pd.DataFrame({
        ctx.t("col.unit"): todo["name"], ctx.t("col.table"): todo["tbl"].map(table_word),
        ctx.t("col.state"): todo["state"].map(state_word), ctx.t("col.due_by"): day(todo["due"]),
        ctx.t("col.overdue"): todo["overdue"], ctx.t("col.message"): lines,
    })
    text = "\n".join([ctx.t("subm.reminder_intro", as_of=ctx.as_of.isoformat()),
                      *(f"{i}. {line}" for i, line in enumerate(lines, start=1))])
    units = board.sort_values("unit_code").drop_duplicates("unit_code")
    tables = board.groupby("unit_code")["tbl"].agg(set)
    owed = {unit: [tbl for tbl in BOARD_TABLES if tbl in sent] for unit, sent in tables.items()}
    return {"board": board, "table": board_table(board), "reminders": (text, reminder_table) if lines else None,
            "counts": board["state"].value_counts().to_dict(),
            "names": dict(zip(units["unit_code"], units["name"], strict=True)), "owed": owed}


def board_tab() -> None:
    st.caption(ctx.t("subm.rules", as_of=ctx.as_of.isoformat()))
    states = list(SEVERITY)
    counts = built["counts"]
    for column, state in zip(st.columns(len(states)), states, strict=True):
        column.metric(state_word(state), f"{counts.get(state.value, 0):,}")
    left, right = st.columns(2)
    chosen_states = left.multiselect(ctx.t("subm.filter_state"), [s.value for s in states], format_func=state_word,
                                     placeholder=ctx.t("sidebar.whole"), key="board-states")
    chosen_tables = right.multiselect(ctx.t("subm.filter_table"), list(BOARD_TABLES), format_func=table_word,
                                      placeholder=ctx.t("sidebar.whole"), key="board-tables")
    shown = built["table"]  # the whole board as built (shown without a copy) unless a filter is chosen
    if chosen_states or chosen_tables:
        shown = shown[board["state"].isin(chosen_states or board["state"]) & board["tbl"].isin(chosen_tables
                                                                                             or BOARD_TABLES)]
    if shown.empty:
        st.info(ctx.t("subm.nothing_filtered"))
    else:
        table(shown, "board", ctx, ctx.t("subm.board_what"))
    reminders()


def reminder(row) -> str:
    days = ctx.t("subm.days_unknown") if pd.isna(row.overdue) else f"{int(row.overdue):,}"
    values = {"unit": row.name, "table": table_word(row.tbl), "due": row.due, "days": days}
    if row.state == Submission.ERRORS and row.tbl == "plan" and row.plan_status == "退回修改":
        return ctx.t("subm.reminder.returned", **values)
    if row.state == Submission.ERRORS:
        return ctx.t("subm.reminder.errors", file=row.file_name, **values)
    if row.tbl in WEEKLY:
        return ctx.t("subm.reminder.missing_weekly", report=row.report, missed=row.missed, **values)
    return ctx.t("subm.reminder.missing", **values)


def reminders() -> None:
    """催报名单: every unit × table not sent or to be corrected, as text to paste into a message, and as a table."""
    st.subheader(ctx.t("subm.reminder"), anchor=False)
    if built["reminders"] is None:
        st.success(ctx.t("subm.reminder_none"))
        return
    text, listed = built["reminders"]
    st.code(text, language=None, wrap_lines=True)
    table(listed, "reminders", ctx, ctx.t("subm.reminder"))


def history_tab() -> None:
    """For a unit and a table: every version received, and what the chosen one changed."""
    names = built["names"]
    left, right = st.columns(2)
    with left:
        unit = choice(st.selectbox, ctx.t("subm.unit"), list(names), "history-unit", ctx.lang, format_func=names.get)
    owed = built["owed"][unit]
    with right:
        tbl = choice(st.selectbox, ctx.t("subm.table"), owed, "history-table", ctx.lang, format_func=table_word)
    versions = read.submission_versions(ctx.version, unit, tbl)
    if versions.empty:
        st.info(ctx.t("subm.no_versions", unit=names[unit], table=table_word(tbl)))
        return
    what = ctx.t("subm.versions", unit=names[unit], table=table_word(tbl))
    st.markdown(f"**{what}**")
    table(pd.DataFrame({
        ctx.t("col.received_at"): when(versions["received_at"]),
        ctx.t("col.file"): versions["file"].map(lambda f: f.rsplit("/", 1)[-1]),
        ctx.t("col.received_by"): versions["received_by"].fillna(""),
        ctx.t("col.result"): versions["status"].map(lambda s: ctx.t(RESULT[s])),
        ctx.t("col.rows_read"): versions["rows_read"], ctx.t("col.rows_loaded"): versions["rows_loaded"],
        ctx.t("col.rows_rejected"): versions["rows_rejected"], ctx.t("col.rows"): versions["unit_rows"],
        ctx.t("col.current"): versions["current"].map(lambda v: ctx.t("yes") if v else ctx.t("no")),
    }), "versions", ctx, what, names[unit])
    labels = {seq: ctx.t("subm.version_label", received=f"{at:%Y-%m-%d %H:%M}", file=f.rsplit("/", 1)[-1])
              for seq, at, f in zip(versions["load_seq"], versions["received_at"], versions["file"], strict=True)}
    seq = choice(st.selectbox, ctx.t("subm.version_pick"), list(labels), "history-version", ctx.lang,
                 format_func=labels.get)
    changes = read.submission_changes(ctx.version, unit, tbl, int(seq))
    st.markdown(f"**{ctx.t('subm.changes')}**")
    if changes.empty:
        st.info(ctx.t("subm.no_changes"))
    elif (changes["change"] == "added").all():
        st.info(ctx.t("subm.first_version"))
    else:
        table(pd.DataFrame({
            ctx.t("col.region"): changes["region_name"], ctx.t("col.key"): changes["row_key"],
            ctx.t("col.field"): changes["field"], ctx.t("col.before"): changes["before"].fillna(""),
            ctx.t("col.after"): changes["after"].fillna(""),
            ctx.t("col.change"): changes["change"].map(lambda c: ctx.t(CHANGE[c])),
        }), "changes", ctx, ctx.t("subm.changes"), names[unit])


def problems(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        ctx.t("col.unit"): frame["name"].fillna(ctx.t("subm.unknown_unit")),
        ctx.t("col.file"): frame["file"].map(lambda f: f.rsplit("/", 1)[-1]),
        ctx.t("col.sheet"): frame["sheet"], ctx.t("col.excel_row"): frame["row"].astype("Int64"),
        ctx.t("col.column"): frame["column"], ctx.t("col.value"): frame["value"],
        ctx.t("col.message"): frame["message"], ctx.t("col.received_at"): when(frame["received_at"]),
        ctx.t("col.current"): frame["current"].map(lambda v: ctx.t("yes") if v else ctx.t("no")),
    })


def quality(ctx) -> dict:
    """The data's quality as tables a person reads (built once per version and view, see once):
    warnings (with which are in the current versions), refused rows, people in two regions."""
    warnings = read.quality_problems(ctx.version, ctx.scope, "warnings")
    rejected = read.quality_problems(ctx.version, ctx.scope, "rejected")
    shared = read.shared_people(ctx.version, ctx.scope)
    return {"warnings": problems(warnings), "current": warnings["current"].to_numpy(dtype=bool),
            "rejected": problems(rejected), "shared": pd.DataFrame({
                ctx.t("col.unit"): shared["name"], ctx.t("col.other_region"): shared["other_name"].fillna(
                    ctx.t("subm.other_region")), ctx.t("col.people"): shared["people"]})}


def quality_tab() -> None:
    found = once("submissions-quality", quality, ctx)
    st.markdown(f"**{ctx.t('subm.warnings')}**")
    st.caption(ctx.t("subm.warnings_intro"))
    warnings = found["warnings"]
    if st.checkbox(ctx.t("subm.current_only"), value=True, key="quality-current"):
        warnings = warnings[found["current"]]
    if warnings.empty:
        st.success(ctx.t("subm.none_warnings"))
    else:
        table(warnings, "warnings", ctx, ctx.t("subm.warnings"))
    st.markdown(f"**{ctx.t('subm.rejected')}**")
    if found["rejected"].empty:
        st.success(ctx.t("subm.none_rejected"))
    else:
        table(found["rejected"], "rejected", ctx, ctx.t("subm.rejected"))
    st.markdown(f"**{ctx.t('subm.shared')}**")
    st.caption(ctx.t("subm.shared_intro"))
    if found["shared"].empty:
        st.success(ctx.t("subm.none_shared"))
    else:
        table(found["shared"], "shared", ctx, ctx.t("subm.shared"))


built = once("submissions", build, ctx)
board = built["board"]
st.subheader(ctx.t("subm.title"), anchor=False)
st.caption(ctx.scope_line())
if board.empty:
    st.info(ctx.t("subm.empty", region=ctx.scope_name))
    st.stop()
tabs = st.tabs([ctx.t("subm.tab_board"), ctx.t("subm.tab_history"), ctx.t("subm.tab_quality")])
with tabs[0]:
    board_tab()
with tabs[1]:
    history_tab()
with tabs[2]:
    quality_tab()
