"""python -m briefing --as-of DATE --out DIR [--region CODE] [--lang zh|en]

Writes the weekly briefing of the published warehouse (JSZG_WAREHOUSE) for the newest campaign
file (JSZG_CAMPAIGNS_DIR): one PNG per chart, a .docx and a PDF, named briefing-<region>-<date>.
Needs no running dashboard and no network. Prints the files written; exit code 0 when written, 1
when there is nothing to write from (no warehouse), 2 for a usage error."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from streamlit.logger import set_log_level

from briefing.scope import PROVINCE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m briefing", description="周报：每周简报的图片、Word 文档和 PDF")
    parser.add_argument("--as-of", required=True, type=dt.date.fromisoformat, metavar="DATE",
                        help="the week's as-of date, e.g. 2020-07-10")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR", help="the folder the files are written to")
    parser.add_argument("--region", default=PROVINCE, metavar="CODE",
                        help="the scope: the province (410000, default), a reporting region or a county")
    parser.add_argument("--lang", default="zh", choices=("zh", "en"))
    args = parser.parse_args(argv)
    # the queries' caches warn, as they are defined and run, that no Streamlit server runs them: known,
    # and nothing cron should mail about; so the level is set before they are imported
    set_log_level("error")
    from briefing.content import build
    from briefing.export import export
    from briefing.week import week_of
    from domain.campaign import default_campaign_path, load_campaign
    from queries.connection import NoWarehouse, current_version

    try:
        version = current_version()
    except NoWarehouse as e:
        print(e, file=sys.stderr)
        return 1
    try:
        week = week_of(version, load_campaign(default_campaign_path()), args.as_of, args.region, args.lang)
    except LookupError:
        print(f"未知地区代码：{args.region}", file=sys.stderr)
        return 2
    for path in export(build(week), args.out).files:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
