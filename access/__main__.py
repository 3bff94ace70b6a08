"""python -m access: manage accounts from the command line.

    python -m access add-user NAME --role admin|leader|coordinator [--region CODE]
    python -m access disable-user NAME [--enable]
    python -m access reset-password NAME
    python -m access set-role NAME --role ROLE [--region CODE]
    python -m access list-users

A password is read from standard input — two lines, the password and its confirmation —
or asked for twice on a terminal. Nothing ships with a default password: the first admin
is created with add-user.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime

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
