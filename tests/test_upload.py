"""数据上报 under AppTest, on a warehouse of its own: who may open it, what it says of a good file, a
partly bad one, a broken one and one for another region, what the warehouse holds afterwards, the
receipt of each file opened back, the audit log, a file sent twice, and the first files of an
empty warehouse."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import duckdb
import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from etl.load import load_files
from tests.conftest import app_on
from tests.etl_files import PLAN_HEADER, PROGRESS_HEADER, REG_HEADER, government_sheet, write_csv, write_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def good_file(folder: Path) -> Path:
    """周口's weekly report as a bureau lays it out: title, 填报单位, header, two rows, 合计, notes."""
    rows = [["周口市", dt.date(2020, 7, 10), 7751, 7600, 7400, 7000, 6000, 3000, 50, 2000, 1500],
            ["太康县", dt.date(2020, 7, 10), 812, 800, 790, 700, 600, 300, 5, 200, 150]]
    sheet = government_sheet("认定进度", PROGRESS_HEADER, rows, title="周口市认定工作进度周报",
                             unit_line="填报单位：周口市教育局",
                             total=["合计", None, 8563, 8400, 8190, 7700, 6600, 3300, 55, 2200, 1650],
                             notes=("注：本表为累计数。",))
    return write_xlsx(folder / "周口市认定进度_0710.xlsx", sheet)


def partly_bad_file(folder: Path) -> Path:
    return write_csv(folder / "周口市报名进度.csv", [
        REG_HEADER, ["周口市", "2020-06-08", "小学", 120], ["周口市", "2020-06-09", "小学", -5],
        ["太康县", "2020-06-08", "幼儿园", 30]])


def broken_file(folder: Path) -> Path:
    path = folder / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook" + bytes(range(256)))
    return path


def other_region_file(folder: Path) -> Path:
    return write_csv(folder / "洛阳市实施方案.csv", [PLAN_HEADER, ["洛阳市", "2020-05-20", "2020-05-25", "已报送", ""]])


@pytest.fixture
def small_warehouse(tmp_path) -> Path:
    """A warehouse holding 周口's plan only (the upload adds to it)."""
    first = write_csv(tmp_path / "周口市实施方案.csv",
                      [PLAN_HEADER, ["周口市", "2020-05-20", "2020-05-25", "已报送", ""]])
    db = tmp_path / "db" / "warehouse.duckdb"
    load_files([first], db)
    return db


@pytest.fixture
def open_small(small_warehouse, accounts, monkeypatch):
    return app_on(small_warehouse, accounts, monkeypatch)


def upload(at: AppTest, *paths: Path) -> AppTest:
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), XLSX if p.suffix == ".xlsx" else "text/csv")
                                   for p in paths])
    next(b for b in at.button if b.label == "提交并导入").click()
    return at.run()


def ask(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def said(at: AppTest) -> str:
    """Everything the page said, as read (the Markdown escapes of names and messages taken out)."""
    kinds = ("markdown", "caption", "success", "warning", "error", "info")
    texts = [e.value for kind in kinds for e in getattr(at, kind)]
    return " ".join(texts).replace("\\", "")


def test_leadership_has_no_upload_page_and_coordinators_and_admins_have(open_small):
    leader = open_small(user="lead")
    with pytest.raises(ValueError):
        leader.switch_page("pages/upload.py")
    for user in ("zk", "admin1"):
        at = open_small("pages/upload.py", user=user)
        assert not at.exception and at.file_uploader[0].accept_multiple_files
        assert sorted(at.file_uploader[0].allowed_type) == [".csv", ".xls", ".xlsx"]


def test_four_files_from_zhoukou_each_told_what_became_of_it(open_small, small_warehouse, accounts, tmp_path):
    before = ask(small_warehouse, "select count(*) from progress_current")[0][0], ask(
        small_warehouse, "select count(*) from plan_current")[0][0]
    at = open_small("pages/upload.py", user="zk")
    files = [good_file(tmp_path), partly_bad_file(tmp_path), broken_file(tmp_path), other_region_file(tmp_path)]
    upload(at, *files)
    assert not at.exception
    results = {f["name"]: f for f in at.session_state["upload-results"]["files"]}
    assert {n: f["status"] for n, f in results.items()} == {
        "周口市认定进度_0710.xlsx": "loaded", "周口市报名进度.csv": "partial", "坏文件.xlsx": "rejected",
        "洛阳市实施方案.csv": "rejected"}
    text = said(at)
    assert "已导入并发布" in text
    shown = (("周口市认定进度_0710.xlsx", "已导入"), ("周口市报名进度.csv", "部分导入"), ("坏文件.xlsx", "拒收"))
    for name, word in shown:
        assert f"**{name}** · {word}" in text
    assert "读取 3 行，导入 2 行，拒收 1 行" in text
    assert "整个文件没有导入：工作表“洛阳市实施方案”第 2 行是“洛阳市”的数据，不在您的报送范围内" in text
    # every problem with its sheet, Excel row, column, value, message and what to do
    problems = {f.iloc[0]["说明"]: f for f in (d.value for d in at.dataframe) if "怎么改" in f.columns}
    bad_row = next(f for m, f in problems.items() if "负数" in m).iloc[0]
    assert (bad_row["Excel 行号"], bad_row["列"], bad_row["值"]) == (3, "报名人数", "-5")
    assert bad_row["怎么改"] == "改正这一格，再上报整张表"
    scope_message = next(m for m in problems if "洛阳市" in m)
    assert "不在您的报送范围内" in scope_message and "整个文件未导入" in scope_message
    # the warehouse changed for the first two only
    assert ask(small_warehouse, "select count(*) from progress_current")[0][0] == before[0] + 2
    assert ask(small_warehouse, "select count(*) from registrations_current")[0][0] == 2
    assert ask(small_warehouse, "select count(*) from plan_current")[0][0] == before[1]  # no 洛阳 plan
    assert ask(small_warehouse, "select received_by from load_log where file like '%周口市认定进度_0710%'") == [("zk",)]


def test_each_file_has_a_receipt_opened_back(open_small, tmp_path):
    at = upload(open_small("pages/upload.py", user="zk"), partly_bad_file(tmp_path))
    f = at.session_state["upload-results"]["files"][0]
    assert f["receipt_name"] == "回执_周口市报名进度.xlsx"
    assert [b.label for b in at.get("download_button")].count("下载回执（Excel）") == 1
    sheet = openpyxl.load_workbook(io.BytesIO(f["receipt"])).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any("部分导入" in c for c in cells) and any("报送人：zk" in c for c in cells)
    assert "-5" in cells and any("负数" in c for c in cells)


def test_every_upload_is_audited_with_names_hashes_and_outcomes(open_small, accounts, tmp_path):
    since = dt.datetime.now().timestamp()
    upload(open_small("pages/upload.py", user="zk"), good_file(tmp_path), broken_file(tmp_path))
    rows = [r for r in accounts.audit_log(since=since, name="zk", action="upload")]
    details = {r[3]: r[6] for r in rows}
    assert set(details) == {"loaded", "rejected"}
    assert "周口市认定进度_0710.xlsx" in details["loaded"] and "sha256 " in details["loaded"]
    assert all(r[5] == "411600" for r in rows)


def test_a_file_sent_twice_is_already_received_and_changes_nothing(open_small, small_warehouse, tmp_path):
    path = good_file(tmp_path)
    at = upload(open_small("pages/upload.py", user="zk"), path)
    version = os.path.realpath(small_warehouse)
    at = upload(at, path)
    assert [f["status"] for f in at.session_state["upload-results"]["files"]] == ["duplicate"]
    assert "已收到过" in said(at) and "数据没有改动" in said(at)
    assert os.path.realpath(small_warehouse) == version  # nothing published


def test_an_administrator_may_load_any_region(open_small, small_warehouse, tmp_path):
    at = upload(open_small("pages/upload.py", user="admin1"), other_region_file(tmp_path))
    assert [f["status"] for f in at.session_state["upload-results"]["files"]] == ["loaded"]
    assert ask(small_warehouse, "select count(*) from plan_current where region_code = '410300'") == [(1,)]


def test_the_template_is_offered_on_the_page(open_small):
    at = open_small("pages/upload.py", user="zk")
    assert "下载报送模板（Excel）" in [b.label for b in at.get("download_button")]


def test_the_first_files_of_an_empty_warehouse_come_in_through_the_page(tmp_path, accounts, monkeypatch):
    db = tmp_path / "empty" / "warehouse.duckdb"
    start = app_on(db, accounts, monkeypatch)
    overview = start(user="zk")
    assert "数据上报" in " ".join(i.value for i in overview.info)  # told where the data comes in
    at = start("pages/upload.py", user="zk")
    assert not at.exception
    upload(at, good_file(tmp_path))
    assert ask(db, "select count(*) from progress_current") == [(2,)]
