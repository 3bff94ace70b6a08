"""Campaign settings: one TOML file per half-year under data/campaigns/."""

from __future__ import annotations

import csv
import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from domain.calendar import WorkingCalendar

CAMPAIGNS_DIR = Path(__file__).resolve().parent.parent / "data" / "campaigns"


class CampaignFileError(ValueError):
    """A campaign file that cannot be read or lacks a setting."""


@dataclass(frozen=True)
class Risk:
    at_risk_slack_working_days: int
    at_risk_utilisation: float
    stale_after_days: int
    min_share_to_project: float = 0.05  # less of a stage done than this: too little to project from
    projection_tolerance: float = 0.05  # a projected finish this share of the stage after due: 预计逾期
    behind_if_little_done_after: float = 0.6  # this share of a stage's time gone, too little done: 预计逾期


@dataclass(frozen=True)
class Earlier:
    """An earlier campaign's registrations, for R4's expected demand: for each region (and the
    province as a whole), the share of its final registrations reached by each day of that
    campaign's registration window (index 0 = the first day)."""

    label: str
    shares: dict[str, tuple[float, ...]]

    def share_at(self, codes: tuple[str, ...], elapsed: float) -> float | None:
        """The share of final registrations the first of `codes` that has a curve had reached when
        `elapsed` (0..1) of its window had passed; None if none of them has one."""
        for code in codes:
            curve = self.shares.get(code)
            if curve:
                return curve[min(max(round(elapsed * len(curve)) - 1, 0), len(curve) - 1)]
        return None


@dataclass(frozen=True)
class Campaign:
    id: str
    name: str
    name_en: str
    notice: str
    province_code: str
    registration_start: dt.date
    registration_end: dt.date
    min_confirmation_working_days: int
    default_daily_per_window: int
    default_exam_daily_capacity: int
    decision_within_working_days: int
    final_date: dt.date
    report_weekday: int
    first_report: dt.date
    last_report: dt.date
    risk: Risk
    calendar: WorkingCalendar
    system_open_from: dt.date  # the national information system's open period (a province's setting)
    system_open_until: dt.date
    earlier: Earlier | None = None  # an earlier campaign's registration curves, where one is loaded
    limits: dict[str, int] = field(default_factory=dict)  # [limits]: what one file may cost (etl/limits.py)

    def report_dates(self) -> list[dt.date]:
        """The Fridays (or the configured weekday) on which weekly progress is due."""
        day, dates = self.first_report, []
        while day <= self.last_report:
            if day.weekday() == self.report_weekday:
                dates.append(day)
            day += dt.timedelta(days=1)
        return dates


def load_campaign(path: str | Path) -> Campaign:
    """Read a campaign file; any problem raises CampaignFileError naming the file and setting."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CampaignFileError(f"活动配置文件不存在：{path}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise CampaignFileError(f"活动配置文件 {path.name} 格式错误：{e}") from None
    s = _Settings(raw, path.name)
    campaign = Campaign(
        id=s.get("id", str), name=s.get("name", str), name_en=s.get("name_en", str),
        notice=s.get("notice", str), province_code=s.get("province_code", str),
        registration_start=s.get("registration.start", dt.date),
        registration_end=s.get("registration.end", dt.date),
        min_confirmation_working_days=s.get("confirmation.min_working_days", int),
        default_daily_per_window=s.get("confirmation.default_daily_per_window", int),
        default_exam_daily_capacity=s.get("exam.default_daily_capacity", int),
        decision_within_working_days=s.get("decision.within_working_days", int),
        final_date=s.get("final.date", dt.date),
        report_weekday=s.get("reporting.weekday", int),
        first_report=s.get("reporting.first_report", dt.date),
        last_report=s.get("reporting.last_report", dt.date),
        risk=Risk(
            at_risk_slack_working_days=s.get("risk.at_risk_slack_working_days", int),
            at_risk_utilisation=s.get("risk.at_risk_utilisation", float),
            stale_after_days=s.get("risk.stale_after_days", int),
            **{name: s.get(f"risk.{name}", float) for name in _OPTIONAL_RISK if name in raw.get("risk", {})},
        ),
        calendar=_calendar(raw.get("calendar", {}), path.name),
        system_open_from=s.get("system.open_from", dt.date) if "system" in raw else
        s.get("registration.start", dt.date),
        system_open_until=s.get("system.open_until", dt.date) if "system" in raw else s.get("final.date", dt.date),
        earlier=_earlier(s, path) if "earlier" in raw else None,
        limits=_limits(raw.get("limits", {}), path.name),
    )
    if campaign.registration_end < campaign.registration_start:
        raise CampaignFileError(f"活动配置文件 {path.name}：registration.end 早于 registration.start")
    return campaign


def _earlier(s: _Settings, path: Path) -> Earlier:
    """[earlier]: label, the earlier campaign's registration window (start, end), and a CSV
    (region_code, date, registered: new registrations that day) next to the campaign file."""
    start, end = s.get("earlier.start", dt.date), s.get("earlier.end", dt.date)
    name = s.get("earlier.registrations", str)
    file = path.parent / name
    days = (end - start).days + 1
    if days < 1:
        raise CampaignFileError(f"活动配置文件 {path.name}：earlier.end 早于 earlier.start")
    daily: dict[str, list[int]] = {}
    try:
        with file.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError:
        raise CampaignFileError(f"活动配置文件 {path.name} 的 earlier.registrations 指向的文件不存在：{name}") from None
    for line, row in enumerate(rows, start=2):
        try:
            code, day = row["region_code"].strip(), dt.date.fromisoformat(row["date"].strip())
            n = int(row["registered"])
        except (KeyError, AttributeError) as e:
            raise CampaignFileError(f"往期报名文件 {name} 缺少列 {e}（应有 region_code、date、registered）") from None
        except ValueError:
            raise CampaignFileError(f"往期报名文件 {name} 第 {line} 行：日期或人数无法识别（{dict(row)}）") from None
        if not start <= day <= end:
            raise CampaignFileError(f"往期报名文件 {name} 第 {line} 行：日期 {day} 不在 {start}～{end} 之内")
        if n < 0:
            raise CampaignFileError(f"往期报名文件 {name} 第 {line} 行：报名人数 {n} 为负数")
        for key in (code, s.get("province_code", str)):
            daily.setdefault(key, [0] * days)[(day - start).days] += n
    shares = {}
    for code, counts in daily.items():
        total, running, curve = sum(counts), 0, []
        for n in counts:
            running += n
            curve.append(running / total if total else 0.0)
        if total:
            shares[code] = tuple(curve)
    return Earlier(label=s.get("earlier.label", str), shares=shares)


# [limits], all optional: what one submitted file may cost, in MB or a count; an environment
# variable JSZG_<KEY in capitals> beats the file (etl/limits.py)
LIMIT_KEYS = ("max_file_mb", "max_uncompressed_mb", "max_rows", "max_columns", "max_cells", "max_cell_chars",
              "max_seconds")


def _limits(section: object, filename: str) -> dict[str, int]:
    if not isinstance(section, dict):
        raise CampaignFileError(f"活动配置文件 {filename} 的 limits 应为 [limits] 一节")
    for key, value in section.items():
        if key not in LIMIT_KEYS:
            raise CampaignFileError(f"活动配置文件 {filename} 的 [limits] 没有设置项 {key}"
                                    f"（可设置：{'、'.join(LIMIT_KEYS)}）")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise CampaignFileError(f"活动配置文件 {filename} 的设置项 limits.{key} 应为正整数，实际是“{value}”")
    return dict(section)


_OPTIONAL_RISK = ("min_share_to_project", "projection_tolerance", "behind_if_little_done_after")


def list_campaigns(directory: Path | None = None) -> list[Path]:
    """The campaign files, oldest first: data/campaigns/, or where JSZG_CAMPAIGNS_DIR points."""
    directory = directory or Path(os.environ.get("JSZG_CAMPAIGNS_DIR") or CAMPAIGNS_DIR)
    return sorted(directory.glob("*.toml"))


def first_own_day(campaign: Campaign, others: list[Campaign]) -> dt.date:
    """The first day whose data belongs to `campaign`: the day after the latest earlier campaign's
    final date (the warehouse holds every campaign's rows), or the beginning of time."""
    earlier = [c.final_date for c in others if c.id != campaign.id and c.final_date < campaign.registration_start]
    return max(earlier) + dt.timedelta(days=1) if earlier else dt.date.min


def default_campaign_path(directory: Path | None = None) -> Path:
    """The campaign the loader and the dashboard take when none is chosen: the newest file."""
    files = list_campaigns(directory)
    if not files:
        where = directory or os.environ.get("JSZG_CAMPAIGNS_DIR") or CAMPAIGNS_DIR
        raise CampaignFileError(f"没有活动配置文件：{where} 中没有 *.toml")
    return files[-1]


class _Settings:
    def __init__(self, raw: dict, filename: str):
        self.raw, self.filename = raw, filename

    def get(self, key: str, kind: type):
        value: object = self.raw
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise CampaignFileError(f"活动配置文件 {self.filename} 缺少设置项 {key}")
            value = value[part]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if kind is dt.date and isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, kind) or isinstance(value, bool):
            raise CampaignFileError(
                f"活动配置文件 {self.filename} 的设置项 {key} 应为{_KIND_ZH[kind]}，实际是“{value}”")
        return value


_KIND_ZH = {str: "文字", int: "整数", float: "数字", dt.date: "日期（如 2020-06-08）"}


def _calendar(section: dict, filename: str) -> WorkingCalendar:
    extra: dict[int, dict[str, frozenset[dt.date]]] = {}
    if not isinstance(section, dict):
        raise CampaignFileError(f"活动配置文件 {filename} 的 calendar 应为 [calendar.年份] 形式的节假日设置")
    for year, days in section.items():
        if not str(year).isdigit() or not isinstance(days, dict):
            raise CampaignFileError(f"活动配置文件 {filename} 的 [calendar.{year}] 应为年份及其节假日设置")
        sets = {}
        for key in ("holidays", "workdays"):
            values = days.get(key, [])
            if not isinstance(values, list) or not all(
                    isinstance(v, dt.date) and not isinstance(v, dt.datetime) and v.year == int(year)
                    for v in values):
                raise CampaignFileError(
                    f"活动配置文件 {filename} 的 calendar.{year}.{key} 应是 {year} 年的日期列表")
            sets[key] = frozenset(values)
        extra[int(year)] = sets
    return WorkingCalendar(extra_years=extra)
