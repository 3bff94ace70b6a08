"""Write real submission files for the ETL tests, laid out the way regions' spreadsheets are
(title rows, a 填报单位 line, a header with units, blank lines, a 合计 row, notes below,
merged cells), and read back what a load left in the warehouse.

Files are written by the libraries a region's software stands for: openpyxl for .xlsx,
xlwt for .xls, the csv module with an explicit encoding for .csv. Nothing is mocked.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import duckdb
import openpyxl
import pytest
import xlwt

from etl.load import FileReport, LoadResult, load_files
from etl.secret import load_secret
from etl.validate import Problem

Cell = str | int | float | dt.date | dt.datetime | None
Lines = list[list[Cell]]

REG_HEADER = ["地区", "日期", "资格种类", "报名人数"]
PROGRESS_HEADER = ["地区", "统计截止日期", "网报人数", "已预约", "已现场确认", "已体检", "犯罪记录已核查",
                   "认定通过", "认定不通过", "证书已打印", "证书已发放"]
SITES_HEADER = ["地区", "确认点名称", "开始日期", "结束日期", "窗口数", "工作人员数", "每窗口日确认量"]
PLAN_HEADER = ["地区", "方案报送日期", "公告发布日期", "方案状态", "备注"]
APPLICANT_HEADER = ["报名号", "姓名", "身份证号", "手机号", "资格种类", "任教学科", "认定机构", "网报日期"]


@dataclass
class Merge:
    """A merged range, 1-based and inclusive, as Excel numbers rows and columns."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class SheetSpec:
    name: str
    lines: Lines
    merges: list[Merge] = field(default_factory=list)
    date_format: str = "yyyy-mm-dd"


def government_sheet(name: str, header: list[str], rows: Lines, *, title: str = "", unit_line: str = "",
                     date_line: str = "", total: list[Cell] | None = None, notes: tuple[str, ...] = (),
                     blank_before_header: bool = False) -> SheetSpec:
    """A table as a bureau lays it out: title (merged across the table), 填报单位/填报日期 line,
    header, rows, 合计, a blank line and notes (each merged across)."""
    lines: Lines = []
    merges: list[Merge] = []
    width = len(header)
    if title:
        lines.append([title])
        merges.append(Merge(1, 1, 1, width))
    if unit_line or date_line:
        lines.append([unit_line, *([None] * (width - 2)), date_line])
    if blank_before_header:
        lines.append([])
    lines.append(list(header))
    lines.extend(rows)
    if total is not None:
        lines.append(total)
    if notes:
        lines.append([])
        for note in notes:
            lines.append([note])
            merges.append(Merge(len(lines), 1, len(lines), width))
    return SheetSpec(name, lines, merges)


def write_xlsx(path: Path, *sheets: SheetSpec) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for spec in sheets:
        ws = wb.create_sheet(spec.name)
        for r, line in enumerate(spec.lines, start=1):
            for c, value in enumerate(line, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = spec.date_format
        for m in spec.merges:
            ws.merge_cells(start_row=m.first_row, start_column=m.first_col, end_row=m.last_row,
                           end_column=m.last_col)
    buffer = io.BytesIO()
    wb.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def shared_strings(path: Path) -> Path:
    """The same workbook with its text cells in a shared-string table (<c t="s"><v>0</v>), as Excel
    writes them; openpyxl writes text inline (<c t="inlineStr"><is>…</is>)."""
    table: dict[bytes, int] = {}

    def shared(match: re.Match) -> bytes:
        index = table.setdefault(match[3], len(table))
        return b"<c " + match[1] + b't="s"' + match[2] + b"><v>" + str(index).encode() + b"</v></c>"

    out = path.with_name(f"{path.stem}-shared{path.suffix}")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = {item.filename: src.read(item.filename) for item in src.infolist()}
        for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
            parts[name] = re.sub(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', shared, parts[name],
                                 flags=re.S)
            assert b"inlineStr" not in parts[name]
        items = b"".join(b"<si>" + text + b"</si>" for text in table)
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main" count="%d" uniqueCount="%d">%s</sst>' % (len(table), len(table), items))
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            b'spreadsheetml.sharedStrings+xml"/></Types>'))
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
            b'<Relationship Id="rIdShared" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'))
        for name, data in parts.items():
            dst.writestr(name, data)
    return out


_XLS_DATE_FORMATS = {"yyyy-mm-dd": "YYYY-MM-DD", "yyyy/m/d": "YYYY/M/D", "yyyy年m月d日": 'YYYY"年"M"月"D"日"'}


def write_xls(path: Path, *sheets: SheetSpec) -> Path:
    """Old-style .xls (BIFF8), as WPS and older Excel save it."""
    wb = xlwt.Workbook(encoding="utf-8")
    for spec in sheets:
        ws = wb.add_sheet(spec.name)
        date_style = xlwt.easyxf(num_format_str=_XLS_DATE_FORMATS[spec.date_format])
        merged_away = set()
        for m in spec.merges:
            top_left = spec.lines[m.first_row - 1][m.first_col - 1]
            ws.write_merge(m.first_row - 1, m.last_row - 1, m.first_col - 1, m.last_col - 1, top_left)
            merged_away |= {(r, c) for r in range(m.first_row, m.last_row + 1)
                            for c in range(m.first_col, m.last_col + 1)}
        for r, line in enumerate(spec.lines, start=1):
            for c, value in enumerate(line, start=1):
                if value is None or (r, c) in merged_away:
                    continue
                if isinstance(value, dt.datetime):
                    ws.write(r - 1, c - 1, value, date_style)
                elif isinstance(value, dt.date):
                    ws.write(r - 1, c - 1, dt.datetime.combine(value, dt.time()), date_style)
                else:
                    ws.write(r - 1, c - 1, value)
    wb.save(str(path))
    return path


def write_csv(path: Path, lines: Lines, encoding: str = "utf-8") -> Path:
    """Lines as Excel exports CSV ("utf-8-sig" is UTF-8 with BOM; "gb18030" what Chinese Windows writes)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    for line in lines:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in line])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


# ---- loading and reading back -------------------------------------------------------------


def use_temporary_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ID-hash key in tmp_path, never in the real home directory."""
    monkeypatch.setenv("JSZG_SECRET_FILE", str(tmp_path / "secret" / "id-hash.key"))
    load_secret.cache_clear()


def db_of(tmp_path: Path) -> Path:
    return tmp_path / "w.duckdb"


def load(tmp_path: Path, *paths: Path) -> LoadResult:
    result = load_files(list(paths), db=db_of(tmp_path))
    for report in result.files:
        assert report.rows_read == report.rows_loaded + report.rows_rejected, report
    return result


def load_one(tmp_path: Path, path: Path) -> FileReport:
    return load(tmp_path, path).files[0]


def query(tmp_path: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db_of(tmp_path)), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def registrations(tmp_path: Path) -> list[tuple]:
    """(region_code, date as text, qualification, registrations, sheet, row) of registrations_daily."""
    return query(tmp_path, """select region_code, strftime(date, '%Y-%m-%d'), qualification, registrations,
                              sheet, "row" from registrations_daily order by "row", region_code""")


def rejected(tmp_path: Path) -> list[tuple]:
    """(sheet, row, column, value) of rejected_rows, in file order."""
    return [(s, r, c, v) for s, r, c, v, _ in rejected_with_messages(tmp_path)]


def rejected_with_messages(tmp_path: Path) -> list[tuple]:
    return query(tmp_path, """select sheet, "row", "column", value, message from rejected_rows
                              order by load_seq, "row" nulls first, "column\"""")


def where(problems: list[Problem]) -> list[tuple]:
    """(sheet, row, column, value) of each problem."""
    return [(p.sheet, p.row, p.column, p.value) for p in problems]


# ---- hostile files ---------------------------------------------------------------------------
# Written by hand with zipfile, streamed: a real writer would not make them, and they must be
# cheap to build however far they expand.

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+'
    b'xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/>%s</Types>')
_SHARED_TYPE = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                b'officedocument.spreadsheetml.sharedStrings+xml"/>')
_ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_BOOK = (b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
         b'2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
         b'<sheet name="%s" sheetId="1" r:id="rId1"/></sheets></workbook>')
_BOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
              b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
              b'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>%s</Relationships>')
_SHARED_REL = (b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
               b'relationships/sharedStrings" Target="sharedStrings.xml"/>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
              b'spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b'</sheetData></worksheet>'


def xlsx_of_xml(path: Path, sheet_xml: Iterable[bytes], sheet: str = "报名进度", shared: list[str] | None = None,
                level: int = 6, around: tuple[bytes, bytes] = (SHEET_HEAD, SHEET_TAIL)) -> Path:
    """A minimal workbook whose one sheet's <sheetData> holds the given pieces (`around` them:
    the XML before and after), streamed into the zip as they come (never whole in memory), with
    a shared-string table if given."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES % (_SHARED_TYPE if shared is not None else b""))
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("xl/workbook.xml", _BOOK % sheet.encode())
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS % (_SHARED_REL if shared is not None else b""))
        if shared is not None:
            items = b"".join(b"<si><t>%s</t></si>" % escape(text).encode() for text in shared)
            z.writestr("xl/sharedStrings.xml", b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                       b'openxmlformats.org/spreadsheetml/2006/main">' + items + b"</sst>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(around[0])
            for piece in sheet_xml:
                f.write(piece)
            f.write(around[1])
    return path


def numbered_rows(first: int, last: int, cells: bytes = b'<c r="A%d" t="inlineStr"><is><t>x</t></is></c>',
                  per_piece: int = 50_000) -> Iterator[bytes]:
    """Rows first..last, each <row r="n"> with the given cells (%d = the row number), in pieces."""
    template = b'<row r="%d">' + cells + b"</row>"
    count = template.count(b"%d")
    for start in range(first, last + 1, per_piece):
        yield b"".join(template % ((n,) * count) for n in range(start, min(start + per_piece, last + 1)))


def repeated(piece: bytes, times: int) -> Iterator[bytes]:
    """The same XML `times` times, in pieces of about 1 MiB."""
    batch = max(1, (1 << 20) // len(piece))
    block = piece * batch
    for _ in range(times // batch):
        yield block
    yield piece * (times % batch)


def with_sizes_claimed(path: Path, member: str, size: int) -> Path:
    """The same zip, with `member`'s uncompressed size in its local header and in the zip's
    directory replaced by `size`: the lie a zip bomb tells."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    name = member.encode()
    local = info.header_offset
    assert data[local:local + 4] == b"PK\x03\x04"
    _patch_size(data, local + 22, local + 30 + len(name), data[local + 28:local + 30], size, central=False)
    central = len(data)
    while True:  # the member's entry in the zip's directory
        central = data.rfind(b"PK\x01\x02", 0, central)
        assert central >= 0, member
        if data[central + 46:central + 46 + len(name)] == name:
            break
    _patch_size(data, central + 24, central + 46 + len(name), data[central + 30:central + 32], size, central=True)
    path.write_bytes(bytes(data))
    return path


def _patch_size(data: bytearray, at: int, extra_at: int, extra_length: bytes, size: int, central: bool) -> None:
    """Write `size` where the header keeps the uncompressed size: in its 32-bit field, or, when
    that holds 0xFFFFFFFF, in the zip64 extra field (whose first value it is)."""
    if struct.unpack_from("<I", data, at)[0] != 0xFFFFFFFF:
        struct.pack_into("<I", data, at, size)
        return
    end = extra_at + struct.unpack("<H", extra_length)[0]
    while extra_at < end:
        tag, length = struct.unpack_from("<HH", data, extra_at)
        if tag == 1:
            struct.pack_into("<Q", data, extra_at + 4, size)
            return
        extra_at += 4 + length
    raise AssertionError(f"no zip64 size in the {'central' if central else 'local'} header")
