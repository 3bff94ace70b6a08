"""The frame every page shares: the context the sidebar chose (warehouse version, campaign,
as-of date, region scope, language), charts with a table view and downloads, empty states."""

from __future__ import annotations

import datetime as dt
import inspect
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.theme import CONFIG
from domain.campaign import Campaign
from texts import t


@dataclass(frozen=True)
class Context:
    version: Path
    campaign: Campaign
    as_of: dt.date
    scope: str
    scope_name: str
    lang: str
    since: dt.date = dt.date.min  # the first day that belongs to this campaign and not to an earlier one
    reported_by: str = ""  # for a county inside a city: the city, which reports plans, sites and risk for it

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    @property
    def source(self) -> str:
        return self.t("source", as_of=self.as_of.isoformat())


def context() -> Context:
    """What the sidebar chose. On a fresh server, a link straight to a page (…/risk) is first run by
    Streamlit's older multipage mode, which runs the file in pages/ on its own, without the entry
    point: then there is no context yet, and the page hands over to dashboard.py, which comes back
    to this page through st.navigation."""
    if "context" not in st.session_state:
        if st.session_state.get("wanted_page") is None:
            st.session_state["wanted_page"] = f"pages/{Path(inspect.stack()[1].filename).name}"
            st.switch_page("dashboard.py")
        st.info(t("error.no_context"))  # the hand-over did not help: say so rather than fail
        st.stop()
    return st.session_state["context"]


def show(fig: go.Figure, frame: pd.DataFrame, key: str, ctx: Context, on_select=None) -> None:
    """A chart with its table one click away, and the table downloadable as CSV and Excel;
    `on_select`, a callback, makes a click on the chart choose what it points at."""
    as_chart, as_table = st.tabs([ctx.t("view.chart"), ctx.t("view.table")])
    with as_chart:
        if on_select is None:
            st.plotly_chart(fig, config=CONFIG, key=f"chart-{key}", width="stretch")
        else:
            st.plotly_chart(fig, config=CONFIG, key=f"chart-{key}", width="stretch", on_select=on_select,
                            selection_mode="points")
    with as_table:
        table(frame, key, ctx)


def table(frame: pd.DataFrame, key: str, ctx: Context) -> None:
    st.dataframe(frame, hide_index=True, width="stretch")
    left, right, _ = st.columns([1, 1, 4])
    stem = f"{key}-{ctx.scope}-{ctx.as_of.isoformat()}"
    left.download_button(ctx.t("download.csv"), frame.to_csv(index=False).encode("utf-8-sig"),
                         f"{stem}.csv", "text/csv", key=f"csv-{key}")
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    right.download_button(ctx.t("download.xlsx"), buffer.getvalue(), f"{stem}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx-{key}")


def rolled_up(ctx: Context) -> None:
    """Under a county that is not a reporting unit, say whose figures a page of reporting units shows."""
    if ctx.reported_by:
        st.caption(ctx.t("scope.rolled_up", county=ctx.scope_name, city=ctx.reported_by))


def empty(ctx: Context) -> None:
    st.info(ctx.t("empty.scope", region=ctx.scope_name, as_of=ctx.as_of.isoformat()))


def who(region: str, unit: str | None) -> str:
    """A finding's subject: the reporting region, or the county inside it that does the work
    (开封市杞县)."""
    return region if not unit or unit == region else f"{region}{unit}"
