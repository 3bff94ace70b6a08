"""Accounts, sessions and the audit log, in one SQLite file beside the warehouse.

Not inside the warehouse: its versions are republished by every load, and an account
change must not wait for one (nor be lost with an old version). SQLite in WAL mode lets
the command line and the server write at the same time; every call opens its own short
connection, so threads never share one.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from etl.warehouse import published_path

ACCOUNTS_ENV = "JSZG_ACCOUNTS_DB"
ROLES = ("admin", "leader", "coordinator")

SCHEMA = """
create table if not exists users (
    name text primary key, role text not null, region text, password text not null,
    disabled integer not null default 0, failed integer not null default 0, locked_until real,
    created real not null, changed real not null);
create table if not exists sessions (
    token_hash text primary key, name text not null, created real not null, last_seen real not null,
    ended real, address text);
create table if not exists audit (
    id integer primary key autoincrement, at real not null, name text, action text not null,
    outcome text not null, address text, region text, detail text);
create index if not exists audit_at on audit (at);
"""


def store_path() -> Path:
    """JSZG_ACCOUNTS_DB, or accounts.sqlite beside the published warehouse."""
    configured = os.environ.get(ACCOUNTS_ENV)
    return Path(configured) if configured else published_path().parent / "accounts.sqlite"


@dataclass(frozen=True)
class User:
    name: str
    role: str
    region: str | None
    password: str
    disabled: bool
    failed: int
    locked_until: float | None


class Store:
    """The account store at `path` (created with owner-only permissions on first use)."""

    def __init__(self, path: Path | None = None):
        self.path = path or store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fresh = not self.path.exists()
        with self.connect() as con:
            con.execute("pragma journal_mode = wal")
            con.executescript(SCHEMA)
        if fresh:
            os.chmod(self.path, 0o600)

    @contextlib.contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        try:
            con.execute("pragma busy_timeout = 10000")
            yield con
        finally:
            con.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (no upgrade from read to write that could deadlock)."""
        with self.connect() as con:
            con.execute("begin immediate")
            try:
                yield con
            except BaseException:
                con.execute("rollback")
                raise
            con.execute("commit")

    # ---- users -------------------------------------------------------------------------------
    def user(self, name: str, con: sqlite3.Connection | None = None) -> User | None:
        with contextlib.nullcontext(con) if con else self.connect() as c:
            row = c.execute("select name, role, region, password, disabled, failed, locked_until from users "
                            "where name = ?", [name]).fetchone()
        return User(row[0], row[1], row[2], row[3], bool(row[4]), row[5], row[6]) if row else None

    def users(self) -> list[User]:
        with self.connect() as con:
            rows = con.execute("select name, role, region, password, disabled, failed, locked_until from users "
                               "order by role, region, name").fetchall()
        return [User(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6]) for r in rows]

    # ---- audit -------------------------------------------------------------------------------
    def audit(self, action: str, outcome: str, name: str | None = None, address: str | None = None,
              region: str | None = None, detail: str = "", con: sqlite3.Connection | None = None) -> None:
        """One line of the audit trail. Never pass applicant data in `detail`."""
        with contextlib.nullcontext(con) if con else self.connect() as c:
            c.execute("insert into audit (at, name, action, outcome, address, region, detail) "
                      "values (?, ?, ?, ?, ?, ?, ?)", [time.time(), name, action, outcome, address, region, detail])

    def audit_log(self, since: float = 0.0, name: str | None = None, action: str | None = None,
                  limit: int = 1000) -> list[tuple]:
        """(at, name, action, outcome, address, region, detail), newest first, filtered."""
        with self.connect() as con:
            return con.execute("""
                select at, name, action, outcome, address, region, detail from audit
                where at >= ? and (? is null or name = ?) and (? is null or action = ?)
                order by at desc, id desc limit ?""", [since, name, name, action, action, limit]).fetchall()
