"""Load submissions into a new warehouse version and publish it.

The one entry point for the command line and (later) the upload page:
`load_files(paths, db)` reads, checks and stages every file, writes the ledger,
rebuilds the views and switches the dashboard to the new version at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas  # noqa: F401 — DuckDB imports it on the first register(); here it is paid at start-up
import pyarrow as pa

from domain.calendar import CalendarNotCovered
from domain.campaign import Campaign, default_campaign_path, load_campaign
from domain.regions import Units, load_units
from etl import tables as t
from etl import views, warehouse
from etl.locate import SheetProblem, locate
from etl.read import FileRejected, read_file
from etl.secret import keyed_hashes
from etl.validate import Checked, Problem, check, duplicate_messages, repeated_keys

LOADED, PARTIAL, REJECTED, DUPLICATE = "loaded", "partial", "rejected", "duplicate"
DATA_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".csv", ".txt"}
# A bug, not bad input. The ledger keeps only this sentence (load_log_all has no field for it yet),
# so it is how a later load knows to try the same bytes again rather than repeat the rejection.
LOADER_FAILED = "导入程序内部错误"


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

    def as_json(self) -> dict:
        def problems(items: list[Problem]) -> list[dict]:
            return [{"sheet": p.sheet, "row": p.row, "column": p.column, "value": p.value, "message": p.message}
                    for p in items]
        return {"file": self.file, "sha256": self.sha256, "status": self.status, "rows_read": self.rows_read,
                "rows_loaded": self.rows_loaded, "rows_rejected": self.rows_rejected,
                "errors": problems(self.errors), "warnings": problems(self.warnings), "tables": self.tables}


@dataclass
class LoadResult:
    files: list[FileReport]
    version: Path | None  # the version published, None if nothing changed

    @property
    def exit_code(self) -> int:
        return 0 if all(f.status in (LOADED, DUPLICATE) for f in self.files) else 1


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files named, and the data files inside folders named (hidden files and others skipped)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        else:
            found.append(path)
    return found


Progress = Callable[[str, str, int], None]  # (file name, phase, bytes finished so far)


def load_files(paths: list[Path], db: Path = warehouse.DEFAULT_DB, campaign: Campaign | None = None,
               progress: Progress | None = None) -> LoadResult:
    """Load `paths` into a new version of `db` and publish it; `progress` hears of each phase."""
    campaign = campaign or load_campaign(default_campaign_path())  # the newest, as the dashboard takes
    units = load_units()
    with warehouse.exclusive(db):
        work = warehouse.start_version(db)
        try:
            con = duckdb.connect(str(work))
            try:
                reports = [_load_one(con, path, db, units, campaign, progress) for path in paths]
                if not any(r.changed for r in reports):
                    con.close()
                    warehouse.discard(work)
                    return LoadResult(reports, None)
                _tell(progress, "", "更新汇总视图和截止风险", 0)
                views.build(con, units, campaign)
                con.execute("checkpoint")
            finally:
                con.close()
            return LoadResult(reports, warehouse.publish(db, work))
        except BaseException:
            warehouse.discard(work)
            raise


def _tell(progress: Progress | None, name: str, phase: str, done: int) -> None:
    if progress is not None:
        progress(name, phase, done)


def _load_one(con: duckdb.DuckDBPyConnection, path: Path, db: Path, units: Units, campaign: Campaign,
              progress: Progress | None) -> FileReport:
    _tell(progress, path.name, "读取", 0)
    data = path.read_bytes()
    size = len(data)
    report = FileReport(str(path), hashlib.sha256(data).hexdigest())
    # fetchall: an unfinished result would hold the connection
    seen = con.execute("select status, load_seq, message from load_log_all where sha256 = ? order by load_seq desc",
                       [report.sha256]).fetchall()
    if seen and seen[0][0] in (LOADED, PARTIAL):
        report.status = DUPLICATE
        return report
    if seen and not _loader_failed(seen[0][2]):  # the same bytes rejected before: same answer, nothing written
        report.status = REJECTED
        report.errors = [Problem(*row) for row in con.execute(
            'select sheet, "row", "column", value, message from rejected_rows_all where load_seq = ?',
            [seen[0][1]]).fetchall()]
        return report
    seq = con.execute("select coalesce(max(load_seq), 0) + 1 from load_log_all").fetchone()[0]
    con.execute("begin transaction")
    try:
        fmt, sheets = read_file(path, data)
        del data  # a large file is not held in memory twice: its raw copy is taken from disk below
        keeps_raw = _stage(_Staging(con, seq, path, fmt, units, campaign, report, progress), sheets)
        del sheets
    except FileRejected as e:
        fmt, keeps_raw = "", True
        _reject_whole(con, report, str(e))
    except Exception as e:  # a bug, not bad input: say so, keep the file out, go on with the others
        # where it happened, but not the exception's text: it may quote a cell of an applicant list
        print(f"导入 {path.name} 时程序出错：{type(e).__name__}\n" + "".join(traceback.format_tb(e.__traceback__)),
              file=sys.stderr)
        fmt, keeps_raw = "", True
        _reject_whole(con, report, f"{LOADER_FAILED}（{type(e).__name__}），请把此文件交技术人员处理")
        report.loader_failed = True
    if report.status != REJECTED:
        if report.rows_read == 0 and not report.errors:
            report.errors = [Problem("", None, "", "", "文件中的报表只有表头，没有数据行")]
        report.status = LOADED if not report.errors else PARTIAL if report.rows_loaded else REJECTED
    if keeps_raw:
        warehouse.keep_raw(db, report.sha256, path)
    _ledger(con, seq, report, fmt, keeps_raw)
    con.execute("commit")
    report.changed = True
    _tell(progress, path.name, "完成", size)
    return report


def _loader_failed(message: str | None) -> bool:
    """Whether a rejection in the ledger was the loader's failure (see LOADER_FAILED)."""
    return (message or "").startswith(LOADER_FAILED)


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
    _across_sheets(checked_sheets)
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
               "sheet": pa.array([checked.located.sheet] * n, pa.string()),
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
    con.execute("insert into load_log_all values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, report.file, report.sha256, dt.datetime.now(), report.status, report.rows_read,
                 report.rows_loaded, report.rows_rejected, fmt, ",".join(report.tables), keeps_raw, message])
    for table, items in (("rejected_rows_all", report.errors), ("load_warnings", report.warnings)):
        if items:
            con.register("problems", pa.table({
                "load_seq": [seq] * len(items), "file": [report.file] * len(items),
                "sheet": [p.sheet for p in items], "row": [p.row for p in items],
                "column": [p.column for p in items], "value": [p.value for p in items],
                "message": [p.message for p in items]}))
            con.execute(f"insert into {table} by name select * from problems")
            con.unregister("problems")
