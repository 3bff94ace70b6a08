"""Every page in real Chromium against a live server: it renders, shows Chinese,
raises nothing, and asks nothing of any host but localhost."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def test_overview_renders_in_chinese_offline(server, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server, wait_until="networkidle")
    page.get_by_text("河南省中小学教师资格认定工作监测").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "overview.png"))
    assert page.locator("[data-testid='stException']").count() == 0
    assert "2020年上半年中小学教师资格认定" in page.inner_text("body")
    outside = {urlparse(u).hostname for u in requests if not u.startswith(("data:", "blob:"))} - LOCAL_HOSTS
    assert outside == set(), f"requests to outside hosts: {outside}"
    page.close()
