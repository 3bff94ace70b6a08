"""The address holds the view: a link's region, county, as_of and lang open that view; a bad or
unknown value falls back to the default with a note naming it; what the sidebar chose is written
back into the address; and a widget keeps a code, never a label, when the language changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import sign_in
from tests.test_pages import metric, registered

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def open_link(demo_warehouse, accounts, monkeypatch):
    """The app opened from a link carrying `params` (…/?region=411600&as_of=2020-07-10), signed in as
    provincial leadership."""
    db, _ = demo_warehouse
    monkeypatch.setenv("JSZG_WAREHOUSE", str(db))

    def start(**params: str) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        at.session_state["_jszg_token"] = sign_in(accounts, "lead")
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception
        return at
    return start


def notes(at: AppTest) -> str:
    return " ".join(w.value for w in at.warning)


def test_a_link_opens_its_region_county_and_date(open_link, demo_warehouse):
    at = open_link(region="411600", county="411627", as_of="2020-07-10")
    context = at.session_state["context"]
    assert (context.scope, context.scope_name, context.as_of) == ("411627", "太康县", dt.date(2020, 7, 10))
    assert metric(at, "网报人数") == f"{registered(demo_warehouse, '411627', dt.date(2020, 7, 10)):,}"
    assert notes(at) == ""
    assert at.query_params == {"region": "411600", "county": "411627", "as_of": "2020-07-10", "lang": "zh"}


def test_a_link_naming_a_county_as_its_region_opens_the_county_in_its_city(open_link):
    at = open_link(region="411627", lang="en")
    context = at.session_state["context"]
    assert (context.scope, context.reported_by, context.lang) == ("411627", "周口市", "en")
    assert at.query_params["region"] == "411600" and at.query_params["county"] == "411627"


@pytest.mark.parametrize(("params", "named"), [
    ({"region": "999999"}, "region=999999"),
    ({"region": "周口"}, "region=周口"),
    ({"region": "411600", "county": "410225"}, "county=410225"),  # 兰考县 is not in 周口市
    ({"as_of": "2020-13-45"}, "as_of=2020-13-45"),
    ({"as_of": "2019-01-01"}, "as_of=2019-01-01"),  # before the campaign
    ({"lang": "fr"}, "lang=fr"),
])
def test_a_bad_value_falls_back_to_the_default_with_a_note_naming_it(open_link, params, named):
    at = open_link(**params)
    assert named in notes(at)
    context = at.session_state["context"]
    if "region" in params and "county" not in params:
        assert context.scope == "410000" and at.query_params["region"] == "410000"
    if "county" in params:
        assert context.scope == "411600" and "county" not in at.query_params
    if "as_of" in params:
        assert context.as_of == dt.date(2020, 8, 21) and at.query_params["as_of"] == "2020-08-21"
    if "lang" in params:
        assert context.lang == "zh" and at.query_params["lang"] == "zh"


def test_a_note_is_in_chinese_and_names_what_was_shown_instead(open_link):
    assert "链接中的地区代码 region=999999 不存在，已显示全省" in notes(open_link(region="999999"))


def test_the_sidebars_choices_are_written_into_the_address(demo_warehouse, accounts, monkeypatch):
    db, _ = demo_warehouse
    monkeypatch.setenv("JSZG_WAREHOUSE", str(db))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["_jszg_token"] = sign_in(accounts, "lead")
    at.session_state["region"], at.session_state["county"] = "410200", "410221"  # 开封市杞县
    at.session_state["as_of"], at.session_state["lang"] = dt.date(2020, 7, 3), "en"
    at.run()
    assert at.query_params == {"region": "410200", "county": "410221", "as_of": "2020-07-03", "lang": "en"}


def test_a_widget_keeps_its_code_when_the_language_changes():
    """A selectbox whose options are codes labelled in the page's language: after a switch to English the
    value is still the code chosen (a plain keyed selectbox came back with the Chinese label as its value)."""
    def app():
        import streamlit as st

        from pages.frame import choice

        lang = st.radio("lang", ["zh", "en"], key="lang")
        names = {"zh": {"410000": "河南省（全省）", "411600": "周口市"}, "en": {"410000": "Henan", "411600": "Zhoukou"}}
        value = choice(st.selectbox, "region", list(names["zh"]), "region", lang, format_func=names[lang].get)
        st.write(f"value={value}")

    at = AppTest.from_function(app, default_timeout=30)
    at.run()
    at.selectbox(key="region@zh").select("411600").run()
    assert at.markdown[0].value == "value=411600"
    at.radio(key="lang").set_value("en").run()
    assert at.markdown[0].value == "value=411600" and at.session_state["region"] == "411600"
    assert at.selectbox(key="region@en").value == "411600"
    at.radio(key="lang").set_value("zh").run()
    assert at.markdown[0].value == "value=411600"
