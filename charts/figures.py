"""Figure builders: a frame in, a styled figure out. The pages and (later) the weekly
briefing call the same builders."""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd
import plotly.graph_objects as go

from charts.geo import bounds
from charts.theme import RISK_COLOURS, RISK_ORDER, SERIES, styled

SERIES_STAGES = SERIES


def daily_registrations(frame: pd.DataFrame, window: tuple[dt.date, dt.date], holidays: list[dt.date],
                        title: str, source: str, labels: dict[str, str], cumulative: bool = False) -> go.Figure:
    """Registrations per day (or running total), the registration window and holidays shaded."""
    daily = frame.groupby("date", as_index=False)["registrations"].sum().sort_values("date")
    if cumulative:
        fig = go.Figure(go.Scatter(x=daily["date"], y=daily["registrations"].cumsum(), mode="lines+markers",
                                   name=labels["series"], line={"width": 2.5}))
    else:  # days outside the window are points of their own: a line down to them would read as a collapse
        inside = daily["date"].between(window[0], window[1])
        fig = go.Figure(go.Scatter(x=daily.loc[inside, "date"], y=daily.loc[inside, "registrations"],
                                   mode="lines+markers", name=labels["series"], line={"width": 2.5}))
        if (~inside).any():
            fig.add_trace(go.Scatter(x=daily.loc[~inside, "date"], y=daily.loc[~inside, "registrations"],
                                     mode="markers", name=labels["outside"],
                                     marker={"color": "#D55E00", "size": 9, "symbol": "diamond"}))
    fig.add_vrect(x0=window[0], x1=window[1] + dt.timedelta(days=1), fillcolor="#0072B2", opacity=0.05,
                  line_width=0, annotation_text=labels["window"], annotation_position="top left")
    for day in holidays:
        fig.add_vrect(x0=day, x1=day + dt.timedelta(days=1), fillcolor="#999", opacity=0.15, line_width=0)
    if holidays and "holiday" in labels:  # the grey days named in the legend
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=labels["holiday"],
                                 marker={"symbol": "square", "size": 12, "color": "rgba(153,153,153,0.35)"}))
    fig.update_xaxes(tickformat="%m-%d")
    fig.update_yaxes(tickformat=",")
    return styled(fig, title, source)


def by_kind(frame: pd.DataFrame, title: str, source: str) -> go.Figure:
    totals = frame.groupby("qualification", as_index=False)["registrations"].sum().sort_values("registrations")
    fig = go.Figure(go.Bar(x=totals["registrations"], y=totals["qualification"], orientation="h",
                           texttemplate="%{x:,}", textposition="outside", cliponaxis=False, marker_color="#0072B2",
                           textfont={"size": 12}, hovertemplate="%{y}：%{x:,}<extra></extra>"))
    fig.update_xaxes(tickformat=",")
    return styled(fig, title, source, height=380).update_layout(margin={"r": 60})


def ranking(frame: pd.DataFrame, value: str, title: str, source: str, decimals: int = 0) -> go.Figure:
    """Regions ranked by `value`, each bar labelled with its figure (thousands separated)."""
    ordered = frame.dropna(subset=[value]).sort_values(value)  # 本级 has no rate of its own
    figure = f"%{{x:,.{decimals}f}}"
    fig = go.Figure(go.Bar(x=ordered[value], y=ordered["name"], orientation="h", marker_color="#0072B2",
                           texttemplate=figure, textposition="outside", cliponaxis=False,
                           textfont={"size": 12}, hovertemplate="%{y}：" + figure + "<extra></extra>"))
    fig.update_xaxes(tickformat=",")
    return styled(fig, title, source, height=max(380, 24 * len(ordered) + 190)).update_layout(margin={"r": 60})


def capacity_bars(frame: pd.DataFrame, title: str, source: str, labels: dict[str, str]) -> go.Figure:
    """Demand against capacity per region, over-capacity regions first and marked."""
    ordered = frame.sort_values("utilisation", ascending=True)
    over = ordered["utilisation"] > 1
    fig = go.Figure([
        go.Bar(y=ordered["name"], x=ordered["capacity"], name=labels["capacity"], orientation="h",
               marker_color="#56B4E9", texttemplate="%{x:,}", textposition="outside", cliponaxis=False,
               textfont={"size": 11}, hovertemplate="%{y} · " + labels["capacity"] + "：%{x:,}<extra></extra>"),
        go.Bar(y=ordered["name"], x=ordered["demand"], name=labels["demand"], orientation="h",
               marker_color=["#D55E00" if o else "#0072B2" for o in over], texttemplate="%{x:,}",
               textposition="outside", cliponaxis=False, textfont={"size": 11},
               hovertemplate="%{y} · " + labels["demand"] + "：%{x:,}<extra></extra>"),
    ])
    fig.update_xaxes(tickformat=",")
    if over.any() and "over" in labels:  # the orange bars named in the legend
        fig.add_trace(go.Bar(y=[None], x=[None], name=labels["over"], orientation="h", marker_color="#D55E00"))
    fig.update_layout(barmode="group")
    return styled(fig, title, source, height=max(400, 40 * len(ordered) + 190)).update_layout(margin={"r": 70})


def risk_heatmap(frame: pd.DataFrame, regions: list[str], milestones: list[str], title: str, source: str,
                 text: list[list[str]], hover: list[list[str]]) -> go.Figure:
    """Regions or working units (rows, worst first) × milestones, one colour per finding's state; a
    cell missing from `frame` is a rule that does not apply to that unit."""
    code = {state: i for i, state in enumerate(RISK_ORDER)}
    z = [[code[frame.loc[(r, m), "state"]] + 0.5 if (r, m) in frame.index else code["not_applicable"] + 0.5
          for m in milestones] for r in regions]  # mid-band
    scale = []
    for i, level in enumerate(RISK_ORDER):
        scale += [[i / len(RISK_ORDER), RISK_COLOURS[level]], [(i + 1) / len(RISK_ORDER), RISK_COLOURS[level]]]
    fig = go.Figure(go.Heatmap(z=z, x=milestones, y=regions, zmin=0, zmax=len(RISK_ORDER), colorscale=scale,
                               showscale=False, text=text, texttemplate="%{text}", customdata=hover,
                               hovertemplate="%{y} · %{x}<br>%{customdata}<extra></extra>", xgap=2, ygap=2))
    # a heatmap cell cannot be selected in plotly; an invisible marker on each cell can, so a click
    # on a cell chooses its region and milestone (customdata: region, column index)
    cells = [(r, m, j) for r in regions for j, m in enumerate(milestones)]
    fig.add_trace(go.Scatter(x=[c[1] for c in cells], y=[c[0] for c in cells], mode="markers",
                             customdata=[[c[0], c[2]] for c in cells], hoverinfo="none", showlegend=False,
                             marker={"symbol": "square", "size": 24, "color": "rgba(0,0,0,0)"},
                             selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}}))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", tickangle=0, tickvals=milestones, ticktext=[wrapped(m) for m in milestones],
                     tickfont={"size": 12})
    styled(fig, title, source, height=max(420, 30 * len(regions) + 240))
    fig.update_layout(margin={"t": 186})  # the milestones' names sit on top, under the title
    return fig


def wrapped(label: str, width: int = 14, longer_than: int = 6) -> str:
    """A column's name on short lines (plotly does not wrap): at spaces within `width` characters, or a
    Chinese name of more than `longer_than` characters in two halves."""
    if " " in label or label.isascii():  # words are never cut
        return "<br>".join(textwrap.wrap(label, width, break_long_words=False))
    step = max(2, (len(label) + 1) // 2) if len(label) > longer_than else len(label)
    return "<br>".join(label[i:i + step] for i in range(0, len(label), step))


def timeline(frame: pd.DataFrame, title: str, source: str) -> go.Figure:
    """One row per region, one bar per stage (columns: name, stage, start, end)."""
    fig = go.Figure()
    for i, (stage, rows) in enumerate(frame.groupby("stage", sort=False)):
        starts = pd.to_datetime(rows["start"])
        lengths = (pd.to_datetime(rows["end"]) - starts).dt.days.clip(lower=1) * 86_400_000
        fig.add_trace(go.Bar(y=rows["name"], x=lengths, base=starts, orientation="h", name=stage,
                             marker_color=SERIES_STAGES[i % len(SERIES_STAGES)],
                             hovertemplate="%{y} · " + stage + "<br>%{base|%m-%d}<extra></extra>"))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(type="date", tickformat="%m-%d")
    fig.update_yaxes(autorange="reversed")
    return styled(fig, title, source, height=max(420, 26 * frame["name"].nunique() + 180))


def pace(history: pd.DataFrame, measure: str, required: pd.DataFrame, title: str, source: str,
         labels: dict[str, str]) -> go.Figure:
    """A stage's reported progress against the curve it needs to finish on its due date
    (`required`: columns date, value, from the rules)."""
    fig = go.Figure([
        go.Scatter(x=history["as_of"], y=history[measure], mode="lines+markers", name=labels["actual"],
                   line={"width": 2.5, "color": "#0072B2"}),
        go.Scatter(x=required["date"], y=required["value"], mode="lines", name=labels["required"],
                   line={"dash": "dash", "color": "#D55E00"}),
    ])
    fig.update_yaxes(tickformat=",")
    return styled(fig, title, source)


def campaign_comparison(series: dict[str, pd.DataFrame], title: str, source: str, labels: dict[str, str]
                        ) -> go.Figure:
    """Cumulative registrations of several campaigns, day by day from each one's opening day
    (frames: day — 1 = opening day — and cumulative)."""
    fig = go.Figure([go.Scatter(x=frame["day"], y=frame["cumulative"], mode="lines+markers", name=name,
                                line={"width": 2.5 if i == 0 else 2, "dash": "solid" if i == 0 else "dot"})
                     for i, (name, frame) in enumerate(series.items())])
    fig.update_xaxes(title_text=labels["day"], dtick=5)
    fig.update_yaxes(title_text=labels["cumulative"], tickformat=",")
    return styled(fig, title, source)


MAP_HEIGHT = 640
MAP_WIDTH = 540  # the map is framed for a plot this wide (its exported image is cropped to it)
SEQUENTIAL = [[0, "#d6e6f4"], [0.5, "#6aaed6"], [1, "#08306b"]]  # light to dark blue, light never white


def region_map(frame: pd.DataFrame, shapes: dict, title: str, source: str, *, legend: str, no_data: str,
               level_names: dict[str, str] | None = None, highlight: str | None = None,
               tickformat: str = "", value_range: tuple[float, float] | None = None,
               height: int = MAP_HEIGHT, shapes_url: str | None = None) -> go.Figure:
    """A map of the shapes coloured by `frame` (columns shape, name, hover, and value — a number —
    or level — a finding's state, drawn in the risk palette), in SVG (plotly's geo, Mercator, framed
    to the shapes' box whatever the plot's width). No base map: no tiles, no topojson, no WebGL, nothing
    from outside. Each shape carries its code as customdata, so a click can drill into it. With
    `shapes_url` (a page: the dashboard's own copy of the shapes file, geo.SHAPES_URL) every trace
    names its shapes by that address, and the browser fetches the file once a page load; without it
    (an image, a file) the shapes go inline.

    The names are the first traces on purpose: plotly.js decides whether a geo plot needs its world
    topojson (fetched from a CDN) from the first trace alone, and a trace of points by longitude and
    latitude needs none. The names are still drawn above the shapes (geo draws points over areas)."""
    common = {"featureidkey": "id", "marker": {"line": {"color": "white", "width": 1.2}},
              "hovertemplate": "%{customdata[1]}<extra></extra>"}
    by_id = {f["id"]: f for f in shapes["features"]}

    def own(rows: pd.DataFrame) -> dict | str:
        """Only the shapes a trace colours: each shape's outline goes to the browser once, not once
        a trace (a risk map has a trace for each level); or the shapes file's address."""
        if shapes_url is not None:
            return shapes_url
        return {"type": "FeatureCollection", "features": [by_id[s] for s in rows["shape"] if s in by_id]}
    traces = []
    if level_names is not None:
        for level in RISK_ORDER:
            rows = frame[frame["level"] == level]
            if rows.empty:
                continue
            colour = RISK_COLOURS[level]
            traces.append(go.Choropleth(
                locations=rows["shape"], z=[1] * len(rows), customdata=rows[["shape", "hover"]].to_numpy(),
                colorscale=[[0, colour], [1, colour]], showscale=False, name=level_names[level], showlegend=True,
                geojson=own(rows), **common))
        dark = False
    else:
        known = frame[frame["value"].notna()]
        low, high = value_range or ((known["value"].min(), known["value"].max()) if len(known) else (0, 1))
        traces.append(go.Choropleth(
            locations=known["shape"], z=known["value"], customdata=known[["shape", "hover"]].to_numpy(),
            colorscale=SEQUENTIAL, zmin=low, zmax=high if high > low else low + 1,
            colorbar={"title": {"text": legend}, "thickness": 14, "len": 0.8, "tickformat": tickformat},
            showlegend=False, geojson=own(known), **common))
        unknown = frame[frame["value"].isna()]
        if len(unknown):  # no figures: grey, named in the legend, never mistaken for a low value
            traces.append(go.Choropleth(
                locations=unknown["shape"], z=[0] * len(unknown), customdata=unknown[["shape", "hover"]].to_numpy(),
                colorscale=[[0, RISK_COLOURS["no_data"]], [1, RISK_COLOURS["no_data"]]], showscale=False,
                name=no_data, showlegend=True, geojson=own(unknown), **common))
        dark = (frame["value"] - low) / ((high - low) or 1) > 0.55
    if highlight is not None and highlight in set(frame["shape"]):
        ring = shapes_url or {"type": "FeatureCollection", "features": [by_id[highlight]]}
        traces.append(go.Choropleth(geojson=ring, featureidkey="id", locations=[highlight], z=[0],
                                    colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
                                    marker={"line": {"color": "#1b1f24", "width": 3}}, hoverinfo="skip",
                                    showlegend=False))
    areas = {f["id"]: f["properties"].get("area", 1.0) for f in shapes["features"]}
    largest = max(areas.values(), default=1.0)
    labels = frame.assign(dark=dark, small=frame["shape"].map(lambda s: areas.get(s, largest) < largest * 0.12))
    labels = labels.drop_duplicates("shape")
    names = []
    for (on_dark, small), rows in labels.groupby(["dark", "small"]):  # white on dark fills; small shapes, small names
        centres = [_label_point(shapes, s) for s in rows["shape"]]
        names.append(go.Scattergeo(lon=[c[0] for c in centres], lat=[c[1] for c in centres], mode="text",
                                   text=rows["label"] if "label" in rows else rows["name"],
                                   textfont={"size": 9 if small else 11, "color": "white" if on_dark else "#1b1f24"},
                                   hoverinfo="skip", showlegend=False))
    if not names:  # still a first trace that needs no topojson
        names.append(go.Scattergeo(lon=[], lat=[], mode="text", hoverinfo="skip", showlegend=False))
    fig = go.Figure([*names, *traces])
    styled(fig, title, source, height=height)
    fig.update_geos(visible=False, projection_type="mercator", bgcolor="rgba(0,0,0,0)")
    box = bounds(shapes)
    if box is not None:  # the plot is the shapes' own box, a little wider: the shapes fill it, none is cut
        west, south, east, north = box
        pad_x, pad_y = (east - west) * 0.03, (north - south) * 0.03
        fig.update_geos(lonaxis_range=[west - pad_x, east + pad_x], lataxis_range=[south - pad_y, north + pad_y])
    fig.update_layout(legend_title_text="", margin={"l": 10, "r": 10})
    return fig


def _label_point(shapes: dict, shape: str) -> tuple[float, float]:
    """Where a shape's name is written (a point well inside it, computed by the build tool)."""
    return tuple(next(f for f in shapes["features"] if f["id"] == shape)["properties"]["label"])
