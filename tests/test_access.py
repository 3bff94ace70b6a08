"""Accounts, sessions, lockout and the command line (access/), on a real SQLite store."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from access import identity
from access.identity import AccountError, add_user, disable_user, identify, login, logout, reset_password, set_role
from access.store import Store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "周口2020认定!"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "accounts.sqlite")


@pytest.fixture
def zhoukou(store) -> Store:
    add_user(store, "zk", "coordinator", "411600", PASSWORD)
    return store


def test_passwords_are_kept_only_as_argon2_hashes_and_the_store_is_private(zhoukou):
    with sqlite3.connect(zhoukou.path) as con:
        stored = con.execute("select password from users where name = 'zk'").fetchone()[0]
        dump = "\n".join(con.iterdump())
    assert stored.startswith("$argon2id$") and PASSWORD not in dump
    assert zhoukou.path.stat().st_mode & 0o777 == 0o600


def test_a_login_gives_a_token_that_identifies_the_user_with_their_scope(zhoukou):
    result = login(zhoukou, "zk", PASSWORD, "10.0.0.5")
    assert result.token and result.message == ""
    who = identify(zhoukou, result.token)
    assert (who.name, who.role, who.region) == ("zk", "coordinator", "411600")
    assert who.scope("410000") == "411600"
    assert identify(zhoukou, "forged-token") is None and identify(zhoukou, None) is None


def test_a_wrong_password_does_not_tell_whether_the_name_exists(zhoukou):
    assert login(zhoukou, "zk", "wrong-password").message == login(zhoukou, "nobody", "wrong-password").message


def test_five_failures_lock_the_account_for_15_minutes_then_it_opens(zhoukou, monkeypatch):
    for _ in range(4):
        assert login(zhoukou, "zk", "wrong-password").message == identity.WRONG
    locked = login(zhoukou, "zk", "wrong-password")
    assert locked.token is None and "锁定" in locked.message
    assert login(zhoukou, "zk", PASSWORD).token is None  # even the right password, while locked
    now = identity.time.time()
    monkeypatch.setattr(identity.time, "time", lambda: now + 15 * 60 + 1)
    assert login(zhoukou, "zk", PASSWORD).token
    outcomes = [row[3] for row in zhoukou.audit_log(name="zk", action="login")]
    assert outcomes.count("failed") == 4 and outcomes.count("locked") == 2 and outcomes[0] == "ok"


def test_logout_ends_the_session_on_the_server_and_a_replayed_token_is_refused(zhoukou):
    token = login(zhoukou, "zk", PASSWORD).token
    assert identify(zhoukou, token)
    logout(zhoukou, token, "10.0.0.5")
    assert identify(zhoukou, token) is None
    assert zhoukou.audit_log(action="logout")[0][1:5] == ("zk", "logout", "ok", "10.0.0.5")


def test_an_idle_session_expires(zhoukou, monkeypatch):
    monkeypatch.setenv("JSZG_SESSION_IDLE_HOURS", "1")
    token = login(zhoukou, "zk", PASSWORD).token
    now = identity.time.time()
    monkeypatch.setattr(identity.time, "time", lambda: now + 30 * 60)
    assert identify(zhoukou, token)  # used within the hour: still on, and touched
    monkeypatch.setattr(identity.time, "time", lambda: now + 30 * 60 + 3601)
    assert identify(zhoukou, token) is None
    monkeypatch.setattr(identity.time, "time", lambda: now + 30 * 60)
    assert identify(zhoukou, token) is None  # ended, not only idle


def test_disabling_changing_role_or_resetting_a_password_ends_the_sessions(zhoukou):
    for change in (lambda: disable_user(zhoukou, "zk"), lambda: set_role(zhoukou, "zk", "leader", None),
                   lambda: reset_password(zhoukou, "zk", "另一个密码123")):
        disable_user(zhoukou, "zk", disabled=False)
        token = login(zhoukou, "zk", PASSWORD).token or login(zhoukou, "zk", "另一个密码123").token
        assert identify(zhoukou, token)
        change()
        assert identify(zhoukou, token) is None
    assert login(zhoukou, "zk", "另一个密码123").token


def test_roles_and_regions_are_checked(store):
    with pytest.raises(AccountError, match="必须用 --region"):
        add_user(store, "a", "coordinator", None, PASSWORD)
    with pytest.raises(AccountError, match="不能是全省"):
        add_user(store, "a", "coordinator", "410000", PASSWORD)
    with pytest.raises(AccountError, match="不存在"):
        add_user(store, "a", "coordinator", "419999", PASSWORD)
    with pytest.raises(AccountError, match="至少需要 8 个字符"):
        add_user(store, "a", "leader", None, "short")
    assert add_user(store, "tk", "coordinator", "太康县", PASSWORD) == "411627"
    with pytest.raises(AccountError, match="已存在"):
        add_user(store, "tk", "leader", None, PASSWORD)


def test_the_command_line_and_the_server_can_write_at_once(zhoukou):
    # Logins on threads while accounts are added: WAL and short transactions, no "database is locked".
    errors = []

    def logins():
        try:
            for _ in range(5):
                assert login(zhoukou, "zk", PASSWORD).token
        except Exception as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=logins) for _ in range(3)]
    for t in threads:
        t.start()
    for i in range(5):
        add_user(zhoukou, f"user{i}", "leader", None, PASSWORD)
    for t in threads:
        t.join()
    assert errors == []
    assert len(zhoukou.users()) == 6


def _cli(tmp_path, *args, stdin: str = "") -> subprocess.CompletedProcess:
    env = os.environ | {"JSZG_ACCOUNTS_DB": str(tmp_path / "accounts.sqlite")}
    return subprocess.run([sys.executable, "-m", "access", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line(tmp_path):
    done = _cli(tmp_path, "add-user", "admin1", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0 and "已新建账户 admin1（admin）" in done.stdout
    done = _cli(tmp_path, "add-user", "zk", "--role", "coordinator", "--region", "周口市",
                stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert done.returncode == 0 and "411600" in done.stdout
    mismatch = _cli(tmp_path, "add-user", "x", "--role", "leader", stdin=f"{PASSWORD}\nother-password\n")
    assert mismatch.returncode == 2 and "两次输入的密码不一致" in mismatch.stderr
    assert _cli(tmp_path, "disable-user", "zk").returncode == 0
    listed = _cli(tmp_path, "list-users").stdout.splitlines()
    assert listed == ["admin1\tadmin\t全省\t正常", "zk\tcoordinator\t411600\t停用"]
    assert _cli(tmp_path, "reset-password", "zk", stdin="新密码新密码2020\n新密码新密码2020\n").returncode == 0
    store = Store(tmp_path / "accounts.sqlite")
    assert login(store, "zk", "新密码新密码2020").message == "该账户已停用，请联系管理员"
    assert _cli(tmp_path, "disable-user", "zk", "--enable").returncode == 0
    assert login(store, "zk", "新密码新密码2020").token
    assert _cli(tmp_path, "reset-password", "nobody", stdin="新密码新密码2020\n新密码新密码2020\n").returncode == 2
    actions = {(row[2], row[3]) for row in store.audit_log()}
    assert {("account", "added"), ("account", "disabled"), ("account", "password reset")} <= actions


def test_backup_and_demo_accounts(tmp_path):
    assert _cli(tmp_path, "add-user", "admin1", "--role", "admin", stdin=f"{PASSWORD}\n{PASSWORD}\n").returncode == 0
    done = _cli(tmp_path, "backup", str(tmp_path / "copy.sqlite"))
    assert done.returncode == 0, done.stderr
    assert [u.name for u in Store(tmp_path / "copy.sqlite").users()] == ["admin1"]
    assert (tmp_path / "copy.sqlite").stat().st_mode & 0o777 == 0o600
    assert _cli(tmp_path, "backup", str(tmp_path / "copy.sqlite")).returncode == 2  # never overwrites
    printed = _cli(tmp_path, "demo-accounts").stdout
    store = Store(tmp_path / "accounts.sqlite")
    for line in printed.splitlines()[1:]:
        name, _, password = line.split()[:3]
        assert login(store, name, password).token
    assert {u.name for u in store.users()} >= {"demo-leader", "demo-zhoukou", "demo-taikang", "demo-admin"}
