"""Charts that go straight into a document: the map framed (and exported) to the map, bar labels with
thousands separators, column names on short lines, titles that say what, where and as of when."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from charts import geo
from charts.figures import MAP_HEIGHT, MAP_WIDTH, by_kind, capacity_bars, ranking, region_map, wrapped


def _extent(shapes: dict, zoom: float) -> tuple[float, float]:
    """The shapes' width and height in pixels on a web-mercator map (512-pixel tiles) at `zoom`."""
    points = [p for f in shapes["features"] for p in _points(f["geometry"]["coordinates"])]
    size = 512 * 2 ** zoom

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) / (2 * math.pi) * size
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return (max(lons) - min(lons)) / 360 * size, y(max(lats)) - y(min(lats))


def _points(coords):
    if isinstance(coords[0], (int, float)):
        yield coords
    else:
        for c in coords:
            yield from _points(c)


@pytest.mark.parametrize(("parent", "width", "height"), [(geo.PROVINCE, MAP_WIDTH, MAP_HEIGHT),
                                                         (geo.PROVINCE, 330, 470), ("411600", MAP_WIDTH, MAP_HEIGHT)])
def test_the_map_is_framed_to_its_shapes(parent, width, height):
    """The shapes fit the plot (nothing cut) and fill it in one direction (no wide white margins in the
    exported image, which is drawn at the plot's own size)."""
    shapes = geo.shapes_under(parent)
    frame = pd.DataFrame({"shape": [f["id"] for f in shapes["features"]],
                          "name": [f["properties"]["name"] for f in shapes["features"]]})
    frame = frame.assign(hover=frame["name"], value=range(len(frame)))
    fig = region_map(frame, shapes, "网报人数<br>全省 · 截至 2020-08-21", "数据来源", legend="网报人数",
                     no_data="无数据", width=width, height=height)
    plot_width = width - fig.layout.margin.l - fig.layout.margin.r
    plot_height = height - fig.layout.margin.t - fig.layout.margin.b
    across, down = _extent(shapes, fig.layout.map.zoom)
    assert across <= plot_width and down <= plot_height
    assert max(across / plot_width, down / plot_height) >= 0.85


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
