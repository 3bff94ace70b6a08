"""python -m etl demo: a realistic demo campaign, written as the regions' own files.

Every reporting region (17 cities, 济源, 10 direct counties) sends a workbook or a
set of CSV files, weekly progress files every report day, and some send
applicant lists. The situations the dashboard exists to catch are planted in
named regions; `manifest.json` in the output lists each one with its file,
sheet, row and column; `outcomes` there is the truth early warnings are measured
against: for every reporting region and deadline R5–R7, whether it really ends late
(from the model's curves, not from the reports).

Each file's modification time is when its region would have sent it (`load --received-at-mtime`
replays them so): the workbook of plan, registrations, sites and hospitals on 07-01, the morning
after registration closed (its registrations sheet is dated so); a weekly report on its due day in
the afternoon (the Dragon Boat holiday's on Sunday 06-28, the make-up working day); a few reports
a working day or two late (`REPORTS_SENT_LATE`); applicant lists with the last report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

import msoffcrypto

from domain.campaign import CAMPAIGNS_DIR, Campaign, load_campaign
from domain.idcard import check_digit, mask
from domain.regions import Units, load_units
from etl.demo import model
from etl.demo.files import Table, write_csv, write_xls, write_xlsx
from etl.demo.submissions import (
    Planted,
    Style,
    applicant_table,
    choose_styles,
    date_text,
    hospitals_table,
    plan_table,
    progress_table,
    region_label,
    registrations_table,
    shares_short_name,
    sites_table,
)

APPLICANT_LISTS = {"411100": "gb18030", "410600": "xlsx", "419001": "utf-8-sig"}
TWICE_REGISTERED = ("411100", "410600")  # one person in both regions' applicant lists
ENCRYPTED_COPY = "410300"  # 洛阳 also sent a password-protected copy of a table
DEMO_PASSWORD = "jszg2020"
MAIN_SENT_ON = dt.date(2020, 7, 1)  # the workbook: the morning after registration closed (its 报名进度 is dated so)
# Weekly reports sent after their due day: (report day, region) → working days late. Two regions send the
# Dragon Boat holiday's report on Monday 06-29, as if Sunday 06-28 were not the make-up working day it was.
REPORTS_SENT_LATE = {(dt.date(2020, 6, 26), "410600"): 1, (dt.date(2020, 6, 26), "411481"): 1,
                     (dt.date(2020, 7, 17), "411400"): 2}


@dataclass
class DemoSummary:
    files: int
    applicants: int
    planted: list[Planted]
    outcomes: dict[str, int] = field(default_factory=dict)  # late / on_time / unknown (region × R5–R7)

    def outcomes_line(self) -> str:
        """The outcomes in a line of the command's output."""
        o = self.outcomes
        return (f"真实结果：{sum(o.values())} 项（地区 × R5–R7）中逾期 {o.get('late', 0)} 项，"
                f"按期 {o.get('on_time', 0)} 项，未知 {o.get('unknown', 0)} 项")


def write_demo(out: Path, scale: float = 1.0, seed: int = 2020,
               campaign_path: Path | None = None, curves: str = "s") -> DemoSummary:
    """Write the demo campaign into `out` (replacing what was there); deterministic for a seed.
    `curves`: the family of the stages' S-shaped progress, "s" (symmetric, of varying
    steepness) or "skewed" (late-heavy for some units, front-loaded for others)."""
    campaign = load_campaign(campaign_path or CAMPAIGNS_DIR / "2020H1.toml")
    units = load_units()
    rng = random.Random(seed)
    regions = model.build(units, campaign, scale, rng, curves=curves, seed=seed)
    styles = choose_styles(regions, rng)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    writer = _Writer(out, units, campaign, random.Random(f"received-{seed}"))
    for rr in regions:
        if rr.region.code == model.SENDS_NOTHING:
            writer.planted.append(Planted("sends_nothing", rr.region.code,
                                          detail="未报送任何文件（没有文件夹），真实结果未知"))
            continue
        writer.region(rr, styles[rr.region.code], campaign, rng)
    applicants = writer.applicant_lists(regions, rng)
    outcomes = [asdict(o) for rr in regions for o in rr.outcomes]
    counts = {"late": sum(o["late"] is True for o in outcomes), "on_time": sum(o["late"] is False for o in outcomes),
              "unknown": sum(o["late"] is None for o in outcomes)}
    manifest = {
        "campaign": campaign.id, "scale": scale, "seed": seed, "curves": curves,
        "applicants": sum(rr.registered_total() for rr in regions if rr.region.code != model.SENDS_NOTHING),
        "files": sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()),
        "planted": [asdict(p) for p in writer.planted],
        "outcomes": outcomes,
        "outcome_counts": counts,
        "shapes": {u.code: [u.curve.family, u.curve.p, u.curve.q] for rr in regions for u in rr.work_units},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1, default=str),
                                       encoding="utf-8")
    return DemoSummary(len(manifest["files"]), manifest["applicants"] or applicants, writer.planted, counts)


class _Writer:
    def __init__(self, out: Path, units: Units, campaign: Campaign, times: random.Random):
        self.out, self.units, self.campaign = out, units, campaign
        self.times = times  # a generator of its own: the files' bytes do not depend on when they were sent
        self.planted: list[Planted] = []

    def sent_at(self, day: dt.date, first_hour: int, late: int = 0) -> dt.datetime:
        """A time on `day` (or `late` working days after it) from `first_hour` to three hours later."""
        if late:
            day = self.campaign.calendar.add_working_days(day, late)
        return dt.datetime.combine(day, dt.time(first_hour)) + dt.timedelta(minutes=self.times.randrange(180))

    @staticmethod
    def stamp(path: Path, when: dt.datetime) -> None:
        os.utime(path, (when.timestamp(), when.timestamp()))

    def folder(self, rr: model.ReportingRegion) -> Path:
        path = self.out / f"{rr.region.code}_{rr.region.name}"
        path.mkdir(exist_ok=True)
        return path

    def region(self, rr: model.ReportingRegion, style: Style, campaign: Campaign, rng: random.Random) -> None:
        u = self.units
        main = [plan_table(rr, style, u), registrations_table(rr, style, u), sites_table(rr, style, u),
                hospitals_table(rr, style, u)]
        for table in main:
            table.file_stem = f"{rr.region.name}教师资格认定报表"
        self.plant_main(rr, main, style)
        if shares_short_name(rr.region, u):
            self.plant_short_name(rr, main[1], style)
        sent = self.sent_at(MAIN_SENT_ON, 9)
        self.write(rr, main, style, sent)
        self.progress_tables: dict[dt.date, Table] = {}
        for report in sorted(rr.progress):
            table = progress_table(rr, report, style, u)
            table.file_stem = f"认定进度_{report:%Y%m%d}"
            self.plant_progress(rr, report, table, style)
            late = REPORTS_SENT_LATE.get((report, rr.region.code), 0)
            path = self.write(rr, [table], style, self.sent_at(self.campaign.calendar.next_working_day(report), 15,
                                                              late))
            if late:
                self.planted.append(Planted("weekly_report_late", rr.region.code, str(path.relative_to(self.out)),
                                            detail=f"{report} 的周报晚 {late} 个工作日报送"))
            self.progress_tables[report] = table
        if rr.region.code == model.SHORT_CONFIRMATION:
            self.note(rr, "short_confirmation", main[2], 0, style, "开始日期",
                      detail="现场确认 2020-06-24 至 06-30，仅 4 个工作日（端午 06-25..27）")
        if rr.region.code in model.OVER_CAPACITY:
            self.note(rr, "over_capacity", main[2], 0, style, "窗口数（个）", detail="确认能力低于报名人数")
        if rr.region.code == model.PLAN_AFTER_ANNOUNCEMENT:
            self.note(rr, "plan_after_announcement", main[0], 0, style, "方案报送日期",
                      value=str(rr.plan.submitted_on), detail=f"公告发布于 {rr.plan.announced_on}")
        if rr.region.code == model.PLAN_NEVER_SENT:
            self.note(rr, "plan_never_sent", main[0], 0, style, "方案状态", value="未报送")
        if rr.region.code == model.STOPS_REPORTING:
            self.planted.append(Planted("stops_reporting", rr.region.code,
                                        detail=f"最后一次周报 {model.STOPS_AFTER}"))
        if rr.region.code == model.SLOW_REGION:
            self.planted.append(Planted("misses_final_date", rr.region.code,
                                        detail="认定和发证进度按当前速度无法在 08-20 前完成"))
        if rr.region.code == ENCRYPTED_COPY:
            self.encrypted_copy(rr, main[3], sent)
        self.plant_units(rr, main[2], style, campaign)

    def plant_units(self, rr: model.ReportingRegion, sites: Table, style: Style, campaign: Campaign) -> None:
        """The counties with sites of their own, and the true outcomes planted for early warnings."""
        code = rr.region.code
        cal = campaign.calendar

        def site_row(unit: str) -> int:
            return next(i for i, s in enumerate(rr.sites) if s.unit == unit)

        if code == model.COUNTY_PARENT:
            city = [s for s in rr.sites if not s.unit]
            city_days = cal.working_days_in([(s.start, s.end) for s in city])
            short = [(s.start, s.end) for s in rr.sites if s.unit == model.COUNTY_SHORT]
            self.note(rr, "county_r3_too_short", sites, site_row(model.COUNTY_SHORT), style, "开始日期",
                      value=str(short[0][0]),
                      detail=f"杞县自设确认点 {'、'.join(f'{a:%m-%d}..{b:%m-%d}' for a, b in short)}，"
                             f"合计仅 {cal.working_days_in(short)} 个工作日；开封市本级确认点 "
                             f"{min(s.start for s in city):%m-%d}..{max(s.end for s in city):%m-%d} "
                             f"共 {city_days} 个工作日")
            over = [s for s in rr.sites if s.unit == model.COUNTY_OVER]
            capacity = sum(cal.working_days_between(s.start, s.end) * s.windows * (s.per_window or 0) for s in over)
            demand = rr.registered_total(model.COUNTY_OVER)
            self.note(rr, "county_over_capacity", sites, site_row(model.COUNTY_OVER), style, "窗口数（个）",
                      value=str(over[0].windows),
                      detail=f"尉氏县自设确认点能力 {capacity} 人，本县报名 {demand} 人"
                             f"（利用率 {demand / capacity:.0%}）；开封市整体能力足够")
        outcomes = {o.milestone: o for o in rr.outcomes}
        outcome = outcomes.get("R6_decisions")
        if code == model.LATE_FINISH and outcome is not None:
            report = next(d for d in sorted(rr.progress) if d >= outcome.finished_on)
            issued = outcomes["R7_final"]
            self.note(rr, "late_finish", self.progress_tables[report], 0, style, "认定通过",
                      detail=f"现场确认 {rr.sites[0].end} 结束，认定结论应于 {outcome.due} 前作出，"
                             f"{outcome.finished_on} 才全部作出（逾期完成）；证书 {issued.finished_on} 全部发放"
                             f"（{'逾期' if issued.late else '按期'}）")
        if code == model.SLOW_START and outcome is not None:
            unit = rr.unit_of(code)
            report = next(d for d in sorted(rr.progress) if rr.progress[d][code].approved > 0)
            self.note(rr, "slow_start_on_time", self.progress_tables[report], 0, style, "认定通过",
                      detail=f"现场确认 {unit.end} 结束，认定 {unit.stages['decide'].start} 才开始"
                             f"（此前各期周报为 0），{outcome.finished_on} 全部作出，早于应完成日期 {outcome.due}")
        if code == model.AFTER_FINAL:
            first = rr.sites[0]
            self.note(rr, "confirmation_after_final_date", sites, 0, style, "开始日期", value=str(first.start),
                      detail=f"现场确认安排在 {first.start}..{first.end}，晚于 {campaign.final_date} 的最后期限；"
                             f"周报只有报名和预约人数")

    # ---- planting --------------------------------------------------------------

    def plant_main(self, rr: model.ReportingRegion, tables: list[Table], style: Style) -> None:
        code, reg, sites = rr.region.code, tables[1], tables[2]
        middle = len(reg.rows) // 2
        if code == "410300":
            self.replace(rr, "negative_count", reg, middle, 3, style, -5)
        elif code == "410400":
            self.replace(rr, "fractional_count", reg, middle, 3, style, "12.5")
        elif code == "410700":
            self.replace(rr, "impossible_date", reg, middle, 1, style, "2020-06-31")
        elif code == "410900":
            self.replace(rr, "unknown_region", reg, middle, 0, style, "濮阳工业园区")
        elif code == "411500":
            self.replace(rr, "unknown_kind", reg, middle, 2, style, "高等学校")
        elif code == "411700":
            row = list(reg.rows[middle])
            row[3] = _bump(row[3], 7)
            reg.rows.insert(middle + 1, row)
            self.note(rr, "duplicate_key", reg, middle + 1, style, reg.header[3], value=str(row[3]),
                      detail=f"与第 {self.row_number(reg, middle, style)} 行同一地区、日期、资格种类，人数不同")
        elif code == "410100":
            unit = self.units.get(code)
            reg.rows.append([region_label(unit, True, style, self.units), date_text(dt.date(2020, 7, 1),
                             style.dates), "高级中学", 3])
            reg.total[3] = _bump(reg.total[3], 3)
            self.note(rr, "outside_registration_window", reg, len(reg.rows) - 1, style, reg.header[1],
                      value="2020-07-01")
        elif code == "410500":
            reg.total[3] = _bump(reg.total[3], 100)
            self.planted.append(Planted("total_mismatch", code, self.file_of(rr, style, reg), reg.sheet,
                                        self.row_number(reg, len(reg.rows), style), reg.header[3],
                                        str(reg.total[3]), "合计比明细之和多 100"))
        elif code == "411000":
            bad = list(sites.rows[0])
            bad[1], bad[2], bad[3] = "许昌市补充确认点", bad[3], bad[2]
            sites.rows.append(bad)
            self.note(rr, "end_before_start", sites, len(sites.rows) - 1, style, "结束日期", value=str(bad[3]))

    def plant_short_name(self, rr: model.ReportingRegion, reg: Table, style: Style) -> None:
        """The city's own rows name it by the short name a county shares (安阳, not 安阳县)."""
        short = rr.region.short_name
        i = next(i for i, row in enumerate(reg.rows) if row[0] == short)
        self.note(rr, "short_name_is_city", reg, i, style, reg.header[0], value=short,
                  detail=f"“{short}”“{short}本级”“{short}教育局”指{rr.region.name}（{rr.region.code}），"
                         f"不是{short}县")

    def plant_progress(self, rr: model.ReportingRegion, report: dt.date, table: Table, style: Style) -> None:
        if rr.region.code == "411300" and report == dt.date(2020, 7, 17):
            row = table.rows[1]
            row[4] = _bump(row[2], 25)  # confirmed > registered
            self.note(rr, "confirmed_exceeds_registered", table, 1, style, "已现场确认", value=str(row[4]))
        if rr.region.code == "410200" and report == dt.date(2020, 8, 14):
            row = table.rows[0]
            row[10] = _bump(row[7], 4)  # issued > approved
            self.note(rr, "issued_exceeds_approved", table, 0, style, "证书已发放", value=str(row[10]))

    def replace(self, rr, kind: str, table: Table, i: int, col: int, style: Style, value) -> None:
        table.rows[i][col] = value
        self.note(rr, kind, table, i, style, table.header[col], value=str(value))

    def note(self, rr, kind: str, table: Table, i: int, style: Style, column: str, value: str = "",
             detail: str = "") -> None:
        self.planted.append(Planted(kind, rr.region.code, self.file_of(rr, style, table), table.sheet,
                                    self.row_number(table, i, style), column, value, detail))

    def row_number(self, table: Table, i: int, style: Style) -> int:
        """The row a coordinator sees in Excel (or the line of a CSV file)."""
        if style.fmt == "csv" and not style.csv_titles:
            return 2 + i
        return table.first_data_line() + i

    def file_of(self, rr, style: Style, table: Table) -> str:
        folder = f"{rr.region.code}_{rr.region.name}"
        if style.fmt == "csv":
            return f"{folder}/{self._csv_name(table)}"
        return f"{folder}/{table.file_stem}.{style.fmt}"

    # ---- writing ---------------------------------------------------------------

    def write(self, rr, tables: list[Table], style: Style, sent: dt.datetime) -> Path:
        """Write the tables as the region's format has them, each file dated `sent`; the (last) file."""
        folder = self.folder(rr)
        if style.fmt == "xlsx":
            paths = [folder / f"{tables[0].file_stem}.xlsx"]
            write_xlsx(paths[0], tables)
        elif style.fmt == "xls":
            paths = [folder / f"{tables[0].file_stem}.xls"]
            write_xls(paths[0], tables)
        else:
            paths = [folder / self._csv_name(t) for t in tables]
            for path, t in zip(paths, tables, strict=True):
                write_csv(path, t, style.encoding, style.csv_titles)
        for path in paths:
            self.stamp(path, sent)
        return paths[-1]

    @staticmethod
    def _csv_name(table: Table) -> str:
        """A workbook's tables become one CSV each, named by table; a weekly report keeps its date."""
        return f"{table.file_stem}.csv" if table.sheet in table.file_stem else f"{table.sheet}.csv"

    def encrypted_copy(self, rr, table: Table, sent: dt.datetime) -> None:
        plain = self.folder(rr) / "体检安排_加密副本.plain.xlsx"
        write_xlsx(plain, [table])
        target = self.folder(rr) / "体检安排_加密副本.xlsx"
        with open(plain, "rb") as src, open(target, "wb") as dst:
            office = msoffcrypto.OfficeFile(src)
            office.encrypt(DEMO_PASSWORD, dst)
        plain.unlink()
        self.stamp(target, sent)
        self.planted.append(Planted("password_protected", rr.region.code, str(target.relative_to(self.out)),
                                    detail="带密码的 Excel 文件，整份应被拒收"))

    # ---- applicant lists -----------------------------------------------------

    def applicant_lists(self, regions: list[model.ReportingRegion], rng: random.Random) -> int:
        by_code = {rr.region.code: rr for rr in regions}
        shared_person: list | None = None
        count = 0
        for code, fmt in APPLICANT_LISTS.items():
            rr = by_code[code]
            people = _people(rr, self.units, rng)
            if code == TWICE_REGISTERED[0]:
                for i in (5, len(people) // 2):
                    people[i][2] = people[i][2][:17] + ("0" if people[i][2][17] != "0" else "1")
                    self.planted.append(Planted("bad_id_check_digit", code, "", "申请人明细", None, "身份证号",
                                                mask(people[i][2])))
                shared_person = list(people[10])
            elif code == TWICE_REGISTERED[1] and shared_person is not None:
                people[3][1:4] = shared_person[1:4]
                self.planted.append(Planted("registered_twice", code, detail="同一身份证号也出现在漯河市名单中"))
            table = applicant_table(rr, people)
            folder = self.folder(rr)
            if fmt == "xlsx":
                name = f"{folder.name}/申请人明细.xlsx"
                write_xlsx(self.out / name, [table])
            else:
                name = f"{folder.name}/申请人明细.csv"
                write_csv(self.out / name, table, fmt, with_titles=False)
            self.stamp(self.out / name, self.sent_at(self.campaign.last_report, 18))
            for p in self.planted:
                if p.region_code == code and p.kind == "bad_id_check_digit" and not p.file:
                    p.file = name
            self._rows_of_bad_ids(code, people, table, fmt)
            count += len(people)
        return count

    def _rows_of_bad_ids(self, code: str, people: list, table: Table, fmt: str) -> None:
        bad = [i for i, p in enumerate(people) if check_digit(p[2][:17]) != p[2][17]]
        first = table.first_data_line() if fmt == "xlsx" else 2
        for p, i in zip([p for p in self.planted if p.region_code == code and p.kind == "bad_id_check_digit"],
                        bad, strict=True):
            p.row = first + i


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉宇浩凯" "晨欣雨婷佳琪思颖梦雪瑶涵子轩博文一诺"
SUBJECTS = {"幼儿园": ["幼儿园"], "小学": ["语文", "数学", "英语", "音乐", "体育", "美术"],
            "初级中学": ["语文", "数学", "英语", "物理", "化学", "历史", "地理"],
            "高级中学": ["语文", "数学", "英语", "物理", "化学", "生物", "政治"],
            "中等职业学校文化课": ["语文", "数学", "英语"], "中等职业学校专业课": ["计算机应用", "机电技术", "会计"],
            "中等职业学校实习指导": ["汽车运用与维修", "烹饪", "电子技术"]}


def _people(rr: model.ReportingRegion, units: Units, rng: random.Random) -> list[list]:
    people = []
    for (code, day, kind), n in sorted(rr.registrations.items()):
        unit = units.get(code)
        for _ in range(n):
            k = len(people) + 1
            born = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 15))
            first17 = f"{code}{born:%Y%m%d}{rng.randint(0, 999):03d}"
            id_number = first17 + check_digit(first17)
            name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2])))
            phone = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
            people.append([f"2020{code}{k:06d}", name, id_number, phone, kind, rng.choice(SUBJECTS[kind]),
                           unit.name, day.isoformat(), "已确认", "合格", "无犯罪记录", "通过", "已发放"])
    return people


def _bump(value, by: int):
    """`value` (a number or a number written as text) plus `by`, in the same style."""
    if isinstance(value, int):
        return value + by
    text = str(value)
    digits = "".join(c for c in text.translate(str.maketrans("０１２３４５６７８９", "0123456789")) if c.isdigit())
    return str(int(digits) + by)
