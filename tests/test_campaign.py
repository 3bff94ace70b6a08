"""Campaign settings files (data/campaigns/*.toml)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from domain.calendar import CalendarNotCovered
from domain.campaign import CAMPAIGNS_DIR, CampaignFileError, list_campaigns, load_campaign

D = dt.date
H1 = CAMPAIGNS_DIR / "2020H1.toml"
H1_TEXT = H1.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def h1():
    return load_campaign(H1)


def _write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _replace(old: str, new: str) -> str:
    assert old in H1_TEXT, old
    return H1_TEXT.replace(old, new, 1)


# ---- the 2020 first-half file ------------------------------------------------------------

def test_2020h1_identity(h1):
    assert h1.id == "2020H1"
    assert h1.notice == "教办师〔2020〕81号"
    assert h1.province_code == "410000"


def test_2020h1_dates_and_limits_from_the_notice(h1):
    # 三(二)2: 网上报名时间为 6 月 8 日至 6 月 30 日; 现场确认不得少于 5 个工作日.
    assert h1.registration_start == D(2020, 6, 8)
    assert h1.registration_end == D(2020, 6, 30)
    assert h1.min_confirmation_working_days == 5
    # 三(二)3: 30 个工作日内作出结论; 8月20日前全部完成.
    assert h1.decision_within_working_days == 30
    assert h1.final_date == D(2020, 8, 20)


def test_2020h1_risk_settings(h1):
    assert h1.risk.at_risk_slack_working_days == 3
    assert h1.risk.at_risk_utilisation == 0.9
    assert isinstance(h1.risk.at_risk_utilisation, float)
    assert h1.default_daily_per_window == 60


def test_report_dates_are_the_fridays(h1):
    # Fridays from 06-12 to 08-21: 06-12, 19, 26, 07-03, 10, 17, 24, 31, 08-07, 14, 21 → 11.
    dates = h1.report_dates()
    assert dates == [
        D(2020, 6, 12), D(2020, 6, 19), D(2020, 6, 26), D(2020, 7, 3), D(2020, 7, 10),
        D(2020, 7, 17), D(2020, 7, 24), D(2020, 7, 31), D(2020, 8, 7), D(2020, 8, 14),
        D(2020, 8, 21),
    ]
    assert len(dates) == 11


def test_2020h1_calendar_is_statutory(h1):
    # Sunday 06-28 worked, 06-25 Dragon Boat off; 06-24..06-30 → 4 working days.
    assert h1.calendar.is_working_day(D(2020, 6, 28))
    assert not h1.calendar.is_working_day(D(2020, 6, 25))
    assert h1.calendar.working_days_between(D(2020, 6, 24), D(2020, 6, 30)) == 4


def test_list_campaigns_finds_2020h1():
    assert H1 in list_campaigns()


# ---- broken files --------------------------------------------------------------------------

def test_missing_file(tmp_path):
    with pytest.raises(CampaignFileError) as err:
        load_campaign(tmp_path / "2021H1.toml")
    assert "2021H1.toml" in str(err.value)
    assert "不存在" in str(err.value)


def test_bad_toml_syntax_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, _replace("min_working_days = 5", "min_working_days = = 5"))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    message = str(err.value)
    assert "broken.toml" in message
    assert "格式错误" in message
    line = H1_TEXT.splitlines().index("min_working_days = 5") + 1
    assert f"line {line}" in message


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes(H1_TEXT.encode("gb18030"))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    assert "gbk.toml" in str(err.value)


def test_missing_setting_names_file_and_setting(tmp_path):
    path = _write(tmp_path, _replace("within_working_days = 30\n", ""))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    message = str(err.value)
    assert "broken.toml" in message
    assert "缺少设置项" in message
    assert "decision.within_working_days" in message


def test_missing_section_names_the_setting(tmp_path):
    text = re.sub(r"\[final\][^\n]*\ndate = 2020-08-20\n", "", H1_TEXT)
    assert text != H1_TEXT
    with pytest.raises(CampaignFileError) as err:
        load_campaign(_write(tmp_path, text))
    assert "final.date" in str(err.value)


def test_string_for_an_integer_setting(tmp_path):
    path = _write(tmp_path, _replace("min_working_days = 5", 'min_working_days = "5"'))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    message = str(err.value)
    assert "broken.toml" in message
    assert "confirmation.min_working_days" in message
    assert "整数" in message


def test_boolean_is_not_an_integer(tmp_path):
    path = _write(tmp_path, _replace("within_working_days = 30", "within_working_days = true"))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    assert "decision.within_working_days" in str(err.value)


def test_string_for_a_date_setting(tmp_path):
    path = _write(tmp_path, _replace("date = 2020-08-20", 'date = "8月20日"'))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    message = str(err.value)
    assert "final.date" in message
    assert "日期" in message


def test_integer_accepted_for_a_float_setting(tmp_path):
    path = _write(tmp_path, _replace("at_risk_utilisation = 0.9", "at_risk_utilisation = 1"),
                  "ok.toml")
    assert load_campaign(path).risk.at_risk_utilisation == 1.0


def test_registration_end_before_start(tmp_path):
    path = _write(tmp_path, _replace("end = 2020-06-30", "end = 2020-06-01"))
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    message = str(err.value)
    assert "broken.toml" in message
    assert "registration.end" in message
    assert "registration.start" in message


def test_calendar_dates_of_another_year_rejected(tmp_path):
    path = _write(tmp_path, H1_TEXT + "\n[calendar.2027]\nholidays = [2026-01-01]\n")
    with pytest.raises(CampaignFileError) as err:
        load_campaign(path)
    assert "calendar.2027.holidays" in str(err.value)


@pytest.mark.parametrize("extra", [
    'calendar = "none"\n',                          # not a table
    "[calendar.2027]\nholidays = 2027-01-01\n",      # a date, not a list of dates
    "[calendar.2027]\nworkdays = [\"2027-02-07\"]\n",  # strings, not dates
    "[calendar.2027]\nholidays = [2027-01-01T00:00:00]\n",  # a date-time never equals a day
])
def test_malformed_calendar_section(tmp_path, extra):
    # `calendar = ...` must go before the first table to be a top-level key.
    text = extra + H1_TEXT if extra.startswith("calendar =") else H1_TEXT + "\n" + extra
    with pytest.raises(CampaignFileError) as err:
        load_campaign(_write(tmp_path, text))
    assert "broken.toml" in str(err.value)
    assert "calendar" in str(err.value)


# ---- calendars for years chinesecalendar does not know -------------------------------------------

def test_calendar_2027_section_is_honoured(tmp_path):
    text = H1_TEXT + "\n[calendar.2027]\nholidays = [2027-01-01]\nworkdays = [2027-02-07]\n"
    campaign = load_campaign(_write(tmp_path, text, "with2027.toml"))
    cal = campaign.calendar
    assert cal.is_working_day(D(2027, 1, 1)) is False   # declared holiday (a Friday)
    assert cal.is_working_day(D(2027, 2, 7)) is True    # declared workday (a Sunday)
    assert cal.is_working_day(D(2027, 1, 4)) is True    # ordinary Monday
    # Without the section the same question is refused.
    with pytest.raises(CalendarNotCovered):
        load_campaign(H1).calendar.is_working_day(D(2027, 1, 4))


# ---- next half-year is a new file -------------------------------------------------------------

H2_TEXT = (
    H1_TEXT.replace('id = "2020H1"', 'id = "2020H2"')
    .replace("start = 2020-06-08", "start = 2020-10-20")
    .replace("end = 2020-06-30", "end = 2020-11-06")
    .replace("min_working_days = 5", "min_working_days = 7")
    .replace("within_working_days = 30", "within_working_days = 25")
    .replace("date = 2020-08-20", "date = 2020-12-31")
    .replace("first_report = 2020-06-12", "first_report = 2020-10-23")
    .replace("last_report = 2020-08-21", "last_report = 2020-12-25")
)


def test_second_campaign_file_loads_with_its_own_dates(tmp_path):
    h2 = load_campaign(_write(tmp_path, H2_TEXT, "2020H2.toml"))
    assert h2.id == "2020H2"
    assert (h2.registration_start, h2.registration_end) == (D(2020, 10, 20), D(2020, 11, 6))
    assert h2.min_confirmation_working_days == 7
    assert h2.decision_within_working_days == 25
    assert h2.final_date == D(2020, 12, 31)
    # Fridays 10-23 .. 12-25: Oct 23, 30; Nov 6, 13, 20, 27; Dec 4, 11, 18, 25 → 10.
    dates = h2.report_dates()
    assert dates[0] == D(2020, 10, 23) and dates[-1] == D(2020, 12, 25)
    assert len(dates) == 10
    assert h2 != load_campaign(H1)
    assert list_campaigns(tmp_path) == [tmp_path / "2020H2.toml"]


# ---- an earlier campaign's registrations (R4's expected demand) ------------------------------

EARLIER = """
[earlier]
label = "2019年下半年"
start = 2019-09-02
end = 2019-09-11
registrations = "2019H2-registrations.csv"
"""


def _with_earlier(tmp_path: Path, rows: str) -> Path:
    (tmp_path / "2019H2-registrations.csv").write_text("region_code,date,registered\n" + rows, encoding="utf-8-sig")
    return _write(tmp_path, H1_TEXT + EARLIER, "2020H1.toml")


def test_an_earlier_campaign_gives_each_region_its_curve_and_the_province_the_sum(tmp_path):
    # 郑州 registered 400 on the first day and 100 a day after (a front-loaded window): 40 % by day 1,
    # 76 % by day 6; 开封 evenly. The province is their sum.
    rows = "".join(f"410100,2019-09-{d:02d},{400 if d == 2 else 100}\n" for d in range(2, 12))
    rows += "".join(f"410200,2019-09-{d:02d},50\n" for d in range(2, 12))
    earlier = load_campaign(_with_earlier(tmp_path, rows)).earlier
    assert earlier.label == "2019年下半年"
    assert earlier.shares["410100"][0] == pytest.approx(400 / 1300)
    assert earlier.shares["410100"][5] == pytest.approx(900 / 1300)
    assert earlier.shares["410200"][4] == pytest.approx(0.5)
    assert earlier.shares["410000"][-1] == 1.0
    assert earlier.share_at(("411000", "410100"), 0.5) == pytest.approx(800 / 1300)  # no 许昌 curve: 郑州's
    assert earlier.share_at(("411000",), 0.5) is None


def test_a_bad_earlier_file_is_named_with_its_line(tmp_path):
    with pytest.raises(CampaignFileError, match=r"2019H2-registrations.csv 第 3 行.*2019-10-01"):
        load_campaign(_with_earlier(tmp_path, "410100,2019-09-02,5\n410100,2019-10-01,5\n"))
    with pytest.raises(CampaignFileError, match=r"第 2 行：日期或人数无法识别"):
        load_campaign(_with_earlier(tmp_path, "410100,九月二日,5\n"))
    (tmp_path / "2019H2-registrations.csv").unlink()
    with pytest.raises(CampaignFileError, match=r"earlier\.registrations 指向的文件不存在"):
        load_campaign(_write(tmp_path, H1_TEXT + EARLIER, "2020H1.toml"))


def test_expected_demand_uses_the_earlier_campaigns_share_where_one_is_loaded(tmp_path):
    # The earlier window was front-loaded (40 % on its first day of ten). This year 郑州 has 500 after
    # 3 of 23 days: at the same point (13 %, day 1 of 10) the earlier campaign had 400/1300 → 500 ÷ 0.31
    # = 1,625, where the average pace would not project yet. 开封 (even then) has 100 on day 12 of 23
    # (52 % → day 5 of 10, 50 %) → 200. 许昌 has no curve: the province's (the sum of both).
    from domain.rules import expected_demand

    rows = "".join(f"410100,2019-09-{d:02d},{400 if d == 2 else 100}\n" for d in range(2, 12))
    rows += "".join(f"410200,2019-09-{d:02d},50\n" for d in range(2, 12))
    campaign = load_campaign(_with_earlier(tmp_path, rows))
    assert expected_demand({D(2020, 6, 8): 500}, campaign, D(2020, 6, 10), ("410100",)) == (1625, "earlier")
    assert expected_demand({D(2020, 6, 8): 100}, campaign, D(2020, 6, 19), ("410200",)) == (200, "earlier")
    # province by day 5 of 10: (400 + 4×100 + 5×50) / 1,800 = 58 % → 100 ÷ 0.583 = 171.4 → 172
    assert expected_demand({D(2020, 6, 8): 100}, campaign, D(2020, 6, 19), ("411000",)) == (172, "earlier")
    # after registration closes: what registered; without an earlier campaign: the average pace
    assert expected_demand({D(2020, 6, 8): 500}, campaign, D(2020, 7, 1), ("410100",)) == (500, "registered")
    assert expected_demand({D(2020, 6, 8): 500}, load_campaign(H1), D(2020, 6, 10), ("410100",)) == (500, "so_far")
