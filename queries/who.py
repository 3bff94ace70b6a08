"""Whose figures a query may return: the signed-in user's scope, from the server-side session.

The dashboard's sign-in gate (dashboard.py) puts the identity it checked on the server into
the session under IDENTITY_KEY, a key no widget has, so a browser cannot set it. Every
query in queries/read.py intersects the region a page asks for with this scope; with no
identity there is no scope, and the query refuses (deny by default).
"""

from __future__ import annotations

import streamlit as st

from access.identity import Identity

IDENTITY_KEY = "_jszg_identity"
PROVINCE = "410000"  # the province's code, as the region reference and the campaign file name it


class NotSignedIn(PermissionError):
    """A query asked for with no signed-in user."""


def current() -> Identity | None:
    return st.session_state.get(IDENTITY_KEY)


def allowed() -> str:
    """The region the signed-in user may see (their own and what lies under it)."""
    identity = current()
    if identity is None:
        raise NotSignedIn("未登录：请先登录")
    return identity.scope(PROVINCE)
