"""Open a submission and hand back its sheets, whatever the file claims to be.

The kind of file is told from its bytes, not its extension: a zip is .xlsx, an
OLE container is .xls or a password-protected .xlsx, anything else is text and
read as CSV in UTF-8 (with or without BOM) or GB18030. A file that cannot be
opened raises FileRejected with the reason a coordinator can act on.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto
from python_calamine import CalamineWorkbook

from etl.grid import FAST_CSV_BYTES, Grid, fill_merged, from_csv_bytes, from_csv_text, from_rows
from etl.xlsx_fast import FAST_XLSX_BYTES, read_sheets

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(Exception):
    """The whole file is rejected; the message says why, in Chinese."""


@dataclass
class Sheet:
    """One sheet's cells as text columns, line 1 first (None = blank cell)."""

    name: str
    grid: Grid


def read_file(path: Path, data: bytes) -> tuple[str, list[Sheet]]:
    """(format, sheets) for the file's bytes; raises FileRejected."""
    if not data[:1 << 16].strip() and not data[1 << 16:].strip():  # the second look only for a blank start
        raise FileRejected("文件为空")
    if data.startswith(OLE_MAGIC):
        if _encrypted(data):
            raise FileRejected("文件设置了打开密码，无法读取；请取消密码后重新报送")
        return "xls", _workbook(path, data)
    if data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if "xl/workbook.xml" not in z.namelist():
                    raise FileRejected("文件是压缩包而不是 Excel 工作簿，请解压后报送其中的表格")
        except zipfile.BadZipFile:
            raise FileRejected("Excel 文件已损坏，无法打开；请重新导出后报送") from None
        return "xlsx", _workbook(path, data, fast=len(data) > FAST_XLSX_BYTES)
    return "csv", [_csv(path, data)]


def _encrypted(data: bytes) -> bool:
    try:
        return msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # not an Office container msoffcrypto knows: calamine will say what it is
        return False


def _workbook(path: Path, data: bytes, fast: bool = False) -> list[Sheet]:
    """Every sheet of an .xlsx or .xls; a large .xlsx through Arrow (etl/xlsx_fast.py) unless
    that reader is unsure of its layout."""
    try:
        if fast:
            sheets = read_sheets(data)
            if sheets is not None:
                return [Sheet(name, grid) for name, grid in sheets]
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            merged = [(top, left, bottom, right)
                      for (top, left), (bottom, right) in getattr(sheet, "merged_cell_ranges", None) or []]
            sheets.append(Sheet(name, fill_merged(from_rows(sheet.to_python(skip_empty_area=False)), merged)))
        return sheets
    except FileRejected:
        raise
    except Exception as e:
        raise FileRejected(f"无法读取 Excel 文件（{type(e).__name__}）：文件可能已损坏或不是 Excel 格式") from e


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


def _csv(path: Path, data: bytes) -> Sheet:
    if len(data) > FAST_CSV_BYTES:  # UTF-8 straight from the bytes; GB18030 and irregular files below
        grid = from_csv_bytes(data)
        if grid is not None:
            return Sheet(path.stem, grid)
    text = decode(data)
    if "\x00" in text[:4096]:
        raise FileRejected("文件不是表格（含二进制内容），无法识别")
    try:
        return Sheet(path.stem, from_csv_text(text))
    except csv.Error as e:
        raise FileRejected(f"CSV 格式错误：{e}") from None
