"""Validation (CONTRACT.md §3): every row that does not load gets a reason in Chinese naming the
sheet, the row as Excel numbers it (title rows counted), the column as the file heads it and the
value; rows that load but contradict each other are warned about; a file that cannot be read is
rejected whole, with its reason, and the other files of the load are unaffected."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import msoffcrypto
import pytest

import etl.load
from domain.idcard import check_digit
from etl.read import OLE_MAGIC
from etl.validate import Problem
from tests.etl_files import (
    APPLICANT_HEADER,
    PROGRESS_HEADER,
    REG_HEADER,
    SITES_HEADER,
    db_of,
    government_sheet,
    load,
    load_one,
    query,
    registrations,
    rejected,
    rejected_with_messages,
    use_temporary_secret,
    where,
    write_csv,
    write_xlsx,
)

D = dt.date
JUNE_8 = D(2020, 6, 8)
GOOD_ROW = ["洛阳市", JUNE_8, "小学", 40]  # written on row 4, below a title and a 填报单位 line
GOOD_LOADED = ("410300", "2020-06-08", "小学", 40, "报名进度", 4)


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def registrations_file(tmp_path, *rows, header=REG_HEADER, name="报名进度.xlsx"):
    """A 报名进度 workbook: title on row 1, 填报单位 on row 2, header on row 3, the rows from row 4."""
    sheet = government_sheet("报名进度", header, [list(r) for r in rows], title="2020年报名进度表",
                             unit_line="填报单位：洛阳市教育局", notes=("注：人数为当日新增。",))
    return write_xlsx(tmp_path / name, sheet)


def assert_one_error(tmp_path, report, expected: tuple, message_part: str) -> None:
    """The report and the rejected_rows view hold exactly this one problem."""
    assert where(report.errors) == [expected]
    assert message_part in report.errors[0].message
    assert rejected(tmp_path) == [expected]
    assert (report.status, report.rows_rejected) == ("partial", 1)


# ---- a whole file ----------------------------------------------------------------------------


def test_missing_required_column_rejects_the_file(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, ["洛阳市", JUNE_8, "小学"],
                                                   header=["地区", "日期", "资格种类"]))

    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("rejected", 0, 0, 0)
    assert where(report.errors) == [("报名进度", 3, "报名人数", "")]
    assert "缺少必填列：报名人数" in report.errors[0].message
    assert registrations(tmp_path) == []
    assert query(tmp_path, "select status, rows_read, rows_loaded, rows_rejected, message from load_log") == \
        [("rejected", 0, 0, 0, "“报名进度”表缺少必填列：报名人数")]
    assert rejected(tmp_path) == [("报名进度", 3, "报名人数", "")]


def _encrypted(tmp_path):
    plain = registrations_file(tmp_path, GOOD_ROW, name="plain.xlsx")
    target = tmp_path / "洛阳市报名进度.xlsx"
    with open(plain, "rb") as src, open(target, "wb") as dst:
        msoffcrypto.OfficeFile(src).encrypt("jszg2020", dst)
    plain.unlink()
    return target


def _zip_of_text(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("报名进度.txt", "地区,日期,资格种类,报名人数\n洛阳市,2020-06-08,小学,40\n")
    path = tmp_path / "报名进度.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def _truncated_xlsx(tmp_path):
    path = registrations_file(tmp_path, GOOD_ROW)
    path.write_bytes(path.read_bytes()[:2000])
    return path


def _bytes(name: str, data: bytes):
    def write(tmp_path):
        (tmp_path / name).write_bytes(data)
        return tmp_path / name
    return write


WHOLE_FILE_REJECTIONS = {
    "empty": (_bytes("报名进度.csv", b""), "文件为空"),
    "only_blank_lines": (_bytes("报名进度.csv", b"\r\n  \r\n\t\r\n"), "文件为空"),
    "password_protected": (_encrypted, "设置了打开密码"),
    "garbage_bytes": (_bytes("报名进度.xlsx", bytes(range(256)) * 8), "不是有效的 Excel 或 CSV 表格"),
    "binary_text": (_bytes("报名进度.csv", "地区,日期\x00\x01\n".encode()), "含二进制内容"),
    "zip_not_a_workbook": (_zip_of_text, "压缩包而不是 Excel 工作簿"),
    "truncated_xlsx": (_truncated_xlsx, "Excel 文件已损坏"),
    "broken_xls": (_bytes("报名进度.xls", OLE_MAGIC + bytes(range(256)) * 4), "无法读取 Excel 文件"),
    "no_known_table": (lambda p: write_csv(p / "统计.csv", [["姓名", "电话"], ["张三", "123"]]), "没有可识别的报表"),
    "header_only": (lambda p: write_csv(p / "报名进度.csv", [["报名进度表"], REG_HEADER]), "只有表头，没有数据行"),
}


@pytest.mark.parametrize("case", WHOLE_FILE_REJECTIONS)
def test_unreadable_file_is_rejected_whole_and_others_still_load(tmp_path, case):
    write, reason = WHOLE_FILE_REJECTIONS[case]
    (tmp_path / "bad").mkdir()
    bad = write(tmp_path / "bad")
    good = registrations_file(tmp_path, GOOD_ROW, name="洛阳市.xlsx")

    result = load(tmp_path, bad, good)

    report = result.files[0]
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("rejected", 0, 0, 0)
    assert len(report.errors) == 1
    assert (report.errors[0].sheet, report.errors[0].row, report.errors[0].column) == ("", None, "")
    assert reason in report.errors[0].message
    assert result.files[1].status == "loaded"
    assert registrations(tmp_path) == [GOOD_LOADED]
    assert query(tmp_path, "select status, message from load_log order by load_seq") == \
        [("rejected", report.errors[0].message), ("loaded", None)]
    assert [m for *_, m in rejected_with_messages(tmp_path)] == [report.errors[0].message]


def test_a_file_the_loader_fails_on_is_tried_again_and_a_bad_file_is_not(tmp_path, monkeypatch):
    """A bug in the loader rejects the file saying so (loader_failed), and the same bytes are read
    again by the next load; a file rejected for what it holds gets the same answer without a new try."""
    good = registrations_file(tmp_path, GOOD_ROW, name="洛阳市.xlsx")
    bad = write_csv(tmp_path / "统计.csv", [["姓名", "电话"], ["张三", "123"]])

    def broken(*args, **kwargs):
        raise KeyError("a bug")

    with monkeypatch.context() as patched:
        patched.setattr(etl.load, "check", broken)
        failed = load_one(tmp_path, good)
        first_bad = load_one(tmp_path, bad)
    assert (failed.status, failed.loader_failed) == ("rejected", True)
    message = failed.errors[0].message
    assert "内部错误" in message and "其余文件不受影响" in message
    assert "KeyError" not in message and "a bug" not in message  # no library words, no cell text
    assert (first_bad.status, first_bad.loader_failed) == ("rejected", False)

    again = load(tmp_path, good, bad)

    assert [(f.status, f.changed, f.loader_failed) for f in again.files] == [("loaded", True, False),
                                                                              ("rejected", False, False)]
    assert again.files[1].errors == first_bad.errors
    assert registrations(tmp_path) == [GOOD_LOADED]


# ---- rows ---------------------------------------------------------------------------------


def test_negative_count_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, "初中", -5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "报名人数", "-5"), "人数“-5”为负数")


def test_fractional_count_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, "初中", 12.5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "报名人数", "12.5"), "人数“12.5”不是整数")


def test_implausibly_large_count_is_rejected(tmp_path):
    # found by the property-based test: 2147483648 overflowed the warehouse's integers
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, "初中", 2147483648]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "报名人数", "2147483648"), "超出合理范围")


def test_count_that_is_not_a_number_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, "初中", "约50"]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "报名人数", "约50"), "不是数字")


def test_impossible_date_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", "2020-02-30", "初中", 5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "日期", "2020-02-30"), "2020年2月没有30日")


def test_blank_required_cell_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, None, 5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "资格种类", ""), "资格种类为必填项")


def test_unknown_plan_status_is_rejected(tmp_path):
    sheet = government_sheet("实施方案", ["地区", "方案报送日期", "公告发布日期", "方案状态", "备注"],
                             [["洛阳市", "2020-05-25", "2020-05-28", "已报送", None],
                              ["开封市", "2020-05-26", "2020-05-29", "已上报", "市局已盖章"]],
                             title="实施方案报送情况", unit_line="填报单位：省教育厅")

    report = load_one(tmp_path, write_xlsx(tmp_path / "实施方案.xlsx", sheet))

    assert query(tmp_path, "select region_code, plan_submitted_on, announced_on, status from plan_status "
                           "where status is not null") == [("410300", D(2020, 5, 25), D(2020, 5, 28), "已报送")]
    assert_one_error(tmp_path, report, ("实施方案", 5, "方案状态", "已上报"),
                     "方案状态“已上报”应为 已报送、未报送、退回修改、已备案 之一")


def test_end_date_before_start_date_is_rejected(tmp_path):
    sheet = government_sheet("现场确认安排", SITES_HEADER,
                             [["洛阳市", "市民之家", "2020-07-06", "2020-07-10", 4, 8, 50],
                              ["洛阳市", "西工区政务中心", "2020-07-10", "2020-07-06", 2, 4, 50]],
                             title="现场确认点安排", unit_line="填报单位：洛阳市教育局")

    report = load_one(tmp_path, write_xlsx(tmp_path / "现场确认安排.xlsx", sheet))

    assert query(tmp_path, "select region_code, site_name, start_date, end_date, windows from confirmation_capacity") \
        == [("410300", "市民之家", D(2020, 7, 6), D(2020, 7, 10), 4)]
    assert_one_error(tmp_path, report, ("现场确认安排", 5, "结束日期", "2020-07-06"),
                     "结束日期 2020-07-06 早于开始日期 2020-07-10")


def test_unknown_region_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳新区", JUNE_8, "小学", 5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "地区", "洛阳新区"), "无法识别地区“洛阳新区”")


def test_region_code_outside_henan_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["420100", JUNE_8, "小学", 5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "地区", "420100"), "不在河南省2020年行政区划代码中")


def test_a_bare_short_name_loads_as_the_city(tmp_path):
    """安阳 is 安阳市 (Chinese usage), not 安阳县, which is written with its suffix."""
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["安阳", JUNE_8, "小学", 5],
                                                   ["安阳县", JUNE_8, "小学", 6], ["新乡教育局", JUNE_8, "小学", 7]))

    assert (report.status, report.rows_loaded, report.errors) == ("loaded", 4, [])
    assert sorted(registrations(tmp_path)) == sorted([
        GOOD_LOADED, ("410500", "2020-06-08", "小学", 5, "报名进度", 5),
        ("410522", "2020-06-08", "小学", 6, "报名进度", 6), ("410700", "2020-06-08", "小学", 7, "报名进度", 7)])


def test_unknown_qualification_kind_is_rejected(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", JUNE_8, "大学", 5]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert_one_error(tmp_path, report, ("报名进度", 5, "资格种类", "大学"), "资格种类“大学”不是规定的种类")


def test_same_key_twice_with_different_figures_rejects_both(tmp_path):
    report = load_one(tmp_path, registrations_file(
        tmp_path, GOOD_ROW, ["洛阳市", "2020-06-09", "小学", 10], ["洛阳", "2020/6/9", "小学", 12]))

    assert registrations(tmp_path) == [GOOD_LOADED]
    assert where(report.errors) == [("报名进度", 5, "资格种类", "小学"), ("报名进度", 6, "资格种类", "小学")]
    for problem in report.errors:
        assert "在 第 5 行、第 6 行 重复出现且数字不同" in problem.message
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("partial", 3, 1, 2)
    assert rejected(tmp_path) == [("报名进度", 5, "资格种类", "小学"), ("报名进度", 6, "资格种类", "小学")]


def test_same_row_twice_loads_once_and_reports_the_repeat(tmp_path):
    report = load_one(tmp_path, registrations_file(
        tmp_path, GOOD_ROW, ["洛阳市", "2020-06-09", "小学", 10], ["410300", "20200609", "小学", "10"]))

    assert registrations(tmp_path) == [GOOD_LOADED, ("410300", "2020-06-09", "小学", 10, "报名进度", 5)]
    assert_one_error(tmp_path, report, ("报名进度", 6, "资格种类", "小学"), "与第 5 行完全重复，只导入一次")
    assert (report.rows_read, report.rows_loaded) == (3, 2)


def test_every_row_is_loaded_or_rejected_with_its_reason(tmp_path):
    rows = [GOOD_ROW, ["洛阳市", JUNE_8, "初中", -1], ["火星", JUNE_8, "小学", 1], ["洛阳市", "2020-13-01", "小学", 1],
            ["洛阳市", D(2020, 6, 9), "高中", "2,000"], ["洛阳市", JUNE_8, "大学", 1]]

    report = load_one(tmp_path, registrations_file(tmp_path, *rows))

    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("partial", 6, 2, 4)
    assert registrations(tmp_path) == [GOOD_LOADED, ("410300", "2020-06-09", "高级中学", 2000, "报名进度", 8)]
    assert where(report.errors) == [("报名进度", 5, "报名人数", "-1"), ("报名进度", 6, "地区", "火星"),
                                    ("报名进度", 7, "日期", "2020-13-01"), ("报名进度", 9, "资格种类", "大学")]
    assert query(tmp_path, "select rows_read, rows_loaded, rows_rejected from load_log") == [(6, 2, 4)]


# ---- personal data --------------------------------------------------------------------------


def test_id_number_failing_check_digit_is_rejected_and_shown_masked(tmp_path):
    first17 = "41010219900101123"
    valid = first17 + check_digit(first17)
    wrong = first17 + "X"
    assert valid != wrong
    short = "4101021990010112"
    sheet = government_sheet("申请人明细", APPLICANT_HEADER, [
        ["2020410300001", "张三", valid, "13800000000", "小学", "语文", "洛阳市", "2020-06-08"],
        ["2020410300002", "李四", wrong, "13900000000", "初中", "数学", "洛阳市", "2020-06-09"],
        ["2020410300003", "王五", short, "13700000000", "高中", "英语", "洛阳市教育局", "2020-06-10"]],
        title="申请人明细", unit_line="填报单位：洛阳市教育局")

    report = load_one(tmp_path, write_xlsx(tmp_path / "洛阳市申请人明细.xlsx", sheet))

    assert where(report.errors) == [("申请人明细", 5, "身份证号", "410102********123X"),
                                    ("申请人明细", 6, "身份证号", "410102******0112")]
    assert "身份证号 410102********123X 校验位错误（GB 11643）" in report.errors[0].message
    assert "应为 18 位" in report.errors[1].message
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_rejected) == ("partial", 3, 1, 2)
    loaded = query(tmp_path, "select application_no, qualification, region_code, registered_on, id_hash "
                             "from applicants_current")
    assert [row[:4] for row in loaded] == [("2020410300001", "小学", "410300", D(2020, 6, 8))]
    assert len(loaded[0][4]) == 64 and loaded[0][4] != valid
    # the clear numbers (and names, phones) are nowhere: not in the report, the ledger or the raw store
    text = json.dumps(report.as_json(), ensure_ascii=False) + repr(rejected_with_messages(tmp_path)) + \
        repr(query(tmp_path, "select * from load_log")) + repr(loaded)
    for secret in (valid, wrong, short, "张三", "李四", "13800000000", "13900000000"):
        assert secret not in text
    assert query(tmp_path, "select count(*) from applicants_hist where id_hash in (?, ?)", [valid, wrong]) == [(0,)]
    raw = db_of(tmp_path).parent / f"{db_of(tmp_path).name}.raw"
    assert not raw.exists() or not any(p.is_file() for p in raw.rglob("*"))


# ---- warnings: loaded, but a coordinator should look -----------------------------------------


def progress_file(tmp_path, *rows):
    sheet = government_sheet("认定进度", PROGRESS_HEADER, [list(r) for r in rows], title="认定工作进展周报",
                             unit_line="填报单位：洛阳市教育局", date_line="统计截止：2020年7月10日")
    return write_xlsx(tmp_path / "洛阳市认定进度.xlsx", sheet)


def test_confirmed_more_than_registered_is_loaded_and_warned(tmp_path):
    report = load_one(tmp_path, progress_file(tmp_path, ["洛阳市", "2020-07-10", 100, 100, 120, 90, 80, 70, 1, 60, 50]))

    assert (report.status, report.rows_loaded, report.errors) == ("loaded", 1, [])
    assert query(tmp_path, "select * from progress_latest") == \
        [("410300", D(2020, 7, 10), 100, 100, 120, 90, 80, 70, 1, 60, 50)]
    assert where(report.warnings) == [("认定进度", 4, "已现场确认", "120")]
    assert "已现场确认人数 120 多于网报人数 100" in report.warnings[0].message
    assert rejected(tmp_path) == []


def test_issued_more_than_approved_is_loaded_and_warned(tmp_path):
    report = load_one(tmp_path, progress_file(tmp_path, ["洛阳市", "2020-07-10", 100, 100, 90, 90, 80, 30, 1, 40, 35]))

    assert (report.status, report.rows_loaded, report.errors) == ("loaded", 1, [])
    assert query(tmp_path, "select * from progress_latest") == \
        [("410300", D(2020, 7, 10), 100, 100, 90, 90, 80, 30, 1, 40, 35)]
    assert [w for w in where(report.warnings) if w[2] == "证书已发放"] == [("认定进度", 4, "证书已发放", "35")]
    assert any("证书已发放 35 多于认定通过 30" in w.message for w in report.warnings)
    assert rejected(tmp_path) == []


def test_registration_date_outside_the_window_is_loaded_and_warned(tmp_path):
    report = load_one(tmp_path, registrations_file(tmp_path, GOOD_ROW, ["洛阳市", D(2020, 7, 2), "小学", 3]))

    assert report.errors == []
    assert registrations(tmp_path) == [GOOD_LOADED, ("410300", "2020-07-02", "小学", 3, "报名进度", 5)]
    assert report.warnings == [Problem("报名进度", 5, "日期", "2020-07-02",
                                       "报名日期 2020-07-02 不在网上报名时间 2020-06-08 至 2020-06-30 内")]


def test_same_key_on_two_sheets_of_one_file_is_rejected_and_others_load(tmp_path):
    first = government_sheet("报名进度", REG_HEADER, [GOOD_ROW, ["洛阳市", "2020-06-09", "小学", 10]])
    continued = government_sheet("报名进度（续）", REG_HEADER, [["洛阳市", "2020-06-09", "小学", 12]])
    other = write_csv(tmp_path / "开封市报名进度.csv", [REG_HEADER, ["开封市", "2020-06-08", "小学", 7]])

    result = load(tmp_path, write_xlsx(tmp_path / "洛阳市.xlsx", first, continued), other)

    assert sorted(where(result.files[0].errors)) == [("报名进度", 3, "资格种类", "小学"),
                                                     ("报名进度（续）", 2, "资格种类", "小学")]
    assert result.files[1].status == "loaded"
    assert registrations(tmp_path) == [("410200", "2020-06-08", "小学", 7, "开封市报名进度", 2),
                                       ("410300", "2020-06-08", "小学", 40, "报名进度", 2)]
