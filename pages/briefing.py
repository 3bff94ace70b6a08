"""周报: one week on one screen (16:9, no scrolling at 1920×1080) — the headline figures with their
change since last week, the map, the registration curve, capacity against demand, the risk heatmap
and the plans — and the summary, editable, with the export (PNG, .docx, PDF) the command line
writes (python -m briefing). Everything comes from briefing/: the same queries, the same builders."""

import copy
import datetime as dt
import tempfile
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from briefing.content import Briefing, build
from briefing.export import export, zipped
from briefing.week import Week
from briefing.words import w as t
from charts import geo
from charts.figures import wrapped
from charts.theme import CONFIG
from pages.frame import context, once

ROWS = (390, 440)  # px: two rows of charts, the headline figures above, fit a 1080-pixel screen
MAP_SIZE = (520, ROWS[0])
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

ctx = context()
weeks = sorted({*ctx.campaign.report_dates(), ctx.as_of})
top = st.columns([1, 6], vertical_alignment="bottom")
as_of = top[0].selectbox(t("page.week", ctx.lang), weeks, index=weeks.index(ctx.as_of), key="briefing-week",
                         label_visibility="collapsed", format_func=dt.date.isoformat)
week = Week(ctx.version, ctx.campaign, as_of, ctx.scope, ctx.scope_name, ctx.lang, ctx.since)
LAYOUT = (("map", "registrations", "capacity"), ("risk", "plans"))


def drawn(_ctx) -> tuple[Briefing, dict[str, go.Figure]]:
    """The briefing and each chart as the page draws it, in its slot's height (built once per version,
    view and week, and shared: see once)."""
    briefing = build(week, MAP_SIZE)
    heights = {key: height for row, height in zip(LAYOUT, ROWS, strict=True) for key in row}
    figures = {c.key: on_screen(c.key, go.Figure(copy.deepcopy(c.figure)), heights[c.key])
               for c in briefing.charts if c.figure is not None}  # a copy: go.Figure changes the dict it reads
    return briefing, figures


def on_screen(key: str, fig: go.Figure, height: int) -> go.Figure:
    """The exported chart fitted to its slot, a third or half of the screen: its slot's height, a
    smaller title, the source said once under the page instead of in each slot, a long legend beside
    the plot, the map's names smaller, and the heatmap's column names on two lines (at a third of a
    1600-pixel screen they ran into each other, and titles, sources and legends ran off or over)."""
    fig.update_layout(height=height, title_font_size=13, margin_b=40)
    fig.layout.annotations = [note for note in fig.layout.annotations if note.text != week.source]  # replaced,
    # not merged by position as update_layout(annotations=…) would
    if key != "map" and sum(1 for trace in fig.data if trace.showlegend is not False and trace.name) > 3:
        fig.update_layout(legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"})
    if key == "map":  # a third of the screen: the names smaller, the small shapes' names on hover only
        # and the shapes by the address of the dashboard's own shapes file, as 总览 names them (the export
        # carries them inline: every run sent them, 58% of this page's run went to writing them out)
        fig.update_traces(geojson=geo.SHAPES_URL, selector={"type": "choropleth"})
        for names in fig.select_traces(selector={"type": "scattergeo"}):
            small = names.textfont.size < 11
            names.update(textfont_size=9, text=[""] * len(names.text) if small else names.text)
    if key == "risk":
        names = list(fig.layout.xaxis.tickvals)
        lines = [wrapped(n, 8, longer_than=3) for n in names]
        slanted = max(len(part) for line in lines for part in line.split("<br>")) > 8  # English words
        fig.update_xaxes(ticktext=lines, tickfont_size=11, tickangle=-40 if slanted else 0)
        fig.update_layout(margin_t=150)
    return fig


shown, figures = once("briefing", drawn, ctx, as_of)
charts = {c.key: c for c in shown.charts}
with top[1].container(horizontal=True, gap="small"):
    for line in shown.headline:
        st.metric(line.label, line.value, line.change or None, width="content",
                  delta_color="off" if not line.change.startswith(("+", "-")) else "normal")


def panel(key: str) -> None:
    """A chart in its slot (its title says what, where and as of when; its last line the source)."""
    chart = charts[key]
    if chart.figure is None:
        st.caption(f"**{chart.what}** · {week.w('scope_line', region=ctx.scope_name, as_of=as_of.isoformat())}")
        st.info(chart.note)
        return
    st.plotly_chart(figures[key], config=CONFIG, key=f"briefing-{key}", width="stretch")


for row, height in zip(LAYOUT, ROWS, strict=True):
    columns = st.columns([1, 1, 1] if len(row) == 3 else [1.2, 1, 0.8], gap="small")
    for column, key in zip(columns, row, strict=False):
        with column:
            panel(key)
    if len(row) == 2:
        with columns[2]:
            summary = st.text_area(week.w("summary"), shown.summary, height=height - 130,
                                   key=f"briefing-summary-{ctx.scope}-{as_of.isoformat()}",
                                   help=week.w("page.summary_help"))


st.caption(week.source)  # once for every chart on the screen (each exported image carries its own)


def prepared(briefing: Briefing) -> dict[str, tuple[str, bytes, str]]:
    """The export's files (name, bytes, type), as the command line writes them."""
    with tempfile.TemporaryDirectory(prefix="briefing-") as folder:
        files = export(briefing, Path(folder))
        return {"png": (f"{briefing.stem}-png.zip", zipped(files.pngs, as_of), "application/zip"),
                "docx": (files.docx.name, files.docx.read_bytes(), DOCX),
                "pdf": (files.pdf.name, files.pdf.read_bytes(), "application/pdf")}


wanted = (ctx.scope, as_of, ctx.lang, summary)
with columns[2]:
    if st.button(week.w("page.prepare"), key="briefing-prepare", width="stretch"):
        with st.spinner(week.w("page.preparing")):
            st.session_state["briefing-files"] = (wanted, prepared(build(week).with_summary(summary)))
    ready = st.session_state.get("briefing-files")
    if ready and ready[0] == wanted:
        buttons = st.columns(3, gap="small")
        for button, (kind, (name, data, mime)) in zip(buttons, ready[1].items(), strict=True):
            button.download_button(week.w(f"page.{kind}"), data, name, mime, key=f"briefing-{kind}")
