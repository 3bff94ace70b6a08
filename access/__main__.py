"""python -m access: manage accounts from the command line.

    python -m access add-user NAME --role admin|leader|coordinator [--region CODE]
    python -m access disable-user NAME [--enable]
    python -m access reset-password NAME
    python -m access set-role NAME --role ROLE [--region CODE]
    python -m access list-users
    python -m access backup FILE       # a consistent copy of the account store, safe while serving
    python -m access demo-accounts     # make run: accounts for the demo data only, passwords printed

A password is read from standard input — two lines, the password and its confirmation —
or asked for twice on a terminal. Nothing ships with a default password: the first admin
is created with add-user.
"""

from __future__ import annotations

import argparse
import getpass
import secrets
import sqlite3
import string
import sys
from datetime import datetime
from pathlib import Path

from access.identity import AccountError, add_user, disable_user, reset_password, set_role
from access.store import ROLES, Store


def _password() -> str:
    if sys.stdin.isatty():
        first, second = getpass.getpass("密码："), getpass.getpass("再输一次：")
    else:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2:
            raise AccountError("请从标准输入给出两行：密码和确认密码")
        first, second = lines[0], lines[1]
    if first != second:
        raise AccountError("两次输入的密码不一致")
    return first


DEMO = [("demo-admin", "admin", None, "管理员"), ("demo-leader", "leader", None, "省级领导，全省"),
        ("demo-zhoukou", "coordinator", "411600", "周口市联络员，周口市及其县"),
        ("demo-taikang", "coordinator", "411627", "太康县联络员，仅太康县")]


def demo_accounts(store: Store) -> str:
    """Accounts for the demo data, each with a new random password, as text to print."""
    lines = ["演示账户（仅用于演示数据，密码随机生成；正式部署请删除账户库并用 add-user 建立真实账户）："]
    for name, role, region, what in DEMO:
        password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(12))
        if store.user(name):
            reset_password(store, name, password, actor="演示")
        else:
            add_user(store, name, role, region, password, actor="演示")
        lines.append(f"  {name:<14} 密码 {password:<14} {what}")
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m access", description="管理看板账户（账户库见 README“账户与权限”）")
    sub = parser.add_subparsers(dest="command", required=True, metavar="命令")
    add = sub.add_parser("add-user", help="新建账户（密码从标准输入读两行，或在终端输入两次）")
    add.add_argument("name", metavar="用户名")
    add.add_argument("--role", required=True, choices=ROLES,
                     help="admin 管理员 / leader 省级领导 / coordinator 地区联络员")
    add.add_argument("--region", help="coordinator 负责的地区代码（市含其县；县或直管县只含自身），如 411600")
    dis = sub.add_parser("disable-user", help="停用账户（其登录立即失效）")
    dis.add_argument("name", metavar="用户名")
    dis.add_argument("--enable", action="store_true", help="重新启用")
    reset = sub.add_parser("reset-password", help="重设密码（其登录立即失效，锁定解除）")
    reset.add_argument("name", metavar="用户名")
    role = sub.add_parser("set-role", help="更改角色或地区（其登录立即失效）")
    role.add_argument("name", metavar="用户名")
    role.add_argument("--role", required=True, choices=ROLES)
    role.add_argument("--region")
    sub.add_parser("list-users", help="列出全部账户")
    backup = sub.add_parser("backup", help="把账户库完整复制到一个新文件（服务运行时也安全）")
    backup.add_argument("target", metavar="备份文件")
    sub.add_parser("demo-accounts", help="为演示数据新建演示账户（随机密码，打印出来）；正式部署不要使用")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    store = Store()
    try:
        if args.command == "add-user":
            region = add_user(store, args.name, args.role, args.region, _password())
            print(f"已新建账户 {args.name}（{args.role}{'，' + region if region else ''}），账户库 {store.path}")
        elif args.command == "disable-user":
            disable_user(store, args.name, disabled=not args.enable)
            print(f"已{'启用' if args.enable else '停用'}账户 {args.name}")
        elif args.command == "reset-password":
            reset_password(store, args.name, _password())
            print(f"已重设 {args.name} 的密码")
        elif args.command == "set-role":
            region = set_role(store, args.name, args.role, args.region)
            print(f"已将 {args.name} 改为 {args.role}{'，' + region if region else ''}")
        elif args.command == "backup":
            target = Path(args.target)
            if target.exists():
                raise AccountError(f"{target} 已存在，请换一个文件名")
            with store.connect() as con, sqlite3.connect(target) as copy:
                con.backup(copy)
            target.chmod(0o600)
            print(f"已备份账户库到 {target}")
        elif args.command == "demo-accounts":
            print(demo_accounts(store))
        else:
            for u in store.users():
                state = "停用" if u.disabled else ("锁定至 " + datetime.fromtimestamp(u.locked_until).strftime("%H:%M")
                                                   if u.locked_until and u.locked_until > datetime.now().timestamp()
                                                   else "正常")
                print(f"{u.name}\t{u.role}\t{u.region or '全省'}\t{state}")
    except AccountError as e:
        print(f"错误：{e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
