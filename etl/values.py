"""Turn what a spreadsheet cell holds into a date or a count, or say why not.

Dates: real Excel dates, Excel serial numbers, 2020-06-08, 2020/6/8, 2020.6.8,
20200608, 2020年6月8日. Counts: whole numbers, also written with thousands
separators, full-width digits or spaces. Each parser raises ValueError with a
Chinese reason a coordinator can act on.
"""

from __future__ import annotations

import datetime as dt
import re

FULLWIDTH = str.maketrans("０１２３４５６７８９，．－／　", "0123456789,.-/ ")
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_COUNT = 10_000_000  # more people than a region has: a typing error (and beyond the warehouse's integers)
_DATE_PATTERNS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00)?)?"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)


_TIME = re.compile(r"(?<=[\d日])(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")  # 2020-06-08 17:30 → its date


def clean_text(value: object) -> str:
    """Full-width digits and punctuation made half-width, spaces and line breaks removed."""
    if value is None:
        return ""
    return re.sub(r"\s+", "", str(value).translate(FULLWIDTH))


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = clean_text(_TIME.sub("", str(value).translate(FULLWIDTH).strip()))
    if not text:
        raise ValueError("日期为空")
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _from_serial(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            y, m, d = (int(g) for g in match.groups())
            try:
                return dt.date(y, m, d)
            except ValueError:
                raise ValueError(f"日期“{value}”不存在（{y}年{m}月没有{d}日）") from None
    raise ValueError(f"无法识别的日期“{value}”，请写成 2020-06-08 这样的格式")


def _from_serial(serial: float) -> dt.date:
    if not 20000 <= serial <= 80000 or serial != int(serial):
        raise ValueError(f"“{serial}”不是有效的 Excel 日期")
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_count(value: object) -> int:
    """A head count: a whole number ≥ 0."""
    if isinstance(value, bool):
        raise ValueError(f"人数“{value}”不是数字")
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = clean_text(value).replace(",", "")
        if not text:
            raise ValueError("人数为空")
        if not re.fullmatch(r"[-+]?\d+(\.\d+)?", text):
            raise ValueError(f"人数“{value}”不是数字")
        number = float(text)
    if number < 0:
        raise ValueError(f"人数“{value}”为负数")
    if number != int(number):
        raise ValueError(f"人数“{value}”不是整数")
    if number > MAX_COUNT:
        raise ValueError(f"人数“{value}”超出合理范围（大于 {MAX_COUNT:,}），请核对")
    return int(number)
