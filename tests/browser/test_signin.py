"""Sign-in in real Chromium against a live server: an outsider sees the form and nothing else on
every page's own address; a coordinator signs in, stays signed in across a refresh, sees only
their region on every page, and signing out ends the session on the server."""

from __future__ import annotations

import pytest

from domain.regions import load_units
from tests.browser.conftest import ARTIFACTS
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser
PATHS = ["", "registrations", "capacity", "risk", "plans", "admin"]
UNITS = load_units()
OTHER_REPORTING = {r.name for r in UNITS.reporting() if r.code != "411600"}


def _form_only(page) -> None:
    page.get_by_role("button", name="登录").wait_for(timeout=60_000)
    page.wait_for_timeout(500)
    body = page.inner_text("body")
    assert "用户名" in body and "密码" in body
    for word in ("总览", "报名量", "截止风险", "郑州", "周口", "网报人数"):
        assert word not in body, f"an outsider sees {word}"


@pytest.mark.parametrize("path", PATHS)
def test_an_outsider_sees_only_the_sign_in_form(server, browser, path):
    page = browser.chromium.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.goto(f"{server}/{path}", wait_until="networkidle")
    _form_only(page)
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    if not path:
        page.screenshot(path=str(ARTIFACTS / "signin.png"))
    page.close()


def test_a_coordinator_signs_in_stays_in_across_a_refresh_and_signs_out(server, browser):
    page = browser.chromium.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(server, wait_until="networkidle")
    page.get_by_label("用户名").fill("zk")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_text("已登录：zk").wait_for(timeout=60_000)
    page.reload(wait_until="networkidle")  # a new Streamlit session: the cookie carries the sign-in
    page.get_by_text("已登录：zk").wait_for(timeout=60_000)
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="登录").wait_for(timeout=60_000)
    page.reload(wait_until="networkidle")  # the ended session is refused on the server
    _form_only(page)
    page.close()


@pytest.mark.parametrize("path", PATHS[:5])
def test_a_coordinator_sees_no_other_region_on_any_page(server, browser, path):
    page = browser.new_page(user="zk", viewport={"width": 1500, "height": 2400}, locale="zh-CN")
    page.goto(f"{server}/{path}", wait_until="networkidle")
    page.get_by_text("已登录：zk").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    page.wait_for_timeout(2000)
    body = page.inner_text("body")
    assert "周口" in body
    leaked = sorted(n for n in OTHER_REPORTING if n in body)
    assert leaked == [], f"/{path} shows {leaked}"
    page.screenshot(path=str(ARTIFACTS / f"coordinator-{path or 'overview'}.png"), full_page=True)
    page.close()
