"""Reading submissions (CONTRACT.md §2): every format and encoding, told from the bytes; the
table found below title rows and above notes; totals, blank lines and merged cells; headers
and values written the many ways regions write them. Each test writes a real file, loads it
and checks the exact rows that landed in the warehouse's views."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from tests.etl_files import (
    PROGRESS_HEADER,
    REG_HEADER,
    SITES_HEADER,
    Merge,
    SheetSpec,
    government_sheet,
    load,
    load_one,
    query,
    registrations,
    rejected,
    use_temporary_secret,
    where,
    write_csv,
    write_xls,
    write_xlsx,
)

D = dt.date
JUNE_8, JUNE_9 = D(2020, 6, 8), D(2020, 6, 9)


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def kaifeng_sheet(date_8: object = JUNE_8, date_9: object = JUNE_9) -> SheetSpec:
    """开封's 报名进度 as a bureau lays it out: title (row 1, merged), 填报单位/填报日期 (row 2),
    header with a unit and a line break (row 3), three rows (4-6), 合计 (7), blank (8), notes (9-10)."""
    return government_sheet(
        "报名进度", ["地区", "日期", "资格种类", "报名人数\n（人）"],
        [["开封市", date_8, "小学", 120], ["开封市", date_8, "初中", 80], ["杞县", date_9, "幼儿园", 15]],
        title="开封市2020年上半年中小学教师资格认定报名进度表", unit_line="填报单位：开封市教育局",
        date_line="填报日期：2020年6月12日", total=["合计", None, None, 215],
        notes=("注：1. 报名人数为当日新增网报人数。", "2. 本表由市教育局汇总后报送。"))


KAIFENG_ROWS = [("410200", "2020-06-08", "小学", 120, "报名进度", 4),
                ("410200", "2020-06-08", "初级中学", 80, "报名进度", 5),
                ("410221", "2020-06-09", "幼儿园", 15, "报名进度", 6)]


def assert_clean(report, rows_read: int) -> None:
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == \
        ("loaded", rows_read, rows_read, 0)
    assert report.errors == []
    assert report.warnings == []


# ---- formats and encodings ---------------------------------------------------------------


@pytest.mark.parametrize(("writer", "name", "fmt"), [(write_xlsx, "开封市报表.xlsx", "xlsx"),
                                                      (write_xls, "开封市报表.xls", "xls")])
def test_workbook_with_titles_total_and_notes_loads_its_rows(tmp_path, writer, name, fmt):
    report = load_one(tmp_path, writer(tmp_path / name, kaifeng_sheet()))

    assert_clean(report, 3)
    assert registrations(tmp_path) == KAIFENG_ROWS
    assert query(tmp_path, "select status, rows_read, rows_loaded, rows_rejected, format from load_log") == \
        [("loaded", 3, 3, 0, fmt)]
    assert rejected(tmp_path) == []


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_each_encoding_loads(tmp_path, encoding):
    lines = kaifeng_sheet("2020-06-08", "2020-06-09").lines
    path = write_csv(tmp_path / "开封市报名进度.csv", lines, encoding)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding in ("gb18030", "gbk"):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")

    report = load_one(tmp_path, path)

    assert_clean(report, 3)
    assert registrations(tmp_path) == [(*row[:4], "开封市报名进度", row[5]) for row in KAIFENG_ROWS]
    assert query(tmp_path, "select format from load_log") == [("csv",)]


def test_file_kind_comes_from_content_not_extension(tmp_path):
    xlsx_as_csv = write_xlsx(tmp_path / "洛阳市报名进度.csv",
                             government_sheet("报名进度", REG_HEADER, [["洛阳市", JUNE_8, "小学", 11]]))
    csv_as_xlsx = write_csv(tmp_path / "平顶山市报名进度.xlsx", [REG_HEADER, ["平顶山市", "2020-06-08", "小学", 22]],
                            "gb18030")
    xls_as_xlsx = write_xls(tmp_path / "安阳市报名进度.xlsx",
                            government_sheet("报名进度", REG_HEADER, [["安阳市", JUNE_8, "小学", 33]]))

    result = load(tmp_path, xlsx_as_csv, csv_as_xlsx, xls_as_xlsx)

    assert [(f.status, f.rows_loaded, f.errors) for f in result.files] == [("loaded", 1, [])] * 3
    assert query(tmp_path, "select format from load_log order by load_seq") == [("xlsx",), ("csv",), ("xls",)]
    assert registrations(tmp_path) == [("410300", "2020-06-08", "小学", 11, "报名进度", 2),
                                       ("410400", "2020-06-08", "小学", 22, "平顶山市报名进度", 2),
                                       ("410500", "2020-06-08", "小学", 33, "报名进度", 2)]


# ---- finding the table -------------------------------------------------------------------


def test_table_found_by_header_when_sheet_name_says_nothing(tmp_path):
    progress = government_sheet("Sheet1", PROGRESS_HEADER, [["开封市", "2020-06-12", 500, 400, 300, 200, 100,
                                                             50, 2, 40, 30]],
                                title="认定工作进展周报", unit_line="填报单位：开封市教育局")
    sites = government_sheet("Sheet2", SITES_HEADER, [["开封市", "市民之家", "2020-07-06", "2020-07-10", 4, 8, 50]])

    report = load_one(tmp_path, write_xlsx(tmp_path / "开封市.xlsx", progress, sites))

    assert_clean(report, 2)
    assert report.tables == ["progress", "sites"]
    assert query(tmp_path, "select * from progress_latest") == \
        [("410200", D(2020, 6, 12), 500, 400, 300, 200, 100, 50, 2, 40, 30)]
    assert query(tmp_path, "select region_code, start_date, end_date, working_days, windows, daily_capacity, "
                           "capacity, site_name from confirmation_capacity") == \
        [("410200", D(2020, 7, 6), D(2020, 7, 10), 5, 4, 200, 1000, "市民之家")]


def test_csv_without_title_named_only_by_its_header(tmp_path):
    report = load_one(tmp_path, write_csv(tmp_path / "data.csv", [REG_HEADER, ["开封市", "2020-06-08", "小学", 7]]))

    assert_clean(report, 1)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 7, "data", 2)]


def test_cover_sheet_with_filler_lines_is_not_a_table(tmp_path):
    cover = SheetSpec("封面", [["2020年上半年中小学教师资格认定报表"], [], ["填报单位：", "开封市教育局"],
                               ["填报日期：", "2020-06-12"], ["联系电话：", "0371-23456789"]])

    report = load_one(tmp_path, write_xlsx(tmp_path / "开封市.xlsx", cover, kaifeng_sheet()))

    assert_clean(report, 3)
    assert report.tables == ["registrations"]
    assert registrations(tmp_path) == KAIFENG_ROWS
    assert query(tmp_path, "select count(*) from plan_status where status is not null") == [(0,)]


def test_blank_lines_are_skipped_and_row_numbers_stay_excel_rows(tmp_path):
    lines = [["开封市报名进度"], [], REG_HEADER, ["开封市", "2020-06-08", "小学", 1], [None] * 4, ["", " ", "", "  "],
             ["开封市", "2020-06-09", "小学", 2], []]

    report = load_one(tmp_path, write_csv(tmp_path / "报名进度.csv", lines, "utf-8-sig"))

    assert_clean(report, 2)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 1, "报名进度", 4),
                                       ("410200", "2020-06-09", "小学", 2, "报名进度", 7)]


def test_nothing_below_the_notes_is_data(tmp_path):
    sheet = government_sheet("报名进度", REG_HEADER, [["开封市", JUNE_8, "小学", 9]], title="报名进度表",
                             notes=("注：1. 数据截至当日24时。", "2. 开封市 2020-06-08 小学 -1 为更正前数字"))
    sheet.lines += [["开封市", "2020-06-09", "小学", -1], ["填表人：张三", None, "审核人：李四"],
                    ["联系电话：0371-23456789"]]

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert_clean(report, 1)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 9, "报名进度", 3)]


def test_header_repeated_at_a_page_break_is_not_data(tmp_path):
    lines = [["报名进度表"], REG_HEADER, ["开封市", "2020-06-08", "小学", 1], ["地区", "日 期", "资格种类", "报名人数"],
             ["开封市", "2020-06-09", "小学", 2]]

    report = load_one(tmp_path, write_csv(tmp_path / "报名进度.csv", lines))

    assert_clean(report, 2)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 1, "报名进度", 3),
                                       ("410200", "2020-06-09", "小学", 2, "报名进度", 5)]


def test_plan_table_with_dates_in_mixed_formats(tmp_path):
    sheet = government_sheet("实施方案", ["地区名称", "方案报送日期", "公告发布日期", "方案状态", "备注"],
                             [["开封市教育局", D(2020, 5, 25), "2020年5月28日", "已备案", "按期报送"],
                              ["兰考县", "2020.6.2", "20200529", "退回修改", None],
                              ["洛阳市", None, None, "未报送", None]],
                             title="各地实施方案报送情况", unit_line="填报单位：河南省教育厅")

    report = load_one(tmp_path, write_xlsx(tmp_path / "实施方案.xlsx", sheet))

    assert_clean(report, 3)
    assert query(tmp_path, "select region_code, plan_submitted_on, announced_on, status, "
                           "submitted_before_announcement from plan_status where status is not null "
                           "order by region_code") == [
        ("410200", D(2020, 5, 25), D(2020, 5, 28), "已备案", True),
        ("410225", D(2020, 6, 2), D(2020, 5, 29), "退回修改", False),
        ("410300", None, None, "未报送", None)]


@pytest.mark.parametrize(("writer", "name"), [(write_xlsx, "a.xlsx"), (write_xls, "a.xls")])
def test_region_merged_down_over_its_rows_applies_to_each(tmp_path, writer, name):
    sheet = government_sheet("报名进度", REG_HEADER,
                             [["开封市", JUNE_8, "小学", 3], [None, JUNE_8, "初中", 4], [None, JUNE_8, "高中", 5],
                              ["杞县", JUNE_8, "小学", 6]],
                             title="报名进度表（标题合并居中）", total=["合计", None, None, 18])
    sheet.merges.append(Merge(3, 1, 5, 1))  # 开封市 merged down over rows 3-5
    sheet.merges.append(Merge(7, 1, 7, 3))  # 合计 merged across 地区..资格种类

    report = load_one(tmp_path, writer(tmp_path / name, sheet))

    assert_clean(report, 4)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 3, "报名进度", 3),
                                       ("410200", "2020-06-08", "初级中学", 4, "报名进度", 4),
                                       ("410200", "2020-06-08", "高级中学", 5, "报名进度", 5),
                                       ("410221", "2020-06-08", "小学", 6, "报名进度", 6)]


# ---- totals --------------------------------------------------------------------------------


def test_total_rows_that_agree_are_neither_loaded_nor_reported(tmp_path):
    sheet = government_sheet("报名进度", REG_HEADER, [], title="报名进度表")
    sheet.lines += [["开封市", JUNE_8, "小学", 10], ["开封市", JUNE_8, "初中", 20], ["小计", None, None, 30],
                    ["杞县", JUNE_8, "小学", 5], ["小 计", None, None, 5], ["合计", None, None, 35],
                    ["全市总计", None, None, "35"]]

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert_clean(report, 3)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 10, "报名进度", 3),
                                       ("410200", "2020-06-08", "初级中学", 20, "报名进度", 4),
                                       ("410221", "2020-06-08", "小学", 5, "报名进度", 6)]


def test_total_that_disagrees_is_reported_as_warning_and_rows_still_load(tmp_path):
    sheet = government_sheet("报名进度", ["地区", "日期", "资格种类", "报名人数（人）"],
                             [["开封市", JUNE_8, "小学", 10], ["开封市", JUNE_8, "初中", 20]],
                             title="报名进度表", unit_line="填报单位：开封市教育局", total=["合计", None, None, 100])

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("loaded", 2, 2, 0)
    assert report.errors == []
    assert where(report.warnings) == [("报名进度", 6, "报名人数（人）", "100")]
    assert "合计行为 100，上方明细合计为 30，相差 70" in report.warnings[0].message
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 10, "报名进度", 4),
                                       ("410200", "2020-06-08", "初级中学", 20, "报名进度", 5)]
    assert rejected(tmp_path) == []


def test_group_totals_and_a_total_above_the_data_are_checked_against_what_they_sum(tmp_path):
    sheet = government_sheet("报名进度", REG_HEADER, [], title="报名进度表")
    sheet.lines += [["全市合计", None, None, 36],  # row 3, right under the header: sums everything below
                    ["开封市", JUNE_8, "小学", 10], ["开封市", JUNE_8, "初中", 20],
                    ["开封市", JUNE_8, "合计", 30],  # row 6: a 合计 per region and date, in the kind column
                    ["杞县", JUNE_8, "小学", 5], ["杞县", JUNE_8, "初中", 1],
                    ["杞县小计", None, None, 7],  # row 9: wrong, the two rows above make 6
                    ["总计（人）", None, None, 36]]

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert (report.status, report.rows_read, report.rows_loaded, report.errors) == ("loaded", 4, 4, [])
    assert [(r[0], r[2], r[3], r[5]) for r in registrations(tmp_path)] == [
        ("410200", "小学", 10, 4), ("410200", "初级中学", 20, 5),
        ("410221", "小学", 5, 7), ("410221", "初级中学", 1, 8)]
    assert where(report.warnings) == [("报名进度", 9, "报名人数", "7")]
    assert "杞县小计行为 7，上方明细合计为 6，相差 1" in report.warnings[0].message


# ---- headers -----------------------------------------------------------------------------


def test_headers_with_spaces_line_breaks_units_and_asterisks(tmp_path):
    header = [" 地 区 ", "日\n期", "资格种类*", "报名人数\n（人）"]
    sheet = government_sheet("报名进度", header, [["开封市", JUNE_8, "小学", 4], ["开封市", "6月8日", "初中", -2]],
                             title="报名进度表")

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 4, "报名进度", 3)]
    # errors name the column as the file writes it, whitespace removed
    assert where(report.errors) == [("报名进度", 4, "日期", "6月8日"), ("报名进度", 4, "报名人数（人）", "-2")]


@pytest.mark.parametrize(("region_header", "region"), [("地区代码", "410200"), ("地区名称", "开封市"),
                                                       ("填报单位", "开封市教育局")])
def test_region_column_goes_by_its_other_names(tmp_path, region_header, region):
    lines = [["报名进度表"], ["填报单位：开封市教育局"], [region_header, "报名日期", "申请资格种类", "报名数（人）"],
             [region, "2020-06-08", "小学", "8"]]

    report = load_one(tmp_path, write_csv(tmp_path / "开封市报名进度.csv", lines, "gb18030"))

    assert_clean(report, 1)
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 8, "开封市报名进度", 4)]


def test_sites_headers_with_ascii_units_and_aliases(tmp_path):
    header = ["地区名称", "现场确认点", "确认开始日期", "确认结束日期", "窗口数(个)", "工作人员(人)",
              "单窗口日确认量(人)"]
    sheet = government_sheet("现场确认安排", header, [["开封市", "市民之家", "2020/7/6", "2020/7/10", "4", "8", "50"]],
                             title="现场确认点安排表")

    report = load_one(tmp_path, write_xlsx(tmp_path / "现场确认安排.xlsx", sheet))

    assert_clean(report, 1)
    assert query(tmp_path, "select region_code, site_name, start_date, end_date, working_days, windows, staff, "
                           "per_window, capacity from confirmation_capacity") == \
        [("410200", "市民之家", D(2020, 7, 6), D(2020, 7, 10), 5, 4, 8, 50, 1000)]


# ---- values --------------------------------------------------------------------------------


def test_dates_in_every_listed_format_and_as_excel_serials(tmp_path):
    written = [("郑州市", JUNE_8),  # a real Excel date cell
               ("开封市", dt.datetime(2020, 6, 8)),  # a date-time cell at midnight
               ("洛阳市", "2020-06-08"), ("平顶山市", "2020/6/8"), ("安阳市", "2020.6.8"), ("鹤壁市", "20200608"),
               ("新乡市", "2020年6月8日"), ("焦作市", 43990),  # an Excel serial number typed as a number
               ("濮阳市", "43990"),  # ... and as text
               ("许昌市", "２０２０年６月８日"), ("漯河市", " 2020-6-8 "),
               ("三门峡市", dt.datetime(2020, 6, 8, 17, 30)),  # a date-time cell with a time of day
               ("南阳市", "2020-06-08 17:30:00"), ("商丘市", "2020年6月8日 9:00")]
    sheet = government_sheet("报名进度", REG_HEADER, [[r, d, "小学", 1] for r, d in written], title="报名进度表")

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert_clean(report, len(written))
    assert [(r[0], r[1], r[5]) for r in registrations(tmp_path)] == [
        (code, "2020-06-08", row) for row, code in enumerate(
            ["410100", "410200", "410300", "410400", "410500", "410600", "410700", "410800", "410900", "411000",
             "411100", "411200", "411300", "411400"], start=3)]


@pytest.mark.parametrize(("writer", "name"), [(write_xlsx, "a.xlsx"), (write_xls, "a.xls")])
def test_real_excel_date_cells_in_each_display_format(tmp_path, writer, name):
    sheets = []
    for n, (region, number_format) in enumerate([("开封市", "yyyy-mm-dd"), ("洛阳市", "yyyy/m/d"),
                                                 ("安阳市", "yyyy年m月d日")], start=1):
        sheet = government_sheet(f"报名进度{n}", REG_HEADER, [[region, JUNE_8, "小学", n],
                                                            [region, D(2020, 6, 30), "小学", 10 * n]])
        sheet.date_format = number_format
        sheets.append(sheet)

    report = load_one(tmp_path, writer(tmp_path / name, *sheets))

    assert_clean(report, 6)
    assert query(tmp_path, "select sheet, \"row\", region_code, strftime(date, '%Y-%m-%d'), registrations "
                           "from registrations_daily order by sheet, \"row\"") == [
        ("报名进度1", 2, "410200", "2020-06-08", 1), ("报名进度1", 3, "410200", "2020-06-30", 10),
        ("报名进度2", 2, "410300", "2020-06-08", 2), ("报名进度2", 3, "410300", "2020-06-30", 20),
        ("报名进度3", 2, "410500", "2020-06-08", 3), ("报名进度3", 3, "410500", "2020-06-30", 30)]


def test_numbers_with_separators_full_width_digits_and_spaces(tmp_path):
    written = [("幼儿园", "1,234"), ("小学", "１２３４"), ("初中", " 1 234 "), ("高中", "１，２３４"),
               ("中职文化课", 1234), ("中职专业课", 1234.0), ("中职实习指导", "1234.0")]
    sheet = government_sheet("报名进度", REG_HEADER, [["开封市", JUNE_8, k, v] for k, v in written],
                             total=["合计", None, None, "8,638"])

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert_clean(report, len(written))
    assert [(r[2], r[3]) for r in registrations(tmp_path)] == [
        ("幼儿园", 1234), ("小学", 1234), ("初级中学", 1234), ("高级中学", 1234), ("中等职业学校文化课", 1234),
        ("中等职业学校专业课", 1234), ("中等职业学校实习指导", 1234)]


def test_regions_by_code_full_short_bureau_and_own_level_names(tmp_path):
    written = [("410100", "410100"), (410300, "410300"),  # code as text and as a number cell
               ("开封市", "410200"), ("平顶山", "410400"), ("新乡市教育局", "410700"), ("兰考县教育体育局", "410225"),
               ("焦作市本级", "410800"), ("济源示范区", "419001"), ("巩义", "410181"), ("鹤 壁 市", "410600"),
               ("商丘市教体局", "411400"), ("杞县", "410221")]
    sheet = government_sheet("报名进度", REG_HEADER, [[r, JUNE_8, "小学", 1] for r, _ in written])

    report = load_one(tmp_path, write_xlsx(tmp_path / "报名进度.xlsx", sheet))

    assert_clean(report, len(written))
    assert [(r[0], r[5]) for r in registrations(tmp_path)] == \
        [(code, row) for row, (_, code) in enumerate(written, start=2)]


def test_same_workbook_copied_under_another_name_reads_the_same(tmp_path):
    original = write_xls(tmp_path / "开封市报表.xls", kaifeng_sheet())
    renamed = tmp_path / "开封市报表（副本）.csv"
    shutil.copyfile(original, renamed)

    result = load(tmp_path, renamed)

    assert_clean(result.files[0], 3)
    assert registrations(tmp_path) == KAIFENG_ROWS
