"""Personal data told from what a file holds, and masked wherever a value is shown.

A file holds personal data when any of its cells holds an ID number or a mobile
number, or any of its columns (headed or not, on any sheet) is mostly landline
numbers or mostly people's names — whatever the file turned out to be, and
whether or not it loaded. Such a file is never kept.

Every problem the loader reports passes `redact_problems` before it reaches
the ledger, the report or the console: ID- and phone-shaped text is masked
anywhere in its value and message, and so is a name.

Shapes (the same in Python `re` and in Arrow's RE2, which has no look-around):
- ID number: 18 characters, a region code, a birth date 18xx–20xx, three
  digits and a check character (0-9 or X), also written in 6-8-4 groups; or
  the old 15 digits with a six-digit birth date. Masking takes any run of 17
  digits and a check character, or of 15 digits, date or not.
- mobile: 1[3-9] and 9 more digits, also after +86/0086/86 and in 3-4-4 groups.
- landline: an area code 0xx or 0xxx (bare, or in brackets) and 7–8 digits.
- name: 2–4 Han characters starting with a common surname, and not a word the
  tables use (regions, qualification kinds, subjects, headers) nor shaped like
  one (…学, …工, …市, 小学…).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain import idcard
from domain.regions import BUREAU_SUFFIXES, load_units
from etl import tables as t
from etl.grid import flags

NAME_SHARE = 0.5  # a column is a name column when at least this share of its filled cells are names
LANDLINE_SHARE = 0.5  # … a phone column when at least this share are landline numbers
HEAD_ROWS = 2000  # the first rows of every column are looked at first: an applicant list shows itself there
RAW_SCAN_LIMIT = 16 << 20  # an unreadable file: this much of its (unpacked) text is scanned, then it is not kept

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常"
    "温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍"
    "涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景"
    "党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝萧"
    "赖谈"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "皇甫", "东方", "令狐", "慕容", "尉迟", "公孙", "西门", "端木",
                     "长孙", "宇文", "夏侯", "轩辕", "司徒", "独孤")
# a value ending so is a place, an office or a subject, not a person
NOT_NAME_ENDINGS = ("市", "县", "区", "局", "镇", "乡", "村", "院", "校", "站", "所", "处", "厅", "办", "委", "部",
                    "组", "队", "级", "直", "属", "园", "点", "室", "馆", "场", "厂", "中心", "公司",
                    "工", "语", "学", "术", "育", "科", "课", "理")
# …and a value holding one of these
NOT_NAME_WORDS = ("中学", "小学", "初中", "高中", "中职", "幼儿", "初级", "高级", "中等", "职业", "学前", "特殊",
                  "教育", "技术", "实习", "指导", "合计", "总计", "小计", "填报", "审核", "负责", "联系", "日期",
                  "人数", "名称", "状态", "结论", "报名", "确认", "认定", "体检", "证书", "犯罪", "记录", "核查",
                  "方案", "公告", "备注", "说明")

_DATE8 = "(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_DATE6 = "[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
_ID = f"[1-9][0-9]{{5}}[ -]?{_DATE8}[ -]?[0-9]{{3}}[0-9Xx]|[1-9][0-9]{{5}}{_DATE6}[0-9]{{3}}"
_MOBILE = "(?:(?:\\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}"
_AREA = "(?:\\(0[0-9]{2,3}\\)|（0[0-9]{2,3}）|0[0-9]{2,3})"
_LANDLINE = f"{_AREA}[ -]?[0-9]{{7,8}}"
# Arrow (RE2): the shape bounded by the cell's edges or a character that cannot continue a number
_EDGE_L, _EDGE_R = "(?:^|[^0-9A-Za-z])", "(?:$|[^0-9A-Za-z])"
ARROW_LANDLINE = f"^\\s*{_LANDLINE}\\s*$"
# Python: the same shapes, and for masking the looser ones (any 18- or 15-character run)
_LEFT, _RIGHT = "(?<![0-9A-Za-z])", "(?![0-9A-Za-z])"
_ID_RE = re.compile(f"{_LEFT}(?:{_ID}){_RIGHT}")
_ID_LOOSE_RE = re.compile(f"{_LEFT}(?:[0-9]{{6}}[ -]?[0-9]{{8}}[ -]?[0-9]{{3}}[0-9Xx]|[0-9]{{15}}){_RIGHT}")
_MOBILE_RE = re.compile(f"{_LEFT}{_MOBILE}{_RIGHT}")
_LANDLINE_RE = re.compile(f"{_LEFT}{_LANDLINE}{_RIGHT}")
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ－＋（）　", "0123456789Xx-+() ")
_HAN = "\u4e00-\u9fff"
_HAN_RUN = re.compile(f"[{_HAN}]{{2,}}")


def _name_pattern(han: str) -> str:
    """2–4 Han characters, a surname first; spaces around and between them allowed (张  伟)."""
    surnames = "|".join(COMPOUND_SURNAMES)
    return f"^\\s*(?:{surnames}|[{SURNAMES}])(?:\\s*[{han}]){{1,3}}\\s*$"


@cache
def not_name_pattern() -> str:
    """What makes a name-shaped value a word instead: a vocabulary word in it, a place's or a subject's
    ending, or a region's short name in front (郑州一中)."""
    words = "|".join(NOT_NAME_WORDS + _vocabulary_bigrams())
    endings = "|".join(NOT_NAME_ENDINGS)
    places = "|".join(sorted({r.short_name for r in load_units() if len(r.short_name) > 1}))
    return f"(?:{words})|(?:{endings})$|^(?:{places})"


_NAME_RE = re.compile(_name_pattern(_HAN))
ARROW_NAME = _name_pattern("\\x{4e00}-\\x{9fff}")


@cache
def _vocabulary_bigrams() -> tuple[str, ...]:
    """Every two characters in a row of a subject or a qualification kind (语文, 小学数学 → 小学, 学数, 数学)."""
    words = t.SUBJECTS + t.KINDS + tuple(t.KIND_ALIASES)
    return tuple(sorted({w[i:i + 2] for w in words for i in range(len(w) - 1)}))


@cache
def _not_name_re() -> re.Pattern:
    return re.compile(not_name_pattern())


@cache
def _vocabulary_array() -> pa.Array:
    return pa.array(sorted(vocabulary()), pa.string())


@cache
def vocabulary() -> frozenset[str]:
    """Words the tables use that a name test must not take for a person: regions (full, short and
    bureau names), kinds, subjects, statuses and every header."""
    words = set(t.KINDS) | set(t.KIND_ALIASES) | set(t.SUBJECTS) | set(t.PLAN_STATUSES) | set(t.REGION_HEADERS)
    for region in load_units():
        words |= {region.name, region.short_name} | {region.name + s for s in BUREAU_SUFFIXES}
    for spec in t.TABLES:
        words |= {spec.sheet} | {h for c in spec.columns for h in (c.header, *c.aliases)}
    return frozenset(words)


# ---- one value ---------------------------------------------------------------------------------

def _plain(text: object) -> str:
    return re.sub(r"\s+", "", str(text or "").translate(_FULLWIDTH))


def looks_like_id(text: object) -> bool:
    """An ID number, whole: 18 characters (or the old 15) with a plausible birth date."""
    return bool(re.fullmatch(f"(?:{_ID})", _plain(text).replace("-", "")))


def looks_like_phone(text: object) -> bool:
    """A mainland mobile (with or without +86, spaces, dashes) or a landline with its area code, whole."""
    plain = _plain(text)
    return bool(re.fullmatch(_MOBILE, plain) or re.fullmatch(_LANDLINE, plain))


def looks_like_name(text: object) -> bool:
    """2–4 Han characters starting with a common surname that are not a word the tables use."""
    plain = _plain(text)
    return bool(_NAME_RE.match(plain)) and plain not in vocabulary() and not _not_name_re().search(plain)


def looks_like_name_column(values: Iterable[object] | pa.Array | pa.ChunkedArray) -> bool:
    """A column (header and title cells included) of which at least NAME_SHARE of the filled cells are names."""
    return _name_column(_as_strings(values)) is not None


# ---- columns (Arrow) ---------------------------------------------------------------------------
# A column of few distinct values (kinds, subjects, dates) is looked at once per value, and its rows
# only when something was found; any other column cell by cell, skipping what cannot match (a name is
# never ASCII; a cell of digits only is an ID or a phone only at certain lengths).

def _as_strings(values: Iterable[object] | pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        values = pa.array([None if v is None else str(v) for v in values], pa.string())
    return values if values.type == pa.string() else values.cast(pa.string())


def _few_values(column: pa.Array) -> pa.Array:
    """The column's distinct values if it has few (judged on its first rows), else the column itself."""
    head = column.slice(0, HEAD_ROWS)
    if len(column) > HEAD_ROWS and pc.count_distinct(head).as_py() < len(head) // 5:
        return pc.unique(column)
    return column


def _rows(column: pa.Array, values: pa.Array, found: np.ndarray) -> np.ndarray:
    """The column's rows holding one of the `found` values (from _few_values)."""
    if values is column or not found.any():
        return found if values is column else np.zeros(len(column), dtype=bool)
    return flags(pc.is_in(column, values.filter(pa.array(found))))


def _halfwidth(values: pa.Array) -> pa.Array:
    """Full-width digits, X and dashes made half-width, in the few cells that have them."""
    ascii_ = flags(pc.string_is_ascii(values))
    if ascii_.all():
        return values
    rows = np.flatnonzero(~ascii_)
    odd = rows[_cells(values.take(pa.array(rows)), "[０-９Ｘｘ－＋（）　]")]
    if not len(odd):
        return values
    fixed = pa.array([v.translate(_FULLWIDTH) for v in values.take(pa.array(odd)).to_pylist()], pa.string())
    mask_ = np.zeros(len(values), dtype=bool)
    mask_[odd] = True
    return pc.replace_with_mask(values, pa.array(mask_), fixed)


def _cells(values: pa.Array, pattern: str) -> np.ndarray:
    return flags(pc.match_substring_regex(values, pattern))


ID, PHONE, NAME = "id", "phone", "name"  # what personal_cells finds
_ID_OR_MOBILE = f"{_EDGE_L}(?:{_ID}|{_MOBILE}){_EDGE_R}"
_ID_OR_PHONE = f"{_ID_OR_MOBILE}|{ARROW_LANDLINE}"
# an ID number or a phone written as digits only has one of these lengths (a landline 10–12, a mobile
# 11, or 13 and 15 with 86 and 0086, an old ID 15, an ID 18): other all-digit cells (报名号) need no regex
_DIGIT_LENGTHS = pa.array([10, 11, 12, 13, 15, 18], pa.int32())


def _numbers(values: pa.Array, pattern: str) -> np.ndarray:
    """Cells matching an ID or phone `pattern`, full-width digits read as digits."""
    digits = flags(pc.ascii_is_decimal(values))
    maybe = (digits & flags(pc.is_in(pc.binary_length(values), _DIGIT_LENGTHS))) | (~digits & flags(values.is_valid()))
    found = np.zeros(len(values), dtype=bool)
    rows = np.flatnonzero(maybe)
    if len(rows):
        candidates = values if len(rows) == len(values) else values.take(pa.array(rows))
        found[rows] = _cells(_halfwidth(candidates), pattern)
    return found


def _names(values: pa.Array) -> np.ndarray:
    shaped = np.zeros(len(values), dtype=bool)
    han = np.flatnonzero(~flags(pc.string_is_ascii(values)) & flags(values.is_valid()))
    if not len(han):
        return shaped
    candidates = values if len(han) == len(values) else values.take(pa.array(han))
    shaped[han] = _cells(candidates, ARROW_NAME)
    rows = np.flatnonzero(shaped)
    if not len(rows):
        return shaped
    candidates = pc.replace_substring_regex(values.take(pa.array(rows)), r"\s+", "")
    word = _cells(candidates, not_name_pattern()) | flags(pc.is_in(candidates, _vocabulary_array()))
    shaped[rows[word]] = False
    return shaped


def name_cells(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Rows whose cell is a name, whole (whitespace inside ignored: 张  伟)."""
    column = _as_strings(column)
    values = _few_values(column)
    return _rows(column, values, _names(values))


def _name_column(column: pa.Array) -> np.ndarray | None:
    """The rows holding names, if the column is a name column."""
    filled = len(column) - column.null_count
    found = name_cells(column) if filled else None
    return found if found is not None and found.sum() and found.sum() >= NAME_SHARE * filled else None


def personal_cells(column: pa.Array | pa.ChunkedArray, names: pa.Array | pa.ChunkedArray | None = None,
                   name_shaped: bool = False) -> dict[int, str]:
    """Rows of a column that must not hold personal data but do, and what each holds: ID (an ID number
    anywhere in the cell), PHONE (a mobile anywhere, or nothing but a landline), NAME (with `name_shaped`,
    a cell that looks like a name; else a name-shaped cell that is one of `names`, the list's 姓名 cells).
    Nothing found costs no pass over the rows of a column of few values."""
    column = _as_strings(column)
    values = _few_values(column)
    found = _numbers(values, _ID_OR_PHONE)
    if name_shaped or names is not None:
        shaped = _names(values)
        if not name_shaped and shaped.any():
            own = pc.unique(pc.replace_substring_regex(_as_strings(names), r"\s+", ""))
            shaped &= flags(pc.is_in(pc.replace_substring_regex(values, r"\s+", ""), own))
        found |= shaped
    rows = np.flatnonzero(_rows(column, values, found))
    texts = column.take(pa.array(rows)).to_pylist() if len(rows) else []
    return {int(row): _what(text) for row, text in zip(rows, texts, strict=True)}


def _what(text: str) -> str:
    plain = text.translate(_FULLWIDTH)
    if _ID_RE.search(plain):
        return ID
    return PHONE if _MOBILE_RE.search(plain) or _LANDLINE_RE.search(plain) else NAME


def shown(text: str, what: str) -> str:
    """A cell found by personal_cells, as a message may show it."""
    return mask_name(text) if what == NAME else mask(text)


# ---- a file ----------------------------------------------------------------------------------

def _columns(sheets: Sequence, rows: int | None = None) -> Iterable[pa.Array]:
    for sheet in sheets:
        for position in range(sheet.grid.width):
            column = sheet.grid.column(position)
            yield (column if rows is None else column.slice(0, rows)).combine_chunks()


def _column_holds(column: pa.Array) -> bool:
    filled = len(column) - column.null_count
    if not filled:
        return False
    values = _few_values(column)
    if _numbers(values, _ID_OR_MOBILE).any():  # a value found is in some row
        return True
    landlines = _rows(column, values, _numbers(values, ARROW_LANDLINE))
    return landlines.sum() >= LANDLINE_SHARE * filled or _name_column(column) is not None


def holds_personal_data(sheets: Sequence) -> bool:
    """Whether any sheet (etl.read.Sheet) holds an ID number or mobile in any cell, or a column mostly of
    landlines or of names. The first rows of every column are looked at first, so an applicant list
    answers at once; a file without personal data is looked at whole."""
    if any(_column_holds(c) for c in _columns(sheets, HEAD_ROWS)):
        return True
    return any(len(c) > HEAD_ROWS and _column_holds(c) for c in _columns(sheets))


def personal_names(sheets: Sequence) -> set[str]:
    """The names in the file's name columns, for redact_problems (whitespace inside removed)."""
    names: set[str] = set()
    for column in _columns(sheets):
        found = _name_column(column)
        if found is not None:
            distinct = pc.unique(column.filter(pa.array(found)))
            names.update(pc.replace_substring_regex(distinct, r"\s+", "").to_pylist())
    return names


def raw_holds_personal_data(data: bytes) -> bool:
    """For a file that could not be read as sheets: whether its text (as UTF-8, GB18030 or UTF-16, and
    inside a zip its parts) shows an ID number, a mobile or a 姓名/身份证/手机 header. A file too large
    to look through, or a zip with a part that cannot be unpacked, is taken to hold personal data."""
    blobs = _raw_parts(data)
    if blobs is None:
        return True
    for blob in blobs:
        for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
            text = blob.decode(encoding, errors="replace").translate(_FULLWIDTH)
            if _ID_RE.search(text) or _MOBILE_RE.search(text) or re.search("姓名|身份证|手机", text):
                return True
    return False


def _raw_parts(data: bytes) -> list[bytes] | None:
    """The file's bytes and, for a zip, its unpacked parts; None when that is more than RAW_SCAN_LIMIT
    or a part cannot be unpacked."""
    if len(data) > RAW_SCAN_LIMIT:
        return None
    blobs, budget = [data], RAW_SCAN_LIMIT
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                with z.open(info) as part:
                    blob = part.read(budget + 1)  # the size a part claims is not trusted
                if len(blob) > budget:
                    return None
                budget -= len(blob)
                blobs.append(blob)
    except zipfile.BadZipFile:  # not a zip: its bytes as they are
        return blobs if not data.startswith(b"PK") else None
    except Exception:  # a part that cannot be unpacked (zlib, CRC, encryption …): it may hold anything
        return None
    return blobs


# ---- masking ----------------------------------------------------------------------------------

def mask_name(name: str) -> str:
    """张伟 → 张*, 欧阳娜娜 → 欧***: the first character only."""
    plain = re.sub(r"\s+", "", name)
    return plain[:1] + "*" * (len(plain) - 1) if plain else ""


def _mask_id(match: re.Match) -> str:
    return idcard.mask(match.group().replace("-", ""))


def _mask_phone(match: re.Match) -> str:
    digits = re.sub(r"[^0-9]", "", match.group())
    if match.re is _MOBILE_RE:
        digits = digits[-11:]
        return digits[:3] + "****" + digits[-4:]
    area = re.match(r"[(（]?(0[0-9]{2,3})", match.group()).group(1)
    return f"{area}-****{digits[-4:]}"


def mask(text: str) -> str:
    """`text` with every ID-shaped run (410102********123X) and phone number (138****5678,
    0371-****5123) masked; full-width digits are read as digits."""
    if not text or not re.search("[0-9０-９]", text):
        return text
    plain = text.translate(_FULLWIDTH) if re.search("[０-９Ｘｘ]", text) else text
    plain = _ID_LOOSE_RE.sub(_mask_id, plain)
    plain = _MOBILE_RE.sub(_mask_phone, plain)
    return _LANDLINE_RE.sub(_mask_phone, plain)


def _mask_names_in(text: str, names: set[str] | frozenset[str]) -> str:
    """Every name of `names` in `text` masked (the longest first, where two overlap)."""
    if not names:
        return text
    pieces, end = [], 0
    for run in _HAN_RUN.finditer(text):
        i, word = 0, run.group()
        while i < len(word) - 1:
            length = next((n for n in (4, 3, 2) if i + n <= len(word) and word[i:i + n] in names), 0)
            if length:
                start = run.start() + i
                pieces += [text[end:start], mask_name(word[i:i + length])]
                end, i = start + length, i + length
            else:
                i += 1
    return "".join(pieces) + text[end:] if pieces else text


def redact(value: str, message: str, names: set[str] | frozenset[str] = frozenset()) -> tuple[str, str]:
    """A problem's value and message with IDs, phones and names masked. A value that is a name is masked
    in the message too, wherever the message quotes it."""
    shown = mask(value)
    plain = _plain(value)
    if plain and (plain in names or looks_like_name(plain)):
        shown = mask_name(plain)
        message = message.replace(value.strip(), shown).replace(plain, shown)
    return _mask_names_in(shown, names), _mask_names_in(mask(message), names)


def redact_problems(problems: list, names: set[str] | None = None) -> list:
    """Every Problem (etl.validate) with its value and message passed through `redact`: ID- and
    phone-shaped text masked anywhere, a value that is a name masked, and the `names` (from
    personal_names of the file) masked wherever they appear; an ID or phone in a sheet's name or a
    column's header is masked too. Each distinct value and message is worked once."""
    names = frozenset(names or ())
    done: dict[tuple[str, str], tuple[str, str]] = {}
    result = []
    for p in problems:
        key = (p.value or "", p.message or "")
        if key not in done:
            done[key] = redact(*key, names)
        value, message = done[key]
        sheet, column = mask(p.sheet or ""), mask(p.column or "")
        same = (value, message, sheet, column) == (*key, p.sheet or "", p.column or "")
        result.append(p if same else replace(p, sheet=sheet, column=column, value=value, message=message))
    return result
