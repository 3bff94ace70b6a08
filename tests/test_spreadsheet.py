"""Exports keep a formula-looking text as text, in .xlsx and in CSV, opened back with real readers."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pandas as pd
import python_calamine

from etl.spreadsheet import csv_bytes, xlsx_bytes

EVIL = ['=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({"地区": ["周口市"] * len(EVIL), "备注": EVIL, "人数": range(len(EVIL)),
                         "日期": [dt.date(2020, 7, 10)] * len(EVIL)})


def test_xlsx_keeps_formula_looking_text_as_text_with_a_heading():
    heading = ["实施方案报送情况", "范围：周口市", "截至 2020-07-10"]
    data = xlsx_bytes(frame(), "实施方案", heading)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["实施方案"]
    assert [ws.cell(row=i, column=1).value for i in (1, 2, 3)] == heading
    assert [c.value for c in ws[5]] == ["地区", "备注", "人数", "日期"]
    remarks = [ws.cell(row=i, column=2) for i in range(6, 6 + len(EVIL))]
    assert [c.value for c in remarks][:-1] == EVIL[:-1]  # openpyxl reads a lone "\r" back as "\n"
    assert all(c.data_type == "s" for c in remarks)  # text, not "f" (formula)
    assert ws.cell(row=6, column=3).value == 0 and ws.cell(row=6, column=4).value == dt.datetime(2020, 7, 10)
    assert ws.freeze_panes == "A6"
    # a second reader agrees: calamine sees the text, not a computed value
    sheet = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("实施方案").to_python()
    assert [row[1] for row in sheet[5:]][:-1] == EVIL[:-1]


def test_csv_prefixes_formula_looking_text():
    rows = list(csv.reader(io.StringIO(csv_bytes(frame()).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["地区", "备注", "人数", "日期"]
    assert [r[1] for r in rows[1:]] == ["'" + e for e in EVIL]
    assert not [r for r in rows[1:] if r[1][0] in "=+-@\t\r"]
