"""Loader benchmarks: our full load against a bare baseline, measured side by side in one run.

    python bench/bench_load.py [--rows-csv N] [--rows-xlsx N] [--repeat 3] [--profile] [--only csv|xlsx]

(1) csv:  a N-row applicant list (申请人明细, default 1,000,000 rows): `etl.load.load_files` into a new
          warehouse against DuckDB's own `read_csv(all_varchar=true)` of the same file into a table of a
          new file database. Target: ratio ≤ 2.0 and peak memory ≤ 1 GiB.
(2) xlsx: a N-row applicant list as .xlsx (default 100,000 rows, written with openpyxl write_only):
          our load against a bare python-calamine read (from_path → get_sheet_by_name → to_python).
          Target: ratio ≤ 1.5.

Every measured step runs in its own fresh Python process, with its own temporary directory (a new
warehouse path, JSZG_SECRET_FILE pointing at a new key file); the step's seconds are timed inside the
child around the operation only (imports done before), and its peak memory is the child's own
high-water mark (VmHWM from /proc/self/status at the end of the step; the child's ru_maxrss from
os.wait4 is not used because Linux carries the forking parent's peak over into it). Baseline and
ours alternate, `--repeat` times each, and the best (minimum) seconds are compared; peak memory is
the largest of the runs.
`--profile` adds one cProfile run of our load per benchmark (top 25 by cumulative time, and the
top 15 by own time). Input files are generated once into bench/out/ (git-ignored) and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

MIB = 1024 * 1024


@dataclass
class Bench:
    name: str
    baseline: str  # step name
    target_ratio: float
    target_mib: float | None  # peak memory of our load, None = no target
    path: Path
    rows: int


# ---- the measured steps (each runs in a child process) ---------------------------------------


def step_duckdb_csv(path: Path, tmp: Path) -> dict:
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(str(tmp / "baseline.duckdb"))
    con.execute("create table t as select * from read_csv(?, all_varchar=true)", [str(path)])
    con.execute("checkpoint")
    rows = con.execute("select count(*) from t").fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - start, "rows": rows}


def step_calamine(path: Path, tmp: Path) -> dict:
    from make_data import SHEET
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(rows) - 1}


def _our_load(path: Path, tmp: Path):
    from etl.load import load_files

    return load_files([path], tmp / "warehouse.duckdb")


def _summary(result) -> dict:
    report = result.files[0]
    return {"rows": report.rows_loaded, "status": report.status, "rows_read": report.rows_read,
            "errors": [e.message for e in report.errors[:3]], "warnings": len(report.warnings)}


def step_ours(path: Path, tmp: Path) -> dict:
    import etl.load  # noqa: F401  (imports are not part of the load)

    start = time.perf_counter()
    result = _our_load(path, tmp)
    return {"seconds": time.perf_counter() - start, **_summary(result)}


def step_profile(path: Path, tmp: Path) -> dict:
    import cProfile
    import pstats

    import etl.load  # noqa: F401

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    result = _our_load(path, tmp)
    profiler.disable()
    seconds = time.perf_counter() - start
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.strip_dirs()
    print(f"--- top 25 by cumulative time (profiled run: {seconds:.1f} s, cProfile overhead included)")
    stats.sort_stats("cumulative").print_stats(25)
    print("--- top 15 by own time (tottime)")
    stats.sort_stats("tottime").print_stats(15)
    return {"seconds": seconds, **_summary(result)}


STEPS = {"duckdb-csv": step_duckdb_csv, "calamine": step_calamine, "ours": step_ours, "profile": step_profile}


def child(step: str, path: Path) -> None:
    tmp = Path(os.environ["BENCH_TMP"])
    result = STEPS[step](path, tmp)
    result["vmhwm_kib"] = _vmhwm_kib()
    sys.stdout.flush()
    print("BENCH-RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


def _vmhwm_kib() -> int | None:
    """This process's peak resident memory (VmHWM). Unlike ru_maxrss it starts from zero at exec: ru_maxrss
    also carries the peak of the process we were forked from (the parent, which may have generated data)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


# ---- the parent: runs steps in fresh processes and compares ----------------------------------


def run_step(step: str, path: Path, echo: bool = False) -> dict:
    """Run one step in a new process with a new temporary directory; its result, seconds and peak MiB."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{step}-"))
    env = {**os.environ, "BENCH_TMP": str(tmp), "JSZG_SECRET_FILE": str(tmp / "secret" / "id-hash.key")}
    try:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--step", step, str(path)],
                                stdout=subprocess.PIPE, env=env, cwd=tmp, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = out.splitlines()
    found = [line for line in lines if line.startswith("BENCH-RESULT ")]
    if echo:
        print("\n".join(line for line in lines if not line.startswith("BENCH-RESULT ")))
    if proc.returncode != 0 or not found:
        print(out, file=sys.stderr)
        raise SystemExit(f"step {step} on {path} failed (exit {proc.returncode})")
    result = json.loads(found[-1][len("BENCH-RESULT "):])
    result["ru_maxrss_mib"] = usage.ru_maxrss * 1024 / MIB  # Linux: KiB; includes the parent's peak at fork
    result["peak_mib"] = (result["vmhwm_kib"] or usage.ru_maxrss) * 1024 / MIB
    return result


def machine() -> list[str]:
    from importlib.metadata import version

    import duckdb
    import numpy
    import openpyxl
    import pyarrow

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return [f"date: {time.strftime('%Y-%m-%d %H:%M %Z')}",
            f"machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}, "
            f"{mem / 1024**3:.1f} GiB RAM, {platform.system()} {platform.release()}",
            f"python {platform.python_version()}; duckdb {duckdb.__version__}, python-calamine "
            f"{version('python-calamine')}, pyarrow {pyarrow.__version__}, openpyxl {openpyxl.__version__}, "
            f"numpy {numpy.__version__}",
            "load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())]


def measure(bench: Bench, repeat: int) -> dict:
    base, ours = [], []
    for i in range(repeat):  # alternate, so a busy moment on the machine hits both sides alike
        base.append(run_step(bench.baseline, bench.path))
        ours.append(run_step("ours", bench.path))
        print(f"  {bench.name} run {i + 1}/{repeat}: baseline {base[-1]['seconds']:.2f} s "
              f"({base[-1]['peak_mib']:.0f} MiB), ours {ours[-1]['seconds']:.2f} s "
              f"({ours[-1]['peak_mib']:.0f} MiB, {ours[-1]['status']}, {ours[-1]['rows']} rows loaded)",
              flush=True)
    wrong = [r for r in ours if r["rows"] != bench.rows or r["status"] != "loaded"]
    wrong += [r for r in base if r["rows"] != bench.rows]
    if wrong:
        print(f"  !! {bench.name}: a run did not load all {bench.rows} rows: {wrong[0]}")
    b = min(r["seconds"] for r in base)
    o = min(r["seconds"] for r in ours)
    peak = max(r["peak_mib"] for r in ours)
    ratio = o / b
    ok = ratio <= bench.target_ratio and (bench.target_mib is None or peak <= bench.target_mib) and not wrong
    return {"bench": bench, "base": b, "ours": o, "ratio": ratio, "peak": peak,
            "base_peak": max(r["peak_mib"] for r in base), "ok": ok, "wrong": bool(wrong),
            "ratio_ok": ratio <= bench.target_ratio,
            "mem_ok": bench.target_mib is None or peak <= bench.target_mib,
            "median_base": sorted(r["seconds"] for r in base)[len(base) // 2],
            "median_ours": sorted(r["seconds"] for r in ours)[len(ours) // 2]}


def table(results: list[dict]) -> str:
    head = ("benchmark", "rows", "baseline s", "ours s", "ratio", "target", "peak MiB (ours/base)", "result")
    rows = []
    for r in results:
        b: Bench = r["bench"]
        target = f"≤ {b.target_ratio:g}" + (f", ≤ {b.target_mib:.0f} MiB" if b.target_mib else "")
        verdict = "PASS" if r["ok"] else "MISS" + ("" if r["ratio_ok"] else " (time)") + \
            ("" if r["mem_ok"] else " (memory)") + (" (rows!)" if r["wrong"] else "")
        rows.append((b.name, f"{b.rows:,}", f"{r['base']:.2f}", f"{r['ours']:.2f}", f"{r['ratio']:.2f}", target,
                     f"{r['peak']:.0f} / {r['base_peak']:.0f}", verdict))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, strict=True)]
    fmt = lambda cells: " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([fmt(head), "-+-".join("-" * w for w in widths), *(fmt(r) for r in rows)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows-csv", type=int, default=1_000_000)
    parser.add_argument("--rows-xlsx", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best is compared (default 3)")
    parser.add_argument("--profile", action="store_true", help="also profile our load (cProfile) per benchmark")
    parser.add_argument("--only", choices=("csv", "xlsx"), help="run one benchmark only")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        child(args.step, args.file)
        return 0

    print("\n".join(machine()), flush=True)
    benches = []
    for kind, rows in (("csv", args.rows_csv), ("xlsx", args.rows_xlsx)):
        if args.only not in (None, kind):
            continue
        start = time.perf_counter()  # made in a child, so this process stays small
        made = subprocess.run([sys.executable, str(HERE / "make_data.py"), kind, str(rows)], check=True,
                              stdout=subprocess.PIPE, text=True)
        path = Path(made.stdout.split()[0])
        print(f"input: {path.relative_to(ROOT)} ({path.stat().st_size / MIB:.1f} MiB, "
              f"ready in {time.perf_counter() - start:.1f} s)", flush=True)
        if kind == "csv":
            benches.append(Bench(f"csv {rows:,} rows vs duckdb read_csv", "duckdb-csv", 2.0, 1024, path, rows))
        else:
            benches.append(Bench(f"xlsx {rows:,} rows vs calamine", "calamine", 1.5, None, path, rows))

    results = []
    for bench in benches:
        print(f"{bench.name}:", flush=True)
        results.append(measure(bench, args.repeat))
    print()
    print(f"best of {args.repeat} (medians: " + "; ".join(
        f"{r['bench'].name.split(' ')[0]} baseline {r['median_base']:.2f} s, ours {r['median_ours']:.2f} s"
        for r in results) + ")")
    print(table(results))
    print("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in os.getloadavg()), flush=True)

    if args.profile:
        for bench in benches:
            print(f"\n=== profile of our load: {bench.name} ({bench.path.name})", flush=True)
            result = run_step("profile", bench.path, echo=True)
            print(f"(profiled run peak {result['peak_mib']:.0f} MiB)", flush=True)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
