"""Early warnings against the known outcome: precision and recall of the late findings, week by week.

    python bench/early_warnings.py [--scale 1] [--campaign SEED:CURVES ...] [--from 2020-07-10] [--keep DIR]

For each demo campaign (default: seed 2020 with S-shaped curves, and seed 7 with skewed curves),
the demo is written, loaded into a new warehouse with the real loader, and the findings the
warehouse holds for each weekly report day (risk_by_day, as the pages show them) are set against
the known outcome:
- R5, R6, R7: what the demo generator knows (manifest.json `outcomes`: whether the region's stage
  really ends after its due date, from the model — not from the reports);
- R1, R3, R4 (confirmation and exam): what the rules say on the last data day; these are decided
  by the plans and sites the regions send, not projected.
A late finding says 预计逾期, 已逾期, 逾期完成 or 不达标 (state projected_late, overdue, done_late,
fails). Precision = late findings that are right / late findings; recall = late outcomes found /
late outcomes. Outcomes the demo cannot know (a region that sends nothing) are left out of both.
Target, from 2020-07-17 (five weeks before the 08-20 deadline): precision ≥ 0.8 and recall ≥ 0.8
every week, on both campaigns. The projections alone (R5–R7) are printed too.
"""

from __future__ import annotations

import os
import sys

# Run as a script, this file's folder comes first on sys.path, and this file would then stand in
# for the standard library's `warnings` module: take the folder off before importing anything else.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LATE_STATES = ("projected_late", "overdue", "done_late", "fails")
PROJECTED = ("R5_record_checks", "R6_decisions", "R7_final")
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


def outcomes(con, manifest: dict) -> dict[tuple[str, str], bool | None]:
    """(region, milestone): ends late? R5–R7 from the demo's model, the rest from the last data day."""
    truth: dict[tuple[str, str], bool | None] = {(o["region_code"], o["milestone"]): o["late"]
                                                 for o in manifest["outcomes"]}
    for region, milestone, state in con.execute(
            f"""select region_code, milestone, state from risk_by_day
                where as_of = (select max(as_of) from risk_by_day) and milestone not in {PROJECTED}""").fetchall():
        truth[(region, milestone)] = state in LATE_STATES
    return truth


def score(warned: set, late: set) -> dict:
    hits = warned & late
    return {"warned": len(warned), "late": len(late), "hits": len(hits),
            "precision": len(hits) / len(warned) if warned else None,
            "recall": len(hits) / len(late) if late else None,
            "false": sorted(warned - late), "missed": sorted(late - warned)}


def weekly_scores(db: Path, manifest: dict, first: dt.date) -> list[tuple[dt.date, dict, dict]]:
    """Per report day: (day, all findings' score, the R5–R7 projections' score)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        truth = outcomes(con, manifest)
        known = {k for k, v in truth.items() if v is not None}
        late = {k for k, v in truth.items() if v is True}
        days = [d for (d,) in con.execute(
            "select distinct as_of from progress_weekly where as_of >= ? order by 1", [first]).fetchall()]
        scores = []
        for day in days:
            warned = {(r, m) for r, m in con.execute(
                f"select region_code, milestone from risk_by_day where as_of = ? and state in {LATE_STATES}",
                [day]).fetchall()} & known
            projected = {k for k in warned if k[1] in PROJECTED}
            scores.append((day, score(warned, late),
                           score(projected, {k for k in late if k[1] in PROJECTED})))
        return scores
    finally:
        con.close()


def meets(day: dt.date, s: dict) -> bool:
    if day < TARGET_FROM:
        return True
    precision = 1.0 if s["precision"] is None else s["precision"]  # no warning, nothing wrong said
    recall = 1.0 if s["recall"] is None else s["recall"]
    return precision >= TARGET and recall >= TARGET


def ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


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
    print(f"late finding = state in {LATE_STATES}; target from {TARGET_FROM}: precision ≥ {TARGET}, "
          f"recall ≥ {TARGET} (all milestones); R5–R7 projections alone shown beside")
    all_met = True
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for seed, curves in campaigns:
            db, manifest = load_campaign_demo(seed, curves, args.scale, work)
            weeks = weekly_scores(db, manifest, args.first)
            print(f"\ndemo seed {seed}, curves {curves}, scale {args.scale}: {weeks[0][1]['late']} late outcomes "
                  f"({weeks[0][2]['late']} of them R5–R7); "
                  f"{sum(1 for o in manifest['outcomes'] if o['late'] is None)} unknown left out")
            print(f"{'as of':<11} {'found':>5} {'right':>5} {'late':>5} {'precision':>9} {'recall':>6}  target"
                  f"   | R5–R7: {'found':>5} {'right':>5} {'late':>4} {'precision':>9} {'recall':>6}")
            for day, every, projected in weeks:
                ok = meets(day, every)
                all_met &= ok
                mark = "" if day < TARGET_FROM else ("met" if ok else "MISSED")
                print(f"{day!s:<11} {every['warned']:>5} {every['hits']:>5} {every['late']:>5} "
                      f"{ratio(every['precision']):>9} {ratio(every['recall']):>6}  {mark:<6} | "
                      f"{projected['warned']:>12} {projected['hits']:>5} {projected['late']:>4} "
                      f"{ratio(projected['precision']):>9} {ratio(projected['recall']):>6}")
                if every["false"] or every["missed"]:
                    print(f"{'':<11} false: {every['false']}  missed: {every['missed']}")
    print("\nall targets met" if all_met else "\nsome targets MISSED")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
