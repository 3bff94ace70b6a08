"""Everything a user reads, in one place: Chinese first, English as an option.

`t(key, lang, **values)` gives the text for a key; `reason(...)` turns a rule's
assessment into the plain sentence the "需要关注" list shows.
"""

from __future__ import annotations

from texts.strings import DEMAND_BASIS, EN, FACT_NAMES, LEVELS, MILESTONE_NAMES, REASONS, RULES, STALE_NOTE, ZH

LANGS = ("zh", "en")


def t(key: str, lang: str = "zh", **values: object) -> str:
    table = EN if lang == "en" else ZH
    text = table.get(key) or ZH[key]
    return text.format(**values) if values else text


NOT_DEADLINES = ("R3_confirmation_length", "R4_capacity", "R4_exam_capacity")  # a failed rule, not a missed date


def level_name(state: str, lang: str = "zh", milestone: str | None = None) -> str:
    """A finding's state (or the contract's level) as users read it: a broken rule that is not a
    deadline (R3, R4) is 不达标 and its projection 预计不达标, never 已逾期."""
    if milestone in NOT_DEADLINES and state in ("late", "overdue"):
        state = "fails"
    if milestone in NOT_DEADLINES and state == "projected_late":
        state = "projected_fails"
    return LEVELS[state][1 if lang == "en" else 0]


def milestone_name(milestone: str, lang: str = "zh") -> str:
    return MILESTONE_NAMES[milestone][1 if lang == "en" else 0]


def reason(region: str, key: str, facts: dict, lang: str = "zh") -> str:
    """A rule's finding as a sentence: 焦作市现场确认仅4个工作日，少于规定的5个工作日。 A finding
    made from data older than the campaign allows says so, with the data's date."""
    templates = REASONS.get(key)
    if templates is None:
        return ""
    i = 1 if lang == "en" else 0
    values = {k: (f"{v:.0%}" if k == "utilisation" and isinstance(v, float) else v) for k, v in facts.items()}
    if "basis" in values:
        values["basis"], values["basis_note"] = DEMAND_BASIS[values["basis"]][i]
    text = templates[i].format(region=region, **values)
    if "silent_days" in facts and not key.endswith("_stale"):
        text += STALE_NOTE[i].format(**facts)
    return text


def rule_text(milestone: str, lang: str = "zh") -> str:
    return RULES[milestone][1 if lang == "en" else 0]


def fact_name(key: str, lang: str = "zh") -> str:
    names = FACT_NAMES.get(key)
    return names[1 if lang == "en" else 0] if names else key
