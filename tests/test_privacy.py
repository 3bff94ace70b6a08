"""Personal data never lands in clear: after loading applicant lists, no ID number,
name or phone number from them is anywhere — not in any table or column of the
warehouse, not in its files on disk, not in the report, not on the console."""

from __future__ import annotations

import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from domain.idcard import normalise
from etl import warehouse
from etl.secret import load_secret
from tests.readback import sheet

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def loaded(demo_files, tmp_path_factory):
    lists = sorted(demo_files.rglob("申请人明细.*"))
    assert len(lists) == 3
    base = tmp_path_factory.mktemp("privacy")
    db, report, key = base / "warehouse.duckdb", base / "report.json", base / "secret.key"
    env = os.environ | {"JSZG_SECRET_FILE": str(key)}
    result = subprocess.run([sys.executable, "-m", "etl", "load", *map(str, lists), "--db", str(db),
                             "--report", str(report)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 1  # two bad ID numbers are rejected
    people = {"ids": set(), "names": set(), "phones": set()}
    for path in lists:
        _, header, rows = sheet(path, "申请人明细").table({"报名号"})
        for _, cells in rows:
            people["names"].add(str(cells[header.index("姓名")]))
            people["ids"].add(normalise(cells[header.index("身份证号")]))
            people["phones"].add(str(cells[header.index("手机号")]))
    return db, report, key, result, people


def test_no_personal_value_in_any_table_or_column(loaded):
    db, _, _, _, people = loaded
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        tables = [t for (t,) in con.execute("select table_name from information_schema.tables").fetchall()]
        cells: set[str] = set()
        for table in tables:
            columns = [c[0] for c in con.execute(f'select * from "{table}" limit 0').description]
            for column in columns:
                cells.update(v for (v,) in con.execute(
                    f'select distinct cast("{column}" as varchar) from "{table}"').fetchall() if v)
    finally:
        con.close()
    assert len(cells) > 1000  # the scan did read the warehouse
    assert not cells & people["names"]
    text = "\n".join(cells)
    assert not [i for i in people["ids"] if i in text]
    assert not [p for p in people["phones"] if p in text]


def test_no_personal_value_in_the_files_on_disk_report_or_console(loaded):
    db, report, _, result, people = loaded
    blobs = [p.read_bytes() for folder in (db.parent,) for p in folder.rglob("*") if p.is_file()]
    blobs += [report.read_bytes(), result.stdout.encode(), result.stderr.encode()]
    for blob in blobs:
        for value in list(people["ids"])[:2000] + list(people["phones"])[:2000]:
            assert value.encode() not in blob and value.encode("gb18030") not in blob
    kept = [p for p in warehouse.raw_dir(db).rglob("*") if p.is_file()]
    assert kept == [], "applicant lists' raw files must not be kept"


def test_bad_ids_are_reported_masked(loaded):
    _, report, _, _, _ = loaded
    errors = [e for f in json.loads(report.read_text(encoding="utf-8")) for e in f["errors"]]
    assert len(errors) == 2
    for e in errors:
        assert e["column"] == "身份证号" and "********" in e["value"] and len(e["value"]) == 18
        assert "校验位" in e["message"]


def test_the_keyed_hash_matches_hmac_with_the_secret(loaded):
    db, _, key, _, people = loaded
    load_secret.cache_clear()
    secret = load_secret(key)
    assert key.stat().st_mode & 0o077 == 0  # readable by its owner only
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    hashes = {h for (h,) in con.execute("select id_hash from applicants_current").fetchall()}
    con.close()
    sample = sorted(people["ids"])[:50]
    expected = {hmac.new(secret, i.encode(), "sha256").hexdigest() for i in sample}
    assert len(expected & hashes) >= 48  # (the two rejected IDs may be in the sample)
