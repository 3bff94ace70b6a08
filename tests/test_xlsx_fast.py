"""Large .xlsx files are read straight into Arrow (etl/xlsx_fast.py); that reader gives exactly
what the exact path through python-calamine gives — the same cells, the same row numbers, merged
ranges filled — or it steps aside."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

import etl.read
from domain.idcard import check_digit
from etl.read import _workbook, read_file
from etl.xlsx_fast import FAST_XLSX_BYTES, read_sheets
from tests.etl_files import (
    APPLICANT_HEADER,
    Merge,
    SheetSpec,
    government_sheet,
    load_one,
    query,
    shared_strings,
    use_temporary_secret,
    write_xlsx,
)


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def same_as_exact(path: Path) -> list[str]:
    """Sheet names, after asserting the fast reader's grids equal the exact path's."""
    data = path.read_bytes()
    exact = _workbook(path, data, fast=False)
    fast = read_sheets(data)
    assert fast is not None, f"{path.name}: the fast reader stepped aside"
    assert [name for name, _ in fast] == [sheet.name for sheet in exact]
    for sheet, (_, grid) in zip(exact, fast, strict=True):
        assert grid.rows() == sheet.grid.rows(), f"{path.name} / {sheet.name}"
        assert grid.table.equals(sheet.grid.table)
    return [sheet.name for sheet in exact]


def test_every_demo_workbook_reads_the_same(demo_files):
    books = [p for p in sorted(demo_files.rglob("*.xlsx")) if "加密" not in p.name]
    assert len(books) > 100
    for path in books:
        same_as_exact(path)


def test_blank_rows_and_columns_before_the_table_keep_excel_row_numbers(tmp_path):
    header = ["地区", "日期", "资格种类", "报名人数"]
    sheet = government_sheet("报名进度", header, [["开封市", dt.date(2020, 6, 8), "小学", 120]],
                             title="开封市报名进度表", total=["合计", None, None, 120], notes=("注：以系统为准",))
    # the table starts at C4: three blank lines above, two blank columns left
    shifted = [[], [], [], *[[None, None, *line] for line in sheet.lines]]
    merges = [Merge(m.first_row + 3, m.first_col + 2, m.last_row + 3, m.last_col + 2) for m in sheet.merges]
    path = write_xlsx(tmp_path / "开封.xlsx", SheetSpec("报名进度", shifted, merges))
    same_as_exact(path)
    _, grid = read_sheets(path.read_bytes())[0]
    assert grid.rows()[3][2:4] == ["开封市报名进度表", "开封市报名进度表"]  # C4 merged across
    assert grid.rows()[4][:3] == [None, None, "地区"]  # header on Excel row 5, from column C


def test_every_kind_of_cell_reads_as_the_exact_path_shows_it(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "各种单元格"
    values = [12, 12.0, 12.5, -3, 1e20, 0.1 + 0.2, True, False, dt.date(2020, 6, 8),
              dt.datetime(2020, 6, 8), dt.datetime(2020, 6, 8, 13, 5, 7), dt.time(13, 5), "  ", "",
              "2020年6月8日", "１２，０００", "=1+1"]
    for r, value in enumerate(values, start=2):
        ws.cell(row=r, column=2, value=value)
        ws.cell(row=r, column=4, value=f"第{r}行")
    ws.cell(row=30, column=3, value=44000).number_format = "yyyy/m/d"
    ws.merge_cells("B20:D22")  # merged down and across, with the top-left cell empty
    ws.cell(row=20, column=2, value=None)
    ws.merge_cells("D24:D26")
    ws.cell(row=24, column=4, value="郑州市")
    wb.create_sheet("空白页")
    hidden = wb.create_sheet("隐藏")
    hidden.sheet_state = "hidden"
    hidden["A1"] = "隐藏的表"
    path = tmp_path / "cells.xlsx"
    wb.save(path)
    assert same_as_exact(path) == ["各种单元格", "空白页", "隐藏"]
    _, grid = read_sheets(path.read_bytes())[0]
    column_b = [line[1] for line in grid.rows()]
    assert column_b[1:12] == ["12", "12", "12.5", "-3", "100000000000000000000", "0.3", "TRUE", "FALSE",
                              "2020-06-08", "2020-06-08", "2020-06-08 13:05:07"]
    assert [line[3] for line in grid.rows()[23:26]] == ["郑州市"] * 3


TEXT_THAT_LOOKS_TYPED = ["true", "false", "TRUE", "False", "2020-06-08 00:00:00", "1899-12-30 13:05:00",
                         "1899-12-31 08:00:00", "2020-06-08 13:05:07"]
TYPED = [True, False, dt.datetime(2020, 6, 8), dt.date(2020, 6, 9), dt.time(13, 5), dt.datetime(2020, 6, 8, 13, 5, 7)]


@pytest.mark.parametrize("strings", ["shared", "inline"])
def test_text_that_looks_like_a_boolean_or_a_date_is_kept_as_typed(tmp_path, strings):
    """A text cell "true" or "2020-06-08 00:00:00" is text on both paths; only a cell typed as a
    Boolean or a date is written TRUE or 2020-06-08 — in a column of text, of typed cells, or both."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "文本与类型"
    for r, text in enumerate(TEXT_THAT_LOOKS_TYPED, start=1):
        ws.cell(row=r, column=1, value=text)
    for r, value in enumerate(TYPED, start=1):
        ws.cell(row=r, column=2, value=value)
    for r, value in enumerate([*TYPED, *TEXT_THAT_LOOKS_TYPED], start=1):
        ws.cell(row=r, column=3, value=value)
    path = tmp_path / "looks-typed.xlsx"
    wb.save(path)  # openpyxl writes text inline (<is>); Excel writes it in a shared-string table
    if strings == "shared":
        path = shared_strings(path)
    same_as_exact(path)
    _, grid = read_sheets(path.read_bytes())[0]
    typed_text = ["TRUE", "FALSE", "2020-06-08", "2020-06-09", "13:05:00", "2020-06-08 13:05:07"]
    rows = grid.rows()
    assert [line[0] for line in rows[:len(TEXT_THAT_LOOKS_TYPED)]] == TEXT_THAT_LOOKS_TYPED
    assert [line[1] for line in rows[:len(TYPED)]] == typed_text
    assert [line[2] for line in rows] == typed_text + TEXT_THAT_LOOKS_TYPED


def test_unusual_xml_steps_aside_and_the_exact_path_reads_it(tmp_path):
    """Rows without an r="n" number (allowed by the standard, written by some tools): the fast
    reader cannot be sure of row numbers, so the exact path reads the file."""
    path = write_xlsx(tmp_path / "a.xlsx", government_sheet(
        "报名进度", ["地区", "日期", "资格种类", "报名人数"], [["开封市", "2020-06-08", "小学", 120]], title="标题"))
    out = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<row r="\d+"', b"<row", data)
            dst.writestr(item, data)
    assert read_sheets(out.getvalue()) is None
    _, [sheet] = read_file(Path("a.xlsx"), out.getvalue())
    assert sheet.grid.rows()[1:3] == [["地区", "日期", "资格种类", "报名人数"], ["开封市", "2020-06-08", "小学", "120"]]


def applicant_book(path: Path, rows: int, bad_at: dict[int, tuple[int, str]]) -> Path:
    """An applicant list over the fast reader's threshold, with a title, a blank line above the
    header (so the header is on Excel row 4) and the given cells spoilt (data index → column, value)."""
    lines = [["漯河市2020年上半年教师资格认定申请人明细"], ["填报单位：漯河市教育局"], [], APPLICANT_HEADER]
    for i in range(rows):
        first17 = f"41110219{80 + i % 20}0{1 + i % 9}1{i % 10}{i % 1000:03d}"
        line = [f"2020411100{i:06d}", "王小明", first17 + check_digit(first17), f"138{i:08d}", "小学", "语文", "漯河市",
                dt.date(2020, 6, 8 + i % 20)]
        if i in bad_at:
            column, value = bad_at[i]
            line[column] = value
        lines.append(line)
    lines.append(["注：以系统数据为准"])
    return write_xlsx(path, SheetSpec("申请人明细", lines, [Merge(1, 1, 1, 8)]))


def test_a_large_list_loads_the_same_and_names_the_same_rows_either_way(tmp_path, monkeypatch):
    path = applicant_book(tmp_path / "漯河市申请人明细.xlsx", 24_000,
                          {9: (7, "2020-13-45"), 12_345: (4, "大学"), 23_998: (2, "110105194912310021")})
    assert path.stat().st_size > FAST_XLSX_BYTES
    fast_dir, exact_dir = tmp_path / "fast", tmp_path / "exact"
    fast_dir.mkdir()
    exact_dir.mkdir()
    fast = load_one(fast_dir, path)
    monkeypatch.setattr(etl.read, "FAST_XLSX_BYTES", 1 << 40)
    exact = load_one(exact_dir, path)
    assert (fast.status, fast.rows_read, fast.rows_loaded, fast.rows_rejected) == ("partial", 24_000, 23_997, 3)
    assert [(e.row, e.column) for e in fast.errors] == [(14, "网报日期"), (12_350, "资格种类"), (24_003, "身份证号")]
    assert fast.errors == exact.errors
    sql = "select * from applicants_current order by all"
    loaded = query(fast_dir, sql)
    assert len(loaded) == 23_997
    assert loaded == query(exact_dir, sql)
