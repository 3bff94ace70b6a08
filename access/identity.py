"""Who is this, in which role, with which region in scope — answered on the server.

A login gives a random session token (the browser keeps it in a cookie); the server keeps
only its SHA-256, with the account, when it was last used and whether it was ended. A token
is honoured while its session is not ended, not idle longer than the idle limit, and its
account is neither disabled nor changed since (a role or region change ends its sessions).
Five failed passwords in a row lock an account for 15 minutes. Every attempt, every
logout and every account change is written to the audit log.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import time
from dataclasses import dataclass

from access import passwords
from access.store import ROLES, Store
from domain.regions import UnknownRegion, load_units

MAX_FAILED = 5
LOCK_SECONDS = 15 * 60
IDLE_ENV = "JSZG_SESSION_IDLE_HOURS"
TOUCH_EVERY = 60  # seconds between writes of a session's last use


def idle_seconds() -> float:
    """How long a session may go unused (JSZG_SESSION_IDLE_HOURS, default 8 hours)."""
    return float(os.environ.get(IDLE_ENV, "8")) * 3600


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    region: str | None  # a coordinator's region; None for the whole province

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def scope(self, province: str) -> str:
        """The region whose figures this user may see: their own, or the whole province."""
        return self.region if self.role == "coordinator" and self.region else province


@dataclass(frozen=True)
class LoginResult:
    token: str | None
    message: str  # what the login form says (Chinese); empty on success
    identity: Identity | None = None


WRONG = "用户名或密码不正确"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def login(store: Store, name: str, password: str, address: str | None = None) -> LoginResult:
    """Check a password; on success a new session's token. The message never tells whether the
    name exists, only that the pair is wrong — except for a locked or disabled account, said
    once the password is right or the lock is on."""
    name = name.strip()
    now = time.time()
    with store.transaction() as con:
        user = store.user(name, con)
        if user is None:
            passwords.verify(passwords.DUMMY_HASH, password)
            store.audit("login", "failed", name[:64], address, detail="unknown name", con=con)
            return LoginResult(None, WRONG)
        if user.locked_until and user.locked_until > now:
            minutes = max(1, round((user.locked_until - now) / 60))
            store.audit("login", "locked", name, address, user.region, con=con)
            return LoginResult(None, f"连续输错密码 {MAX_FAILED} 次，账户已锁定，请 {minutes} 分钟后再试")
        if not passwords.verify(user.password, password):
            failed = user.failed + 1
            if failed >= MAX_FAILED:
                con.execute("update users set failed = 0, locked_until = ? where name = ?", [now + LOCK_SECONDS, name])
                store.audit("login", "locked", name, address, user.region, f"{failed} failed", con=con)
                return LoginResult(None, f"连续输错密码 {MAX_FAILED} 次，账户已锁定 {LOCK_SECONDS // 60} 分钟")
            con.execute("update users set failed = ? where name = ?", [failed, name])
            store.audit("login", "failed", name, address, user.region, f"{failed} failed", con=con)
            return LoginResult(None, WRONG)
        if user.disabled:
            store.audit("login", "disabled", name, address, user.region, con=con)
            return LoginResult(None, "该账户已停用，请联系管理员")
        token = secrets.token_urlsafe(32)
        con.execute("update users set failed = 0, locked_until = null where name = ?", [name])
        con.execute("insert into sessions (token_hash, name, created, last_seen, address) values (?, ?, ?, ?, ?)",
                    [_digest(token), name, now, now, address])
        store.audit("login", "ok", name, address, user.region, con=con)
    return LoginResult(token, "", Identity(user.name, user.role, user.region))


def identify(store: Store, token: str | None) -> Identity | None:
    """The identity behind a session token, or None (no token, unknown, ended, idle too long,
    account disabled)."""
    if not token:
        return None
    now = time.time()
    with store.connect() as con:
        row = con.execute("""
            select s.last_seen, u.name, u.role, u.region, u.disabled from sessions s join users u using (name)
            where s.token_hash = ? and s.ended is null""", [_digest(token)]).fetchone()
        if row is None or row[4]:
            return None
        last_seen, name, role, region, _ = row
        if now - last_seen > idle_seconds():
            con.execute("update sessions set ended = ? where token_hash = ?", [now, _digest(token)])
            return None
        if now - last_seen > TOUCH_EVERY:
            con.execute("update sessions set last_seen = ? where token_hash = ?", [now, _digest(token)])
    return Identity(name, role, region)


def logout(store: Store, token: str | None, address: str | None = None) -> None:
    """End the session on the server: its token is refused from now on."""
    if not token:
        return
    with store.transaction() as con:
        row = con.execute("select name from sessions where token_hash = ? and ended is null",
                          [_digest(token)]).fetchone()
        if row:
            con.execute("update sessions set ended = ? where token_hash = ?", [time.time(), _digest(token)])
            store.audit("logout", "ok", row[0], address, con=con)


# ---- accounts -------------------------------------------------------------------------------

class AccountError(ValueError):
    """An account change that cannot be made; the message says why, in Chinese."""


def check_role(role: str, region: str | None) -> str | None:
    """The region a role keeps: a coordinator's must be a city, county, 济源 or direct county."""
    if role not in ROLES:
        raise AccountError(f"角色只能是 {'、'.join(ROLES)}，不能是“{role}”")
    if role != "coordinator":
        if region:
            raise AccountError(f"{role} 可查看全省，不需要指定地区")
        return None
    if not region:
        raise AccountError("coordinator（地区联络员）必须用 --region 指定所负责的地区代码，如 411600")
    units = load_units()
    try:
        unit = units.get(region)
    except KeyError:
        try:
            unit = units.get(units.resolve(region))
        except UnknownRegion:
            raise AccountError(f"地区“{region}”不存在：请用 6 位地区代码，如 411600（周口市）") from None
    if not unit.parent_code:
        raise AccountError("coordinator 负责一个市或县，不能是全省；全省请用 leader 角色")
    return unit.code


def add_user(store: Store, name: str, role: str, region: str | None, password: str,
             actor: str = "命令行") -> str | None:
    """Create an account; returns the region code it keeps (a name given is resolved to its code)."""
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise AccountError("用户名不能为空、不能含空格，最长 64 个字符")
    region = check_role(role, region)
    hashed = _hash(password)
    now = time.time()
    with store.transaction() as con:
        if store.user(name, con):
            raise AccountError(f"用户“{name}”已存在")
        con.execute("insert into users (name, role, region, password, created, changed) values (?, ?, ?, ?, ?, ?)",
                    [name, role, region, hashed, now, now])
        store.audit("account", "added", actor, region=region, detail=f"{name} {role}", con=con)
    return region


def set_role(store: Store, name: str, role: str, region: str | None, actor: str = "命令行") -> str | None:
    region = check_role(role, region)
    with store.transaction() as con:
        _existing(store, name, con)
        con.execute("update users set role = ?, region = ?, changed = ? where name = ?", [role, region, time.time(),
                                                                                          name])
        _end_sessions(con, name)
        store.audit("account", "role", actor, region=region, detail=f"{name} {role}", con=con)
    return region


def disable_user(store: Store, name: str, disabled: bool = True, actor: str = "命令行") -> None:
    with store.transaction() as con:
        _existing(store, name, con)
        con.execute("update users set disabled = ?, changed = ? where name = ?", [int(disabled), time.time(), name])
        if disabled:
            _end_sessions(con, name)
        store.audit("account", "disabled" if disabled else "enabled", actor, detail=name, con=con)


def reset_password(store: Store, name: str, password: str, actor: str = "命令行") -> None:
    hashed = _hash(password)
    with store.transaction() as con:
        _existing(store, name, con)
        con.execute("update users set password = ?, failed = 0, locked_until = null, changed = ? where name = ?",
                    [hashed, time.time(), name])
        _end_sessions(con, name)
        store.audit("account", "password reset", actor, detail=name, con=con)


def _hash(password: str) -> str:
    try:
        return passwords.hash_password(password)
    except passwords.WeakPassword as e:
        raise AccountError(str(e)) from None


def _existing(store: Store, name: str, con) -> None:
    if store.user(name, con) is None:
        raise AccountError(f"用户“{name}”不存在")


def _end_sessions(con, name: str) -> None:
    con.execute("update sessions set ended = ? where name = ? and ended is null", [time.time(), name])
