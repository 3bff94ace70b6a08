"""What the loader's speed-ups must not change (issue 14): a whole command's load gives the same
answer, only sooner.

- The command line loads without pandas (pyarrow and DuckDB would import it only to ask whether a
  value is a DataFrame), and a receipt, which needs it, still imports it afterwards.
- ID numbers are hashed by DuckDB on every core: each hash stays with its own row.
- The data test "every table names only known regions" looks at an applicant list's history first
  (its current rows are a view, a window over up to millions of rows); a row of an unknown region
  is still caught, counted over the current rows, and one in a replaced file only is not.
- Totals, repeated headers and over-long cells are first looked for in a column's bytes: a large CSV
  still drops its 合计 line and a repeated header, and a cell over the limit still rejects it.
- An applicant list alone does not rebuild the views and deadline risk, and every built table is what
  a full build makes; any other table, or another build fingerprint, rebuilds.
"""

from __future__ import annotations

import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from domain.idcard import CHECK_CHARS, WEIGHTS
from tests.etl_files import APPLICANT_HEADER, db_of, load, use_temporary_secret, write_csv

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _secret(tmp_path, monkeypatch):
    use_temporary_secret(tmp_path, monkeypatch)


def id_number(i: int) -> str:
    body = f"410102{19800101 + i % 28:08d}{i % 1000:03d}"
    return body + CHECK_CHARS[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def applicant_csv(path: Path, rows: int, region: str = "开封市", first: int = 1) -> Path:
    lines = [APPLICANT_HEADER]
    lines += [[f"2020410200{first + i:06d}", "", id_number(first + i), "", "小学", "语文", region, "2020-06-09"]
              for i in range(rows)]
    return write_csv(path, lines)


def run_cli(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "JSZG_SECRET_FILE": str(tmp_path / "secret" / "id-hash.key")}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_command_line_loads_a_csv_without_pandas_and_a_receipt_still_gets_it(tmp_path):
    csv = applicant_csv(tmp_path / "开封市申请人明细.csv", 20)
    receipts = tmp_path / "回执"
    load_args = ["load", str(csv), "--quiet", "--db", str(db_of(tmp_path)), "--report", str(tmp_path / "r.json")]
    receipt_args = ["load", str(csv), "--quiet", "--db", str(tmp_path / "other.duckdb"), "--receipts", str(receipts)]
    code = f"""
import sys
from etl.cli import main
code = main({load_args!r})
print("PANDAS-AFTER-LOAD", "pandas" in sys.modules, code)
code = main({receipt_args!r})
print("PANDAS-AFTER-RECEIPTS", "pandas" in sys.modules, code)
"""
    done = run_cli(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert "PANDAS-AFTER-LOAD False 0" in done.stdout
    assert "PANDAS-AFTER-RECEIPTS True 0" in done.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert (report[0]["status"], report[0]["rows_loaded"]) == ("loaded", 20)
    assert [p.name for p in receipts.iterdir()] == ["回执_开封市申请人明细.xlsx"]


def test_without_pandas_refuses_it_only_inside_and_not_once_it_is_loaded(tmp_path):
    code = """
import sys
from etl.cli import without_pandas
try:
    with without_pandas():
        try:
            import pandas
        except ImportError:
            print("REFUSED")
        raise KeyError("on the way out")
except KeyError:
    pass
import pandas
with without_pandas():
    import pandas.api
print("LOADED", "pandas.api" in sys.modules, any(type(f).__name__ == "_NoPandas" for f in sys.meta_path))
"""
    done = run_cli(tmp_path, code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["REFUSED", "LOADED", "True", "False"]


def test_hashes_computed_on_every_core_stay_with_their_rows():
    from etl.secret import keyed_hashes

    key = b"k" * 32
    ids = [id_number(i) if i % 7 else None for i in range(300_000)]  # more than two of DuckDB's row groups
    hashes = keyed_hashes(pa.array(ids, pa.string()), key).to_pylist()
    assert len(hashes) == len(ids)
    for i in [*range(0, len(ids), 997), *range(len(ids) - 50, len(ids))]:
        assert hashes[i] == (hmac.new(key, ids[i].encode(), "sha256").hexdigest() if ids[i] else None), i


def unknown_region_failures(db: Path, sql: str) -> list[str]:
    from etl.views import failed_data_tests

    copy = db.parent / "copy.duckdb"
    copy.write_bytes(Path(os.path.realpath(db)).read_bytes())
    with duckdb.connect(str(copy)) as con:
        con.execute(sql)
        return [f for f in failed_data_tests(con) if f.startswith("every table names only known regions")]


def test_an_unknown_region_in_an_applicant_list_is_caught_over_its_current_rows(tmp_path):
    load(tmp_path, applicant_csv(tmp_path / "开封市申请人明细.csv", 30))
    db = db_of(tmp_path)
    assert unknown_region_failures(db, "select 1") == []
    broken = unknown_region_failures(db, "update applicants_hist set region_code = '419999' where \"row\" <= 4")
    assert broken == ["every table names only known regions（3 处）"]  # rows 2, 3 and 4 (row 1 is the header)


def test_an_unknown_region_in_a_replaced_applicant_list_only_is_not_a_failure(tmp_path):
    load(tmp_path, applicant_csv(tmp_path / "开封市申请人明细.csv", 30))
    load(tmp_path, applicant_csv(tmp_path / "开封市申请人明细（更正）.csv", 31))  # the correction replaces it
    db = db_of(tmp_path)
    assert unknown_region_failures(db, "update applicants_hist set region_code = '419999' where load_seq = 1") == []
    assert unknown_region_failures(db, "update applicants_hist set region_code = '419999' where load_seq = 2") == \
        ["every table names only known regions（31 处）"]


def test_may_contain_looks_at_the_cells_bytes_only():
    from etl.locate import may_contain

    cells = pa.array(["报名号", None, "12", "x合计y", None])
    assert may_contain(cells, "报") and may_contain(cells, "计")
    assert not may_contain(cells.slice(1), "报")  # the header's bytes are still in the buffer, not in the cells
    assert not may_contain(cells.slice(1, 2), "计")
    assert may_contain(pa.chunked_array([cells.slice(0, 1), cells.slice(3)]), "计")
    assert not may_contain(pa.nulls(3, pa.string()), "计")
    assert not may_contain(pa.chunked_array([], pa.string()), "计")


def test_a_large_csv_finds_its_total_and_a_repeated_header_and_a_long_cell(tmp_path):
    row = ["", "", "", "", "小学", "语文", "开封市", "2020-06-09"]
    lines = [APPLICANT_HEADER] + [[f"2020410200{i:06d}", "", id_number(i), *row[3:]] for i in range(60_000)]
    lines.insert(30_000, APPLICANT_HEADER)  # a printed page break
    lines.append(["合计", "", "", "", "", "", "", ""])
    path = write_csv(tmp_path / "开封市申请人明细.csv", lines)
    assert path.stat().st_size > (4 << 20)  # read by Arrow (etl/grid.py FAST_CSV_BYTES)
    report = load(tmp_path, path).files[0]
    assert (report.status, report.rows_read, report.rows_loaded) == ("loaded", 60_000, 60_000)
    lines[5][5] = "语" * 2001  # one cell over the 2,000 characters a cell may hold
    report = load(tmp_path, write_csv(tmp_path / "开封市申请人明细2.csv", lines)).files[0]
    assert report.status == "rejected" and "2000" in report.errors[0].message.replace(",", "")


BUILT = ["regions_ref", "region_tree", "campaign_settings", "registrations_current", "progress_current",
         "sites_current", "plan_current", "risk_by_unit_day", "risk_by_day", "silence_by_day", "work_unit_members"]


def built_tables(db: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(os.path.realpath(db), read_only=True) as con:
        return {name: sorted(map(repr, con.execute(f"select * from {name}").fetchall())) for name in BUILT}


def counting_builds(monkeypatch) -> list[int]:
    from etl import views

    calls = []
    real = views.build
    monkeypatch.setattr(views, "build", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def registrations_csv(path: Path, figure: int) -> Path:
    return write_csv(path, [["地区", "日期", "资格种类", "报名人数"], ["开封市", "2020-06-08", "小学", figure],
                            ["开封市", "2020-06-09", "小学", figure + 3]])


def test_an_applicant_list_alone_does_not_rebuild_and_every_built_table_is_as_a_build_makes_it(tmp_path,
                                                                                                  monkeypatch):
    from domain.campaign import default_campaign_path, load_campaign
    from domain.regions import load_units
    from etl import views

    builds = counting_builds(monkeypatch)
    load(tmp_path, registrations_csv(tmp_path / "开封市报名进度.csv", 10), applicant_csv(tmp_path / "a.csv", 30))
    load(tmp_path, applicant_csv(tmp_path / "开封市申请人明细.csv", 40, first=100))
    assert len(builds) == 1  # the second load changed only an applicant list
    db = db_of(tmp_path)
    assert query_one(db, "select count(*) from applicants_current") == 70
    assert query_one(db, "select count(*) from load_log") == 3
    skipped = built_tables(db)
    copy = tmp_path / "rebuilt.duckdb"
    copy.write_bytes(Path(os.path.realpath(db)).read_bytes())
    with duckdb.connect(str(copy)) as con:
        views.build(con, load_units(), load_campaign(default_campaign_path()))
    assert built_tables(copy) == skipped


def test_a_table_other_than_an_applicant_list_or_another_fingerprint_rebuilds(tmp_path, monkeypatch):
    from etl import views

    builds = counting_builds(monkeypatch)
    load(tmp_path, applicant_csv(tmp_path / "a.csv", 5))
    registrations = registrations_csv(tmp_path / "开封市报名进度.csv", 10)
    load(tmp_path, registrations, applicant_csv(tmp_path / "b.csv", 5, first=9))
    assert len(builds) == 2
    assert query_one(db_of(tmp_path), "select sum(registrations) from registrations_daily") == 23
    real = views.build_fingerprint
    monkeypatch.setattr(views, "build_fingerprint", lambda *a: real(*a) + "-new code")
    load(tmp_path, applicant_csv(tmp_path / "c.csv", 5, first=20))
    assert len(builds) == 3
    load(tmp_path, applicant_csv(tmp_path / "d.csv", 5, first=30))
    assert len(builds) == 3


def query_one(db: Path, sql: str) -> object:
    with duckdb.connect(os.path.realpath(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]
