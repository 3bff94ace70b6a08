"""Page scripts: the time one script run takes on the server, warm and cold, ours against the floor.

    .venv/bin/python bench/bench_scripts.py [--scales 1,10] [--repeat 5] [--json PATH]

The server's own timing: a real `streamlit run` of the dashboard (on the demo warehouse at each
scale, made once into bench/out/) and of bench/floor_app.py (6 metrics, 3 plotly charts, 2 tables),
each started fresh for each scale, driven by bench/sessions_client.py — Streamlit's websocket
protocol as the browser speaks it, no browser — signed in as a provincial leader. A run is timed
from the request (a page link's click: rerun_script with the page's hash) to the server's final
`script_finished`, every message of the run received: the entry point (sign-in, sidebar) and the
page, as a user's page change runs them. (Not AppTest: after a first run it reruns only the page
script, without the entry point, and a page asked for first is run twice.)

- **cold**: each page's first run after the server started (a new session on 总览, then each
  page in turn; every cache empty) — what the first visitor after a restart or a new load waits for.
- **warm**: the median of `--repeat` further visits of the page, cycling through the pages in a
  second session (the floor: between its two pages).
Targets: warm ≤ 1.3× the floor's warm, cold ≤ 3× the floor's cold.

`run(args)` returns {"rows": [...], "machine": {...}}; each row is {"what", "scale", "ours_cold_s",
"ours_warm_s", "floor_cold_s", "floor_warm_s", "warm_ratio", "cold_ratio", "result"}.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    demo_warehouse,
    env_for,
    leader_token,
    machine,
    report,
    server,
    table_lines,
    verdict,
)
from sessions_client import Session

PAGES = {"总览": "", "报名量": "registrations", "现场确认产能": "capacity", "截止风险": "risk", "实施方案": "plans",
         "报送情况": "submissions", "周报": "briefing"}
FLOOR_PAGES = ("", "two")


def checked(run, where: str):
    if run.status != "ok" or run.exceptions:
        raise SystemExit(f"{where}: the run ended {run.status!r} {run.exceptions[:1]}")
    return run.seconds


async def ours(url: str, token: str, repeat: int) -> dict[str, dict]:
    cookies = {"jszg_session": token}
    out = {name: {"cold": 0.0, "warm": []} for name in PAGES}
    async with Session(url, cookies, query_string="as_of=2020-07-10") as first:
        run = await first.first_run("")
        if not any("已登录" in s for s in run.sidebar) or not run.has_text("河南省中小学教师资格认定工作监测"):
            raise SystemExit("the benchmark's session is not signed in")
        out["总览"]["cold"] = checked(run, "总览 (cold)")
        for name, path in list(PAGES.items())[1:]:
            out[name]["cold"] = checked(await first.goto(path), f"{name} (cold)")
    async with Session(url, cookies, query_string="as_of=2020-07-10") as second:
        checked(await second.first_run(""), "总览")
        order = [*list(PAGES.items())[1:], ("总览", "")]
        for _ in range(repeat):
            for name, path in order:
                out[name]["warm"].append(checked(await second.goto(path), name))
    return out


async def floor(url: str, repeat: int) -> dict:
    async with Session(url) as first:
        cold = checked(await first.first_run(""), "floor (cold)")
        warm = []
        for i in range(repeat * 2):
            warm.append(checked(await first.goto(FLOOR_PAGES[(i + 1) % 2]), "floor"))
    return {"cold": cold, "warm": warm}


def run(args) -> dict:
    rows = []
    logs = Path(tempfile.mkdtemp(prefix="bench-scripts-"))
    for scale in args.scales:
        db = demo_warehouse(scale)
        token = leader_token(db.parent)
        with server("dashboard.py", env_for(db.parent, db), logs / f"ours-{scale:g}.log") as url:
            mine = asyncio.run(ours(url, token, args.repeat))
        with server("bench/floor_app.py", env_for(db.parent), logs / f"floor-{scale:g}.log") as url:
            base = asyncio.run(floor(url, args.repeat))
        base_warm = statistics.median(base["warm"])
        for name, got in mine.items():
            warm = statistics.median(got["warm"])
            row = {"what": name, "scale": scale, "ours_cold_s": got["cold"], "ours_warm_s": warm,
                   "floor_cold_s": base["cold"], "floor_warm_s": base_warm,
                   "warm_ratio": warm / base_warm, "cold_ratio": got["cold"] / base["cold"]}
            row["result"] = "PASS" if verdict(row["warm_ratio"], 1.3) == verdict(row["cold_ratio"], 3.0) == "PASS" \
                else "FAIL"
            rows.append(row)
        print(f"scale {scale:g} done", flush=True)
    return {"rows": rows, "machine": machine(), "repeat": args.repeat}


def lines(result: dict) -> list[str]:
    header = ["page script", "scale", "ours warm s", "floor warm s", "warm ratio (≤ 1.3)", "ours cold s",
              "floor cold s", "cold ratio (≤ 3)", "result"]
    return table_lines(header, [[r["what"], f"{r['scale']:g}", f"{r['ours_warm_s']:.3f}", f"{r['floor_warm_s']:.3f}",
                                 f"{r['warm_ratio']:.2f}", f"{r['ours_cold_s']:.2f}", f"{r['floor_cold_s']:.2f}",
                                 f"{r['cold_ratio']:.2f}", r["result"]] for r in result["rows"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=lambda s: [float(x) for x in s.split(",")], default=[1.0, 10.0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report(run(args), lines, args.json)


if __name__ == "__main__":
    main()
