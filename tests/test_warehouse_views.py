"""The query interface of CONTRACT.md §5 on the whole demo campaign: the columns
the contract names, totals that count every unit once, and deadline risk that
finds every planted situation (and flags nothing the demo did not plant)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from domain.regions import load_units

UNITS = load_units()
# plants of bad cells and warnings: the rows are rejected or flagged, the region's rules unaffected
ROW_PLANTS = {"negative_count", "fractional_count", "impossible_date", "unknown_region", "unknown_kind",
              "duplicate_key", "outside_registration_window", "total_mismatch", "end_before_start",
              "confirmed_exceeds_registered", "issued_exceeds_approved", "bad_id_check_digit", "registered_twice",
              "password_protected"}
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
    assert over == [("410100",), ("410223",), ("411300",)]  # 尉氏县 on its own sites


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
    # 鹿邑: nothing since 07-10 — 有风险, said as stale, not judged on old figures
    assert rows(con, "select level, reason from deadline_risk where region_code = '411628' and milestone = 'R7_final'"
                ) == [("at_risk", "r7_stale")]
    assert risk(con, "411628", "R7_final", dt.date(2020, 7, 10)) == "on_track"
    assert rows(con, "select last_report, missed from silence_by_day where as_of = '2020-08-21' "
                     "and region_code = '411628'") == [(dt.date(2020, 7, 10), 6)]


def test_the_slow_region_is_flagged_before_the_deadline(con):
    assert risk(con, "411600", "R6_decisions", dt.date(2020, 8, 7)) in ("late", "at_risk")
    assert risk(con, "410300", "R6_decisions", dt.date(2020, 8, 7)) in ("on_track", "done")


def test_regions_without_planted_problems_finish_on_time(con, demo_files):
    import json

    manifest = json.loads((demo_files / "manifest.json").read_text(encoding="utf-8"))
    planted = {UNITS.reporting_root(p["region_code"]).code for p in manifest["planted"]
               if p["kind"] not in ROW_PLANTS}
    planted |= {o["region_code"] for o in manifest["outcomes"] if o["late"]} | {"410225"}  # 兰考: plan returned
    trouble = rows(con, "select distinct region_code from deadline_risk where level in ('late', 'at_risk')")
    assert {c for (c,) in trouble} <= planted
    assert rows(con, "select level from deadline_risk where region_code = '410300'") == [("done",)] * 7


def test_before_any_report_nothing_is_on_track_by_default(con):
    """On the first day of registration no progress exists: R5–R7 are no_data, never on_track — but a
    unit whose sites are planned after the final date cannot finish, and says so that day (固始县)."""
    levels = rows(con, """select distinct level from risk_by_day where as_of = '2020-06-08'
                          and milestone in ('R5_record_checks', 'R6_decisions', 'R7_final')
                          and region_code <> '411525'""")
    assert levels == [("no_data",)]
    assert rows(con, """select distinct state, reason like '%_impossible' from risk_by_day where as_of = '2020-06-08'
                        and milestone in ('R5_record_checks', 'R6_decisions', 'R7_final')
                        and region_code = '411525'""") == [("projected_late", True)]


def test_each_rule_is_judged_for_the_unit_that_does_the_work(con):
    """开封市's own sites span 10 working days and hold its demand; its counties 杞县 (4 working days)
    and 尉氏县 (over its own capacity) confirm on their own sites: 开封市's R3 and R4 are theirs, named."""
    found = dict(((m, (unit, state)) for m, unit, state in rows(con, """
        select milestone, unit_code, state from deadline_risk where region_code = '410200'""")))
    assert found["R3_confirmation_length"] == ("410221", "fails")
    assert found["R4_capacity"] == ("410223", "fails")
    own = dict(rows(con, """select milestone, state from risk_by_unit_day where as_of = '2020-08-21'
                            and unit_code = '410200' and milestone in ('R3_confirmation_length', 'R4_capacity')"""))
    assert own == {"R3_confirmation_length": "done", "R4_capacity": "done"}
    # the view's utilisation is the unit's, the same as the rule's
    assert rows(con, "select distinct round(utilisation, 3) > 1 from confirmation_capacity where region_code = '410223'"
                ) == [(True,)]


def test_late_finish_slow_start_and_silence(con):
    """三门峡 finishes its decisions after the due date: 逾期完成, never 已完成. 邓州 starts late and
    finishes in time: never called late. 汝州 sends nothing: its plan is overdue once registration opens,
    and its later stages 有风险 once they should have started."""
    assert rows(con, "select state from deadline_risk where region_code = '411200' and milestone = 'R6_decisions'"
                ) == [("done_late",)]
    assert rows(con, """select count(*) from risk_by_day where region_code = '411381'
                        and state in ('projected_late', 'overdue', 'done_late')""") == [(0,)]
    assert rows(con, """select state from risk_by_day where as_of = '2020-06-08' and region_code = '410482'
                        and milestone = 'R1_plan'""") == [("overdue",)]
    assert rows(con, """select distinct state from risk_by_day where as_of = '2020-07-24' and region_code = '410482'
                        and milestone in ('R3_confirmation_length', 'R5_record_checks', 'R6_decisions',
                                          'R7_final')""") == [("at_risk",)]


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


# ---- the data tests run on every build ------------------------------------------------------

def _with_defect(demo_warehouse, tmp_path, name: str, sql: str) -> list[str]:
    """The data tests that fail on a copy of the demo warehouse whose `name` is replaced by `sql`
    over its own rows (as `{orig}`)."""
    import os
    import shutil

    from etl.views import failed_data_tests

    db, _ = demo_warehouse
    copy = tmp_path / f"{name}.duckdb"
    shutil.copyfile(os.path.realpath(db), copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(f"create table {name}_orig as select * from {name}")
        kind = con.execute("select count(*) from duckdb_views() where view_name = ?", [name]).fetchone()[0]
        con.execute(f"drop {'view' if kind else 'table'} {name}")
        con.execute(f"create view {name} as {sql.format(orig=f'{name}_orig')}")
        return failed_data_tests(con)


def test_the_data_tests_hold_on_the_demo(con):
    from etl.views import failed_data_tests

    assert failed_data_tests(con) == []


@pytest.mark.parametrize(("table", "sql", "caught"), [
    ("registrations_daily", "select * from {orig} union all (select * from {orig} limit 1)",
     "registrations_daily has one row per region, date and kind"),
    ("progress_weekly", "select * from {orig} union all (select * from {orig} limit 1)",
     "progress_weekly has one row per region and as-of date"),
    ("sites_current", "select * replace ('419999' as region_code) from {orig}", "every table names only known regions"),
    ("risk_by_unit_day",
     "select * replace ('419999' as unit_code) from {orig}", "every table names only known regions"),
    ("deadline_risk", "select * from {orig} union all (select * from {orig} limit 1)",
     "deadline_risk has no region and milestone twice"),
    ("deadline_risk", "select * from {orig} union all (select * replace ('410122' as region_code) from {orig} limit 1)",
     "deadline_risk has only reporting regions and known milestones"),
    ("deadline_risk", "select * from {orig} where not (region_code = '411600' and milestone = 'R6_decisions')",
     "deadline_risk has every reporting region and milestone, once there is data"),
    ("load_log", "select * replace (rows_read + 1 as rows_read) from {orig}", "load_log counts add up"),
])
def test_each_data_test_catches_what_its_name_says(demo_warehouse, tmp_path, table, sql, caught):
    failed = _with_defect(demo_warehouse, tmp_path, table, sql)
    assert [f for f in failed if f.startswith(caught)], failed
