"""The coordinators' loop in real Chromium: 周口's coordinator signs in, drops a good file, a partly bad
one, a broken one and one for 洛阳市 on 数据上报, reads what the page says of each, downloads a receipt
and opens it back; the warehouse changed for the first two only; 报送情况 shows the new file at once.
Screenshots of both pages at 1366×768 are saved in test-artifacts/."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from pathlib import Path

import duckdb
import openpyxl
import pytest

from etl.load import expand, load_files
from tests.browser.conftest import ARTIFACTS, streamlit_server
from tests.test_upload import broken_file, good_file, other_region_file, partly_bad_file

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def upload_server(demo_files, tmp_path_factory, accounts):
    """A server on a warehouse of its own: 周口's and 洛阳's demo files, received when they were sent."""
    db = tmp_path_factory.mktemp("upload") / "warehouse.duckdb"
    paths = expand([demo_files / "411600_周口市", demo_files / "410300_洛阳市"])
    load_files(paths, db, received_at=lambda p: dt.datetime.fromtimestamp(p.stat().st_mtime))
    with streamlit_server(db, "streamlit-upload.log") as url:
        yield url, db


def figures(db: Path) -> dict[str, object]:
    """What the four files would change: 周口's and 太康县's 07-10 report and 06-08 registrations, the plans."""
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        return {
            "progress": con.execute("select region_code, registered from progress_current where as_of = '2020-07-10' "
                                    "and region_code in ('411600', '411627') order by 1").fetchall(),
            "registrations": con.execute("select region_code, qualification, registrations from registrations_current "
                                         "where date = '2020-06-08' and region_code in ('411600', '411627') "
                                         "and qualification in ('小学', '幼儿园') order by 1, 2").fetchall(),
            "plans": con.execute("select region_code, plan_submitted_on from plan_current order by 1").fetchall(),
            "files": con.execute("select count(*) from load_log").fetchone()[0],
        }
    finally:
        con.close()


def settled(page) -> None:
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    page.wait_for_timeout(1000)


def test_a_coordinator_uploads_four_files_and_reads_what_became_of_each(upload_server, browser, tmp_path):
    url, db = upload_server
    before = figures(db)
    files = [good_file(tmp_path), partly_bad_file(tmp_path), broken_file(tmp_path), other_region_file(tmp_path)]
    page = browser.new_page("zk", viewport={"width": 1366, "height": 768}, locale="zh-CN", accept_downloads=True)
    page.goto(f"{url}/upload", wait_until="networkidle")
    page.get_by_text("已登录：zk").wait_for(timeout=60_000)
    assert page.get_by_text("您可以报送周口市").count() == 1
    page.locator("input[type=file]").set_input_files([str(p) for p in files])
    for p in files:
        page.get_by_text(p.name).first.wait_for(timeout=30_000)  # staged in the drop zone
    page.get_by_role("button", name="提交并导入").click()
    page.get_by_text("本次上报结果").wait_for(timeout=120_000)
    settled(page)
    blocks = {p.name: page.locator(f".st-key-upload-file-{i}").inner_text() for i, p in enumerate(files)}
    assert "已导入" in blocks["周口市认定进度_0710.xlsx"] and "全部导入，无需处理" in blocks["周口市认定进度_0710.xlsx"]
    partly = blocks["周口市报名进度.csv"]
    assert "部分导入" in partly and "读取 3 行，导入 2 行，拒收 1 行" in partly
    assert "拒收" in blocks["坏文件.xlsx"] and "整个文件没有导入" in blocks["坏文件.xlsx"]
    other = blocks["洛阳市实施方案.csv"]
    assert "拒收" in other and "洛阳市" in other and "不在您的报送范围内" in other
    body = page.inner_text("body")
    assert page.locator("[data-testid='stException']").count() == 0 and "页面出错了" not in body
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload-1366x768.png"))
    page.locator(".st-key-upload-file-1").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "upload-problems-1366x768.png"))

    with page.expect_download() as got:  # the problems table, as the coordinator can hand it on
        page.locator(".st-key-upload-file-1").get_by_role("button", name="下载 CSV").click()
    problems = list(csv.DictReader(io.StringIO(got.value.path().read_text(encoding="utf-8-sig"))))
    assert [(p["工作表"], p["Excel 行号"], p["列"], p["值"], p["怎么改"]) for p in problems] == [
        ("周口市报名进度", "3", "报名人数", "'-5", "改正这一格，再上报整张表")]
    assert "负数" in problems[0]["说明"]
    with page.expect_download() as got:
        page.locator(".st-key-upload-file-1").get_by_role("button", name="下载回执（Excel）").click()
    receipt = openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes())).active
    cells = [str(c.value) for row in receipt.iter_rows() for c in row if c.value is not None]
    assert cells[0] == "教师资格认定数据报送回执" and "文件：周口市报名进度.csv" in cells and "-5" in cells

    after = figures(db)
    assert after["progress"] == [("411600", 7751), ("411627", 812)] != before["progress"]
    zhoukou_kg = [r for r in before["registrations"] if r[:2] == ("411600", "幼儿园")]
    assert after["registrations"] == sorted([("411600", "小学", 120), ("411627", "幼儿园", 30), *zhoukou_kg,
                                             *[r for r in before["registrations"] if r[:2] == ("411627", "小学")]])
    assert after["plans"] == before["plans"]  # 洛阳's plan from 周口's coordinator refused: nothing changed
    assert after["files"] == before["files"] + 4  # every file in the ledger, the refused ones too
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        logged = con.execute("select file, status from load_log where received_by = 'zk' order by load_seq").fetchall()
    finally:
        con.close()
    assert [(Path(f).name, s) for f, s in logged] == [
        ("周口市认定进度_0710.xlsx", "loaded"), ("周口市报名进度.csv", "partial"), ("坏文件.xlsx", "rejected"),
        ("洛阳市实施方案.csv", "rejected")]

    # 报送情况 reads the new version at once: 周口's registrations now stand with refused rows to correct
    page.get_by_role("link", name="报送情况").click()
    page.get_by_text("催报名单").wait_for(timeout=60_000)
    settled(page)  # the list is a code block, drawn by a script chunk loaded on first use
    page.get_by_text("周口市：报名进度有被拒收的行待更正", exact=False).first.wait_for(timeout=30_000)
    board = page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "submissions-1366x768.png"), full_page=True)
    assert "周口市：报名进度有被拒收的行待更正（文件“周口市报名进度.csv”）" in board
    assert "洛阳" not in board
    page.close()
