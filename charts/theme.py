"""One look for every chart: the CJK font named explicitly (so images do not depend on the
machine's defaults), a colour-blind-safe palette for risk levels (Okabe–Ito), titles that
say what, where and as of when, and a source line."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
RISK_COLOURS = {  # by a finding's state; Okabe–Ito: distinguishable with the common colour-vision deficiencies
    "overdue": "#D55E00",         # 已逾期
    "fails": "#D55E00",           # 不达标
    "projected_late": "#CC79A7",  # 预计逾期
    "at_risk": "#E69F00",         # 有风险
    "done_late": "#F0E442",       # 逾期完成
    "no_data": "#BBBBBB",
    "on_track": "#56B4E9",
    "done": "#009E73",
    "not_applicable": "#F4F4F4",  # a unit a rule does not apply to (R1 for a county)
}
RISK_ORDER = tuple(RISK_COLOURS)
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# The toolbar keeps what a reader needs, the image download (and Streamlit's full screen): zoom and pan
# buttons would cover a title on a phone, where the toolbar is always shown.
CONFIG = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2},
          "modeBarButtonsToRemove": ["lasso2d", "select2d", "zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d",
                                     "resetScale2d", "zoomInMap", "zoomOutMap", "resetViewMap"]}


def image_config(filename: str, width: int, height: int | None) -> dict:
    """The chart's config with its own image export (the toolbar's camera) drawn at a fixed size, not
    the screen's: a wide screen would add white space, a phone would cut the title."""
    return CONFIG | {"toImageButtonOptions": {"format": "png", "scale": 2, "filename": filename, "width": width,
                                              "height": height or 420}}


SOURCE = {"xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -70, "yanchor": "bottom",
          "showarrow": False, "font": {"size": 11, "color": "#666"}}  # 数据来源 line under the plot


def styled(fig: go.Figure, title: str, source: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "y": 1, "yanchor": "top", "yref": "container",
               "pad": {"t": 46, "l": 8}, "font": {"size": 17}},  # under the toolbar
        font={"family": FONT, "size": 13, "color": "#1b1f24"},
        colorway=list(SERIES), height=height, margin={"l": 60, "r": 30, "t": 140, "b": 80},
        paper_bgcolor="white", plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.0, "x": 0, "yanchor": "bottom"},  # under the title, above the plot
        annotations=[*fig.layout.annotations, SOURCE | {"text": source}],
    )
    fig.update_xaxes(showgrid=False, linecolor="#999")
    fig.update_yaxes(gridcolor="#eee", zerolinecolor="#ccc")
    return fig
