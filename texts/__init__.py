"""Everything a user reads, in one place: Chinese first, English as an option.

`t(key, lang, **values)` gives the text for a key; `reason(...)` turns a rule's
assessment into the plain sentence the "需要关注" list shows.
"""

from __future__ import annotations

import datetime as dt

from texts.strings import EN, FACT_NAMES, LEVELS, MILESTONE_NAMES, REASONS, RULES, ZH

LANGS = ("zh", "en")


def t(key: str, lang: str = "zh", **values: object) -> str:
    table = EN if lang == "en" else ZH
    text = table.get(key) or ZH[key]
    return text.format(**values) if values else text


NOT_DEADLINES = ("R3_confirmation_length", "R4_capacity")  # a failed rule, not a missed date


def level_name(level: str, lang: str = "zh", milestone: str | None = None) -> str:
    """The level as users read it; a broken rule that is not a deadline (R3, R4) is 不达标, not 已逾期."""
    if level == "late" and milestone in NOT_DEADLINES:
        return LEVELS["fails"][1 if lang == "en" else 0]
    return LEVELS[level][1 if lang == "en" else 0]


def milestone_name(milestone: str, lang: str = "zh") -> str:
    return MILESTONE_NAMES[milestone][1 if lang == "en" else 0]


def reason(region: str, key: str, facts: dict, lang: str = "zh", as_of: dt.date | None = None) -> str:
    """A rule's finding as a sentence: 焦作市现场确认仅4个工作日，少于规定的5个工作日。 A stage that
    is late on a day after its due date is said to be overdue, not projected to be."""
    due = facts.get("due")
    if key.endswith("_late") and as_of is not None and due and str(due) < as_of.isoformat():
        overdue = key.removesuffix("_late") + "_overdue"
        if overdue in REASONS:
            key = overdue
            facts = facts | {"left": max(0, int(facts.get("target") or 0) - int(facts.get("value") or 0))}
    templates = REASONS.get(key)
    if templates is None:
        return ""
    values = {k: (f"{v:.0%}" if k == "utilisation" and isinstance(v, float) else v) for k, v in facts.items()}
    return templates[1 if lang == "en" else 0].format(region=region, **values)


def rule_text(milestone: str, lang: str = "zh") -> str:
    return RULES[milestone][1 if lang == "en" else 0]


def fact_name(key: str, lang: str = "zh") -> str:
    names = FACT_NAMES.get(key)
    return names[1 if lang == "en" else 0] if names else key
