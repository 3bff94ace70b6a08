"""Synthetic applicant lists (申请人明细) for the loader benchmarks, made quickly and deterministically.

Every row is valid under etl/validate.py: 报名号 unique, 身份证号 18 characters with a
correct GB 11643 check digit, 资格种类 one of the seven kinds, 认定机构 a Henan
city or county name that resolves to exactly one unit, 网报日期 inside the
registration window. Names and phone numbers are made up. The same row count
always gives the same bytes (fixed seed), so a file already in bench/out/ is reused.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from domain.idcard import CHECK_CHARS, WEIGHTS, check_digit  # noqa: E402
from domain.regions import load_units  # noqa: E402
from etl.tables import KINDS  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
HEADER = ["报名号", "姓名", "身份证号", "手机号", "资格种类", "任教学科", "认定机构", "网报日期", "现场确认状态",
          "体检结论", "犯罪记录核查", "认定结论", "证书状态"]
SHEET = "申请人明细"
SEED = 2020

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉文建国志宇欣怡梦琪佳晨雨浩然子涵思博")
SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治", "音乐", "体育", "美术", "信息技术",
            "幼儿园"]
STATUS_COLUMNS = {  # the five progress columns: plain text, a few values each
    "现场确认状态": ["已确认", "未确认", "已确认"],
    "体检结论": ["合格", "合格", "合格", "不合格", ""],
    "犯罪记录核查": ["无犯罪记录", "无犯罪记录", "待核查"],
    "认定结论": ["通过", "通过", "不通过", ""],
    "证书状态": ["已发放", "已打印", "未制证", ""],
}


def region_names() -> list[tuple[str, str]]:
    """(name, code) of every city and county whose full name resolves to one unit (e.g. 郑州市, 中原区)."""
    units = load_units()
    found = []
    for region in units:
        if region.kind == "province":
            continue
        try:
            if units.resolve(region.name) == region.code:
                found.append((region.name, region.code))
        except ValueError:
            continue  # a name two units share (鼓楼区 …): a region would write the code instead
    return found


def applicants(rows: int, seed: int = SEED) -> pa.Table:
    """`rows` valid applicant lines as a table of strings, in the contract's column order."""
    rng = np.random.default_rng(seed)
    regions = region_names()
    names = np.array([n for n, _ in regions])
    codes = np.array([c for _, c in regions])
    region = rng.integers(0, len(regions), rows)

    seq = np.arange(1, rows + 1, dtype=np.int64)
    application_no = np.char.add("2020", np.char.zfill((4111 * 10**8 + seq).astype(str), 12))

    surname = np.array(SURNAMES)[rng.integers(0, len(SURNAMES), rows)]
    given1 = np.array(GIVEN)[rng.integers(0, len(GIVEN), rows)]
    given2 = np.where(rng.random(rows) < 0.6, np.array(GIVEN)[rng.integers(0, len(GIVEN), rows)], "")
    name = np.char.add(np.char.add(surname, given1), given2)

    # ID: region code (6) + birth date (8) + sequence (3) + check digit
    birth = np.datetime64("1970-01-01") + rng.integers(0, 365 * 29, rows).astype("timedelta64[D]")
    birth_text = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    order = rng.integers(0, 1000, rows)
    first17 = np.char.add(np.char.add(codes[region], birth_text), np.char.zfill(order.astype(str), 3))
    digits = np.frombuffer(first17.astype("S17").tobytes(), dtype=np.uint8).reshape(rows, 17) - ord("0")
    check = np.array(list(CHECK_CHARS))[(digits.astype(np.int64) @ np.array(WEIGHTS)) % 11]
    id_number = np.char.add(first17, check)
    assert check_digit(str(first17[0])) == check[0]

    phone = np.char.add("1", (3 * 10**9 + rng.integers(0, 6 * 10**9, rows)).astype(str))
    kind = np.array(KINDS)[rng.choice(len(KINDS), rows, p=[0.2, 0.3, 0.25, 0.15, 0.04, 0.04, 0.02])]
    subject = np.array(SUBJECTS)[rng.integers(0, len(SUBJECTS), rows)]
    day = np.datetime64("2020-06-08") + rng.integers(0, 23, rows).astype("timedelta64[D]")
    registered = np.datetime_as_string(day, unit="D")

    columns = [application_no, name, id_number, phone, kind, subject, names[region], registered]
    for values in STATUS_COLUMNS.values():
        columns.append(np.array(values)[rng.integers(0, len(values), rows)])
    return pa.table({h: pa.array(c.tolist(), pa.string()) for h, c in zip(HEADER, columns, strict=True)})


def csv_file(rows: int) -> Path:
    """bench/out/申请人明细-<rows>.csv (UTF-8, the contract's header), made once."""
    path = OUT / f"{SHEET}-{rows}.csv"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:  # the header unquoted, as Excel and WPS write it
            f.write((",".join(HEADER) + "\n").encode())
            pacsv.write_csv(applicants(rows), f, pacsv.WriteOptions(include_header=False, quoting_style="none"))
        tmp.replace(path)
    return path


def xlsx_file(rows: int) -> Path:
    """bench/out/申请人明细-<rows>.xlsx, one sheet 申请人明细, written with openpyxl write_only, made once."""
    from openpyxl import Workbook

    path = OUT / f"{SHEET}-{rows}.xlsx"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        table = applicants(rows)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(SHEET)
        sheet.append(HEADER)
        columns = [table.column(i).to_pylist() for i in range(table.num_columns)]
        for row in zip(*columns, strict=True):
            sheet.append([v or None for v in row])
        tmp = path.with_name(path.name + ".tmp.xlsx")
        book.save(tmp)
        tmp.replace(path)
    return path


if __name__ == "__main__":  # python bench/make_data.py csv|xlsx ROWS → prints the file's path
    kind, rows = sys.argv[1], int(sys.argv[2])
    print({"csv": csv_file, "xlsx": xlsx_file}[kind](rows))
