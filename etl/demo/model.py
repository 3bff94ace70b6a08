"""The demo campaign's numbers: who registers when, each region's confirmation
sites and hospitals, its plan, and its weekly progress through the stages.

Plain data, no files: etl/demo/submissions.py lays these out as spreadsheets.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field

from domain.campaign import Campaign
from domain.regions import Region, Units
from domain.rules import Site, effective_decision_due, queue_clear_date

COUNTY_KINDS = {"幼儿园": 0.30, "小学": 0.42, "初级中学": 0.28}
CITY_KINDS = {"高级中学": 0.55, "中等职业学校文化课": 0.20, "中等职业学校专业课": 0.18,
              "中等职业学校实习指导": 0.07}
CITY_LEVEL_SHARE = 0.2  # of a city's applicants, the share applying for city-level kinds
APPLICANTS_AT_SCALE_1 = 100_000

# The situations the dashboard exists to catch, planted in named regions.
SHORT_CONFIRMATION = "410800"  # 焦作市: confirms 06-24..06-30, 4 working days (R3)
OVER_CAPACITY = ("410100", "411300")  # 郑州市, 南阳市: demand exceeds capacity (R4)
PLAN_AFTER_ANNOUNCEMENT = "411400"  # 商丘市 (R1)
PLAN_NEVER_SENT = "411729"  # 新蔡县 (R1)
PLAN_RETURNED = "410225"  # 兰考县: plan returned for revision
STOPS_REPORTING = "411628"  # 鹿邑县: last weekly report 07-10
STOPS_AFTER = dt.date(2020, 7, 10)
SLOW_REGION = "411600"  # 周口市: at its pace, misses 08-20 (R6/R7)


@dataclass
class RegionPlan:
    code: str
    submitted_on: dt.date | None
    announced_on: dt.date
    status: str
    note: str = ""


@dataclass
class Hospital:
    name: str
    start: dt.date
    end: dt.date
    daily_capacity: int


@dataclass
class ConfirmationSite:
    name: str
    start: dt.date
    end: dt.date
    windows: int
    staff: int
    per_window: int | None  # None: left blank, the campaign default applies


@dataclass
class Progress:
    registered: int
    booked: int
    confirmed: int
    examined: int
    record_checked: int
    approved: int
    rejected: int
    printed: int
    issued: int


@dataclass
class ReportingRegion:
    region: Region
    members: list[Region]  # units whose rows this region's files carry (itself first)
    registrations: dict[tuple[str, dt.date, str], int] = field(default_factory=dict)
    sites: list[ConfirmationSite] = field(default_factory=list)
    hospitals: list[Hospital] = field(default_factory=list)
    plan: RegionPlan | None = None
    progress: dict[dt.date, dict[str, Progress]] = field(default_factory=dict)

    def registered_total(self, code: str | None = None) -> int:
        return sum(n for (c, _, _), n in self.registrations.items() if code in (None, c))


def day_weights(campaign: Campaign) -> dict[dt.date, float]:
    """A registration window's shape: an early surge, a lull, the Dragon Boat dip
    (any non-working weekday), and the last days' rush."""
    days = (campaign.registration_end - campaign.registration_start).days + 1
    weights = {}
    for i in range(days):
        day = campaign.registration_start + dt.timedelta(days=i)
        w = 1.0 + 1.6 * math.exp(-i / 1.5) + 2.2 * math.exp(-(days - 1 - i) / 1.6)
        if not campaign.calendar.is_working_day(day):
            w *= 0.45 if day.weekday() < 5 else 0.75
        weights[day] = w
    return weights


def split(total: int, shares: dict, rng: random.Random, noise: float = 0.15) -> dict:
    """Split a whole number into parts by share, with some noise, summing exactly."""
    raw = {k: s * (1 + rng.uniform(-noise, noise)) for k, s in shares.items()}
    scale = total / sum(raw.values())
    parts = {k: int(v * scale) for k, v in raw.items()}
    rest = total - sum(parts.values())
    for k in sorted(raw, key=lambda k: raw[k] * scale - parts[k], reverse=True)[:rest]:
        parts[k] += 1
    return parts


def build(units: Units, campaign: Campaign, scale: float, rng: random.Random) -> list[ReportingRegion]:
    province = sum(r.population for r in units.reporting())
    regions = []
    for unit in units.reporting():
        members = [unit, *units.children(unit.code)]
        rr = ReportingRegion(unit, members)
        applicants = round(APPLICANTS_AT_SCALE_1 * scale * unit.population / province)
        _registrations(rr, applicants, campaign, rng)
        _sites(rr, campaign, rng)
        _plan(rr, rng)
        _progress(rr, campaign, rng)
        regions.append(rr)
    return regions


def _registrations(rr: ReportingRegion, applicants: int, campaign: Campaign, rng: random.Random) -> None:
    unit = rr.region
    if unit.kind == "direct_county":
        by_unit = {unit.code: (applicants, COUNTY_KINDS)}
    elif unit.kind == "direct_zone":
        by_unit = {unit.code: (applicants, COUNTY_KINDS | {k: v * 0.25 for k, v in CITY_KINDS.items()})}
    else:
        city_level = round(applicants * CITY_LEVEL_SHARE)
        counties = split(applicants - city_level, {c.code: c.population for c in rr.members[1:]}, rng, 0.1)
        by_unit = {unit.code: (city_level, CITY_KINDS)} | {c: (n, COUNTY_KINDS) for c, n in counties.items()}
    weights = day_weights(campaign)
    for code, (total, kinds) in by_unit.items():
        for kind, n in split(total, kinds, rng, 0.1).items():
            for day, count in split(n, weights, rng, 0.2).items():
                rr.registrations[(code, day, kind)] = count


def _sites(rr: ReportingRegion, campaign: Campaign, rng: random.Random) -> None:
    """Confirmation sites sized for the region's demand, and its exam hospitals."""
    code, name = rr.region.code, rr.region.short_name
    if code == SHORT_CONFIRMATION:
        start, end = dt.date(2020, 6, 24), dt.date(2020, 6, 30)
    else:
        start = dt.date(2020, 7, 1) + dt.timedelta(days=rng.choice([0, 0, 1, 5]))
        end = campaign.calendar.add_working_days(start, rng.choice([5, 6, 7, 8]))
    days = campaign.calendar.working_days_between(start, end)
    demand = rr.registered_total()
    headroom = 0.75 if code in OVER_CAPACITY else rng.uniform(1.25, 1.6)
    per_window = rng.choice([50, 60, 60, 80])
    windows = max(1, math.ceil(demand * headroom / (days * per_window)))
    n_sites = min(windows, rng.choice([1, 2, 2, 3]))
    labels = ["政务服务中心", "教师发展中心", "教育局", "职业教育中心"]
    for i, w in enumerate(split(windows, {i: 1.0 for i in range(n_sites)}, rng, 0.0).values()):
        blank = rng.random() < 0.25
        rr.sites.append(ConfirmationSite(
            f"{name}{labels[i]}确认点", start, end, max(w, 1), max(w, 1) * 2 + rng.randint(0, 3),
            None if blank else per_window))
    exam_start = start - dt.timedelta(days=rng.choice([3, 5, 7]))
    exam_days = campaign.calendar.working_days_between(exam_start, end)
    exam_headroom = 0.8 if code == OVER_CAPACITY[0] else rng.uniform(1.3, 1.8)
    daily = max(50, math.ceil(demand * exam_headroom / exam_days / 10) * 10)
    for i, part in enumerate(split(daily, {i: 1.0 for i in range(rng.choice([1, 2, 3]))}, rng, 0.2).values()):
        rr.hospitals.append(Hospital(f"{name}第{'一二三'[i]}人民医院", exam_start, end, max(part, 10)))


def _plan(rr: ReportingRegion, rng: random.Random) -> None:
    code = rr.region.code
    announced = dt.date(2020, 5, 25) + dt.timedelta(days=rng.randint(0, 10))
    submitted = announced - dt.timedelta(days=rng.randint(2, 8))
    status = rng.choice(["已备案", "已备案", "已报送"])
    note = ""
    if code == PLAN_AFTER_ANNOUNCEMENT:
        submitted, note = announced + dt.timedelta(days=4), "公告发布后补报"
    elif code == PLAN_NEVER_SENT:
        submitted, status = None, "未报送"
    elif code == PLAN_RETURNED:
        status, note = "退回修改", "确认点安排不完整，退回修改"
    rr.plan = RegionPlan(code, submitted, announced, status, note)


def _progress(rr: ReportingRegion, campaign: Campaign, rng: random.Random) -> None:
    """Each unit's figures on every report date, following the stages in order."""
    cal = campaign.calendar
    sites = [Site(s.start, s.end, s.windows, s.per_window or campaign.default_daily_per_window)
             for s in rr.sites]
    start, end = min(s.start for s in sites), max(s.end for s in sites)
    due = effective_decision_due(end, campaign)
    slow = rr.region.code == SLOW_REGION
    for report in campaign.report_dates():
        if rr.region.code == STOPS_REPORTING and report > STOPS_AFTER:
            break
        rows = {}
        for unit in rr.members:
            total = rr.registered_total(unit.code)
            registered = sum(n for (c, d, _), n in rr.registrations.items() if c == unit.code and d <= report)
            clear = queue_clear_date(total, sites, cal) or end
            confirmed = min(round(registered * 0.96), round(total * 0.96 * _ramp(report, start, clear, cal)))
            examined = min(registered, round(total * 0.97 * _ramp(report, start - dt.timedelta(days=5),
                                                                  clear, cal)))
            examined = max(examined, confirmed)
            checked = round(confirmed * _ramp(report, start + dt.timedelta(days=3),
                                              cal.add_working_days(clear, 6), cal))
            finish = cal.add_working_days(due, 25) if slow else due - dt.timedelta(days=9)
            decided = min(checked, round(confirmed * _ramp(report, end, finish, cal)))
            rejected = round(decided * 0.015)
            approved = decided - rejected
            printed = round(approved * _ramp(report, end + dt.timedelta(days=7),
                                             finish + dt.timedelta(days=2), cal))
            issued = round(printed * _ramp(report, end + dt.timedelta(days=10),
                                           finish + dt.timedelta(days=5), cal))
            booked = min(registered, round(total * 0.98 * _ramp(report, campaign.registration_start,
                                                               campaign.registration_end, cal)))
            rows[unit.code] = Progress(registered, booked, confirmed, examined, checked, approved,
                                       rejected, printed, issued)
        rr.progress[report] = rows


def _ramp(day: dt.date, start: dt.date, end: dt.date, cal) -> float:
    """Share of a stage done by `day` when it runs evenly over the working days start..end."""
    if day < start:
        return 0.0
    if day >= end:
        return 1.0
    total = cal.working_days_between(start, end)
    return cal.working_days_between(start, day) / total if total else 1.0
