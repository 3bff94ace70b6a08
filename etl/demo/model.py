"""The demo campaign's numbers: who registers when, each region's confirmation
sites and hospitals, its plan, its weekly progress through the stages, and the
true outcome of every deadline (from the model, not from what the reports show).

Plain data, no files: etl/demo/submissions.py lays these out as spreadsheets.

Progress is S-shaped: every stage of a working unit starts slowly, runs fastest in
the middle and slows at the end, on a curve whose shape is drawn per unit. Two
families: "s" (logistic curves of varying steepness, roughly symmetric) and "skewed"
(Beta-CDF curves, late-heavy for some units and front-loaded for others). A stage's
last applicant is done on the stage's planned last day, whatever the curve, so the
model knows exactly when each stage ends.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from dataclasses import dataclass, field

from domain.campaign import Campaign
from domain.projection import share_at
from domain.regions import Region, Units
from domain.rules import Site, effective_decision_due, queue_clear_date

COUNTY_KINDS = {"幼儿园": 0.30, "小学": 0.42, "初级中学": 0.28}
CITY_KINDS = {"高级中学": 0.55, "中等职业学校文化课": 0.20, "中等职业学校专业课": 0.18,
              "中等职业学校实习指导": 0.07}
CITY_LEVEL_SHARE = 0.2  # of a city's applicants, the share applying for city-level kinds
APPLICANTS_AT_SCALE_1 = 100_000
RATE_SPREAD = 0.4  # a region's applicants per head: the province's rate, up to 40 % either way
BOOK_SHARE, EXAM_SHARE, CONFIRM_SHARE, REJECT_SHARE = 0.98, 0.97, 0.96, 0.015
CURVES = ("s", "skewed")
MILESTONES = ("R5_record_checks", "R6_decisions", "R7_final")
HORIZON = dt.date(2020, 12, 31)  # a stage not finished by then: finished_on is None


def _d(month: int, day: int) -> dt.date:
    return dt.date(2020, month, day)


# The situations the dashboard exists to catch, planted in named regions.
SHORT_CONFIRMATION = "410800"  # 焦作市: confirms 06-24..06-30, 4 working days (R3)
OVER_CAPACITY = ("410100", "411300")  # 郑州市, 南阳市: demand exceeds capacity (R4)
PLAN_AFTER_ANNOUNCEMENT = "411400"  # 商丘市 (R1)
PLAN_NEVER_SENT = "411729"  # 新蔡县 (R1)
PLAN_RETURNED = "410225"  # 兰考县: plan returned for revision
STOPS_REPORTING = "411628"  # 鹿邑县: last weekly report 07-10 (its true outcome is unchanged)
STOPS_AFTER = _d(7, 10)
SLOW_REGION = "411600"  # 周口市: at its pace, misses 08-20 (R6/R7)
SLOW_OVERRUN = 25  # working days its decisions run past their due date
# Counties that send confirmation sites of their own, and are judged as units of their own.
COUNTY_PARENT = "410200"  # 开封市: its own sites run 07-01..07-14, 10 working days
COUNTY_PARENT_PERIOD = (_d(7, 1), _d(7, 14))
COUNTY_SHORT = "410221"  # 杞县: own sites 06-29..06-30 and 07-09..07-10, 4 working days (R3)
COUNTY_SHORT_PERIODS = ((_d(6, 29), _d(6, 30)), (_d(7, 9), _d(7, 10)))
COUNTY_OVER = "410223"  # 尉氏县: own sites' capacity 57 % of its own demand (R4)
COUNTY_OVER_PERIOD = (_d(7, 6), _d(7, 10))
COUNTY_OVER_CAPACITY = 0.57
COUNTY_UNITS = (COUNTY_SHORT, COUNTY_OVER)
# The true outcomes planted for early warnings to be measured against.
LATE_FINISH = "411200"  # 三门峡市: confirms 06-22..06-30, decisions due 08-11, all decided 08-18
LATE_FINISH_PERIOD = (_d(6, 22), _d(6, 30))
LATE_FINISH_DECIDED = _d(8, 18)
SLOW_START = "411381"  # 邓州市: confirms 07-01..07-08, decides only from 15 working days later, on time
SLOW_START_PERIOD = (_d(7, 1), _d(7, 8))
SLOW_START_DELAY = 15
AFTER_FINAL = "411525"  # 固始县: confirmation planned 08-24..08-31, after the 08-20 final date
AFTER_FINAL_PERIOD = (_d(8, 24), _d(8, 31))
SENDS_NOTHING = "410482"  # 汝州市: sends no file at all; its outcome is unknown
FIXED_PERIODS = {COUNTY_PARENT: COUNTY_PARENT_PERIOD, LATE_FINISH: LATE_FINISH_PERIOD,
                 SLOW_START: SLOW_START_PERIOD, AFTER_FINAL: AFTER_FINAL_PERIOD}
OUTCOME_PLANTED = (SLOW_REGION, LATE_FINISH, SLOW_START, AFTER_FINAL, SENDS_NOTHING, STOPS_REPORTING)


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
    unit: str = ""  # the unit named in the file's 地区 column (a county with its own sites); "" = the region


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


@dataclass(frozen=True)
class Curve:
    """Share of a stage done when a share x of its days has passed: 0 at 0, 1 at 1, rising.
    "s": a logistic of steepness p centred at q, rescaled to run from 0 to 1;
    "skewed": the Beta(p, q) distribution function (p > q late-heavy, p < q front-loaded)."""

    family: str
    p: float
    q: float

    def __call__(self, x: float) -> float:
        if x <= 0:
            return 0.0
        if x >= 1:
            return 1.0
        if self.family == "s":
            lo, hi = _logistic(-self.p * self.q), _logistic(self.p * (1 - self.q))
            return (_logistic(self.p * (x - self.q)) - lo) / (hi - lo)
        return share_at((self.p, self.q), x)  # the same Beta functions the projection fits


def _logistic(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def draw_curve(family: str, rng: random.Random) -> Curve:
    if family == "s":
        return Curve("s", round(rng.uniform(5.0, 12.0), 2), round(rng.uniform(0.42, 0.58), 2))
    if family == "skewed":
        steep, flat = round(rng.uniform(2.5, 4.5), 2), round(rng.uniform(1.1, 1.6), 2)
        return Curve("skewed", steep, flat) if rng.random() < 0.5 else Curve("skewed", flat, steep)
    raise ValueError(f"unknown curve family {family!r}; one of {CURVES}")


@dataclass
class Stage:
    """The days on which a stage's work is done, in order (it is complete on the last), and its curve."""

    days: list[dt.date]
    curve: Curve

    def share(self, day: dt.date) -> float:
        return self.curve(bisect.bisect_right(self.days, day) / len(self.days))

    @property
    def start(self) -> dt.date:
        return self.days[0]

    @property
    def end(self) -> dt.date:
        return self.days[-1]


@dataclass
class WorkUnit:
    """Who does the work (domain/work_units.py): a county with its own sites confirms its own
    applicants there; the reporting region confirms everyone else on its sites."""

    code: str
    members: list[str]  # units whose figures follow this unit's stages
    sites: list[ConfirmationSite]
    curve: Curve
    stages: dict[str, Stage] = field(default_factory=dict)
    end: dt.date | None = None  # the last day of its sites
    due: dt.date | None = None  # R5/R6: 30 working days after `end`, capped at the final date


@dataclass
class Outcome:
    region_code: str
    milestone: str
    unit_code: str
    due: dt.date
    finished_on: dt.date | None
    late: bool | None


@dataclass
class ReportingRegion:
    region: Region
    members: list[Region]  # units whose rows this region's files carry (itself first)
    registrations: dict[tuple[str, dt.date, str], int] = field(default_factory=dict)
    sites: list[ConfirmationSite] = field(default_factory=list)
    hospitals: list[Hospital] = field(default_factory=list)
    plan: RegionPlan | None = None
    progress: dict[dt.date, dict[str, Progress]] = field(default_factory=dict)
    work_units: list[WorkUnit] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    _cumulative: dict[str, tuple[list[dt.date], list[int]]] = field(default_factory=dict, repr=False)

    def registered_total(self, code: str | None = None) -> int:
        return sum(n for (c, _, _), n in self.registrations.items() if code in (None, c))

    def registered_by(self, code: str, day: dt.date) -> int:
        if code not in self._cumulative:
            daily: dict[dt.date, int] = {}
            for (c, d, _), n in self.registrations.items():
                if c == code:
                    daily[d] = daily.get(d, 0) + n
            days = sorted(daily)
            running, sums = 0, []
            for d in days:
                running += daily[d]
                sums.append(running)
            self._cumulative[code] = (days, sums)
        days, sums = self._cumulative[code]
        i = bisect.bisect_right(days, day)
        return sums[i - 1] if i else 0

    def unit_of(self, code: str) -> WorkUnit:
        return next(u for u in self.work_units if code in u.members)

    def figures(self, code: str, day: dt.date) -> Progress:
        """Member `code`'s figures on `day`, on the stages of the unit that does its work. Each
        stage stays within the one before it; a stage is complete only on its last day."""
        stages = self.unit_of(code).stages
        total = self.registered_by(code, dt.date.max)
        registered = self.registered_by(code, day)
        to_confirm = round(total * CONFIRM_SHARE)
        to_issue = to_confirm - round(to_confirm * REJECT_SHARE)
        booked = min(registered, _part(round(total * BOOK_SHARE), stages["book"].share(day)))
        confirmed = min(booked, _part(to_confirm, stages["confirm"].share(day)))
        examined = max(confirmed, min(registered, _part(round(total * EXAM_SHARE), stages["exam"].share(day))))
        checked = min(confirmed, _part(to_confirm, stages["check"].share(day)))
        decided = min(checked, _part(to_confirm, stages["decide"].share(day)))
        rejected = round(decided * REJECT_SHARE)
        approved = decided - rejected
        printed = min(approved, _part(to_issue, stages["print"].share(day)))
        issued = min(printed, _part(to_issue, stages["issue"].share(day)))
        return Progress(registered, booked, confirmed, examined, checked, approved, rejected, printed, issued)

    def targets(self, code: str) -> dict[str, int]:
        """What each milestone's stage must reach for member `code`: R5 every confirmed applicant
        checked, R6 every confirmed applicant decided, R7 every approved applicant's certificate issued."""
        to_confirm = round(self.registered_by(code, dt.date.max) * CONFIRM_SHARE)
        return {"R5_record_checks": to_confirm, "R6_decisions": to_confirm,
                "R7_final": to_confirm - round(to_confirm * REJECT_SHARE)}


MEASURE_OF = {"R5_record_checks": lambda p: p.record_checked, "R6_decisions": lambda p: p.approved + p.rejected,
              "R7_final": lambda p: p.issued}


def _part(whole: int, share: float) -> int:
    """`share` of `whole`, rounded, and short of the whole until the share is complete."""
    if share >= 1:
        return whole
    return min(max(whole - 1, 0), round(whole * share))


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


def build(units: Units, campaign: Campaign, scale: float, rng: random.Random, curves: str = "s",
          seed: int = 2020) -> list[ReportingRegion]:
    """Every reporting region's registrations, sites, plan, weekly progress and true outcomes.

    `rng` draws what the files show as before; the timing of the later stages comes from a
    generator of its own for the seed, and the curves' shapes from one for the seed and family,
    so that the two families give the same campaign on different curves."""
    if curves not in CURVES:
        raise ValueError(f"unknown curve family {curves!r}; one of {CURVES}")
    timing = random.Random(f"{seed}:timing")
    shapes = random.Random(f"{seed}:{curves}")
    applicants = applicants_by_region(units, APPLICANTS_AT_SCALE_1 * scale, random.Random(f"{seed}:rates"))
    candidates = [r.code for r in units.reporting() if r.code not in OUTCOME_PLANTED]
    slow_issuing = timing.choice(candidates)  # one region more, chosen at random, issues its certificates late
    clock = _Clock(campaign)
    regions = []
    for unit in units.reporting():
        members = [unit, *units.children(unit.code)]
        rr = ReportingRegion(unit, members)
        _registrations(rr, applicants[unit.code], campaign, rng)
        _sites(rr, campaign, rng, timing)
        _plan(rr, rng)
        _work_units(rr, campaign, clock, curves, shapes, timing, slow_issuing)
        _progress(rr, campaign)
        rr.outcomes = _outcomes(rr, campaign)
        regions.append(rr)
    return regions


def applicants_by_region(units: Units, total: float, draw: random.Random) -> dict[str, int]:
    """Each reporting region's applicants: its population at a rate of its own, drawn within
    RATE_SPREAD of the province's (as real regions differ: graduates, teacher demand), so that
    regions' applicants per 10,000 people differ too. The province's total stays `total`."""
    weights = {r.code: r.population * draw.uniform(1 - RATE_SPREAD, 1 + RATE_SPREAD) for r in units.reporting()}
    return {code: round(total * w / sum(weights.values())) for code, w in weights.items()}


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


SITE_LABELS = ["政务服务中心", "教师发展中心", "教育局", "职业教育中心"]


def _sites(rr: ReportingRegion, campaign: Campaign, rng: random.Random, timing: random.Random) -> None:
    """Confirmation sites sized for the demand that falls on them (the region's, less the
    counties that confirm on their own sites), the counties' own sites, and exam hospitals."""
    code, name = rr.region.code, rr.region.short_name
    if code == SHORT_CONFIRMATION:
        start, end = _d(6, 24), _d(6, 30)
    else:
        start = _d(7, 1) + dt.timedelta(days=rng.choice([0, 0, 1, 5]))
        end = campaign.calendar.add_working_days(start, rng.choice([5, 6, 7, 8]))
        start, end = FIXED_PERIODS.get(code, (start, end))
    days = campaign.calendar.working_days_between(start, end)
    own = [m for m in rr.members[1:] if m.code in COUNTY_UNITS]
    demand = rr.registered_total() - sum(rr.registered_total(c.code) for c in own)
    headroom = 0.75 if code in OVER_CAPACITY else rng.uniform(1.25, 1.6)
    per_window = rng.choice([50, 60, 60, 80])
    windows = max(1, math.ceil(demand * headroom / (days * per_window)))
    n_sites = min(windows, rng.choice([1, 2, 2, 3]))
    for i, w in enumerate(split(windows, {i: 1.0 for i in range(n_sites)}, rng, 0.0).values()):
        blank = rng.random() < 0.25
        rr.sites.append(ConfirmationSite(
            f"{name}{SITE_LABELS[i]}确认点", start, end, max(w, 1), max(w, 1) * 2 + rng.randint(0, 3),
            None if blank else per_window))
    exam_start = start - dt.timedelta(days=rng.choice([3, 5, 7]))
    if code == AFTER_FINAL:
        exam_start = start  # nothing at all happens before the final date
    exam_days = campaign.calendar.working_days_between(exam_start, end)
    exam_headroom = 0.8 if code == OVER_CAPACITY[0] else rng.uniform(1.3, 1.8)
    daily = max(50, math.ceil(rr.registered_total() * exam_headroom / exam_days / 10) * 10)
    for i, part in enumerate(split(daily, {i: 1.0 for i in range(rng.choice([1, 2, 3]))}, rng, 0.2).values()):
        rr.hospitals.append(Hospital(f"{name}第{'一二三'[i]}人民医院", exam_start, end, max(part, 10)))
    for county in own:
        _county_sites(rr, county, campaign, timing)


def _county_sites(rr: ReportingRegion, county: Region, campaign: Campaign, rng: random.Random) -> None:
    """A county's own confirmation sites: 杞县's two short spells, 尉氏县's one site too small."""
    demand = rr.registered_total(county.code)
    periods = COUNTY_SHORT_PERIODS if county.code == COUNTY_SHORT else (COUNTY_OVER_PERIOD,)
    days = campaign.calendar.working_days_in(periods)
    if county.code == COUNTY_OVER:
        windows = 2
        per_window = max(1, round(demand * COUNTY_OVER_CAPACITY / (days * windows)))
    else:
        per_window = rng.choice([50, 60, 80])
        windows = max(1, math.ceil(demand * rng.uniform(1.25, 1.6) / (days * per_window)))
    labels = ["教育体育局", "教师发展中心"]
    for i, (start, end) in enumerate(periods):
        rr.sites.append(ConfirmationSite(f"{county.short_name}{labels[i % 2]}确认点", start, end, windows,
                                         windows * 2 + rng.randint(0, 2), per_window, county.code))


def _plan(rr: ReportingRegion, rng: random.Random) -> None:
    code = rr.region.code
    announced = _d(5, 25) + dt.timedelta(days=rng.randint(0, 10))
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


class _Clock:
    """Working days by index, for stepping and counting quickly."""

    def __init__(self, campaign: Campaign):
        cal = campaign.calendar
        first, last = campaign.registration_start - dt.timedelta(days=60), HORIZON + dt.timedelta(days=120)
        self.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.working = [d for d in self.days if cal.is_working_day(d)]

    def after(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Working days d with start < d ≤ end (at least the first working day after start)."""
        lo, hi = bisect.bisect_right(self.working, start), bisect.bisect_right(self.working, end)
        return self.working[lo:max(hi, lo + 1)]

    def shift(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after `day` (n > 0) or before it (n < 0); `day` for 0."""
        if n == 0:
            return day
        if n > 0:
            return self.working[bisect.bisect_right(self.working, day) + n - 1]
        return self.working[bisect.bisect_left(self.working, day) + n]


def _work_units(rr: ReportingRegion, campaign: Campaign, clock: _Clock, curves: str, shapes: random.Random,
                timing: random.Random, slow_issuing: str) -> None:
    """The units that do the work, and the days each of their stages runs on."""
    code = rr.region.code
    county_units = [m.code for m in rr.members if m.code in COUNTY_UNITS]
    own = [m.code for m in rr.members if m.code not in county_units]
    rr.work_units = [WorkUnit(code, own, [s for s in rr.sites if not s.unit], draw_curve(curves, shapes))]
    rr.work_units += [WorkUnit(c, [c], [s for s in rr.sites if s.unit == c], draw_curve(curves, shapes))
                      for c in county_units]
    exam_start = min(h.start for h in rr.hospitals)
    for u in rr.work_units:
        _stages(u, rr, campaign, clock, exam_start, timing, late_issuing=code == slow_issuing and u.code == code)


def _stages(u: WorkUnit, rr: ReportingRegion, campaign: Campaign, clock: _Clock, exam_start: dt.date,
            timing: random.Random, late_issuing: bool) -> None:
    cal = campaign.calendar
    sites = [Site(s.start, s.end, s.windows, s.per_window or campaign.default_daily_per_window) for s in u.sites]
    start, end = min(s.start for s in sites), max(s.end for s in sites)
    demand = sum(rr.registered_by(m, dt.date.max) for m in u.members)
    clear = queue_clear_date(demand, sites, cal) or end
    # confirmation advances only on the days a site is open (and, past the sites' end, while the queue lasts)
    open_days = [d for d in clock.after(start - dt.timedelta(days=1), min(end, clear))
                 if any(s.start <= d <= s.end for s in sites)]
    open_days += clock.after(end, clear) if clear > end else []
    u.end, u.due = end, effective_decision_due(end, campaign)
    margin = timing.randint(3, 10)  # working days to spare before the decision due date
    checks_done = clock.shift(clear, 6)
    decide_from = clock.shift(end, SLOW_START_DELAY) if u.code == SLOW_START else end
    if u.code == SLOW_REGION:
        decided = clock.shift(u.due, SLOW_OVERRUN)
    elif u.code == LATE_FINISH:
        decided = LATE_FINISH_DECIDED
    else:
        decided = clock.shift(u.due, -margin)
    decided = max(decided, clock.shift(checks_done, 2), clock.shift(decide_from, 5))
    printed, issued = clock.shift(decided, 1), clock.shift(decided, 2)
    if late_issuing:  # a backlog at the printer: certificates out some days after the final date
        issued = max(issued, clock.shift(campaign.final_date, timing.randint(3, 8)))
        printed = clock.shift(issued, -1)
    reg_start, reg_end = campaign.registration_start, campaign.registration_end
    calendar_days = [reg_start + dt.timedelta(days=i) for i in range((reg_end - reg_start).days + 1)]
    curve = u.curve
    u.stages = {
        "book": Stage(calendar_days, curve),
        "confirm": Stage(open_days or [clear], curve),
        "exam": Stage(clock.after(min(exam_start, start) - dt.timedelta(days=1), clear), curve),
        "check": Stage(clock.after(start + dt.timedelta(days=2), checks_done), curve),
        "decide": Stage(clock.after(decide_from, decided), curve),
        "print": Stage(clock.after(decide_from + dt.timedelta(days=5), printed), curve),
        "issue": Stage(clock.after(decide_from + dt.timedelta(days=8), issued), curve),
    }


def _progress(rr: ReportingRegion, campaign: Campaign) -> None:
    """Each member's figures on every report date (a region that stops reporting stops here)."""
    for report in campaign.report_dates():
        if rr.region.code == STOPS_REPORTING and report > STOPS_AFTER:
            break
        rr.progress[report] = {m.code: rr.figures(m.code, report) for m in rr.members}


def _outcomes(rr: ReportingRegion, campaign: Campaign) -> list[Outcome]:
    """The region's true outcome for R5–R7, from the model: each unit's first day on which its
    stage reaches its target, against its due date; the region is late if any unit is, and is
    spoken for by its latest-finishing late unit (or, none late, its latest-finishing unit)."""
    outcomes = []
    days = [campaign.registration_start + dt.timedelta(days=i)
            for i in range((HORIZON - campaign.registration_start).days + 1)]
    for milestone in MILESTONES:
        found = []
        for u in rr.work_units:
            due = campaign.final_date if milestone == "R7_final" else u.due
            finished = _first_day(rr, u, milestone, days)
            found.append((u.code, due, finished, finished is None or finished > due))
        pick = max([f for f in found if f[3]] or found, key=lambda f: (f[2] is None, f[2] or dt.date.min))
        unit_code, due, finished, late = pick
        if rr.region.code == SENDS_NOTHING:
            finished, late = None, None
        outcomes.append(Outcome(rr.region.code, milestone, unit_code, due, finished, late))
    return outcomes


def _first_day(rr: ReportingRegion, u: WorkUnit, milestone: str, days: list[dt.date]) -> dt.date | None:
    """The first of `days` on which the unit's figure for `milestone` reaches its target (figures
    only grow, so a binary search); None if it never does within them."""
    measure = MEASURE_OF[milestone]
    target = sum(rr.targets(m)[milestone] for m in u.members)

    def reached(day: dt.date) -> bool:
        return sum(measure(rr.figures(m, day)) for m in u.members) >= target

    lo, hi = 0, len(days)
    while lo < hi:
        mid = (lo + hi) // 2
        if reached(days[mid]):
            hi = mid
        else:
            lo = mid + 1
    return days[lo] if lo < len(days) else None
