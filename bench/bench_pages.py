"""Pages and interactions in a real browser: the dashboard against the floor app, side by side.

    .venv/bin/python bench/bench_pages.py [--rounds 5] [--scale 1] [--json PATH]

Two real servers run at once — `streamlit run dashboard.py` on the demo warehouse (signed in as a
provincial leader by cookie) and `streamlit run bench/floor_app.py` (6 metrics, 3 plotly charts and
2 tables per page from frames in memory) — and one system Chromium drives both, 1600×1000.

- **Pages**: a click on a page's link in the sidebar menu until the page has settled: the script
  has run (Streamlit's own `script_finished` message read off the page's websocket), the app says
  it is not running, nothing is stale or a skeleton, and every chart the page draws (counted on an
  untimed visit first) has its SVG. Each of our pages in turn, and after each one a click between
  the floor's two pages; `--rounds` times. Target: every page's median ≤ 1.3× the floor's median.
- **Interactions**: on 总览, a date typed into the sidebar (then a click on the title) and a region picked in the
  sidebar (全省 → 郑州市), each until settled as above; the floor's date and region the same way on
  its first page. Target ≤ 1.3× the floor's median for the same widget.
- **First visit**: a new browser context (a new session on the warm server, signed in) from the
  address to the first page settled with its charts; against the floor's first visit. Target ≤ 2×.

Medians over the rounds, times measured in this process around the click and the wait (the same
way for both apps). `run(args)` returns {"rows": [...], "machine": {...}}; each row is
{"what", "ours_s", "floor_s", "ratio", "target", "result", "n"}.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OUT,
    demo_warehouse,
    env_for,
    leader_token,
    machine,
    median,
    report,
    server,
    table_lines,
    verdict,
)

OUR_PAGES = ["总览", "报名量", "现场确认产能", "截止风险", "实施方案", "报送情况", "周报"]
FLOOR_PAGES = ["页面一", "页面二"]
PROVINCE = "河南省（全省）"  # the sidebar's word for the whole province (texts: sidebar.province)
VIEWPORT = {"width": 1600, "height": 1000}

SETTLED = """([charts]) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stSkeleton]') || document.querySelector('[data-stale=true]')) return false;
  const drawn = [...document.querySelectorAll('.js-plotly-plot')].filter((p) => p.querySelector('.main-svg'));
  return drawn.length >= charts;
}"""

CHARTS = "() => [...document.querySelectorAll('.js-plotly-plot')].filter((p) => p.querySelector('.main-svg')).length"


STATE = """() => ({state: document.querySelector('[data-testid=stApp]')?.getAttribute('data-test-script-state'),
  stale: document.querySelectorAll('[data-stale=true]').length,
  skeletons: document.querySelectorAll('[data-testid=stSkeleton]').length, address: location.href})"""


class Runs:
    """How many script runs of a page's session have finished (read from Streamlit's own messages on
    the page's websocket: ForwardMsg.script_finished, FINISHED_SUCCESSFULLY)."""

    def __init__(self, page):
        self.page, self.finished = page, 0
        page.on("websocket", lambda ws: ws.on("framereceived", self.frame))

    def frame(self, payload) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        if isinstance(payload, str):
            return
        msg = ForwardMsg.FromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            self.finished += 1

    def wait_beyond(self, count: int, timeout: float = 120.0) -> None:
        deadline = time.perf_counter() + timeout
        while self.finished <= count:
            if time.perf_counter() > deadline:
                raise SystemExit(f"no script run finished within {timeout:.0f} s of the action")
            self.page.wait_for_timeout(10)


RUNS: dict = {}


def settle(page, charts: int, timeout: float = 120_000) -> None:
    try:
        page.wait_for_function(SETTLED, arg=[charts], timeout=timeout, polling=20)
    except Exception as e:
        state = page.evaluate(STATE) | {"charts": page.evaluate(CHARTS), "wanted": charts}
        page.screenshot(path=str(OUT / "bench-pages-stuck.png"))
        raise SystemExit(f"the page did not settle: {state} (screenshot bench/out/bench-pages-stuck.png)") from e


def timed(page, action, charts: int) -> float:
    """Seconds from the action to the page settled with `charts` charts drawn."""
    runs = RUNS[page]
    before = runs.finished
    start = time.perf_counter()
    action()
    runs.wait_beyond(before)
    settle(page, charts)
    return time.perf_counter() - start


def nav(page, name: str):
    return lambda: page.locator("[data-testid=stSidebar]").get_by_role("link", name=name, exact=True).click()


def pick(page, label: str, option: str):
    def act() -> None:
        page.locator("[data-testid=stSidebar]").get_by_role("combobox", name=label, exact=True).click()
        page.get_by_role("option", name=option, exact=True).click()
    return act


def type_date(page, day: str):
    def act() -> None:
        field = page.locator("[data-testid=stSidebar] [data-testid=stDateInput] input")
        field.fill(day)
        page.locator("[data-testid=stMain] h1").first.click()  # a typed date commits when focus leaves it
    return act


def learn(page, name: str) -> int:
    """Visit a page untimed; how many charts it draws once everything has come."""
    nav(page, name)()
    settle(page, 0)
    page.wait_for_timeout(2500)
    settle(page, 0)
    return page.evaluate(CHARTS)


def first_visit(browser, url: str, cookie: dict | None, charts: int) -> float:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    RUNS[page] = Runs(page)
    start = time.perf_counter()
    page.goto(url)
    settle(page, charts)
    took = time.perf_counter() - start
    context.close()
    return took


def run(args) -> dict:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM:
        raise SystemExit("Chromium is not installed (apt-get install chromium)")
    db = demo_warehouse(args.scale)
    folder = db.parent
    token = leader_token(folder)
    logs = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    ours_t: dict[str, list[float]] = {p: [] for p in OUR_PAGES}
    floor_nav: list[float] = []
    inter = {k: [] for k in ("date-ours", "date-floor", "region-ours", "region-floor", "first-ours", "first-floor")}
    with server("dashboard.py", env_for(folder, db), logs / "ours.log") as ours, \
            server("bench/floor_app.py", env_for(folder), logs / "floor.log") as floor, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        cookie = {"name": "jszg_session", "value": token, "url": ours}
        context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
        context.add_cookies([cookie])
        mine = context.new_page()
        RUNS[mine] = Runs(mine)
        mine.goto(f"{ours}/?as_of=2020-07-10")
        mine.get_by_text("已登录").first.wait_for(timeout=120_000)
        theirs = browser.new_context(viewport=VIEWPORT, locale="zh-CN").new_page()
        RUNS[theirs] = Runs(theirs)
        theirs.goto(floor)
        settle(theirs, 3)
        charts = {name: learn(mine, name) for name in [*OUR_PAGES[1:], OUR_PAGES[0]]}
        floor_charts = learn(theirs, FLOOR_PAGES[1])
        learn(theirs, FLOOR_PAGES[0])
        print("charts per page:", charts, "floor:", floor_charts, flush=True)
        at = 0  # the floor's current page
        for r in range(args.rounds):
            for name in [*OUR_PAGES[1:], OUR_PAGES[0]]:
                ours_t[name].append(timed(mine, nav(mine, name), charts[name]))
                at = 1 - at
                floor_nav.append(timed(theirs, nav(theirs, FLOOR_PAGES[at]), floor_charts))
            # on 总览 (ours) and the floor's current page: a date, then a region, each put back untimed
            inter["date-ours"].append(timed(mine, type_date(mine, "2020-07-03"), charts[OUR_PAGES[0]]))
            inter["date-floor"].append(timed(theirs, type_date(theirs, "2020-07-03"), floor_charts))
            timed(mine, type_date(mine, "2020-07-10"), charts[OUR_PAGES[0]])
            timed(theirs, type_date(theirs, "2020-07-10"), floor_charts)
            inter["region-ours"].append(timed(mine, pick(mine, "地区", "郑州市"), 1))
            inter["region-floor"].append(timed(theirs, pick(theirs, "地区", "郑州市"), floor_charts))
            timed(mine, pick(mine, "地区", PROVINCE), 1)
            timed(theirs, pick(theirs, "地区", "全省"), floor_charts)
            inter["first-ours"].append(first_visit(browser, f"{ours}/?as_of=2020-07-10", cookie, charts[OUR_PAGES[0]]))
            inter["first-floor"].append(first_visit(browser, floor, None, floor_charts))
            print(f"round {r + 1}/{args.rounds} done", flush=True)
        mine.screenshot(path=str(OUT / "bench-pages-last.png"))
        browser.close()
    base = median(floor_nav)
    rows = [{"what": f"page {name}", "ours_s": median(v), "floor_s": base, "ratio": median(v) / base, "target": 1.3,
             "n": len(v)} for name, v in ours_t.items()]
    for what, key, target in [("date change", "date", 1.3), ("region pick", "region", 1.3),
                              ("first visit (new session)", "first", 2.0)]:
        o, f = median(inter[f"{key}-ours"]), median(inter[f"{key}-floor"])
        rows.append({"what": what, "ours_s": o, "floor_s": f, "ratio": o / f, "target": target,
                     "n": len(inter[f"{key}-ours"])})
    for row in rows:
        row["result"] = verdict(row["ratio"], row["target"])
    return {"rows": rows, "machine": machine(), "scale": args.scale, "rounds": args.rounds}


def lines(result: dict) -> list[str]:
    header = ["in Chromium", "ours s (median)", "floor s (median)", "ratio", "target", "n", "result"]
    return table_lines(header, [[r["what"], f"{r['ours_s']:.2f}", f"{r['floor_s']:.2f}", f"{r['ratio']:.2f}",
                                 f"≤ {r['target']}", r["n"], r["result"]] for r in result["rows"]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    report(run(args), lines, args.json)


if __name__ == "__main__":
    main()
