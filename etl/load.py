"""Load submissions into a new warehouse version and publish it.

The one entry point for the command line and (later) the upload page:
`load_files(paths, db)` reads, checks and stages every file, writes the ledger,
rebuilds the views and switches the dashboard to the new version at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import hashlib
import json
import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from domain.calendar import CalendarNotCovered
from domain.campaign import Campaign, default_campaign_path, load_campaign
from domain.regions import Units, load_units
from etl import tables as t
from etl import views, warehouse
from etl.limits import Budget, Limits, OverLimit, file_too_large
from etl.locate import SheetProblem, locate
from etl.personal import holds_personal_data, personal_names, raw_holds_personal_data, redact_problems
from etl.read import FileRejected, read_file
from etl.secret import keyed_hashes
from etl.validate import Checked, Problem, check, duplicate_messages, repeated_keys

LOADED, PARTIAL, REJECTED, DUPLICATE = "loaded", "partial", "rejected", "duplicate"
DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt"}
# A bug, not bad input: the file is rejected alone with this sentence, the ledger marks it
# loader_failed (a later load tries the same bytes again) and the command exits with EXIT_LOADER_FAILED.
LOADER_FAILED = "导入程序内部错误"
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_LOADER_FAILED = 0, 1, 2, 3


@dataclass
class FileReport:
    file: str
    sha256: str
    status: str = LOADED
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    changed: bool = False  # this load wrote something for the file (not a repeat of a file seen before)
    loader_failed: bool = False  # rejected because the loader failed on it (a bug), not for what it holds
    received_at: dt.datetime | None = None
    received_by: str = ""
    raw_kept: bool = False  # the bytes are in the raw archive (never when they hold personal data)
    retry: bool = False  # rejected for a reason outside the bytes (scope, a limit, the loader): tried again next time

    def as_json(self) -> dict:
        def problems(items: list[Problem]) -> list[dict]:
            return [{"sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value, "message": p.message}
                    for p in items]
        return {"file": self.file, "sha256": self.sha256, "status": self.status, "rows_read": self.rows_read,
                "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
                "errors": problems(self.errors), "warnings": problems(self.warnings), "tables": self.tables,
                "loader_failed": self.loader_failed, "raw_kept": self.raw_kept,
                "received_at": self.received_at.isoformat(timespec="seconds") if self.received_at else None,
                "received_by": self.received_by}


@dataclass
class LoadResult:
    files: list[FileReport]
    version: Path | None  # the version published, None if nothing changed
    interrupted: list[str] = field(default_factory=list)  # files an earlier, killed load was loading
    rebuilt_for_campaign: bool = False  # no file changed, but the campaign file did: views rebuilt

    @property
    def exit_code(self) -> int:
        if any(f.loader_failed for f in self.files):
            return EXIT_LOADER_FAILED
        return EXIT_OK if all(f.status in (LOADED, DUPLICATE) for f in self.files) else EXIT_REJECTED


class NotAFile(ValueError):
    """A path given to load is a link, a device, a pipe or missing: refused before anything is read."""


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the data files inside folders named (hidden files and others skipped).
    Inputs are regular files: a symbolic link (to a file or a folder), a device or a pipe named
    raises NotAFile; inside a folder such entries are skipped and links are not followed."""
    found: list[Path] = []
    for path in paths:
        kind = _kind(path)
        if kind == "dir":
            for folder, dirs, files in os.walk(path):  # os.walk does not follow links to folders
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    p = Path(folder) / name
                    if not name.startswith(".") and p.suffix.lower() in DATA_SUFFIXES and _kind(p) == "file":
                        found.append(p)
        elif kind == "file":
            found.append(path)
        else:
            raise NotAFile(f"“{_shown(path)}”{kind}，不是普通文件，不予导入：请给出文件本身")
    return found


def _kind(path: Path) -> str:
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return "不存在"
    if stat.S_ISLNK(mode):
        return "是符号链接（快捷方式）"
    if stat.S_ISDIR(mode):
        return "dir"
    if stat.S_ISREG(mode):
        return "file"
    return "是设备、管道或套接字"


def _shown(path: Path) -> str:
    """A path as text safe to print: control characters (a newline in a name) shown escaped."""
    return str(path).encode("unicode_escape").decode("ascii") if not str(path).isprintable() else str(path)


Progress = Callable[[str, str, int], None]  # (file name, phase, bytes finished so far)


Allowed = Callable[[str], bool]  # whether the uploader may report for a region code
Received = dt.datetime | Callable[[Path], dt.datetime]


def load_files(paths: list[Path], db: Path = warehouse.DEFAULT_DB, campaign: Campaign | None = None,
               progress: Progress | None = None, *, allowed: Allowed | None = None, received_by: str = "",
               received_at: Received | None = None, limits: Limits | None = None) -> LoadResult:
    """Load `paths` into a new version of `db` and publish it; `progress` hears of each phase.

    `allowed` (the upload page's scope): a file with a row for a region it refuses is rejected
    whole. `received_by` and `received_at` (a time, or one per file) go into the ledger; the time
    defaults to now. `limits` (default: the environment's, then the campaign's [limits]) bound what
    one file may cost; a file over one is rejected whole before anything of it is written. A file
    the loader fails on is rejected alone (loader_failed); the others load."""
    campaign = campaign or load_campaign(default_campaign_path())  # the newest, as the dashboard takes
    limits = limits or Limits.from_env(campaign.limits)
    units = load_units()
    fingerprint = campaign_fingerprint(campaign)
    with warehouse.exclusive(db, waiting=lambda: _tell(progress, "", "正在等待另一个导入完成……", 0)):
        work, interrupted = warehouse.start_version(db, [str(p) for p in paths])
        try:
            con = duckdb.connect(str(work))
            try:
                now = dt.datetime.now()
                reports = []
                for path in paths:
                    when = received_at(path) if callable(received_at) else received_at or now
                    reports.append(_load_one(con, path, db, units, campaign, progress,
                                             _Receipt(when, received_by, allowed), limits))
                campaign_changed = _meta(con, "campaign_fingerprint") not in (None, fingerprint)
                if not any(r.changed for r in reports) and not campaign_changed:
                    con.close()
                    warehouse.discard(work)
                    return LoadResult(reports, None, interrupted)
                built_for = views.build_fingerprint(units, fingerprint)
                changed = {table for r in reports if r.changed for table in r.tables}
                if changed <= views.LIVE_TABLES and _meta(con, "build_fingerprint") == built_for:
                    views.check(con)  # only applicant lists (or the ledger) changed: every built table holds
                else:
                    _tell(progress, "", "更新汇总视图和截止风险", 0)
                    views.build(con, units, campaign)
                con.execute("insert or replace into meta values ('campaign_fingerprint', ?), ('build_fingerprint', ?)",
                            [fingerprint, built_for])
                con.execute("checkpoint")
            finally:
                con.close()
            return LoadResult(reports, warehouse.publish(db, work), interrupted,
                              rebuilt_for_campaign=campaign_changed and not any(r.changed for r in reports))
        except BaseException:
            warehouse.discard(work)
            raise


def campaign_fingerprint(campaign: Campaign) -> str:
    """A digest of every setting of the campaign (dates, rules, calendar): a warehouse built under
    other settings is rebuilt by the next load even when no file changed."""
    def plain(value: object) -> object:
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (set, frozenset)):
            return sorted(str(plain(v)) for v in value)
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if hasattr(value, "__dict__") and not isinstance(value, type):
            return plain(vars(value))
        return str(value)
    return hashlib.sha256(json.dumps(plain(campaign), ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("select value from meta where key = ?", [key]).fetchall()  # fetchall: see _load_one
    return rows[0][0] if rows else None


@dataclass(frozen=True)
class _Receipt:
    """When and from whom a file arrives, and which regions it may hold."""

    at: dt.datetime
    by: str
    allowed: Allowed | None


def _tell(progress: Progress | None, name: str, phase: str, done: int) -> None:
    if progress is not None:
        progress(name, phase, done)


def _load_one(con: duckdb.DuckDBPyConnection, path: Path, db: Path, units: Units, campaign: Campaign,
              progress: Progress | None, receipt: _Receipt, limits: Limits) -> FileReport:
    _tell(progress, path.name, "读取", 0)
    budget = limits.budget()
    data = _read_regular(path, limits)
    if isinstance(data, OverLimit):  # too large to read: rejected on its size alone, nothing written
        report = FileReport(str(path), "", status=REJECTED, errors=[Problem("", None, "", "", str(data))],
                            received_at=receipt.at, received_by=receipt.by, retry=True)
        report.errors = redact_problems(report.errors)
        return report
    size = len(data)
    report = FileReport(str(path), hashlib.sha256(data).hexdigest(), received_at=receipt.at, received_by=receipt.by)
    # fetchall: an unfinished result would hold the connection
    seen = con.execute("select status, load_seq, coalesce(retry, false) or coalesce(loader_failed, false) "
                       "from load_log_all where sha256 = ? order by load_seq desc", [report.sha256]).fetchall()
    if seen and seen[0][0] in (LOADED, PARTIAL):
        report.status = DUPLICATE
        return report
    if seen and not seen[0][2]:  # the same bytes rejected before for what they hold: same answer, nothing written
        report.status = REJECTED
        report.errors = [Problem(*row) for row in con.execute(
            'select sheet, "row", "column", value, message from rejected_rows_all where load_seq = ?',
            [seen[0][1]]).fetchall()]
        return report
    seq = con.execute("select coalesce(max(load_seq), 0) + 1 from load_log_all").fetchone()[0]
    con.execute("begin transaction")
    # Kept in the raw archive only if the file holds no personal data, judged from what it holds
    # (any column of IDs, phones or names, on any sheet), not from the table it was recognised as.
    fmt, keeps_raw, personal, names = "", False, True, set()
    try:
        fmt, sheets = read_file(path, data, limits, budget)
        data = None  # a large file is not held in memory twice: its raw copy is taken from disk below
        personal = holds_personal_data(sheets)
        budget.check()
        staging = _Staging(con, seq, path, fmt, units, campaign, report, progress, receipt.allowed, budget)
        keeps_raw = _stage(staging, sheets) and not personal
        if personal and (report.errors or report.warnings):  # the names to mask in what is said of it
            names = personal_names(sheets)
        del sheets
    except FileRejected as e:
        _reject_whole(con, report, str(e))
        report.retry = getattr(e, "retry", False)
        if data is not None:  # not read as sheets: its bytes are looked through instead
            personal = raw_holds_personal_data(data)
        keeps_raw = not personal
    except Exception as e:  # a bug, not bad input: say so, keep the file out, go on with the others
        # where it happened, but not the exception's text: it may quote a cell of an applicant list
        print(f"导入 {_shown(Path(path.name))} 时程序出错：{type(e).__name__}\n"
              + "".join(traceback.format_tb(e.__traceback__)), file=sys.stderr)
        keeps_raw = False
        _reject_whole(con, report, f"{LOADER_FAILED}：此文件未导入，其余文件不受影响；请把此文件交技术人员处理"
                                   "（技术信息已写入日志）")
        report.loader_failed = report.retry = True
    report.errors = redact_problems(report.errors, names)
    report.warnings = redact_problems(report.warnings, names)
    if report.status != REJECTED:
        if report.rows_read == 0 and not report.errors:
            report.errors = [Problem("", None, "", "", "文件中的报表只有表头，没有数据行")]
        report.status = LOADED if not report.errors else PARTIAL if report.rows_loaded else REJECTED
    if keeps_raw:
        warehouse.keep_raw(db, report.sha256, path)
    report.raw_kept = keeps_raw
    _ledger(con, seq, report, fmt, keeps_raw)
    con.execute("commit")
    report.changed = True
    _tell(progress, path.name, "完成", size)
    return report


def _read_regular(path: Path, limits: Limits) -> bytes | OverLimit:
    """The bytes of a regular file, opened without following a link (checked again here: the
    path may have been swapped for a link since it was listed); a file over the size limit is
    not read (its reason is returned instead)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError as e:
        raise NotAFile(f"“{_shown(path)}”无法打开（{'是符号链接' if e.errno == errno.ELOOP else e.strerror}），"
                       "不予导入") from None
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise NotAFile(f"“{_shown(path)}”不是普通文件，不予导入")
        size = os.fstat(f.fileno()).st_size
        if size > limits.max_file_bytes:
            return file_too_large(size, limits)
        return f.read(limits.max_file_bytes + 1)


def _reject_whole(con: duckdb.DuckDBPyConnection, report: FileReport, message: str) -> None:
    """Undo what the file staged and record it as rejected as a whole, with the reason."""
    con.execute("rollback")
    con.execute("begin transaction")
    report.status = REJECTED
    report.errors = [Problem("", None, "", "", message)]
    report.rows_read = report.rows_loaded = report.rows_rejected = 0


@dataclass
class _Staging:
    """One file on its way into the warehouse: where it goes, what it is checked against, and
    where its report and progress go."""

    con: duckdb.DuckDBPyConnection
    seq: int  # its load_seq in the ledger
    path: Path
    fmt: str  # xlsx, xls or csv
    units: Units
    campaign: Campaign
    report: FileReport
    progress: Progress | None
    allowed: Allowed | None = None
    budget: Budget | None = None

    def tell(self, phase: str) -> None:
        _tell(self.progress, self.path.name, phase, 0)


def _stage(staging: _Staging, sheets: list) -> bool:
    """Check every sheet and insert what loads; True if the raw file may be kept. ID numbers are
    hashed in a second thread while the other columns are checked."""
    with ThreadPoolExecutor(1, thread_name_prefix="id-hash") as hashing:
        return _stage_sheets(staging, sheets, lambda ids: hashing.submit(keyed_hashes, ids))


def _stage_sheets(staging: _Staging, sheets: list, hash_ids: Callable[[pa.Array], Future]) -> bool:
    report = staging.report
    checked_sheets, recognised = [], 0
    for sheet in sheets:
        try:
            located = locate(sheet, staging.path.stem if staging.fmt == "csv" else "")
        except SheetProblem as e:
            report.errors.append(Problem(sheet.name, e.row, e.column, "", str(e)))
            recognised += 1
            continue
        if located is None:
            continue
        recognised += 1
        staging.tell(f"校验“{sheet.name}” {located.data.num_rows} 行")
        checked_sheets.append(check(located, staging.units, staging.campaign, hash_ids))
    if recognised == 0:
        raise FileRejected("文件中没有可识别的报表：请使用规定的表头（如 地区、日期、资格种类、报名人数）")
    if staging.budget is not None:
        staging.budget.check()
    _across_sheets(checked_sheets)
    if staging.allowed is not None:
        _refuse_out_of_scope(checked_sheets, staging.units, staging.allowed)
    for checked in checked_sheets:
        if checked.located.spec in (t.SITES, t.HOSPITALS):
            _working_days(checked, staging.campaign)
        staging.tell(f"写入“{checked.located.sheet}”")
        _insert(staging.con, staging.seq, checked)
        report.tables.append(checked.located.spec.name)
        report.rows_read += checked.rows_read
        report.rows_loaded += checked.rows_loaded
        report.rows_rejected += checked.rows_rejected
        report.errors.extend(checked.errors)
        report.warnings.extend(checked.warnings)
    if report.errors and report.rows_read == 0:
        report.status = REJECTED
    return all(c.located.spec.keeps_raw for c in checked_sheets)


def _across_sheets(checked_sheets: list[Checked]) -> None:
    """The same key on two sheets of one file (a table continued on a second sheet) is
    treated like the same key twice on one sheet."""
    by_table: dict[str, list[Checked]] = {}
    for checked in checked_sheets:
        by_table.setdefault(checked.located.spec.name, []).append(checked)
    for group in by_table.values():
        spec = group[0].located.spec
        if len(group) < 2 or not all(k in c.located.positions for c in group for k in spec.key):
            continue
        names = [k for k in group[0].columns if all(k in c.columns for c in group)]
        combined = {k: pa.concat_arrays([c.columns[k] for c in group]) for k in names}
        owner = [(c, i) for c in group for i in range(c.rows_loaded)]
        lines = [int(c.lines[i]) for c, i in owner]
        reject: dict[int, set[int]] = {id(c): set() for c in group}
        for rows in repeated_keys([combined[k] for k in spec.key], np.ones(len(owner), dtype=bool)):
            if len({id(owner[r][0]) for r in rows}) < 2:
                continue  # within one sheet: already judged
            sheets = [owner[r][0].located.sheet for r in rows]
            for r, message in duplicate_messages(group[0].located, combined, rows, [lines[x] for x in rows],
                                                 sheets):
                checked, i = owner[r]
                checked.errors.append(Problem(checked.located.sheet, lines[r],
                                              checked.located.header_of(spec.key[-1]),
                                              str(combined[spec.key[-1]][r].as_py()), message))
                reject[id(checked)].add(i)
        for checked in group:
            if reject[id(checked)]:
                keep = np.ones(checked.rows_loaded, dtype=bool)
                keep[sorted(reject[id(checked)])] = False
                checked.keep(keep)


class OutOfScope(FileRejected):
    """The file holds a row for a region the uploader may not report for (another uploader may)."""

    retry = True


def _refuse_out_of_scope(checked_sheets: list[Checked], units: Units, allowed: Allowed) -> None:
    """A file with any row for a region the uploader may not report for is refused whole."""
    for checked in checked_sheets:
        located = checked.located
        for column in located.spec.columns:
            if column.kind != t.REGION or column.name not in checked.columns:
                continue
            codes = checked.columns[column.name].to_pylist()
            for i, code in enumerate(codes):
                if code is not None and not allowed(code):
                    name = units.get(code).name
                    raise OutOfScope(
                        f"工作表“{located.sheet}”第 {int(checked.lines[i])} 行是“{name}”的数据，"
                        f"不在您的报送范围内，整个文件未导入：请只报送本单位负责地区的数据，"
                        f"{name}的数据由其自己报送")


def _working_days(checked: Checked, campaign: Campaign) -> None:
    """Each site's working days from the statutory calendar; a year it does not know rejects the row."""
    days, keep = [], np.ones(checked.rows_loaded, dtype=bool)
    starts, ends = checked.columns["start_date"].to_pylist(), checked.columns["end_date"].to_pylist()
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        try:
            days.append(campaign.calendar.working_days_between(start, end))
        except CalendarNotCovered as e:
            keep[i] = False
            located = checked.located
            checked.errors.append(Problem(located.sheet, int(checked.lines[i]), located.header_of("start_date"),
                                          start.isoformat(), str(e)))
    checked.keep(keep)
    checked.columns["working_days"] = pa.array(days, pa.int32())


def _insert(con: duckdb.DuckDBPyConnection, seq: int, checked: Checked) -> None:
    spec = checked.located.spec
    n = checked.rows_loaded
    if not n:
        return
    columns = {"load_seq": pa.array(np.full(n, seq, dtype=np.int32)),
               "sheet": pa.repeat(pa.scalar(checked.located.sheet, pa.string()), n),  # not a million str objects
               "row": pa.array(checked.lines, pa.int32()), **checked.columns}
    if "id_hash" in columns:  # the ID number is replaced by its keyed hash; the clear value is not kept
        if checked.id_hashes is None:
            columns["id_hash"] = keyed_hashes(columns["id_hash"])
        else:  # hashed for every data row while checking: keep those of the rows that load
            hashes = checked.id_hashes.result()
            columns["id_hash"] = hashes if len(hashes) == n else hashes.take(pa.array(checked.positions))
    con.register("staged", pa.table(columns))
    try:
        con.execute(f"insert into {spec.name}_hist by name select * from staged")
    finally:
        con.unregister("staged")


def _ledger(con: duckdb.DuckDBPyConnection, seq: int, report: FileReport, fmt: str, keeps_raw: bool) -> None:
    message = report.errors[0].message if report.status == REJECTED and report.errors else None
    con.execute("insert into load_log_all (load_seq, file, sha256, received_at, status, rows_read, rows_loaded, "
                "rows_rejected, format, tables, raw_kept, message, received_by, loader_failed, retry) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, report.file, report.sha256, report.received_at or dt.datetime.now(), report.status,
                 report.rows_read, report.rows_loaded, report.rows_rejected, fmt, ",".join(report.tables), keeps_raw,
                 message, report.received_by, report.loader_failed, report.retry])
    for table, items in (("rejected_rows_all", report.errors), ("load_warnings", report.warnings)):
        if items:
            con.register("problems", pa.table({
                "load_seq": [seq] * len(items), "file": [report.file] * len(items),
                "sheet": [p.sheet for p in items], "row": [p.row for p in items],
                "column": [p.column for p in items], "value": [p.value for p in items],
                "message": [p.message for p in items]}))
            con.execute(f"insert into {table} by name select * from problems")
            con.unregister("problems")
