"""What one submitted file may cost, and the checks that keep it there.

A file over any limit is rejected as a whole, before anything is written, with a Chinese reason
that names the limit and the setting that raises it. Limits come from the environment
(JSZG_MAX_*), else the campaign file's [limits] section, else the defaults below.

An .xlsx is a zip of XML, and what an Excel reader builds from it can be far larger than the
file: a 4 MB workbook can expand to gigabytes of XML, and two cells, A1 and XFD1048576, make
python-calamine allocate seventeen billion. So an .xlsx is inspected before any reader sees it
(`inspect_xlsx`), streaming each zip member once in 1 MiB pieces:

- the sizes the zip's directory gives its members are summed against the limit, and each member
  is held to its size as it is decompressed from its own bytes: a zip bomb that understates one
  is a damaged file after that many bytes, not a gigabyte later;
- every cell reference (``<c r="GR1048576"``) is read with numpy, a piece at a time, for the
  sheet's used range — the rows × columns a reader allocates, counting only cells that hold
  something, as python-calamine does;
- a run of text without markup longer than any allowed cell could need is a cell too long.

Sheets written without cell references, or in XML this scan does not follow (prefixed names,
single-quoted attributes), are scanned again, also with numpy, counting rows and cells the way
python-calamine numbers them, for a bound on the same range.
Cells are checked exactly once read (etl/read.py); this only makes sure the reading stays bounded.
"""

from __future__ import annotations

import io
import os
import re
import struct
import time
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields

import numpy as np

from domain.campaign import LIMIT_KEYS
from etl.xlsx_fast import workbook_sheets

MB = 1 << 20


class FileRejected(Exception):
    """The whole file is rejected; the message says why, in Chinese."""

    retry = False  # the same bytes get the same answer next time (see OverLimit)


class OverLimit(FileRejected):
    """Over a limit of this server's settings, not wrong in itself: tried again next time (the
    settings may have been raised)."""

    retry = True


@dataclass(frozen=True)
class Limits:
    """The most one file may cost. The defaults leave room for a real 1,000,000-row applicant
    list: an .xlsx of 88 MB whose sheet XML is 835 MiB, a CSV of 135 MiB."""

    max_file_bytes: int = 200 * MB  # the file as submitted
    max_uncompressed_bytes: int = 1024 * MB  # an .xlsx's zip members, as they really expand
    max_rows: int = 2_000_000  # in one sheet (Excel itself stops at 1,048,576)
    max_columns: int = 200  # in one sheet; the templates have at most 13
    max_cells: int = 30_000_000  # rows × columns of one sheet's used range, from A1
    max_cell_chars: int = 2_000  # one cell's text (Excel allows 32,767)
    max_seconds: int = 600  # reading and checking one file

    @classmethod
    def from_env(cls, campaign_limits: Mapping[str, int] | None = None,
                 environ: Mapping[str, str] | None = None) -> Limits:
        """The limits in force: an environment variable beats the campaign's [limits], which
        beats the default. A setting that is not a positive whole number raises ValueError."""
        environ = os.environ if environ is None else environ
        values = {}
        for name, (key, variable, unit) in _SETTINGS.items():
            raw, source = environ.get(variable, "").strip(), f"环境变量 {variable}"
            if not raw and key in (campaign_limits or {}):
                raw, source = campaign_limits[key], f"活动配置 [limits] 的 {key}"
            if raw == "":
                continue
            number = int(raw) if isinstance(raw, int) or (isinstance(raw, str) and raw.isdigit()) else 0
            if number <= 0 or isinstance(raw, bool):
                raise ValueError(f"{source} 应为正整数，实际是“{raw}”")
            values[name] = number * unit
        return cls(**values)

    def budget(self) -> Budget:
        """A deadline max_seconds from now, for one file."""
        return Budget(self.max_seconds, time.monotonic() + self.max_seconds)


_SETTINGS = {  # field → (campaign [limits] key, environment variable, unit of the setting)
    "max_file_bytes": ("max_file_mb", "JSZG_MAX_FILE_MB", MB),
    "max_uncompressed_bytes": ("max_uncompressed_mb", "JSZG_MAX_UNCOMPRESSED_MB", MB),
    "max_rows": ("max_rows", "JSZG_MAX_ROWS", 1),
    "max_columns": ("max_columns", "JSZG_MAX_COLUMNS", 1),
    "max_cells": ("max_cells", "JSZG_MAX_CELLS", 1),
    "max_cell_chars": ("max_cell_chars", "JSZG_MAX_CELL_CHARS", 1),
    "max_seconds": ("max_seconds", "JSZG_MAX_SECONDS", 1),
}
assert list(_SETTINGS) == [f.name for f in fields(Limits)]
assert tuple(key for key, _, _ in _SETTINGS.values()) == LIMIT_KEYS


@dataclass
class Budget:
    """The time one file may take: `check()` between steps raises FileRejected once it is spent."""

    seconds: int
    deadline: float  # time.monotonic()

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise OverLimit(f"处理时间超过上限 {self.seconds} 秒，文件已整体退回；请拆分后分别报送"
                            f"{_hint('max_seconds')}")


# ---- the reasons, in Chinese --------------------------------------------------------------


def _hint(field: str) -> str:
    key, variable, _ = _SETTINGS[field]
    return f"（上限可在活动配置文件 [limits] 的 {key} 或环境变量 {variable} 中调整）"


def column_letters(number: int) -> str:
    """1 → A, 27 → AA: a column as Excel names it."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet(sheet: str) -> str:
    return f"工作表“{sheet}”" if sheet else "文件"


def file_too_large(size: int, limits: Limits) -> OverLimit:
    return OverLimit(f"文件大小 {size / MB:.1f} MB，超过上限 {limits.max_file_bytes // MB} MB，"
                        f"文件已整体退回；请拆分后分别报送{_hint('max_file_bytes')}")


def expands_too_much(size: int, limits: Limits) -> OverLimit:
    return OverLimit(f"Excel 文件解压后共 {size / MB:.0f} MB，超过上限 {limits.max_uncompressed_bytes // MB} MB，"
                        f"文件已整体退回；请删去多余的行、列和格式，或拆分后分别报送{_hint('max_uncompressed_bytes')}")


def too_many_rows(sheet: str, row: int, limits: Limits) -> OverLimit:
    return OverLimit(f"{_sheet(sheet)}第 {row} 行仍有数据，超过行数上限 {limits.max_rows} 行，"
                        f"文件已整体退回；请删去多余的行或拆分后分别报送{_hint('max_rows')}")


def too_many_columns(sheet: str, row: int, column: int, limits: Limits) -> OverLimit:
    return OverLimit(f"{_sheet(sheet)}第 {row} 行 {column_letters(column)} 列（第 {column} 列）有数据，"
                        f"超过列数上限 {limits.max_columns} 列，文件已整体退回；请删去多余的列后重新报送"
                        f"{_hint('max_columns')}")


def too_many_cells(sheet: str, rows: int, columns: int, limits: Limits) -> OverLimit:
    return OverLimit(
        f"{_sheet(sheet)}的数据范围为 A1:{column_letters(columns)}{rows}（{rows} 行 × {columns} 列，"
        f"共 {rows * columns} 个单元格），超过上限 {limits.max_cells} 个单元格，文件已整体退回；"
        f"请删去远处多余的单元格内容，或拆分后分别报送{_hint('max_cells')}")


def cell_too_long(sheet: str, row: int | None, column: int | None, chars: int, limits: Limits,
                  about: bool = False) -> OverLimit:
    where = (f"{_sheet(sheet)}第 {row} 行 {column_letters(column)} 列的单元格" if row and column
             else f"{_sheet(sheet)}中有一个单元格")
    return OverLimit(f"{where}有{'约 ' if about else ' '}{chars} 个字符，超过单元格长度上限 "
                        f"{limits.max_cell_chars} 个字符，文件已整体退回；请删减该单元格的内容后重新报送"
                        f"{_hint('max_cell_chars')}")


def damaged(detail: str) -> FileRejected:
    return FileRejected(f"Excel 文件已损坏（{detail}），无法打开；请用 Excel 重新保存后报送")


def within(rows: int, columns: int, limits: Limits) -> bool:
    """Whether a used range of rows × columns (from A1) is within the limits."""
    return rows <= limits.max_rows and columns <= limits.max_columns and rows * columns <= limits.max_cells


def over(sheet: str, row: int, column: int, rows: int, columns: int, limits: Limits) -> OverLimit:
    """Why a used range that now reaches (rows, columns), last by the cell (row, column), is over."""
    if row > limits.max_rows:
        return too_many_rows(sheet, row, limits)
    if column > limits.max_columns:
        return too_many_columns(sheet, row, column, limits)
    return too_many_cells(sheet, rows, columns, limits)


# ---- an .xlsx, before any reader sees it ----------------------------------------------------

_PIECE = 1 << 20  # decompressed bytes looked at together
_CARRY = 4096  # the end of each piece is looked at again with the next (a cell's tag fits in it)
_SMALL_PART = 16 * MB  # workbook.xml and its relationships are read whole: no larger than this
_MAX_MEMBERS = 10_000  # zip members (a workbook has a few dozen)


def inspect_xlsx(data: bytes, limits: Limits, budget: Budget) -> None:
    """Raise FileRejected if reading this .xlsx would cost more than the limits allow: members
    that expand past max_uncompressed_bytes (whatever the zip's directory says), a sheet whose used
    range is over max_rows, max_columns or max_cells, or a cell far over max_cell_chars."""
    z = open_zip(data)
    infos = z.infolist()
    declared = sum(info.file_size for info in infos)
    if declared > limits.max_uncompressed_bytes:
        raise expands_too_much(declared, limits)
    members = _Members(data, limits, budget)
    book, rels = members.read_small(z, "xl/workbook.xml"), members.read_small(z, "xl/_rels/workbook.xml.rels")
    names = {info.filename for info in infos}
    listed = workbook_sheets(book, rels) if book and rels else []
    sheets = {part: name or "" for name, part in reversed(listed) if part}  # part → the first sheet showing it
    strings = _SharedStrings(limits)
    sheet_bytes = again = 0
    for info in sorted(infos, key=lambda info: not _is_shared_strings(info.filename)):  # strings first
        name = info.filename
        if _is_shared_strings(name):
            members.scan(info, strings)
        elif name in sheets or name.startswith("xl/worksheets/") or (not sheets and name.endswith(".xml")):
            _scan_sheet(members, info, sheets.get(name, name.rsplit("/", 1)[-1]), strings)
            sheet_bytes += info.file_size
        else:
            members.scan(info, None)
    for part, shown in Counter(part for _, part in listed if part in names).items():
        again += (shown - 1) * z.getinfo(part).file_size  # a part several sheets show is read for each
    if declared + again > limits.max_uncompressed_bytes:
        raise expands_too_much(declared + again, limits)
    strings.check(sheet_bytes)


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip's directory, read only if it lists no more members than a workbook could need."""
    if data.count(b"PK\x01\x02") > _MAX_MEMBERS:  # each member's entry in the directory starts so
        raise damaged(f"压缩包中的文件超过 {_MAX_MEMBERS} 个")
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, or what a malformed directory makes zipfile raise
        raise damaged("压缩结构不完整") from None


def _scan_sheet(members: _Members, info: zipfile.ZipInfo, sheet: str, strings: _SharedStrings) -> None:
    quick = _CellScan(sheet, members.limits, strings)
    if members.scan(info, quick):
        return
    if not quick.odd and members.scan(info, _CellScan(sheet, members.limits, strings, exact=True)):
        return
    members.scan(info, _TagScan(sheet, members.limits))


def _is_shared_strings(name: str) -> bool:
    return name.lower().endswith("sharedstrings.xml")


class _Members:
    """The members of a zip, each decompressed from its own bytes and held to the size the zip's
    directory gives it: what they expand to is then the sum of those sizes, checked up front."""

    def __init__(self, data: bytes, limits: Limits, budget: Budget):
        self.data, self.limits, self.budget = memoryview(data), limits, budget

    def read_small(self, z: zipfile.ZipFile, name: str) -> bytes | None:
        try:
            info = z.getinfo(name)
        except KeyError:
            return None
        if info.file_size > _SMALL_PART:
            raise damaged(f"{name} 异常庞大")
        return b"".join(self._pieces(info))

    def scan(self, info: zipfile.ZipInfo, scanner: _CellScan | _TagScan | _SharedStrings | None) -> bool:
        """Hand every piece of a member to the scanner, then None for its end; False if the
        scanner gave up on it."""
        for piece in self._pieces(info):
            if scanner is not None and scanner.feed(piece) is False:
                return False
        return scanner is None or scanner.feed(None) is not False

    def _pieces(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes, at most _PIECE at a time; a member that expands to more or less than
        its entry in the directory says is a damaged file."""
        produced = 0
        for piece in self._inflate(info, *self._span(info)):
            produced += len(piece)
            if produced > info.file_size:
                raise damaged(f"{info.filename} 解压后比压缩目录记录的大")
            self.budget.check()
            yield piece
        if produced != info.file_size:
            raise damaged(f"{info.filename} 解压后与压缩目录记录的大小不符")

    def _span(self, info: zipfile.ZipInfo) -> tuple[int, int]:
        offset = info.header_offset
        if bytes(self.data[offset:offset + 4]) != b"PK\x03\x04":
            raise damaged("压缩目录指向的位置不是文件内容")
        if info.flag_bits & 0x1:
            raise FileRejected("Excel 文件中的内容被加密，无法读取；请取消密码后重新报送")
        name_length, extra_length = struct.unpack_from("<HH", self.data, offset + 26)
        start = offset + 30 + name_length + extra_length
        if start + info.compress_size > len(self.data):
            raise damaged("文件不完整")
        return start, start + info.compress_size

    def _inflate(self, info: zipfile.ZipInfo, start: int, end: int) -> Iterator[bytes]:
        if info.compress_type == zipfile.ZIP_STORED:
            for at in range(start, end, _PIECE):
                yield bytes(self.data[at:min(at + _PIECE, end)])
            return
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise FileRejected("Excel 文件使用了不支持的压缩方式，无法读取；请用 Excel 重新保存后报送")
        inflate = zlib.decompressobj(-15)
        try:
            for at in range(start, end, 1 << 16):
                pending = self.data[at:min(at + (1 << 16), end)]
                while pending and not inflate.eof:
                    out = inflate.decompress(pending, _PIECE)
                    pending = inflate.unconsumed_tail
                    if out:
                        yield out
        except zlib.error:
            raise damaged(f"{info.filename} 的压缩数据有误") from None
        if not inflate.eof:
            raise damaged(f"{info.filename} 的压缩数据不完整")


# ---- looking at XML a piece at a time -------------------------------------------------------

_LT, _GT, _SLASH, _QUOTE, _APOS, _COLON = 60, 62, 47, 34, 39, 58


@dataclass
class _Window:
    """A piece together with the last _CARRY bytes of the piece before: positions from `own` on
    are left to the next window, where a tag cut by the piece's end is whole."""

    text: bytes  # with 64 zero bytes after the real ones: reading a little past any position is safe
    codes: np.ndarray  # text as uint8
    start: int  # where text starts in the member
    own: int  # positions before this are this window's to look at
    last: bool  # the member ends with this window
    lt: np.ndarray  # positions of '<' before own


_PAD = bytes(64)


class _Windows:
    def __init__(self):
        self.carry = b""
        self.start = 0

    def next(self, piece: bytes | None) -> _Window:
        """The next window; piece None = the member has ended (the window is the rest)."""
        text = b"".join((self.carry, piece or b"", _PAD))
        length = len(text) - len(_PAD)
        own = length if piece is None else max(length - _CARRY, 0)
        codes = np.frombuffer(text, dtype=np.uint8)
        window = _Window(text, codes, self.start, own, piece is None, np.flatnonzero(codes[:own] == _LT))
        self.carry, self.start = text[own:length], self.start + own
        return window


def _table(chars: bytes) -> np.ndarray:
    table = np.zeros(256, dtype=bool)
    table[list(chars)] = True
    return table


_DELIMITER = _table(b" \t\r\n>/")  # what may follow an element's name
_LETTER = np.zeros(256, dtype=np.int64)  # a column letter's value, 0 for anything else
_LETTER[65:91] = _LETTER[97:123] = np.arange(1, 27)
_DIGIT = np.full(256, -1, dtype=np.int64)
_DIGIT[48:58] = np.arange(10)


def _matches(codes: np.ndarray, at: np.ndarray, text: bytes) -> np.ndarray:
    found = codes[at] == text[0]
    for k in range(1, len(text)):
        found &= codes[at + k] == text[k]
    return found


def _elements(w: _Window, name: bytes, at: np.ndarray | None = None) -> np.ndarray:
    """Where start tags <name …> begin (unprefixed); or, given positions of ':', where ':name'
    stands followed by a delimiter (a prefixed <x:name, or text that looks so)."""
    at = w.lt if at is None else at
    at = at[w.codes[at + 1] == name[0]]
    if len(name) > 1:
        at = at[_matches(w.codes, at + 2, name[1:])]
    return at[_DELIMITER[w.codes[at + 1 + len(name)]]]


def _colons(w: _Window) -> np.ndarray:
    if w.text.find(b":", 0, w.own) < 0:
        return np.empty(0, dtype=np.int64)
    return np.flatnonzero(w.codes[:w.own] == _COLON)


def _characters(codes: np.ndarray) -> int:
    """UTF-8 characters in these bytes: all but continuation bytes (0b10xxxxxx)."""
    return int(np.count_nonzero((codes & 0xC0) != 0x80))


class _LongText:
    """Runs of text too long for any allowed cell: more than 10 bytes per allowed character
    (no character takes more in XML: &#x10FFFF;) without a '<', inside a <t> or <v> element.
    Characters are counted in the XML, an entity as several: the count is an "about"."""

    _TEXT_TAG = re.compile(rb'<(?:[\w.-]+:)?[tv](?:\s[^>]*)?>')

    def __init__(self, limits: Limits):
        self.threshold = 10 * limits.max_cell_chars + 10
        self.last_lt = -1  # where the last '<' so far is, in the member
        self.last_tag = b""  # the bytes from it on
        self.open_chars = 0  # characters from it to the end of the last window
        self.running: tuple[int, int] | None = None  # a long run not ended yet: (its tag, characters)

    def feed(self, w: _Window) -> tuple[int, int] | None:
        """(where its tag starts in the member, characters) of a long run of cell text that has
        ended in this window, or ended with the member (the last window)."""
        if self.running is not None:
            end = int(w.lt[0]) if len(w.lt) else w.own
            self.running = (self.running[0], self.running[1] + _characters(w.codes[:end]))
            if len(w.lt) or w.last:
                return self.running
            return None
        first = int(w.lt[0]) if len(w.lt) else w.own
        quiet = (first - (self.last_lt - w.start if self.last_lt >= 0 else 0) <= self.threshold
                 and (len(w.lt) < 2 or int(np.diff(w.lt).max()) <= self.threshold)
                 and w.own - (int(w.lt[-1]) if len(w.lt) else 0) <= self.threshold)
        starts = w.lt if self.last_lt < 0 else np.concatenate(([self.last_lt - w.start], w.lt))
        ends = np.concatenate((starts[1:], [w.own]))
        for i in () if quiet else np.flatnonzero(ends - starts > self.threshold):
            at = int(starts[i])
            tag = w.text[at:at + 64] if at >= 0 else self.last_tag
            m = self._TEXT_TAG.match(tag)
            if m is None:
                continue  # a long attribute or whitespace: no cell
            chars = (self.open_chars if at < 0 else -m.end()) + _characters(w.codes[max(at, 0):int(ends[i])])
            if i < len(starts) - 1 or w.last:
                return w.start + at, chars
            self.running = (w.start + at, chars)
            return None
        if len(w.lt):
            self.last_lt, self.last_tag = w.start + int(w.lt[-1]), w.text[int(w.lt[-1]):int(w.lt[-1]) + 64]
            self.open_chars = _characters(w.codes[int(w.lt[-1]):w.own])
        else:
            self.open_chars += _characters(w.codes[:w.own])
        return None


class _CellScan:
    """The used range of a sheet written as Excel and nearly every tool write it: every row as
    <row r="7" and every cell as <c r="B7", r the first attribute. Quick, it counts every cell
    until the range is over a limit, then looks at which cells hold something (calamine leaves
    out <c …/> and <c …></c>): a cell over a limit on its own is rejected at once; anything else
    is scanned again `exact`, counting only cells that hold something from the start."""

    _SHARED = re.compile(rb'<c r="([A-Za-z]+)(\d+)"[^>]*?\bt="s"[^>]*><v>(\d+)</v>')

    def __init__(self, sheet: str, limits: Limits, strings: _SharedStrings, exact: bool = False):
        self.sheet, self.limits, self.strings, self.exact = sheet, limits, strings, exact
        self.windows, self.text = _Windows(), _LongText(limits)
        self.rows = self.columns = 0  # the used range so far, from A1
        self.last_cell: tuple[int, int] | None = None
        self.odd = False  # gave up: XML this scan does not follow

    def feed(self, piece: bytes | None) -> bool:
        w = self.windows.next(piece)
        cells = _elements(w, b"c")
        references = _references(w.codes, cells + 6)
        colons = _colons(w)
        self.odd = references is None or not (
            _matches(w.codes, cells + 2, b' r="').all() and _matches(w.codes, _elements(w, b"row") + 4, b' r="').all()
            and not len(_elements(w, b"c", colons)) and not len(_elements(w, b"row", colons)))
        if self.odd or not self._grow(w, cells, *references):
            return False
        rows, columns = references
        if self.strings.long:
            self._showing_long_string(w)
        long = self.text.feed(w)
        if long is not None:
            i = int(np.searchsorted(cells, long[0] - w.start)) - 1
            row, column = (int(rows[i]), int(columns[i])) if i >= 0 else self.last_cell or (None, None)
            raise cell_too_long(self.sheet, row, column, long[1], self.limits, about=True)
        if len(cells):
            self.last_cell = int(rows[-1]), int(columns[-1])
        return True

    def _grow(self, w: _Window, cells: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> bool:
        """Grow the used range by these cells; False to be scanned again exact."""
        if not len(cells):
            return True
        if not self.exact:
            rows_now, columns_now = max(self.rows, int(rows.max())), max(self.columns, int(columns.max()))
            if within(rows_now, columns_now, self.limits):
                self.rows, self.columns = rows_now, columns_now
                return True
        held = _holding(w.codes, cells)
        rows, columns = rows[held], columns[held]
        if self.exact:  # the range as it grows cell by cell
            rows_seen = np.maximum.accumulate(np.maximum(rows, self.rows))
            columns_seen = np.maximum.accumulate(np.maximum(columns, self.columns))
        else:  # each cell alone
            rows_seen, columns_seen = rows, columns
        limits = self.limits
        bad = np.flatnonzero((rows_seen > limits.max_rows) | (columns_seen > limits.max_columns)
                             | (rows_seen * columns_seen > limits.max_cells))
        if len(bad):
            i = bad[0]
            raise over(self.sheet, int(rows[i]), int(columns[i]), int(rows_seen[i]), int(columns_seen[i]), limits)
        if not self.exact:
            return False
        if len(rows):
            self.rows, self.columns = int(rows_seen[-1]), int(columns_seen[-1])
        return True

    def _showing_long_string(self, w: _Window) -> None:
        for m in self._SHARED.finditer(w.text, 0, w.own + 64):
            chars = self.strings.long.get(int(m.group(3)))
            if chars is not None:
                raise cell_too_long(self.sheet, int(m.group(2)), _column_number(m.group(1)), chars, self.limits,
                                    about=True)


def _references(codes: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """(rows, columns), 1-based, of the cell references starting at these positions: letters, then
    digits, then '"'; None if one is not so. Over 3 letters or 9 digits reads as 10**9. Only
    the references as long as the longest are read in full: all the used range needs."""
    letters = _run(_LETTER, codes, at, 4, lambda value: value > 0)
    start = at + letters
    digits = _run(_DIGIT, codes, start, 10, lambda value: value >= 0)
    huge_column, huge_row = letters > 3, digits > 9
    plain = (letters > 0) & (digits > 0) & (codes[start + digits] == _QUOTE)
    if not (plain | huge_column | huge_row).all():
        return None
    rows, columns = np.zeros(len(at), dtype=np.int64), np.zeros(len(at), dtype=np.int64)
    if len(at):
        longest = np.flatnonzero(digits == digits.max())
        rows[longest] = _value(_DIGIT, codes, start[longest], int(min(digits.max(), 9)), 10)
        widest = np.flatnonzero(letters == letters.max())
        columns[widest] = _value(_LETTER, codes, at[widest], int(min(letters.max(), 3)), 26)
    return np.where(huge_row, 10 ** 9, rows), np.where(huge_column, 10 ** 9, columns)


def _run(table: np.ndarray, codes: np.ndarray, at: np.ndarray, most: int, takes) -> np.ndarray:
    """How many characters from each position on `takes` (by their value in table), up to most."""
    count = np.zeros(len(at), dtype=np.int64)
    going = np.ones(len(at), dtype=bool)
    for k in range(most):
        going &= takes(table[codes[at + k]])
        if not going.any():
            break
        count += going
    return count


def _value(table: np.ndarray, codes: np.ndarray, at: np.ndarray, length: int, base: int) -> np.ndarray:
    value = np.zeros(len(at), dtype=np.int64)
    for k in range(length):
        value = value * base + table[codes[at + k]]
    return value


def _holding(codes: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """Which cells may hold something: all but <c …/> and <c …></c> — told so only where the tag's
    first '>' is its end (an even number of '"' and no "'" before it)."""
    gt = np.flatnonzero(codes == _GT)
    if not len(gt):
        return np.ones(len(cells), dtype=bool)
    j = np.searchsorted(gt, cells)
    end = gt[np.minimum(j, len(gt) - 1)]
    quotes, apostrophes = np.flatnonzero(codes == _QUOTE), np.flatnonzero(codes == _APOS)
    even = (np.searchsorted(quotes, end) - np.searchsorted(quotes, cells)) % 2 == 0
    plain = np.searchsorted(apostrophes, end) == np.searchsorted(apostrophes, cells)
    empty = (codes[end - 1] == _SLASH) | _matches(codes, end + 1, b"</c>")
    return ~((j < len(gt)) & even & plain & empty)


def _merged(plain: np.ndarray, prefixed: np.ndarray) -> np.ndarray:
    return np.sort(np.concatenate((plain, prefixed))) if len(prefixed) else plain


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


class _TagScan:
    """The used range of a sheet written some other way, bounded from above as python-calamine
    counts: a row is the one after the last (or its r, if larger), a cell without r the one after
    the last in its row (a row's end starts the next at column 1), a cell counts unless it is
    empty (<c …/>). Prefixed names count as plain ones; r is found however it is written."""

    _R = re.compile(rb'r\s*=\s*(["\'])([A-Za-z]*)(\d*)\1')  # after whitespace (checked): a literal start is fast

    def __init__(self, sheet: str, limits: Limits):
        self.sheet, self.limits = sheet, limits
        self.windows, self.text = _Windows(), _LongText(limits)
        self.starts = 0  # rows started so far
        self.lift = 0  # the last row started is number `starts + lift`
        self.row_at = self.end_at = -1  # where the last row started and the last row ended, in the member
        self.next_column = 1
        self.rows = self.columns = 0
        self.last_cell: tuple[int, int] | None = None

    def feed(self, piece: bytes | None) -> bool:
        w = self.windows.next(piece)
        starts, ends, cells = self._tags(w)
        explicit = self._explicit(w)
        row_of_start = self._rows(starts, explicit)
        rows, columns = self._cells(w, starts, ends, cells, row_of_start, explicit)
        held = _holding(w.codes, cells)
        self._grow(rows[held], columns[held])
        long = self.text.feed(w)
        if long is not None:
            i = int(np.searchsorted(cells, long[0] - w.start)) - 1
            row, column = (int(rows[i]), int(columns[i])) if i >= 0 else self.last_cell or (None, None)
            raise cell_too_long(self.sheet, row, column, long[1], self.limits, about=True)
        if len(cells):
            self.last_cell = int(rows[-1]), int(columns[-1])
        return True

    def _tags(self, w: _Window) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Where rows start, rows end and cells start (their '<'), plain or prefixed."""
        colons = _colons(w)
        prefixed_rows, prefixed_cells = (w.lt[np.searchsorted(w.lt, _elements(w, name, colons), "right") - 1]
                                         for name in (b"row", b"c"))
        closing_rows = w.lt[(w.codes[w.lt + 1] == _SLASH) & _matches(w.codes, w.lt + 2, b"row")
                            & _DELIMITER[w.codes[w.lt + 5]]]
        is_end = w.codes[prefixed_rows + 1] == _SLASH
        return (_merged(_elements(w, b"row"), prefixed_rows[~is_end]), _merged(closing_rows, prefixed_rows[is_end]),
                _merged(_elements(w, b"c"), prefixed_cells[w.codes[prefixed_cells + 1] != _SLASH]))

    def _explicit(self, w: _Window) -> tuple[np.ndarray, np.ndarray]:
        """The tags ('<' positions, in order) with an r attribute, and its (row, column; 0 where
        not given) for each."""
        found: dict[int, tuple[int, int]] = {}
        for m in self._R.finditer(w.text, 0, w.own):
            letters, digits = m.group(2), m.group(3)
            if not digits or not len(w.lt) or not _DELIMITER[w.text[m.start() - 1]]:
                continue
            tag = int(w.lt[np.searchsorted(w.lt, m.start(), "right") - 1])
            found.setdefault(tag, (int(digits), _column_number(letters) if letters else 0))
        tags = np.fromiter(found, dtype=np.int64, count=len(found))
        return tags, np.array(list(found.values()), dtype=np.int64).reshape(-1, 2)

    @staticmethod
    def _given(tags: np.ndarray, explicit: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """(row, column) given by r for each of these tags, (0, 0) where none."""
        at, values = explicit
        given = np.zeros((len(tags), 2), dtype=np.int64)
        if len(at) and len(tags):
            i = np.minimum(np.searchsorted(at, tags), len(at) - 1)
            hit = at[i] == tags
            given[hit] = values[i[hit]]
        return given

    def _rows(self, starts: np.ndarray, explicit: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """The row each row start begins: row k is max(row k-1 + 1, its r), so row k - k only grows."""
        if not len(starts):
            return np.empty(0, dtype=np.int64)
        k = self.starts + np.arange(1, len(starts) + 1)
        lift = np.maximum(self.lift, np.maximum.accumulate(self._given(starts, explicit)[:, 0] - k))
        self.starts, self.lift = int(k[-1]), int(lift[-1])
        return k + lift

    def _cells(self, w: _Window, starts: np.ndarray, ends: np.ndarray, cells: np.ndarray, row_of_start: np.ndarray,
               explicit: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of each cell: its r where given, else its row's and the next column."""
        i_start = np.searchsorted(starts, cells) - 1
        i_end = np.searchsorted(ends, cells) - 1
        row_at = np.append(starts + w.start, self.row_at)[i_start]  # index -1: the last before this window
        end_at = np.append(ends + w.start, self.end_at)[i_end]
        current = np.append(row_of_start, self.starts + self.lift)[i_start]
        given = self._given(cells, explicit)
        rows = np.where(given[:, 0] > 0, given[:, 0], current + (end_at > row_at))  # after a row's end: the next
        index = np.arange(len(cells))
        first = np.searchsorted(i_end, i_end)  # the first cell after the same row end
        last_given = np.maximum.accumulate(np.where(given[:, 1] > 0, index, -1)) if len(cells) else index
        columns = np.where(last_given >= first, given[np.maximum(last_given, 0), 1] + index - last_given,
                           np.where(i_end < 0, self.next_column, 1) + index - first)
        if len(starts):
            self.row_at = int(starts[-1]) + w.start
        if len(ends):
            self.end_at = int(ends[-1]) + w.start
        if len(cells) and (not len(ends) or ends[-1] < cells[-1]):
            self.next_column = int(columns[-1]) + 1
        elif len(ends):
            self.next_column = 1
        return rows, columns

    def _grow(self, rows: np.ndarray, columns: np.ndarray) -> None:
        if not len(rows):
            return
        rows_seen = np.maximum.accumulate(np.maximum(rows, self.rows))
        columns_seen = np.maximum.accumulate(np.maximum(columns, self.columns))
        limits = self.limits
        bad = np.flatnonzero((rows_seen > limits.max_rows) | (columns_seen > limits.max_columns)
                             | (rows_seen * columns_seen > limits.max_cells))
        if len(bad):
            i = bad[0]
            raise over(self.sheet, int(rows[i]), int(columns[i]), int(rows_seen[i]), int(columns_seen[i]), limits)
        self.rows, self.columns = int(rows_seen[-1]), int(columns_seen[-1])


class _SharedStrings:
    """The shared-string table: how many entries (python-calamine keeps each as a string of its
    own: there cannot be many more than cells to show them), and which are far too long."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.count = 0
        self.long: dict[int, int] = {}  # entry → characters, about
        self.windows, self.text = _Windows(), _LongText(limits)

    def feed(self, piece: bytes | None) -> bool:
        w = self.windows.next(piece)
        entries = _elements(w, b"si")
        before = self.count
        self.count += len(entries) + len(_elements(w, b"si", _colons(w)))
        long = self.text.feed(w)
        if long is not None:
            self.long[before + int(np.searchsorted(entries, long[0] - w.start)) - 1] = long[1]
            self.text = _LongText(self.limits)
        if piece is None:
            self.windows = _Windows()
        return True

    def check(self, sheet_bytes: int) -> None:
        """After the sheets: a cell showing a shared string takes at least 16 bytes of a sheet."""
        if self.count > sheet_bytes // 16 + 10_000:
            raise damaged(f"共享字符串表有 {self.count} 项，远多于工作表中的单元格")
        for chars in self.long.values():  # far too long, and no cell shows it
            raise cell_too_long("", None, None, chars, self.limits, about=True)
