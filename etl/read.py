"""Open a submission and hand back its sheets, whatever the file claims to be.

The kind of file is told from its bytes, not its extension: a zip is .xlsx, an
OLE container is .xls or a password-protected .xlsx, anything else is text and
read as CSV in UTF-8 (with or without BOM) or GB18030. A file that cannot be
opened raises FileRejected with the reason a coordinator can act on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import msoffcrypto
from python_calamine import CalamineWorkbook

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class FileRejected(Exception):
    """The whole file is rejected; the message says why, in Chinese."""


@dataclass
class Sheet:
    """One sheet's cells as text, line 1 first (None = blank cell)."""

    name: str
    lines: list[list[str | None]]


def read_file(path: Path, data: bytes) -> tuple[str, list[Sheet]]:
    """(format, sheets) for the file's bytes; raises FileRejected."""
    if not data.strip():
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
        return "xlsx", _workbook(path, data)
    return "csv", [_csv(path, data)]


def _encrypted(data: bytes) -> bool:
    try:
        return msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
    except Exception:  # not an Office container msoffcrypto knows: calamine will say what it is
        return False


def _workbook(path: Path, data: bytes) -> list[Sheet]:
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            lines = [[cell_text(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
            _fill_merged(lines, getattr(sheet, "merged_cell_ranges", None) or [])
            sheets.append(Sheet(name, lines))
        return sheets
    except FileRejected:
        raise
    except Exception as e:
        raise FileRejected(f"无法读取 Excel 文件（{type(e).__name__}）：文件可能已损坏或不是 Excel 格式") from e


def _fill_merged(lines: list[list[str | None]], ranges: list) -> None:
    """Every cell of a merged range reads as its top-left cell, as a person sees it: a region
    merged down over its rows belongs to each of them (ranges are 0-based, from A1)."""
    for (top, left), (bottom, right) in ranges:
        if top >= len(lines) or left >= len(lines[top]):
            continue
        value = lines[top][left]
        for r in range(top, min(bottom, len(lines) - 1) + 1):
            for c in range(left, min(right, len(lines[r]) - 1) + 1):
                lines[r][c] = value


def cell_text(value: object) -> str | None:
    """A cell as the text a person reads in it: 12.0 → "12", a date → 2020-06-08."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def detect_encoding(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        raise FileRejected("文件编码无法识别（既不是 UTF-8 也不是 GBK/GB18030），"
                           "请用 Excel 另存为 CSV 或 xlsx") from None


def _csv(path: Path, data: bytes) -> Sheet:
    text = data.decode(detect_encoding(data))
    if "\x00" in text[:4096]:
        raise FileRejected("文件不是表格（含二进制内容），无法识别")
    try:
        lines = [[c if c.strip() else None for c in row] for row in csv.reader(io.StringIO(text), strict=True)]
    except csv.Error as e:
        raise FileRejected(f"CSV 格式错误：{e}") from None
    return Sheet(path.stem, lines)
