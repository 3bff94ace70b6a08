"""The sign-in gate the dashboard runs before anything else, in Streamlit.

`gate()` returns the signed-in identity, or shows the sign-in form — and nothing else —
and stops the run. The session token lives in the server-side session and in a cookie
(so a page refresh, which starts a new Streamlit session, stays signed in); the server
checks it on every run (access/identity.py), so a token that was ended, expired or never
issued is worth nothing. An identity provider could replace this module by configuration.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from access import identity
from access.store import Store, store_path
from queries.who import IDENTITY_KEY

COOKIE = "jszg_session"
TOKEN_KEY = "_jszg_token"
_PENDING_COOKIE = "_jszg_cookie_to_set"


@st.cache_resource
def _store(path: str) -> Store:
    return Store(Path(path))


def store() -> Store:
    """The account store (JSZG_ACCOUNTS_DB, or beside the warehouse), opened once per path."""
    return _store(str(store_path()))


def client_address() -> str | None:
    """The browser's address as the server saw it (behind nginx: its X-Real-IP / X-Forwarded-For)."""
    headers = st.context.headers
    forwarded = headers.get("X-Real-Ip") or str(headers.get("X-Forwarded-For") or "").split(",")[0].strip()
    address = forwarded or st.context.ip_address
    return address if isinstance(address, str) else None


def _token() -> str | None:
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(COOKIE)
    return token if isinstance(token, str) else None


def _set_cookie(token: str, max_age: int) -> None:
    """Write the session cookie in the browser (SameSite=Strict; Secure when served over https)."""
    value = json.dumps(f"{COOKIE}={token}; path=/; max-age={max_age}; SameSite=Strict")
    st.html(f"<script>document.cookie = {value} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True)


def gate(t) -> identity.Identity:
    """The signed-in user (checked on the server this run), or the sign-in form and a stop."""
    who = identity.identify(store(), _token())
    if who is not None:
        st.session_state[IDENTITY_KEY] = who
        pending = st.session_state.pop(_PENDING_COOKIE, None)
        if pending:
            _set_cookie(pending, int(identity.idle_seconds()))
        return who
    st.session_state.pop(IDENTITY_KEY, None)
    st.session_state.pop(TOKEN_KEY, None)
    # The only page there is before sign-in: no menu, and a link to any page lands here.
    st.navigation([st.Page(_nothing, title=t("signin.title"), url_path="signin")], position="hidden")
    _clear_cookie_if_signed_out()
    _form(t)
    st.stop()


def _nothing() -> None:
    """The sign-in page's own body: the form is drawn by gate() around it."""


def _form(t) -> None:
    st.title(t("signin.title"))
    with st.form("signin", clear_on_submit=False):
        name = st.text_input(t("signin.name"), key="signin_name")
        password = st.text_input(t("signin.password"), type="password", key="signin_password")
        submitted = st.form_submit_button(t("signin.submit"), type="primary")
    if submitted:
        result = identity.login(store(), name, password, client_address())
        if result.token:
            st.session_state[TOKEN_KEY] = result.token
            st.session_state[_PENDING_COOKIE] = result.token
            st.session_state.pop("signin_password", None)
            st.rerun()
        st.error(result.message)
    st.caption(t("signin.help"))


def sign_out() -> None:
    """End the session on the server and forget the cookie."""
    identity.logout(store(), _token(), client_address())
    for key in (TOKEN_KEY, IDENTITY_KEY, _PENDING_COOKIE):
        st.session_state.pop(key, None)
    st.session_state["_jszg_signed_out"] = True


def _clear_cookie_if_signed_out() -> None:
    if st.session_state.pop("_jszg_signed_out", False):
        st.html(f"<script>document.cookie = '{COOKIE}=; path=/; max-age=0; SameSite=Strict';</script>",
                unsafe_allow_javascript=True)
