"""The address holds the view: a link with region, county, as_of and lang opens that view on a fresh
server, every choice in the sidebar is written back into the address, a typed date applies on Enter,
a bad value falls back with a note naming it, and no file names flash in the sidebar at start."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


def params(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def wait_for_params(page, **wanted: str) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        if all(params(page).get(k) == v for k, v in wanted.items()):
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"the address has {params(page)}, not {wanted}")


def settled(page) -> None:
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    page.wait_for_timeout(1500)


def choose(page, label: str, option: str) -> None:
    """Pick `option` in the sidebar's selectbox labelled `label`."""
    page.locator("[data-testid=stSidebar]").get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()


def chosen(page, label: str) -> str:
    """What the sidebar's selectbox labelled `label` shows."""
    return page.locator("[data-testid=stSidebar]").get_by_role("combobox", name=label, exact=True).input_value()


def shown_date(page) -> str:
    return page.locator("[data-testid=stDateInput] [role=group]").inner_text().replace("\n", "")


def test_a_link_opens_its_view_on_a_fresh_server_and_the_sidebar_writes_back(fresh_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(f"{fresh_server}/risk?region=411600&as_of=2020-07-10", wait_until="networkidle")
    page.get_by_text("周口市 · 截至 2020-07-10").first.wait_for(timeout=60_000)  # the heatmap's title
    settled(page)
    assert urlparse(page.url).path == "/risk"
    assert chosen(page, "地区") == "周口市" and shown_date(page) == "2020-07-10"
    wait_for_params(page, region="411600", as_of="2020-07-10", lang="zh")

    choose(page, "县（市、区）", "太康县")
    wait_for_params(page, region="411600", county="411627")

    # a typed date applies on Enter, without leaving the field
    page.locator("[data-testid=stDateInput] [role=spinbutton][data-type=year]").click()
    page.keyboard.type("20200717")
    page.keyboard.press("Enter")
    wait_for_params(page, as_of="2020-07-17")
    page.get_by_text("截至 2020-07-17").first.wait_for(timeout=60_000)

    page.get_by_test_id("stRadioGroup").get_by_text("English", exact=True).click()
    wait_for_params(page, lang="en", county="411627", as_of="2020-07-17")
    link = page.url
    page.screenshot(path=str(ARTIFACTS / "link-sender.png"))
    page.close()

    # the copied link, opened by someone else, shows what its sender saw
    other = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    other.goto(link, wait_until="networkidle")
    other.get_by_text("Deadline risk").first.wait_for(timeout=60_000)
    settled(other)
    assert chosen(other, "Region") == "周口市" and chosen(other, "County") == "太康县"
    assert shown_date(other) == "2020-07-17"
    assert other.locator("[data-testid='stException']").count() == 0
    other.screenshot(path=str(ARTIFACTS / "link-receiver.png"))
    other.close()


def test_a_bad_value_in_a_link_falls_back_with_a_note_naming_it(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page.goto(f"{server}/?region=999999&as_of=2020-13-45", wait_until="networkidle")
    page.get_by_text("需要关注").first.wait_for(timeout=60_000)
    settled(page)
    notes = page.locator("[data-testid=stAlert]").all_inner_texts()
    assert any("region=999999" in n and "全省" in n for n in notes), notes
    assert any("as_of=2020-13-45" in n for n in notes), notes
    wait_for_params(page, region="410000")  # the address now says what is shown
    assert params(page)["as_of"] != "2020-13-45"
    page.close()


def test_no_file_names_flash_in_the_sidebar_while_the_app_starts(fresh_server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    # every change of the page, from its first moment: which page names the sidebar shows
    page.add_init_script("""
        window.__shown = new Set();
        new MutationObserver(() => {
            for (const a of document.querySelectorAll('[data-testid=stSidebar] a')) {
                if (a.offsetParent !== null && a.innerText.trim()) window.__shown.add(a.innerText.trim());
            }
        }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});""")
    page.goto(fresh_server)
    page.get_by_text("需要关注").first.wait_for(timeout=60_000)
    settled(page)
    shown = set(page.evaluate("[...window.__shown]"))
    page.close()
    assert "总览" in shown and "截止风险" in shown  # the app's own menu
    assert shown.isdisjoint({"dashboard", "frame", "overview", "registrations", "capacity", "risk", "plans"}), shown
