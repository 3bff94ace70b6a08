"""Every page under Streamlit's AppTest on the demo warehouse: it renders without an exception,
the figures it shows for a region equal what the warehouse views say, and changing the
as-of date or the region changes what is shown."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/overview.py", "pages/registrations.py", "pages/capacity.py", "pages/risk.py", "pages/plans.py"]


@pytest.fixture
def app(open_app):
    return open_app()


def values(trace_field) -> list:
    """A plotly trace's numbers, whether listed or packed as a typed array."""
    if isinstance(trace_field, dict) and "bdata" in trace_field:
        return np.frombuffer(base64.b64decode(trace_field["bdata"]), dtype=trace_field["dtype"]).tolist()
    return list(trace_field)


def warehouse(demo_warehouse, sql: str, params=()):
    db, _ = demo_warehouse
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def registered(demo_warehouse, scope: str, as_of: dt.date) -> int:
    """网报人数 as the views give it: the daily registrations up to as_of, summed over the scope (the
    报名量 page's figure too)."""
    return warehouse(demo_warehouse, """
        select sum(registrations) from registrations_daily
        where date <= ? and region_code in (select descendant from region_tree where ancestor = ?)""",
                     [as_of, scope])[0][0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def attention(at: AppTest) -> dict[str, str]:
    """总览's 需要关注: each short line (one per region) and the sentences behind its (?)."""
    return {m.value: m.proto.help for m in at.markdown if "badge[" in m.value and m.proto.help}


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_an_error(open_app, page):
    app = open_app(page)
    assert not app.exception
    assert not [e for e in app.error if "出错" in e.value]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_the_first_week_of_reports(open_app, page):
    # 06-15: the week before it had no weekly report yet, so the week's change starts from nothing
    # (a percentage from the warehouse's decimals minus a plain 0.0 once broke 总览 here).
    app = open_app(page, as_of=dt.date(2020, 6, 15))
    assert not app.exception
    assert not [e for e in app.error if "出错" in e.value]


def test_overview_headline_equals_the_warehouse_and_follows_the_as_of_date(app, open_app, demo_warehouse):
    latest = dt.date(2020, 8, 21)
    assert metric(app, "网报人数") == f"{registered(demo_warehouse, '410000', latest):,}"
    earlier = registered(demo_warehouse, "410000", dt.date(2020, 6, 19))
    assert metric(open_app(as_of=dt.date(2020, 6, 19)), "网报人数") == f"{earlier:,}"
    assert earlier != registered(demo_warehouse, "410000", latest)


def test_overview_follows_the_region(open_app, demo_warehouse):
    kaifeng = open_app(region="410200")  # 开封市: its own rows and its counties'
    assert metric(kaifeng, "网报人数") == f"{registered(demo_warehouse, '410200', dt.date(2020, 8, 21)):,}"
    assert metric(kaifeng, "实施方案已报送") == "1/1"


def test_overview_lists_the_planted_problems_in_plain_sentences(app):
    sentences = " ".join(m.value for m in app.markdown)
    assert "焦作市现场确认仅4个工作日，少于规定的5个工作日" in sentences
    assert "商丘市于 2020-06-03 报送实施方案，晚于其认定公告发布日" in sentences
    assert "新蔡县已于 2020-06-02 发布认定公告，但实施方案至今未报送" in sentences
    # 需要关注, one short line per region with its sentences behind it: 周口 has two overdue stages on
    # one line, and 鹿邑's silence joins its own line
    lines = attention(app)
    assert len([short for short in lines if "周口市" in short]) == 1
    luyi = [(short, long) for short, long in lines.items() if "鹿邑县" in short]
    assert len(luyi) == 1 and "停报" in luyi[0][0] and "2020-07-10 之后没有再报送" in luyi[0][1]
    # a late finish is its own word, never 已完成
    assert any("逾期完成" in short and "商丘市" in short for short in lines)


def test_registrations_chart_sums_to_the_warehouse(open_app, demo_warehouse):
    figure = json.loads(open_app("pages/registrations.py").get("plotly_chart")[0].proto.spec)
    expected = warehouse(demo_warehouse, "select sum(registrations) from registrations_daily")[0][0]
    # window days + outside (the holidays' legend entry has no points)
    assert sum(v for trace in figure["data"] for v in values(trace["y"]) if v is not None) == expected
    lankao = open_app("pages/registrations.py", region="410225")  # 兰考县, a direct county
    figure = json.loads(lankao.get("plotly_chart")[0].proto.spec)
    assert sum(values(figure["data"][0]["y"])) == warehouse(
        demo_warehouse, "select sum(registrations) from registrations_daily where region_code = '410225'")[0][0]


def test_risk_heatmap_has_every_reporting_region_worst_first(open_app):
    app = open_app("pages/risk.py")
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    heat = figure["data"][0]
    assert len(heat["y"]) == 28 and len(heat["x"]) == 7
    assert heat["text"][0].count("已逾期") + heat["text"][0].count("不达标") > 0  # the worst region first


def test_capacity_what_if_uses_the_rules(open_app, demo_warehouse):
    before = float(metric(open_app("pages/capacity.py", **{"whatif-region": "410100"}), "产能利用率").rstrip("%"))
    after = float(metric(open_app("pages/capacity.py", **{"whatif-region": "410100", "whatif-windows": 10}),
                         "产能利用率").rstrip("%"))
    [(facts,)] = warehouse(demo_warehouse, """select facts from risk_by_unit_day where unit_code = '410100'
                                              and milestone = 'R4_capacity' and as_of = '2020-08-21'""")
    facts = json.loads(facts)  # 郑州's applicants against its sites' places, as the rules judged them
    assert before == round(100 * facts["demand"] / facts["capacity"]) and before > 100
    assert after < before


def test_plans_lists_the_regions_still_to_send_or_revise(open_app):
    todo = open_app("pages/plans.py").code[0].value
    assert "新蔡县（未报送）" in todo and "兰考县（退回修改）" in todo


def test_a_plan_not_received_has_blank_dates_not_none(open_app):
    """汝州市 sent no plan: its dates are blank in the table (a grey "None" reads as a fault), the others' are
    dates; the Excel download keeps them as date cells."""
    app = open_app("pages/plans.py")
    shown = next(d.value for d in app.dataframe if "报送日期" in d.value.columns)
    ruzhou = shown[shown["地区"] == "汝州市"].iloc[0]
    assert ruzhou["报送日期"] == "" and ruzhou["公告日期"] == ""
    sent = shown[shown["地区"] == "郑州市"].iloc[0]
    assert dt.date.fromisoformat(sent["报送日期"]) <= dt.date.fromisoformat(sent["公告日期"])
    from pages.frame import _shown

    frame = pd.DataFrame({"地区": ["郑州市", "汝州市"], "报送日期": [dt.date(2020, 5, 20), None]})
    kept, _ = _shown(frame)
    assert kept["报送日期"].tolist() == [dt.date(2020, 5, 20), None]  # what the downloads are written from


def test_a_table_shown_once_is_forgotten_with_its_frame():
    """pages/frame.py _shown keeps a table's Arrow conversion only while the frame lives (a table made on
    each run must not pile up in memory), whether or not tidy() handed the frame back as it was."""
    import gc

    from pages.frame import _SHOWN, _shown

    whole = pd.DataFrame({"地区": ["郑州市"], "网报人数": [9962]})  # no decimals: tidy hands it back
    decimals = pd.DataFrame({"地区": ["郑州市"], "每万人口": [10.066]})
    keys = [id(whole), id(decimals)]
    assert _shown(whole)[0] is whole and _shown(whole)[1].num_rows == 1
    assert _shown(decimals)[0]["每万人口"].tolist() == [10.1]
    assert all(k in _SHOWN for k in keys)
    del whole, decimals
    gc.collect()
    assert not any(k in _SHOWN for k in keys)


def map_figure(app: AppTest) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)


def shown_on_map(figure: dict) -> dict[str, str]:
    """Shape code → what its hover says, over every coloured trace of the map."""
    return {code: hover for trace in figure["data"] if trace["type"] == "choropleth" and trace.get("customdata")
            for code, hover in trace["customdata"]}


def test_overview_map_colours_every_reporting_region_by_its_worst_level(app, demo_warehouse):
    figure = map_figure(app)
    shown = shown_on_map(figure)
    assert len(shown) == 28  # 17 cities, 济源 and the 10 directly administered counties
    assert shown["410800"] == "焦作市：不达标（现场确认≥5个工作日）"  # R3: four working days of confirmation
    legend = {t["name"] for t in figure["data"] if t.get("showlegend")}
    assert legend <= {"逾期/不达标", "预计逾期", "有风险", "逾期完成", "无数据", "正常", "已完成"}
    assert "逾期/不达标" in legend
    # nothing drawn from outside: no base map, a first trace placed by longitude and latitude (plotly.js
    # fetches its world topojson from a CDN when the first trace names locations), and the shapes our
    # own server's file (fetched relative to the page, so under any base path), which is there and holds
    # every shape the map colours
    assert figure["layout"]["geo"]["visible"] is False
    first = figure["data"][0]
    assert first["type"] == "scattergeo" and "locations" not in first and first["lon"]
    addresses = {t.get("geojson") for t in figure["data"] if t["type"] == "choropleth"}
    assert addresses == {"app/static/maps/henan-2020.geojson"}
    served = json.loads((ROOT / "static" / "maps" / "henan-2020.geojson").read_text(encoding="utf-8"))
    assert set(shown) <= {f["id"] for f in served["features"]}


def test_overview_map_of_a_city_shows_its_counties_with_the_warehouse_figures(open_app, demo_warehouse):
    luoyang = open_app(region="410300", **{"map-measure-city": "registrations"})
    shown = shown_on_map(map_figure(luoyang))
    counties = warehouse(demo_warehouse, """
        select g.region_code, g.name, coalesce(sum(r.registrations), 0)::bigint from regions g
        left join registrations_daily r on r.region_code = g.region_code
        where g.parent_code = '410300' group by all""")
    expected = {code: f"{name}：{count:,}" for code, name, count in counties if code not in ("410306", "410322")}
    jili_mengjin = sum(count for code, _, count in counties if code in ("410306", "410322"))
    expected["410322"] = f"孟津县（含吉利区）：{jili_mengjin:,}"
    assert shown == expected
    assert any("吉利区已于 2021 年并入孟津区" in c.value for c in luoyang.caption)


def test_overview_map_of_a_county_outlines_it_on_its_city_map(open_app):
    app = open_app(region="410300", county="410381")  # 偃师市: today's 偃师区 shape
    figure = map_figure(app)
    assert len(shown_on_map(figure)) == 14
    outlined = [t for t in figure["data"] if t["type"] == "choropleth" and t.get("hoverinfo") == "skip"]
    assert [t["locations"] for t in outlined] == [["410381"]]


EARLIER = """# A campaign for the tests only: registration 2019-11-04..2019-11-15.
id = "2019H2"
name = "2019年下半年（测试批次）"
name_en = "Second half of 2019 (test)"
notice = "测试"
province_code = "410000"
[registration]
start = 2019-11-04
end = 2019-11-15
[confirmation]
min_working_days = 5
default_daily_per_window = 60
[exam]
default_daily_capacity = 150
[decision]
within_working_days = 30
[final]
date = 2019-12-31
[reporting]
weekday = 4
first_report = 2019-11-08
last_report = 2019-12-27
[risk]
at_risk_slack_working_days = 3
at_risk_utilisation = 0.9
pace_window_days = 14
stale_after_days = 7
"""


@pytest.fixture
def two_campaigns(demo_warehouse, accounts, tmp_path, monkeypatch):
    """The demo warehouse plus 郑州's and 开封's registrations of an earlier (test) campaign, and a
    campaigns folder holding both campaign files."""
    import shutil

    from domain.campaign import CAMPAIGNS_DIR
    from etl.load import load_files
    from tests.etl_files import REG_HEADER, write_csv

    db, _ = demo_warehouse
    shutil.copytree(db.parent, tmp_path / "wh", symlinks=True)
    lines = [REG_HEADER] + [[region, f"2019-11-{day:02d}", "小学", count] for region, count in (("郑州市", 100),
                                                                                              ("开封市", 40))
                            for day in range(4, 16)]
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    shutil.copy(CAMPAIGNS_DIR / "2020H1.toml", campaigns)
    (campaigns / "2019H2.toml").write_text(EARLIER, encoding="utf-8")
    monkeypatch.setenv("JSZG_WAREHOUSE", str(tmp_path / "wh" / "warehouse.duckdb"))
    monkeypatch.setenv("JSZG_CAMPAIGNS_DIR", str(campaigns))
    # loaded once the earlier campaign's file is known: a date outside every campaign's span is refused
    load_files([write_csv(tmp_path / "2019年下半年报名.csv", lines)], tmp_path / "wh" / "warehouse.duckdb")

    def start(**choices) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        at.session_state["_jszg_token"] = sign_in(accounts, "lead")
        for key, value in choices.items():
            at.session_state[key] = value
        at.run()
        at.switch_page("pages/registrations.py")
        at.run()
        return at
    return start


def test_registrations_compare_with_an_earlier_campaign_day_by_day(two_campaigns, demo_warehouse):
    app = two_campaigns()
    assert not app.exception
    figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    compare = next(f for f in figures if "本批次与2019年下半年（测试批次）" in f["layout"]["title"]["text"])
    assert "郑州市" not in compare["layout"]["title"]["text"] and "全省 · 截至 2020-08-21" in compare["layout"][
        "title"]["text"]
    earlier = next(t for t in compare["data"] if t["name"] == "2019年下半年（测试批次）")
    assert values(earlier["x"])[:2] == [1, 2]  # 2019-11-04 is its day 1
    assert values(earlier["y"])[-1] == 12 * 140  # 12 days × (100 + 40)
    current = next(t for t in compare["data"] if t["name"] == "2020年上半年中小学教师资格认定")
    assert values(current["y"])[-1] == warehouse(
        demo_warehouse, "select sum(registrations) from registrations_daily")[0][0]
    # this campaign's own charts leave the earlier campaign out
    daily = next(f for f in figures if "每日网报人数" in f["layout"]["title"]["text"])
    assert min(daily["data"][0]["x"]) >= "2020-01-01"
    kaifeng = two_campaigns(region="410200")
    compare = next(json.loads(c.proto.spec) for c in kaifeng.get("plotly_chart")
                   if "本批次与" in json.loads(c.proto.spec)["layout"]["title"]["text"])
    assert values(next(t for t in compare["data"] if t["name"].startswith("2019"))["y"])[-1] == 12 * 40


def test_registrations_say_how_to_compare_when_no_other_campaign_is_loaded(open_app):
    captions = " ".join(c.value for c in open_app("pages/registrations.py").caption)
    assert "没有其他认定批次的报名数据" in captions


def test_overview_names_a_region_that_stopped_reporting(app, open_app):
    sentences = " ".join(m.value for m in app.markdown)
    # 鹿邑县's last weekly report is of 07-10: six Fridays missed by 08-21
    assert "鹿邑县自 2020-07-10 之后没有再报送进度周报（已缺 6 次，最近一次应报 2020-08-21）" in sentences
    early = " ".join(m.value for m in open_app(as_of=dt.date(2020, 7, 14)).markdown)
    assert "没有再报送进度周报" not in early  # four days after its last report it is not yet quiet


def test_every_text_has_both_languages_with_the_same_blanks():
    """The same blanks in both languages, but the campaign's own numbers, which each language may word its own
    way (8月20日, 08-20)."""
    from domain.campaign import CAMPAIGNS_DIR, load_campaign
    from texts import campaign_fields
    from texts.strings import TEXTS

    own = set(campaign_fields(load_campaign(CAMPAIGNS_DIR / "2020H1.toml")))
    for key, (zh, en) in TEXTS.items():
        assert bool(zh.strip()) == bool(en.strip()), key  # a note that is blank is blank in both
        assert set(re.findall(r"{(\w+)", zh)) - own == set(re.findall(r"{(\w+)", en)) - own, key


# keys a page builds from data or a rule (level.overdue, milestone.R6_decisions, reason.r3_too_short …)
DYNAMIC = ("level.", "milestone.", "milestone_short.", "basis.", "basis_note.", "rule.", "fact.", "reason.",
           "qualification.", "status.", "weekday.", "role.", "audit.", "admin.action_", "briefing.", "map.")


def _code() -> str:
    """The code that reads texts/ (the weekly briefing has words of its own, briefing/words.py)."""
    files = [ROOT / "dashboard.py", ROOT / "texts" / "__init__.py", ROOT / "access" / "signin.py",
             *(ROOT / "charts").glob("*.py"),
             *(ROOT / "pages" / f"{name}.py" for name in ("frame", "overview", "registrations", "capacity", "risk",
                                                           "plans", "admin", "upload", "submissions"))]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_every_text_key_the_code_names_exists_and_every_text_is_used():
    from texts.strings import TEXTS

    code = _code()
    named = set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+\.[\w.]+)["']""", code))
    assert named - set(TEXTS) == set()
    measures = re.search(r"MEASURES = \((.*?)\)", code).group(1)
    used = {k for k in TEXTS if f'"{k}"' in code or f"'{k}'" in code
            or (k.startswith("map.") and f'"{k[4:]}"' in measures)}
    unused = {k for k in set(TEXTS) - used if not k.startswith(DYNAMIC[:-1])}
    assert unused == set()


def test_texts_hold_no_campaign_numbers_but_take_them_from_the_campaign():
    import dataclasses

    from domain.campaign import CAMPAIGNS_DIR, load_campaign
    from texts import milestone_name, rule_text
    from texts.strings import TEXTS

    campaign = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
    final, days = campaign.final_date, campaign.min_confirmation_working_days
    decide = campaign.decision_within_working_days
    forbidden = [final.isoformat(), final.strftime("%m-%d"), f"{final.month}月{final.day}日",
                 f"{final.month} 月 {final.day} 日", f"{days}个工作日", f"{days} 个工作日", f"least {days} ",
                 f"{decide}个工作日", f"{decide} 个工作日", f"within {decide} ",
                 f" {campaign.default_daily_per_window} "]
    found = {(key, word) for key, pair in TEXTS.items() for text in pair for word in forbidden if word in text}
    assert found == set()
    assert milestone_name("R3_confirmation_length", campaign) == "现场确认≥5个工作日"
    assert milestone_name("R7_final", campaign) == "8月20日前全部完成"
    later = dataclasses.replace(campaign, min_confirmation_working_days=6, final_date=final.replace(day=31))
    assert milestone_name("R3_confirmation_length", later) == "现场确认≥6个工作日"
    assert "2020-08-31" in rule_text("R7_final", later, "en")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_english(open_app, page):
    app = open_app(page, lang="en")
    assert not app.exception
    assert not [e for e in app.error if "wrong" in e.value]
    shown = " ".join([*(m.value for m in app.markdown), *(s.value for s in app.subheader),
                      *(c.value for c in app.caption), *(m.label for m in app.metric)])
    assert not re.search(r"(截至|地区|网报|工作日|需要关注|下载)", shown.replace("河南省", "")), shown[:300]


def test_findings_are_worded_for_the_day_they_are_read(app, open_app, demo_warehouse):
    sentences = " ".join(m.value for m in app.markdown)
    # on 08-21 the 08-20 deadline is past: what is left, not a projection
    [(facts,)] = warehouse(demo_warehouse, """select facts from deadline_risk
                                              where region_code = '411600' and milestone = 'R6_decisions'""")
    facts = json.loads(facts)
    left, done, target = facts["target"] - facts["value"], facts["value"], facts["target"]
    assert f"周口市已过 2020-08-20 的期限，仍有 {left:,} 人未作出认定结论（已完成 {done:,}/{target:,}）" in sentences
    # weeks before the deadline the same region is 预计逾期 at worst, never 已逾期
    early = next(m.value for m in open_app(as_of=dt.date(2020, 7, 31)).markdown
                 if "badge[" in m.value and "周口市" in m.value)
    assert "预计逾期" in early and "已逾期" not in early
    assert "不达标" in sentences and "焦作市现场确认仅4个工作日" in sentences  # a broken rule, not a missed date
    risk = open_app("pages/risk.py", **{"risk-region": "焦作市", "risk-milestone": "R3_confirmation_length"})
    heat = json.loads(risk.get("plotly_chart")[0].proto.spec)["data"][0]
    row = heat["y"].index("焦作市")
    assert heat["text"][row][heat["x"].index("现场确认≥5个工作日")] == "不达标"
    assert any("现场确认 2020-06-24 至 2020-06-30，共 4 个工作日（规定不少于 5 个工作日）" in m.value
               for m in risk.markdown)


def test_a_county_page_says_whose_plans_and_risk_it_shows(open_app):
    plans = open_app("pages/plans.py", region="410300", county="410322")
    assert any("孟津县的实施方案由洛阳市报送，这里显示洛阳市的" in i.value for i in plans.info)
    assert not any("实施方案由" in i.value for i in open_app("pages/plans.py", region="410300").info)
    # 总览 of 太康县: its own registrations and rates, its city's plan and findings — each said to be whose
    taikang = open_app(region="411600", county="411627")
    assert metric(taikang, "周口市实施方案已报送") == "1/1"
    assert not [m for m in taikang.metric if m.label == "实施方案已报送"]
    note = " ".join(i.value for i in taikang.info)
    assert "太康县自己报送的数据" in note and "是周口市的判断" in note


def test_a_citys_own_applicants_rank_as_its_own_level_without_a_rate(open_app):
    app = open_app("pages/registrations.py", region="410300")
    figures = [json.loads(c.proto.spec) for c in app.get("plotly_chart")]
    absolute = next(f for f in figures if "各地网报人数排名" in f["layout"]["title"]["text"])
    assert "洛阳市本级" in absolute["data"][0]["y"]
    # county populations are estimates: no county is ranked per 10,000 people, and the page says why
    assert not [f for f in figures if "每万人口网报人数" in f["layout"]["title"]["text"]]
    assert any("县级人口为估算" in c.value for c in app.caption)
    assert [c.options for c in app.get("segmented_control")] == [["每日", "累计"]]  # no "per 10,000 people"
    province = open_app("pages/registrations.py", **{"reg-rank-by": "rank-per-10k"})
    per_10k = next(json.loads(c.proto.spec) for c in province.get("plotly_chart")
                   if "每万人口网报人数" in json.loads(c.proto.spec)["layout"]["title"]["text"])
    assert len(per_10k["data"][0]["y"]) == 18  # 17 cities and 济源; the direct counties' figures are estimates
    assert any("巩义市" in c.value and "未参与每万人口排名" in c.value for c in province.caption)


def test_registrations_show_one_curve_and_one_ranking_with_the_other_a_click_away(open_app, demo_warehouse):
    """每日/累计 and 按人数/每万人口: three charts on the page (curve, qualifications, ranking), and a click
    on 累计 draws the cumulative curve, ending at the warehouse's total."""
    app = open_app("pages/registrations.py")
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"].split("<br>")[0] for c in app.get("plotly_chart")]
    assert titles[:3] == ["每日网报人数", "网报人数按资格种类", "各地网报人数排名"]
    curve, ranking_by = app.get("segmented_control")[:2]
    assert curve.options == ["每日", "累计"] and ranking_by.options == ["网报人数", "每万人口"]
    curve.set_value("cumulative").run()
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert figure["layout"]["title"]["text"].startswith("累计网报人数")
    total = warehouse(demo_warehouse, "select sum(registrations) from registrations_daily")[0][0]
    assert max(v for trace in figure["data"] for v in values(trace["y"]) if v is not None) <= total
    assert values(figure["data"][0]["y"])[-1] == max(values(figure["data"][0]["y"]))  # it only climbs


@pytest.mark.parametrize(("code", "name", "day"), [("410800", "焦作市", dt.date(2020, 7, 24)),
                                                   ("410100", "郑州市", dt.date(2020, 6, 20))])
def test_capacity_plans_and_risk_give_the_same_r3_days_r4_level_and_r6_date(open_app, demo_warehouse, code, name,
                                                                          day):
    """One rule, one number: the pages read what the warehouse's rules decided for that region and day."""
    from texts import level_name

    judged = {m: (facts, state, due) for m, facts, state, due in warehouse(demo_warehouse, """
        select milestone, facts, state, due_date from risk_by_unit_day
        where as_of = ? and unit_code = ? and region_code = ?""", [day, code, code])}
    capacity = open_app("pages/capacity.py", as_of=day).dataframe[0].value.set_index("地区")
    r3_days = json.loads(judged["R3_confirmation_length"][0])["days"]
    assert capacity.loc[name, "确认工作日（R3 要求 ≥5）"].startswith(f"{r3_days} ")
    assert capacity.loc[name, "判定"] == level_name(judged["R4_capacity"][1], "zh", "R4_capacity")
    risk = open_app("pages/risk.py", as_of=day).dataframe[0].value
    r4_row = risk[(risk["地区"] == name) & (risk["环节"] == "确认能力满足需求")]
    assert r4_row["判定"].tolist() == [level_name(judged["R4_capacity"][1], "zh", "R4_capacity")]
    plans = open_app("pages/plans.py", as_of=day).dataframe
    timeline = next(d.value for d in plans if "阶段" in d.value.columns)
    decisions = timeline[(timeline["地区"] == name) & (timeline["阶段"] == "认定结论（30个工作日内）")]
    assert decisions["结束日期"].tolist() == [judged["R6_decisions"][2]]


def test_plans_are_read_as_they_stood_on_the_day(demo_warehouse):
    """商丘 sent its plan after its announcement: the day before it sent, it had announced without a plan."""
    from queries import read

    db, _ = demo_warehouse
    version = Path(os.path.realpath(db))
    [(sent, announced)] = warehouse(demo_warehouse, """select plan_submitted_on, announced_on from plan_status
                                                       where region_code = '411400'""")
    def plan(day):
        return read.plans.as_scope(read.PROVINCE, version, "411400", day).set_index("region_code").loc["411400"]

    before = plan(sent - dt.timedelta(days=1))
    assert before["plan_submitted_on"] is None and before["status"] == "未报送"
    assert before["announced_on"] == announced and not before["submitted_before_announcement"]
    after = plan(sent)
    assert after["plan_submitted_on"] == sent and after["status"] != "未报送"
    early = plan(announced - dt.timedelta(days=1))
    assert early["announced_on"] is None and pd.isna(early["submitted_before_announcement"])


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


@pytest.mark.parametrize("page", PAGES)
def test_table_headers_are_in_the_pages_language(open_app, page):
    """No table shows a column's code name (date, registrations, region_code, per_10k); in English no header is
    Chinese, in Chinese every header is."""
    for lang in ("zh", "en"):
        shown = tables(open_app(page, lang=lang, **{"risk-region": "周口市", "risk-milestone": "R6_decisions"}))
        assert shown, page
        headers = [str(c) for frame in shown for c in frame.columns]
        assert not [h for h in headers if re.fullmatch(r"[a-z_0-9]+", h)], headers
        chinese = [h for h in headers if re.search(r"[\u4e00-\u9fff]", h)]
        assert chinese == ([] if lang == "en" else headers), (lang, headers)


@pytest.mark.parametrize("page", PAGES)
def test_table_figures_are_rounded(open_app, page):
    for frame in tables(open_app(page)):
        for column in frame.columns:
            if pd.api.types.is_float_dtype(frame[column]):
                values = frame[column].dropna()
                assert ((values * 10).round() == values * 10).all(), (column, values.head().tolist())


def test_registrations_rate_per_10000_is_rounded_to_one_place(open_app):
    rates = next(f for f in tables(open_app("pages/registrations.py")) if "每万人口网报人数" in f.columns)
    assert rates["每万人口网报人数"].dropna().map(lambda v: round(v, 1) == v).all()
    assert rates["网报人数"].dtype.kind in "iu" or str(rates["网报人数"].dtype) == "Int64"


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_says_as_of_when_and_exports_an_image_of_its_own_size(open_app, page):
    app = open_app(page, as_of=dt.date(2020, 7, 10))
    charts = app.get("plotly_chart")
    assert charts, page
    for chart in charts:
        figure, config = json.loads(chart.proto.spec), json.loads(chart.proto.config)
        assert "截至 2020-07-10" in figure["layout"]["title"]["text"], figure["layout"]["title"]["text"]
        image = config["toImageButtonOptions"]
        assert image["filename"].endswith("-2020-07-10") and image["width"] >= 500 and image["height"] >= 380


def test_the_maps_image_is_cropped_to_the_map(app):
    from charts.figures import MAP_WIDTH

    chart = app.get("plotly_chart")[0]
    assert json.loads(chart.proto.config)["toImageButtonOptions"]["width"] == MAP_WIDTH + 20  # the plot and margins


def test_bar_labels_have_thousands_separators(open_app):
    figures = [json.loads(c.proto.spec) for c in open_app("pages/registrations.py").get("plotly_chart")]
    bars = [t for f in figures for t in f["data"] if t["type"] == "bar"]
    assert bars and all("," in t["texttemplate"] for t in bars)


@pytest.fixture
def rebuilt():
    """The pages' shared builds (pages/frame.py once) emptied before and after a test that changes
    what the queries return: a page is built once per warehouse version, and this one is read again."""
    from pages.frame import _built

    _built.clear()
    yield
    _built.clear()


def test_a_long_remark_is_readable_in_full(open_app, monkeypatch, rebuilt):
    from queries import read

    long = "确认点安排不完整：" + "某某确认点未注明窗口数和每窗口日确认量，请补充后重新报送；" * 4 + "退回修改"
    plans = read.plans

    def with_a_long_remark(*args, **kwargs):
        frame = plans(*args, **kwargs).copy()
        frame.loc[frame["region_code"] == "410225", "remark"] = long
        return frame
    monkeypatch.setattr(read, "plans", with_a_long_remark)
    app = open_app("pages/plans.py")
    assert any(long in m.value and "兰考县" in m.value for m in app.markdown)


def test_the_copyable_list_is_in_the_pages_language(open_app):
    listed = open_app("pages/plans.py", lang="en").code[0].value
    assert "新蔡县 (not sent)" in listed and "汝州市 (not received)" in listed and "nan" not in listed
    assert "汝州市（未收到）" in open_app("pages/plans.py").code[0].value  # 汝州 sent nothing at all
    registrations = open_app("pages/registrations.py", lang="en")
    kinds = next(json.loads(c.proto.spec) for c in registrations.get("plotly_chart")
                 if "Registrations by qualification" in json.loads(c.proto.spec)["layout"]["title"]["text"])
    assert "Kindergarten" in kinds["data"][0]["y"] and not [k for k in kinds["data"][0]["y"] if re.search(
        r"[\u4e00-\u9fff]", k)]


def test_an_excel_download_names_its_sheet_and_says_what_where_and_when(demo_warehouse):
    import io

    from openpyxl import load_workbook

    from domain.campaign import CAMPAIGNS_DIR, load_campaign
    from pages.frame import Context, workbook

    ctx = Context(Path("unused"), load_campaign(CAMPAIGNS_DIR / "2020H1.toml"), dt.date(2020, 7, 10), "411600",
                  "周口市", "zh")
    frame = pd.DataFrame({"地区": ["周口市", "商丘市"], "网报人数": pd.array([12345, 678], dtype="Int64"),
                          "每万人口网报人数": [10.1, 7.3], "报送日期": [dt.date(2020, 6, 1), None]})
    sheet = load_workbook(io.BytesIO(workbook(frame, "每日网报人数", ctx))).active
    assert sheet.title == "每日网报人数"
    assert [sheet.cell(row, 1).value for row in range(1, 5)] == [
        "每日网报人数", "地区：周口市", "截至：2020-07-10", "数据来源：各地报送 · 截至 2020-07-10"]
    assert [c.value for c in sheet[6]] == ["地区", "网报人数", "每万人口网报人数", "报送日期"]
    assert sheet["B7"].value == 12345 and sheet["B7"].number_format == "#,##0"
    assert sheet["C7"].number_format == "#,##0.0" and sheet["D8"].value is None


@pytest.mark.parametrize("page, query", [("pages/registrations.py", "registrations_daily"),
                                         ("pages/capacity.py", "capacity"), ("pages/risk.py", "risk"),
                                         ("pages/plans.py", "plans")])
def test_a_page_with_nothing_sent_yet_says_so(open_app, monkeypatch, rebuilt, page, query):
    """A scope and date with nothing of the page's kind: the page says so, and shows no chart."""
    from queries import read

    original = getattr(read, query)
    monkeypatch.setattr(read, query, lambda *args, **kwargs: original(*args, **kwargs).iloc[0:0])
    app = open_app(page)
    assert not app.exception
    assert any("还没有报送这类数据" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_a_figure_built_once_hands_every_run_the_same_spec_without_a_copy():
    """once's figures (pages/frame.py SharedFigure): st.plotly_chart gets the same dict every run,
    equal to what plotly itself would make, and in named tuples, tuples, lists and dicts alike."""
    from collections import namedtuple

    import plotly.graph_objects as go

    from pages.frame import SharedFigure, _shared

    figure = go.Figure(go.Bar(x=["郑州市", "开封市"], y=[3, 4]), layout={"title": {"text": "网报人数"}})
    pair = namedtuple("pair", "figure note")
    built = _shared({"charts": [figure], "pair": pair(figure, "说明"), "plain": (figure, 1)})
    for shared in (built["charts"][0], built["pair"].figure, built["plain"][0]):
        assert isinstance(shared, SharedFigure)
        assert shared.to_dict() is shared.to_dict()
        assert shared.to_dict() == figure.to_dict()
        assert shared.layout.title.text == "网报人数"  # still a figure for whoever reads it
    assert built["pair"].note == "说明" and built["plain"][1] == 1
    import copy

    before = copy.deepcopy(built["charts"][0].to_dict())
    copied = copy.deepcopy(built["charts"][0])  # a copy is a figure of its own, and leaves the spec as it was
    copied.update_layout(height=999)
    assert built["charts"][0].to_dict() == before and copied.layout.height == 999
