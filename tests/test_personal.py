"""Personal data told from content (etl/personal.py): ID numbers, phones and names are recognised in any
cell, whatever the file is, and masked in every problem the loader reports (issue 10, item 2)."""

from __future__ import annotations

import time

import pyarrow as pa
import pytest

from domain.idcard import check_digit
from etl import personal
from etl.grid import from_rows
from etl.personal import (
    holds_personal_data,
    looks_like_id,
    looks_like_name,
    looks_like_name_column,
    looks_like_phone,
    mask,
    mask_name,
    personal_cells,
    personal_names,
    raw_holds_personal_data,
    redact_problems,
)
from etl.read import Sheet
from etl.tables import SUBJECTS
from etl.validate import Problem

ID = "410102199001011234"  # tests/test_idcard.py works its check digit by hand
OLD_ID = "410102900101123"  # the 15-digit kind, born 1990-01-01
REAL_SUBJECTS = [*SUBJECTS, "小学数学", "初中语文", "高中数学", "高中英语", "思想政治", "小学全科", "初中思想品德",
                 "高中物理", "幼儿园", "中等职业学校专业课", "高中", "文科", "理科", "美术教育", "幼教", "车工", "钳工",
                 "高中信息技术", "初中道德与法治", "小学科学", "电子商务", "计算机"]
NOT_PEOPLE = ["郑州", "郑州市", "开封市本级", "金水区", "兰考县教育体育局", "济源示范区", "高新区", "人民医院",
              "郑州一中", "合格", "通过", "不通过", "已确认", "已发放", "无犯罪记录", "已报送", "退回修改", "姓名",
              "报名号", "任教学科", "合计", "小计", "初级中学", "高级中学", "2020-06-08", "40"]
PEOPLE = ["张伟", "王芳", "李娜", "欧阳娜娜", "司马光", "刘德华", "陈乐", "张  伟", "萧红", "高明", "文静", "于洋",
          "钱学森", "金一诺", "白雪", "石磊", "方圆", "安然"]


def sheet(*rows: list, name: str = "Sheet1") -> Sheet:
    return Sheet(name, from_rows([list(r) for r in rows]))


@pytest.mark.parametrize("text", [ID, "41010219900101123x", "410102 19900101 1234", "410102-19900101-1234",
                                  "４１０１０２１９９００１０１１２３４", OLD_ID, " 410102199001011234 "])
def test_id_numbers_in_any_writing_are_ids(text):
    assert looks_like_id(text)


@pytest.mark.parametrize("text", ["2020410100000123", "202041010000012345", "410102199013011234", "41010219900101123",
                                  "13812345678", "2020-06-08"])
def test_registration_numbers_dates_and_phones_are_not_ids(text):
    # 202041010000012345: 18 digits, but 01000001 is no birth date; 19901301: month 13
    assert not looks_like_id(text)


@pytest.mark.parametrize("text", ["13812345678", "+86 138 1234 5678", "+8613812345678", "008613812345678",
                                  "138-1234-5678", "１３８１２３４５６７８", "0371-65905123", "(0371)65905123",
                                  "（0371）65905123", "010-12345678", "0371 65905123"])
def test_mobiles_and_landlines_with_area_codes_are_phones(text):
    assert looks_like_phone(text)


@pytest.mark.parametrize("text", ["12812345678", "65905123", "2020-06-08", "2020410100000123", ID, "40", "1,234,567"])
def test_other_numbers_are_not_phones(text):
    assert not looks_like_phone(text)


@pytest.mark.parametrize("text", PEOPLE)
def test_names_are_names(text):
    assert looks_like_name(text)


@pytest.mark.parametrize("text", REAL_SUBJECTS + NOT_PEOPLE)
def test_subjects_regions_statuses_and_headers_are_not_names(text):
    assert not looks_like_name(text)


def test_the_column_checks_agree_with_the_value_checks():
    values = PEOPLE + REAL_SUBJECTS + NOT_PEOPLE + [ID, "13812345678", None]
    found = personal.name_cells(pa.array(values))
    assert [v for v, f in zip(values, found, strict=True) if f] == PEOPLE
    # a long column goes the distinct-value way: the same answer
    many = values * 400
    assert personal.name_cells(pa.array(many)).tolist() == found.tolist() * 400


def test_a_name_column_is_mostly_names_header_included():
    assert looks_like_name_column(["姓名", "张伟", "王芳", None, "李娜"])
    assert looks_like_name_column(["姓名", "张伟"])  # one applicant
    assert not looks_like_name_column(["任教学科", "语文", "张伟", "数学", "英语"])  # one slip is not a column
    assert not looks_like_name_column(["地区", "郑州市", "开封", "金水区"])
    assert not looks_like_name_column([None, None])


def test_personal_cells_tell_what_each_slip_is():
    column = pa.array(["语文", ID, "张伟", "电话13812345678", "0371-65905123", "数学", None, "见0371-65905123"])
    assert personal_cells(column, name_shaped=True) == {1: personal.ID, 2: personal.NAME, 3: personal.PHONE,
                                                        4: personal.PHONE}
    # a landline inside other text (a bureau's office number in a remark) is not a slip; alone it is
    assert personal_cells(column) == {1: personal.ID, 3: personal.PHONE, 4: personal.PHONE}
    # names of the file's own 姓名 column, in any text column
    statuses = pa.array(["已确认", "王芳", "已确认"])
    assert personal_cells(statuses, names=pa.array(["王芳", "李娜"])) == {1: personal.NAME}


def applicant_sheet(rows: int = 3, **replace: int) -> Sheet:
    header = ["报名号", "姓名", "身份证号", "手机号", "资格种类", "任教学科", "认定机构", "网报日期"]
    lines: list[list] = [["申请人明细"], header]
    for i in range(rows):
        first17 = f"41010219900101{i % 1000:03d}"
        lines.append([f"2020410100{i:06d}", PEOPLE[i % len(PEOPLE)], first17 + check_digit(first17),
                      f"138{i:08d}", "小学", "语文", "金水区", "2020-06-08"])
    return sheet(*lines, name="申请人明细")


def without(source: Sheet, *headers: str) -> Sheet:
    """The sheet with these columns taken out."""
    rows = source.grid.rows()
    keep = [i for i, h in enumerate(rows[1]) if h not in headers]
    return sheet(*[[r[i] for i in keep] for r in rows], name=source.name)


def test_an_applicant_list_holds_personal_data_with_any_one_of_its_personal_columns():
    full = applicant_sheet()
    assert holds_personal_data([full])
    assert holds_personal_data([without(full, "姓名", "手机号")])  # IDs alone
    assert holds_personal_data([without(full, "姓名", "身份证号")])  # phones alone
    assert holds_personal_data([without(full, "身份证号", "手机号")])  # names alone
    assert not holds_personal_data([without(full, "姓名", "身份证号", "手机号")])


def test_personal_data_is_found_without_a_header_and_on_any_sheet():
    cover = sheet(["2020年报名进度"], ["地区", "日期", "资格种类", "报名人数"], ["郑州市", "2020-06-08", "小学", "40"])
    headless = sheet(["郑州市", "张伟", "小学"], ["开封市", "王芳", "初级中学"], ["洛阳市", "李娜", "小学"])
    assert not holds_personal_data([cover])
    assert holds_personal_data([cover, headless])
    one_id = sheet(["地区", "备注"], ["郑州市", f"联系人身份证 {ID}"])
    assert holds_personal_data([one_id])
    one_mobile = sheet(["地区", "备注"], ["郑州市", "联系 13812345678"])
    assert holds_personal_data([one_mobile])


def test_an_office_landline_in_a_note_does_not_make_a_file_personal():
    plan = sheet(["地区", "方案报送日期", "备注"], ["郑州市", "2020-05-20", "按时报送"], ["开封市", "2020-05-21", None],
                 ["填表人：办公室", None, "联系电话：0371-65905123"])
    assert not holds_personal_data([plan])
    phones = sheet(["联系电话"], ["0371-65905123"], ["0371-65905124"], ["0371-65905125"])
    assert holds_personal_data([phones])


def test_a_personal_cell_deep_in_a_long_column_is_found():
    rows = [["地区", "备注"]] + [["郑州市", "无"]] * 5000 + [["郑州市", f"身份证{ID}"]]
    assert holds_personal_data([sheet(*rows)])
    assert not holds_personal_data([sheet(*rows[:-1])])


def test_unreadable_bytes_are_judged_by_their_text():
    text = "报名号,姓名,身份证号\n2020410100000001,张伟," + ID + "\n"
    assert raw_holds_personal_data(text.encode("utf-16"))
    assert raw_holds_personal_data(text.encode("gb18030"))
    assert raw_holds_personal_data(("备注\n" + "13812345678\n").encode("utf-16-le"))
    assert not raw_holds_personal_data("地区,日期,资格种类,报名人数\n郑州市,2020-06-08,小学,40\n".encode("utf-16"))
    assert not raw_holds_personal_data(bytes(range(256)) * 4)


def test_an_unreadable_zip_is_judged_by_its_parts_and_one_that_cannot_be_unpacked_is_not_kept(tmp_path):
    import zipfile

    path = tmp_path / "坏.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", "<sst><si><t>" + ID + "</t></si></sst>")
    assert raw_holds_personal_data(path.read_bytes())  # the ID is compressed: found only unpacked
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>" * 100)
    data = path.read_bytes()
    assert not raw_holds_personal_data(data)
    broken = bytearray(data)
    broken[60:70] = b"\xff" * 10  # inside the compressed part
    assert raw_holds_personal_data(bytes(broken))


def test_mask_hides_every_id_and_phone_in_any_text():
    text = (f"身份证号 {ID} 与 {OLD_ID}，手机 13812345678、+86 139-1234-5678，座机 0371-65905123，"
            "报名号 2020410100000123，日期 2020-06-08，人数 1,234，全角 ４１０１０２１９９００１０１１２３Ｘ")
    masked = mask(text)
    assert "410102********1234" in masked and "410102*****1123" in masked
    assert "138****5678" in masked and "139****5678" in masked and "0371-****5123" in masked
    assert "2020410100000123" in masked and "2020-06-08" in masked and "1,234" in masked  # not personal: kept
    for digits in ("19900101", "1381234", "13912345678", "1391234", "65905123", "９００１０１"):
        assert digits not in masked.replace("-", "").replace(" ", "")
    assert mask("") == "" and mask("没有数字") == "没有数字"


def test_mask_name_keeps_the_first_character_only():
    assert mask_name("张伟") == "张*" and mask_name("欧阳娜娜") == "欧***" and mask_name("张  伟") == "张*"


def test_redacted_problems_show_no_id_phone_or_name():
    problems = [
        Problem("申请人明细", 3, "报名号", ID, f"报名号 {ID} 不是规定格式"),
        Problem("申请人明细", 4, "资格种类", "张伟", "资格种类“张伟”不是规定的种类（幼儿园、小学…）"),
        Problem("申请人明细", 5, "认定机构", "13812345678", "无法识别地区“13812345678”：不是河南省的市、县"),
        Problem("申请人明细", 6, "网报日期", "2020-6-8", "与第 3 行完全重复，同一人 王芳 两次"),
        Problem("申请人明细", 7, "资格种类", "小学数学", "资格种类“小学数学”不是规定的种类"),
        Problem("报名进度", 4, "地区", "郑洲市", "无法识别地区“郑洲市”"),
        Problem(f"Sheet {ID}", 2, "13812345678", "", "表头无法识别"),
    ]
    redacted = redact_problems(problems, {"王芳"})
    shown = " ".join(f"{p.sheet} {p.column} {p.value} {p.message}" for p in redacted)
    for secret in (ID, "19900101", "13812345678", "张伟", "王芳"):
        assert secret not in shown
    assert redacted[0].value == "410102********1234" and "410102********1234" in redacted[0].message
    assert redacted[1].value == "张*" and "“张*”" in redacted[1].message
    assert redacted[2].value == "138****5678"
    assert redacted[4:6] == problems[4:6]  # nothing personal: the same problem, word for word
    assert (redacted[6].sheet, redacted[6].column) == ("Sheet 410102********1234", "138****5678")
    assert [p.row for p in redacted] == [p.row for p in problems]


def test_personal_names_are_those_of_the_name_columns():
    names = personal_names([applicant_sheet(5)])
    assert names == set(PEOPLE[:5])
    assert personal_names([without(applicant_sheet(5), "姓名")]) == set()


@pytest.fixture(scope="module")
def big_list() -> list[Sheet]:
    """A 1,000,000-row applicant list as bench/make_data.py makes it, read as the loader reads it."""
    from bench.make_data import HEADER, applicants
    from etl.grid import Grid

    table = applicants(1_000_000)
    head = from_rows([HEADER]).table
    body = table.rename_columns([f"c{i}" for i in range(table.num_columns)])
    body = body.add_column(0, "line", pa.array(range(2, table.num_rows + 2), pa.int32()))
    return [Sheet("申请人明细", Grid(pa.concat_tables([head, body.cast(head.schema)])))]


def test_a_million_row_list_is_judged_at_once(big_list):
    start = time.perf_counter()
    assert holds_personal_data(big_list)
    assert time.perf_counter() - start < 0.5  # measured: under 0.01 s (the first rows answer)


def test_a_million_rows_without_personal_columns_are_looked_at_whole_quickly(big_list):
    table = big_list[0].grid.table.drop_columns(["c1", "c2", "c3"])
    table = table.rename_columns(["line"] + [f"c{i}" for i in range(table.num_columns - 1)])
    from etl.grid import Grid
    bare = [Sheet("申请人明细", Grid(table))]
    start = time.perf_counter()
    assert not holds_personal_data(bare)
    assert time.perf_counter() - start < 5  # measured: about 0.4 s on 2 cores
