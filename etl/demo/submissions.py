"""Lay the demo campaign out as the files regions send, in their varied styles,
with the bad rows planted where a manifest says.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from domain.regions import Region, Units, UnknownRegion
from etl.demo.files import Table, Value
from etl.demo.model import CITY_KINDS, COUNTY_KINDS, ReportingRegion

DATE_STYLES = ("excel", "iso", "slash", "dot", "compact", "zh")
NAME_STYLES = ("code", "full", "short", "bureau")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
NOTES = ["注：1. 本表由各地教育局填报，数据以中国教师资格网信息系统为准；",
         "2. 如有疑问请联系省教师资格认定注册服务中心。"]


@dataclass
class Style:
    """How one region writes its files."""

    fmt: str  # xlsx, xls, csv
    encoding: str = "utf-8-sig"
    names: str = "full"
    dates: str = "excel"
    numbers: str = "int"
    csv_titles: bool = True
    region_header: str = "地区"


@dataclass
class Planted:
    """A situation planted on purpose, and where to find it."""

    kind: str
    region_code: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""
    detail: str = ""


@dataclass
class Submission:
    """The tables of one file (a workbook or one CSV) and the rows planted in it."""

    name: str
    tables: list[Table]
    planted: list[Planted] = field(default_factory=list)


def region_label(unit: Region, own_level: bool, style: Style, units: Units) -> str:
    if style.names == "code":
        return unit.code
    if own_level and unit.kind == "city":
        return f"{unit.name}本级"
    if style.names == "bureau":
        return f"{unit.name}{'教育体育局' if unit.kind != 'city' else '教育局'}"
    if style.names == "short":
        try:
            if units.resolve(unit.short_name) == unit.code:
                return unit.short_name
        except UnknownRegion:
            pass
    return unit.name


SHORT_FORMS = ("{}", "{}本级", "{}教育局")  # how a city's own rows name it by its short name, by kind


def shares_short_name(unit: Region, units: Units) -> bool:
    """A city whose short name is also a county's: 安阳 (安阳市, 安阳县), 新乡, 濮阳."""
    return unit.kind == "city" and any(r.short_name == unit.short_name for r in units if r.kind == "county")


def short_label(unit: Region, kind: str) -> str:
    """The city as people write it: 安阳, 安阳本级, 安阳教育局 (each means 安阳市)."""
    return SHORT_FORMS[list(CITY_KINDS).index(kind) % len(SHORT_FORMS)].format(unit.short_name)


def date_text(day: dt.date, style: str) -> Value:
    return {
        "excel": day,
        "iso": day.isoformat(),
        "slash": f"{day.year}/{day.month}/{day.day}",
        "dot": f"{day.year}.{day.month}.{day.day}",
        "compact": day.strftime("%Y%m%d"),
        "zh": f"{day.year}年{day.month}月{day.day}日",
    }[style]


def number_text(n: int | None, style: str) -> Value:
    if n is None:
        return None
    if style == "thousands":
        return f"{n:,}"
    if style == "fullwidth":
        return str(n).translate(FULLWIDTH)
    if style == "spaced":
        return f" {n} "
    return n


def choose_styles(regions: list[ReportingRegion], rng: random.Random) -> dict[str, Style]:
    """Each region's habits. The CSV senders cover every encoding and number style."""
    fixed = {"410500": Style("xls"), "411000": Style("xls"), "410526": Style("xls"),
             "411200": Style("xls"), "410200": Style("csv", "utf-8-sig", numbers="fullwidth"),
             "410600": Style("csv", "utf-8", csv_titles=False, numbers="thousands"),
             "411100": Style("csv", "gb18030", numbers="spaced"),
             "410181": Style("csv", "gb18030", numbers="thousands")}
    styles = {}
    for rr in regions:
        style = fixed.get(rr.region.code) or Style("xlsx", numbers=rng.choice(("int", "int", "thousands")))
        style.names = rng.choice(NAME_STYLES)
        style.dates = rng.choice(DATE_STYLES[1:] if style.fmt == "csv" else DATE_STYLES)
        style.region_header = rng.choice(("地区", "地区", "地区名称", "填报单位"))
        if style.names == "code":
            style.region_header = "地区代码"
        styles[rr.region.code] = style
    return styles


def titled(table: Table, rr: ReportingRegion, title: str, filled_on: dt.date) -> Table:
    table.title = f"{rr.region.name}2020年上半年中小学教师资格认定{title}"
    table.unit_line = f"填报单位：{rr.region.name}教育局"
    table.date_line = f"填报日期：{filled_on.year}年{filled_on.month}月{filled_on.day}日"
    table.notes = list(NOTES)
    return table


def plan_table(rr: ReportingRegion, style: Style, units: Units) -> Table:
    p = rr.plan
    assert p is not None
    row = [region_label(rr.region, False, style, units),
           date_text(p.submitted_on, style.dates) if p.submitted_on else None,
           date_text(p.announced_on, style.dates), p.status, p.note]
    table = Table("实施方案", [style.region_header, "方案报送日期", "公告发布日期", "方案状态", "备注"], [row])
    return titled(table, rr, "实施方案报送情况", dt.date(2020, 6, 5))


def registrations_table(rr: ReportingRegion, style: Style, units: Units) -> Table:
    header = [style.region_header, "日  期", "资格种类", "报名人数\n（人）"]
    rows = []
    short = shares_short_name(rr.region, units)  # its own rows name it 安阳, 安阳本级, 安阳教育局
    for (code, day, kind), n in sorted(rr.registrations.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2])):
        unit = units.get(code)
        own = unit.code == rr.region.code
        rows.append([short_label(unit, kind) if own and short else region_label(unit, own, style, units),
                     date_text(day, style.dates), kind, number_text(n, style.numbers)])
    total = ["合计", None, None, number_text(rr.registered_total(), style.numbers)]
    return titled(Table("报名进度", header, rows, total=total), rr, "网上报名情况统计表", dt.date(2020, 7, 1))


def sites_table(rr: ReportingRegion, style: Style, units: Units) -> Table:
    header = [style.region_header, "确认点名称", "开始日期", "结束日期", "窗口数（个）", "工作人员数",
              "每窗口日确认量（人）"]
    # a county that confirms on sites of its own is named by its own name on their rows
    rows = [[region_label(units.get(s.unit) if s.unit else rr.region, False, style, units), s.name,
             date_text(s.start, style.dates), date_text(s.end, style.dates), s.windows, s.staff, s.per_window]
            for s in rr.sites]
    total = ["合计", None, None, None, sum(s.windows for s in rr.sites), sum(s.staff for s in rr.sites), None]
    return titled(Table("现场确认安排", header, rows, total=total), rr, "现场确认安排", dt.date(2020, 6, 20))


def hospitals_table(rr: ReportingRegion, style: Style, units: Units) -> Table:
    header = [style.region_header, "体检医院名称", "开始日期", "结束日期", "日体检能力（人/天）"]
    label = region_label(rr.region, False, style, units)
    rows = [[label, h.name, date_text(h.start, style.dates), date_text(h.end, style.dates), h.daily_capacity]
            for h in rr.hospitals]
    return titled(Table("体检安排", header, rows), rr, "体检医院安排", dt.date(2020, 6, 20))


PROGRESS_COLUMNS = ("网报人数", "已预约", "已现场确认", "已体检", "犯罪记录已核查", "认定通过", "认定不通过",
                    "证书已打印", "证书已发放")


def progress_table(rr: ReportingRegion, report: dt.date, style: Style, units: Units) -> Table:
    header = [style.region_header, "统计截止日期", *PROGRESS_COLUMNS]
    rows, sums = [], [0] * len(PROGRESS_COLUMNS)
    for code, p in rr.progress[report].items():
        unit = units.get(code)
        figures = [p.registered, p.booked, p.confirmed, p.examined, p.record_checked, p.approved,
                   p.rejected, p.printed, p.issued]
        sums = [a + b for a, b in zip(sums, figures, strict=True)]
        rows.append([region_label(unit, code == rr.region.code, style, units), date_text(report, style.dates),
                     *(number_text(n, style.numbers) for n in figures)])
    total = ["合计", None, *(number_text(n, style.numbers) for n in sums)] if len(rows) > 1 else None
    return titled(Table("认定进度", header, rows, total=total), rr, f"认定工作进度周报（截至{report:%m月%d日}）",
                  report)


def applicant_table(rr: ReportingRegion, people: list[list[Value]]) -> Table:
    header = ["报名号", "姓名", "身份证号", "手机号", "资格种类", "任教学科", "认定机构", "网报日期", "现场确认状态",
              "体检结论", "犯罪记录核查", "认定结论", "证书状态"]
    table = Table("申请人明细", header, people)
    table.title = f"{rr.region.name}2020年上半年教师资格认定申请人明细"
    return table


def county_kind(kind: str) -> bool:
    return kind in COUNTY_KINDS
