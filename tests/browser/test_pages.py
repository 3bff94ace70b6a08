"""Every page in real Chromium against a live server on the demo warehouse: it renders,
draws its charts, shows Chinese, raises nothing, and asks nothing of any host but localhost.
A screenshot of each page is saved in test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS

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
