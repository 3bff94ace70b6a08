"""The query interface of CONTRACT.md §5 on the whole demo campaign: the columns
the contract names, totals that count every unit once, and deadline risk that
finds every planted situation (and flags nothing the demo did not plant)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from domain.regions import load_units

UNITS = load_units()
CONTRACT_COLUMNS = {
    "regions": ["region_code", "name", "short_name", "kind", "parent_code"],
    "registrations_daily": ["region_code", "date", "qualification", "registrations"],
    "progress_latest": ["region_code", "as_of", "registered", "booked", "confirmed", "examined", "record_checked",
                        "approved", "rejected", "printed", "issued"],
    "confirmation_capacity": ["region_code", "start_date", "end_date", "working_days", "windows", "daily_capacity",
                              "capacity", "demand", "utilisation"],
    "plan_status": ["region_code", "plan_submitted_on", "announced_on", "status", "submitted_before_announcement"],
    "deadline_risk": ["region_code", "milestone", "due_date", "projected_date", "slack_working_days", "level"],
    "load_log": ["file", "sha256", "received_at", "status", "rows_read", "rows_loaded", "rows_rejected"],
    "rejected_rows": ["file", "sheet", "row", "column", "value", "message"],
}


@pytest.fixture(scope="module")
def con(demo_warehouse):
    db, _ = demo_warehouse
    connection = duckdb.connect(str(db), read_only=True)
    yield connection
    connection.close()


def rows(con, sql: str, params=()) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


@pytest.mark.parametrize("view", CONTRACT_COLUMNS)
def test_every_view_has_the_contract_columns_in_order(con, view):
    columns = [c[0] for c in con.execute(f"select * from {view} limit 0").description]
    assert columns[: len(CONTRACT_COLUMNS[view])] == CONTRACT_COLUMNS[view]


def test_regions_have_reporting_parents(con):
    assert rows(con, "select count(*) from regions") == [(176,)]
    assert rows(con, "select parent_code from regions where region_code = '410225'") == [("410000",)]  # 兰考
    assert rows(con, "select count(*) from regions where parent_code = '410000'") == [(28,)]


def test_a_city_total_is_its_own_rows_plus_its_counties_and_never_a_direct_county(con):
    city = rows(con, """select sum(r.registrations) from registrations_daily r join regions g using (region_code)
                        where g.region_code = '410200' or g.parent_code = '410200'""")[0][0]
    lankao = rows(con, "select sum(registrations) from registrations_daily where region_code = '410225'")[0][0]
    everything = rows(con, "select sum(registrations) from registrations_daily")[0][0]
    by_reporting_unit = rows(con, """
        select sum(r.registrations) from registrations_daily r join regions g using (region_code)
        where g.parent_code = '410000' or g.parent_code in
              (select region_code from regions where kind = 'city')""")[0][0]
    assert city > 0 and lankao > 0
    assert by_reporting_unit == everything  # every unit counted exactly once


def test_capacity_is_working_days_times_windows_times_throughput(con):
    site = rows(con, """select working_days, windows, daily_capacity, capacity, start_date, end_date
                        from confirmation_capacity where region_code = '410800'""")
    assert site[0][4:] == (dt.date(2020, 6, 24), dt.date(2020, 6, 30))
    assert site[0][0] == 4  # 06-24, 06-28 (Sunday, worked), 06-29, 06-30
    assert site[0][3] == site[0][0] * site[0][2]
    over = rows(con, """select region_code from confirmation_capacity group by region_code
                        having max(utilisation) > 1 order by 1""")
    assert over == [("410100",), ("411300",)]


def test_plan_status_lists_all_28_and_finds_the_late_and_the_missing(con):
    assert rows(con, "select count(*) from plan_status") == [(28,)]
    assert rows(con, """select region_code, status from plan_status where not submitted_before_announcement
                        order by 1""") == [("411400", "已备案"), ("411729", "未报送")]


def risk(con, code: str, milestone: str, as_of: dt.date | None = None) -> str:
    if as_of is None:
        return rows(con, "select level from deadline_risk where region_code = ? and milestone = ?",
                    [code, milestone])[0][0]
    return rows(con, "select level from risk_by_day where as_of = ? and region_code = ? and milestone = ?",
                [as_of, code, milestone])[0][0]


def test_deadline_risk_covers_every_reporting_region_and_milestone(con):
    assert rows(con, "select count(*), count(distinct region_code), min(as_of), max(as_of) from deadline_risk") == \
        [(28 * 7, 28, dt.date(2020, 8, 21), dt.date(2020, 8, 21))]


@pytest.mark.parametrize(("code", "milestone"), [
    ("411400", "R1_plan"),  # 商丘: plan sent after the announcement
    ("411729", "R1_plan"),  # 新蔡: plan never sent, announcement out
    ("410800", "R3_confirmation_length"),  # 焦作: 4 working days
    ("410100", "R4_capacity"), ("411300", "R4_capacity"),  # 郑州, 南阳: demand above capacity
    ("411600", "R6_decisions"), ("411600", "R7_final"),  # 周口: behind pace
])
def test_planted_situations_are_late(con, code, milestone):
    assert risk(con, code, milestone) == "late"


def test_a_region_that_stopped_reporting_is_not_on_track(con):
    assert risk(con, "411628", "R7_final") == "late"  # 鹿邑: nothing since 07-10
    assert risk(con, "411628", "R7_final", dt.date(2020, 7, 10)) == "on_track"


def test_the_slow_region_is_flagged_before_the_deadline(con):
    assert risk(con, "411600", "R6_decisions", dt.date(2020, 8, 7)) in ("late", "at_risk")
    assert risk(con, "410300", "R6_decisions", dt.date(2020, 8, 7)) in ("on_track", "done")


def test_regions_without_planted_problems_finish_on_time(con):
    planted = {"411400", "411729", "410800", "410100", "411300", "411600", "411628", "410225"}
    trouble = rows(con, "select distinct region_code from deadline_risk where level in ('late', 'at_risk')")
    assert {c for (c,) in trouble} <= planted
    assert rows(con, "select level from deadline_risk where region_code = '410300'") == [("done",)] * 7


def test_before_any_report_nothing_is_on_track_by_default(con):
    """On the first day of registration no progress exists: R5–R7 are no_data, never on_track."""
    levels = rows(con, """select distinct level from risk_by_day where as_of = '2020-06-08'
                          and milestone in ('R5_record_checks', 'R6_decisions', 'R7_final')""")
    assert levels == [("no_data",)]


def test_load_log_accounts_for_every_row(con, demo_warehouse):
    _, result = demo_warehouse
    assert rows(con, "select count(*) from load_log where rows_read <> rows_loaded + rows_rejected") == [(0,)]
    statuses = dict(rows(con, "select status, count(*) from load_log group by 1"))
    assert statuses["rejected"] == 1  # the password-protected copy
    assert statuses["partial"] >= 8
    rejected = rows(con, "select count(*) from rejected_rows where sheet <> ''")[0][0]
    assert rejected == sum(len([e for e in f.errors if e.sheet]) for f in result.files)


def test_one_person_registered_in_two_regions_is_found(con):
    assert rows(con, "select regions, region_codes from people_in_several_regions") == [(2, ["410600", "411100"])]
