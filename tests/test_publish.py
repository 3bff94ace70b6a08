"""Publishing is atomic: a load killed at any point leaves the published version as
it was and the next load completes; a reader in another process never fails and
never sees half a load; old versions are pruned."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from etl import warehouse
from etl.load import expand, load_files

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def snapshot(db: Path) -> tuple:
    con = duckdb.connect(os.path.realpath(db), read_only=True)
    try:
        return con.execute("""select (select count(*) from load_log), (select count(*) from registrations_daily),
                                     (select coalesce(sum(registrations), 0) from registrations_daily),
                                     (select count(*) from progress_weekly)""").fetchone()
    finally:
        con.close()


def region_files(demo_files: Path, *codes: str) -> list[Path]:
    return expand([next(demo_files.glob(f"{code}_*")) for code in codes])


def test_a_killed_load_leaves_the_published_version_intact(demo_files, tmp_path):
    base = tmp_path / "base"
    load_files(region_files(demo_files, "410200"), base / "warehouse.duckdb")
    before = snapshot(base / "warehouse.duckdb")
    more = [str(p) for p in region_files(demo_files, "410100", "410300", "411300")]
    env = os.environ | {"PYTHONPATH": str(ROOT)}

    def run(folder: Path) -> subprocess.Popen:
        shutil.copytree(base, folder, symlinks=True)  # every attempt starts from the same published version
        return subprocess.Popen([sys.executable, "-m", "etl", "load", *more, "--db", str(folder / "warehouse.duckdb"),
                                 "--quiet"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.monotonic()
    assert run(tmp_path / "complete").wait() == 1  # the demo plants bad rows in 洛阳's file
    duration = time.monotonic() - started
    after = snapshot(tmp_path / "complete" / "warehouse.duckdb")
    assert after[0] == before[0] + len(more) and after[1] > before[1]
    rng, interrupted = random.Random(11), 0
    for attempt in range(8):
        folder = tmp_path / f"attempt{attempt}"
        proc = run(folder)
        time.sleep(rng.uniform(0.05, duration))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        state = snapshot(folder / "warehouse.duckdb")
        assert state in (before, after), "a killed load left a version that is neither the old nor the new one"
        interrupted += killed and state == before
        result = load_files([Path(p) for p in more], folder / "warehouse.duckdb")  # the next load completes
        assert snapshot(folder / "warehouse.duckdb") == after
        assert not list(warehouse.versions_dir(folder / "warehouse.duckdb").glob("*.tmp*")), \
            "temporary files of killed loads were left behind"
        # (洛阳's password-protected copy is rejected again, without a new log row)
        assert {r.status for r in result.files} <= ({"duplicate", "rejected"} if state == after
                                                   else {"loaded", "partial", "rejected"})
    assert interrupted >= 4, "too few loads were caught mid-way to show anything"


READER = textwrap.dedent("""
    import sys, time, duckdb
    from pathlib import Path
    from queries.connection import connect, current_version
    db, seconds = Path(sys.argv[1]), float(sys.argv[2])
    seen, errors, end = [], 0, time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            con = connect(current_version(db))
            cur = con.cursor()
            logged, regs = cur.execute("select (select count(*) from load_log), "
                                       "(select count(*) from registrations_daily)").fetchone()
            rows = cur.execute("select count(*) from registrations_current").fetchone()[0]
            con.close()
            if rows != regs:
                raise AssertionError("half a load: " + str((rows, regs)))
            if not seen or seen[-1] != (logged, regs):
                seen.append((logged, regs))
        except Exception as e:
            errors += 1
            print("ERROR", type(e).__name__, e, file=sys.stderr)
    print(repr(seen))
    print("errors", errors)
""")


def test_a_reader_in_another_process_never_fails_during_loads(demo_files, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    load_files(region_files(demo_files, "410200"), db)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), "25"], cwd=ROOT,
                              env=os.environ | {"PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    for code in ("410100", "410300", "411300"):
        result = subprocess.run([sys.executable, "-m", "etl", "load", *map(str, region_files(demo_files, code)),
                                 "--db", str(db), "--quiet"], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode in (0, 1), result.stderr  # a reader never blocks a load
    out, err = reader.communicate(timeout=120)
    assert "errors 0" in out, err
    seen = eval(out.splitlines()[0])
    assert len(seen) >= 3, f"the reader should have seen the new versions one after another: {seen}"
    assert seen == sorted(seen)


def test_old_versions_are_pruned_but_the_recent_ones_kept(demo_files, tmp_path, monkeypatch):
    db = tmp_path / "warehouse.duckdb"
    monkeypatch.setattr(warehouse, "KEEP_SECONDS", 0)
    for code in ("410200", "410225", "410181", "410526", "411381", "410783"):
        load_files(region_files(demo_files, code)[:2], db)
    versions = sorted(warehouse.versions_dir(db).glob("v*.duckdb"))
    assert len(versions) == warehouse.KEEP_VERSIONS + 1
    assert Path(os.path.realpath(db)) == max(versions, key=lambda p: p.stat().st_mtime)


def test_a_reader_sees_a_new_load_without_reopening_the_old_file(demo_files, tmp_path):
    """The dashboard resolves the link on each run: a connection cached for the old version
    keeps answering from it, and the next run gets the new version."""
    from queries.connection import connect, current_version

    db = tmp_path / "warehouse.duckdb"
    load_files(region_files(demo_files, "410225"), db)
    old = current_version(db)
    con = connect(old)
    count_before = con.execute("select count(*) from load_log").fetchone()[0]
    load_files(region_files(demo_files, "410181"), db)  # succeeds while `con` is open
    new = current_version(db)
    assert new != old
    assert con.execute("select count(*) from load_log").fetchone()[0] == count_before
    con.close()
    con2 = connect(new)
    assert con2.execute("select count(*) from load_log").fetchone()[0] > count_before
    con2.close()


def test_versions_and_raw_files_are_readable_by_their_owner_only(demo_files, tmp_path):
    db = tmp_path / "warehouse.duckdb"
    load_files(region_files(demo_files, "410225")[:2], db)
    version = Path(os.path.realpath(db))
    assert version.stat().st_mode & 0o777 == 0o600
    assert warehouse.versions_dir(db).stat().st_mode & 0o777 == 0o700
    raw = [p for p in warehouse.raw_dir(db).rglob("*") if p.is_file()]
    assert raw and all(p.stat().st_mode & 0o777 == 0o600 for p in raw)
    assert warehouse.raw_dir(db).stat().st_mode & 0o777 == 0o700


def test_old_versions_are_pruned_by_size_too(tmp_path, monkeypatch):
    # Five older versions of 3 MB each under a 7 MB budget, all a minute old: the newest older one is
    # always kept, then as many as fit; a version written a moment ago is left for its readers.
    db = tmp_path / "warehouse.duckdb"
    folder = warehouse.versions_dir(db)
    folder.mkdir()
    now = time.time()
    older = []
    for i in range(5):
        path = folder / f"v{i}.duckdb"
        path.write_bytes(b"\0" * (3 << 20))
        os.utime(path, (now - 600 + i, now - 600 + i))
        older.append(path)
    current = folder / "v9.duckdb"
    current.write_bytes(b"\0" * (3 << 20))
    os.symlink(os.path.relpath(current, tmp_path), db)
    monkeypatch.setattr(warehouse, "VERSIONS_MAX_BYTES", 7 << 20)
    monkeypatch.setattr(warehouse, "KEEP_SECONDS", 3600)  # the count alone would keep three
    removed = warehouse.prune(db)
    assert sorted(removed) == older[:3]
    assert current.exists() and older[3].exists() and older[4].exists()
    fresh = folder / "v5.duckdb"  # just written: its readers may still be opening it
    fresh.write_bytes(b"\0" * (3 << 20))
    assert fresh not in warehouse.prune(db)


def test_a_link_is_not_archived(tmp_path):
    # keep_raw opens its source without following a link: a link to a secret is refused.
    secret = tmp_path / "id-hash.key"
    secret.write_bytes(b"secret")
    link = tmp_path / "报名进度.csv"
    link.symlink_to(secret)
    with pytest.raises(OSError):
        warehouse.keep_raw(tmp_path / "w.duckdb", "0" * 64, link)
    assert not list(warehouse.raw_dir(tmp_path / "w.duckdb").rglob("*.csv"))
