"""The words of the weekly briefing live with every other word, in texts/strings.py (keys
briefing.*); names of levels and milestones come from texts/ too, so they read as on the pages."""

from __future__ import annotations

from texts import t


def w(key: str, lang: str = "zh", **values: object) -> str:
    return t(f"briefing.{key}", lang, **values)
