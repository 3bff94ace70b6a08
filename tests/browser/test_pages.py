"""Every page in real Chromium against a live server on the demo warehouse: it renders,
draws its charts, shows Chinese, raises nothing, and asks nothing of any host but localhost.
A screenshot of each page is saved in test-artifacts/."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.browser
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PAGES = [("", "需要关注", 0), ("registrations", "每日网报人数", 4), ("capacity", "确认能力", 2),
         ("risk", "截止风险", 1), ("plans", "实施方案报送情况", 1)]


@pytest.mark.parametrize(("path", "expected", "charts"), PAGES)
def test_page_renders_in_chinese_offline(server, browser, path, expected, charts):
    page = browser.new_page(viewport={"width": 1500, "height": 2400}, locale="zh-CN")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/{path}", wait_until="networkidle")
    page.get_by_text(expected).first.wait_for(timeout=60_000)
    if charts:
        page.locator(".js-plotly-plot .main-svg").nth(charts - 1).wait_for(timeout=60_000)
    # every element drawn: no loading placeholder left
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / f"page-{path or 'overview'}.png"), full_page=True)
    body = page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "页面出错了" not in body
    assert "河南省中小学教师资格认定工作监测" in body
    outside = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))} - LOCAL_HOSTS
    assert outside == set(), f"requests to outside hosts: {outside}"
    page.close()


def test_clicking_a_region_on_the_map_drills_into_it(server, browser):
    """Click 南阳市 on the overview map: the sidebar chooses it and the map shows its counties."""
    shapes = json.loads((ROOT / "static" / "maps" / "henan-2020.geojson").read_text(encoding="utf-8"))
    nanyang = next(f for f in shapes["features"] if f["id"] == "411300")["properties"]["label"]
    page = browser.new_page(viewport={"width": 1500, "height": 2400}, locale="zh-CN")
    page.goto(server, wait_until="networkidle")
    page.get_by_text("全省 · 截至").first.wait_for(timeout=60_000)  # the province's map
    page.locator(".js-plotly-plot .choroplethlocation").first.wait_for(timeout=60_000)
    x, y = page.evaluate("""(lonlat) => {
        const gd = document.querySelector('.js-plotly-plot'), p = gd._fullLayout.geo._subplot.projection(lonlat);
        const box = gd.querySelector('.main-svg').getBoundingClientRect();
        return [box.left + p[0], box.top + p[1]]; }""", nanyang)
    page.mouse.click(x, y)
    page.get_by_text("南阳市 · 截至").first.wait_for(timeout=60_000)  # the county map of 南阳
    assert "县（市、区）" in page.locator("[data-testid='stSidebar']").inner_text()  # the county picker of a city
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "overview-map-drilled.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_clicking_a_heatmap_cell_explains_it(server, browser):
    """Click 焦作市 × 现场确认≥5个工作日 on the risk heatmap: the rule and its figures are shown below."""
    page = browser.new_page(viewport={"width": 1500, "height": 2400}, locale="zh-CN")
    page.goto(f"{server}/risk", wait_until="networkidle")
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    sentence = "焦作市现场确认仅4个工作日，少于规定的5个工作日"
    assert sentence not in page.inner_text("body")
    x, y = page.evaluate("""([row, column]) => {
        const gd = document.querySelector('.js-plotly-plot'), L = gd._fullLayout, box = gd.getBoundingClientRect();
        return [box.left + L._size.l + L.xaxis.d2p(column), box.top + L._size.t + L.yaxis.d2p(row)]; }""",
                         ["焦作市", "现场确认≥5个工作日"])
    page.mouse.click(x, y)
    page.get_by_text(sentence).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "risk-cell-chosen.png"), full_page=True)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()
