"""数据上报: a coordinator (for their own region) or an administrator (for any) drops one or more
.xlsx/.xls/.csv files; the command line's loader checks and loads them in one publish, refusing a
file with any row outside the uploader's scope; the page says per file what became of it
(已导入 / 部分导入 / 拒收 / 已收到过), every problem with sheet, Excel row, column, value and what to
do, and gives its receipt (回执). Every page reads the new version on its next run (queries are
cached per version), so the page reruns once the load is published. Every upload is audited."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import pandas as pd
import streamlit as st

from access import signin
from domain.regions import load_units
from etl import warehouse
from etl.load import DUPLICATE, LOADED, PARTIAL, FileReport, load_files
from etl.receipt import receipt_bytes, receipt_name
from etl.template import write_template
from pages.frame import audited_download, context, table
from queries import who

UPLOADERS = ("coordinator", "admin")
RESULTS = "upload-results"  # session state: the last submission's results, shown until the next one
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What the page calls a file's result, and what it tells the uploader to do about it.
RESULT = {"loaded": "upload.status.loaded", "partial": "upload.status.partial", "rejected": "upload.status.rejected",
          "duplicate": "upload.status.duplicate"}
TODO = {"loaded": "upload.todo.loaded", "partial": "upload.todo.partial", "rejected": "upload.todo.rejected",
        "duplicate": "upload.todo.duplicate", "loader_failed": "upload.todo.loader_failed"}
KIND = {"error": "upload.kind.error", "warning": "upload.kind.warning"}

ctx = context()
me = who.current()
if me is None or me.role not in UPLOADERS:
    st.error(ctx.t("upload.only"))
    st.stop()
scope = me.scope(who.PROVINCE)


def may_report(region: str) -> bool:
    """Whether the signed-in coordinator reports for `region`: their own, or a unit under it."""
    units = load_units()
    code: str | None = region
    while code:
        if code == scope:
            return True
        code = units.get(code).parent_code or None
    return False


def saved(files: list, folder: Path) -> list[Path]:
    """The uploads under their own names, each in a folder of its own (two may share a name)."""
    paths = []
    for i, upload in enumerate(files):
        name = Path(upload.name.replace("\\", "/")).name.strip() or f"file-{i}"
        path = folder / str(i) / name
        path.parent.mkdir(mode=0o700)
        path.write_bytes(upload.getvalue())
        paths.append(path)
    return paths


def progress_bar(paths: list[Path]):
    """The loader's progress callback drawn as a bar: each file's share by its size; within a file each
    phase after reading (check a sheet, write it) takes half of what is left of its share."""
    sizes = {p.name: max(p.stat().st_size, 1) for p in paths}
    total = sum(sizes.values())
    bar = st.progress(0.0, text=ctx.t("upload.progress_all", phase="…"))
    state = {"done": 0, "file": "", "ticks": 0}

    def tell(name: str, phase: str, done: int) -> None:
        if name and done:  # the file is finished
            state["done"] += sizes.get(name, 0)
            state.update(file="", ticks=0)
        elif name and name != state["file"]:  # a file starts
            state.update(file=name, ticks=0)
        elif name:
            state["ticks"] += 1
        current = sizes.get(state["file"], 0) * (1 - 0.5 ** state["ticks"]) if state["file"] else 0
        fraction = min(0.99, (state["done"] + current) / total)
        text = ctx.t("upload.progress", file=name, phase=phase) if name else ctx.t("upload.progress_all", phase=phase)
        bar.progress(fraction, text=text)
    return bar, tell


def submit(files: list) -> dict:
    """Load the uploads once, with the user's scope; audit each file; the results to show."""
    folder = Path(tempfile.mkdtemp(prefix="jszg-upload-"))  # private (0700), removed once loaded
    when = dt.datetime.now().replace(microsecond=0)
    store, address = signin.store(), signin.client_address()
    try:
        paths = saved(files, folder)
        bar, tell = progress_bar(paths)
        result = load_files(paths, warehouse.published_path(), progress=tell,
                            allowed=None if me.is_admin else may_report, received_by=me.name, received_at=when)
        bar.empty()
    except Exception:  # the load did not publish: nothing changed; the traceback goes to the server's log
        traceback.print_exc(file=sys.stderr)
        store.audit("upload", "failed", me.name, address, scope, "、".join(f.name for f in files))
        return {"when": when, "failed": True, "files": []}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for report in result.files:
        store.audit("upload", report.status, me.name, address, scope,
                    f"{Path(report.file).name} · sha256 {report.sha256} · {report.rows_loaded}/{report.rows_read}")
    return {"when": when, "failed": False, "published": result.version is not None,
            "files": [outcome(report, when) for report in result.files]}


def outcome(report: FileReport, when: dt.datetime) -> dict:
    """What the page shows of one file (kept in the session until the next submission)."""
    problems = [(kind, p) for kind, items in (("error", report.errors), ("warning", report.warnings)) for p in items]
    return {"name": Path(report.file).name, "status": report.status, "loader_failed": report.loader_failed,
            "read": report.rows_read, "loaded": report.rows_loaded, "rejected": report.rows_rejected,
            "warnings": len(report.warnings), "receipt_name": receipt_name(report),
            "receipt": receipt_bytes(report, report.received_at or when, me.name),
            "problems": [(kind, p.sheet, p.row, p.column, p.value, p.message) for kind, p in problems]}


def plain(text: str) -> str:
    """A file's name or a loader's message shown as typed: no Markdown, no LaTeX, no HTML."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", text)


def fix(kind: str, row: int | None) -> str:
    if kind == "warning":
        return ctx.t("upload.fix.warning")
    return ctx.t("upload.fix.row") if row is not None else ctx.t("upload.fix.file")


def problems_frame(problems: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(problems, columns=["kind", "sheet", "row", "column", "value", "message"])
    return pd.DataFrame({
        ctx.t("col.kind"): frame["kind"].map(lambda k: ctx.t(KIND[k])),
        ctx.t("col.sheet"): frame["sheet"], ctx.t("col.excel_row"): frame["row"].astype("Int64"),
        ctx.t("col.column"): frame["column"], ctx.t("col.value"): frame["value"],
        ctx.t("col.message"): frame["message"],
        ctx.t("col.fix"): [fix(k, None if pd.isna(r) else r) for k, r in zip(frame["kind"], frame["row"], strict=True)],
    })


def show(results: dict) -> None:
    if results["failed"]:
        st.error(ctx.t("upload.failed"))
        return
    (st.success if results["published"] else st.info)(
        ctx.t("upload.done") if results["published"] else ctx.t("upload.unchanged"))
    st.subheader(ctx.t("upload.results", when=f"{results['when']:%Y-%m-%d %H:%M}", by=me.name), anchor=False)
    files = results["files"]
    counts = ("col.rows_read", "col.rows_loaded", "col.rows_rejected", "col.warnings")
    st.dataframe(pd.DataFrame({
        ctx.t("col.file"): [f["name"] for f in files],
        ctx.t("col.result"): [ctx.t(RESULT[f["status"]]) for f in files],
        ctx.t("col.rows_read"): [f["read"] for f in files], ctx.t("col.rows_loaded"): [f["loaded"] for f in files],
        ctx.t("col.rows_rejected"): [f["rejected"] for f in files],
        ctx.t("col.warnings"): [f["warnings"] for f in files],
    }), hide_index=True, width="stretch",
        column_config={ctx.t(c): st.column_config.NumberColumn(format="localized") for c in counts})
    if ctx.lang != "zh":
        st.caption(ctx.t("upload.messages_zh"))
    for i, f in enumerate(files):
        with st.container(border=True, key=f"upload-file-{i}"):
            status = ctx.t(RESULT[f["status"]])
            st.markdown(f"**{plain(f['name'])}** · {status}")
            st.caption(ctx.t("upload.counts", read=f"{f['read']:,}", loaded=f"{f['loaded']:,}",
                             rejected=f"{f['rejected']:,}", warnings=f"{f['warnings']:,}"))
            todo = "loader_failed" if f["loader_failed"] else f["status"]
            say = {LOADED: st.success, DUPLICATE: st.info, PARTIAL: st.warning}.get(f["status"], st.error)
            whole = [p[5] for p in f["problems"] if p[0] == "error" and p[2] is None]
            if f["status"] == "rejected" and whole and not f["loader_failed"]:  # why, at once, not only in the table
                say(ctx.t("upload.refused_because", reason=plain("；".join(whole))))
            else:
                say(ctx.t(TODO[todo]))
            if f["problems"]:
                table(problems_frame(f["problems"]), f"problems-{i}", ctx, ctx.t("upload.problems", file=f["name"]))
            st.download_button(ctx.t("upload.receipt"), f["receipt"], f["receipt_name"], XLSX, key=f"receipt-{i}",
                               on_click=audited_download, args=(f["receipt_name"], scope))


st.subheader(ctx.t("upload.title"), anchor=False)
st.caption(ctx.t("upload.scope_all") if me.is_admin else ctx.t("upload.scope", region=load_units().get(scope).name))
with st.form("upload", clear_on_submit=True):
    chosen = st.file_uploader(ctx.t("upload.files"), type=["xlsx", "xls", "csv"], accept_multiple_files=True,
                              help=ctx.t("upload.files_help"))
    submitted = st.form_submit_button(ctx.t("upload.submit"), type="primary")
left, right = st.columns([1, 2], vertical_alignment="center")
left.download_button(ctx.t("upload.template"), write_template, "教师资格认定报送模板.xlsx", XLSX, key="template",
                     on_click=audited_download, args=("教师资格认定报送模板.xlsx", scope))
right.caption(ctx.t("upload.template_help"))
if submitted:
    if chosen:
        st.session_state[RESULTS] = submit(chosen)
        st.rerun()  # every page, this one's sidebar included, reads the version just published
    st.warning(ctx.t("upload.choose_first"))
if RESULTS in st.session_state:
    show(st.session_state[RESULTS])
st.caption(ctx.t("upload.see_board"))
