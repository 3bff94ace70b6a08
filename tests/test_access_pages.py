"""Who sees what, on every page (AppTest on the demo warehouse): nothing before sign-in, a
coordinator only their own region — in text, tables, charts and maps — whatever the session
state says, and the account page for administrators only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from domain.regions import load_units

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overview.py", "pages/registrations.py", "pages/capacity.py", "pages/risk.py", "pages/plans.py",
         "pages/briefing.py"]
UNITS = load_units()


def names_outside(code: str) -> set[str]:
    """The names (full and short: maps label with short ones) of every region that is neither
    `code`, under it, nor above it."""
    inside = {code} | {r.code for r in UNITS if _under(r.code, code)}
    above = set()
    node = UNITS.get(code)
    while node.parent_code:
        above.add(node.parent_code)
        node = UNITS.get(node.parent_code)
    return {n for r in UNITS if r.code not in inside | above for n in (r.name, r.short_name) if len(n) >= 2}


def _under(code: str, root: str) -> bool:
    node = UNITS.get(code)
    while node.parent_code:
        if node.parent_code == root:
            return True
        node = UNITS.get(node.parent_code)
    return False


def everything_shown(at: AppTest) -> str:
    """Every piece of text the page put on screen or into a chart, table or download."""
    parts = [e.value for kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info",
                                  "success") for e in getattr(at, kind)]
    parts += [str(m.label) + str(m.value) for m in at.metric]
    parts += [df.value.to_csv() for df in at.dataframe]
    parts += [str(t.value) for t in at.table] if hasattr(at, "table") else []
    parts += [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    parts += [str(s.options) + str(s.value) for s in at.selectbox]
    return "\n".join(parts)


@pytest.fixture
def run_as(open_app):
    """The app run as `user` (None: nobody signed in), on `page`, with session state set first."""
    return lambda user, page="pages/overview.py", **state: open_app(page, user=user, **state)


def test_before_sign_in_there_is_only_the_form(run_as):
    at = run_as(None)
    assert not at.exception
    assert [t.label for t in at.text_input] == ["用户名", "密码"]
    shown = everything_shown(at)
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")
    assert not [n for n in ("河南", "郑州", "周口", "总览") if n in shown.replace("河南省教师资格认定工作看板", "")]
    for page in PAGES[1:]:
        with pytest.raises(ValueError):  # no page exists for an outsider
            at.switch_page(page)


def test_a_wrong_password_is_told_and_nothing_else_shows(run_as):
    at = run_as(None)
    at.text_input[0].input("zk")
    at.text_input[1].input("not the password")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == ["用户名或密码不正确"]
    assert not at.metric and not at.dataframe


@pytest.mark.parametrize("page", PAGES)
def test_a_city_coordinator_sees_only_their_city(run_as, page):
    at = run_as("zk", page)
    assert not at.exception
    shown = everything_shown(at)
    assert "周口" in shown
    leaked = sorted(n for n in names_outside("411600") if n in shown)
    assert leaked == [], f"{page} shows other regions: {leaked[:10]}"


@pytest.mark.parametrize("page", PAGES)
def test_a_county_coordinator_sees_only_their_county(run_as, page):
    at = run_as("tk", page)
    assert not at.exception
    shown = everything_shown(at)
    leaked = sorted(n for n in names_outside("411627") if n in shown)
    assert leaked == [], f"{page} shows other regions: {leaked[:10]}"


@pytest.mark.parametrize("page", PAGES)
def test_a_region_forced_into_the_session_shows_nothing_of_it(run_as, page):
    at = run_as("zk", page, region="410100", county="410181")
    assert not at.exception
    shown = everything_shown(at)
    assert "郑州" not in shown and "巩义" not in shown


def test_the_account_page_is_for_administrators_only(run_as):
    for user in ("zk", "lead"):
        with pytest.raises(ValueError):
            run_as(user, "pages/admin.py")
    at = run_as("admin1", "pages/admin.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["用户名"]) >= {"lead", "admin1", "zk", "tk"}
    assert "周口市" in set(table["地区"])


def test_an_administrator_adds_a_coordinator_from_the_page(run_as, accounts):
    at = run_as("admin1", "pages/admin.py")
    form = at.get("form")[0]
    assert form is not None
    inputs = {t.label: t for t in at.text_input}
    inputs["用户名"].input("xc")
    region = next(s for s in at.selectbox if s.label == "地区（仅地区联络员）")
    region.set_value("411000")
    first, second = [t for t in at.text_input if t.label in ("密码", "再输一次密码")][:2]
    first.input("许昌密码2020!")
    second.input("许昌密码2020!")
    next(b for b in at.button if b.label == "新建账户").click()
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["已新建账户 xc"]
    user = accounts.user("xc")
    assert (user.role, user.region) == ("coordinator", "411000")
    assert accounts.audit_log(name="admin1", action="account")[0][3] == "added"


def test_a_coordinator_is_told_how_their_region_compares_without_other_names(run_as):
    at = run_as("zk")
    line = next(c.value for c in at.caption if c.value.startswith("对比："))
    assert "周口市网报" in line and "同级 28 个地区" in line and "排第" in line
    assert not [b for b in at.button if b.label == "返回全省"]
    county = run_as("tk")
    line = next(c.value for c in county.caption if c.value.startswith("对比："))
    assert "太康县网报" in line and "同级 9 个地区" in line  # 周口市's nine counties
