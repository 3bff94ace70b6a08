"""The briefing's one way to the read side: every query goes through `ask`, with the scope the
export is allowed to hold (a coordinator's region; the province by default).

The named queries in queries/read.py take the signed-in user's scope in the dashboard, and have
`.as_scope(allowed_scope, *args)` for code with no browser session (called plainly outside a
signed-in session they refuse)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from streamlit.runtime.scriptrunner import get_script_run_ctx

from queries import who

PROVINCE = "410000"
T = TypeVar("T")


def ask(query: Callable[..., T], *args: object, scope: str) -> T:
    """`query(*args)`, answered within `scope` (the region whose data this export may hold). In the
    dashboard the signed-in user's own scope applies as on every page, whatever `scope` says;
    `scope` is the limit only for the command line, which has no session."""
    if get_script_run_ctx(suppress_warning=True) is not None and who.current() is not None:
        return query(*args)
    scoped = getattr(query, "as_scope", None)
    return scoped(scope, *args) if scoped is not None else query(*args)
