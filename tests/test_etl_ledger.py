"""The ledger (CONTRACT.md §3): a file loaded again changes nothing; a corrected file for the same
region, table and key replaces the earlier figures, which stay queryable as history."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from etl.warehouse import current_version
from tests.etl_files import (
    REG_HEADER,
    SITES_HEADER,
    db_of,
    government_sheet,
    load,
    load_one,
    query,
    registrations,
    use_temporary_secret,
    write_csv,
    write_xlsx,
)

D = dt.date
LEDGER = "select file, sha256, status, rows_read, rows_loaded, rows_rejected, load_seq from load_log order by load_seq"


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def kaifeng(tmp_path, name: str, primary: int, junior: int, extra=()):
    sheet = government_sheet("报名进度", REG_HEADER, [["开封市", D(2020, 6, 8), "小学", primary],
                                                     ["开封市", D(2020, 6, 8), "初中", junior], *extra],
                             title="开封市报名进度表", unit_line="填报单位：开封市教育局")
    return write_xlsx(tmp_path / name, sheet)


def snapshot(tmp_path) -> tuple:
    return (registrations(tmp_path), query(tmp_path, LEDGER), query(tmp_path, "select * from rejected_rows"),
            query(tmp_path, "select count(*) from registrations_hist"))


def test_same_file_again_is_duplicate_and_changes_nothing(tmp_path):
    path = kaifeng(tmp_path, "开封市.xlsx", 120, 80, extra=[["开封市", D(2020, 6, 8), "大学", 1]])
    first = load_one(tmp_path, path)
    assert (first.status, first.rows_read, first.rows_loaded, first.rows_rejected) == ("partial", 3, 2, 1)
    version, before = current_version(db_of(tmp_path)), snapshot(tmp_path)

    result = load(tmp_path, path)

    again = result.files[0]
    assert (again.status, again.sha256, again.errors) == ("duplicate", first.sha256, [])
    assert result.version is None
    assert current_version(db_of(tmp_path)) == version
    assert snapshot(tmp_path) == before
    assert before[1] == [(str(path), first.sha256, "partial", 3, 2, 1, 1)]


def test_same_bytes_under_another_name_is_duplicate(tmp_path):
    path = kaifeng(tmp_path, "开封市.xlsx", 120, 80)
    load_one(tmp_path, path)
    copy = tmp_path / "开封市（重发）.xlsx"
    shutil.copyfile(path, copy)
    before = snapshot(tmp_path)

    assert load_one(tmp_path, copy).status == "duplicate"
    assert snapshot(tmp_path) == before


def test_same_file_twice_in_one_load_counts_once(tmp_path):
    path = kaifeng(tmp_path, "开封市.xlsx", 120, 80)

    result = load(tmp_path, path, path)

    assert [f.status for f in result.files] == ["loaded", "duplicate"]
    assert [r[:4] for r in registrations(tmp_path)] == [("410200", "2020-06-08", "小学", 120),
                                                        ("410200", "2020-06-08", "初级中学", 80)]
    assert len(query(tmp_path, LEDGER)) == 1


def test_corrected_file_replaces_figures_and_keeps_the_earlier_ones_as_history(tmp_path):
    luoyang = write_csv(tmp_path / "洛阳市报名进度.csv", [REG_HEADER, ["洛阳市", "2020-06-08", "小学", 300]], "gb18030")
    load(tmp_path, kaifeng(tmp_path, "开封市.xlsx", 120, 80), luoyang)

    corrected = load_one(tmp_path, kaifeng(tmp_path, "开封市（更正）.xlsx", 125, 80))

    assert (corrected.status, corrected.rows_loaded) == ("loaded", 2)
    assert query(tmp_path, "select region_code, strftime(date, '%Y-%m-%d'), qualification, registrations, load_seq "
                           "from registrations_daily order by region_code, qualification") == [
        ("410200", "2020-06-08", "初级中学", 80, 3), ("410200", "2020-06-08", "小学", 125, 3),
        ("410300", "2020-06-08", "小学", 300, 2)]
    assert query(tmp_path, "select load_seq, region_code, qualification, registrations, \"row\" "
                           "from registrations_hist order by load_seq, \"row\"") == [
        (1, "410200", "小学", 120, 4), (1, "410200", "初级中学", 80, 5), (2, "410300", "小学", 300, 2),
        (3, "410200", "小学", 125, 4), (3, "410200", "初级中学", 80, 5)]
    assert [(r[2], r[6]) for r in query(tmp_path, LEDGER)] == [("loaded", 1), ("loaded", 2), ("loaded", 3)]


def test_correction_keeps_earlier_figures_for_keys_it_does_not_repeat(tmp_path):
    load_one(tmp_path, kaifeng(tmp_path, "开封市.xlsx", 120, 80))

    load_one(tmp_path, write_csv(tmp_path / "开封市小学更正.csv", [REG_HEADER, ["开封市", "2020-06-08", "小学", 121]]))

    assert [(r[2], r[3], r[4], r[5]) for r in registrations(tmp_path)] == [("小学", 121, "开封市小学更正", 2),
                                                                           ("初级中学", 80, "报名进度", 5)]


def test_corrected_sites_file_replaces_all_sites_of_that_region(tmp_path):
    def sites(name, *rows):
        sheet = government_sheet("现场确认安排", SITES_HEADER, [list(r) for r in rows], title="现场确认点安排")
        return write_xlsx(tmp_path / name, sheet)

    load(tmp_path,
         sites("开封市.xlsx", ["开封市", "市民之家", "2020-07-06", "2020-07-10", 4, 8, 50],
               ["开封市", "鼓楼区政务中心", "2020-07-06", "2020-07-08", 2, 4, 50]),
         sites("洛阳市.xlsx", ["洛阳市", "洛阳市政务中心", "2020-07-06", "2020-07-10", 6, 12, 60]))

    load_one(tmp_path, sites("开封市（更正）.xlsx", ["开封市", "市民之家", "2020-07-06", "2020-07-14", 5, 10, 50]))

    assert query(tmp_path, "select region_code, site_name, end_date, working_days, windows, capacity "
                           "from confirmation_capacity order by region_code, site_name") == [
        ("410200", "市民之家", D(2020, 7, 14), 7, 5, 1750),
        ("410300", "洛阳市政务中心", D(2020, 7, 10), 5, 6, 1800)]
    assert query(tmp_path, "select load_seq, site_name from sites_hist order by load_seq, \"row\"") == [
        (1, "市民之家"), (1, "鼓楼区政务中心"), (2, "洛阳市政务中心"), (3, "市民之家")]


def test_rejected_file_leaves_loaded_figures_alone(tmp_path):
    load_one(tmp_path, kaifeng(tmp_path, "开封市.xlsx", 120, 80))
    before = registrations(tmp_path)
    empty = tmp_path / "开封市（更正）.csv"
    empty.write_bytes(b"")

    report = load_one(tmp_path, empty)

    assert report.status == "rejected"
    assert registrations(tmp_path) == before
    assert [r[2] for r in query(tmp_path, LEDGER)] == ["loaded", "rejected"]


def test_a_rejected_file_sent_again_gets_the_same_answer_and_changes_nothing(tmp_path):
    empty = tmp_path / "开封市报名进度.csv"
    empty.write_bytes(b"")
    first = load_one(tmp_path, empty)
    version = current_version(db_of(tmp_path))

    again = load_one(tmp_path, empty)

    assert (again.status, [e.message for e in again.errors]) == ("rejected", [e.message for e in first.errors])
    assert [r[2] for r in query(tmp_path, LEDGER)] == ["rejected"]  # logged once
    assert current_version(db_of(tmp_path)) == version  # no new version published


def test_published_path_is_a_link_to_the_current_version(tmp_path):
    load_one(tmp_path, kaifeng(tmp_path, "开封市.xlsx", 120, 80))
    first = current_version(db_of(tmp_path))
    load_one(tmp_path, kaifeng(tmp_path, "开封市（更正）.xlsx", 121, 80))

    assert db_of(tmp_path).is_symlink()
    assert current_version(db_of(tmp_path)) != first
    assert os.path.realpath(db_of(tmp_path)) == str(current_version(db_of(tmp_path)))
    assert first.exists()  # an earlier version stays for readers still on it


def test_new_file_loads_when_an_already_loaded_one_comes_after_it(tmp_path):
    old = kaifeng(tmp_path, "开封市.xlsx", 120, 80)
    load_one(tmp_path, old)
    new = write_csv(tmp_path / "三门峡市报名进度.csv", [REG_HEADER, ["三门峡市", "2020-06-08", "小学", 9]])

    result = load(tmp_path, new, old)

    assert [f.status for f in result.files] == ["loaded", "duplicate"]
    assert [r[:4] for r in registrations(tmp_path)] == [("411200", "2020-06-08", "小学", 9),
                                                        ("410200", "2020-06-08", "小学", 120),
                                                        ("410200", "2020-06-08", "初级中学", 80)]
