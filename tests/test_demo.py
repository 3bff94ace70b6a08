"""The demo campaign: every file opens, the formats and styles are mixed as real
regions' are, volumes look like a real registration window, and every planted
situation is really in the files (checked by reading them, not the manifest alone)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import msoffcrypto
import pytest

from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.idcard import is_valid
from domain.regions import load_units
from domain.rules import Level, Site, check_capacity, check_progress, effective_decision_due
from etl.demo import write_demo
from etl.values import parse_count, parse_date
from tests.readback import decode, read, sheet

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
UNITS = load_units()
REGION_HEADERS = {"地区", "地区名称", "地区代码", "填报单位"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "campaign"
    result = subprocess.run([sys.executable, "-m", "etl", "demo", "--out", str(out), "--seed", "2020"],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert "已生成演示数据" in result.stdout
    return out


@pytest.fixture(scope="module")
def manifest(demo) -> dict:
    return json.loads((demo / "manifest.json").read_text(encoding="utf-8"))


def region_folder(demo: Path, code: str) -> Path:
    return next(demo.glob(f"{code}_*"))


def main_file(demo: Path, code: str, table: str) -> Path:
    folder = region_folder(demo, code)
    books = [p for p in folder.glob("*教师资格认定报表.*")]
    return books[0] if books else folder / f"{table}.csv"


def rows_of(demo: Path, code: str, table: str) -> tuple[list[str], list[tuple[int, list]]]:
    _, header, rows = sheet(main_file(demo, code, table), table).table(REGION_HEADERS)
    return header, rows


def registrations(demo: Path, code: str) -> dict[tuple[str, dt.date, str], int]:
    _header, rows = rows_of(demo, code, "报名进度")
    result = {}
    for _, cells in rows:
        try:
            key = (UNITS.resolve(cells[0]), parse_date(cells[1]), cells[2])
            result[key] = parse_count(cells[3])
        except ValueError:
            continue  # a planted bad row
    return result


def sites(demo: Path, code: str) -> list[Site]:
    header, rows = rows_of(demo, code, "现场确认安排")
    per_window = header.index("每窗口日确认量（人）")
    return [Site(parse_date(c[2]), parse_date(c[3]), parse_count(c[4]),
                 parse_count(c[per_window]) if str(c[per_window]).strip() else CAMPAIGN.default_daily_per_window)
            for _, c in rows if parse_date(c[3]) >= parse_date(c[2])]


def progress_history(demo: Path, code: str) -> dict[dt.date, list[int]]:
    """Sum over the region's units of each weekly report's figures."""
    history = {}
    for path in sorted(region_folder(demo, code).glob("认定进度_*")):
        _, header, rows = sheet(path, "认定进度").table(REGION_HEADERS)
        day = parse_date(rows[0][1][1])
        history[day] = [sum(parse_count(c[i]) for _, c in rows) for i in range(2, len(header))]
    return history


def test_every_file_opens_and_the_formats_are_mixed(demo, manifest):
    files = [p for p in demo.rglob("*") if p.is_file() and p.name != "manifest.json"]
    assert sorted(str(p.relative_to(demo)) for p in files) == [f for f in manifest["files"] if f != "manifest.json"]
    suffixes, encodings = defaultdict(int), set()
    for path in files:
        suffixes[path.suffix] += 1
        if "加密" in path.name:
            continue
        sheets = read(path)
        assert sheets and all(len(s.lines) >= 2 for s in sheets), path
        if path.suffix == ".csv":
            data = path.read_bytes()
            encodings.add("bom" if data.startswith(b"\xef\xbb\xbf") else decode(data)[1])
    assert suffixes[".xlsx"] > 100 and suffixes[".xls"] >= 4 * 11 and suffixes[".csv"] >= 3 * 11
    assert encodings == {"bom", "utf-8-sig", "gb18030"}  # UTF-8 with BOM, without, and GB18030


def test_every_reporting_region_sends_every_table_and_weekly_reports(demo):
    for unit in UNITS.reporting():
        folder = region_folder(demo, unit.code)
        for table in ("实施方案", "报名进度", "现场确认安排", "体检安排"):
            assert sheet(main_file(demo, unit.code, table), table).table(REGION_HEADERS)[2], (unit.name, table)
        reports = {parse_date(p.stem.split("_")[1]) for p in folder.glob("认定进度_*")}
        if unit.code != "411628":
            assert reports == set(CAMPAIGN.report_dates()), unit.name
        assert all(day.weekday() == 4 for day in reports)


def test_government_spreadsheet_habits_are_present(demo):
    zhengzhou = sheet(main_file(demo, "410100", "报名进度"), "报名进度")
    assert "教师资格认定" in str(zhengzhou.lines[0][0])
    assert str(zhengzhou.lines[1][0]).startswith("填报单位：")
    flat = [str(c) for line in zhengzhou.lines for c in line]
    assert "合计" in flat and any(c.startswith("注：") for c in flat)
    assert any("\n" in c and "（人）" in c for c in flat)  # header with a line break and a unit
    # the same region is written as code, full name, short name, bureau name and 本级 across files
    written = set()
    for unit in UNITS.reporting():
        _, rows = rows_of(demo, unit.code, "现场确认安排")
        written.add(str(rows[0][1][0]))
    styles = {"code" if w.isdigit() else "bureau" if w.endswith("局") else
              "full" if w in {u.name for u in UNITS} else "short" for w in written}
    assert styles == {"code", "bureau", "full", "short"}
    own_levels = [c[0] for _, c in rows_of(demo, "410200", "报名进度")[1]] + \
                 [c[0] for _, c in rows_of(demo, "411300", "报名进度")[1]]
    assert any(str(w).endswith("本级") or str(w) in {"410200", "411300"} for w in own_levels)


def test_dates_and_numbers_come_in_every_format_the_contract_lists(demo):
    dates, numbers = set(), set()
    for unit in UNITS.reporting():
        weekly = sheet(next(region_folder(demo, unit.code).glob("认定进度_20200710.*")), "认定进度")
        for _, cells in weekly.table(REGION_HEADERS)[2][:3]:
            numbers.add("fullwidth" if any("０" <= ch <= "９" for ch in str(cells[2])) else
                        "thousands" if "," in str(cells[2]) else
                        "spaced" if str(cells[2]) != str(cells[2]).strip() else "plain")
        for _, cells in rows_of(demo, unit.code, "报名进度")[1][:5]:
            d = cells[1]
            dates.add("excel" if isinstance(d, dt.date) else
                      "zh" if "年" in str(d) else "slash" if "/" in str(d) else "dot" if "." in str(d)
                      else "iso" if "-" in str(d) else "compact")
    assert dates == {"excel", "zh", "slash", "dot", "iso", "compact"}
    assert numbers == {"fullwidth", "thousands", "spaced", "plain"}


def test_volumes_follow_population_and_a_real_registration_window(demo, manifest):
    totals = {u.code: sum(registrations(demo, u.code).values()) for u in UNITS.reporting()}
    province = sum(totals.values())
    assert 95_000 <= province <= 105_000 and manifest["applicants"] == pytest.approx(province, rel=0.01)
    assert totals["410100"] > totals["411300"] > totals["410600"] > totals["410225"]  # 郑州 > 南阳 > 鹤壁 > 兰考
    daily = defaultdict(int)
    for code in totals:
        for (_, day, _), n in registrations(demo, code).items():
            daily[day] += n
    median = sorted(daily.values())[len(daily) // 2]
    assert daily[dt.date(2020, 6, 8)] > 1.8 * median  # opening surge
    assert daily[dt.date(2020, 6, 30)] > 2 * median  # last-day rush
    assert daily[dt.date(2020, 6, 25)] < 0.7 * median  # Dragon Boat holiday dip
    assert min(daily) == CAMPAIGN.registration_start


def test_kinds_follow_the_level_that_certifies_them(demo):
    county_kinds, city_kinds = {"幼儿园", "小学", "初级中学"}, {"高级中学", "中等职业学校文化课",
                                                           "中等职业学校专业课", "中等职业学校实习指导"}
    for code in ("410200", "410225"):  # 开封市 (its own level and its counties) and 兰考县 (direct county)
        for (unit, _, kind) in registrations(demo, code):
            expected = city_kinds if UNITS.get(unit).kind == "city" else county_kinds
            assert kind in expected, (unit, kind)
    assert not any(UNITS.get(u).geo_parent_code == "410200" and UNITS.get(u).kind == "direct_county"
                   for (u, _, _) in registrations(demo, "410200"))  # 兰考 is not in 开封's file


def test_planted_short_confirmation_breaks_r3(demo):
    jiaozuo = sites(demo, "410800")
    periods = [(s.start, s.end) for s in jiaozuo]
    assert periods[0] == (dt.date(2020, 6, 24), dt.date(2020, 6, 30))
    assert CAMPAIGN.calendar.working_days_in(periods) == 4 < CAMPAIGN.min_confirmation_working_days


@pytest.mark.parametrize("code", ["410100", "411300"])
def test_planted_demand_exceeds_capacity(demo, code):
    demand = sum(registrations(demo, code).values())
    result = check_capacity(demand, sites(demo, code), CAMPAIGN, dt.date(2020, 6, 30))
    assert result.level == Level.LATE and result.facts["utilisation"] > 1


def test_other_regions_have_enough_capacity(demo):
    fine = [u for u in UNITS.reporting() if u.code not in ("410100", "411300")]
    for unit in fine:
        demand = sum(registrations(demo, unit.code).values())
        assert check_capacity(demand, sites(demo, unit.code), CAMPAIGN,
                              dt.date(2020, 6, 30)).facts["utilisation"] < 0.9, unit.name


def test_planted_plans_late_and_missing(demo):
    def plan(code):
        _header, rows = rows_of(demo, code, "实施方案")
        return rows[0][1]
    shangqiu = plan("411400")
    assert parse_date(shangqiu[1]) > parse_date(shangqiu[2])  # sent after the announcement
    xincai = plan("411729")
    assert str(xincai[1]).strip() == "" and xincai[3] == "未报送"
    statuses = [plan(u.code)[3] for u in UNITS.reporting()]
    assert len(statuses) == 28 and "退回修改" in statuses


def test_planted_region_stops_reporting(demo):
    luyi = progress_history(demo, "411628")
    assert max(luyi) == dt.date(2020, 7, 10)
    assert max(progress_history(demo, "410225")) == dt.date(2020, 8, 21)


def test_planted_region_misses_the_final_date_at_its_pace(demo):
    zhoukou = progress_history(demo, "411600")
    end = max(s.end for s in sites(demo, "411600"))
    due = effective_decision_due(end, CAMPAIGN)
    decided = [(day, f[5] + f[6]) for day, f in zhoukou.items()]  # 认定通过 + 认定不通过
    confirmed = zhoukou[dt.date(2020, 7, 31)][2]
    result = check_progress("R6_decisions", decided, confirmed, due, end, CAMPAIGN, dt.date(2020, 8, 7))
    assert result.level == Level.LATE and result.projected_date > CAMPAIGN.final_date
    on_time = progress_history(demo, "410300")
    final = on_time[dt.date(2020, 8, 21)]
    assert final[8] == final[5]  # 洛阳: every approved applicant has a certificate by then


def same(cell: object, expected: str) -> bool:
    """A cell holds `expected` as text, as a number, or as a date."""
    if str(cell).strip() == expected:
        return True
    try:
        return float(str(cell)) == float(expected)
    except ValueError:
        pass
    try:
        return parse_date(cell) == parse_date(expected)
    except ValueError:
        return False


def test_planted_bad_rows_are_where_the_manifest_says(demo, manifest):
    kinds = {p["kind"] for p in manifest["planted"]}
    assert {"negative_count", "fractional_count", "impossible_date", "unknown_region", "unknown_kind",
            "duplicate_key", "end_before_start", "total_mismatch", "bad_id_check_digit",
            "confirmed_exceeds_registered", "issued_exceeds_approved", "outside_registration_window",
            "password_protected", "short_confirmation", "over_capacity", "plan_after_announcement",
            "plan_never_sent", "stops_reporting", "misses_final_date", "registered_twice"} <= kinds
    for p in manifest["planted"]:
        if p["row"] is None or p["kind"] in ("bad_id_check_digit",):
            continue
        s = sheet(demo / p["file"], p["sheet"])
        header_line = s.table(REGION_HEADERS | {"报名号"})[0]
        value = s.cell(p["row"], p["column"], header_line)
        if p["value"]:
            assert same(value, p["value"]), (p, value)
    mismatch = next(p for p in manifest["planted"] if p["kind"] == "total_mismatch")
    s = sheet(demo / mismatch["file"], "报名进度")
    _, _header, rows = s.table(REGION_HEADERS)
    assert s.lines[mismatch["row"] - 1][0] == "合计"
    assert parse_count(s.lines[mismatch["row"] - 1][3]) == sum(parse_count(c[3]) for _, c in rows) + 100


def test_planted_applicant_list_problems(demo, manifest):
    lists = {p.parent.name[:6]: p for p in demo.rglob("申请人明细.*")}
    assert set(lists) == {"411100", "410600", "419001"}
    ids = {}
    for code, path in lists.items():
        _, header, rows = sheet(path, "申请人明细").table({"报名号"})
        col = header.index("身份证号")
        ids[code] = {str(c[col]): line for line, c in rows}
        assert len(rows) == sum(registrations(demo, code).values())
    bad = [(line, n) for n, line in ids["411100"].items() if not is_valid(n)]
    planted = sorted(p["row"] for p in manifest["planted"] if p["kind"] == "bad_id_check_digit")
    assert sorted(line for line, _ in bad) == planted and len(planted) == 2
    assert all("*" in p["value"] for p in manifest["planted"] if p["kind"] == "bad_id_check_digit")
    assert len(set(ids["411100"]) & set(ids["410600"])) == 1  # one person registered in two regions
    assert all(is_valid(n) for n in ids["419001"])


def test_planted_password_protected_file(demo):
    (path,) = demo.rglob("*加密*")
    with open(path, "rb") as f:
        assert msoffcrypto.OfficeFile(f).is_encrypted()


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    def digest(out: Path) -> dict[str, str]:
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in out.rglob("*") if p.is_file() and "加密" not in p.name}  # encryption salts are random
    write_demo(tmp_path / "a", scale=0.2, seed=7)
    write_demo(tmp_path / "b", scale=0.2, seed=7)
    write_demo(tmp_path / "c", scale=0.2, seed=8)
    a, b, c = digest(tmp_path / "a"), digest(tmp_path / "b"), digest(tmp_path / "c")
    assert a == b
    assert sum(a[k] != c[k] for k in a) > len(a) // 2


def test_demo_command_explains_itself(tmp_path):
    result = subprocess.run([sys.executable, "-m", "etl", "demo", "--help"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert "--scale" in result.stdout and "演示" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "etl", "demo", "--scale", "0", "--out", str(tmp_path / "x")],
                         cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 2 and "--scale" in bad.stderr
