"""The briefing's one way to the read side: every query goes through `ask`, with the scope the
export is allowed to hold (a coordinator's region; the province by default).

The named queries in queries/read.py gain `.as_scope(allowed_scope, *args)` for code with no
browser session (called plainly outside a signed-in session they refuse); until then a query is
called as it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

PROVINCE = "410000"
T = TypeVar("T")


def ask(query: Callable[..., T], *args: object, scope: str) -> T:
    """`query(*args)`, answered within `scope` (the region whose data this export may hold)."""
    scoped = getattr(query, "as_scope", None)
    return scoped(scope, *args) if scoped is not None else query(*args)
