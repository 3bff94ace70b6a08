"""The template regions fill in: opened back with real Excel readers, and filled in by hand it
loads every row with no error and nothing else."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import openpyxl
import python_calamine

from etl import tables as t
from etl.load import load_files
from etl.template import ABOUT, INSTRUCTIONS, write_template

ROOT = Path(__file__).resolve().parent.parent


def test_one_sheet_per_table_with_the_contracts_headers_lists_and_formats(tmp_path):
    path = tmp_path / "模板.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [INSTRUCTIONS, *[spec.sheet for spec in t.TABLES]]
    for spec in t.TABLES:
        ws = book[spec.sheet]
        assert [c.value.rstrip("*") for c in ws[1]] == [c.header for c in spec.columns]
        assert ws.freeze_panes == "A2"
    progress = book["报名进度"]
    lists = {str(v.sqref): v.formula1 for v in progress.data_validations.dataValidation if v.type == "list"}
    assert lists == {"C2:C501": '"' + ",".join(t.KINDS) + '"'}
    assert progress["B2"].number_format == "yyyy-mm-dd"
    plan_lists = [v.formula1 for v in book["实施方案"].data_validations.dataValidation if v.type == "list"]
    assert plan_lists == ['"' + ",".join(t.PLAN_STATUSES) + '"']
    # a second reader sees the same sheets and headers
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    assert calamine.sheet_names == book.sheetnames
    assert calamine.get_sheet_by_name("认定进度").to_python()[0][1] == "统计截止日期*"
    text = "\n".join(str(c.value) for row in book[INSTRUCTIONS].iter_rows() for c in row if c.value)
    assert "带 * 的列必填" in text and "示例" in text


def test_a_template_filled_in_by_hand_loads_every_row_with_no_error(tmp_path):
    path = tmp_path / "周口市报送.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    filled = {sheet: [example] for sheet, (_, example) in ABOUT.items() if example}
    filled["报名进度"].append(["周口市", dt.date(2020, 6, 9), "小学", 120])
    filled["现场确认安排"].append(["周口市", "川汇区确认点", dt.date(2020, 7, 1), dt.date(2020, 7, 10), 4, 8, 60])
    filled["认定进度"].append(["周口市", dt.date(2020, 7, 17), *[n + 100 for n in ABOUT["认定进度"][1][2:]]])
    rows = 0
    for sheet, lines in filled.items():
        for i, line in enumerate(lines, start=2):
            for j, value in enumerate(line, start=1):
                book[sheet].cell(row=i, column=j, value=value)
            rows += 1
    book.save(path)
    result = load_files([path], tmp_path / "w.duckdb")
    report = result.files[0].as_json()
    assert (report["status"], report["rows_read"], report["rows_loaded"], report["rows_rejected"]) == (
        "loaded", rows, rows, 0), json.dumps(report, ensure_ascii=False)
    assert report["errors"] == [] and not report.get("warnings")
    with duckdb.connect(os.path.realpath(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from load_warnings").fetchone() == (0,)
        assert con.execute("select sum(registrations) from registrations_daily").fetchone() == (240,)


def test_the_command_line_writes_the_template(tmp_path):
    out = tmp_path / "模板.xlsx"
    done = subprocess.run([sys.executable, "-m", "etl", "template", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and openpyxl.load_workbook(out).sheetnames[0] == INSTRUCTIONS
