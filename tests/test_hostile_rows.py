"""Rows a tired clerk gets wrong (issue 10, items 1 and 2): an applicant list with an ID number in 报名号,
a name in 任教学科, a phone in a free-text column, a missing or misspelt column, one bad sheet, saved as
UTF-16; a date a year off; a figure beyond the region's population. Each test writes the file itself with
the writers regions use (openpyxl, the csv module), and checks that the slip is rejected or warned
about, with its reason, and that nothing personal is kept in clear anywhere: warehouse, raw archive,
report, console."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from domain.campaign import CAMPAIGNS_DIR, load_campaign
from domain.idcard import check_digit
from domain.regions import load_units
from etl import warehouse
from etl.load import LoadResult, load_files
from etl.locate import locate
from etl.personal import holds_personal_data, personal_names, raw_holds_personal_data, redact_problems
from etl.read import FileRejected, read_file
from etl.validate import IMPLAUSIBLE_SHARE, Checked, campaign_span, check
from tests.etl_files import (
    APPLICANT_HEADER,
    PLAN_HEADER,
    PROGRESS_HEADER,
    REG_HEADER,
    SITES_HEADER,
    SheetSpec,
    db_of,
    government_sheet,
    query,
    use_temporary_secret,
    write_csv,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGN = load_campaign(CAMPAIGNS_DIR / "2020H1.toml")
JUNE_8 = dt.date(2020, 6, 8)


def id_number(i: int) -> str:
    first17 = f"410102199001{i + 10:02d}{i:03d}"
    return first17 + check_digit(first17)


NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊"]
PEOPLE = [[f"2020410100{i:06d}", NAMES[i], id_number(i), f"1381234{i:04d}", "小学", "语文", "金水区", JUNE_8]
          for i in range(len(NAMES))]
IDS, PHONES = [p[2] for p in PEOPLE], [p[3] for p in PEOPLE]


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def people(**slips: tuple[int, int, object]) -> list[list]:
    """PEOPLE with slips: name → (person, column, value)."""
    rows = [list(p) for p in PEOPLE]
    for person, column, value in slips.values():
        rows[person][column] = value
    return rows


def applicant_book(path: Path, rows: list[list], header: list[str] = APPLICANT_HEADER,
                   *extra: SheetSpec) -> Path:
    return write_xlsx(path, government_sheet("申请人明细", header, rows, title="2020年上半年申请人明细",
                                             unit_line="填报单位：金水区教育局"), *extra)


def sheets_of(path: Path) -> list:
    return read_file(path, path.read_bytes())[1]


def checked(path: Path, sheet: int = 0) -> Checked:
    located = locate(sheets_of(path)[sheet], path.stem)
    assert located is not None
    return check(located, load_units(), CAMPAIGN)


def leaks(text: str, names: list[str] = NAMES) -> list[str]:
    """The clear IDs, phones and names in `text` (also with the ID's birth date alone)."""
    found = [v for v in IDS + PHONES + names if v in text]
    return found + [i[6:14] for i in IDS if i[6:14] in text]


def warehouse_text(tmp_path: Path) -> str:
    """Every distinct value of every column of every table and view, as text."""
    con = duckdb.connect(os.path.realpath(db_of(tmp_path)), read_only=True)
    try:
        cells = []
        for (table,) in con.execute("select table_name from information_schema.tables").fetchall():
            for column in [c[0] for c in con.execute(f'select * from "{table}" limit 0').description]:
                cells += [v for (v,) in con.execute(f'select distinct cast("{column}" as varchar) from "{table}"')
                          .fetchall() if v]
    finally:
        con.close()
    return "\n".join(cells)


def assert_nothing_personal_kept(tmp_path: Path, result: LoadResult) -> None:
    assert leaks(warehouse_text(tmp_path)) == []
    assert leaks(json.dumps([f.as_json() for f in result.files], ensure_ascii=False)) == []
    raw = warehouse.raw_dir(db_of(tmp_path))
    assert not raw.exists() or [p for p in raw.rglob("*") if p.is_file()] == []


# ---- the checks themselves ------------------------------------------------------------------------


def test_an_id_number_in_the_registration_number_rejects_its_row_masked(tmp_path):
    path = applicant_book(tmp_path / "申请人明细.xlsx", people(shifted=(1, 0, IDS[1])))
    result = checked(path)
    assert result.rows_rejected == 1 and result.rows_loaded == len(PEOPLE) - 1 and result.personal_data
    (problem,) = result.errors
    assert (problem.row, problem.column, problem.value) == (5, "报名号", "410102********" + IDS[1][-4:])
    assert "个人信息不得填报在此列" in problem.message and "身份证号" in problem.message
    assert leaks(f"{problem.value} {problem.message}") == []


def test_a_name_in_the_subject_column_rejects_its_row_but_real_subjects_load(tmp_path):
    rows = people(name=(2, 5, "王芳"))
    for row, subject in zip([0, 1, 3, 4, 5], ["小学数学", "思想政治", "高中英语", "全科", "车工"], strict=True):
        rows[row][5] = subject
    result = checked(applicant_book(tmp_path / "申请人明细.xlsx", rows))
    assert [(p.row, p.column, p.value) for p in result.errors] == [(6, "任教学科", "王*")]
    assert "姓名" in result.errors[0].message
    assert sorted(result.columns["subject"].to_pylist()) == sorted(["小学数学", "思想政治", "高中英语", "全科", "车工"])


def test_a_phone_or_an_id_in_a_stored_text_column_rejects_its_row(tmp_path):
    header = [*APPLICANT_HEADER, "现场确认状态", "认定结论"]
    rows = [[*p, "已确认", "通过"] for p in people()]
    rows[0][8] = "电话 " + PHONES[0]  # a phone written into 现场确认状态
    rows[3][9] = NAMES[4]  # another applicant's name in 认定结论: one of the list's own names
    rows[4][9] = "+86 139 0000 1111"
    result = checked(applicant_book(tmp_path / "申请人明细.xlsx", header=header, rows=rows))
    shown = [(p.row, p.column, p.value) for p in result.errors]
    assert shown == [(4, "现场确认状态", "电话 138****" + PHONES[0][-4:]), (7, "认定结论", "陈*"),
                     (8, "认定结论", "139****1111")]
    assert result.rows_loaded == len(PEOPLE) - 3


def test_a_mobile_in_a_plans_remark_rejects_it_but_an_office_landline_does_not(tmp_path):
    rows = [["郑州市", "2020-05-20", "2020-05-25", "已报送", "联系人 13912345678"],
            ["开封市", "2020-05-20", "2020-05-25", "已报送", "咨询电话：0371-65905123"],
            ["洛阳市", "2020-05-20", "2020-05-25", "已报送", "0379-63911234"]]
    result = checked(write_xlsx(tmp_path / "实施方案.xlsx", government_sheet("实施方案", PLAN_HEADER, rows)))
    assert [(p.column, p.value) for p in result.errors] == [("备注", "联系人 139****5678"), ("备注", "0379-****1234")]
    assert result.columns["remark"].to_pylist() == ["咨询电话：0371-65905123"]


@pytest.mark.parametrize("slip", ["missing column", "header typo", "one bad sheet", "utf-16", "phone in 备注"])
def test_a_list_in_any_state_is_found_to_hold_personal_data(tmp_path, slip):
    path = slipped_list(tmp_path, slip)
    try:
        sheets = sheets_of(path)
    except FileRejected:
        assert slip == "utf-16"
        assert raw_holds_personal_data(path.read_bytes())
        return
    assert holds_personal_data(sheets)
    assert set(NAMES) <= personal_names(sheets)


def slipped_list(tmp_path: Path, slip: str) -> Path:
    """An applicant list with one of the slips that leave it rejected or partly loaded."""
    rows = people()
    if slip == "missing column":  # 网报日期 left out: the sheet cannot be read as its table
        return applicant_book(tmp_path / "缺列.xlsx", [r[:-1] for r in rows], APPLICANT_HEADER[:-1])
    if slip == "header typo":  # 资格種类: a required header misspelt
        header = [h.replace("资格种类", "资格種类") for h in APPLICANT_HEADER]
        return applicant_book(tmp_path / "表头错.xlsx", rows, header)
    if slip == "one bad sheet":
        good = government_sheet("报名进度", REG_HEADER, [["金水区", JUNE_8, "小学", 6]])
        bad = government_sheet("申请人明细", APPLICANT_HEADER[:-1], [r[:-1] for r in rows])
        return write_xlsx(tmp_path / "一表有误.xlsx", good, bad)
    if slip == "utf-16":
        return write_csv(tmp_path / "申请人明细-utf16.csv", [APPLICANT_HEADER, *rows], encoding="utf-16")
    if slip == "phone in 备注":  # a column the table does not know: not loaded, but in the file
        return applicant_book(tmp_path / "备注.xlsx", [[*r, f"本人电话 {r[3]}"] for r in rows],
                              [*APPLICANT_HEADER, "备注"])
    raise AssertionError(slip)


def test_redacted_problems_of_a_slipped_list_show_nothing_personal(tmp_path):
    header = APPLICANT_HEADER
    rows = people(id_in_no=(0, 0, IDS[0]), name_in_kind=(1, 4, "王芳"), phone_in_region=(2, 6, PHONES[2]),
                  id_in_date=(3, 7, IDS[3]), name_in_subject=(4, 5, "陈静"))
    path = applicant_book(tmp_path / "申请人明细.xlsx", rows, header)
    result = checked(path)
    assert result.rows_rejected == 5
    redacted = redact_problems(result.errors, personal_names(sheets_of(path)))
    assert leaks(" ".join(f"{p.value} {p.message}" for p in redacted)) == []
    assert [(p.sheet, p.row, p.column) for p in redacted] == [(p.sheet, p.row, p.column) for p in result.errors]


# ---- the whole load: nothing personal kept in clear ---------------------------------------------


@pytest.mark.parametrize("slip", ["missing column", "header typo", "one bad sheet", "utf-16", "phone in 备注"])
def test_a_slipped_list_is_not_archived_and_leaks_nowhere(tmp_path, slip):
    result = load_files([slipped_list(tmp_path, slip)], db=db_of(tmp_path), campaign=CAMPAIGN)
    assert_nothing_personal_kept(tmp_path, result)


def test_slipped_rows_are_rejected_and_leak_nowhere_the_rest_loads(tmp_path):
    rows = people(id_in_no=(0, 0, IDS[0]), name_in_subject=(2, 5, "王芳"), name_in_kind=(4, 4, NAMES[4]))
    result = load_files([applicant_book(tmp_path / "申请人明细.xlsx", rows)], db=db_of(tmp_path), campaign=CAMPAIGN)
    (report,) = result.files
    assert (report.status, report.rows_loaded, report.rows_rejected) == ("partial", 3, 3)
    assert query(tmp_path, "select count(*) from rejected_rows")[0][0] == 3
    assert_nothing_personal_kept(tmp_path, result)


def test_the_console_and_the_report_show_nothing_personal(tmp_path):
    inbox = tmp_path / "收件箱"
    inbox.mkdir()
    for slip in ("missing column", "header typo", "one bad sheet", "utf-16", "phone in 备注"):
        slipped_list(inbox, slip)
    applicant_book(inbox / "错列.xlsx", people(id_in_no=(0, 0, IDS[0]), name_in_kind=(1, 4, "王芳"),
                                               phone_in_region=(2, 6, PHONES[2])))
    report = tmp_path / "report.json"
    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key"), "COLUMNS": "160"}
    done = subprocess.run([sys.executable, "-m", "etl", "load", str(inbox), "--db", str(db_of(tmp_path)),
                           "--report", str(report)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    files = json.loads(report.read_text(encoding="utf-8"))
    assert len(files) == 6 and sum(len(f["errors"]) for f in files) >= 6
    for text in (done.stdout, done.stderr, report.read_text(encoding="utf-8")):
        assert leaks(text) == []


# ---- dates outside the campaign, figures beyond a region ---------------------------------------


def test_the_campaign_span_runs_from_before_registration_to_after_the_last_milestone():
    assert campaign_span(CAMPAIGN) == (dt.date(2020, 4, 9), dt.date(2020, 11, 19))


def progress_rows(*days: object) -> list[list]:
    return [["开封市", day, 900, 800, 700, 600, 500, 400, 10, 300, 200] for day in days]


@pytest.mark.parametrize("day", ["2021-08-21", "2027-06-30", "2019-08-21", dt.date(2020, 12, 21)])
def test_an_as_of_date_outside_the_campaign_is_a_rejected_row_naming_the_span(tmp_path, day):
    path = write_xlsx(tmp_path / "认定进度.xlsx",
                      government_sheet("认定进度", PROGRESS_HEADER, progress_rows("2020-08-14", day)))
    result = checked(path)
    assert [(p.row, p.column) for p in result.errors] == [(3, "统计截止日期")]
    span = "不在本批次（2020年上半年中小学教师资格认定）的时间范围 2020-04-09 至 2020-11-19 内"
    assert span in result.errors[0].message
    assert result.columns["as_of"].to_pylist() == [dt.date(2020, 8, 14)]


EARLIER = (CAMPAIGNS_DIR / "2020H1.toml").read_text(encoding="utf-8").replace('id = "2020H1"', 'id = "2019H2"')
for old, new in (("2020-06-08", "2019-11-04"), ("2020-06-30", "2019-11-15"), ("2020-08-20", "2019-12-31"),
                 ("2020-06-12", "2019-11-08"), ("2020-08-21", "2019-12-27")):
    EARLIER = EARLIER.replace(old, new)


def test_a_date_of_another_campaign_on_file_loads_a_date_of_none_does_not(tmp_path, monkeypatch):
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "2020H1.toml").write_bytes((CAMPAIGNS_DIR / "2020H1.toml").read_bytes())
    (campaigns / "2019H2.toml").write_text(EARLIER, encoding="utf-8")
    monkeypatch.setenv("JSZG_CAMPAIGNS_DIR", str(campaigns))
    path = write_xlsx(tmp_path / "认定进度.xlsx", government_sheet("认定进度", PROGRESS_HEADER, progress_rows(
        "2019-11-08", "2020-08-14", "2021-08-21", "2019-05-20")))
    result = checked(path)
    assert result.columns["as_of"].to_pylist() == [dt.date(2019, 11, 8), dt.date(2020, 8, 14)]
    assert [(p.row, p.value) for p in result.errors] == [(4, "2021-08-21"), (5, "2019-05-20")]


def test_dates_in_the_span_load_in_every_table(tmp_path):
    plans = checked(write_xlsx(tmp_path / "实施方案.xlsx", government_sheet("实施方案", PLAN_HEADER, [
        ["郑州市", "2020-04-09", "2020-05-25", "已报送", None]])))
    sites = checked(write_xlsx(tmp_path / "现场确认安排.xlsx", government_sheet("现场确认安排", SITES_HEADER, [
        ["郑州市", "一号大厅", "2020-11-10", "2020-11-19", 4, 8, 60]])))
    assert plans.errors == [] and sites.errors == []


def test_a_year_typo_loads_nothing_and_does_not_move_the_provinces_as_of_date(tmp_path):
    good = write_xlsx(tmp_path / "开封市认定进度.xlsx",
                      government_sheet("认定进度", PROGRESS_HEADER, progress_rows("2020-08-14")))
    typo = write_csv(tmp_path / "洛阳市认定进度.csv", [PROGRESS_HEADER, ["洛阳市", "2021-08-21", 50, 40, 30, 20, 10, 5,
                                                                   0, 5, 5]])
    plans = write_xlsx(tmp_path / "实施方案.xlsx", government_sheet("实施方案", PLAN_HEADER, [
        ["郑州市", "2019-05-20", "2020-05-25", "已报送", None]]))
    sites = write_xlsx(tmp_path / "现场确认安排.xlsx", government_sheet("现场确认安排", SITES_HEADER, [
        ["郑州市", "一号大厅", "2027-06-30", "2027-07-06", 4, 8, 60],
        ["郑州市", "二号大厅", "2020-07-01", "2020-07-07", 4, 8, 60]]))
    result = load_files([good, typo, plans, sites], db=db_of(tmp_path), campaign=CAMPAIGN)
    assert [f.status for f in result.files] == ["loaded", "rejected", "rejected", "partial"]
    assert query(tmp_path, "select max(as_of) from progress_latest")[0][0] == dt.date(2020, 8, 14)
    messages = [p.message for f in result.files for p in f.errors]
    assert all("时间范围 2020-04-09 至 2020-11-19" in m for m in messages), messages


def registrations_checked(tmp_path: Path, *rows: list) -> Checked:
    return checked(write_csv(tmp_path / "报名进度.csv", [REG_HEADER, *rows]))


def test_a_figure_beyond_the_regions_population_is_a_warning_naming_region_figure_and_population(tmp_path):
    result = registrations_checked(tmp_path, ["巩义市", "2020-06-08", "小学", "2,000,000"],
                                   ["郑州市", "2020-06-08", "小学", 900])
    assert result.rows_loaded == 2 and result.errors == []
    (warning,) = result.warnings
    assert (warning.row, warning.column, warning.value) == (2, "报名人数", "2000000")
    assert "巩义市" in warning.message and "2,000,000" in warning.message and "1,400,064" in warning.message


def test_the_progress_figures_are_checked_too_and_a_large_but_real_figure_is_not_warned(tmp_path):
    population = load_units().get("410181").population
    below = int(population * IMPLAUSIBLE_SHARE)  # exactly the limit: not beyond it
    path = write_xlsx(tmp_path / "认定进度.xlsx", government_sheet("认定进度", PROGRESS_HEADER, [
        ["巩义市", "2020-08-14", below, 10, 10, 10, 10, 10, 0, 10, 10],
        ["巩义市", "2020-08-21", 290_000, 10, 10, 10, 10, 10, 0, 10, 10]]))
    result = checked(path)
    assert [(w.row, w.column, w.value) for w in result.warnings] == [(3, "网报人数", "290000")]
    # a city's real half-year total (郑州: 6–14 per 10,000 in the demo, a few per 10,000 a day at most)
    big_day = registrations_checked(tmp_path, ["郑州市", "2020-06-08", "小学", 15_000])
    assert big_day.warnings == []
