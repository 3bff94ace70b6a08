"""Property-based: random mutations of valid files never crash the loader, never
trip an internal error, and for every file rows read = loaded + rejected; an ID number gets one
answer from every implementation that checks or hashes it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.idcard import check_digit, is_valid, keyed_hash, normalise
from etl.check_columns import id_numbers
from etl.load import load_files
from etl.secret import keyed_hashes

HEADER = ["地区", "日期", "资格种类", "报名人数（人）"]
VALID = [["兰考县", dt.date(2020, 6, 8) + dt.timedelta(days=i % 20), ["幼儿园", "小学", "初级中学"][i % 3], 10 + i]
         for i in range(24)]

printable = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12)  # Excel refuses control chars
cell = st.one_of(st.none(), printable, st.integers(-10**6, 10**9), st.floats(allow_nan=True),
                 st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)),
                 st.sampled_from(["合计", "总计", "注：", "2020-02-30", "安阳", "１２３", "1,234", " 7 ", "地区",
                                  "资格种类", "410225", "郑州市教育局", "", "\n"]))
mutation = st.tuples(st.integers(0, 40), st.integers(0, 5), cell)
settings_ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def table(mutations) -> list[list]:
    lines = [["兰考县2020年上半年教师资格认定网上报名情况统计表"], ["填报单位：兰考县教育体育局"], list(HEADER),
             *[list(r) for r in VALID], ["合计", None, None, sum(r[3] for r in VALID)], ["注：以系统数据为准"]]
    for row, col, value in mutations:
        while row >= len(lines):
            lines.append([])
        while col >= len(lines[row]):
            lines[row].append(None)
        lines[row][col] = value
    return lines


def check_report(path: Path, db: Path) -> None:
    result = load_files([path], db)
    for report in result.files:
        assert report.rows_read == report.rows_loaded + report.rows_rejected
        assert report.status in ("loaded", "partial", "rejected", "duplicate")
        assert not report.loader_failed, report.errors


@settings_
@given(st.lists(mutation, max_size=12))
def test_mutated_xlsx_never_crashes(tmp_path_factory, mutations):
    folder = tmp_path_factory.mktemp("xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "报名进度"
    for line in table(mutations):
        ws.append([v if not isinstance(v, float) or v == v else None for v in line])
    wb.save(folder / "报名进度.xlsx")
    check_report(folder / "报名进度.xlsx", folder / "w.duckdb")


@settings_
@given(st.lists(mutation, max_size=12), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_mutated_csv_never_crashes(tmp_path_factory, mutations, encoding):
    folder = tmp_path_factory.mktemp("csv")
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in line] for line in table(mutations)])
    (folder / "报名进度.csv").write_bytes(text.getvalue().encode(encoding, errors="replace"))
    check_report(folder / "报名进度.csv", folder / "w.duckdb")


@settings_
@given(st.binary(max_size=64), st.integers(0, 4000), st.booleans())
def test_damaged_bytes_never_crash(tmp_path_factory, noise, at, truncate):
    folder = tmp_path_factory.mktemp("bytes")
    wb = openpyxl.Workbook()
    wb.active.title = "报名进度"
    for line in table([]):
        wb.active.append(line)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    data = data[:at] + noise if truncate else data[:at] + noise + data[at + len(noise):]
    (folder / "报名进度.xlsx").write_bytes(data)
    check_report(folder / "报名进度.xlsx", folder / "w.duckdb")


# ---- mixed batches: a file's outcome is its own -------------------------------------------------

OTHERS = {"开封市.csv": [["地区", "日期", "资格种类", "报名人数"], ["开封市", "2020-06-08", "小学", "12"]],
          "洛阳市.csv": [["地区", "日期", "资格种类", "报名人数"], ["洛阳市", "2020-06-09", "初中", "-3"],
                         ["洛阳市", "2020-06-10", "初中", "7"]]}


def outcome(report) -> tuple:
    return (report.status, report.rows_read, report.rows_loaded, report.rows_rejected,
            [(p.sheet, p.row, p.column, p.value, p.message) for p in report.errors],
            [(p.sheet, p.row, p.column, p.value, p.message) for p in report.warnings])


@settings_
@given(st.lists(mutation, max_size=12), st.binary(max_size=64), st.integers(0, 4000), st.permutations(range(4)))
def test_in_a_mixed_batch_each_file_has_the_outcome_it_has_alone(tmp_path_factory, mutations, noise, at, order):
    """A mutated file, a damaged one and two fixed files (one with a bad row), in any order: each
    file's status, counts, errors and warnings in the batch are those it gets loaded alone."""
    folder = tmp_path_factory.mktemp("mixed")
    text = io.StringIO()
    csv.writer(text).writerows([["" if v is None else v for v in line] for line in table(mutations)])
    files = [folder / "兰考县.csv"]
    files[0].write_bytes(text.getvalue().encode("utf-8", errors="replace"))
    wb = openpyxl.Workbook()
    wb.active.title = "报名进度"
    for line in table([]):
        wb.active.append([v if v != "兰考县" else "杞县" for v in line])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    files.append(folder / "杞县.xlsx")
    files[1].write_bytes(data[:at] + noise + data[at + len(noise):])
    for name, lines in OTHERS.items():
        out = io.StringIO()
        csv.writer(out).writerows(lines)
        files.append(folder / name)
        files[-1].write_text(out.getvalue(), encoding="utf-8")
    alone = {path.name: outcome(load_files([path], folder / f"alone-{path.stem}" / "w.duckdb").files[0])
             for path in files}

    batch = load_files([files[i] for i in order], folder / "batch" / "w.duckdb")

    assert {Path(r.file).name: outcome(r) for r in batch.files} == alone


# ---- one answer for an ID number, whichever implementation is asked ---------------------------

FULLWIDTH_DIGITS = "０１２３４５６７８９"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
SECRET = b"property-test-secret"


@st.composite
def id_like(draw) -> str:
    """An ID number as a coordinator's cell may hold it: valid or one character off, its digits
    sometimes full-width or Arabic-Indic, x in either case, spaces of any kind anywhere."""
    first17 = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=17, max_size=17)))
    last = check_digit(first17) if draw(st.booleans()) else draw(st.sampled_from("0123456789X"))
    chars = list(first17 + last)
    for i in draw(st.lists(st.integers(0, 17), max_size=4, unique=True)):
        c = chars[i]
        chars[i] = draw(st.sampled_from(
            [c.lower(), "ｘ", "Ｘ"] if c == "X" else [FULLWIDTH_DIGITS[int(c)], ARABIC_INDIC_DIGITS[int(c)], "a", "-"]))
    for _ in range(draw(st.integers(0, 3))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from([" ", "\u3000", "\t", "\xa0", "\n"])))
    if draw(st.integers(0, 9)) == 0:
        del chars[draw(st.integers(0, len(chars) - 1))]
    return "".join(chars)


@settings(max_examples=300, deadline=None)
@given(st.lists(id_like(), min_size=1, max_size=30))
def test_id_numbers_pass_or_fail_alike_in_domain_numpy_and_duckdb(numbers):
    """domain.idcard, the loader's column check (numpy) and the keyed hash in DuckDB give one answer:
    the same normalised number, the same verdict on its check digit, the same hash."""
    normalised, _shaped, right = id_numbers(pa.array(numbers, pa.string()))
    assert normalised.to_pylist() == [normalise(n) or None for n in numbers]
    assert right.tolist() == [is_valid(n) for n in numbers]
    hashes = keyed_hashes(normalised, SECRET).to_pylist()
    assert hashes == [keyed_hash(n, SECRET) if normalise(n) else None for n in numbers]


@pytest.mark.parametrize(("number", "valid"), [
    ("４１０１０２１９９００１０１１２３４", True),    # full-width digits: read as the digits they are
    ("11010519491231002ｘ", True),
    ("٤١٠١٠٢١٩٩٠٠١٠١١٢٣٤", False),    # Arabic-Indic digits are not a Chinese ID number
    ("41010219900101123٤", False),
])
def test_other_digits_pass_or_fail_alike(number, valid):
    normalised, _shaped, right = id_numbers(pa.array([number]))
    assert is_valid(number) is valid and bool(right[0]) is valid
    assert keyed_hashes(normalised, SECRET)[0].as_py() == keyed_hash(number, SECRET)
