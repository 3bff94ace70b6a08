"""报送情况: the board's statuses worked by hand around the 2020 Dragon Boat holiday (06-25 Thu to 06-27
Sat off; Sunday 06-28 a make-up working day, so the report of Friday 06-26 is due on 06-28), on a small
warehouse whose files were received at known times; every version of a unit's table and what a
correction changed; data quality without personal data; the demo replayed as it arrived; and the
page as leadership and as a coordinator see it."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from domain import reporting
from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.idcard import check_digit
from domain.reporting import Submission
from etl.load import load_files
from queries import read
from tests.conftest import app_on
from tests.etl_files import APPLICANT_HEADER, PLAN_HEADER, PROGRESS_HEADER, SITES_HEADER, write_csv

C = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
D = dt.date
ZHOUKOU, LUOYANG, KAIFENG, ZHENGZHOU, ANYANG = "411600", "410300", "410200", "410100", "410500"


# ---- the rules (domain/reporting.py) -----------------------------------------------------------

def test_a_weekly_report_is_judged_report_by_report_around_the_holiday():
    on_time = [(D(2020, 6, 12), D(2020, 6, 12)), (D(2020, 6, 19), D(2020, 6, 19)), (D(2020, 6, 26), D(2020, 6, 28))]
    judged = reporting.weekly("progress", C, D(2020, 6, 30), on_time)
    assert (judged.state, judged.report, judged.missed, judged.late) == (Submission.ON_TIME, D(2020, 6, 26), 0, 0)
    monday = [*on_time[:2], (D(2020, 6, 26), D(2020, 6, 29))]  # as if the holiday moved it to Monday
    judged = reporting.weekly("progress", C, D(2020, 6, 30), monday)
    assert (judged.state, judged.overdue_working_days, judged.late) == (Submission.LATE, 1, 1)
    missing = on_time[:2]
    assert reporting.weekly("progress", C, D(2020, 6, 27), missing).state == Submission.ON_TIME  # 06-26's not due
    assert reporting.weekly("progress", C, D(2020, 6, 28), missing).state == Submission.NOT_DUE  # due today
    judged = reporting.weekly("progress", C, D(2020, 6, 29), missing)
    assert (judged.state, judged.due, judged.overdue_working_days, judged.missed) == (
        Submission.MISSING, D(2020, 6, 28), 1, 1)


def test_a_missed_report_stays_missing_from_the_first_one_missed():
    # 06-19 never came; 06-26's came early, on 06-24 (the last working day before the holiday), as of 06-24
    arrivals = [(D(2020, 6, 12), D(2020, 6, 12)), (D(2020, 6, 24), D(2020, 6, 24))]
    judged = reporting.weekly("progress", C, D(2020, 6, 30), arrivals)
    # 06-22, 06-23, 06-24, 06-28 (Sunday, worked), 06-29, 06-30
    assert (judged.state, judged.report, judged.overdue_working_days, judged.missed) == (
        Submission.MISSING, D(2020, 6, 19), 6, 1)


def test_registrations_are_due_weekly_until_the_report_after_the_window_closes():
    assert [day for day, _ in reporting.registration_reports(C)] == [D(2020, 6, 12), D(2020, 6, 19), D(2020, 6, 26),
                                                                     D(2020, 7, 3)]
    # one file covering the whole window, sent on 07-01: late for three reports, on time for the last
    judged = reporting.weekly("registrations", C, D(2020, 8, 21), [(D(2020, 6, 30), D(2020, 7, 1))])
    assert (judged.state, judged.report, judged.late) == (Submission.ON_TIME, D(2020, 7, 3), 3)
    # covering only up to 06-24 does not answer the report of 06-26
    judged = reporting.weekly("registrations", C, D(2020, 6, 29), [(D(2020, 6, 19), D(2020, 6, 19)),
                                                                  (D(2020, 6, 24), D(2020, 6, 28))])
    assert (judged.state, judged.report) == (Submission.MISSING, D(2020, 6, 26))


def test_plans_and_arrangements():
    assert reporting.plan(C, D(2020, 6, 30), D(2020, 5, 25), D(2020, 5, 20), "已报送").state == Submission.ON_TIME
    late = reporting.plan(C, D(2020, 6, 30), D(2020, 5, 25), D(2020, 5, 27), "已备案")
    assert (late.state, late.overdue_working_days) == (Submission.LATE, 2)
    assert reporting.plan(C, D(2020, 6, 30), D(2020, 5, 25), D(2020, 5, 20), "退回修改").state == Submission.ERRORS
    assert reporting.plan(C, D(2020, 6, 30), D(2020, 6, 2), None, "未报送").state == Submission.MISSING
    assert reporting.plan(C, D(2020, 6, 30), None, None, "已报送", file_received=D(2020, 6, 1)).state == \
        Submission.ON_TIME  # no date given: the file's arrival, before registration opened
    sites = reporting.arrangements(C, D(2020, 7, 3), D(2020, 6, 29), D(2020, 6, 30))
    assert (sites.state, sites.due, sites.overdue_working_days) == (Submission.LATE, D(2020, 6, 29), 1)
    assert reporting.arrangements(C, D(2020, 7, 3), D(2020, 7, 2), D(2020, 6, 30)).state == Submission.ON_TIME
    assert reporting.arrangements(C, D(2020, 7, 3), None, None).due == C.registration_end


def test_a_year_the_calendar_does_not_know_gives_no_count_and_no_failure():
    judged = reporting.plan(C, D(2020, 6, 30), D(2020, 5, 25), D(2027, 3, 1), "已报送")
    assert (judged.state, judged.overdue_working_days) == (Submission.LATE, None)


# ---- a small warehouse whose files arrived at known times ----------------------------------------

def at(day: dt.date, hour: int = 16) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def progress_line(region: str, as_of: dt.date, registered: int) -> list:
    return [region, as_of, registered, registered - 10, registered - 20, 0, 0, 0, 0, 0, 0]


def person(region_code: str, n: int) -> str:
    first17 = f"{region_code}19900101{n:03d}"
    return first17 + check_digit(first17)


def hand_files(folder: Path) -> dict[str, dt.datetime]:
    """The files of the hand-worked example, and when each was received."""
    files: dict[str, tuple[list, dt.datetime]] = {
        "周口_方案.csv": ([PLAN_HEADER, ["周口市", D(2020, 5, 20), D(2020, 5, 25), "已报送", ""]], at(D(2020, 5, 20))),
        "洛阳_方案.csv": ([PLAN_HEADER, ["洛阳市", D(2020, 5, 27), D(2020, 5, 25), "已备案", ""]], at(D(2020, 5, 27))),
        "周口_确认点.csv": ([SITES_HEADER, ["周口市", "周口市政务中心", D(2020, 7, 2), D(2020, 7, 10), 6, 12, 60]],
                         at(D(2020, 6, 30))),
        "洛阳_确认点.csv": ([SITES_HEADER, ["洛阳市", "洛阳市政务中心", D(2020, 6, 29), D(2020, 7, 8), 6, 12, 60]],
                         at(D(2020, 6, 30))),
        # a correction of 周口's 06-19 report, received the next Monday: 网报人数 100 → 120
        "周口_认定进度_0619_更正.csv": ([PROGRESS_HEADER, progress_line("周口市", D(2020, 6, 19), 120)],
                                 at(D(2020, 6, 22), 9)),
        # 安阳's 06-26 report, on time, with one row refused (a negative count)
        "安阳_认定进度_0626.csv": ([PROGRESS_HEADER, progress_line("安阳市", D(2020, 6, 26), 300),
                                progress_line("安阳县", D(2020, 6, 26), -5)], at(D(2020, 6, 28))),
        "周口_申请人明细.csv": ([APPLICANT_HEADER, ["2020411600000001", "张三", person("411602", 1), "13800000000",
                                                  "小学", "语文", "川汇区", D(2020, 6, 10)]], at(D(2020, 6, 30))),
        "开封_申请人明细.csv": ([APPLICANT_HEADER, ["2020410200000001", "张三", person("411602", 1), "13800000000",
                                                  "小学", "语文", "开封市", D(2020, 6, 11)]], at(D(2020, 6, 30))),
    }
    weekly = {  # region → {report day: when received (None: never)}
        "周口市": {D(2020, 6, 12): at(D(2020, 6, 12)), D(2020, 6, 19): at(D(2020, 6, 19)),
                D(2020, 6, 26): at(D(2020, 6, 28), 10)},
        "洛阳市": {D(2020, 6, 12): at(D(2020, 6, 12)), D(2020, 6, 19): at(D(2020, 6, 19)),
                D(2020, 6, 26): at(D(2020, 6, 29), 9)},  # Monday, as if the holiday moved it
        "开封市": {D(2020, 6, 12): at(D(2020, 6, 12)), D(2020, 6, 19): at(D(2020, 6, 19))},  # 06-26's never sent
        "郑州市": {D(2020, 6, 12): at(D(2020, 6, 12)), D(2020, 6, 24): at(D(2020, 6, 24))},  # 06-19's never sent;
        "安阳市": {D(2020, 6, 12): at(D(2020, 6, 12)), D(2020, 6, 19): at(D(2020, 6, 19))},  # 06-26's as of 06-24
    }
    for region, reports in weekly.items():
        for day, received in reports.items():
            files[f"{region}_认定进度_{day:%m%d}.csv"] = ([PROGRESS_HEADER, progress_line(region, day, 100)], received)
    times = {}
    for name, (lines, received) in files.items():
        write_csv(folder / name, lines)
        times[name] = received
    return times


@pytest.fixture(scope="module")
def hand_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hand")
    times = hand_files(folder)
    db = folder / "warehouse.duckdb"
    # in the order received, so a correction is loaded after what it corrects
    paths = sorted((folder / name for name in times), key=lambda p: times[p.name])
    result = load_files(paths, db, received_at=lambda p: times[p.name], received_by="测试")
    assert [f.status for f in result.files if f.status != "loaded"] == ["partial"]
    return db


def board(db: Path, as_of: dt.date, scope: str = "410000", allowed: str = "410000") -> pd.DataFrame:
    return read.submission_board.as_scope(allowed, Path(os.path.realpath(db)), scope, as_of, C)


def cell(frame: pd.DataFrame, region: str, table: str):
    return frame[(frame["unit_code"] == region) & (frame["tbl"] == table)].iloc[0]


def test_the_board_on_the_tuesday_after_the_holiday(hand_warehouse):
    b = board(hand_warehouse, D(2020, 6, 30))
    expected = {  # (state, working days overdue, weekly report judged, missed, late), worked by hand
        ZHOUKOU: ("on_time", 0, D(2020, 6, 26), 0, 0),
        LUOYANG: ("late", 1, D(2020, 6, 26), 0, 1),  # 06-29
        KAIFENG: ("missing", 2, D(2020, 6, 26), 1, 0),  # 06-29, 06-30
        ZHENGZHOU: ("missing", 6, D(2020, 6, 19), 1, 0),  # 06-22, 06-23, 06-24, 06-28, 06-29, 06-30
        ANYANG: ("errors", 2, D(2020, 6, 26), 0, 0),  # its 06-26 report has a refused row
    }
    for region, (state, overdue, report, missed, late) in expected.items():
        row = cell(b, region, "progress")
        assert (row.state, row.overdue, row.report, row.missed, row.late) == (state, overdue, report, missed, late), \
            region
    assert cell(b, ZHOUKOU, "plan").state == "on_time"
    assert (cell(b, LUOYANG, "plan").state, cell(b, LUOYANG, "plan").overdue) == ("late", 2)  # 05-26, 05-27
    assert cell(b, ZHOUKOU, "sites").state == "on_time"  # in by 06-30, confirmation starts 07-02
    assert (cell(b, LUOYANG, "sites").state, cell(b, LUOYANG, "sites").overdue) == ("late", 1)  # started 06-29
    assert cell(b, "410482", "progress").state == "missing"  # 汝州 sent nothing
    assert list(b["severity"]) == sorted(b["severity"])  # worst first


def test_the_holiday_report_is_not_late_before_its_moved_due_date(hand_warehouse):
    saturday, sunday, monday = (board(hand_warehouse, D(2020, 6, day)) for day in (27, 28, 29))
    assert cell(saturday, KAIFENG, "progress").state == "on_time"  # judged on 06-19's: 06-26's not due yet
    assert cell(sunday, KAIFENG, "progress").state == "not_due"  # due today, the make-up working day
    assert (cell(monday, KAIFENG, "progress").state, cell(monday, KAIFENG, "progress").overdue) == ("missing", 1)
    assert cell(sunday, ZHOUKOU, "progress").state == "on_time"  # sent on Sunday 06-28
    assert cell(saturday, LUOYANG, "progress").state == "on_time"


def test_a_city_view_lists_the_city_and_its_counties(hand_warehouse):
    b = board(hand_warehouse, D(2020, 6, 30), scope=ANYANG)
    units = set(b["unit_code"])
    assert ANYANG in units and "410522" in units and LUOYANG not in units  # 安阳县 is a county of 安阳市
    assert cell(b, ANYANG, "progress").state == "errors"  # the city sent the file with the refused row
    assert cell(b, "410522", "progress").state == "missing"  # its row was refused: never arrived
    assert not ((b["unit_code"] == "410522") & (b["tbl"] == "plan")).any()  # a county's plan is its city's


def test_a_coordinator_gets_nothing_outside_their_region(hand_warehouse):
    version = Path(os.path.realpath(hand_warehouse))
    assert board(hand_warehouse, D(2020, 6, 30), scope=LUOYANG, allowed=ZHOUKOU).empty
    mine = board(hand_warehouse, D(2020, 6, 30), scope=ZHOUKOU, allowed=ZHOUKOU)
    assert set(mine["unit_code"]) <= {ZHOUKOU} | {f"4116{n:02d}" for n in range(100)}
    assert read.submission_versions.as_scope(ZHOUKOU, version, LUOYANG, "progress").empty
    assert read.submission_changes.as_scope(ZHOUKOU, version, LUOYANG, "progress", 10**6).empty
    for kind in ("warnings", "rejected"):
        assert read.quality_problems.as_scope(ZHOUKOU, version, ANYANG, kind).empty
    assert read.shared_people.as_scope(ZHOUKOU, version, KAIFENG).empty
    assert not read.shared_people.as_scope(KAIFENG, version, KAIFENG).empty
    assert read.quality_problems.as_scope(ANYANG, version, ANYANG, "rejected")["message"].str.contains("负数").any()


def test_every_version_and_what_a_correction_changed(hand_warehouse):
    version = Path(os.path.realpath(hand_warehouse))
    versions = read.submission_versions.as_scope(ZHOUKOU, version, ZHOUKOU, "progress")
    assert [Path(f).name for f in versions["file"]] == ["周口市_认定进度_0626.csv", "周口_认定进度_0619_更正.csv",
                                                        "周口市_认定进度_0619.csv", "周口市_认定进度_0612.csv"]
    assert list(versions["current"]) == [True, True, False, True]  # the first 06-19 report was replaced
    correction = int(versions["load_seq"].iloc[1])
    changes = read.submission_changes.as_scope(ZHOUKOU, version, ZHOUKOU, "progress", correction)
    assert changes[["row_key", "field", "before", "after", "change"]].values.tolist() == [
        ["2020-06-19", "网报人数", "100", "120", "changed"], ["2020-06-19", "已预约", "90", "110", "changed"],
        ["2020-06-19", "已现场确认", "80", "100", "changed"]]
    new_week = read.submission_changes.as_scope(ZHOUKOU, version, ZHOUKOU, "progress", int(versions["load_seq"][0]))
    assert set(new_week["change"]) == {"added"}


def test_one_person_in_two_regions_is_a_count_per_pair_and_nothing_personal(hand_warehouse):
    version = Path(os.path.realpath(hand_warehouse))
    province = read.shared_people.as_scope("410000", version, "410000")
    assert province[["name", "other_name", "people"]].values.tolist() == [["开封市", "周口市", 1]]
    zhoukou = read.shared_people.as_scope(ZHOUKOU, version, ZHOUKOU)  # its county, and a region it may not see
    assert zhoukou["name"].tolist() == ["川汇区"] and zhoukou["other_name"].isna().all()
    shown = province.to_csv() + zhoukou.to_csv()
    assert person("411602", 1) not in shown and "张三" not in shown and "hash" not in shown


# ---- the page --------------------------------------------------------------------------------

@pytest.fixture
def open_hand(hand_warehouse, accounts, monkeypatch):
    return app_on(hand_warehouse, accounts, monkeypatch)


def frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def test_the_page_shows_the_board_as_worked_by_hand(open_hand):
    at = open_hand("pages/submissions.py", as_of=D(2020, 6, 30))
    assert not at.exception
    board_frame = frames(at)[0]
    rows = {(r["单位"], r["报表"]): r for _, r in board_frame.iterrows()}
    assert rows[("开封市", "认定进度")]["状态"] == "未报送" and rows[("开封市", "认定进度")]["逾期工作日"] == 2
    assert rows[("洛阳市", "认定进度")]["状态"] == "逾期" and rows[("洛阳市", "认定进度")]["应报日期"] == "2020-06-28"
    assert rows[("周口市", "认定进度")]["状态"] == "按时"
    assert rows[("安阳市", "认定进度")]["状态"] == "有错误待更正"
    assert rows[("郑州市", "认定进度")]["历次周报"] == "漏报 1 期，晚报 0 期"
    reminder = at.code[0].value
    assert "开封市：认定进度自 2020-06-26 那期起漏报 1 期（已逾期 2 个工作日）" in reminder
    assert "安阳市：认定进度有被拒收的行待更正（文件“安阳_认定进度_0626.csv”）" in reminder
    assert "洛阳市：认定进度" not in reminder  # late, but in: nothing to chase
    assert {m.label: m.value for m in at.metric}["逾期"] == f"{(board_frame['状态'] == '逾期').sum():,}"


def test_the_board_filters_by_status_and_table(open_hand):
    at = open_hand("pages/submissions.py", as_of=D(2020, 6, 30))
    at.multiselect(key="board-states").set_value(["late"])
    at.multiselect(key="board-tables").set_value(["progress"])
    at.run()
    shown = frames(at)[0]
    assert set(shown["状态"]) == {"逾期"} and set(shown["报表"]) == {"认定进度"}
    assert shown["单位"].tolist() == ["洛阳市"]


def test_the_history_tab_shows_a_correction_side_by_side(open_hand, hand_warehouse):
    versions = read.submission_versions.as_scope(ZHOUKOU, Path(os.path.realpath(hand_warehouse)), ZHOUKOU, "progress")
    correction = int(versions[versions["file"].str.contains("更正")]["load_seq"].iloc[0])
    at = open_hand("pages/submissions.py", as_of=D(2020, 6, 30))
    at.selectbox(key="history-unit@zh").set_value(ZHOUKOU)
    at.run()
    at.selectbox(key="history-table@zh").set_value("progress")
    at.run()
    assert "周口_认定进度_0619_更正.csv" in frames(at)[2].to_csv()  # every version received
    at.selectbox(key="history-version@zh").set_value(correction)
    at.run()
    changes = next(f for f in frames(at) if "原值" in f.columns)
    assert changes[["哪一行", "项目", "原值", "新值", "变化"]].values.tolist()[0] == [
        "2020-06-19", "网报人数", "100", "120", "修改"]


def test_a_coordinator_sees_their_city_and_counties_only(open_hand):
    at = open_hand("pages/submissions.py", user="zk", as_of=D(2020, 6, 30))
    assert not at.exception
    shown = " ".join(f.to_csv() for f in frames(at)) + " ".join(c.value for c in at.code)
    assert "周口市" in shown
    for other in ("洛阳", "开封", "郑州", "安阳", "汝州"):
        assert other not in shown, other
    assert "其他地区" in shown  # the person also in 开封's list, without naming 开封


def test_a_region_forced_into_the_session_shows_nothing_of_it(open_hand):
    at = open_hand("pages/submissions.py", user="zk", region=LUOYANG, as_of=D(2020, 6, 30))
    shown = " ".join(f.to_csv() for f in frames(at)) + " ".join(c.value for c in at.code)
    assert "周口市" in shown and "洛阳" not in shown


def test_a_county_coordinator_sees_their_county_alone(open_hand):
    at = open_hand("pages/submissions.py", user="tk", as_of=D(2020, 6, 30))
    assert set(frames(at)[0]["单位"]) == {"太康县"}


def test_the_page_in_english(open_hand):
    at = open_hand("pages/submissions.py", as_of=D(2020, 6, 30), lang="en")
    assert not at.exception
    board_frame = frames(at)[0]
    assert "Status" in board_frame.columns and "Not sent" in set(board_frame["Status"])


# ---- the demo, replayed as it arrived ------------------------------------------------------------

def test_the_demo_replayed_as_it_arrived_is_mostly_on_time_with_its_planted_problems(replayed_warehouse):
    db, _ = replayed_warehouse
    b = board(db, D(2020, 8, 21))
    share = (b["state"] == "on_time").mean()
    assert share > 0.8, b["state"].value_counts()
    assert set(b[b["unit_code"] == "410482"]["state"]) == {"missing"}  # 汝州 sends nothing
    assert cell(b, "411628", "progress").state == "missing"  # 鹿邑 stops reporting after 07-10
    assert cell(b, "411628", "progress").report == D(2020, 7, 17)
    assert cell(b, "411729", "plan").state == "missing"  # 新蔡 never sent its plan
    assert cell(b, "411400", "plan").state == "late"  # 商丘 sent it after its announcement
    assert cell(b, "410225", "plan").state == "errors"  # 兰考's was returned for revision
    assert cell(b, "410300", "registrations").state == "errors"  # 洛阳's negative count, never corrected
    # the Dragon Boat report sent on Monday 06-29 by two regions (due Sunday 06-28), one two days late
    assert {r: cell(b, r, "progress").late for r in ("410600", "411481", "411400", "411600")} == {
        "410600": 1, "411481": 1, "411400": 1, "411600": 0}
    holiday = board(db, D(2020, 6, 29))
    assert cell(holiday, "410600", "progress").state == "late"
    assert cell(holiday, "411600", "progress").state == "on_time"
