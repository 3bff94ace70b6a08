"""Spreadsheets handed to people — table downloads, receipts, templates, briefing tables — with
every text cell as text, never as a live formula.

A region's file may carry `=HYPERLINK(...)` or `=cmd|' /C calc'!A0` in a remark. It is stored as
text, and must leave as text: openpyxl writes a string that begins with "=" as a formula, and a
spreadsheet opens a CSV cell that begins with =, +, -, @, a tab or a carriage return as one
(OWASP, CSV injection). In .xlsx such cells are written with the string type; in CSV they are
prefixed with an apostrophe, which spreadsheets show as text and do not display.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def risky(value: object) -> bool:
    """A text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV (UTF-8 with BOM, which Excel needs for Chinese), formulas defused."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # quotes a field holding \r or \n, as Excel expects
    writer.writerow(["'" + c if risky(c) else c for c in map(str, frame.columns)])
    for row in frame.itertuples(index=False):
        writer.writerow(["'" + v if risky(v) else ("" if v is None or (not isinstance(v, str) and pd.isna(v))
                                                   else v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str, heading: Sequence[str] = ()) -> bytes:
    """The frame as an .xlsx with a named sheet: `heading` lines first (title, scope, as-of date),
    a blank row, then the table with a bold, frozen header. Text stays text."""
    from openpyxl import Workbook  # on use: the pages import this module, and few runs write a workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = _sheet_name(sheet)
    for line in heading:
        _put(ws.cell(row=ws.max_row + 1 if ws.max_row > 1 or ws["A1"].value else 1, column=1), line)
    first = len(heading) + (2 if heading else 1)
    for j, name in enumerate(frame.columns, start=1):
        _put(ws.cell(row=first, column=j), str(name)).font = Font(bold=True)
    for i, row in enumerate(frame.itertuples(index=False), start=first + 1):
        for j, value in enumerate(row, start=1):
            _put(ws.cell(row=i, column=j), value)
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    for j, name in enumerate(frame.columns, start=1):
        width = max([len(str(name)) * 2, *[len(str(v)) * 2 for v in frame.iloc[:200, j - 1]]], default=8)
        ws.column_dimensions[ws.cell(row=first, column=j).column_letter].width = min(max(width, 8), 60)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(cell, value: object):
    """One cell: numbers as numbers, dates as dates, missing as blank, every text as text."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return cell
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, (int, float, dt.date, dt.datetime)) and not isinstance(value, bool):
        cell.value = value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            cell.number_format = "yyyy-mm-dd"
        return cell
    cell.value = str(value)
    cell.data_type = "s"  # openpyxl's TYPE_STRING: it would make "=…" a formula
    return cell


def _sheet_name(name: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if c in "[]:*?/\\" else c for c in name).strip("'") or "Sheet1"
    return cleaned[:31]
