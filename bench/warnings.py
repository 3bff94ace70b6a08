"""Early warnings against the known outcome: precision and recall of the late findings, week by week.

    python bench/warnings.py [--scale 1] [--campaign SEED:CURVES ...] [--from 2020-07-10] [--keep DIR]

For each demo campaign (default: seed 2020 with S-shaped curves, and seed 7 with skewed curves),
the demo is written, loaded into a new warehouse with the real loader, and the findings the
warehouse holds for each weekly report day (risk_by_day, as the pages show them) are set against
the outcome the demo generator knows (manifest.json `outcomes`: for every reporting region and
milestone R5/R6/R7, whether it really ends after its due date, from the model, not the reports).

A finding counts as a late warning when it says 预计逾期 or 已逾期 (state projected_late or overdue).
Precision = warnings that really end late / warnings; recall = late outcomes warned of / late
outcomes. Outcomes the demo cannot know (a region that sends nothing) are left out of both.
Target, from 2020-07-17 (five weeks before the 08-20 deadline): precision ≥ 0.8 and recall ≥ 0.8
every week, on both campaigns.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WARNING_STATES = ("projected_late", "overdue")
JUDGED = ("R5_record_checks", "R6_decisions", "R7_final")
TARGET_FROM = dt.date(2020, 7, 17)
TARGET = 0.8


def load_campaign_demo(seed: int, curves: str, scale: float, work: Path) -> tuple[Path, dict]:
    """Write a demo campaign and load it into a new warehouse; (db path, manifest)."""
    from etl.demo import write_demo
    from etl.load import expand, load_files
    from etl.secret import load_secret

    files = work / f"demo-{seed}-{curves}"
    write_demo(files, scale=scale, seed=seed, curves=curves)
    os.environ["JSZG_SECRET_FILE"] = str(work / "id-hash.key")
    load_secret.cache_clear()
    db = work / f"warehouse-{seed}-{curves}.duckdb"
    load_files(expand([files]), db)
    return db, json.loads((files / "manifest.json").read_text(encoding="utf-8"))


def weekly_scores(db: Path, manifest: dict, first: dt.date) -> list[dict]:
    import duckdb

    truth = {(o["region_code"], o["milestone"]): o["late"] for o in manifest["outcomes"]}
    late = {k for k, v in truth.items() if v is True}
    known = {k for k, v in truth.items() if v is not None}
    con = duckdb.connect(str(db), read_only=True)
    try:
        days = [d for (d,) in con.execute(
            "select distinct as_of from progress_weekly where as_of >= ? order by 1", [first]).fetchall()]
        scores = []
        for day in days:
            warned = {(r, m) for r, m in con.execute(
                f"""select region_code, milestone from risk_by_day where as_of = ?
                    and milestone in {JUDGED} and state in {WARNING_STATES}""", [day]).fetchall()} & known
            hits = warned & late
            scores.append({"day": day, "warned": len(warned), "late": len(late), "hits": len(hits),
                           "precision": len(hits) / len(warned) if warned else None,
                           "recall": len(hits) / len(late) if late else None,
                           "false": sorted(warned - late), "missed": sorted(late - warned)})
        return scores
    finally:
        con.close()


def meets(score: dict) -> bool:
    if score["day"] < TARGET_FROM:
        return True
    precision = 1.0 if score["precision"] is None else score["precision"]  # no warning, nothing wrong said
    recall = 1.0 if score["recall"] is None else score["recall"]
    return precision >= TARGET and recall >= TARGET


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--campaign", action="append", metavar="SEED:CURVES",
                        help="demo campaigns to score (default 2020:s and 7:skewed)")
    parser.add_argument("--from", dest="first", type=dt.date.fromisoformat, default=dt.date(2020, 7, 10))
    parser.add_argument("--keep", type=Path, help="write the demos and warehouses here instead of a temp dir")
    args = parser.parse_args(argv)
    campaigns = [(int(s), c) for s, c in (x.split(":") for x in (args.campaign or ["2020:s", "7:skewed"]))]
    print(f"machine: {platform.node()} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    print(f"late warning = state in {WARNING_STATES}; milestones {', '.join(JUDGED)}; "
          f"target from {TARGET_FROM}: precision ≥ {TARGET}, recall ≥ {TARGET}")
    all_met = True
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for seed, curves in campaigns:
            db, manifest = load_campaign_demo(seed, curves, args.scale, work)
            unknown = sum(1 for o in manifest["outcomes"] if o["late"] is None)
            print(f"\ndemo seed {seed}, curves {curves}, scale {args.scale}: "
                  f"{sum(1 for o in manifest['outcomes'] if o['late'])} late outcomes of "
                  f"{len(manifest['outcomes']) - unknown} known ({unknown} unknown)")
            print(f"{'as of':<11} {'warned':>6} {'right':>6} {'late':>5} {'precision':>9} {'recall':>7}  target")
            for s in weekly_scores(db, manifest, args.first):
                ok = meets(s)
                all_met &= ok
                p = "—" if s["precision"] is None else f"{s['precision']:.2f}"
                r = "—" if s["recall"] is None else f"{s['recall']:.2f}"
                mark = "" if s["day"] < TARGET_FROM else ("met" if ok else "MISSED")
                print(f"{s['day']!s:<11} {s['warned']:>6} {s['hits']:>6} {s['late']:>5} {p:>9} {r:>7}  {mark}")
                if s["false"] or s["missed"]:
                    print(f"{'':<11} false: {s['false']}  missed: {s['missed']}")
    print("\nall targets met" if all_met else "\nsome targets MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
