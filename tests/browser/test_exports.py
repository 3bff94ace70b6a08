"""No live formulas out: a region's remark that looks like a formula leaves the dashboard as text,
in the table's CSV and Excel downloads, clicked in real Chromium and opened back; and each download
is in the audit log."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from etl.load import load_files
from tests.browser.conftest import streamlit_server
from tests.etl_files import PLAN_HEADER, write_csv

pytestmark = pytest.mark.browser
FORMULAS = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"]


@pytest.fixture(scope="module")
def formula_server(tmp_path_factory, accounts):
    folder = tmp_path_factory.mktemp("formula")
    lines = [PLAN_HEADER, ["周口市", "2020-05-20", "2020-05-25", "已报送", FORMULAS[0]],
             ["开封市", "2020-05-21", "2020-05-26", "已报送", FORMULAS[1]]]
    db = folder / "warehouse.duckdb"
    load_files([write_csv(folder / "实施方案.csv", lines)], db)
    with streamlit_server(db, "streamlit-formula.log") as url:
        yield url


def test_a_formula_in_a_remark_downloads_as_text(formula_server, browser, accounts):
    page = browser.new_page(viewport={"width": 1500, "height": 1400}, locale="zh-CN", accept_downloads=True)
    page.goto(f"{formula_server}/plans?as_of=2020-06-01", wait_until="networkidle")
    page.get_by_text("已登录：lead").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=60_000)
    page.wait_for_timeout(1500)  # the run for the linked date has finished: its buttons, not a stale run's
    page.get_by_role("tab", name="表格").first.click()
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 Excel").first.click()
    book = openpyxl.load_workbook(io.BytesIO(got.value.path().read_bytes()))
    cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] == "="]
    seen = [[c.value for c in row] for row in book.active.iter_rows(max_row=4)]
    assert sorted(c.value for c in cells) == sorted(FORMULAS), (got.value.suggested_filename, seen)
    assert all(c.data_type == "s" for c in cells)  # text, not "f"
    with page.expect_download() as got:
        page.get_by_role("button", name="下载 CSV").first.click()
    text = got.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    texts = [cell for row in rows for cell in row]
    assert sorted(t for t in texts if "HYPERLINK" in t or "cmd|" in t) == sorted("'" + f for f in FORMULAS)
    page.wait_for_timeout(500)
    logged = [row for row in accounts.audit_log(name="lead", action="download")]
    assert {row[6].rsplit(".", 1)[1] for row in logged[:2]} == {"xlsx", "csv"}
    page.close()
