"""账户管理: accounts (add, disable, reset password, change role and region) and the audit log.
Only an administrator's navigation has this page; it checks the role again itself."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from access import signin
from access.identity import AccountError, add_user, disable_user, reset_password, set_role
from access.store import ROLES
from pages.frame import context
from queries import read, who

ctx = context()
me = who.current()
if me is None or not me.is_admin:
    st.error(ctx.t("admin.only"))
    st.stop()

store = signin.store()
units = read.regions(ctx.version)
region_names = dict(zip(units["region_code"], units["name"], strict=True))
choosable = units[units["parent_code"].notna()]
role_name = {r: ctx.t(f"role.{r}") for r in ROLES}


def region_label(code: str | None) -> str:
    return region_names.get(code, code) if code else ctx.t("scope.province")


st.header(ctx.t("admin.title"))
users = store.users()
now = dt.datetime.now().timestamp()
st.dataframe(pd.DataFrame({
    ctx.t("admin.name"): [u.name for u in users],
    ctx.t("admin.role"): [role_name[u.role] for u in users],
    ctx.t("admin.region"): [region_label(u.region) for u in users],
    ctx.t("admin.state"): [ctx.t("admin.disabled") if u.disabled else ctx.t("admin.locked")
                           if u.locked_until and u.locked_until > now else ctx.t("admin.active") for u in users],
}), hide_index=True, width="stretch")


def done(message: str) -> None:
    st.success(message)


left, right = st.columns(2)
with left, st.form("add-user", clear_on_submit=True):
    st.subheader(ctx.t("admin.add"))
    name = st.text_input(ctx.t("admin.name"))
    role = st.selectbox(ctx.t("admin.role"), ROLES, format_func=role_name.get, index=2)
    region = st.selectbox(ctx.t("admin.region_for_coordinator"), ["", *choosable["region_code"]],
                          format_func=lambda c: f"{region_names[c]}（{c}）" if c else "—")
    first = st.text_input(ctx.t("admin.password"), type="password")
    second = st.text_input(ctx.t("admin.password_again"), type="password")
    if st.form_submit_button(ctx.t("admin.add"), type="primary"):
        try:
            if first != second:
                raise AccountError(ctx.t("admin.mismatch"))
            add_user(store, name, role, region or None, first, actor=me.name)
            done(ctx.t("admin.added", name=name))
        except AccountError as e:
            st.error(str(e))

with right, st.form("change-user", clear_on_submit=True):
    st.subheader(ctx.t("admin.change"))
    target = st.selectbox(ctx.t("admin.name"), [u.name for u in users])
    action = st.radio(ctx.t("admin.action"), ["disable", "enable", "password", "role"], horizontal=True,
                      format_func=lambda a: ctx.t(f"admin.action_{a}"))
    new_role = st.selectbox(ctx.t("admin.role"), ROLES, format_func=role_name.get, index=2)
    new_region = st.selectbox(ctx.t("admin.region_for_coordinator"), ["", *choosable["region_code"]],
                              format_func=lambda c: f"{region_names[c]}（{c}）" if c else "—")
    first = st.text_input(ctx.t("admin.new_password"), type="password")
    second = st.text_input(ctx.t("admin.password_again"), type="password")
    if st.form_submit_button(ctx.t("admin.apply"), type="primary") and target:
        try:
            if action in ("disable", "enable"):
                if target == me.name:
                    raise AccountError(ctx.t("admin.not_yourself"))
                disable_user(store, target, disabled=action == "disable", actor=me.name)
            elif action == "password":
                if first != second:
                    raise AccountError(ctx.t("admin.mismatch"))
                reset_password(store, target, first, actor=me.name)
            else:
                set_role(store, target, new_role, new_region or None, actor=me.name)
            done(ctx.t("admin.changed", name=target))
        except AccountError as e:
            st.error(str(e))

st.subheader(ctx.t("admin.audit"))
a, b, c = st.columns(3)
since = a.date_input(ctx.t("admin.audit_since"), value=dt.date.today() - dt.timedelta(days=7), key="audit-since")
name_filter = b.selectbox(ctx.t("admin.name"), ["", *[u.name for u in users]], key="audit-name",
                          format_func=lambda n: n or ctx.t("admin.everyone"))
actions = ["", "login", "logout", "account", "download", "upload"]
action_filter = c.selectbox(ctx.t("admin.action"), actions, key="audit-action",
                            format_func=lambda x: ctx.t(f"audit.{x}") if x else ctx.t("admin.everything"))
rows = store.audit_log(since=dt.datetime.combine(since, dt.time()).timestamp(), name=name_filter or None,
                       action=action_filter or None)
st.dataframe(pd.DataFrame(
    [(dt.datetime.fromtimestamp(r[0]).strftime("%Y-%m-%d %H:%M:%S"), r[1], ctx.t(f"audit.{r[2]}"), r[3], r[4] or "",
      region_label(r[5]) if r[5] else "", r[6] or "") for r in rows],
    columns=[ctx.t(k) for k in ("admin.when", "admin.name", "admin.action", "admin.outcome", "admin.address",
                                "admin.region", "admin.detail")]), hide_index=True, width="stretch")
