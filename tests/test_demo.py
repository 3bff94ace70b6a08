"""The demo campaign: every file opens, the formats and styles are mixed as real
regions' are, volumes look like a real registration window, every planted
situation is really in the files (checked by reading them, not the manifest alone),
progress is monotonic and in stage order, and the true outcomes in the manifest
agree with what the weekly reports show."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from itertools import pairwise
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
SENDS_NOTHING = "410482"  # 汝州市
SENDING = [u for u in UNITS.reporting() if u.code != SENDS_NOTHING]
MILESTONES = ("R5_record_checks", "R6_decisions", "R7_final")
# weekly figures' columns after 地区 and 统计截止日期
REGISTERED, BOOKED, CONFIRMED, EXAMINED, CHECKED, APPROVED, REJECTED, PRINTED, ISSUED = range(9)


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


@pytest.fixture(scope="module")
def skewed(tmp_path_factory) -> Path:
    """A second campaign: another seed, on the other family of curves."""
    out = tmp_path_factory.mktemp("skewed") / "campaign"
    write_demo(out, scale=1.0, seed=7, curves="skewed")
    return out


@pytest.fixture(scope="module", params=["2020:s", "7:skewed"])
def campaign_files(request) -> Path:
    return request.getfixturevalue("demo" if request.param == "2020:s" else "skewed")


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


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
    assert not list(demo.glob(f"{SENDS_NOTHING}_*"))  # 汝州 sends nothing at all
    for unit in SENDING:
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
    for unit in SENDING:
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
    for unit in SENDING:
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
    totals = {u.code: sum(registrations(demo, u.code).values()) for u in SENDING}
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


def test_regions_register_at_rates_of_their_own(demo):
    """Applicants per 10,000 people differ between regions as real ones do (not 10.0-10.1
    everywhere), each within about 40 % of the province's rate."""
    totals = {u.code: sum(registrations(demo, u.code).values()) for u in SENDING}
    province = sum(totals.values()) / sum(UNITS.get(c).population for c in totals)
    relative = {c: n / UNITS.get(c).population / province for c, n in totals.items()}
    assert all(0.5 < r < 1.6 for r in relative.values()), relative
    census = sorted(relative[u.code] for u in SENDING if u.kind in ("city", "direct_zone"))  # those ranked per 10k
    assert census[-1] / census[0] > 1.5
    assert sum(r < 0.9 for r in census) >= 4 and sum(r > 1.1 for r in census) >= 4


SHARED_SHORT_NAMES = {"410500": ("安阳", "410522"), "410700": ("新乡", "410721"), "410900": ("濮阳", "410928")}


def test_cities_are_written_by_the_short_name_a_county_shares_and_load_as_the_city(demo, manifest, demo_warehouse):
    """安阳, 安阳本级 and 安阳教育局 are 安阳市 (安阳县 keeps its suffix): the demo writes the city's own
    registrations so, and the loader puts every one of them on the city."""
    import duckdb

    written: dict[str, int] = {}
    for city, (short, _county) in SHARED_SHORT_NAMES.items():
        _header, rows = rows_of(demo, city, "报名进度")
        forms = {short, f"{short}本级", f"{short}教育局"}
        assert forms <= {str(c[0]) for _, c in rows}
        written[city] = sum(parse_count(c[3]) for _, c in rows if str(c[0]) in forms)
        assert written[city] == sum(n for (unit, _, _), n in registrations(demo, city).items() if unit == city)
        planted = next(p for p in manifest["planted"] if p["kind"] == "short_name_is_city" and p["region_code"] == city)
        assert planted["value"] == short
    db, result = demo_warehouse
    assert not [e for f in result.files for e in f.errors if "歧义" in e.message]
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = dict(con.execute("""select region_code, sum(registrations) from registrations_daily
                                     group by all""").fetchall())
    finally:
        con.close()
    for city, (_short, county) in SHARED_SHORT_NAMES.items():
        assert loaded[city] == written[city] > 0
        assert loaded[county] == sum(n for (unit, _, _), n in registrations(demo, city).items() if unit == county)


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


def test_other_units_have_enough_capacity(demo):
    """Every working unit but the planted ones confirms its demand with room to spare; 开封 as a
    whole does too, though 尉氏县 on its own sites does not."""
    over = set()
    for region in SENDING:
        demand, capacity = units_demand(demo, region.code), units_sites(demo, region.code)
        for unit, sites_ in capacity.items():
            utilisation = check_capacity(demand[unit], sites_, CAMPAIGN, dt.date(2020, 6, 30)).facts["utilisation"]
            if utilisation > 1:
                over.add(unit)
            else:
                assert utilisation < 0.9, (region.name, unit)
    assert over == {"410100", "411300", "410223"}  # 郑州, 南阳, 尉氏县
    kaifeng = check_capacity(sum(registrations(demo, "410200").values()), sites(demo, "410200"), CAMPAIGN,
                             dt.date(2020, 6, 30))
    assert kaifeng.facts["utilisation"] < 1


def site_rows(demo: Path, code: str) -> list[tuple[str, Site]]:
    """(the unit named in 地区, the site) for every sound row of a region's 现场确认安排."""
    header, rows = rows_of(demo, code, "现场确认安排")
    per_window = header.index("每窗口日确认量（人）")
    return [(UNITS.resolve(c[0]), Site(parse_date(c[2]), parse_date(c[3]), parse_count(c[4]),
                                       parse_count(c[per_window]) if str(c[per_window]).strip()
                                       else CAMPAIGN.default_daily_per_window))
            for _, c in rows if parse_date(c[3]) >= parse_date(c[2])]


def units_sites(demo: Path, code: str) -> dict[str, list[Site]]:
    """A region's sites by the working unit that confirms on them: a county named on its own
    sites, otherwise the region (domain/work_units.py)."""
    by_unit: dict[str, list[Site]] = defaultdict(list)
    for unit, site in site_rows(demo, code):
        by_unit[unit if UNITS.get(unit).kind == "county" else code].append(site)
    return by_unit


def units_demand(demo: Path, code: str) -> dict[str, int]:
    own = {u for u in units_sites(demo, code) if u != code}
    demand: dict[str, int] = defaultdict(int)
    for (unit, _, kind), n in registrations(demo, code).items():
        demand[unit if unit in own and kind in {"幼儿园", "小学", "初级中学"} else code] += n
    return demand


def test_planted_plans_late_and_missing(demo):
    def plan(code):
        _header, rows = rows_of(demo, code, "实施方案")
        return rows[0][1]
    shangqiu = plan("411400")
    assert parse_date(shangqiu[1]) > parse_date(shangqiu[2])  # sent after the announcement
    xincai = plan("411729")
    assert str(xincai[1]).strip() == "" and xincai[3] == "未报送"
    statuses = [plan(u.code)[3] for u in SENDING]
    assert len(statuses) == 27 and "退回修改" in statuses


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
            "plan_never_sent", "stops_reporting", "misses_final_date", "registered_twice",
            "county_r3_too_short", "county_over_capacity", "late_finish", "slow_start_on_time",
            "confirmation_after_final_date", "sends_nothing", "short_name_is_city"} <= kinds
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


# ---- counties with sites of their own -------------------------------------------------

def test_counties_send_their_own_sites_named_by_their_own_name(demo, manifest):
    for kind, county in (("county_r3_too_short", "410221"), ("county_over_capacity", "410223")):
        planted = next(p for p in manifest["planted"] if p["kind"] == kind)
        s = sheet(demo / planted["file"], planted["sheet"])
        assert planted["region_code"] == "410200" and UNITS.resolve(s.lines[planted["row"] - 1][0]) == county
    by_unit = units_sites(demo, "410200")  # 开封市
    assert set(by_unit) == {"410200", "410221", "410223"}  # the city's own, 杞县's, 尉氏县's
    qixian = sorted((s.start, s.end) for s in by_unit["410221"])
    assert qixian == [(dt.date(2020, 6, 29), dt.date(2020, 6, 30)), (dt.date(2020, 7, 9), dt.date(2020, 7, 10))]
    assert CAMPAIGN.calendar.working_days_in(qixian) == 4 < CAMPAIGN.min_confirmation_working_days
    assert CAMPAIGN.calendar.working_days_in([(s.start, s.end) for s in by_unit["410200"]]) >= 10
    demand = units_demand(demo, "410200")
    weishi = check_capacity(demand["410223"], by_unit["410223"], CAMPAIGN, dt.date(2020, 7, 1))
    assert weishi.level == Level.LATE and 1.7 < weishi.facts["utilisation"] < 1.8  # capacity ≈ 57 % of demand
    assert sum(demand.values()) == sum(registrations(demo, "410200").values())
    for unit in ("410200", "410221"):
        assert check_capacity(demand[unit], by_unit[unit], CAMPAIGN, dt.date(2020, 7, 1)).facts["utilisation"] < 0.9
    other_regions = {unit for r in SENDING if r.code != "410200" for unit, _ in site_rows(demo, r.code)}
    assert other_regions <= {r.code for r in UNITS.reporting()}  # elsewhere every site is the region's


def test_the_loader_puts_county_sites_under_the_county(demo_warehouse):
    import duckdb

    db, _ = demo_warehouse
    con = duckdb.connect(str(db), read_only=True)
    try:
        days = dict(con.execute("""select region_code, sum(working_days) from confirmation_capacity
                                   where region_code in ('410200', '410221', '410223') group by all""").fetchall())
        assert days["410221"] == 4 and days["410200"] >= 10 and "410223" in days
        weishi = con.execute("select max(utilisation) from confirmation_capacity where region_code = '410223'")
        assert 1.7 < weishi.fetchone()[0] < 1.8
        files = [f for (f,) in con.execute("select file from load_log").fetchall()]
        assert files and not [f for f in files if "汝州" in f or "410482" in f]  # 汝州 sent nothing
    finally:
        con.close()


# ---- weekly progress -----------------------------------------------------------------------

def weekly_rows(folder: Path, code: str) -> dict[dt.date, list[tuple[str, int, str, list[int]]]]:
    """Every weekly report of a region: (file, line, unit, figures) for each of its rows."""
    reports = {}
    for path in sorted(region_folder(folder, code).glob("认定进度_*")):
        _, _header, rows = sheet(path, "认定进度").table(REGION_HEADERS)
        file = str(path.relative_to(folder))
        reports[parse_date(rows[0][1][1])] = [(file, line, UNITS.resolve(c[0]), [parse_count(v) for v in c[2:11]])
                                              for line, c in rows]
    return reports


def test_progress_only_grows_and_keeps_stage_order(campaign_files):
    planted = {(p["file"], p["row"]) for p in manifest_of(campaign_files)["planted"]
               if p["kind"] in ("confirmed_exceeds_registered", "issued_exceeds_approved")}
    checked = 0
    for region in SENDING:
        previous: dict[str, list[int]] = {}
        for day, rows in sorted(weekly_rows(campaign_files, region.code).items()):
            for file, line, unit, f in rows:
                if (file, line) in planted:
                    continue
                assert f[BOOKED] <= f[REGISTERED] and f[CONFIRMED] <= f[REGISTERED], (region.name, day, unit)
                assert f[CHECKED] <= f[CONFIRMED] <= f[EXAMINED] <= f[REGISTERED], (region.name, day, unit)
                assert f[APPROVED] + f[REJECTED] <= f[CHECKED], (region.name, day, unit)
                assert f[ISSUED] <= f[PRINTED] <= f[APPROVED], (region.name, day, unit)
                if unit in previous:
                    assert all(a >= b for a, b in zip(f, previous[unit], strict=True)), (region.name, day, unit)
                previous[unit] = f
                checked += 1
    assert checked > 28 * 11


def test_progress_is_s_shaped_not_even(demo):
    """Decisions start slowly, run fastest in the middle and slow at the end: the busiest week
    does far more than the average week of the stage (an even pace would do about 1.25 times as
    much, its first and last weeks being partial), and for most regions it is neither the
    stage's first week nor its last."""
    middle = 0
    regions = [r for r in SENDING if r.code not in ("411525", "411628")]
    for region in regions:
        history = progress_history(demo, region.code)
        decided = [f[APPROVED] + f[REJECTED] for _, f in sorted(history.items())]
        weekly = [b - a for a, b in pairwise(decided)]
        active = [i for i, w in enumerate(weekly) if w > 0]
        busiest = weekly.index(max(weekly))
        assert max(weekly) >= 1.4 * sum(weekly) / len(active), region.name
        middle += active[0] < busiest < active[-1]
    assert middle >= 0.75 * len(regions)


# ---- the new planted situations -----------------------------------------------------------

def outcome(folder: Path, code: str, milestone: str) -> dict:
    return next(o for o in manifest_of(folder)["outcomes"] if o["region_code"] == code and o["milestone"] == milestone)


def decided_and_confirmed(folder: Path, code: str) -> dict[dt.date, tuple[int, int]]:
    return {day: (f[APPROVED] + f[REJECTED], f[CONFIRMED]) for day, f in progress_history(folder, code).items()}


def test_planted_late_finish_shows_a_stage_completed_late(campaign_files):
    sanmenxia = sites(campaign_files, "411200")
    end = max(s.end for s in sanmenxia)
    assert end == dt.date(2020, 6, 30)
    due = effective_decision_due(end, CAMPAIGN)
    assert due < CAMPAIGN.final_date
    weeks = decided_and_confirmed(campaign_files, "411200")
    first_done = min(day for day, (decided, confirmed) in weeks.items() if decided == confirmed > 0)
    assert first_done == CAMPAIGN.last_report and first_done > due  # done after its due date, and reported
    assert 0 < weeks[dt.date(2020, 8, 14)][0] < weeks[dt.date(2020, 8, 14)][1]  # past due, not yet done
    r6 = outcome(campaign_files, "411200", "R6_decisions")
    assert r6["late"] is True and r6["due"] == str(due)
    assert due < dt.date.fromisoformat(r6["finished_on"]) <= CAMPAIGN.last_report


def test_planted_slow_start_finishes_on_time(campaign_files):
    end = max(s.end for s in sites(campaign_files, "411381"))  # 邓州市
    due = effective_decision_due(end, CAMPAIGN)
    weeks = decided_and_confirmed(campaign_files, "411381")
    two_weeks = CAMPAIGN.calendar.add_working_days(end, 10)
    quiet = [day for day in weeks if end <= day <= two_weeks]
    assert len(quiet) >= 2 and all(weeks[day][0] == 0 for day in quiet)  # nothing decided for 2 weeks
    done = min(day for day, (decided, confirmed) in weeks.items() if decided == confirmed > 0)
    assert done <= due
    started = min(day for day, (decided, _) in weeks.items() if decided > 0)
    assert (done - started).days <= 21  # caught up steeply
    for milestone in MILESTONES:
        assert outcome(campaign_files, "411381", milestone)["late"] is False


def test_planted_confirmation_after_the_final_date(campaign_files):
    gushi = sites(campaign_files, "411525")
    assert {(s.start, s.end) for s in gushi} == {(dt.date(2020, 8, 24), dt.date(2020, 8, 31))}
    for day, f in progress_history(campaign_files, "411525").items():
        assert f[REGISTERED] > 0 and f[BOOKED] > 0, day
        assert f[CONFIRMED] == f[EXAMINED] == f[CHECKED] == f[APPROVED] == f[REJECTED] == f[ISSUED] == 0, day
    for milestone in MILESTONES:
        o = outcome(campaign_files, "411525", milestone)
        assert o["late"] is True and o["finished_on"] > str(CAMPAIGN.final_date)


def test_planted_region_sends_nothing(campaign_files):
    m = manifest_of(campaign_files)
    assert not [f for f in m["files"] if f.startswith(SENDS_NOTHING)]
    assert any(p["kind"] == "sends_nothing" and p["region_code"] == SENDS_NOTHING for p in m["planted"])
    for milestone in MILESTONES:
        o = outcome(campaign_files, SENDS_NOTHING, milestone)
        assert o["late"] is None and o["finished_on"] is None


# ---- the true outcome ----------------------------------------------------------------------

def test_outcomes_cover_every_region_and_deadline(campaign_files):
    m = manifest_of(campaign_files)
    outcomes = m["outcomes"]
    assert len(outcomes) == 28 * 3
    assert all(set(o) == {"region_code", "milestone", "unit_code", "due", "finished_on", "late"} for o in outcomes)
    assert {(o["region_code"], o["milestone"]) for o in outcomes} == {
        (r.code, milestone) for r in UNITS.reporting() for milestone in MILESTONES}
    for o in outcomes:
        due = dt.date.fromisoformat(o["due"])
        assert UNITS.reporting_root(o["unit_code"]).code == o["region_code"]
        assert due == CAMPAIGN.final_date if o["milestone"] == "R7_final" else due <= CAMPAIGN.final_date
        if o["late"] is None:
            assert o["region_code"] == SENDS_NOTHING
        else:
            finished = o["finished_on"] and dt.date.fromisoformat(o["finished_on"])
            assert o["late"] == (finished is None or finished > due), o
    late = {(o["region_code"], o["milestone"]) for o in outcomes if o["late"]}
    assert 4 <= len(late) <= 8
    assert {("411600", "R6_decisions"), ("411600", "R7_final"), ("411200", "R6_decisions"),
            ("411525", "R5_record_checks"), ("411525", "R6_decisions"), ("411525", "R7_final")} <= late
    assert m["outcome_counts"] == {"late": len(late), "on_time": 84 - len(late) - 3, "unknown": 3}


def test_outcomes_agree_with_the_weekly_reports(campaign_files):
    """A stage the model finishes by the last report is complete in the first report on or after
    that day and not in the one before; one it finishes later is incomplete in the last report."""
    measure = {"R5_record_checks": lambda f: (f[CHECKED], f[CONFIRMED]),
               "R6_decisions": lambda f: (f[APPROVED] + f[REJECTED], f[CONFIRMED]),
               "R7_final": lambda f: (f[ISSUED], f[CONFIRMED] - f[REJECTED])}
    skip = {(p["region_code"], p["file"]) for p in manifest_of(campaign_files)["planted"]
            if p["kind"] in ("confirmed_exceeds_registered", "issued_exceeds_approved")}
    compared = 0
    for o in manifest_of(campaign_files)["outcomes"]:
        code = o["region_code"]
        if code in (SENDS_NOTHING, "411628", "411525"):  # nothing sent, stops reporting, nothing to do yet
            continue
        own = {u for u in units_sites(campaign_files, code) if u != code}
        members = {o["unit_code"]} if o["unit_code"] != code else None
        weeks = {}
        for day, rows in weekly_rows(campaign_files, code).items():
            if any((code, file) in skip for file, *_ in rows):
                continue
            chosen = [f for _, _, unit, f in rows if (unit in members if members else unit not in own)]
            weeks[day] = tuple(map(sum, zip(*(measure[o["milestone"]](f) for f in chosen), strict=True)))
        done = [day for day, (value, target) in sorted(weeks.items()) if value >= target > 0]
        finished = o["finished_on"] and dt.date.fromisoformat(o["finished_on"])
        if finished and finished <= CAMPAIGN.last_report:
            first = min(day for day in weeks if day >= finished)
            assert done and done[0] == first, (o, done)
            compared += 1
        else:
            assert not done, o
    assert compared > 50


def test_curves_change_the_progress_and_nothing_else(tmp_path):
    def digest(out: Path) -> dict[str, str]:
        return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in out.rglob("*") if p.is_file() and "加密" not in p.name and p.name != "manifest.json"}
    write_demo(tmp_path / "s", scale=0.2, seed=7, curves="s")
    write_demo(tmp_path / "k", scale=0.2, seed=7, curves="skewed")
    s, k = digest(tmp_path / "s"), digest(tmp_path / "k")
    assert s.keys() == k.keys()
    weekly = [f for f in s if "认定进度_" in f]
    assert sum(s[f] != k[f] for f in weekly) > len(weekly) // 2
    assert all(s[f] == k[f] for f in s if f not in weekly)  # the same campaign, on other curves
    ms, mk = manifest_of(tmp_path / "s"), manifest_of(tmp_path / "k")
    assert (ms["curves"], mk["curves"]) == ("s", "skewed")
    assert [p["kind"] for p in ms["planted"]] == [p["kind"] for p in mk["planted"]]
    shapes = mk["shapes"].values()
    assert {family for family, _, _ in shapes} == {"skewed"}
    assert any(p > q for _, p, q in shapes) and any(p < q for _, p, q in shapes)  # late-heavy and front-loaded
    with pytest.raises(ValueError):
        write_demo(tmp_path / "x", scale=0.2, seed=7, curves="linear")


def test_demo_command_takes_the_curves(tmp_path):
    help_text = subprocess.run([sys.executable, "-m", "etl", "demo", "--help"], cwd=ROOT, capture_output=True,
                               text=True, check=True).stdout
    if "--curves" not in help_text:
        pytest.skip("etl/cli.py does not pass --curves to write_demo yet")
    out = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "etl", "demo", "--scale", "0.2", "--seed", "7", "--curves", "skewed",
                    "--out", str(out)], cwd=ROOT, capture_output=True, text=True, check=True)
    assert manifest_of(out)["curves"] == "skewed"
