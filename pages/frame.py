"""The frame every page shares: the context the sidebar chose (warehouse version, campaign,
as-of date, region scope, language), widgets whose values are codes in any language, charts with
a table view, and tables people can hand on (headers in the page's language, rounded figures,
CSV and an Excel file whose first rows say what, where and as of when)."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from access import signin
from charts.theme import image_config
from domain.campaign import Campaign
from etl.spreadsheet import csv_bytes, risky
from queries import who as signed_in
from texts import campaign_fields, level_name, milestone_name, t


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
        """A text in the page's language, the campaign's numbers filled in."""
        return t(key, self.lang, **(campaign_fields(self.campaign, self.lang) | values))

    def milestone(self, milestone: str) -> str:
        return milestone_name(milestone, self.campaign, self.lang)

    def level(self, state: str, milestone: str | None = None) -> str:
        return level_name(state, self.lang, milestone)

    def scope_line(self, region: str | None = None) -> str:
        """周口市 · 截至 2020-07-10: where and as of when, under every chart's and table's title."""
        return self.t("title.scope", region=region or self.scope_name, as_of=self.as_of.isoformat())

    def heading(self, what: str, region: str | None = None) -> str:
        """A chart's title: what it shows, and under it where and as of when (two short lines fit a
        phone, and an exported image carries its date)."""
        return f"{what}<br><span style='font-size:13px;color:#555'>{self.scope_line(region)}</span>"

    @property
    def source(self) -> str:
        return self.t("source", as_of=self.as_of.isoformat())


class SharedFigure(go.Figure):
    """A figure built once and shared (see once). st.plotly_chart asks every run for the figure's dict,
    which plotly makes by deep copy (3 ms for one small chart): this one makes it once and hands the
    same dict out after. Like everything `once` returns, it is never changed after it is built."""

    def to_dict(self) -> dict:
        spec = self.__dict__.get("_spec")
        if spec is None:
            spec = self._spec = super().to_dict()
        return spec

    def __reduce__(self):  # a copy or pickle is a plain figure of its own (plotly's writes into the dict)
        return go.Figure, (super().to_dict(),)


def _shared(value: object) -> object:
    """`value` with every plotly figure in it (in dicts, lists and tuples) made a SharedFigure."""
    if isinstance(value, go.Figure) and not isinstance(value, SharedFigure):
        return SharedFigure(value)
    if isinstance(value, dict):
        return {k: _shared(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        items = [_shared(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)  # a named tuple too
    return value


@st.cache_resource(max_entries=512, ttl=3600, show_spinner=False)
def _built(key: tuple, _build: Callable, _ctx: Context) -> object:
    return _shared(_build(_ctx))


def once(name: str, build: Callable[[Context], object], ctx: Context, *extra: object) -> object:
    """`build(ctx)` — a page's figures and tables — made once per warehouse version and view, and
    shared by every session that asks for the same view: the key holds everything the build reads
    (version, campaign, scope, date, language, the signed-in user's own scope — so one user's
    figures are never another's — and `extra`). What comes back is shared: never changed after."""
    key = (name, str(ctx.version), ctx.campaign.id, ctx.scope, ctx.scope_name, ctx.as_of, ctx.since, ctx.lang,
           ctx.reported_by, signed_in.allowed(), *extra)
    return _built(key, build, ctx)


def once_or_empty(name: str, build: Callable[[Context], object | None], ctx: Context) -> object:
    """once(name, build, ctx); when the build found nothing (None) in this scope and date, the page
    says so and stops there."""
    built = once(name, build, ctx)
    if built is None:
        empty(ctx)
        st.stop()
    return built


def context() -> Context:
    """What the sidebar chose. On a fresh server, a link straight to a page (…/risk?region=…) is first
    run by Streamlit's older multipage mode, which runs the file in pages/ on its own, without the
    entry point: then there is no context yet, and the page hands over to dashboard.py (with the
    link's parameters), which comes back to this page through st.navigation."""
    if "context" not in st.session_state:
        if st.session_state.get("wanted_page") is None:
            st.session_state["wanted_page"] = f"pages/{Path(inspect.stack()[1].filename).name}"
            st.switch_page("dashboard.py", query_params=st.query_params.to_dict())
        st.info(t("error.no_context"))  # the hand-over did not help: say so rather than fail
        st.stop()
    return st.session_state["context"]


def choice(widget: Callable, label: str, options: list, key: str, lang: str, format_func: Callable,
           default: object = None, on_change: Callable | None = None, **kwargs) -> object:
    """A selectbox, radio or segmented control whose value is a code, kept in session state under
    `key` whatever language its options are labelled in. (A selectbox remembers the *label* chosen:
    after a language switch that label is no option any more and would come back as the value.)
    A value that is not an option falls back to `default`, else the first option."""
    widget_key = f"{key}@{lang}"
    value = st.session_state.get(key)
    if value not in options:
        value = default if default in options else options[0]
    st.session_state[key] = st.session_state[widget_key] = value

    def keep() -> None:
        st.session_state[key] = st.session_state[widget_key]
        if on_change is not None:
            on_change()
    widget(label, options, format_func=format_func, key=widget_key, on_change=keep, **kwargs)
    chosen = st.session_state[key]
    return chosen if chosen in options else value


def show(fig: go.Figure, frame: pd.DataFrame, key: str, ctx: Context, what: str, region: str | None = None,
         on_select=None, image_width: int = 1100) -> None:
    """A chart with its table one click away, and the table downloadable as CSV and Excel;
    `on_select`, a callback, makes a click on the chart choose what it points at. The chart's own
    image (the toolbar's camera) is drawn `image_width` wide whatever the screen, named like the
    downloads."""
    as_chart, as_table = st.tabs([ctx.t("view.chart"), ctx.t("view.table")])
    config = image_config(file_stem(what, region or ctx.scope_name, ctx), image_width, fig.layout.height)
    with as_chart:
        if on_select is None:
            st.plotly_chart(fig, config=config, key=f"chart-{key}", width="stretch")
        else:
            st.plotly_chart(fig, config=config, key=f"chart-{key}", width="stretch", on_select=on_select,
                            selection_mode="points")
    with as_table:
        table(frame, key, ctx, what, region)


def file_stem(what: str, region: str, ctx: Context) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{what}-{region}-{ctx.as_of.isoformat()}")


def day(values: pd.Series) -> pd.Series:
    """Dates as 2020-06-28; blank where there is none (a table shows a missing date as a grey "None")."""
    return values.map(lambda v: "" if v is None or pd.isna(v) else v.isoformat())


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures as a person reads them: decimals rounded to one place (a rate of 10.066504 is 10.1),
    counts as whole numbers; blanks blank. A frame with no decimals is handed back as it is (a
    table built once is shown every run: no copy, nothing to change)."""
    floats = [c for c, kind in frame.dtypes.items() if pd.api.types.is_float_dtype(kind)]
    if not floats:
        return frame
    out = frame.copy()
    for column in floats:
        values = out[column]
        whole = values.dropna()
        out[column] = values.astype("Int64") if len(whole) and (whole == whole.round()).all() else values.round(1)
    return out


_SHOWN: dict[int, tuple[weakref.ref, pd.DataFrame, pa.Table]] = {}


def _shown(frame: pd.DataFrame) -> tuple[pd.DataFrame, pa.Table]:
    """(tidy(frame), the Arrow table st.dataframe would make of it — Streamlit's own conversion, so
    the same bytes), made once for as long as `frame` lives: a table built once (see once) is shown
    on every run without being tidied and converted again."""
    found = _SHOWN.get(id(frame))
    if found is not None and found[0]() is frame:
        return (frame if found[1] is None else found[1]), found[2]
    shown = tidy(frame)
    arrow = dataframe_util.convert_pandas_df_to_arrow_table(_missing_dates_blank(shown))
    key = id(frame)
    # gone with the frame: never a strong reference to the frame itself (tidy may hand it back)
    _SHOWN[key] = (weakref.ref(frame, lambda _: _SHOWN.pop(key, None)), None if shown is frame else shown, arrow)
    return shown, arrow


def _missing_dates_blank(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the screen shows it: a column of dates with some missing is written out, the missing
    ones blank (the table would show a grey "None"); the downloads keep the dates as dates."""
    dated = [c for c, kind in frame.dtypes.items() if pd.api.types.is_object_dtype(kind) and frame[c].isna().any()
             and frame[c].dropna().map(lambda v: isinstance(v, dt.date)).all() and frame[c].notna().any()]
    return frame.assign(**{c: day(frame[c]) for c in dated}) if dated else frame


def table(frame: pd.DataFrame, key: str, ctx: Context, what: str, region: str | None = None) -> None:
    """A table whose headers are already in the page's language, its figures rounded and shown with
    thousands separators, and its downloads: CSV, and Excel with a named sheet whose first rows give
    the title, the region and the as-of date."""
    shown, arrow = _shown(frame)
    numbers = {c: st.column_config.NumberColumn(format="localized") for c, kind in shown.dtypes.items()
               if pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)}
    st.dataframe(arrow, hide_index=True, width="stretch", column_config=numbers)
    left, right, _ = st.columns([1, 1, 3])
    stem = file_stem(what, region or ctx.scope_name, ctx)
    # the files are written when a button is clicked, not on every run (Streamlit calls the function then)
    left.download_button(ctx.t("download.csv"), lambda: csv_bytes(shown), f"{stem}.csv", "text/csv",
                         key=f"csv-{key}", on_click=audited_download, args=(f"{stem}.csv", ctx.scope))
    right.download_button(ctx.t("download.xlsx"), lambda: workbook(shown, what, ctx, region), f"{stem}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx-{key}",
                          on_click=audited_download, args=(f"{stem}.xlsx", ctx.scope))


def audited_download(name: str, region: str) -> None:
    """Every download is in the audit log: who, from where, which region, which file."""
    user = signed_in.current()
    signin.store().audit("download", "ok", user.name if user else None, signin.client_address(), region, name)


def sheet_name(what: str) -> str:
    """What the table shows, as Excel allows a sheet to be named (31 characters, no []:*?/\\)."""
    return re.sub(r"[\[\]:*?/\\]", " ", what).strip()[:31] or "Sheet1"


def workbook(frame: pd.DataFrame, what: str, ctx: Context, region: str | None = None) -> bytes:
    """An .xlsx of one sheet named for what it shows: title, region and as-of date, source, a blank
    row, then the table (bold headers, frozen under them; counts with thousands separators)."""
    # openpyxl is imported when a workbook is asked for: importing it costs 0.2–0.4 s of every
    # process's first page, and most runs never write one (downloads are built on the click)
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name(what)
    sheet.append([what])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([ctx.t("table.region", region=region or ctx.scope_name)])
    sheet.append([ctx.t("table.as_of", as_of=ctx.as_of.isoformat())])
    sheet.append([ctx.source])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF6")
    for row in frame.itertuples(index=False):
        sheet.append([None if _blank(v) else v for v in row])
        for cell in sheet[sheet.max_row]:
            if risky(cell.value):  # a region's "=HYPERLINK(…)" stays text, never a live formula
                cell.data_type = TYPE_STRING
    for i, column in enumerate(frame.columns, start=1):
        kind = frame[column]
        style = ("#,##0" if pd.api.types.is_integer_dtype(kind) else "#,##0.0" if pd.api.types.is_float_dtype(kind)
                 else "yyyy-mm-dd" if kind.map(lambda v: isinstance(v, dt.date)).any() else None)
        if style:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=i, max_col=i):
                cell.number_format = style
        longest = max([_width(column), *(_width(v) for v in kind.head(200))])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _blank(value: object) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _width(value: object) -> int:
    """Columns a value needs in Excel: a Chinese character takes two."""
    text = "" if _blank(value) else (f"{value:,}" if isinstance(value, int) else str(value))
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def rolled_up(ctx: Context) -> None:
    """Under a county that is not a reporting unit, say whose figures a page of reporting units shows."""
    if ctx.reported_by:
        st.info(ctx.t("scope.rolled_up", county=ctx.scope_name, city=ctx.reported_by))


def empty(ctx: Context) -> None:
    st.info(ctx.t("empty.scope", region=ctx.scope_name, as_of=ctx.as_of.isoformat()))


def who(region: str, unit: str | None) -> str:
    """A finding's subject: the reporting region, or the county inside it that does the work
    (开封市杞县)."""
    return region if not unit or unit == region else f"{region}{unit}"
