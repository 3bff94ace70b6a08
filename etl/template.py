"""The blank workbook regions fill in: one sheet per table of CONTRACT.md, named as there, with
the contract's headers, drop-down lists where a column has fixed values, date-formatted cells
and a frozen header; a 填表说明 sheet explains each table and shows a filled-in example.
A template filled in by hand loads every row with no error and nothing else.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from domain.regions import load_units
from etl import tables as t

ROWS = 500  # rows prepared with formats and drop-downs
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
INSTRUCTIONS = "填表说明"

# What each table is for and a row as it should be filled in (the example lives only on 填表说明).
ABOUT = {
    "实施方案": ("每个地区一行：实施方案报送日期、认定公告发布日期（须晚于方案报送）与方案状态。",
             ["周口市", dt.date(2020, 5, 20), dt.date(2020, 5, 25), "已报送", ""]),
    "报名进度": ("每天每个资格种类一行：当天新增的网上报名人数（不是累计数）。",
             ["周口市", dt.date(2020, 6, 8), "小学", 120]),
    "现场确认安排": ("每个确认点一行：开放起止日期、窗口数；每窗口日确认量不填则按省定默认值计算。",
               ["周口市", "周口市政务服务中心确认点", dt.date(2020, 7, 1), dt.date(2020, 7, 10), 6, 12, 60]),
    "体检安排": ("每家体检医院一行：体检起止日期与每日体检能力。",
             ["周口市", "周口市中心医院", dt.date(2020, 7, 1), dt.date(2020, 7, 15), 150]),
    "认定进度": ("每周五报送一行（累计数）：截至统计截止日期的各环节人数。",
             ["周口市", dt.date(2020, 7, 10), 7751, 7600, 7400, 7000, 6000, 3000, 50, 2000, 1500]),
    "申请人明细": ("每位申请人一行；身份证号只用于查重，入库前即转为不可逆的散列值，姓名和手机号不入库。",
              None),
}


def write_template(path: Path | None = None) -> bytes:
    """The template as .xlsx bytes (also written to `path` if given)."""
    book = Workbook()
    book.remove(book.active)
    _instructions(book.create_sheet(INSTRUCTIONS))
    names = sorted({r.name for r in load_units() if r.parent_code})
    for spec in t.TABLES:
        _table_sheet(book.create_sheet(spec.sheet), spec, names)
    out = io.BytesIO()
    book.save(out)
    data = out.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def _table_sheet(ws, spec: t.TableSpec, region_names: list[str]) -> None:
    for j, column in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=j, value=column.header + ("*" if column.required else ""))
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(12, len(column.header) * 2 + 4)
        cells = f"{letter}2:{letter}{ROWS + 1}"
        if column.kind == t.DATE:
            for (c,) in ws[cells]:
                c.number_format = "yyyy-mm-dd"
        allowed = {t.KIND: t.KINDS, t.STATUS: t.PLAN_STATUSES}.get(column.kind)
        if allowed:
            _drop_down(ws, cells, allowed, f"{column.header}须从下拉列表中选择")
        if column.kind in (t.COUNT, t.OPT_COUNT):
            check = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True,
                                   showErrorMessage=True, error=f"{column.header}须为不小于 0 的整数",
                                   errorTitle="数字不对")
            ws.add_data_validation(check)
            check.add(cells)
    ws.freeze_panes = "A2"


def _drop_down(ws, cells: str, values: tuple[str, ...], message: str) -> None:
    listed = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                            showErrorMessage=True, error=message, errorTitle="请从列表中选择")
    ws.add_data_validation(listed)
    listed.add(cells)


def _instructions(ws) -> None:
    ws.column_dimensions["A"].width = 16
    for letter in "BCDEFGHIJKL":
        ws.column_dimensions[letter].width = 16
    lines = [
        ("教师资格认定数据报送模板", True),
        ("1. 每张表一个工作表，表名和第一行表头不要改动；带 * 的列必填。", False),
        ("2. 地区写全称（如 周口市、太康县）或 6 位地区代码；只报本地区的数据。", False),
        ("3. 日期写成 2020-06-08；人数写整数，不要写“人”字，不要加合计行。", False),
        ("4. 资格种类、方案状态从下拉列表中选择。", False),
        ("5. 不用的表留空即可；更正数据时重新报送整张表，新文件会替换同一地区同一日期的旧数据。", False),
        ("", False),
    ]
    for text, bold in lines:
        ws.append([text])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=bold, size=14 if bold else 11)
    spec_by_sheet = {spec.sheet: spec for spec in t.TABLES}
    for sheet, (about, example) in ABOUT.items():
        spec = spec_by_sheet[sheet]
        ws.append([f"【{sheet}】", about])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(["表头", *[c.header + ("*" if c.required else "") for c in spec.columns]])
        if example:
            ws.append(["示例", *example])
            for cell in ws[ws.max_row][1:]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        ws.append([])
