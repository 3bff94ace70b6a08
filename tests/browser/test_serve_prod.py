"""`make serve-prod` for real (deploy/serve_prod.py): two dashboard processes behind nginx on free
ports, reading a small warehouse in a temporary folder. New browsers spread over both processes;
one browser stays on one process for every request, its websocket and its downloads included, and
sees the dashboard signed in; a new load shows on both; a process that dies comes back without
signing anyone out; SIGTERM stops everything. Which process answered is nginx's X-Upstream header
and its access log."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from etl.load import expand, load_files
from etl.secret import load_secret
from tests.browser.conftest import ARTIFACTS
from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.slow]
NGINX = shutil.which("nginx") or next((p for p in ["/usr/sbin/nginx"] if os.access(p, os.X_OK)), None)
WAIT_MS = 180_000
FIRST, LATER = "410200", "410100"  # 开封市 is loaded before the servers start, 郑州市 while they run


@dataclass
class Prod:
    url: str
    backends: list[str]  # "127.0.0.1:port", as nginx names them
    run_dir: Path
    db: Path
    proc: subprocess.Popen

    def access_log(self) -> list[dict]:
        text = (self.run_dir / "logs" / "nginx-access.log").read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines()]


def free_ports() -> tuple[int, int]:
    """A free port for nginx and the first of two consecutive free ports for the processes."""
    def free(port: int) -> bool:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
            return True

    def any_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    for _ in range(50):
        first = any_port()
        if free(first + 1):
            nginx = any_port()
            if nginx not in (first, first + 1):
                return nginx, first
    raise RuntimeError("no two consecutive free ports")


def get(url: str, route: str | None = None) -> tuple[int, str | None, str | None, str]:
    """(status, which process answered, the route cookie nginx set if any, body) of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": f"jszg_route={route}"} if route else {})
    with urllib.request.urlopen(request, timeout=30) as r:
        cookies = [c.split(";")[0].split("=", 1) for c in r.headers.get_all("Set-Cookie") or []]
        given = next((value for name, value in cookies if name == "jszg_route"), None)
        return r.status, r.headers["X-Upstream"], given, r.read().decode()


def region_files(demo_files: Path, code: str) -> list[Path]:
    return expand([next(demo_files.glob(f"{code}_*"))])


@pytest.fixture(scope="module")
def nginx_path() -> str:
    if NGINX is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed; CI must install Debian's nginx (see .ci/run)")
        pytest.skip("nginx is not installed: apt-get install nginx (see README)")
    return NGINX  # Chromium is checked where a test asks for it (conftest's chromium_path, via browser)


@pytest.fixture(scope="module")
def prod(nginx_path, demo_files, accounts, tmp_path_factory):
    os.environ["JSZG_SECRET_FILE"] = str(tmp_path_factory.getbasetemp() / "id-hash.key")
    load_secret.cache_clear()
    folder = tmp_path_factory.mktemp("serve-prod")
    db = folder / "warehouse.duckdb"
    load_files(region_files(demo_files, FIRST), db)
    port, first = free_ports()
    ARTIFACTS.mkdir(exist_ok=True)
    out = open(ARTIFACTS / "serve-prod.log", "w")  # noqa: SIM115 — for the supervisor's whole life
    # found as a user without /usr/sbin on PATH would find it
    path = ":".join(p for p in os.environ.get("PATH", "").split(":") if p not in ("/usr/sbin", "/sbin"))
    env = os.environ | {"JSZG_WAREHOUSE": str(db), "PATH": path}
    proc = subprocess.Popen([sys.executable, "deploy/serve_prod.py", "--procs", "2", "--port", str(port),
                             "--first-port", str(first), "--listen", "127.0.0.1", "--run-dir", str(folder / "run")],
                            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 300
    while "Ctrl-C stops everything" not in (ARTIFACTS / "serve-prod.log").read_text():
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            pytest.fail(f"serve-prod did not start: {(ARTIFACTS / 'serve-prod.log').read_text()}")
        time.sleep(0.5)
    try:
        yield Prod(url, [f"127.0.0.1:{first}", f"127.0.0.1:{first + 1}"], folder / "run", db, proc)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        out.close()


@pytest.fixture(scope="module")
def routes(prod) -> dict[str, str]:
    """A route cookie nginx gave out for each process: {backend: route}."""
    found: dict[str, str] = {}
    for _ in range(40):
        status, backend, route, _ = get(prod.url)
        assert status == 200 and route
        found.setdefault(backend, route)
    return found


@pytest.fixture(scope="module")
def chromium(prod, browser):
    """The session's Chromium (one Playwright per test session: a second sync one cannot start
    inside the first's event loop)."""
    return browser.chromium


def signed_in_page(chromium, accounts, prod: Prod, route: str | None = None):
    """A page whose browser holds lead's session cookie (and `route`'s cookie, if given)."""
    context = chromium.new_context(viewport={"width": 1500, "height": 1600}, locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(WAIT_MS)  # navigation too: a fresh process's first page is slow on busy cores
    cookies = [{"name": "jszg_session", "value": sign_in(accounts, "lead"), "url": prod.url}]
    if route:
        cookies.append({"name": "jszg_route", "value": route, "url": prod.url})
    context.add_cookies(cookies)
    return context.new_page()


def overview(page, url: str) -> tuple[str, str]:
    """(which process served the page, the headline 网报人数) once the overview is drawn, without error."""
    response = page.goto(url, wait_until="networkidle")
    try:
        page.get_by_text("已登录：lead").wait_for()
        page.locator(".js-plotly-plot .main-svg").first.wait_for()
        page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0")
    finally:
        page.screenshot(path=str(ARTIFACTS / "serve-prod-last-page.png"))
    page.wait_for_timeout(1000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert "页面出错了" not in page.inner_text("body")
    metric = page.locator("[data-testid='stMetric']").filter(has_text="网报人数").first
    return response.headers["x-upstream"], metric.locator("[data-testid='stMetricValue']").inner_text()


def test_both_processes_serve_and_new_browsers_spread_over_them(prod, routes):
    for backend in prod.backends:
        assert get(f"http://{backend}/_stcore/health")[3] == "ok"
    assert set(routes) == set(prod.backends), "40 new browsers all went to one process"
    for backend, route in routes.items():  # a browser with its cookie: the same process every time
        for path in ("/", "/_stcore/health", "/risk"):
            assert get(prod.url + path, route)[:3] == (200, backend, None)  # and the cookie it has is kept


def test_a_signed_in_browser_stays_on_one_process(prod, chromium, accounts):
    page = signed_in_page(chromium, accounts, prod)
    served_by, _ = overview(page, prod.url)
    page.screenshot(path=str(ARTIFACTS / "serve-prod-overview.png"))
    with page.expect_download() as got:  # a download is a /media/ file of the process running the session
        page.get_by_role("button", name="下载 CSV").first.click()
    assert "地区" in got.value.path().read_text(encoding="utf-8-sig")
    page.locator("[data-testid='stSidebar']").get_by_role("link", name="报名量", exact=True).click()
    page.get_by_text("每日网报人数").first.wait_for()
    route = next(c["value"] for c in page.context.cookies() if c["name"] == "jszg_route")
    page.context.close()  # the websocket's line is logged when it closes
    time.sleep(1)
    mine = [r for r in prod.access_log() if r["route"] == route]
    assert {r["upstream"] for r in mine} == {served_by}
    assert any(r["request"].startswith("GET /_stcore/stream") and r["status"] == 101 for r in mine)
    assert any(r["request"].startswith("GET /media/") and r["status"] == 200 for r in mine)


def test_a_new_load_shows_on_every_process(prod, routes, chromium, accounts, demo_files):
    def headline() -> dict[str, int]:
        shown = {}
        for backend, route in routes.items():  # a browser pinned to each process by its route cookie
            page = signed_in_page(chromium, accounts, prod, route)
            served_by, figure = overview(page, prod.url)
            assert served_by == backend
            shown[backend] = int(figure.replace(",", ""))
            page.context.close()
        return shown

    before = headline()
    assert len(set(before.values())) == 1, before
    load_files(region_files(demo_files, LATER), prod.db)  # no restart: the next page reads the new version
    after = headline()
    assert len(set(after.values())) == 1, after
    assert after[prod.backends[0]] > before[prod.backends[0]]


def descendants(pid: int) -> list[int]:
    found = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return found + [d for c in found for d in descendants(c)]


def process_on(prod: Prod, backend: str) -> int:
    """The dashboard process serving `backend` (its --server.port), as serve-prod started it."""
    flag = ["--server.port", backend.split(":")[1]]
    for pid in descendants(prod.proc.pid):
        argv = Path(f"/proc/{pid}/cmdline").read_text().split("\0")
        if any(argv[i:i + 2] == flag for i in range(len(argv))):
            return pid
    raise LookupError(backend)


def test_a_process_that_dies_comes_back_and_its_browsers_stay_signed_in(prod, routes, chromium, accounts):
    backend = prod.backends[0]
    victim = process_on(prod, backend)
    os.kill(victim, signal.SIGKILL)
    page = signed_in_page(chromium, accounts, prod, routes[backend])
    overview(page, prod.url)  # meanwhile served by the other process, still signed in
    page.context.close()
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if get(f"http://{backend}/_stcore/health")[3] == "ok":
                break
        except OSError:
            time.sleep(1)
    else:
        pytest.fail(f"{backend} did not come back: {(ARTIFACTS / 'serve-prod.log').read_text()}")
    assert process_on(prod, backend) != victim
    deadline = time.time() + 30  # nginx tries a failed process again after fail_timeout (10 s)
    while get(prod.url, routes[backend])[1] != backend:  # its browsers are back on it
        assert time.time() < deadline, f"nginx still sends {backend}'s browsers elsewhere"
        time.sleep(1)


def test_sigterm_stops_everything(prod):
    pids = descendants(prod.proc.pid)
    assert len(pids) >= 4  # two dashboard processes, nginx and its worker
    prod.proc.send_signal(signal.SIGTERM)
    assert prod.proc.wait(timeout=60) == 0
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists(), f"process {pid} outlived serve-prod"
    for address in (prod.url.removeprefix("http://"), *prod.backends):
        host, port = address.split(":")
        with pytest.raises(ConnectionRefusedError), socket.create_connection((host, int(port)), timeout=5):
            pass
