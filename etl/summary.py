"""What the command line shows: a progress bar while loading, a table at the end."""

from __future__ import annotations

import re
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table
from rich.text import Text

STATUS_ZH = {"loaded": "已导入", "partial": "部分导入", "rejected": "拒收", "duplicate": "重复，未改动"}
STATUS_STYLE = {"loaded": "green", "partial": "yellow", "rejected": "red", "duplicate": "dim"}
SHOWN_CHARS = 60  # a value is cut to this many characters on the console (the report has it whole)


def plain(value: object, limit: int = SHOWN_CHARS) -> str:
    """A value as one line of plain text: control characters (newlines in a file name, a NUL)
    shown escaped, cut to `limit` characters. Printed through Text, never parsed as markup."""
    text = str(value)
    if len(text) > limit:
        text = text[:limit] + f"…（共 {len(str(value))} 字符）"
    if not text.isprintable():
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    return text


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
        self._bar.update(self._task, completed=self._finished,
                         description=Text(f"{plain(name)} {plain(phase, 120)}".strip()))


def shortened(message: str) -> str:
    """A message as plain text, each value it quotes (“…”) cut like a value."""
    cut = re.sub(f"“([^”]{{{SHOWN_CHARS + 1},}})”", lambda m: f"“{plain(m.group(1))}”", message)
    return plain(cut, 10 * SHOWN_CHARS)


def print_summary(result, db: Path, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(title="导入结果", show_lines=False)
    for header in ("文件", "状态", "读取行", "导入行", "拒收行", "提醒"):
        table.add_column(header, justify="right" if header.endswith(("行", "提醒")) else "left")
    for f in result.files:
        table.add_row(Text(plain(Path(f.file).name)), Text(STATUS_ZH[f.status], style=STATUS_STYLE[f.status]),
                      str(f.rows_read), str(f.rows_loaded), str(f.rows_rejected), str(len(f.warnings)))
    console.print(table)
    problems = [(f, p) for f in result.files for p in f.errors][:20]
    for f, p in problems:
        where = "，".join(x for x in (p.sheet and f"工作表“{plain(p.sheet)}”", p.row and f"第 {p.row} 行",
                                      p.column and f"“{plain(p.column)}”列", p.value and f"值“{plain(p.value)}”")
                         if x)
        line = Text("✗ ", style="red")
        line.append(f"{plain(Path(f.file).name)}：{where + '：' if where else ''}{shortened(p.message)}")
        console.print(line, soft_wrap=True)
    more = sum(len(f.errors) for f in result.files) - len(problems)
    if more > 0:
        console.print(Text(f"……另有 {more} 条错误，完整清单见 --report 报告或仪表盘“数据质量”页。"))
    failed = [f for f in result.files if f.loader_failed]
    if failed:
        console.print(Text(f"有 {len(failed)} 个文件因导入程序内部错误未导入（其余文件不受影响），"
                           "请把这些文件和日志交技术人员处理（退出码 3）。", style="red"))
    if result.interrupted:
        console.print(Text("注意：上一次导入在完成前被中断，未发布任何数据（数据仓库仍是中断前的版本）。"
                           f"当时正在导入：{'、'.join(plain(Path(x).name) for x in result.interrupted[:10])}"
                           f"{' 等' if len(result.interrupted) > 10 else ''}；如其中有本次未包含的文件，请重新导入。",
                           style="yellow"))
    if result.rebuilt_for_campaign:
        console.print(Text("活动配置已更改：已按新配置重新计算汇总和截止风险。"))
    totals = [sum(getattr(f, k) for f in result.files) for k in ("rows_read", "rows_loaded", "rows_rejected")]
    state = f"已发布新版本 {result.version.name}" if result.version else "数据未变，未发布新版本"
    console.print(Text(f"共 {len(result.files)} 个文件，读取 {totals[0]} 行，导入 {totals[1]} 行，拒收 {totals[2]} 行。"
                       f"{state}（{plain(db, 200)}）"), soft_wrap=True)
