"""Files built to hurt the reader (issue 10): a zip bomb, a sparse sheet whose used range spans
billions of cells, a cell of megabytes, a late NUL byte, random bytes, broken quoting. Each is
built here, in a temporary folder, and must be rejected as a whole with a Chinese reason that
names where and which limit — the bombs in a child process under a 1 GiB address-space limit,
where the reader before this work died of a failed allocation (SIGABRT)."""

from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.campaign import CampaignFileError, load_campaign
from etl.limits import Budget, FileRejected, Limits, inspect_xlsx
from etl.read import read_file
from tests.etl_files import (
    REG_HEADER,
    SHEET_HEAD,
    SHEET_TAIL,
    numbered_rows,
    repeated,
    with_sizes_claimed,
    write_csv,
    xlsx_of_xml,
)

ROOT = Path(__file__).resolve().parent.parent
SHEET = "xl/worksheets/sheet1.xml"
ADDRESS_SPACE = 1 << 30  # a rejection needs about 370 MiB of address space and 80 MiB resident

CHILD = """
import json, sys, time
from pathlib import Path
from etl.read import FileRejected, read_file
path = Path(sys.argv[1])
data = path.read_bytes()
start = time.perf_counter()
try:
    read_file(path, data)
    message = None
except FileRejected as e:
    message = str(e)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"message": message, "seconds": time.perf_counter() - start,
                  "peak_mib": int(status["VmHWM"].split()[0]) // 1024}))
"""


def read_in_child(path: Path, **environ: str) -> dict:
    """read_file on the file in a fresh Python limited to ADDRESS_SPACE: its message, seconds and
    peak resident memory. A reader that runs out of memory fails here, not in the test process."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    env = {**os.environ, "PYTHONPATH": str(ROOT), **environ}
    done = subprocess.run([sys.executable, "-c", CHILD, str(path)], preexec_fn=limit, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


def rejection(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(FileRejected) as caught:
        read_file(path, path.read_bytes(), limits)
    return str(caught.value)


def no_english(message: str) -> None:
    """No library's words reach a coordinator: only Chinese, file kinds and the settings' names."""
    words = set(re.findall(r"[A-Za-z_]{2,}", message)) - {"Excel", "CSV", "xlsx", "xls", "MB", "UTF", "GBK",
                                                          "GB", "limits"}
    assert all(w.startswith(("max_", "JSZG_")) for w in words), words


def inline_cell(reference: str, text: bytes) -> bytes:
    return b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (reference.encode(), text)


# ---- zip bombs: what the sheet expands to, and what the zip's directory claims ---------------


@pytest.fixture(scope="module")
def gigabyte_bomb(tmp_path_factory) -> Path:
    """A 7.6 MB workbook whose one sheet is 23 million identical rows: 1.05 GiB of XML."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx_of_xml(tmp_path_factory.mktemp("bomb") / "报名进度.xlsx", repeated(row, 23_000_000), level=1)


@pytest.mark.slow
def test_a_sheet_expanding_past_a_gibibyte_is_refused_from_the_zip_directory(gigabyte_bomb):
    assert gigabyte_bomb.stat().st_size < 8 << 20

    child = read_in_child(gigabyte_bomb)

    assert child["message"].startswith("Excel 文件解压后共 1075 MB，超过上限 1024 MB，文件已整体退回")
    assert "JSZG_MAX_UNCOMPRESSED_MB" in child["message"]
    assert child["seconds"] < 5
    assert child["peak_mib"] < 300


@pytest.mark.slow
def test_a_zip_directory_that_understates_a_bomb_is_not_believed(gigabyte_bomb, tmp_path):
    """The directory says 10 MiB; the data says otherwise after 10 MiB of it."""
    lying = tmp_path / "报名进度.xlsx"
    lying.write_bytes(gigabyte_bomb.read_bytes())
    with_sizes_claimed(lying, SHEET, 10 << 20)

    child = read_in_child(lying)

    assert child["message"] == ("Excel 文件已损坏（xl/worksheets/sheet1.xml 解压后比压缩目录记录的大），无法打开；"
                                "请用 Excel 重新保存后报送")
    assert child["seconds"] < 5
    assert child["peak_mib"] < 300


@pytest.mark.slow
def test_rows_past_the_limit_are_refused_while_the_sheet_is_streamed(tmp_path):
    """2.1 million numbered rows, 146 MiB of XML (under the size limit): refused at row 2,000,001
    without a reader ever seeing the file."""
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", numbered_rows(1, 2_100_000), level=1)

    child = read_in_child(path)

    assert child["message"].startswith("工作表“报名进度”第 2000001 行仍有数据，超过行数上限 2000000 行，文件已整体退回")
    assert "JSZG_MAX_ROWS" in child["message"]
    assert child["seconds"] < 20
    assert child["peak_mib"] < 300


@pytest.mark.slow
def test_rows_without_numbers_are_counted_as_a_reader_counts_them(tmp_path):
    """Rows without r="n" (allowed, and cheap to repeat): the slower scan counts them the same."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", repeated(row, 2_100_000), level=1)

    child = read_in_child(path)

    assert child["message"].startswith("工作表“报名进度”第 2000001 行仍有数据，超过行数上限 2000000 行")
    assert child["seconds"] < 20
    assert child["peak_mib"] < 300


# ---- sparse sheets: two cells, billions allocated ------------------------------------------


SPARSE = {
    "far_column": (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                   "工作表“报名进度”第 1048576 行 XFD 列（第 16384 列）有数据，超过列数上限 200 列"),
    "far_corner": (b'<row r="1"><c r="A1"><v>1</v></c></row><row r="1000000"><c r="GR1000000"><v>1</v></c></row>',
                   "工作表“报名进度”的数据范围为 A1:GR1000000（1000000 行 × 200 列，共 200000000 个单元格），"
                   "超过上限 30000000 个单元格"),
    "far_without_numbers": (b'<row><c><v>1</v></c>' + b"<c/>" * 300 + b'<c><v>1</v></c></row>',
                            "工作表“报名进度”第 1 行 KP 列（第 302 列）有数据，超过列数上限 200 列"),
}


@pytest.mark.parametrize("case", SPARSE)
def test_a_used_range_of_billions_of_cells_is_refused_before_any_reader_allocates_it(tmp_path, case):
    xml, reason = SPARSE[case]
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", [xml])
    assert path.stat().st_size < 2000

    child = read_in_child(path)

    assert child["message"].startswith(reason)
    assert child["seconds"] < 2


def test_empty_formatted_cells_far_away_do_not_count(tmp_path):
    """Excel writes <c r="XFD1" s="3"/> for a formatted empty cell; a reader leaves it out."""
    xml = (b'<row r="1">' + inline_cell("A1", "地区".encode()) + b'<c r="XFD1" s="1"/></row>'
           b'<row r="1048576"><c r="B1048576" s="1"></c></row>')
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", [xml])

    _, [sheet] = read_file(path, path.read_bytes())

    assert sheet.grid.rows() == [["地区"]]


# ---- the used range counted as the reader counts it, however the XML is written -------------


X = b'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
WRITTEN = {  # sheetData; the table is 4 rows × 3 columns from A1 in every case
    "as_excel_writes": (b'<row r="1"><c r="A1"><v>1</v></c><c r="C1" t="inlineStr"><is><t>a</t></is></c></row>'
                        b'<row r="4"><c r="B4"><v>2</v></c></row>', None),
    "rows_without_numbers": (b'<row><c r="A1"><v>1</v></c><c r="C1"><v>3</v></c></row><row/><row/>'
                             b'<row><c r="B4"><v>2</v></c></row>', None),
    "cells_without_references": (b'<row r="1"><c><v>1</v></c><c/><c><v>3</v></c></row>'
                                 b'<row r="4"><c/><c><v>2</v></c></row>', None),
    "no_numbers_at_all": (b'<row><c><v>1</v></c><c/><c><v>3</v></c></row><row></row><row/>'
                          b'<row><c/><c><v>2</v></c></row>', None),
    "prefixed": (b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="C1"><x:v>3</x:v></x:c></x:row>'
                 b'<x:row r="4"><x:c r="B4"><x:v>2</x:v></x:c></x:row>',
                 (b'<?xml version="1.0"?><x:worksheet xmlns:x="' + X + b'"><x:sheetData>',
                  b'</x:sheetData></x:worksheet>')),
    "single_quotes_r_last": (b"<row r='1'><c s='0' r='A1'><v>1</v></c><c t='n' r = 'C1'><v>3</v></c></row>"
                             b"<row r='4'><c r='B4'><v>2</v></c></row>", None),
}


@pytest.mark.parametrize("case", WRITTEN)
def test_the_used_range_is_found_exactly_however_the_sheet_is_written(tmp_path, case):
    xml, around = WRITTEN[case]
    path = xlsx_of_xml(tmp_path / "a.xlsx", [xml], around=around or (SHEET_HEAD, SHEET_TAIL))
    data = path.read_bytes()
    _, [sheet] = read_file(path, data)
    assert (len(sheet.grid), sheet.grid.width) == (4, 3)
    exact = Limits(max_rows=4, max_columns=3, max_cells=12)

    inspect_xlsx(data, exact, exact.budget())
    for smaller, reason in [(Limits(max_rows=3), "第 4 行仍有数据，超过行数上限 3 行"),
                            (Limits(max_columns=2), "C 列（第 3 列）有数据，超过列数上限 2 列"),
                            (Limits(max_cells=11), "（4 行 × 3 列，共 12 个单元格），超过上限 11 个单元格")]:
        with pytest.raises(FileRejected, match=re.escape(reason)):
            inspect_xlsx(data, smaller, smaller.budget())


# ---- cells too long ------------------------------------------------------------------------


def test_a_cell_of_megabytes_is_refused_naming_where_it_is_not_what_it_says(tmp_path):
    secret = "身份证号110105194912310021" * 200_000  # 4.6 M characters
    xml = (b'<row r="1">' + inline_cell("A1", "备注".encode()) + b'</row><row r="7">' + inline_cell("A7", b"x")
           + inline_cell("C7", secret.encode()) + b"</row>")
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", [xml])

    message = rejection(path)

    assert message.startswith(f"工作表“报名进度”第 7 行 C 列的单元格有约 {len(secret)} 个字符，"
                              "超过单元格长度上限 2000 个字符")
    assert "JSZG_MAX_CELL_CHARS" in message
    assert "110105" not in message


def test_a_long_shared_string_is_refused_naming_the_cell_that_shows_it(tmp_path):
    xml = b'<row r="1"><c r="A1" t="s"><v>1</v></c></row><row r="3"><c r="C3" t="s"><v>0</v></c></row>'
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", [xml], shared=["长" * 300_000, "地区"])

    assert rejection(path).startswith("工作表“报名进度”第 3 行 C 列的单元格有约 300000 个字符")


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_cell_just_over_the_limit_is_refused_with_its_exact_length(tmp_path, suffix):
    lines = [REG_HEADER, ["开封市", "2020-06-08", "小学", "1"], ["开封市", "2020-06-09", "开" * 2001, "2"]]
    if suffix == ".xlsx":
        xml = b"".join(b'<row r="%d">%s</row>' % (r, b"".join(
            inline_cell(f"{'ABCD'[c]}{r}", text.encode()) for c, text in enumerate(line)))
            for r, line in enumerate(lines, start=1))
        path = xlsx_of_xml(tmp_path / f"报名进度{suffix}", [xml])
    else:
        path = write_csv(tmp_path / f"报名进度{suffix}", lines)

    assert rejection(path).startswith("工作表“报名进度”第 3 行 C 列的单元格有 2001 个字符，"
                                      "超过单元格长度上限 2000 个字符")
    assert read_file(path, path.read_bytes(), Limits(max_cell_chars=2001))[0] in ("xlsx", "csv")


# ---- CSV: NUL bytes, quoting, rows and columns ----------------------------------------------


def test_a_nul_byte_after_the_first_four_kilobytes_is_refused_with_its_line(tmp_path):
    lines = [REG_HEADER] + [["开封市", "2020-06-08", "小学", str(n)] for n in range(300)]
    path = write_csv(tmp_path / "报名进度.csv", lines)
    data = path.read_bytes() + "开封市,2020-06-09,坏\x00点名,1\r\n".encode()
    assert data.index(b"\x00") > 4096
    path.write_bytes(data)

    message = rejection(path)

    assert message.startswith("文件第 302 行含二进制内容（空字符），不是正常的 CSV 文本")
    no_english(message)


@pytest.mark.parametrize("nul", [True, False])
def test_random_bytes_named_xlsx_are_not_a_table(tmp_path, nul):
    noise = random.Random(10).randbytes(8192)
    path = tmp_path / "报名进度.xlsx"
    path.write_bytes(noise if nul else noise.replace(b"\x00", b"\x01"))
    assert (b"\x00" in path.read_bytes()) == nul

    message = rejection(path)

    assert message.startswith("文件不是有效的 Excel 或 CSV 表格：扩展名为 .xlsx，但内容既不是 Excel 工作簿也不是文本")
    assert "编码" not in message


BROKEN_CSV = {
    "text_after_a_closing_quote": ('"开封"市,2020-06-08,小学,1\n',
                                   "CSV 格式错误：第 2 行引号使用有误：引号结束后应紧跟逗号或换行"),
    "a_quote_never_closed": ('开封市,2020-06-08,小学,1\n"开封市,2020-06-09,小学,2\n杞县,2020-06-09,小学,3\n',
                             "CSV 格式错误：第 3 行引号没有配对：从这一行开始的引号直到文件末尾都没有结束"),
}


@pytest.mark.parametrize("case", BROKEN_CSV)
def test_broken_quoting_names_the_line_in_chinese(tmp_path, case):
    body, reason = BROKEN_CSV[case]
    path = tmp_path / "报名进度.csv"
    path.write_bytes(("地区,日期,资格种类,报名人数\n" + body).encode())

    message = rejection(path)

    assert message.startswith(reason)
    no_english(message)


def test_a_utf16_csv_is_told_to_be_saved_as_utf8(tmp_path):
    path = tmp_path / "报名进度.csv"
    path.write_bytes("地区,日期,资格种类,报名人数\r\n开封市,2020-06-08,小学,1\r\n".encode("utf-16"))

    assert rejection(path).startswith("文件是 UTF-16 编码的文本，无法读取；请用 Excel 另存为“CSV UTF-8”或 xlsx")


def test_csv_rows_past_the_limit_are_refused(tmp_path):
    lines = [REG_HEADER] + [["开封市", "2020-06-08", "小学", str(n)] for n in range(150)]
    plain = write_csv(tmp_path / "报名进度.csv", lines)
    two_lines = ["开封市", "2020-06-08", "小学\n（补报）", "1"]  # one record on lines 51-52
    quoted = write_csv(tmp_path / "报名进度2.csv", [*lines[:50], two_lines, *lines[50:]])
    limits = Limits(max_rows=100)

    assert rejection(plain, limits).startswith("工作表“报名进度”第 151 行仍有数据，超过行数上限 100 行")
    assert rejection(quoted, limits).startswith("工作表“报名进度2”第 102 行仍有数据，超过行数上限 100 行")


def test_csv_columns_past_the_limit_are_refused_but_trailing_commas_are_not_columns(tmp_path):
    lines = [REG_HEADER, ["开封市", "2020-06-08", "小学", "1", "", "", "", "", "", ""],
             ["开封市", "2020-06-08", "小学", "1", "", "", "备注"]]
    path = write_csv(tmp_path / "报名进度.csv", lines)

    assert rejection(path, Limits(max_columns=6)).startswith(
        "工作表“报名进度”第 3 行 G 列（第 7 列）有数据，超过列数上限 6 列")
    assert read_file(path, path.read_bytes(), Limits(max_columns=7))[0] == "csv"


def test_a_csv_line_too_long_for_any_allowed_row_is_refused_before_it_is_split(tmp_path):
    path = tmp_path / "报名进度.csv"
    path.write_bytes(("地区,日期\n" + "开封市," + '"' + "x" * 10_000 + '"\n').encode())

    message = rejection(path, Limits(max_columns=3, max_cell_chars=10))

    assert message.startswith("CSV 文件第 2 行起的一行超过 71 个字符：一行最多 3 列、每个单元格最多 10 个字符，"
                              "文件已整体退回")


# ---- everything else ------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = write_csv(tmp_path / "报名进度.csv", [REG_HEADER] + [["开封市", "2020-06-08", "小学", "1"]] * 60_000)

    message = rejection(path, Limits(max_file_bytes=1 << 20))

    assert message.startswith(f"文件大小 {path.stat().st_size / (1 << 20):.1f} MB，超过上限 1 MB，文件已整体退回")
    assert "JSZG_MAX_FILE_MB" in message


def test_a_sheet_the_excel_reader_cannot_parse_is_refused_without_its_error_names(tmp_path):
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", [b'<row r="1"><c r="A1"><v>1</c></row>'])

    message = rejection(path)

    assert message.startswith("无法读取 Excel 文件：内容不符合 Excel 格式，文件可能已损坏")
    no_english(message)


def test_a_spent_time_budget_rejects_the_file(tmp_path):
    path = xlsx_of_xml(tmp_path / "报名进度.xlsx", numbered_rows(1, 10))

    with pytest.raises(FileRejected, match=re.escape("处理时间超过上限 5 秒，文件已整体退回")):
        read_file(path, path.read_bytes(), budget=Budget(5, time.monotonic() - 1))


# ---- where the limits come from -------------------------------------------------------------


def test_the_environment_beats_the_campaign_which_beats_the_default():
    limits = Limits.from_env({"max_rows": 5000, "max_file_mb": 50},
                             environ={"JSZG_MAX_ROWS": "7000", "JSZG_MAX_SECONDS": "60"})

    assert (limits.max_rows, limits.max_file_bytes, limits.max_seconds, limits.max_columns) == (7000, 50 << 20, 60, 200)
    assert Limits.from_env(environ={}) == Limits()
    assert Limits().max_uncompressed_bytes == 1 << 30
    with pytest.raises(ValueError, match="环境变量 JSZG_MAX_ROWS 应为正整数，实际是“-3”"):
        Limits.from_env(environ={"JSZG_MAX_ROWS": "-3"})
    with pytest.raises(ValueError, match="活动配置 \\[limits\\] 的 max_columns 应为正整数"):
        Limits.from_env({"max_columns": 0}, environ={})


@pytest.mark.parametrize(("section", "problem"), [
    ("max_rows = 5000\nmax_uncompressed_mb = 2048\n", None),
    ("max_row = 5000\n", "的 [limits] 没有设置项 max_row"),
    ('max_rows = "many"\n', "的设置项 limits.max_rows 应为正整数，实际是“many”"),
    ("max_seconds = 0\n", "的设置项 limits.max_seconds 应为正整数"),
])
def test_a_campaign_may_set_its_own_limits(tmp_path, section, problem):
    path = tmp_path / "2020H1.toml"
    path.write_text((ROOT / "data/campaigns/2020H1.toml").read_text(encoding="utf-8") + "\n[limits]\n" + section,
                    encoding="utf-8")

    if problem is None:
        campaign = load_campaign(path)
        assert campaign.limits == {"max_rows": 5000, "max_uncompressed_mb": 2048}
        assert Limits.from_env(campaign.limits, environ={}).max_uncompressed_bytes == 2 << 30
    else:
        with pytest.raises(CampaignFileError, match=re.escape(problem)):
            load_campaign(path)
    assert load_campaign(ROOT / "data/campaigns/2020H1.toml").limits == {}
