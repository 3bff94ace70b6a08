"""Property-based: random mutations of valid files never crash the loader, never
trip an internal error, and for every file rows read = loaded + rejected."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.load import load_files

HEADER = ["地区", "日期", "资格种类", "报名人数（人）"]
VALID = [["兰考县", dt.date(2020, 6, 8) + dt.timedelta(days=i % 20), ["幼儿园", "小学", "初级中学"][i % 3], 10 + i]
         for i in range(24)]

printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # Excel refuses control chars
cell = st.one_of(st.none(), printable, st.integers(-10**6, 10**9), st.floats(allow_nan=True),
                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
                 st.sampled_from(["合计", "总计", "注：", "2020-02-30", "安阳", "１２３", "1,234", " 7 ", "地区",
                                  "资格种类", "410225", "郑州市教育局", "", "\n"]))
mutation = st.tuples(st.integers(0, 40), st.integers(0, 5), cell)
settings_ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def table(mutations) -> list[list]:
    lines = [["兰考县2020年上半年教师资格认定网上报名情况统计表"], ["填报单位：兰考县教育体育局"], list(HEADER),
             *[list(r) for r in VALID], ["合计", None, None, sum(r[3] for r in VALID)], ["注：以系统数据为准"]]
    for row, col, value in mutations:
        while row >= len(lines):
            lines.append([])
        while col >= len(lines[row]):
            lines[row].append(None)
        lines[row][col] = value
    return lines


def check_report(path: Path, db: Path) -> None:
    result = load_files([path], db)
    for report in result.files:
        assert report.rows_read == report.rows_loaded + report.rows_rejected
        assert report.status in ("loaded", "partial", "rejected", "duplicate")
        assert not any("内部错误" in e.message for e in report.errors), report.errors


@settings_
@given(st.lists(mutation, max_size=12))
def test_mutated_xlsx_never_crashes(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报名进度"
    for line in table(mutations):
        ws.append([v if not isinstance(v, float) or v == v else None for v in line])
    wb.save(folder / "报名进度.xlsx")
    check_report(folder / "报名进度.xlsx", folder / "w.duckdb")


@settings_
@given(st.lists(mutation, max_size=12), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_mutated_csv_never_crashes(tmp_path_factory, mutations, encoding):
    folder = tmp_path_factory.mktemp("csv")
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in line] for line in table(mutations)])
    (folder / "报名进度.csv").write_bytes(text.getvalue().encode(encoding, errors="replace"))
    check_report(folder / "报名进度.csv", folder / "w.duckdb")


@settings_
@given(st.binary(max_size=64), st.integers(0, 4000), st.booleans())
def test_damaged_bytes_never_crash(tmp_path_factory, noise, at, truncate):
    folder = tmp_path_factory.mktemp("bytes")
    wb = openpyxl.Workbook()
    wb.active.title = "报名进度"
    for line in table([]):
        wb.active.append(line)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    data = data[:at] + noise if truncate else data[:at] + noise + data[at + len(noise):]
    (folder / "报名进度.xlsx").write_bytes(data)
    check_report(folder / "报名进度.xlsx", folder / "w.duckdb")
