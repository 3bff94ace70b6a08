"""Everything a user reads, in one place: Chinese first, English as an option.

`t(key, lang, **values)` gives the text for a key; `reason(...)` turns a rule's
assessment into the plain sentence the "需要关注" list shows.
"""

from __future__ import annotations

from texts.strings import EN, FACT_NAMES, LEVELS, MILESTONE_NAMES, REASONS, RULES, ZH

LANGS = ("zh", "en")


def t(key: str, lang: str = "zh", **values: object) -> str:
    table = EN if lang == "en" else ZH
    text = table.get(key) or ZH[key]
    return text.format(**values) if values else text


def level_name(level: str, lang: str = "zh") -> str:
    return LEVELS[level][1 if lang == "en" else 0]


def milestone_name(milestone: str, lang: str = "zh") -> str:
    return MILESTONE_NAMES[milestone][1 if lang == "en" else 0]


def reason(region: str, key: str, facts: dict, lang: str = "zh") -> str:
    """A rule's finding as a sentence: 焦作市现场确认仅4个工作日，少于规定的5个工作日。"""
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
