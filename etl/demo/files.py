"""Write tables the way regions' spreadsheets look: title rows, a 填报单位 line,
a header with units and line breaks, a 合计 row, notes below, merged cells.

Output is byte-for-byte deterministic: .xlsx archives get fixed timestamps.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import xlwt
from openpyxl.styles import Alignment, Font

FIXED_TIME = (2020, 1, 1, 0, 0, 0)
Value = str | int | float | dt.date | None


@dataclass
class Table:
    """One table of a submission as the region lays it out."""

    sheet: str
    header: list[str]
    rows: list[list[Value]]
    title: str = ""
    unit_line: str = ""  # 填报单位：…
    date_line: str = ""  # 填报日期：…
    total: list[Value] | None = None
    notes: list[str] = field(default_factory=list)
    date_format: str = "yyyy-mm-dd"  # for real Excel dates
    file_stem: str = ""  # the workbook's name without extension; CSV: one file per table

    def layout(self) -> list[list[Value]]:
        """All lines as they appear in the sheet, top to bottom."""
        lines: list[list[Value]] = []
        if self.title:
            lines.append([self.title])
        if self.unit_line or self.date_line:
            lines.append([self.unit_line, *([""] * (len(self.header) - 2)), self.date_line])
        lines.append(list(self.header))
        lines.extend(self.rows)
        if self.total is not None:
            lines.append(self.total)
        if self.notes:
            lines.append([])
            lines.extend([note] for note in self.notes)
        return lines

    def first_data_line(self) -> int:
        """1-based line (Excel row) of the first data row."""
        return 1 + bool(self.title) + bool(self.unit_line or self.date_line) + 1


def write_xlsx(path: Path, tables: list[Table]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.sheet)
        for r, line in enumerate(table.layout(), start=1):
            for c, value in enumerate(line, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = table.date_format
        width = len(table.header)
        if table.title and width > 1:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
            ws.cell(row=1, column=1).font = Font(bold=True, size=14)
            ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
        header_row = table.first_data_line() - 1
        for c in range(1, width + 1):
            ws.cell(row=header_row, column=c).font = Font(bold=True)
            ws.cell(row=header_row, column=c).alignment = Alignment(wrap_text=True)
            ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 16
        if table.notes:
            last = len(table.layout())
            for r in range(last - len(table.notes) + 1, last + 1):
                ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=max(width, 2))
    wb.properties.creator = "demo"
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so a seed always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2020-01-01T00:00:00Z", content)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME), content,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


_XLS_DATE_FORMATS = {"yyyy-mm-dd": "YYYY-MM-DD", "yyyy/m/d": "YYYY/M/D", "yyyy年m月d日": 'YYYY"年"M"月"D"日"'}


def write_xls(path: Path, tables: list[Table]) -> None:
    """Old-style .xls (BIFF8), as WPS and older Excel still save it."""
    wb = xlwt.Workbook(encoding="utf-8")
    title_style = xlwt.easyxf("font: bold on, height 280; align: horiz center")
    header_style = xlwt.easyxf("font: bold on; align: wrap on")
    for table in tables:
        ws = wb.add_sheet(table.sheet)
        date_style = xlwt.easyxf(num_format_str=_XLS_DATE_FORMATS.get(table.date_format, "YYYY-MM-DD"))
        header_row = table.first_data_line() - 2
        for r, line in enumerate(table.layout()):
            if r == 0 and table.title:
                ws.write_merge(0, 0, 0, max(len(table.header) - 1, 0), table.title, title_style)
                continue
            for c, value in enumerate(line):
                if value is None or value == "":
                    continue
                if isinstance(value, dt.date):
                    ws.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
                elif r == header_row:
                    ws.write(r, c, value, header_style)
                else:
                    ws.write(r, c, value)
    wb.save(str(path))


def write_csv(path: Path, table: Table, encoding: str, with_titles: bool = True) -> None:
    """One table as CSV the way Excel exports it: UTF-8 with BOM ("utf-8-sig"),
    plain UTF-8, or GB18030 as Excel on a Chinese Windows writes it."""
    lines = table.layout() if with_titles else [table.header, *table.rows,
                                                *([table.total] if table.total else [])]
    width = len(table.header)
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for line in lines:
        cells = ["" if v is None else _csv_text(v) for v in line]
        writer.writerow(cells + [""] * (width - len(cells)))
    path.write_bytes(text.getvalue().encode(encoding))


def _csv_text(value: Value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
