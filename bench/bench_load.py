"""Loader benchmarks: our load against a bare baseline, measured side by side in one run.

    python bench/bench_load.py [--only csv|xlsx|csv-whole ...] [--rows-csv N] [--rows-xlsx N] [--repeat 3]
                               [--profile] [--json FILE]

(1) csv:       a N-row applicant list (申请人明细, default 1,000,000 rows): `etl.load.load_files` into a new
               warehouse against DuckDB's own `read_csv(all_varchar=true)` of the same file into a table of a
               new file database. Timed inside the child around the operation (imports before the clock).
               Target: ratio ≤ 2.0 and our peak memory ≤ 1 GiB.
(2) xlsx:      a N-row applicant list as .xlsx (default 100,000 rows, written with openpyxl write_only):
               our load against a bare python-calamine read (from_path → get_sheet_by_name → to_python).
               Timed the same way. Target: ratio ≤ 1.5.
(3) csv-whole: the whole command as a user runs it, as a process from spawn to exit (interpreter start,
               imports, the load, publishing, the printed summary):
                   python -m etl load FILE --db NEW/warehouse.duckdb --report NEW/report.json
               (output to a file; --report only to check every row loaded) against the whole baseline process
                   python -c "import sys, duckdb; duckdb.connect(sys.argv[1]).execute(
                       'create table t as select * from read_csv(?, all_varchar=true)', [sys.argv[2]])" NEW.duckdb FILE
               (python, not the duckdb CLI: the CLI is not installed here). Target: ratio ≤ 2.5, our peak ≤ 1 GiB.

Every measured step runs in its own fresh process, with its own temporary directory (a new warehouse path,
JSZG_SECRET_FILE pointing at a new key file). Baseline and ours alternate, `--repeat` times each; the best
(minimum) seconds are compared, medians are printed beside them; peak memory is the largest of the runs.
Peak memory: (1)–(2) the child's own high-water mark (VmHWM from /proc/self/status at the end of the step);
(3) ru_maxrss from os.wait4 of the measured process, which is forked by a tiny launcher (`python -S`, a few
MiB) rather than by this script: on Linux a child's ru_maxrss carries over the peak of the process it was
forked from, so forked from this script (or from one that generated data) it would read as at least our own.
`--profile` adds one cProfile run of our load per benchmark (top 25 by cumulative time, top 15 by own time);
for csv-whole the whole command runs under `python -X importtime -m cProfile` (imports included), and the
slowest top-level imports are listed. Input files are generated once into bench/out/ (git-ignored), reused.

Importable, for an aggregator (bench/run_all.py):

    run(only: Iterable[str] = ("csv", "xlsx", "csv-whole"), *, rows_csv: int = 1_000_000,
        rows_xlsx: int = 100_000, repeat: int = 3, profile: bool = False,
        echo: Callable[[str], None] | None = print) -> dict

runs the chosen benchmarks and returns {"machine": {...}, "rows": [...]}. "machine" holds date, cores, cpu,
ram_gib, os, python and the versions of duckdb, pyarrow, python-calamine, openpyxl and numpy, and the load
average at start and at end. Each row is {"name", "rows", "baseline_s", "ours_s", "ratio", "target",
"peak_mib", "result"} — seconds the best of `repeat`, ratio ours/baseline, target as text ("≤ 2.5, ≤ 1024
MiB"), peak_mib our largest peak, result "PASS" or "FAIL (time)", "FAIL (memory)", "FAIL (rows!)" — plus
"bench" (csv, xlsx or csv-whole), "baseline", "baseline_median_s", "ours_median_s", "baseline_peak_mib",
"target_ratio", "target_mib", "runs" (every run's seconds and MiB) and for csv-whole "baseline_cpu_s" and
"ours_cpu_s" (the least CPU time, user + system, of a run: steadier than seconds on a busy machine).
`echo` hears the progress lines (None: silent). `main(argv)` is the command line; it exits 0 when every
benchmark passes, else 1.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for p in (str(ROOT), str(HERE)):
    if p not in sys.path:
        sys.path.insert(0, p)

MIB = 1024 * 1024
BENCHES = ("csv", "xlsx", "csv-whole")

# The whole baseline process (3): DuckDB's own CSV reader into a new file database, nothing else.
BASELINE_WHOLE = ("import sys, duckdb; duckdb.connect(sys.argv[1]).execute("
                  "'create table t as select * from read_csv(?, all_varchar=true)', [sys.argv[2]])")

# Forks the measured command from a process of a few MiB, times it from fork to exit and reads its
# ru_maxrss from wait4 (Linux carries the forking process's peak into a child's ru_maxrss: forked from
# this script the figure would be at least ours). argv: output file, then the command.
LAUNCHER = """\
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        out = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.execv(sys.argv[2], sys.argv[2:])
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "exit": os.waitstatus_to_exitcode(status), "maxrss_kib": usage.ru_maxrss,
                  "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


@dataclass
class Bench:
    kind: str  # csv, xlsx or csv-whole
    name: str
    baseline: str  # step name
    target_ratio: float
    target_mib: float | None  # peak memory of our load, None = no target
    path: Path
    rows: int

    @property
    def target(self) -> str:
        return f"≤ {self.target_ratio:g}" + (f", ≤ {self.target_mib:.0f} MiB" if self.target_mib else "")


# ---- the measured steps of (1) and (2) (each runs in a child process) -------------------------


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
    # imports are not part of the load; pandas neither: the upload page has it loaded (pyarrow and DuckDB
    # would import it during a first load otherwise)
    import pandas  # noqa: F401

    import etl.load  # noqa: F401

    start = time.perf_counter()
    result = _our_load(path, tmp)
    return {"seconds": time.perf_counter() - start, **_summary(result)}


def step_profile(path: Path, tmp: Path) -> dict:
    import cProfile
    import pstats

    import pandas  # noqa: F401  (as in step_ours)

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


def _env(tmp: Path) -> dict:
    return {**os.environ, "BENCH_TMP": str(tmp), "JSZG_SECRET_FILE": str(tmp / "secret" / "id-hash.key")}


def run_step(step: str, path: Path, echo: Callable[[str], None] | None = None) -> dict:
    """Run one step of (1)–(2) in a new process with a new temporary directory; its result, seconds and
    peak MiB."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{step}-"))
    try:
        proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--step", step, str(path)],
                                stdout=subprocess.PIPE, env=_env(tmp), cwd=tmp, text=True)
        out = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    lines = out.splitlines()
    found = [line for line in lines if line.startswith("BENCH-RESULT ")]
    if echo:
        echo("\n".join(line for line in lines if not line.startswith("BENCH-RESULT ")))
    if proc.returncode != 0 or not found:
        print(out, file=sys.stderr)
        raise SystemExit(f"step {step} on {path} failed (exit {proc.returncode})")
    result = json.loads(found[-1][len("BENCH-RESULT "):])
    result["ru_maxrss_mib"] = usage.ru_maxrss * 1024 / MIB  # Linux: KiB; includes the parent's peak at fork
    result["peak_mib"] = (result["vmhwm_kib"] or usage.ru_maxrss) * 1024 / MIB
    return result


def whole_command(side: str, path: Path, tmp: Path) -> list[str]:
    """The command line (3) measures: `ours` is the loader's command, `baseline` DuckDB's read_csv."""
    if side == "baseline":
        return [sys.executable, "-c", BASELINE_WHOLE, str(tmp / "baseline.duckdb"), str(path)]
    return [sys.executable, "-m", "etl", "load", str(path), "--db", str(tmp / "warehouse.duckdb"),
            "--report", str(tmp / "report.json")]


def run_whole(side: str, path: Path, rows: int, prefix: list[str] | None = None, root: Path = ROOT) -> dict:
    """One whole process of (3): seconds from fork to exit, peak MiB from its ru_maxrss; for ours the
    rows loaded (from its report), for the baseline the rows in its table (counted afterwards, untimed).
    `root`: the checkout whose loader runs (another one to compare versions)."""
    tmp = Path(tempfile.mkdtemp(prefix=f"bench-whole-{side}-"))
    try:
        command = whole_command(side, path, tmp)
        if prefix:  # --profile: the same command under a profiler
            command = [command[0], *prefix, *command[1:]]
        launched = subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(tmp / "output.txt"), *command],
                                  stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, env=_env(tmp), cwd=root,
                                  text=True, check=True)
        result = json.loads(launched.stdout)
        output = (tmp / "output.txt").read_text(encoding="utf-8", errors="replace")
        result["peak_mib"] = result["maxrss_kib"] * 1024 / MIB
        result["output"] = output
        if side == "ours":
            report = json.loads((tmp / "report.json").read_text(encoding="utf-8")) if result["exit"] == 0 else []
            result["status"] = report[0]["status"] if report else f"exit {result['exit']}"
            result["rows"] = report[0]["rows_loaded"] if report else 0
        else:
            result["status"] = "read" if result["exit"] == 0 else f"exit {result['exit']}"
            result["rows"] = _count_rows(tmp / "baseline.duckdb") if result["exit"] == 0 else 0
        if result["exit"] != 0 or result["rows"] != rows:
            print(output[-3000:], file=sys.stderr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def _count_rows(db: Path) -> int:
    out = subprocess.run([sys.executable, "-c", "import sys, duckdb; print(duckdb.connect(sys.argv[1], read_only=True)"
                          ".execute('select count(*) from t').fetchone()[0])", str(db)],
                         stdout=subprocess.PIPE, text=True, check=True)
    return int(out.stdout)


def machine() -> dict:
    from importlib.metadata import version

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) * 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    return {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(),
            "cores_usable": len(os.sched_getaffinity(0)), "cpu": cpu, "ram_gib": round(mem / 1024**3, 1),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            **{name: version(name) for name in ("duckdb", "pyarrow", "python-calamine", "openpyxl", "numpy")},
            "load_average_start": [round(x, 2) for x in os.getloadavg()]}


def machine_lines(m: dict) -> list[str]:
    return [f"date: {m['date']}",
            f"machine: {m['cores']} cores (nproc {m['cores_usable']}), {m['cpu']}, {m['ram_gib']} GiB RAM, {m['os']}",
            f"python {m['python']}; duckdb {m['duckdb']}, python-calamine {m['python-calamine']}, "
            f"pyarrow {m['pyarrow']}, openpyxl {m['openpyxl']}, numpy {m['numpy']}",
            "load average (1, 5, 15 min) at start: " + ", ".join(f"{x:.2f}" for x in m["load_average_start"])]


def measure(bench: Bench, repeat: int, say: Callable[[str], None]) -> dict:
    base, ours = [], []
    for i in range(repeat):  # alternate, so a busy moment on the machine hits both sides alike
        if bench.kind == "csv-whole":
            base.append(run_whole("baseline", bench.path, bench.rows))
            ours.append(run_whole("ours", bench.path, bench.rows))
        else:
            base.append(run_step(bench.baseline, bench.path))
            ours.append(run_step("ours", bench.path))
        cpu = [f", {r['cpu_s']:.2f} s CPU" if "cpu_s" in r else "" for r in (base[-1], ours[-1])]
        say(f"  {bench.name} run {i + 1}/{repeat}: baseline {base[-1]['seconds']:.2f} s "
            f"({base[-1]['peak_mib']:.0f} MiB{cpu[0]}), ours {ours[-1]['seconds']:.2f} s "
            f"({ours[-1]['peak_mib']:.0f} MiB{cpu[1]}, {ours[-1]['status']}, {ours[-1]['rows']} rows loaded)")
    wrong = [r for r in ours if r["rows"] != bench.rows or r["status"] != "loaded"]
    wrong += [r for r in base if r["rows"] != bench.rows]
    if wrong:
        say(f"  !! {bench.name}: a run did not load all {bench.rows} rows: "
            + str({k: v for k, v in wrong[0].items() if k != "output"}))
    b = min(r["seconds"] for r in base)
    o = min(r["seconds"] for r in ours)
    peak = max(r["peak_mib"] for r in ours)
    ratio = o / b
    ratio_ok = ratio <= bench.target_ratio
    mem_ok = bench.target_mib is None or peak <= bench.target_mib
    result = "PASS" if ratio_ok and mem_ok and not wrong else "FAIL" + ("" if ratio_ok else " (time)") + \
        ("" if mem_ok else " (memory)") + (" (rows!)" if wrong else "")
    return {"name": bench.name, "rows": bench.rows, "baseline_s": round(b, 3), "ours_s": round(o, 3),
            "ratio": round(ratio, 3), "target": bench.target, "peak_mib": round(peak), "result": result,
            "bench": bench.kind, "baseline": bench.baseline,
            "baseline_median_s": round(_median([r["seconds"] for r in base]), 3),
            "ours_median_s": round(_median([r["seconds"] for r in ours]), 3),
            "baseline_peak_mib": round(max(r["peak_mib"] for r in base)),
            "target_ratio": bench.target_ratio, "target_mib": bench.target_mib,
            **({"baseline_cpu_s": round(min(r["cpu_s"] for r in base), 3),
                "ours_cpu_s": round(min(r["cpu_s"] for r in ours), 3)} if "cpu_s" in ours[0] else {}),
            "runs": [{"baseline_s": round(x["seconds"], 3), "ours_s": round(y["seconds"], 3),
                      "baseline_mib": round(x["peak_mib"]), "ours_mib": round(y["peak_mib"])}
                     for x, y in zip(base, ours, strict=True)]}


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def table(rows: list[dict]) -> str:
    head = ("benchmark", "rows", "baseline s", "ours s", "ratio", "target", "peak MiB (ours/base)", "result")
    lines = [(r["name"], f"{r['rows']:,}", f"{r['baseline_s']:.2f}", f"{r['ours_s']:.2f}", f"{r['ratio']:.2f}",
              r["target"], f"{r['peak_mib']} / {r['baseline_peak_mib']}", r["result"]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines, strict=True)]
    fmt = lambda cells: " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    return "\n".join([fmt(head), "-+-".join("-" * w for w in widths), *(fmt(r) for r in lines)])


def prepare(kind: str, rows: int, say: Callable[[str], None]) -> Bench:
    """The benchmark `kind` with its input file, made (in a child, so this process stays small) if missing."""
    data = "xlsx" if kind == "xlsx" else "csv"
    start = time.perf_counter()
    made = subprocess.run([sys.executable, str(HERE / "make_data.py"), data, str(rows)], check=True,
                          stdout=subprocess.PIPE, text=True)
    path = Path(made.stdout.split()[0])
    say(f"input: {path.relative_to(ROOT)} ({path.stat().st_size / MIB:.1f} MiB, "
        f"ready in {time.perf_counter() - start:.1f} s)")
    if kind == "csv":
        return Bench(kind, f"csv {rows:,} rows vs duckdb read_csv", "duckdb-csv", 2.0, 1024, path, rows)
    if kind == "csv-whole":
        return Bench(kind, f"csv-whole {rows:,} rows, whole process: etl load vs duckdb read_csv",
                     "python -c duckdb read_csv", 2.5, 1024, path, rows)
    return Bench(kind, f"xlsx {rows:,} rows vs calamine", "calamine", 1.5, None, path, rows)


def run(only: Iterable[str] = BENCHES, *, rows_csv: int = 1_000_000, rows_xlsx: int = 100_000, repeat: int = 3,
        profile: bool = False, echo: Callable[[str], None] | None = print) -> dict:
    """Run the chosen benchmarks (csv, xlsx, csv-whole), each `repeat` times a side, alternating;
    {"machine": {...}, "rows": [...]} as the module's docstring describes."""
    say = (lambda line: echo(line)) if echo else (lambda line: None)
    chosen = [kind for kind in BENCHES if kind in set(only)]
    unknown = set(only) - set(BENCHES)
    if unknown:
        raise ValueError(f"unknown benchmark(s) {sorted(unknown)}: choose from {BENCHES}")
    info = machine()
    for line in machine_lines(info):
        say(line)
    benches = [prepare(kind, rows_xlsx if kind == "xlsx" else rows_csv, say) for kind in chosen]
    rows = []
    for bench in benches:
        say(f"{bench.name}:")
        rows.append(measure(bench, repeat, say))
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    say("")
    say(f"best of {repeat} (medians: " + "; ".join(
        f"{r['bench']} baseline {r['baseline_median_s']:.2f} s, ours {r['ours_median_s']:.2f} s" for r in rows) + ")")
    for r in rows:
        if "ours_cpu_s" in r:
            say(f"{r['bench']}: CPU time (user + system, least of {repeat}): baseline {r['baseline_cpu_s']:.2f} s, "
                f"ours {r['ours_cpu_s']:.2f} s ({r['ours_cpu_s'] / r['baseline_cpu_s']:.2f}×)")
    say(table(rows))
    say("load average (1, 5, 15 min) at end: " + ", ".join(f"{x:.2f}" for x in info["load_average_end"]))
    if profile:
        for bench in benches:
            say(f"\n=== profile of our load: {bench.name} ({bench.path.name})")
            if bench.kind == "csv-whole":
                profile_whole(bench, say)
            else:
                result = run_step("profile", bench.path, echo=say)
                say(f"(profiled run peak {result['peak_mib']:.0f} MiB)")
    return {"machine": info, "rows": rows}


def profile_whole(bench: Bench, say: Callable[[str], None]) -> None:
    """The whole command under cProfile (imports included) and -X importtime: where its seconds go."""
    with tempfile.TemporaryDirectory(prefix="bench-whole-profile-") as folder:
        stats_file = Path(folder) / "whole.pstats"
        profiler = ["-X", "importtime", "-m", "cProfile", "-o", str(stats_file)]
        result = run_whole("ours", bench.path, bench.rows, profiler)
        say(f"(profiled run: {result['seconds']:.1f} s with cProfile's overhead, peak {result['peak_mib']:.0f} MiB, "
            f"{result['status']})")
        imports = _top_imports(result["output"])
        say(f"--- top-level imports: {sum(us for _, us in imports) / 1e6:.2f} s in all (-X importtime, "
            "under cProfile); the slowest:")
        for name, us in imports[:12]:
            say(f"  {us / 1e6:6.3f} s  {name}")
        text = io.StringIO()
        stats = pstats.Stats(str(stats_file), stream=text)
        stats.strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        say("--- top 30 by cumulative time\n" + text.getvalue())


def _top_imports(output: str) -> list[tuple[str, int]]:
    """Modules imported at the top level (not from inside another module's import) and their cumulative
    microseconds, from -X importtime's lines, slowest first."""
    found = []
    for line in output.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line[len("import time:"):].split("|", 2)
        if cumulative.strip().isdigit() and name.startswith(" ") and not name.startswith("  "):
            found.append((name.strip(), int(cumulative)))
    return sorted(found, key=lambda x: -x[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=BENCHES,
                        help="run this benchmark (may be given more than once; default: all three)")
    parser.add_argument("--whole", action="store_true", help="the same as --only csv-whole")
    parser.add_argument("--rows-csv", type=int, default=1_000_000)
    parser.add_argument("--rows-xlsx", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each side; the best is compared (default 3)")
    parser.add_argument("--profile", action="store_true", help="also profile our load (cProfile) per benchmark")
    parser.add_argument("--json", type=Path, help="also write the result ({machine, rows}) to this file")
    parser.add_argument("--step", choices=sorted(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        child(args.step, args.file)
        return 0
    only = (args.only or []) + (["csv-whole"] if args.whole else [])
    result = run(only or BENCHES, rows_csv=args.rows_csv, rows_xlsx=args.rows_xlsx, repeat=args.repeat,
                 profile=args.profile, echo=lambda line: print(line, flush=True))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r["result"] == "PASS" for r in result["rows"]) else 1


if __name__ == "__main__":
    sys.exit(main())
