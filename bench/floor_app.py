"""The floor: a bare Streamlit app of the dashboard's shape, with nothing of ours in it.

Two pages (so a navigation click can be timed), each with 6 metrics, 3 plotly charts (a bar per
region, a curve per day, a heatmap of regions × milestones) and 2 tables, from frames already in
memory; a sidebar with a date and a region to pick (the widget changes timed against ours), which the
charts follow as ours do: their titles name the region and the date, and their figures are the day's,
so a date or region change redraws the three charts here as it does on the dashboard (until
2026-12-07 evening they stayed put, and ours, which must redraw, were timed against no redraw).
What the dashboard costs beyond this is what our code costs.

    streamlit run bench/floor_app.py
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

REGIONS = ["郑州市", "开封市", "洛阳市", "平顶山市", "安阳市", "鹤壁市", "新乡市", "焦作市", "濮阳市", "许昌市",
           "漯河市", "三门峡市", "南阳市", "商丘市", "信阳市", "周口市", "驻马店市", "济源示范区"]
STAGES = ["网上报名", "现场确认", "体检", "认定决定", "证书制作", "证书发放", "实施方案", "确认点"]
DAYS = pd.date_range("2020-06-01", "2020-08-21", freq="D")


@st.cache_resource
def frames() -> dict[str, pd.DataFrame]:
    """Every frame the pages draw, made once per process (the floor reads no warehouse)."""
    rng = np.random.default_rng(2020)
    by_region = pd.DataFrame({"地区": REGIONS, "报名人数": rng.integers(2_000, 30_000, len(REGIONS)),
                              "确认人数": rng.integers(1_000, 20_000, len(REGIONS)),
                              "产能": rng.integers(1_000, 25_000, len(REGIONS)),
                              "完成率": rng.random(len(REGIONS)), "人口": rng.integers(1, 12, len(REGIONS)) * 1e6})
    curve = pd.DataFrame({"日期": np.tile(DAYS, 3), "系列": np.repeat(["报名", "确认", "认定"], len(DAYS)),
                          "人数": np.cumsum(rng.integers(0, 2_000, 3 * len(DAYS)))})
    heat = pd.DataFrame(rng.integers(0, 5, (len(REGIONS), len(STAGES))), index=REGIONS, columns=STAGES)
    return {"by_region": by_region, "curve": curve, "heat": heat}


def page(title: str) -> None:
    data = frames()
    region = st.session_state.get("floor-region", "全省")
    day = st.session_state.get("floor-date", dt.date(2020, 7, 10))
    st.title(title)
    st.caption(f"{region} · 截至 {day.isoformat()}")
    by_region = data["by_region"]
    cols = st.columns(6)
    for i, (label, value) in enumerate([("报名", by_region["报名人数"].sum()), ("确认", by_region["确认人数"].sum()),
                                        ("产能", by_region["产能"].sum()), ("完成率", by_region["完成率"].mean()),
                                        ("地区", len(by_region)), ("剩余工作日", 30)]):
        cols[i].metric(label, f"{value:,.0f}" if value > 1 else f"{value:.1%}", "+1")
    # the charts follow the sidebar as ours do (their titles say where and as of when, their figures
    # are the day's): a date or region change redraws them, here as on the dashboard
    where = f"<br>{region} · 截至 {day.isoformat()}"
    share = min(1.0, ((day - DAYS[0].date()).days + 1) / len(DAYS))
    bar = go.Figure(go.Bar(x=by_region["地区"], y=(by_region["报名人数"] * share).round()))
    bar.update_layout(title="各地报名人数" + where, height=420)
    st.plotly_chart(bar, width="stretch", key="floor-bar")
    curve = data["curve"]
    curve = curve[curve["日期"] <= pd.Timestamp(day)]
    line = go.Figure([go.Scatter(x=g["日期"], y=g["人数"], name=name, mode="lines")
                      for name, g in curve.groupby("系列")])
    line.update_layout(title="累计人数" + where, height=420)
    st.plotly_chart(line, width="stretch", key="floor-line")
    heat = data["heat"]
    grid = go.Figure(go.Heatmap(z=heat.to_numpy(), x=heat.columns, y=heat.index))
    grid.update_layout(title="截止风险" + where, height=520)
    st.plotly_chart(grid, width="stretch", key="floor-heat")
    st.dataframe(by_region, hide_index=True, width="stretch")
    st.dataframe(heat.reset_index(names="地区"), hide_index=True, width="stretch")


def first() -> None:
    page("底线页面一")


def second() -> None:
    page("底线页面二")


st.set_page_config(page_title="floor", layout="wide")
pages = [st.Page(first, title="页面一", url_path="one", default=True), st.Page(second, title="页面二", url_path="two")]
nav = st.navigation(pages, position="hidden")  # the menu as the dashboard makes it: page links in the sidebar
for p in pages:
    st.sidebar.page_link(p)
st.sidebar.date_input("统计日期", dt.date(2020, 7, 10), key="floor-date", format="YYYY-MM-DD")
st.sidebar.selectbox("地区", ["全省", *REGIONS], key="floor-region")
nav.run()
