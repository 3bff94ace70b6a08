"""A live `streamlit run` on a free port, reading the demo warehouse, and real Chromium
(the system one) to drive it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed; CI must install Debian's chromium (see .ci/run)")
        pytest.skip("Chromium is not installed: apt-get install chromium fonts-noto-cjk (see README)")
    return CHROMIUM


@contextlib.contextmanager
def streamlit_server(db: Path, log_name: str = "streamlit.log") -> Iterator[str]:
    """`streamlit run dashboard.py` on a free port reading `db`, until the block ends."""
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115 — open for the server's whole life
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=os.environ | {"JSZG_WAREHOUSE": str(db)})
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        log.close()
        pytest.fail(f"streamlit did not start within 60 s; see test-artifacts/{log_name}")
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def server(demo_warehouse, accounts) -> Iterator[str]:
    db, _ = demo_warehouse
    with streamlit_server(db) as url:
        yield url


@pytest.fixture
def fresh_server(demo_warehouse, accounts) -> Iterator[str]:
    """A server no browser has visited yet: its first session is the one a link opens after a restart."""
    db, _ = demo_warehouse
    with streamlit_server(db, "streamlit-fresh.log") as url:
        yield url


class SignedIn:
    """Chromium whose new pages carry a signed-in session cookie (provincial leadership unless
    `user` says otherwise; a cookie holds for every port of the host); `.chromium` is the browser
    itself, for pages that sign in by hand."""

    def __init__(self, chromium, accounts, server: str):
        self.chromium, self.accounts, self.server = chromium, accounts, server

    def new_context(self, user: str = "lead", **options):
        from tests.conftest import sign_in

        context = self.chromium.new_context(**options)
        context.add_cookies([{"name": "jszg_session", "value": sign_in(self.accounts, user), "url": self.server}])
        return context

    def new_page(self, user: str = "lead", **options):
        return self.new_context(user, **options).new_page()


@pytest.fixture(scope="session")
def browser(chromium_path, accounts, server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield SignedIn(b, accounts, server)
        b.close()
