"""What a person sees on a laptop, a large screen and a phone: English holds on every page after the
switch, 需要关注 is on 总览's first screen, and on a phone no title is cut and the map fits. Screenshots
of each are saved in test-artifacts/."""

from __future__ import annotations

import itertools
import math

import pytest

from charts import geo
from tests.browser.conftest import ARTIFACTS

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
                       "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}
pytestmark = pytest.mark.browser
MENU = {"overview": ("总览", "Overview"), "registrations": ("报名量", "Registrations"),
        "capacity": ("现场确认产能", "Confirmation capacity"), "risk": ("截止风险", "Deadline risk"),
        "plans": ("实施方案", "Implementation plans")}
# A title is cut when its text runs past its box (the page's heading, a chart's title in its plot) or the
# chart's toolbar covers it.
CUT_TITLES = """() => {
    const cut = [];
    for (const h of document.querySelectorAll('h1')) if (h.scrollWidth > h.clientWidth + 1) cut.push(h.innerText);
    for (const plot of document.querySelectorAll('.js-plotly-plot')) {
        const box = plot.getBoundingClientRect();
        for (const t of plot.querySelectorAll('.gtitle')) {
            const r = t.getBoundingClientRect();
            if (r.width && (r.right > box.right + 1 || r.left < box.left - 1)) cut.push(t.textContent);
            const bar = plot.querySelector('.modebar')?.getBoundingClientRect();  // always shown on a phone
            if (bar && bar.width && r.width && bar.left < r.right && bar.right > r.left && bar.top < r.bottom
                && bar.bottom > r.top) cut.push('under the toolbar: ' + t.textContent);
        }
    }
    return cut; }"""


def settled(page, charts: int = 1) -> None:
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    if charts:
        page.locator(".js-plotly-plot .main-svg").nth(charts - 1).wait_for(timeout=60_000)
    page.wait_for_timeout(1500)


def healthy(page) -> str:
    body = page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "页面出错了" not in body and "went wrong" not in body
    return body


def test_english_holds_on_every_page(server, browser):
    """Switch to English on 总览, walk every page by the menu and come back: nothing fails, no page says
    Henan sent nothing, and 总览's figures are still there (they once all read 0 and the page failed)."""
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page.goto(server, wait_until="networkidle")
    page.get_by_text("需要关注").first.wait_for(timeout=60_000)
    settled(page)
    registered = page.get_by_test_id("stMetric").first.inner_text()
    page.get_by_test_id("stRadioGroup").get_by_text("English", exact=True).click()
    page.get_by_text("Needs attention").first.wait_for(timeout=60_000)
    for name, (_, english) in [*list(MENU.items())[1:], ("overview", MENU["overview"])]:
        page.locator("[data-testid=stSidebar]").get_by_role("link", name=english, exact=True).click()
        page.wait_for_url(f"**/{'' if name == 'overview' else name}?*", timeout=60_000)
        settled(page, charts=1)
        body = healthy(page)
        assert "no data of this kind" not in body, name
        assert "lang=en" in page.url
        page.screenshot(path=str(ARTIFACTS / f"en-{name}-1366.png"))
    assert page.get_by_test_id("stMetric").first.inner_text().replace("Registered online", "").strip() == \
        registered.replace("网报人数", "").strip()
    page.close()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_needs_attention_is_on_the_first_screen_of_the_overview(server, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, locale="zh-CN")
    page.goto(server, wait_until="networkidle")
    page.get_by_text("需要关注").first.wait_for(timeout=60_000)
    settled(page)
    healthy(page)
    heading = page.get_by_role("heading", name="需要关注").bounding_box()
    first_line = page.locator("[data-testid=stMarkdown]").filter(has_text="不达标").first.bounding_box()
    chart = page.locator(".js-plotly-plot").first.bounding_box()
    assert heading["y"] + heading["height"] < height and first_line["y"] + first_line["height"] < height
    assert heading["y"] < chart["y"] + chart["height"]  # beside the map (or above it), never below
    page.screenshot(path=str(ARTIFACTS / f"overview-{width}x{height}.png"))
    page.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", list(MENU))
def test_on_a_phone_titles_are_not_cut_and_the_map_fits(server, browser, name, lang):
    context = browser.new_context(**PHONE, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{server}/{'' if name == 'overview' else name}?lang={lang}", wait_until="networkidle")
    page.get_by_role("heading", name="Henan teacher" if lang == "en" else "河南省中小学").wait_for(timeout=60_000)
    settled(page)
    healthy(page)
    assert page.evaluate(CUT_TITLES) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    if name == "overview":  # the map: the province's shapes inside the plot, none past its edges
        west, south, east, north = geo.bounds(geo.shapes_under(geo.PROVINCE))
        shown, drawn, right = page.evaluate("""() => {
            const gd = document.querySelector('.js-plotly-plot'), g = gd._fullLayout.geo._subplot;
            const box = gd.querySelector('.main-svg').getBoundingClientRect();
            const [[x0, y0], [x1, y1]] = g.projection.clipExtent();
            const shapes = [...gd.querySelectorAll('.choroplethlocation')].map(p => p.getBoundingClientRect());
            return [[...g.projection.invert([x0, y1]), ...g.projection.invert([x1, y0])],
                    shapes.length, Math.max(...shapes.map(r => r.right), box.right)]; }""")
        assert drawn == 28
        assert shown[0] <= west and shown[1] <= south and shown[2] >= east and shown[3] >= north, shown
        assert right <= 390
    page.screenshot(path=str(ARTIFACTS / f"phone-{lang}-{name}.png"))
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_weekly_screen_fits_a_third_of_a_1600_pixel_screen(server, browser, lang):
    """周报's six slots at 1600 pixels: no chart title runs off its slot, and the heatmap's column names
    (on two lines there) do not run into each other."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    page.goto(f"{server}/briefing?lang={lang}", wait_until="networkidle")
    settled(page, charts=5)
    page.screenshot(path=str(ARTIFACTS / f"briefing-1600-{lang}.png"))
    healthy(page)
    assert page.evaluate(CUT_TITLES) == []
    # the map's shapes come from the dashboard's own shapes file, as on 总览: all 28 drawn
    assert page.locator(".js-plotly-plot .choroplethlocation").count() == 28
    angle, columns = page.evaluate("""() => {
        const plot = [...document.querySelectorAll('.js-plotly-plot')]
            .find(p => p._fullData.some(t => t.type === 'heatmap'));
        const x = plot._fullLayout.xaxis, at = x._vals.map(v => x.l2p(v.x));
        return [x.tickangle || 0, [...plot.querySelectorAll('.xtick text')].map((t, i) => {
            const r = t.getBoundingClientRect();
            return [t.textContent, r.left, r.right, at[i], t.getBBox().height]; })]; }""")
    assert len(columns) == 7
    for (name, _, right, at, high), (after, left, _, next_at, next_high) in itertools.pairwise(columns):
        if angle == 0:  # side by side
            assert right <= left, f"{name} runs into {after}"
        else:  # slanted names are parallel strips: the gap across them holds a name's lines
            gap = (next_at - at) * abs(math.sin(math.radians(angle)))
            assert gap >= max(high, next_high) * 0.9, f"{name} runs into {after}"
    page.close()
