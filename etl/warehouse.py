"""The warehouse on disk: versioned DuckDB files behind one published path.

`data/warehouse.duckdb` (or --db FILE) is a symbolic link to the current version
in `<FILE>.versions/`. A load copies the current version to a temporary file,
writes into the copy, checks it, and then swaps the link with one atomic
rename. Readers resolve the link on every script run, so they see the old
version or the new one, never half a load, and never hold a lock the loader
needs. A killed load leaves only a temporary file, removed by the next load.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from etl import tables as t

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "warehouse.duckdb"
WAREHOUSE_ENV = "JSZG_WAREHOUSE"
KEEP_VERSIONS = 3  # besides the current one, for readers still on an older version
KEEP_SECONDS = 600  # an older version is removed only when no reader can still be starting on it
# Older versions may not take more than this many bytes together (JSZG_VERSIONS_MAX_MB): repeated
# loads of a large warehouse would otherwise pile up gigabytes within KEEP_SECONDS. Beyond it, any
# older version but the newest is removed once a reader that resolved the link has long opened it.
VERSIONS_MAX_BYTES = int(float(os.environ.get("JSZG_VERSIONS_MAX_MB", "512")) * 1024 * 1024)
GRACE_SECONDS = 30
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600  # the warehouse and the raw archive are readable by their owner only

# An ID number is stored as its keyed hash: 64 hex characters of random data, which compress to about
# half at a cost (a million of them: 0.35 s of CPU in a 0.7 s insert) and are read only to find one
# person registered twice. Stored as they are (a million: 32 MB more).
_SQL_TYPES = {t.REGION: "VARCHAR", t.DATE: "DATE", t.COUNT: "INTEGER", t.OPT_COUNT: "INTEGER",
              t.KIND: "VARCHAR", t.STATUS: "VARCHAR", t.TEXT: "VARCHAR",
              t.ID_NUMBER: "VARCHAR USING COMPRESSION uncompressed"}

LEDGER_DDL = """
create table if not exists load_log_all (
    load_seq integer primary key, file varchar, sha256 varchar, received_at timestamp, status varchar,
    rows_read integer, rows_loaded integer, rows_rejected integer, format varchar, tables varchar,
    raw_kept boolean, message varchar);
create table if not exists rejected_rows_all (
    load_seq integer, file varchar, sheet varchar, "row" integer, "column" varchar, value varchar,
    message varchar);
create table if not exists load_warnings (
    load_seq integer, file varchar, sheet varchar, "row" integer, "column" varchar, value varchar,
    message varchar);
create table if not exists meta (key varchar primary key, value varchar);
alter table load_log_all add column if not exists received_by varchar;
alter table load_log_all add column if not exists loader_failed boolean default false;
alter table load_log_all add column if not exists retry boolean default false;
"""


def history_ddl(spec: t.TableSpec) -> str:
    columns = ", ".join(f"{c.name} {_SQL_TYPES[c.kind]}" for c in spec.columns if c.kind != t.PERSONAL)
    if spec in (t.SITES, t.HOSPITALS):
        columns += ", working_days integer"  # from the statutory calendar, at load time
    return (f"create table if not exists {spec.name}_hist (load_seq integer, sheet varchar, \"row\" integer, "
            f"{columns});")


def versions_dir(db: Path) -> Path:
    return db.parent / f"{db.name}.versions"


def raw_dir(db: Path) -> Path:
    return db.parent / f"{db.name}.raw"


def _private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_DIR)


def published_path() -> Path:
    """The published warehouse both sides use: JSZG_WAREHOUSE, or data/warehouse.duckdb. The loader
    writes where the dashboard reads unless told otherwise (--db)."""
    configured = os.environ.get(WAREHOUSE_ENV)
    return Path(configured) if configured else DEFAULT_DB


def current_version(db: Path) -> Path | None:
    """The version file the published path points at, or None before the first load."""
    if db.is_symlink() or db.exists():
        return Path(os.path.realpath(db))
    return None


@contextlib.contextmanager
def exclusive(db: Path, waiting: Callable[[], None] | None = None) -> Iterator[None]:
    """One load at a time per warehouse; a second waits for the first (and `waiting` is told so)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(db.parent / f"{db.name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting()
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def loading_marker(db: Path) -> Path:
    """Names the files of the load under way; left behind only by a load that was killed."""
    return versions_dir(db) / "loading.json"


def start_version(db: Path, files: list[str] | None = None) -> tuple[Path, list[str]]:
    """A temporary copy of the current version (or an empty file) to write the next version into,
    and the files of an earlier load that was interrupted before it published (if any)."""
    folder = versions_dir(db)
    _private_dir(folder)
    for stale in folder.glob("*.tmp*"):  # left by a load that was killed; we hold the lock
        stale.unlink()
    marker = loading_marker(db)
    interrupted: list[str] = []
    if marker.exists():
        try:
            interrupted = [str(x) for x in json.loads(marker.read_text(encoding="utf-8"))]
        except (ValueError, UnicodeDecodeError):
            interrupted = ["（无法读出文件名）"]
    fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with open(fd, "w", encoding="utf-8") as f:
        json.dump(files or [], f, ensure_ascii=False)
    current = current_version(db)
    work = folder / f"v{time.time_ns()}.duckdb.tmp"
    if current is not None and current.exists():
        shutil.copyfile(current, work)
    con = duckdb.connect(str(work))
    try:
        con.execute(LEDGER_DDL)
        for spec in t.TABLES:
            con.execute(history_ddl(spec))
    finally:
        con.close()
    os.chmod(work, PRIVATE_FILE)
    return work, interrupted


def publish(db: Path, work: Path) -> Path:
    """Make `work` the current version with one atomic rename of the published link."""
    final = work.with_name(work.name.removesuffix(".tmp"))
    with open(work, "rb") as f:
        os.fsync(f.fileno())
    os.replace(work, final)
    link = db.parent / f".{db.name}.link.tmp"
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    os.symlink(os.path.relpath(final, db.parent), link)
    if db.exists() and not db.is_symlink():  # a plain database file from before versioning: keep it aside
        os.replace(db, versions_dir(db) / f"v0-{db.name}")
    os.replace(link, db)
    _fsync_dir(db.parent)
    _finished(work)
    prune(db)
    return final


def discard(work: Path) -> None:
    """Drop an unpublished version: the load ended without publishing (nothing changed, or it failed
    and said so), which is not an interruption."""
    for path in (work, work.with_name(work.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    _finished(work)


def _finished(work: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (work.parent / "loading.json").unlink()


def prune(db: Path) -> list[Path]:
    """Remove older versions: beyond the newest KEEP_VERSIONS once KEEP_SECONDS old (no reader can
    still be starting on them), and beyond VERSIONS_MAX_BYTES together (all but the newest older
    one) once GRACE_SECONDS old. The current version is never removed."""
    current = current_version(db)
    older = sorted((p for p in versions_dir(db).glob("v*.duckdb") if p != current),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    removed, total, now = [], 0, time.time()
    for i, old in enumerate(older):
        stat = old.stat()
        total += stat.st_size
        age = now - stat.st_mtime
        too_many = i >= KEEP_VERSIONS and age > KEEP_SECONDS
        too_big = i >= 1 and total > VERSIONS_MAX_BYTES and age > GRACE_SECONDS
        if too_many or too_big:
            old.unlink()
            removed.append(old)
            total -= stat.st_size
    return removed


def keep_raw(db: Path, sha256: str, source: Path) -> Path:
    """The file byte-for-byte, named by its SHA-256 (written before the version that cites it),
    readable by the owner only. The copy is hashed as it is written: a file changed on disk since
    it was read is refused, and so is a link (it is opened without following one)."""
    path = raw_dir(db) / sha256[:2] / f"{sha256}{source.suffix.lower()}"
    if not path.exists():
        _private_dir(raw_dir(db))
        _private_dir(path.parent)
        tmp = path.with_name(path.name + ".tmp")
        digest = hashlib.sha256()
        fd = os.open(source, os.O_RDONLY | os.O_NOFOLLOW)
        with open(fd, "rb") as src, open(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE),
                                         "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
        if digest.hexdigest() != sha256:
            tmp.unlink()
            raise RuntimeError(f"文件 {source.name} 在导入过程中被修改，请重新导入")
        os.replace(tmp, path)
    return path


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
