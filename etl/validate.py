"""Check a located table column by column, and give back the rows that load
(typed Arrow columns) and a reason for every one that does not.

Each distinct cell value is parsed once (a column holds few distinct dates,
regions or kinds) and ID numbers are checked for a whole column at once, so a
large file costs little more than reading it. Personal data is never copied
into a message: ID numbers appear masked.

Three checks guard against slips a tired clerk makes:
- a date outside the campaign's span (`campaign_span`), and outside every other
  campaign file's, rejects its row: a year typed wrong (2021-08-21 for
  2020-08-21) would otherwise move the whole province's as-of date;
- an ID number or a phone number in 报名号 or any free-text column, or a name in
  任教学科 (or any name of the file's 姓名 column in another text column of an
  applicant list), rejects its row, masked: those columns are stored in clear;
- a figure beyond IMPLAUSIBLE_SHARE of its region's population is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import cache, reduce
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.campaign import Campaign, CampaignFileError, list_campaigns, load_campaign
from domain.idcard import mask
from domain.regions import Units
from etl import personal
from etl import tables as t
from etl.check_columns import id_numbers, parse_distinct, trimmed
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
    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))  # Excel row of each loaded row
    columns: dict[str, pa.Array] = field(default_factory=dict)  # warehouse column → values of loaded rows
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_rejected: int = 0
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # data row of each loaded row
    id_hashes: Future | None = None  # keyed hashes of the ID column, every data row, computed meanwhile
    personal_data: bool = False  # a cell outside the personal columns held an ID number, a phone or a name

    @property
    def rows_loaded(self) -> int:
        return len(self.lines)

    def keep(self, mask: np.ndarray) -> None:
        """Keep only the loaded rows where `mask` holds (the others were rejected since)."""
        self.rows_rejected += int((~mask).sum())
        self.lines = self.lines[mask]
        self.positions = self.positions[mask]
        self.columns = {name: values.filter(pa.array(mask)) for name, values in self.columns.items()}


_ARROW_TYPES = {t.REGION: pa.string(), t.DATE: pa.date32(), t.COUNT: pa.int64(), t.OPT_COUNT: pa.int64(),
                t.KIND: pa.string(), t.STATUS: pa.string(), t.TEXT: pa.string(), t.ID_NUMBER: pa.string()}


def check(located: Located, units: Units, campaign: Campaign,
          hash_ids: Callable[[pa.Array], Future] | None = None) -> Checked:
    """Every cell of the table checked; `hash_ids`, if given, is handed the normalised ID column
    as soon as it is ready (it is checked first) and returns the future of its keyed hashes."""
    spec, result = located.spec, Checked(located)
    n = located.data.num_rows
    result.rows_read = n
    lines = located.lines
    parsed: dict[str, pa.Array] = {}
    problems: dict[int, list[Problem]] = defaultdict(list)
    names = _column_of(located, "name")  # the list's 姓名 cells, to find one in another column
    early = {}  # the ID column first, so that its hashing runs while the other columns are checked
    for column in spec.columns:
        if column.kind == t.ID_NUMBER and column.name in located.positions and hash_ids is not None:
            early[column.name] = _id_column(located.cells(column.name))
            result.id_hashes = hash_ids(early[column.name][0])
    for column in spec.columns:
        if column.kind == t.PERSONAL:
            continue
        if column.name not in located.positions:
            parsed[column.name] = pa.nulls(n, _ARROW_TYPES[column.kind])
            continue
        values, messages = early.get(column.name) or _parse(column, located.cells(column.name), units,
                                                             column.name in spec.key)
        parsed[column.name] = values
        header = located.header_of(column.name)
        cells = located.cells(column.name) if messages else None
        for row, message in messages.items():
            shown = (cells[row].as_py() or "").strip()
            if column.kind == t.ID_NUMBER:
                shown = mask(shown)
            problems[row].append(Problem(located.sheet, int(lines[row]), header, shown, message))
        if column.kind == t.TEXT:
            result.personal_data |= _personal_slips(located, column, names, problems)
    _outside_span(located, parsed, campaign, problems)
    _end_before_start(located, parsed, problems)
    _duplicates(located, parsed, problems)
    good = np.ones(n, dtype=bool)
    good[list(problems)] = False
    if good.all():  # the usual case: no copies
        result.lines, result.columns, result.positions = lines, parsed, np.arange(n)
    else:
        result.lines, result.positions = lines[good], np.flatnonzero(good)
        result.columns = {name: values.filter(pa.array(good)) for name, values in parsed.items()}
    result.errors = [p for row in sorted(problems) for p in problems[row]]
    result.rows_rejected = len(problems)
    result.warnings = (_warnings(located, result, campaign) + _implausible(located, result, units)
                       + _total_mismatches(located, parsed))
    return result


_SLIPS = {personal.ID: "身份证号", personal.PHONE: "电话号码", personal.NAME: "姓名"}


def _column_of(located: Located, column: str) -> pa.ChunkedArray | None:
    """A column's data cells as they are (no copy), or None if the file lacks it."""
    name = f"c{located.positions[column]}" if column in located.positions else ""
    return located.data.column(name) if name in located.data.column_names else None


def _personal_slips(located: Located, column: t.Column, names: pa.ChunkedArray | None,
                    problems: dict[int, list[Problem]]) -> bool:
    """Reject the rows whose free-text cell (stored in clear) holds an ID number, a phone number or, in
    任教学科 or as one of the list's own 姓名, a name; True if there was any."""
    if column.name not in located.positions:
        return False
    header = located.header_of(column.name)
    key = column.name in located.spec.key  # 报名号: a number, never a name
    found = personal.personal_cells(located.cells(column.name), None if key else names,
                                     name_shaped=column.name == "subject")
    if not found:
        return False
    cells = located.cells(column.name).take(pa.array(list(found))).to_pylist()
    for (row, what), text in zip(found.items(), cells, strict=True):
        shown = personal.shown(text.strip(), what)
        problems[row].append(Problem(located.sheet, int(located.lines[row]), header, shown,
                                     f"“{header}”列填写了{_SLIPS[what]}（{shown}）：个人信息不得填报在此列，"
                                     f"请核对是否错列，改正后重新报送"))
    return True


# A campaign's data lie between a little before registration opens (the notice, the regions' plans and
# announcements come first: 2020's notice came three weeks before) and a while after its last milestone
# (a late region keeps reporting progress and issuing certificates after the final date; R6 alone may
# run 30 working days past a late confirmation). A date further out is a typing error, not data.
SPAN_BEFORE = dt.timedelta(days=60)
SPAN_AFTER = dt.timedelta(days=90)


def campaign_span(campaign: Campaign) -> tuple[dt.date, dt.date]:
    """The first and last date a file of this campaign may hold: SPAN_BEFORE the registration opens (or
    the system, or the first weekly report) to SPAN_AFTER the final date (or the last report, or the
    system's closing)."""
    first = min(campaign.registration_start, campaign.system_open_from, campaign.first_report)
    last = max(campaign.final_date, campaign.last_report, campaign.system_open_until, campaign.registration_end)
    return first - SPAN_BEFORE, last + SPAN_AFTER


def known_spans(campaign: Campaign) -> list[tuple[dt.date, dt.date]]:
    """The spans of this campaign and of every other campaign file (domain.campaign.list_campaigns):
    the warehouse holds every campaign's rows, so a late correction of the last half-year still loads."""
    spans = [campaign_span(campaign)]
    for path in list_campaigns():
        other = _campaign_file(path, path.stat().st_mtime_ns)
        if other is not None and other.id != campaign.id:
            spans.append(campaign_span(other))
    return spans


@cache
def _campaign_file(path: Path, _mtime: int) -> Campaign | None:
    try:
        return load_campaign(path)
    except CampaignFileError:  # a broken file of another campaign is that campaign's problem
        return None


def _outside_span(located: Located, parsed: dict[str, pa.Array], campaign: Campaign,
                  problems: dict[int, list[Problem]]) -> None:
    """A date outside every known campaign's span rejects its row, naming this campaign's span."""
    spans = known_spans(campaign)
    first, last = spans[0]
    for column in located.spec.columns:
        if column.kind != t.DATE or column.name not in located.positions:
            continue
        days = parsed[column.name]
        outside = reduce(pc.and_, [pc.or_(pc.less(days, a), pc.greater(days, b)) for a, b in spans])
        outside = pc.fill_null(outside, False)
        header = located.header_of(column.name)
        for row in np.flatnonzero(outside.to_numpy(zero_copy_only=False)):
            day = days[int(row)].as_py()
            problems[int(row)].append(Problem(
                located.sheet, int(located.lines[row]), header, day.isoformat(),
                f"{header} {day} 不在本批次（{campaign.name}）的时间范围 {first} 至 {last} 内，请核对年份和月份"))


# Teacher-qualification applicants are a small share of a region's people: the demo, modelled on a real
# Henan half-year, has 6–14 per 10,000 residents in a city, and a university district may reach several
# times that. A single figure above 2% of the population (200 per 10,000, over ten times the highest
# city rate) is almost surely a typing error — an extra zero or two — and is worth a coordinator's look.
# A warning, not a rejection: the region's population in data/regions is itself partly an estimate.
IMPLAUSIBLE_SHARE = 0.02


def _implausible(located: Located, result: Checked, units: Units) -> list[Problem]:
    """Head counts (报名人数, the weekly progress figures) above IMPLAUSIBLE_SHARE of the region's population."""
    if located.spec not in (t.REGISTRATIONS, t.PROGRESS) or not result.rows_loaded:
        return []
    codes = result.columns["region_code"]
    regions = [units.get(c) for c in pc.unique(codes).to_pylist()]
    limits = pc.take(pa.array([r.population * IMPLAUSIBLE_SHARE for r in regions]),
                     pc.index_in(codes, pa.array([r.code for r in regions])))
    warnings = []
    for column in located.spec.columns:
        if column.kind not in (t.COUNT, t.OPT_COUNT) or column.name not in located.positions:
            continue
        figures = result.columns[column.name]
        over = pc.fill_null(pc.greater(figures, limits), False).to_numpy(zero_copy_only=False)
        header = located.header_of(column.name)
        for row in np.flatnonzero(over):
            region, figure = units.get(codes[int(row)].as_py()), figures[int(row)].as_py()
            warnings.append(Problem(
                located.sheet, int(result.lines[row]), header, str(figure),
                f"{region.name}{header} {figure:,} 超过该地区常住人口 {region.population:,} 的 "
                f"{IMPLAUSIBLE_SHARE:.0%}，远超常见水平，请核对是否多填了位数"))
    return warnings


def _parse(column: t.Column, cells: pa.Array, units: Units, many_distinct: bool) -> tuple[pa.Array, dict[int, str]]:
    required = f"{column.header}为必填项，不能为空" if column.required else None
    if column.kind == t.ID_NUMBER:
        return _id_column(cells)
    if column.kind == t.TEXT and many_distinct:  # a key such as 报名号: trim the column itself
        values = trimmed(cells)
        missing = np.flatnonzero(values.is_null().to_numpy(zero_copy_only=False)) if required else []
        return values, {int(row): required for row in missing}
    parse = _PARSERS[column.kind]
    result = parse_distinct(cells, lambda text: parse(text, units), _ARROW_TYPES[column.kind], required)
    return result.values, result.messages


def _id_column(cells: pa.Array) -> tuple[pa.Array, dict[int, str]]:
    """ID numbers normalised (spaces out, x → X); an ID of the wrong length or with a wrong
    check digit is a reason to reject its row. Blank is allowed (the column is optional)."""
    normalised, _shaped, right = id_numbers(cells)
    present = cells.is_valid().to_numpy(zero_copy_only=False)
    lengths = pc.fill_null(pc.utf8_length(normalised), 0).to_numpy(zero_copy_only=False)
    messages = {}
    for row in np.flatnonzero(present & ~right):
        number = mask(normalised[int(row)].as_py())
        messages[int(row)] = (f"身份证号 {number} 应为 18 位" if lengths[row] != 18 else
                              f"身份证号 {number} 校验位错误（GB 11643），请核对")
    return normalised, messages


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


_PARSERS = {
    t.TEXT: lambda v, units: v,
    t.REGION: lambda v, units: units.resolve(v),  # UnknownRegion is a ValueError
    t.DATE: lambda v, units: parse_date(v),
    t.COUNT: lambda v, units: parse_count(v),
    t.OPT_COUNT: lambda v, units: parse_count(v),
    t.KIND: _kind,
    t.STATUS: _status,
}


def _end_before_start(located: Located, parsed: dict[str, pa.Array], problems: dict[int, list[Problem]]) -> None:
    """A period that ends before it starts cannot be loaded."""
    if "start_date" not in located.positions or "end_date" not in located.positions:
        return
    start, end = parsed["start_date"], parsed["end_date"]
    wrong = pc.fill_null(pc.less(end, start), False).to_numpy(zero_copy_only=False)
    for row in np.flatnonzero(wrong):
        s, e = start[int(row)].as_py(), end[int(row)].as_py()
        problems[int(row)].append(Problem(located.sheet, int(located.lines[row]), located.header_of("end_date"),
                                          e.isoformat(), f"结束日期 {e} 早于开始日期 {s}"))


def _duplicates(located: Located, parsed: dict[str, pa.Array], problems: dict[int, list[Problem]]) -> None:
    """The same key twice in one sheet: identical rows keep the first; different figures reject both."""
    spec = located.spec
    if not all(k in located.positions for k in spec.key):
        return
    good = np.ones(located.data.num_rows, dtype=bool)
    good[list(problems)] = False
    for rows in repeated_keys([parsed[k] for k in spec.key], good):
        for row, message in duplicate_messages(located, parsed, rows, [int(located.lines[r]) for r in rows]):
            problems[row].append(Problem(located.sheet, int(located.lines[row]),
                                         located.header_of(spec.key[-1]), str(parsed[spec.key[-1]][row].as_py()),
                                         message))


def repeated_keys(keys: list[pa.Array], good: np.ndarray) -> list[list[int]]:
    """Groups of rows (among `good` ones) that share a key, in row order."""
    rows = np.flatnonzero(good)
    if len(rows) < 2:
        return []
    if len(keys) == 1 and good.all() and _strictly_increasing(keys[0]):  # sorted unique keys, e.g. 报名号
        return []
    table = pa.table({f"k{i}": k.take(pa.array(rows)) for i, k in enumerate(keys)} | {"row": pa.array(rows)})
    if len(keys) == 1 and pc.count_distinct(table.column("k0"), mode="all").as_py() == len(rows):
        return []
    groups = table.group_by([f"k{i}" for i in range(len(keys))], use_threads=False).aggregate(
        [("row", "list"), ("row", "count")])
    repeated = groups.filter(pc.greater(groups.column("row_count"), 1))
    return [sorted(g) for g in repeated.column("row_list").to_pylist()]


def _strictly_increasing(values: pa.Array) -> bool:
    if values.null_count:
        return False
    return bool(pc.all(pc.greater(values.slice(1), values.slice(0, len(values) - 1))).as_py())


def duplicate_messages(located: Located, parsed: dict[str, pa.Array], rows: list[int],
                       lines: list[int], sheets: list[str] | None = None) -> list[tuple[int, str]]:
    """(row, message) for each row of a repeated key to reject: with different figures all of
    them, naming each other; with the same figures all but the first."""
    spec = located.spec
    figures = [c for c in spec.figures if c in parsed]
    differ = len({tuple(parsed[c][r].as_py() for c in figures) for r in rows}) > 1
    where = "、".join((f"工作表“{s}”" if sheets else "") + f"第 {n} 行"
                     for n, s in zip(lines, sheets or [""] * len(lines), strict=True))
    keys = "、".join(located.header_of(k) for k in spec.key)
    if differ:
        message = f"同一{keys}在 {where} 重复出现且数字不同，无法判断哪一行正确，均未导入"
        return [(r, message) for r in rows]
    first = (f"工作表“{sheets[0]}”" if sheets else "") + f"第 {lines[0]} 行"
    return [(r, f"与{first}完全重复，只导入一次") for r in rows[1:]]


PAIRS = [("confirmed", "registered", "已现场确认人数 {a} 多于网报人数 {b}"),
         ("issued", "approved", "证书已发放 {a} 多于认定通过 {b}"),
         ("printed", "approved", "证书已打印 {a} 多于认定通过 {b}"),
         ("issued", "printed", "证书已发放 {a} 多于证书已打印 {b}")]


def _warnings(located: Located, result: Checked, campaign: Campaign) -> list[Problem]:
    """Loaded, but a coordinator should look: figures that contradict each other and
    registration outside the window."""
    warnings: list[Problem] = []
    cols, sheet = result.columns, located.sheet
    for a, b, message in PAIRS:
        if a in located.positions and b in located.positions:
            more = pc.fill_null(pc.greater(cols[a], cols[b]), False).to_numpy(zero_copy_only=False)
            for row in np.flatnonzero(more):
                x, y = cols[a][int(row)].as_py(), cols[b][int(row)].as_py()
                warnings.append(Problem(sheet, int(result.lines[row]), located.header_of(a), str(x),
                                        message.format(a=x, b=y)))
    if located.spec is t.REGISTRATIONS:
        days = cols["date"]
        outside = pc.or_(pc.less(days, campaign.registration_start), pc.greater(days, campaign.registration_end))
        for row in np.flatnonzero(pc.fill_null(outside, False).to_numpy(zero_copy_only=False)):
            day = days[int(row)].as_py()
            warnings.append(Problem(sheet, int(result.lines[row]), located.header_of("date"), day.isoformat(),
                                    f"报名日期 {day} 不在网上报名时间 {campaign.registration_start} 至 "
                                    f"{campaign.registration_end} 内"))
    return warnings


def _total_mismatches(located: Located, parsed: dict[str, pa.Array]) -> list[Problem]:
    """A total line (合计/总计/小计) is checked against the data lines it sums: those since the previous
    total line (a group's 小计, or a 合计 per region and date); right after other totals, every data
    line above it (the grand 合计); and, when it sits above the data (a 合计 right under the header),
    the lines below it (up to the next total, or all of them). A total matching either reading is fine."""
    if not located.totals:
        return []
    problems = []
    numeric = [c.name for c in located.spec.columns if c.kind in (t.COUNT, t.OPT_COUNT) and c.name in located.positions]
    lines = located.lines
    totals = [n for n, _ in located.totals]
    for number, cells in located.totals:
        label = re.sub(r"\s+", "", next(str(c) for c in cells if c))  # 小 计 → 小计
        previous = max([n for n in totals if n < number], default=0)
        following = min([n for n in totals if n > number], default=np.iinfo(np.int32).max)
        block, above = (previous < lines) & (lines < number), lines < number
        readings = [block, above] if block.any() else [above] if above.any() else \
            [(number < lines) & (lines < following), lines > number]
        where = "上方" if block.any() or above.any() else "下方"
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
            values = pc.fill_null(parsed[name], 0).to_numpy(zero_copy_only=False)
            sums = [int(values[rows].sum()) for rows in readings]
            if stated not in sums:
                counted = sums[0]
                problems.append(Problem(located.sheet, number, located.header_of(name), str(cells[position]),
                                        f"{label}行为 {stated}，{where}明细合计为 {counted}，相差 {stated - counted}"))
    return problems
