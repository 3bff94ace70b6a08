"""The ETL command line. Sub-commands: demo (write a demo campaign)."""

from __future__ import annotations

import argparse
from pathlib import Path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl",
        description="教师资格认定数据处理：生成演示数据、导入各地报送文件。",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    demo = sub.add_parser(
        "demo", help="生成一套演示用的各地报送文件（Excel/CSV）",
        description="生成一套演示数据：全省各地按规定格式报送的 Excel/CSV 文件，其中有意埋入若干需要发现的问题，"
                    "清单见输出目录中的 manifest.json。",
    )
    demo.add_argument("--scale", type=float, default=1.0,
                      help="规模：1 约为全省半年 10 万名申请人（默认 1）")
    demo.add_argument("--out", type=Path, default=Path("data/demo"), help="输出目录（默认 data/demo）")
    demo.add_argument("--seed", type=int, default=2020, help="随机种子，同一种子生成完全相同的文件（默认 2020）")
    demo.add_argument("--campaign", type=Path, default=None, help="活动配置文件（默认 data/campaigns/2020H1.toml）")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "demo":
        from etl.demo import write_demo

        if args.scale <= 0:
            parser.error("--scale 必须大于 0")
        summary = write_demo(args.out, scale=args.scale, seed=args.seed, campaign_path=args.campaign)
        print(f"已生成演示数据：{summary.files} 个文件，{summary.applicants} 名申请人 → {args.out}")
        return 0
    return 2
