"""Sessions (issue 14): N people using the dashboard at once, through the real server.

    .venv/bin/python bench/bench_sessions.py [--sessions 1,8,32] [--rounds 3] [--repeat 1] [--think 0]
                                             [--procs 1] [--server-arg=--server.X=Y] [--warehouse PATH]
                                             [--json PATH]

Each simulated person is one browser tab without a browser (bench/sessions_client.py speaks
Streamlit's websocket protocol as its frontend does): signed in as provincial leadership (the
`jszg_session` cookie in the websocket handshake, as Chromium sends it), it opens the dashboard
(the "first visit": the tab's first run, the default page 总览), then `--rounds` times clicks
through the seven pages of the menu (dashboard.PAGES) and, after each round, changes the sidebar's
截至日期 (a widget change: 2020-07-03, then back to the latest date, …). N people run at once
(asyncio, one websocket each), each waiting `--think` seconds on average (exponential, fixed seed)
after a page before the next click; 0 (the default) clicks as soon as the page is there.

A run's time is from sending the request to receiving its final `script_finished`, every delta of
the page before it. A run is an error if it times out (--timeout), the socket closes, the script
ends with an exception element or a compile error, the page shows its friendly error (error.friendly)
or the sign-in form, the server ran another page than the one asked for (or says page not found),
or the page's own heading (MARKERS) is missing from its main area.

Server: a fresh `streamlit run dashboard.py` per N (and per --repeat), so no N inherits sessions,
memory or a busy event loop from another; each is warmed by one untimed person doing two rounds
(every page at both dates) before the N start at once. One process uses about one core however
many sessions it has (the scripts run in its threads, under one GIL): `--procs P` starts P of them
and puts person i on process i mod P, as `make serve-prod`'s sticky nginx spreads browsers (nginx
itself is not in the path); `--server-arg` passes options on, e.g. serve-prod's
`--server-arg=--server.fileWatcherType=none`. N alternate (1, 8, 32, 1, 8, 32 with
--repeat 2) so other load on a shared machine falls on all of them alike. The first server also
runs the self-checks: a signed-in tab passes, and a tab without the cookie (sign-in form), a page
hash the app does not have (another page ran) and a malformed widget state (an exception) must each
be caught as an error.

An exception's message is redacted on the page (client.showErrorDetails = "none"); the traceback
is in the server's log, bench/out/sessions-logs/<start time>/server-N-P-R.log (N sessions, process
P, pass R). With Streamlit's file watcher on (the
project's config; serve-prod turns it off), a source file changed on disk while sessions run makes
runs fail at once with ImportError / KeyError from the re-import: in a shared checkout, someone's
commit during a run shows as errors.

Targets: 8 sessions p95 ≤ 2.5 × one session's median page time; 32 sessions p95 ≤ 5 × it; and no
errors (the issue asks it of 32; an erroring run is not a page served, so it is asked of 8 too).

`run(args) -> dict` (args: an argparse.Namespace as `parse_args` gives, a list of command-line
words, or None for the defaults) returns:

    {"rows": [                       # one per N, in the order asked
        {"sessions": 8,              # N
         "runs": 168, "errors": 0,   # page runs (rounds × 7 pages × N) and how many were errors
         "p50": 1.23, "p95": 2.34, "max": 3.45,    # page run seconds (errors included)
         "ratio": 1.9,               # p95 / median page seconds at N = 1 (None without an N = 1)
         "target": 2.5,              # None when the issue sets none for this N
         "result": "PASS",           # "PASS", "FAIL" or "-" (no target)
         "first_visit": {"runs", "errors", "p50", "p95", "max"},   # the tabs' first runs
         "interaction": {"runs", "errors", "p50", "p95", "max"},   # the date changes
         "pages": {"overview": {"p50": .., "p95": ..}, ...},       # page runs by page
         "error_examples": ["risk: timeout", ...],                 # up to 5
         "wall_s": 41.0,             # from the first connect to the last close
         "server_cpu_s": 60.2,       # the server processes' CPU seconds in that time (user + system)
         "client_cpu_s": 3.1,        # this process's (the load generator's) CPU seconds
         "server_cpu_per_run_s": 0.4,  # server CPU seconds / runs of every kind
         "load_average": [1.9, 1.5, 1.2]},                         # at the end of that N
        ...],
     "machine": {"cores", "cpu", "ram_gib", "python", "streamlit", "websockets", "protobuf",
                 "duckdb", "load_average"},                         # load average at the start
     "config": {"sessions", "rounds", "repeat", "think", "procs", "timeout", "warehouse", "server_args", "server",
                "logs"},
     "baseline_median": 0.45,        # median page seconds at N = 1
     "checks": [{"name", "error", "caught"}]}   # the self-checks: each bad tab and what caught it
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for _p in (str(ROOT), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

import common  # noqa: E402
from common import demo_warehouse, leader_tokens, serve, table_lines  # noqa: E402
from sessions_client import Run, Session  # noqa: E402

from texts import t  # noqa: E402

OUT = HERE / "out"
LOGS = OUT / "sessions-logs"  # a folder per run: <start time>/server-N-P-R.log
TARGETS = {8: 2.5, 32: 5.0}
# The menu's pages (dashboard.PAGES, url path as st.Page derives it) and the heading only that page shows.
MARKERS = {"overview": "overview.by_region", "registrations": "reg.compare", "capacity": "cap.whatif",
           "risk": "risk.pick", "plans": "plans.title", "submissions": "subm.reminder",
           "briefing": "briefing.page.prepare"}
DEFAULT_PAGE = "overview"  # url path "" in the menu
DATES = ("2020-07-03", None)  # the date change after each round: this day, then back to the latest (None)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sessions", default="1,8,32", help="comma-separated N (default 1,8,32)")
    p.add_argument("--rounds", type=int, default=3, help="times each person clicks through the 7 pages (default 3)")
    p.add_argument("--repeat", type=int, default=1, help="cycle through the N this many times, pooled (default 1)")
    p.add_argument("--think", type=float, default=0.0, help="mean seconds a person reads a page (default 0)")
    p.add_argument("--procs", type=int, default=1,
                   help="server processes (default 1); person i uses process i mod procs, as `make serve-prod` "
                        "spreads browsers")
    p.add_argument("--timeout", type=float, default=180.0, help="seconds before a run counts as timed out")
    p.add_argument("--warehouse", type=Path, help="a loaded warehouse (default: the demo, made once in bench/out/)")
    p.add_argument("--server-arg", action="append", default=[], metavar="ARG",
                   help="an extra streamlit run option (repeatable): --server-arg=--server.fileWatcherType=none")
    p.add_argument("--json", type=Path, help="also write the result dict here")
    return p.parse_args(argv)


# --- the machine, the warehouse, accounts, the server -------------------------------------------------

def machine() -> dict:
    """bench/common.py's machine, with the protocol libraries this benchmark speaks through."""
    import google.protobuf
    import websockets

    return common.machine() | {"websockets": websockets.__version__, "protobuf": google.protobuf.__version__}


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (/proc/PID/stat), 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --- one person -------------------------------------------------------------------------------------

def problem(run: Run, session: Session, page: str) -> str | None:
    """Why this run is not the page asked for, or None."""
    if run.status != "ok":
        return run.status
    if run.exceptions:
        return f"exception {run.exceptions[0][:100]}"
    friendly = {t("error.friendly", lang) for lang in ("zh", "en")}
    if any(f in s for s in run.texts for f in friendly):
        return "the page's friendly error"
    if run.has_text(t("signin.title")):
        return "the sign-in form (not signed in)"
    if run.page_not_found is not None:
        return f"page not found ({run.page_not_found})"
    expected = session.pages.get("" if page == DEFAULT_PAGE else page)
    if run.page_hash != expected:
        return f"ran {session.titles.get(run.page_hash, run.page_hash or 'nothing')!r}, not {page}"
    if not run.has_text(t(MARKERS[page])):
        return f"no {t(MARKERS[page])!r} on the page"
    return None


class Person:
    """One simulated user: a tab, its runs as (kind, page, seconds, problem)."""

    def __init__(self, url: str, token: str | None, think: float, seed: int, timeout: float):
        self.session = Session(url, {"jszg_session": token} if token else None, timeout=timeout)
        self.think, self.random, self.records = think, random.Random(seed), []

    def record(self, kind: str, page: str, run: Run) -> str | None:
        trouble = problem(run, self.session, page)
        self.records.append((kind, page, run.seconds, trouble))
        return trouble

    async def pause(self) -> None:
        if self.think > 0:
            await asyncio.sleep(self.random.expovariate(1 / self.think))

    async def visit(self, rounds: int) -> None:
        try:
            await self.session.open()
        except Exception as e:  # a refused or failed handshake is an error like any other
            self.records.append(("first", DEFAULT_PAGE, 0.0, f"could not connect: {e}"))
            return
        try:
            if self.record("first", DEFAULT_PAGE, await self.session.first_run()):
                return  # nothing to click on
            latest = dict(p.split("=", 1) for p in self.session.query_string.split("&") if "=" in p).get("as_of")
            for r in range(rounds):
                for page in MARKERS:
                    await self.pause()
                    self.record("page", page, await self.session.goto("" if page == DEFAULT_PAGE else page))
                await self.pause()
                await self.change_date(DATES[r % len(DATES)] or latest)
        finally:
            await self.session.close()

    async def change_date(self, day: str) -> None:
        widget = self.session.widget("date_input", t("sidebar.as_of"))
        page = next((p for p in MARKERS if self.session.pages.get("" if p == DEFAULT_PAGE else p)
                     == self.session.current_page), DEFAULT_PAGE)
        if widget is None:
            self.records.append(("interaction", page, 0.0, "no date field in the sidebar"))
            return
        run = await self.session.set_widget(widget.id, string_array_value=[day])
        if not self.record("interaction", page, run) and f"as_of={day}" not in self.session.query_string:
            self.records[-1] = (*self.records[-1][:3], f"the date did not change to {day}")


async def crowd(urls: list[str], toks: list[str], rounds: int, think: float, timeout: float) -> list[Person]:
    """len(toks) people at once, person i on server i mod len(urls) (as a sticky proxy spreads browsers)."""
    people = [Person(urls[i % len(urls)], tok, think, seed=i, timeout=timeout) for i, tok in enumerate(toks)]
    await asyncio.gather(*(p.visit(rounds) for p in people))
    return people


async def self_checks(url: str, token: str, timeout: float) -> list[dict]:
    """Tabs that must be caught as errors (and one that must not)."""
    checks = []

    async def check(name: str, bad: bool, steps, signed_in: bool = True) -> None:
        async with Session(url, {"jszg_session": token} if signed_in else None, timeout=timeout) as s:
            run, page = await steps(s)
            trouble = problem(run, s, page)
        checks.append({"name": name, "error": trouble, "caught": (trouble is not None) == bad})

    async def signed_in(s):
        await s.first_run()
        return await s.goto("risk"), "risk"

    async def no_cookie(s):
        return await s.first_run(), DEFAULT_PAGE

    async def bogus_page(s):
        await s.first_run()
        s.pages["risk"] = "0123456789abcdef0123456789abcdef"  # a hash the app does not have
        return await s.goto("risk"), "risk"

    async def broken_widget(s):
        await s.first_run()
        widget = s.widget("date_input", t("sidebar.as_of"))
        return await s.set_widget(widget.id, int_value=5), DEFAULT_PAGE  # a date field holds strings

    await check("a signed-in tab opens 截止风险", False, signed_in)
    await check("a tab without the sign-in cookie", True, no_cookie, signed_in=False)
    await check("a page hash the app does not have", True, bogus_page)
    await check("a malformed widget state (the script raises)", True, broken_widget)
    return checks


# --- figures ----------------------------------------------------------------------------------------

def quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def summary(records: list[tuple]) -> dict:
    seconds = [r[2] for r in records]
    return {"runs": len(records), "errors": sum(r[3] is not None for r in records),
            "p50": round(statistics.median(seconds), 3) if seconds else None,
            "p95": round(quantile(seconds, 0.95), 3) if seconds else None,
            "max": round(max(seconds), 3) if seconds else None}


def row(n: int, records: list[tuple], wall: float, server_cpu: float, client_cpu: float, load: list[float]) -> dict:
    pages = [r for r in records if r[0] == "page"]
    out = {"sessions": n, **summary(pages),
           "first_visit": summary([r for r in records if r[0] == "first"]),
           "interaction": summary([r for r in records if r[0] == "interaction"]),
           "pages": {p: {k: v for k, v in summary([r for r in pages if r[1] == p]).items() if k in ("p50", "p95")}
                     for p in MARKERS},
           "error_examples": [f"{r[0]} {r[1]}: {r[3]}" for r in records if r[3]][:5],
           "wall_s": round(wall, 1), "server_cpu_s": round(server_cpu, 1), "client_cpu_s": round(client_cpu, 1),
           "server_cpu_per_run_s": round(server_cpu / len(records), 3) if records else None, "load_average": load}
    return out


def judge(rows: list[dict]) -> float | None:
    one = next((r for r in rows if r["sessions"] == 1), None)
    base = one["p50"] if one and one["runs"] else None
    for r in rows:
        r["ratio"] = round(r["p95"] / base, 2) if base and r["p95"] is not None else None
        r["target"] = TARGETS.get(r["sessions"])
        if r["target"] is None or r["ratio"] is None:
            r["result"] = "-"
        else:
            r["result"] = "PASS" if r["ratio"] <= r["target"] and r["errors"] == 0 and r["first_visit"]["errors"] == 0 \
                and r["interaction"]["errors"] == 0 else "FAIL"
    return base


# --- the run ------------------------------------------------------------------------------------------

def as_namespace(args) -> argparse.Namespace:
    if args is None or isinstance(args, list):
        return parse_args(args or [])
    defaults = vars(parse_args([]))
    return argparse.Namespace(**(defaults | {k: v for k, v in vars(args).items() if v is not None}))


def run(args=None) -> dict:
    args = as_namespace(args)
    ns = [int(x) for x in str(args.sessions).split(",") if x.strip()]
    info = machine()
    print(machine_line(info), flush=True)
    db = (args.warehouse or demo_warehouse(1.0)).resolve()
    config = {"sessions": ns, "rounds": args.rounds, "repeat": args.repeat, "think": args.think,
              "timeout": args.timeout, "warehouse": str(db), "server_args": list(args.server_arg),
              "procs": args.procs,
              "server": "a fresh streamlit run per N (per process), warmed by one untimed person (two rounds)"}
    pooled: dict[int, list] = {n: [] for n in ns}
    costs: dict[int, list] = {n: [0.0, 0.0, 0.0, []] for n in ns}
    checks: list[dict] = []
    logs = LOGS / time.strftime("%Y%m%d-%H%M%S")
    config["logs"] = str(logs)
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as tmp:
        folder = Path(tmp)
        env = os.environ | {"JSZG_WAREHOUSE": str(db), "JSZG_ACCOUNTS_DB": str(folder / "accounts.sqlite"),
                            "JSZG_SECRET_FILE": str(folder / "secret.key")}
        toks = leader_tokens(folder, max(ns) + 1)
        for rep in range(args.repeat):
            for n in ns:
                with contextlib.ExitStack() as stack:
                    procs = [stack.enter_context(serve("dashboard.py", env, logs / f"server-{n}-{i + 1}-{rep + 1}.log",
                                                       tuple(args.server_arg))) for i in range(args.procs)]
                    urls, pids = [u for u, _ in procs], [pid for _, pid in procs]
                    for url in urls:
                        warm = asyncio.run(crowd([url], toks[-1:], 2, 0.0, args.timeout))
                        bad = next((r for r in warm[0].records if r[3]), None)
                        if bad:
                            raise SystemExit(f"the warm-up failed: {bad[0]} {bad[1]}: {bad[3]}")
                    if not checks:
                        checks = asyncio.run(self_checks(urls[0], toks[-1], args.timeout))
                    print(f"N={n} (pass {rep + 1}/{args.repeat}): {n} sessions × ({args.rounds} rounds × "
                          f"{len(MARKERS)} pages + first visit + {args.rounds} date changes) on {args.procs} "
                          f"server process(es) ...", flush=True)
                    cpu0, client0, t0 = sum(map(cpu_seconds, pids)), time.process_time(), time.perf_counter()
                    people = asyncio.run(crowd(urls, toks[:n], args.rounds, args.think, args.timeout))
                    wall = time.perf_counter() - t0
                    costs[n][0] += wall
                    costs[n][1] += sum(map(cpu_seconds, pids)) - cpu0
                    costs[n][2] += time.process_time() - client0
                    costs[n][3] = load_average()
                    pooled[n] += [r for p in people for r in p.records]
    rows = [row(n, pooled[n], *costs[n]) for n in ns]
    base = judge(rows)
    result = {"rows": rows, "machine": info, "config": config, "baseline_median": base, "checks": checks}
    print_result(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return result


def machine_line(m: dict) -> str:
    return (f"machine: {m['cores']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM; Python {m['python']}, "
            f"streamlit {m['streamlit']}, websockets {m['websockets']}, protobuf {m['protobuf']}, "
            f"duckdb {m['duckdb']}; load average {m['load_average']}")


def fmt(x) -> str:
    return "-" if x is None else f"{x:.2f}"


def print_result(res: dict) -> None:
    cfg = res["config"]
    print()
    print("self-checks (each bad tab must be an error):")
    for c in res["checks"]:
        print(f"  {'ok  ' if c['caught'] else 'MISS'} {c['name']}: {c['error'] or 'no error'}")
    print()
    print(f"page runs: {cfg['rounds']} rounds × {len(MARKERS)} pages per session, think {cfg['think']:g} s, "
          f"repeat {cfg['repeat']}, {cfg['procs']} server process(es) "
          f"{' '.join(cfg['server_args']) or 'as configured'}; "
          f"median page at N=1: {fmt(res['baseline_median'])} s")
    rows = [[r["sessions"], r["runs"], r["errors"], fmt(r["p50"]), fmt(r["p95"]), fmt(r["max"]), fmt(r["ratio"]),
             f"≤ {r['target']}" if r["target"] else "-", r["result"]] for r in res["rows"]]
    for line in table_lines(["N", "page runs", "errors", "p50 s", "p95 s", "max s", "p95 / median(N=1)", "target",
                       "result"], rows):
        print(line)
    print()
    rows = [[r["sessions"], *[f"{fmt(r[k]['p50'])} / {fmt(r[k]['p95'])} / {fmt(r[k]['max'])} ({r[k]['errors']} err)"
                              for k in ("first_visit", "interaction")],
             f"{r['wall_s']:.0f}", f"{r['server_cpu_s']:.0f} ({fmt(r['server_cpu_per_run_s'])} per run)",
             f"{r['client_cpu_s']:.1f}", ", ".join(f"{x:.2f}" for x in r["load_average"])] for r in res["rows"]]
    for line in table_lines(["N", "first visit p50/p95/max s", "date change p50/p95/max s", "wall s", "server CPU s",
                       "client CPU s", "load avg after"], rows):
        print(line)
    print()
    print("page p50 / p95 seconds by page:")
    for line in table_lines(["page", *[f"N={r['sessions']}" for r in res["rows"]]],
                      [[p, *[f"{fmt(r['pages'][p]['p50'])} / {fmt(r['pages'][p]['p95'])}" for r in res["rows"]]]
                       for p in MARKERS]):
        print(line)
    for r in res["rows"]:
        for e in r["error_examples"]:
            print(f"  N={r['sessions']} error: {e}")
    if any(r["error_examples"] for r in res["rows"]):
        print(f"  (tracebacks in the servers' logs: {res['config']['logs']}/server-N-P-R.log)")
    print(f"load average at the end: {load_average()}")


if __name__ == "__main__":
    run(parse_args())
