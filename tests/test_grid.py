"""The fast path for large CSV files gives exactly what the exact path gives: the same
cells, the same row numbers — or it steps aside."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pytest

from etl.grid import FAST_CSV_BYTES, blank_to_null, fill_merged, from_csv_bytes, from_rows
from etl.read import read_file

HEADER = ["报名号", "姓名", "身份证号", "手机号", "资格种类", "任教学科", "认定机构", "网报日期"]


def big_csv(extra: list[list[str]] | None = None, at: int = 5000, multiline: bool = False,
            titles: bool = True) -> str:
    titled = [["漯河市2020年上半年教师资格认定申请人明细"], ["填报单位：漯河市教育局"], []]
    rows = [*(titled if titles else []), HEADER]
    for i in range(60_000):
        rows.append([f"2020411100{i:06d}", "王小明", "41110019900101123X", "13800000000", "小学",
                     "语文\n（兼数学）" if multiline and i % 1000 == 7 else "语文", "漯河市", "2020-06-08"])
        if extra and i == at:
            rows.extend(extra)
    if titles:
        rows += [["合计", "", "", "", "", "", "", ""], ["注：以系统数据为准"]]
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    assert len(text.getvalue().encode()) > FAST_CSV_BYTES
    return text.getvalue()


def exact(text: str):
    return from_rows(list(csv.reader(io.StringIO(text)))).table


@pytest.mark.parametrize(("multiline", "titles"), [(False, True), (True, True), (False, False)])
def test_fast_path_equals_the_exact_path(multiline, titles):
    text = big_csv(multiline=multiline, titles=titles,
                   extra=[["2020411100999999", "", "  ", "", "小学", "", "漯河市", "x"]])
    fast = from_csv_bytes(text.encode("utf-8"))
    assert fast is not None
    assert fast.table.equals(exact(text))
    assert fast.table.column("line")[-1].as_py() == exact(text).num_rows  # records, as Excel numbers rows


def test_irregular_lines_step_aside_and_the_exact_path_still_reads_them():
    text = big_csv(extra=[[], ["多", "出", "的", "列", "一", "二", "三", "四", "五"]])
    assert from_csv_bytes(text.encode("utf-8")) is None
    _, [sheet] = read_file(Path("申请人明细.csv"), text.encode("utf-8"))
    assert sheet.grid.table.equals(exact(text))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_large_files_in_every_encoding_read_the_same(encoding):
    text = big_csv()
    _, [sheet] = read_file(Path("申请人明细.csv"), text.encode(encoding))
    assert sheet.grid.table.equals(exact(text))


# ---- the two rules every reader shares ----------------------------------------------------

def test_a_cell_that_looks_empty_is_blank_whatever_wrote_it():
    rows = [["", "  ", "\n", "\u3000", None, " 7 ", 0, 12.0, "x"]]
    assert from_rows(rows).rows() == [[None, None, None, None, None, " 7 ", "0", "12", "x"]]
    assert blank_to_null(pa.array(["", " \t", "a", None])).to_pylist() == [None, None, "a", None]


def test_a_merged_range_reads_as_its_top_left_cell_and_stops_at_the_sheet_edge():
    grid = from_rows([["开封市", "小学", 1], [None, "初中", 2], [None, None, 3]])
    filled = fill_merged(grid, [(0, 0, 2, 0),          # 开封市 merged down over three rows
                                (1, 1, 9, 9),          # past the last row and column: cut at the edge
                                (5, 0, 6, 0)])         # below the sheet: nothing to fill
    assert filled.rows() == [["开封市", "小学", "1"], ["开封市", "初中", "初中"], ["开封市", "初中", "初中"]]
    assert grid.rows()[1] == [None, "初中", "2"]  # the grid it was given is unchanged
