"""Fixtures shared across the suite: the demo campaign loaded into a real warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from etl.demo import write_demo


@pytest.fixture(autouse=True)
def secret_in_tmp(tmp_path_factory, monkeypatch):
    """The ID-hash secret lives in a temporary folder, never in the tester's home."""
    from etl.secret import load_secret

    monkeypatch.setenv("JSZG_SECRET_FILE", str(tmp_path_factory.getbasetemp() / "id-hash.key"))
    load_secret.cache_clear()
    yield
    load_secret.cache_clear()


ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "演示密码-2020-认定"
# The accounts every page test signs in with: (name, role, region)
ACCOUNTS = [("lead", "leader", None), ("admin1", "admin", None), ("zk", "coordinator", "411600"),
            ("tk", "coordinator", "411627")]


@pytest.fixture(scope="session")
def accounts(tmp_path_factory):
    """A real account store for the whole session (the server and AppTests read JSZG_ACCOUNTS_DB)."""
    import os

    from access.identity import add_user
    from access.store import Store

    path = tmp_path_factory.mktemp("accounts") / "accounts.sqlite"
    os.environ["JSZG_ACCOUNTS_DB"] = str(path)
    store = Store(path)
    for name, role, region in ACCOUNTS:
        add_user(store, name, role, region, PASSWORD)
    return store


def sign_in(store, name: str) -> str:
    """A fresh session token for `name`, as the sign-in form would get it."""
    from access.identity import login

    token = login(store, name, PASSWORD, "127.0.0.1").token
    assert token, f"{name} could not sign in"
    return token


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-files") / "campaign"
    write_demo(out, scale=1.0, seed=2020)
    return out


@pytest.fixture(scope="session")
def demo_warehouse(demo_files, tmp_path_factory) -> tuple[Path, object]:
    """(db path, LoadResult) of the whole demo campaign loaded once."""
    import os

    from etl.load import expand, load_files
    from etl.secret import load_secret

    os.environ["JSZG_SECRET_FILE"] = str(tmp_path_factory.getbasetemp() / "id-hash.key")
    load_secret.cache_clear()
    db = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    result = load_files(expand([demo_files]), db)
    return db, result


@pytest.fixture
def open_app(demo_warehouse, accounts, monkeypatch):
    """An app run, signed in (as provincial leadership unless `user` says otherwise), with the
    sidebar's choices set first. (AppTest re-runs only the page script after the first run of an
    st.navigation app, so the sidebar is chosen through session state.)"""
    db, _ = demo_warehouse
    monkeypatch.setenv("JSZG_WAREHOUSE", str(db))

    def start(page: str = "pages/overview.py", user: str | None = "lead", **choices) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        if user:
            at.session_state["_jszg_token"] = sign_in(accounts, user)
        for key, value in choices.items():
            at.session_state[key] = value
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
            at.run()
        return at
    return start


@pytest.fixture(scope="session")
def replayed_warehouse(demo_files, tmp_path_factory) -> tuple[Path, object]:
    """(db path, LoadResult) of the demo campaign replayed as it arrived: each file received at its
    modification time, which the demo sets to when its region would have sent it (like
    `python -m etl load --received-at-mtime`, as `make run` loads it)."""
    import datetime as dt
    import os

    from etl.load import expand, load_files
    from etl.secret import load_secret

    os.environ["JSZG_SECRET_FILE"] = str(tmp_path_factory.getbasetemp() / "id-hash.key")
    load_secret.cache_clear()
    db = tmp_path_factory.mktemp("replayed") / "warehouse.duckdb"
    result = load_files(expand([demo_files]), db, received_at=lambda p: dt.datetime.fromtimestamp(p.stat().st_mtime))
    return db, result


def app_on(db: Path, accounts, monkeypatch):
    """`open_app`'s starter for another warehouse."""
    monkeypatch.setenv("JSZG_WAREHOUSE", str(db))

    def start(page: str = "pages/overview.py", user: str | None = "lead", **choices) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
        if user:
            at.session_state["_jszg_token"] = sign_in(accounts, user)
        for key, value in choices.items():
            at.session_state[key] = value
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
            at.run()
        return at
    return start


@pytest.fixture
def open_replayed(replayed_warehouse, accounts, monkeypatch):
    """`open_app` on the demo campaign replayed as it arrived (`replayed_warehouse`)."""
    return app_on(replayed_warehouse[0], accounts, monkeypatch)
