"""The command line (CONTRACT.md §4): `python -m etl load PATH... --db FILE --report FILE.json`,
run as a coordinator runs it, in a separate process. Exit 0 when every row loaded, 1 when
something was rejected, 2 on a usage error; the JSON report lists every file with its errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import msoffcrypto
import pytest

from tests.etl_files import (
    REG_HEADER,
    db_of,
    government_sheet,
    query,
    registrations,
    use_temporary_secret,
    write_csv,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
REPORT_KEYS = {"file", "sha256", "status", "rows_read", "rows_loaded", "rows_rejected", "errors"}
ERROR_KEYS = {"sheet", "row", "column", "value", "message"}


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def etl(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key"), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "etl", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def etl_load(tmp_path, *paths: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    report = tmp_path / "回执.json"
    report.unlink(missing_ok=True)
    done = etl(tmp_path, "load", *map(str, paths), "--db", str(db_of(tmp_path)), "--report", str(report))
    return done, json.loads(report.read_text(encoding="utf-8")) if report.exists() else None


def sheet(region: str, *rows) -> object:
    return government_sheet("报名进度", REG_HEADER, [[region, *r] for r in rows], title="报名进度表",
                            unit_line=f"填报单位：{region}教育局")


def test_folder_loads_with_exit_0_and_a_report_and_again_as_duplicate(tmp_path):
    inbox = tmp_path / "收件箱"
    (inbox / "开封市").mkdir(parents=True)
    xlsx = write_xlsx(inbox / "开封市" / "报名进度.xlsx", sheet("开封市", [dt.date(2020, 6, 8), "小学", 12]))
    csv = write_csv(inbox / "洛阳市报名进度.csv", [REG_HEADER, ["洛阳市", "2020/6/9", "初中", "1,200"]], "gb18030")
    (inbox / "说明.md").write_text("不是表格", encoding="utf-8")
    (inbox / "开封市" / ".~$报名进度.xlsx").write_bytes(b"\x00owner-file of an open workbook")  # hidden: skipped

    done, report = etl_load(tmp_path, inbox)

    assert done.returncode == 0, done.stderr
    assert isinstance(report, list) and len(report) == 2
    by_file = {Path(r["file"]).name: r for r in report}
    assert set(by_file) == {"报名进度.xlsx", "洛阳市报名进度.csv"}
    for path in (xlsx, csv):
        entry = by_file[path.name]
        assert set(entry) >= REPORT_KEYS
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert (entry["status"], entry["rows_read"], entry["rows_loaded"], entry["rows_rejected"], entry["errors"]) \
            == ("loaded", 1, 1, 0, [])
    assert registrations(tmp_path) == [("410300", "2020-06-09", "初级中学", 1200, "洛阳市报名进度", 2),
                                       ("410200", "2020-06-08", "小学", 12, "报名进度", 4)]

    again, report = etl_load(tmp_path, inbox)

    assert again.returncode == 0, again.stderr
    assert [(r["status"], r["rows_read"], r["rows_loaded"], r["rows_rejected"]) for r in report] == \
        [("duplicate", 0, 0, 0)] * 2
    assert len(query(tmp_path, "select * from load_log")) == 2


def test_rejected_rows_and_files_give_exit_1_and_each_error_in_the_report(tmp_path):
    rows = write_xlsx(tmp_path / "开封市.xlsx", sheet("开封市", ["2020-06-08", "小学", 12], ["2020-06-08", "初中", -3],
                                                     ["2020-02-30", "高中", 1]))
    plain = write_xlsx(tmp_path / "plain.xlsx", sheet("洛阳市", ["2020-06-08", "小学", 5]))
    locked = tmp_path / "洛阳市（加密）.xlsx"
    with open(plain, "rb") as src, open(locked, "wb") as dst:
        msoffcrypto.OfficeFile(src).encrypt("jszg2020", dst)

    done, report = etl_load(tmp_path, rows, locked)

    assert done.returncode == 1, done.stderr
    assert [(r["status"], r["rows_read"], r["rows_loaded"], r["rows_rejected"]) for r in report] == \
        [("partial", 3, 1, 2), ("rejected", 0, 0, 0)]
    assert all(set(e) >= ERROR_KEYS for r in report for e in r["errors"])
    errors = [{k: e[k] for k in ERROR_KEYS} for e in report[0]["errors"]]
    assert [{k: v for k, v in e.items() if k != "message"} for e in errors] == [
        {"sheet": "报名进度", "row": 5, "column": "报名人数", "value": "-3"},
        {"sheet": "报名进度", "row": 6, "column": "日期", "value": "2020-02-30"}]
    assert "为负数" in errors[0]["message"] and "2020年2月没有30日" in errors[1]["message"]
    [locked_error] = report[1]["errors"]
    assert "打开密码" in locked_error["message"]
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 12, "报名进度", 4)]


@pytest.mark.parametrize("args", [["load", "不存在的文件.xlsx"], ["load"], ["load", "--no-such-option", "x.csv"], []])
def test_usage_errors_exit_2_and_touch_nothing(tmp_path, args):
    done = etl(tmp_path, *args, *(["--db", str(db_of(tmp_path))] if args else []))

    assert done.returncode == 2
    assert "usage" in done.stderr or "用法" in done.stderr
    if args[1:2] == ["不存在的文件.xlsx"]:
        assert "找不到文件或文件夹" in done.stderr
    assert not db_of(tmp_path).exists()


def test_help_is_in_chinese(tmp_path):
    done = etl(tmp_path, "load", "--help")

    assert done.returncode == 0
    for words in ("导入数据仓库", "退出码", "0 = 全部导入", "1 = 有行或文件被拒收", "2 = 命令用法错误", "--report"):
        assert words in done.stdout


def test_help_has_no_english_boilerplate(tmp_path):
    shown = etl(tmp_path, "load", "--help").stdout + etl(tmp_path, "load").stderr
    for english in ("usage:", "positional arguments", "options:", "show this help message", "arguments are required"):
        assert english not in shown


def test_load_writes_where_the_dashboard_reads_and_takes_the_newest_campaign(tmp_path, monkeypatch):
    # No --db: JSZG_WAREHOUSE, which the dashboard reads too; no --campaign: the newest file in
    # JSZG_CAMPAIGNS_DIR, which the dashboard picks too.
    import shutil

    import duckdb

    from domain.campaign import CAMPAIGNS_DIR, default_campaign_path
    from queries.connection import current_version

    campaigns = tmp_path / "活动"
    campaigns.mkdir()
    shutil.copy(CAMPAIGNS_DIR / "2020H1.toml", campaigns / "2020H1.toml")
    text = (CAMPAIGNS_DIR / "2020H1.toml").read_text(encoding="utf-8")
    (campaigns / "2020H2.toml").write_text(text.replace('id = "2020H1"', 'id = "2020H2"'), encoding="utf-8")
    warehouse = tmp_path / "共享" / "warehouse.duckdb"
    monkeypatch.setenv("JSZG_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("JSZG_CAMPAIGNS_DIR", str(campaigns))
    assert default_campaign_path() == campaigns / "2020H2.toml"

    xlsx = write_xlsx(tmp_path / "报名进度.xlsx", sheet("开封市", [dt.date(2020, 6, 8), "小学", 12]))
    done = etl(tmp_path, "load", str(xlsx), "--quiet")
    assert done.returncode == 0, done.stderr
    assert str(warehouse) in done.stdout
    with duckdb.connect(str(current_version()), read_only=True) as con:
        assert con.execute("select value from meta where key = 'campaign'").fetchone() == ("2020H2",)
        assert con.execute("select sum(registrations) from registrations_daily").fetchone() == (12,)


def test_receipts_one_xlsx_per_file_with_every_problem(tmp_path):
    import openpyxl

    good = write_xlsx(tmp_path / "开封市报名.xlsx", sheet("开封市", [dt.date(2020, 6, 8), "小学", 12]))
    bad = write_xlsx(tmp_path / "开封市报名_有错.xlsx", sheet("开封市", [dt.date(2020, 6, 9), "小学", 12],
                                                           [dt.date(2020, 6, 10), "大学", 5]))
    receipts = tmp_path / "回执"
    done = etl(tmp_path, "load", str(good), str(bad), "--db", str(db_of(tmp_path)), "--receipts", str(receipts),
               "--quiet")
    assert done.returncode == 1, done.stderr
    assert sorted(p.name for p in receipts.iterdir()) == ["回执_开封市报名.xlsx", "回执_开封市报名_有错.xlsx"]
    ws = openpyxl.load_workbook(receipts / "回执_开封市报名_有错.xlsx")["回执"]
    lines = [c.value for c in ws["A"][:6]]
    assert lines[0] == "教师资格认定数据报送回执" and lines[1] == "文件：开封市报名_有错.xlsx"
    assert lines[2] == "SHA-256：" + hashlib.sha256(bad.read_bytes()).hexdigest()
    assert "报送人：命令行" in lines[3] and "部分导入" in lines[4] and "拒收 1 行" in lines[4]
    header = [c.value for c in ws[8]]
    assert header == ["类别", "工作表", "行号", "列", "值", "说明"]
    problem = [c.value for c in ws[9]]
    assert problem[0] == "错误（该行未导入）" and problem[1] == "报名进度" and problem[4] == "大学"
    assert isinstance(problem[2], int) and "资格种类" in problem[3]
    ok = openpyxl.load_workbook(receipts / "回执_开封市报名.xlsx")["回执"]
    assert "已导入" in ok["A5"].value and ok.max_row == 8  # heading, blank row, header, no problems
