"""Charts that go straight into a document: the map framed (and exported) to the map, bar labels with
thousands separators, column names on short lines, titles that say what, where and as of when."""

from __future__ import annotations

import re

import kaleido
import pandas as pd
import pytest

from briefing.images import _run, chromium
from charts import geo
from charts.figures import MAP_HEIGHT, MAP_WIDTH, by_kind, capacity_bars, ranking, region_map, wrapped


def _drawn_box(fig, width: int, height: int) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) in pixels of the shapes as Chromium draws the figure (kaleido's SVG)."""
    async def draw() -> bytes:
        async with kaleido.Kaleido(n=1, mathjax=False, path=chromium()) as k:
            return await k.calc_fig(fig, opts={"format": "svg", "width": width, "height": height})
    svg = _run(draw()).decode()  # the briefing's runner: also after a browser test holds this thread's loop
    paths = re.findall(r'<path class="choroplethlocation"[^>]* d="([^"]+)"', svg)
    assert paths, "no shapes drawn"
    xy = [(float(x), float(y)) for d in paths for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]
    return min(x for x, _ in xy), min(y for _, y in xy), max(x for x, _ in xy), max(y for _, y in xy)


@pytest.mark.parametrize(("parent", "width", "height"), [(geo.PROVINCE, MAP_WIDTH, MAP_HEIGHT),
                                                         (geo.PROVINCE, 330, 470), ("411600", MAP_WIDTH, MAP_HEIGHT)])
def test_the_map_is_framed_to_its_shapes(parent, width, height):
    """Drawn by Chromium, the shapes fit the plot (nothing cut) and fill it in one direction (no wide
    white margins in the exported image, which is drawn at the plot's own size)."""
    shapes = geo.shapes_under(parent)
    frame = pd.DataFrame({"shape": [f["id"] for f in shapes["features"]],
                          "name": [f["properties"]["name"] for f in shapes["features"]]})
    frame = frame.assign(hover=frame["name"], value=range(len(frame)))
    fig = region_map(frame, shapes, "网报人数<br>全省 · 截至 2020-08-21", "数据来源", legend="网报人数",
                     no_data="无数据", height=height)
    left, top, right, bottom = _drawn_box(fig, width, height)
    margin = fig.layout.margin
    plot_left, plot_top, plot_bottom = margin.l, margin.t, height - margin.b
    plot_right = width - margin.r - 80  # the colour bar's place on the right
    assert plot_left <= left and right <= width - margin.r and plot_top <= top and bottom <= plot_bottom
    assert max((right - left) / (plot_right - plot_left), (bottom - top) / (plot_bottom - plot_top)) >= 0.85


def test_bar_labels_are_legible_with_thousands_separators():
    kinds = by_kind(pd.DataFrame({"qualification": ["小学", "初级中学"], "registrations": [12345, 678]}), "t", "s")
    ranked = ranking(pd.DataFrame({"name": ["郑州市", "开封市"], "per_10k": [10.066504102669592, 7.3]}), "per_10k",
                     "t", "s", decimals=1)
    capacity = capacity_bars(pd.DataFrame({"name": ["郑州市"], "demand": [11275], "capacity": [8550],
                                           "utilisation": [1.32]}), "t", "s",
                             {"demand": "报名人数", "capacity": "确认能力", "over": "超过"})
    assert kinds.data[0].texttemplate == "%{x:,}" and kinds.layout.xaxis.tickformat == ","
    assert ranked.data[0].texttemplate == "%{x:,.1f}"  # 10.1, never 10.066504102669592
    assert [t.texttemplate for t in capacity.data if t.x != (None,)] == ["%{x:,}", "%{x:,}"]
    assert all(t.textfont.size >= 11 for t in [*kinds.data, *ranked.data, *capacity.data] if t.texttemplate)


def test_column_names_are_written_on_short_lines():
    assert wrapped("现场确认≥5个工作日") == "现场确认≥<br>5个工作日"
    assert wrapped("实施方案") == "实施方案"
    assert wrapped("R6 decisions in 30 working days") == "R6 decisions<br>in 30 working<br>days"
    # a slot a third of the screen wide: two lines, and an English word is never cut
    assert wrapped("实施方案", 8, longer_than=3) == "实施<br>方案"
    assert wrapped("犯罪记录核查", 8, longer_than=3) == "犯罪记<br>录核查"
    assert wrapped("decisions", 8, longer_than=3) == "decisions"
    assert wrapped("confirmation days", 8, longer_than=3) == "confirmation<br>days"
