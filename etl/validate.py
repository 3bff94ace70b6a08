"""Check a located table row by row and column by column, and give back the rows
that load (typed) and a reason for every one that does not.

Each distinct cell value is parsed once (a column holds few distinct dates,
regions or kinds), so a large file costs little more than reading it.
Personal data is never copied into a message: ID numbers appear masked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from domain.campaign import Campaign
from domain.idcard import is_valid, mask, normalise
from domain.regions import Units, UnknownRegion
from etl import tables as t
from etl.locate import Located
from etl.values import clean_text, parse_count, parse_date


@dataclass(frozen=True)
class Problem:
    sheet: str
    row: int | None
    column: str
    value: str
    message: str


@dataclass
class Checked:
    located: Located
    lines: list[int] = field(default_factory=list)  # Excel row of each loaded row
    columns: dict[str, list] = field(default_factory=dict)  # warehouse column → values of loaded rows
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0

    @property
    def rows_loaded(self) -> int:
        return len(self.lines)


class _Bad:
    """A cell that did not parse, with the reason."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message


def check(located: Located, units: Units, campaign: Campaign) -> Checked:
    spec, result = located.spec, Checked(located)
    result.rows_read = len(located.data)
    parsed: dict[str, list] = {}
    bad_rows: dict[int, list[Problem]] = defaultdict(list)
    for column in spec.columns:
        if column.kind == t.PERSONAL or column.name not in located.positions:
            continue
        position = located.positions[column.name]
        raw = [line[position] if position < len(line) else None for _, line in located.data]
        values = _parse_column(column, raw, units)
        parsed[column.name] = values
        header = located.header_of(column.name)
        for i, value in enumerate(values):
            if isinstance(value, _Bad):
                shown = mask(raw[i]) if column.kind == t.ID_NUMBER else str(raw[i] or "")
                bad_rows[i].append(Problem(located.sheet, located.data[i][0], header, shown, value.message))
    _cross_checks(located, parsed, bad_rows)
    _duplicates(located, parsed, bad_rows)
    keep = [i for i in range(len(located.data)) if i not in bad_rows]
    result.lines = [located.data[i][0] for i in keep]
    result.columns = {name: [values[i] for i in keep] for name, values in parsed.items()}
    for column in spec.columns:  # optional columns the file does not have
        if column.kind != t.PERSONAL and column.name not in result.columns:
            result.columns[column.name] = [None] * len(keep)
    result.errors = [p for i in sorted(bad_rows) for p in bad_rows[i]]
    result.rows_rejected = len(bad_rows)
    result.warnings = _warnings(located, result, parsed, campaign)
    return result


def _parse_column(column: t.Column, raw: list, units: Units) -> list:
    parse = _PARSERS[column.kind]
    cache: dict = {}
    out = []
    for value in raw:
        if value in cache:
            out.append(cache[value])
            continue
        if value is None or not str(value).strip():
            result = _Bad(f"{column.header}为必填项，不能为空") if column.required else None
        else:
            try:
                result = parse(value, units)
            except (ValueError, UnknownRegion) as e:
                result = _Bad(str(e))
        if column.kind != t.ID_NUMBER:  # every ID is different: no point remembering them
            cache[value] = result
        out.append(result)
    return out


def _kind(value: str, units: Units) -> str:
    text = clean_text(value)
    text = t.KIND_ALIASES.get(text, text)
    if text not in t.KINDS:
        raise ValueError(f"资格种类“{value}”不是规定的种类（{'、'.join(t.KINDS)}）")
    return text


def _status(value: str, units: Units) -> str:
    text = clean_text(value)
    if text not in t.PLAN_STATUSES:
        raise ValueError(f"方案状态“{value}”应为 {'、'.join(t.PLAN_STATUSES)} 之一")
    return text


def _id_number(value: str, units: Units) -> str:
    number = normalise(value)
    if len(number) != 18:
        raise ValueError(f"身份证号 {mask(number)} 应为 18 位")
    if not is_valid(number):
        raise ValueError(f"身份证号 {mask(number)} 校验位错误（GB 11643），请核对")
    return number


_PARSERS = {
    t.REGION: lambda v, units: units.resolve(v),
    t.DATE: lambda v, units: parse_date(v),
    t.COUNT: lambda v, units: parse_count(v),
    t.OPT_COUNT: lambda v, units: parse_count(v),
    t.KIND: _kind,
    t.STATUS: _status,
    t.TEXT: lambda v, units: str(v).strip(),
    t.ID_NUMBER: _id_number,
}


def _cross_checks(located: Located, parsed: dict[str, list], bad_rows: dict[int, list[Problem]]) -> None:
    """Rules between the cells of one row that make it impossible to load."""
    if "start_date" in parsed and "end_date" in parsed:
        for i, (start, end) in enumerate(zip(parsed["start_date"], parsed["end_date"], strict=True)):
            if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
                bad_rows[i].append(Problem(located.sheet, located.data[i][0], located.header_of("end_date"),
                                           end.isoformat(), f"结束日期 {end} 早于开始日期 {start}"))


def _duplicates(located: Located, parsed: dict[str, list], bad_rows: dict[int, list[Problem]]) -> None:
    """The same key twice in one file: identical rows keep the first; different figures reject both."""
    spec = located.spec
    if not all(k in parsed for k in spec.key):
        return
    seen: dict[tuple, list[int]] = defaultdict(list)
    keys = list(zip(*(parsed[k] for k in spec.key), strict=True))
    for i, key in enumerate(keys):
        if i not in bad_rows:
            seen[key].append(i)
    figures = [c for c in spec.figures if c in parsed]
    for rows in seen.values():
        if len(rows) < 2:
            continue
        lines = [located.data[i][0] for i in rows]
        where = "、".join(f"第 {n} 行" for n in lines)
        differ = len({tuple(parsed[c][i] for c in figures) for i in rows}) > 1
        key_header = located.header_of(spec.key[-1])
        for i in rows[1:] if not differ else rows:
            value = str(keys[i][-1])
            message = (f"同一{_key_words(located)}在 {where} 重复出现且数字不同，无法判断哪一行正确，均未导入" if differ
                       else f"与第 {lines[0]} 行完全重复，只导入一次")
            bad_rows[i].append(Problem(located.sheet, located.data[i][0], key_header, value, message))


def _key_words(located: Located) -> str:
    return "、".join(located.header_of(k) for k in located.spec.key)


def _warnings(located: Located, result: Checked, parsed: dict[str, list], campaign: Campaign) -> list[Problem]:
    """Loaded, but a coordinator should look: figures that contradict each other,
    registration outside the window, totals that disagree with the rows above them."""
    warnings: list[Problem] = []
    cols, sheet = result.columns, located.sheet
    pairs = [("confirmed", "registered", "已现场确认人数 {a} 多于网报人数 {b}"),
             ("issued", "approved", "证书已发放 {a} 多于认定通过 {b}"),
             ("printed", "approved", "证书已打印 {a} 多于认定通过 {b}"),
             ("issued", "printed", "证书已发放 {a} 多于证书已打印 {b}")]
    for a, b, message in pairs:
        if a in located.positions and b in located.positions:
            for line, x, y in zip(result.lines, cols[a], cols[b], strict=True):
                if x is not None and y is not None and x > y:
                    warnings.append(Problem(sheet, line, located.header_of(a), str(x), message.format(a=x, b=y)))
    if located.spec is t.REGISTRATIONS:
        for line, day in zip(result.lines, cols["date"], strict=True):
            if not campaign.registration_start <= day <= campaign.registration_end:
                warnings.append(Problem(sheet, line, located.header_of("date"), day.isoformat(),
                                        f"报名日期 {day} 不在网上报名时间 {campaign.registration_start} 至 "
                                        f"{campaign.registration_end} 内"))
    warnings.extend(_total_mismatches(located, parsed))
    return warnings


def _total_mismatches(located: Located, parsed: dict[str, list]) -> list[Problem]:
    """A total line (合计/总计/小计) is checked against the data lines it sums: those since the previous
    total line (a group's 小计, or a 合计 per region and date); right after other totals, every data
    line above it (the grand 合计); and, when it sits above the data (a 合计 right under the header),
    the lines below it (up to the next total, or all of them). A total matching either reading is fine."""
    problems = []
    numeric = [c.name for c in located.spec.columns if c.kind in (t.COUNT, t.OPT_COUNT) and c.name in parsed]
    lines = [n for n, _ in located.data]
    totals = [n for n, _ in located.totals]
    for number, cells in located.totals:
        label = re.sub(r"\s+", "", next(str(c) for c in cells if c))  # 小 计 → 小计
        previous = max([n for n in totals if n < number], default=0)
        following = min([n for n in totals if n > number], default=float("inf"))
        block = [i for i, n in enumerate(lines) if previous < n < number]
        above = [i for i, n in enumerate(lines) if n < number]
        readings = [block, above] if block else [above] if above else \
            [[i for i, n in enumerate(lines) if number < n < following], [i for i, n in enumerate(lines) if n > number]]
        where = "上方" if block or above else "下方"
        for name in numeric:
            position = located.positions[name]
            if position >= len(cells) or cells[position] is None:
                continue
            try:
                stated = parse_count(cells[position])
            except ValueError:
                problems.append(Problem(located.sheet, number, located.header_of(name), str(cells[position]),
                                        f"{label}行的数字无法识别"))
                continue
            sums = [sum(v for i in rows if isinstance(v := parsed[name][i], int)) for rows in readings]
            if stated not in sums:
                counted = sums[0]
                problems.append(Problem(located.sheet, number, located.header_of(name), str(cells[position]),
                                        f"{label}行为 {stated}，{where}明细合计为 {counted}，相差 {stated - counted}"))
    return problems
