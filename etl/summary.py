"""What the command line shows: a progress bar while loading, a table at the end."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

STATUS_ZH = {"loaded": "已导入", "partial": "部分导入", "rejected": "拒收", "duplicate": "重复，未改动"}
STATUS_STYLE = {"loaded": "green", "partial": "yellow", "rejected": "red", "duplicate": "dim"}


class Progress:
    """A bar over the bytes of all files, naming the file and what is being done to it
    (a large file shows its phases: reading, checking so many rows, writing)."""

    def __init__(self, files: list[Path], enabled: bool = True):
        self.total = sum(p.stat().st_size for p in files) or 1
        self._bar = RichProgress(TextColumn("导入"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                                 TimeElapsedColumn(), TextColumn("{task.description}"),
                                 console=Console(stderr=True), disable=not enabled, transient=True)
        self._finished = 0

    def __enter__(self) -> Progress:
        self._bar.__enter__()
        self._task = self._bar.add_task("", total=self.total)
        return self

    def __exit__(self, *exc) -> None:
        self._bar.__exit__(*exc)

    def __call__(self, name: str, phase: str, done: int) -> None:
        self._finished += done
        self._bar.update(self._task, completed=self._finished, description=f"{name} {phase}".strip())


def print_summary(result, db: Path, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="导入结果", show_lines=False)
    for header in ("文件", "状态", "读取行", "导入行", "拒收行", "提醒"):
        table.add_column(header, justify="right" if header.endswith(("行", "提醒")) else "left")
    for f in result.files:
        table.add_row(Path(f.file).name, f"[{STATUS_STYLE[f.status]}]{STATUS_ZH[f.status]}[/]", str(f.rows_read),
                      str(f.rows_loaded), str(f.rows_rejected), str(len(f.warnings)))
    console.print(table)
    problems = [(f, p) for f in result.files for p in f.errors][:20]
    for f, p in problems:
        where = "，".join(x for x in (p.sheet and f"工作表“{p.sheet}”", p.row and f"第 {p.row} 行",
                                      p.column and f"“{p.column}”列", p.value and f"值“{p.value}”") if x)
        console.print(f"[red]✗[/] {Path(f.file).name}：{where + '：' if where else ''}{p.message}")
    more = sum(len(f.errors) for f in result.files) - len(problems)
    if more > 0:
        console.print(f"……另有 {more} 条错误，完整清单见 --report 报告或仪表盘“数据质量”页。")
    totals = [sum(getattr(f, k) for f in result.files) for k in ("rows_read", "rows_loaded", "rows_rejected")]
    state = f"已发布新版本 {result.version.name}" if result.version else "数据未变，未发布新版本"
    console.print(f"共 {len(result.files)} 个文件，读取 {totals[0]} 行，导入 {totals[1]} 行，拒收 {totals[2]} 行。"
                  f"{state}（{db}）", soft_wrap=True)
