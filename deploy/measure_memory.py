"""What one dashboard process holds in memory, and the CPU time it spends: its RSS idle after start,
then with 1 and 8 signed-in sessions open in real Chromium (the overview drawn), then with those 8
having visited every page (through the menu, in the same sessions), then with them closed.
The figures behind docs/SCALING.md; run it again after a change that could move them:

    .venv/bin/python deploy/measure_memory.py [--db data/warehouse.duckdb] [--sessions 8]

It signs in with an account of its own, in a temporary account store, and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.serve_prod import healthy, port_is_free  # noqa: E402

MENU = ["报名量", "现场确认产能", "截止风险", "实施方案", "报送情况", "总览"]  # the sidebar's links, in one session
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "measure-memory-only-2020"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise LookupError(pid)


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settled(pid: int, seconds: float = 5) -> tuple[float, float]:
    """(RSS in MiB, CPU seconds so far) once the process has had `seconds` to finish what the last
    page asked of it."""
    time.sleep(seconds)
    return rss_mib(pid), cpu_seconds(pid)


def drawn(page, what: str) -> None:
    """Wait until the user would see all of the page (signed in, no placeholder left, no error)."""
    page.get_by_text("已登录").first.wait_for(timeout=120_000)
    page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=120_000)
    page.wait_for_timeout(1000)
    if page.locator("[data-testid='stException']").count():
        raise RuntimeError(f"{what} shows an error")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "warehouse.duckdb")
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--port", type=int, default=8691)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} does not exist: run `make run` once, or python -m etl demo/load")
    if not port_is_free("127.0.0.1", args.port):
        sys.exit(f"port {args.port} is in use: --port")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JSZG_ACCOUNTS_DB"] = str(Path(tmp) / "accounts.sqlite")
        from access.identity import add_user, login
        from access.store import Store

        store = Store(Path(os.environ["JSZG_ACCOUNTS_DB"]))
        add_user(store, "measure", "leader", None, PASSWORD)
        env = os.environ | {"JSZG_WAREHOUSE": str(args.db.resolve())}
        argv = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(args.port),
                "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]
        with open(Path(tmp) / "streamlit.log", "w") as log:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            return measure(proc, f"http://127.0.0.1:{args.port}", store, login, args.sessions)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def measure(proc: subprocess.Popen, base: str, store, login, sessions: int) -> int:
    from playwright.sync_api import sync_playwright

    deadline = time.time() + 120
    while not healthy(base):
        if proc.poll() is not None or time.time() > deadline:
            sys.exit("streamlit did not start")
        time.sleep(0.3)
    figures = [("idle after start", settled(proc.pid))]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        pages = []
        for i in range(sessions):
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
            context.add_cookies([{"name": "jszg_session", "url": base,
                                  "value": login(store, "measure", PASSWORD, "127.0.0.1").token}])
            pages.append(context.new_page())
            pages[-1].goto(base, wait_until="networkidle")
            drawn(pages[-1], "总览")
            if i == 0:
                figures.append(("1 session (overview)", settled(proc.pid)))
        figures.append((f"{sessions} sessions (overview)", settled(proc.pid)))
        for page in pages:
            for title in MENU:  # a click on the menu stays in the same session; a new address would not
                page.locator("[data-testid='stSidebar']").get_by_role("link", name=title, exact=True).click()
                page.wait_for_timeout(500)
                drawn(page, title)
        figures.append((f"{sessions} sessions, every page visited", settled(proc.pid)))
        for page in pages:
            page.context.close()
        figures.append(("those sessions closed", settled(proc.pid, 20)))
        browser.close()
    print(f"{'':40} {'RSS':>8} {'CPU used':>9}")
    for what, (mib, cpu) in figures:
        print(f"{what:40} {mib:4.0f} MiB {cpu:7.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
