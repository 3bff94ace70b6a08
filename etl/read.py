"""Open a submission and hand back its sheets, whatever the file claims to be.

The kind of file is told from its bytes, not its extension: a zip is .xlsx, an
OLE container is .xls or a password-protected .xlsx, anything else is text and
read as CSV in UTF-8 (with or without BOM) or GB18030. A file that cannot be
opened, or would cost more than etl/limits.py allows, raises FileRejected with the
reason a coordinator can act on, in Chinese; nothing has been written by then.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path

from etl.grid import FAST_CSV_BYTES, CsvProblem, Grid, fill_merged, from_csv_bytes, from_csv_text, from_rows
from etl.limits import (
    Budget,
    FileRejected,
    Limits,
    cell_too_long,
    file_too_large,
    inspect_xlsx,
    open_zip,
    over,
    too_many_columns,
    too_many_rows,
    within,
)
from etl.xlsx_fast import FAST_XLSX_BYTES, read_sheets

__all__ = ["FileRejected", "Sheet", "decode", "read_file"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".et"}
NOT_A_TABLE = ("文件不是有效的 Excel 或 CSV 表格：扩展名为 {suffix}，但内容既不是 Excel 工作簿也不是文本，"
               "可能已损坏或被改了扩展名；请用 Excel 打开确认后另存为 xlsx 或 CSV 再报送")


@dataclass
class Sheet:
    """One sheet's cells as text columns, line 1 first (None = blank cell)."""

    name: str
    grid: Grid


def read_file(path: Path, data: bytes, limits: Limits | None = None,
              budget: Budget | None = None) -> tuple[str, list[Sheet]]:
    """(format, sheets) for the file's bytes; raises FileRejected. Limits default to
    Limits() and the time budget to a new one from them."""
    limits = limits or Limits()
    budget = budget or limits.budget()
    if len(data) > limits.max_file_bytes:
        raise file_too_large(len(data), limits)
    if not data[:1 << 16].strip() and not data[1 << 16:].strip():  # the second look only for a blank start
        raise FileRejected("文件为空")
    if data.startswith(OLE_MAGIC):
        if _encrypted(data):
            raise FileRejected("文件设置了打开密码，无法读取；请取消密码后重新报送")
        fmt, sheets = "xls", _workbook(path, data, budget=budget)
    elif data.startswith(ZIP_MAGIC):
        _is_workbook(data)
        inspect_xlsx(data, limits, budget)
        fmt, sheets = "xlsx", _workbook(path, data, fast=len(data) > FAST_XLSX_BYTES, budget=budget)
    else:
        fmt, sheets = "csv", [_csv(path, data, limits, budget)]
    budget.check()
    for sheet in sheets:
        _within_limits(sheet, limits)
    return fmt, sheets


def _is_workbook(data: bytes) -> None:
    with open_zip(data) as z:
        if "xl/workbook.xml" not in z.namelist():
            raise FileRejected("文件是压缩包而不是 Excel 工作簿，请解压后报送其中的表格")


def _within_limits(sheet: Sheet, limits: Limits) -> None:
    """Rows, columns and cell length of a sheet as read (the used range was bounded before)."""
    grid = sheet.grid
    width = grid.filled_width()
    if not within(len(grid), width, limits):
        line = grid.first_filled_line(width - 1) if width > limits.max_columns else len(grid)
        raise over(sheet.name, line, width, len(grid), width, limits)
    longer = grid.first_longer_than(limits.max_cell_chars)
    if longer is not None:
        raise cell_too_long(sheet.name, *longer, limits)


def _encrypted(data: bytes) -> bool:
    import msoffcrypto  # here: only an OLE container is asked (a CSV never pays for the import)

    try:
        return msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # not an Office container msoffcrypto knows: calamine will say what it is
        return False


def _workbook(path: Path, data: bytes, fast: bool = False, budget: Budget | None = None) -> list[Sheet]:
    """Every sheet of an .xlsx or .xls; a large .xlsx through Arrow (etl/xlsx_fast.py) unless
    that reader is unsure of its layout."""
    from python_calamine import CalamineWorkbook  # here: a CSV never needs it

    try:
        if fast:
            sheets = read_sheets(data, between_sheets=budget and budget.check)
            if sheets is not None:
                return [Sheet(name, grid) for name, grid in sheets]
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            if budget is not None:
                budget.check()
            sheet = book.get_sheet_by_name(name)
            merged = [(top, left, bottom, right)
                      for (top, left), (bottom, right) in getattr(sheet, "merged_cell_ranges", None) or []]
            sheets.append(Sheet(name, fill_merged(from_rows(sheet.to_python(skip_empty_area=False)), merged)))
        return sheets
    except FileRejected:
        raise
    except Exception as e:
        # the kind of error for whoever looks into it, never its text: it may quote a cell
        print(f"读取 Excel 文件 {path.name} 失败：{type(e).__name__}", file=sys.stderr)
        raise FileRejected("无法读取 Excel 文件：内容不符合 Excel 格式，文件可能已损坏；"
                           "请用 Excel 打开确认后重新保存再报送") from e


def decode(data: bytes) -> str:
    """The text of a CSV: UTF-8 (with or without BOM) if it decodes as such, else GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRejected("文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），"
                       "请用 Excel 另存为 CSV 或 xlsx")


def _csv(path: Path, data: bytes, limits: Limits, budget: Budget) -> Sheet:
    _text_only(path, data)
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > limits.max_rows and b'"' not in data:  # then every line is a record: told without parsing
        raise too_many_rows(path.stem, lines, limits)
    try:
        if len(data) > FAST_CSV_BYTES and lines <= limits.max_rows:
            grid = from_csv_bytes(data, limits)  # UTF-8 straight from the bytes; others below
            if grid is not None:
                return Sheet(path.stem, grid)
        try:
            text = decode(data)
        except FileRejected:
            if path.suffix.lower() in EXCEL_SUFFIXES:
                raise FileRejected(NOT_A_TABLE.format(suffix=path.suffix)) from None
            raise
        return Sheet(path.stem, from_csv_text(text, limits, budget.check))
    except CsvProblem as e:
        raise _csv_problem(path.stem, e, limits) from None


def _text_only(path: Path, data: bytes) -> None:
    """A text file has no NUL byte anywhere: binary content is rejected, naming its line."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRejected("文件是 UTF-16 编码的文本，无法读取；请用 Excel 另存为“CSV UTF-8”或 xlsx 后报送")
    nul = data.find(b"\x00")
    if nul < 0:
        return
    if nul < 4096 and path.suffix.lower() in EXCEL_SUFFIXES:
        raise FileRejected(NOT_A_TABLE.format(suffix=path.suffix))
    line = data.count(b"\n", 0, nul) + 1
    raise FileRejected(f"文件第 {line} 行含二进制内容（空字符），不是正常的 CSV 文本，可能已损坏；"
                       f"请用 Excel 另存为 CSV 或 xlsx 后报送")


_CSV_SYNTAX = {  # the csv module's words → what a coordinator can do about it
    "expected after": "引号使用有误：引号结束后应紧跟逗号或换行（单元格中的引号要写成两个 \"\"）",
    "unexpected end of data": "引号没有配对：从这一行开始的引号直到文件末尾都没有结束",
    "new-line character": "未加引号的单元格中有换行符",
    "NUL": "含二进制内容（空字符）",
}


def _csv_problem(sheet: str, problem: CsvProblem, limits: Limits) -> FileRejected:
    if problem.kind == "rows":
        return too_many_rows(sheet, problem.line, limits)
    if problem.kind == "columns":
        return too_many_columns(sheet, problem.line, int(problem.detail), limits)
    if problem.kind == "record":
        return FileRejected(
            f"CSV 文件第 {problem.line} 行起的一行超过 {problem.detail} 个字符：一行最多 {limits.max_columns} 列、"
            f"每个单元格最多 {limits.max_cell_chars} 个字符，文件已整体退回（上限可在活动配置文件 [limits] 的 "
            f"max_columns、max_cell_chars 或环境变量 JSZG_MAX_COLUMNS、JSZG_MAX_CELL_CHARS 中调整）")
    detail = str(problem.detail)
    if "field larger than field limit" in detail:
        return FileRejected(f"CSV 文件第 {problem.line} 行有单元格超过 131072 个字符，超过单元格长度上限 "
                            f"{limits.max_cell_chars} 个字符，文件已整体退回；请删减该单元格的内容后重新报送")
    reason = next((zh for en, zh in _CSV_SYNTAX.items() if en in detail), "引号或分隔符不成对，无法按 CSV 格式读取")
    line = problem.last_line if "expected after" in detail else problem.line
    return FileRejected(f"CSV 格式错误：第 {line} 行{reason}；请用 Excel 打开确认后另存为 CSV 或 xlsx 再报送")
