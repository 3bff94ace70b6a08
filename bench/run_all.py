"""`make bench`: every speed benchmark of the dashboard in one run, and bench/RESULTS.md written from it.

    .venv/bin/python bench/run_all.py [--quick] [--only pages,scripts,sessions,loader] [--out bench/RESULTS.md]

Runs, one after another on this machine (nothing else should run meanwhile: the ratios are measured
side by side, but two cores shared with a test run still move them):
1. bench/bench_pages.py    — pages and interactions in real Chromium against the floor app;
2. bench/bench_scripts.py  — page scripts, the server's own timing, warm and cold, demo scale 1 and 10;
3. bench/bench_sessions.py — 1, 8 and 32 concurrent sessions through the real server: people who
   read each page for 5 s on average, on make serve-prod's two processes (the targets); then flat
   out, no reading, on one process (what one core does);
4. bench/bench_load.py     — the whole `python -m etl load` against DuckDB's read_csv, as processes.
Each prints its own table (shown as it runs) and writes its figures as JSON; RESULTS.md gets the
machine, each table, and a line per benchmark saying how many targets were met. `--quick` runs
fewer rounds (for trying the benchmarks, not for the record).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ROOT, machine, machine_line  # noqa: E402

BENCHES = {
    "pages": ("Pages and interactions in Chromium (targets: page ≤ 1.3×, date/region ≤ 1.3×, first visit ≤ 2×)",
              ["bench/bench_pages.py", "--rounds", "5"], ["bench/bench_pages.py", "--rounds", "2"]),
    "scripts": ("Page scripts, the server's own timing (targets: warm ≤ 1.3×, cold ≤ 3×)",
                ["bench/bench_scripts.py", "--scales", "1,10", "--repeat", "5"],
                ["bench/bench_scripts.py", "--scales", "1", "--repeat", "2"]),
    # people read a page before the next click (5 s on average), on serve-prod's two processes
    "sessions": ("Concurrent sessions, 5 s reading a page, 2 processes as make serve-prod runs them "
                 "(targets: 8 → p95 ≤ 2.5×, 32 → p95 ≤ 5× one session's median, no errors)",
                 ["bench/bench_sessions.py", "--sessions", "1,8,32", "--rounds", "3", "--think", "5", "--procs", "2"],
                 ["bench/bench_sessions.py", "--sessions", "1,8", "--rounds", "1", "--think", "5", "--procs", "2"]),
    # the same with no reading time on one process: what one process does flat out (runs queue on one core)
    "sessions-flat-out": ("Concurrent sessions flat out: no reading time, one process (the same targets; a stress "
                          "measure of one core, see docs/SCALING.md)",
                          ["bench/bench_sessions.py", "--sessions", "1,8,32", "--rounds", "3"],
                          ["bench/bench_sessions.py", "--sessions", "1,8", "--rounds", "1"]),
    "loader": ("Loader, whole processes (target: ≤ 2.5× DuckDB's read_csv, peak ≤ 1 GiB)",
               ["bench/bench_load.py", "--only", "csv-whole", "--repeat", "3"],
               ["bench/bench_load.py", "--only", "csv-whole", "--repeat", "1"]),
}


def tally(result: dict) -> tuple[int, int]:
    """(targets met, targets measured) from a benchmark's rows."""
    verdicts = [str(r.get("result", "")).upper() for r in result.get("rows", [])]
    verdicts = [v for v in verdicts if v.startswith(("PASS", "FAIL"))]
    return sum(v.startswith("PASS") for v in verdicts), len(verdicts)


def run_one(name: str, quick: bool, folder: Path) -> dict:
    title, full, short = BENCHES[name]
    out = folder / f"{name}.json"
    command = [sys.executable, *(short if quick else full), "--json", str(out)]
    print(f"\n== {title}\n$ {' '.join(command[1:])}", flush=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    printed = []
    for line in proc.stdout:
        print(line, end="", flush=True)
        printed.append(line.rstrip("\n"))
    code = proc.wait()
    result = json.loads(out.read_text()) if out.exists() else {}
    return {"name": name, "title": title, "command": " ".join(["python", *command[1:-2]]), "code": code,
            "seconds": time.perf_counter() - start, "printed": printed, "result": result}


def table_part(printed: list[str]) -> list[str]:
    """The benchmark's closing table: from its machine line (or its last 40 lines) to the end."""
    starts = [i for i, line in enumerate(printed) if "cores" in line and "RAM" in line]
    return printed[starts[-1]:] if starts else printed[-40:]


def write(results: list[dict], path: Path, quick: bool) -> None:
    m = machine()
    lines = ["# Benchmark results", "",
             f"Written by `make bench` (bench/run_all.py{' --quick' if quick else ''}) on "
             f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.", "",
             f"Machine: {machine_line(m)}.", "",
             "Every figure is a ratio measured side by side in the same run against a bare baseline "
             "(the floor app, DuckDB's own read_csv); how each is measured is in the benchmark's docstring "
             "and bench/README.md.", "", "| benchmark | targets met | exit | minutes |", "|---|---|---|---|"]
    for r in results:
        met, total = tally(r["result"])
        lines.append(f"| {r['title']} | {met} of {total} | {r['code']} | {r['seconds'] / 60:.1f} |")
    for r in results:
        lines += ["", f"## {r['title']}", "", f"    {r['command']}", "", "```", *table_part(r["printed"]), "```"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nwrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds: to try the benchmarks, not to record")
    parser.add_argument("--only", default=",".join(BENCHES), help=f"some of {','.join(BENCHES)}")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        results = [run_one(n, args.quick, Path(folder)) for n in names]
    write(results, args.out, args.quick)
    return max(r["code"] for r in results)


if __name__ == "__main__":
    raise SystemExit(main())
