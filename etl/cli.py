"""The ETL command line: `python -m etl load ...` and `python -m etl demo ...`."""

from __future__ import annotations

import argparse
import contextlib
import importlib.abc
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from etl.warehouse import WAREHOUSE_ENV, published_path

if TYPE_CHECKING:
    from etl.load import LoadResult

LOAD_HELP = """\
把各地报送的 Excel（.xlsx/.xls）和 CSV 文件导入数据仓库。可以给文件，也可以给文件夹
（会导入其中所有表格文件）。同一文件重复导入不会重复计数；同一地区更正后的文件会替换先前的数字，
先前的数字保留在历史中。导入完成后，正在运行的监测页面刷新即可看到新数据。

退出码：0 = 全部导入；1 = 有行或文件被拒收（其余已导入，原因见报告）；2 = 命令用法错误；
3 = 有文件因导入程序内部错误未导入（其余已导入，请把该文件交技术人员）。
只导入普通文件：符号链接（快捷方式）、设备等一律不导入。

例：
  python -m etl load 收件箱/开封市/                     导入一个文件夹
  python -m etl load 报名进度.xlsx --report 回执.json   导入一个文件并保存导入报告
"""


ARGPARSE_ZH = {
    "usage: ": "用法：", "positional arguments": "参数", "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要给出一个值",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值（应为 %(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的命令 %(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
}


def _chinese_argparse() -> None:
    """argparse's own words (usage, options, its error messages) in Chinese, through the
    gettext hook argparse reads them from."""
    argparse._ = lambda text: ARGPARSE_ZH.get(text, text)  # type: ignore[attr-defined]


def build_parser() -> argparse.ArgumentParser:
    _chinese_argparse()
    parser = argparse.ArgumentParser(prog="python -m etl",
                                     description="教师资格认定数据处理：导入各地报送文件、生成演示数据。")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    load = sub.add_parser("load", help="导入各地报送的文件", description=LOAD_HELP,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    load.add_argument("paths", nargs="+", type=Path, metavar="文件或文件夹", help="要导入的文件或文件夹")
    load.add_argument("--db", type=Path, default=None,
                      help=f"数据仓库文件（默认取环境变量 {WAREHOUSE_ENV}，未设置时为 data/warehouse.duckdb；"
                           "与看板读取的相同）")
    load.add_argument("--report", type=Path, help="把导入报告写入此 JSON 文件（每个文件的状态、行数和每条错误）")
    load.add_argument("--campaign", type=Path, help="活动配置文件（默认：活动配置目录中最新的一个，与看板相同）")
    load.add_argument("--receipts", type=Path, metavar="文件夹",
                      help="为每个文件写一份回执（Excel）到此文件夹，可直接发回报送单位")
    load.add_argument("--quiet", action="store_true", help="不显示进度条")
    load.add_argument("--received-at-mtime", action="store_true",
                      help="收到时间取各文件的修改时间，而不是现在（补录以前收到、存档的文件时用）")
    demo = sub.add_parser(
        "demo", help="生成一套演示用的各地报送文件（Excel/CSV）",
        description="生成一套演示数据：全省各地按规定格式报送的 Excel/CSV 文件，其中有意埋入若干需要发现的问题，"
                    "清单见输出目录中的 manifest.json。",
    )
    demo.add_argument("--scale", type=float, default=1.0, help="规模：1 约为全省半年 10 万名申请人（默认 1）")
    demo.add_argument("--out", type=Path, default=Path("data/demo"), help="输出目录（默认 data/demo）")
    demo.add_argument("--seed", type=int, default=2020, help="随机种子，同一种子生成相同的文件（默认 2020）")
    demo.add_argument("--campaign", type=Path, default=None, help="活动配置文件（默认：活动配置目录中最新的一个）")
    demo.add_argument("--curves", choices=("s", "skewed"), default="s",
                      help="进度曲线：s = 大致对称的 S 形，陡缓因地区而异（默认）；"
                           "skewed = 偏斜的 S 形，有的地区前慢后快，有的前快后慢")
    template = sub.add_parser("template", help="生成各地填报用的空白模板（Excel）",
                              description="生成空白报送模板：每张表一个工作表，表头、下拉列表、日期格式已设好，"
                                          "“填表说明”工作表有说明和填写示例。")
    template.add_argument("--out", type=Path, default=Path("教师资格认定数据报送模板.xlsx"),
                          help="输出文件（默认 教师资格认定数据报送模板.xlsx）")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "template":
        from etl.template import write_template

        write_template(args.out)
        print(f"已生成报送模板：{args.out}")
        return 0
    if args.command == "demo":
        from domain.campaign import default_campaign_path
        from etl.demo import write_demo

        if args.scale <= 0:
            parser.error("--scale 必须大于 0")
        summary = write_demo(args.out, scale=args.scale, seed=args.seed,
                             campaign_path=args.campaign or default_campaign_path(),
                             curves=args.curves)
        print(f"已生成演示数据：{summary.files} 个文件，{summary.applicants} 名申请人 → {args.out}")
        print(summary.outcomes_line())
        return 0
    return _load(parser, args)


def _load(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    import datetime as dt
    import getpass

    by = f"命令行（{getpass.getuser()}）"
    with without_pandas():  # imports included: a module may build an Arrow array as it is imported
        result, db = _run_load(parser, args, by)
    from etl.summary import plain, print_summary

    if args.report:  # written before anything is printed: a console that fails cannot lose it
        args.report.write_text(json.dumps([f.as_json() for f in result.files], ensure_ascii=False, indent=1),
                               encoding="utf-8")
    if args.receipts:
        from etl.receipt import write_receipts

        written = write_receipts(result.files, args.receipts, dt.datetime.now(), by)
        print(f"已写回执 {len(written)} 份：{plain(args.receipts, 200)}")
    print_summary(result, db)
    return result.exit_code


def _run_load(parser: argparse.ArgumentParser, args: argparse.Namespace, by: str) -> tuple[LoadResult, Path]:
    from domain.campaign import CampaignFileError, default_campaign_path, load_campaign
    from etl.load import NotAFile, expand, load_files
    from etl.summary import Progress, plain

    missing = [plain(p, 200) for p in args.paths if not p.exists() and not p.is_symlink()]
    if missing:
        parser.error(f"找不到文件或文件夹：{'、'.join(missing)}")
    try:
        files = expand(args.paths)
    except NotAFile as e:
        parser.error(str(e))
    db = args.db or published_path()
    if not files:
        parser.error("给出的文件夹里没有表格文件（.xlsx、.xls、.csv）")
    try:
        campaign = load_campaign(args.campaign or default_campaign_path())
    except CampaignFileError as e:
        parser.error(str(e))
    from etl.limits import Limits

    try:
        limits = Limits.from_env(campaign.limits)
    except ValueError as e:
        parser.error(str(e))
    import datetime as dt

    received = (lambda p: dt.datetime.fromtimestamp(p.stat().st_mtime)) if args.received_at_mtime else None
    with Progress(files, enabled=not args.quiet) as progress:
        result = load_files(files, db, campaign, progress=progress, received_by=by, received_at=received,
                            limits=limits)
    return result, db


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "pandas" or name.startswith("pandas."):
            raise ModuleNotFoundError(f"No module named {name!r} (not imported while loading)", name=name)
        return None


@contextlib.contextmanager
def without_pandas() -> Iterator[None]:
    """A load never uses pandas, but pyarrow (on its first `pa.array`) and DuckDB (on `register`) import it
    only to ask whether a value is a DataFrame: about 0.3 s of a command that loads one file. Within this
    block pandas cannot be imported, and both go on without it; afterwards it imports as usual (a
    receipt needs it), and pyarrow takes it up again when asked for pandas. Only for the command line's
    own process: a library caller (the upload page) has pandas loaded anyway."""
    if "pandas" in sys.modules:
        yield
        return
    finder = _NoPandas()
    sys.meta_path.insert(0, finder)
    try:
        yield
    finally:
        sys.meta_path.remove(finder)


if __name__ == "__main__":
    sys.exit(main())
