"""Everything a user reads, in one place (texts/strings.py): Chinese first, English as an option.

`t(key, lang, **values)` gives the text for a key; `reason(...)` turns a rule's finding into the
plain sentence the "需要关注" list shows; `campaign_fields(campaign, lang)` gives the campaign's own
numbers (dates, working days, defaults) that texts name as format fields.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from texts.strings import TEXTS

if TYPE_CHECKING:
    from domain.campaign import Campaign

LANGS = ("zh", "en")


def t(key: str, lang: str = "zh", **values: object) -> str:
    text = TEXTS[key][1 if lang == "en" else 0]
    return text.format(**values) if values else text


def campaign_fields(campaign: Campaign, lang: str = "zh") -> dict[str, object]:
    """The campaign's numbers as the texts name them: {final}, {final_md}, {final_month}, {final_day},
    {min_days}, {decision_days}, {per_window}, {report_day}."""
    final = campaign.final_date
    return {"final": final.isoformat(), "final_md": final.strftime("%m-%d"), "final_month": final.month,
            "final_day": final.day, "min_days": campaign.min_confirmation_working_days,
            "decision_days": campaign.decision_within_working_days,
            "per_window": campaign.default_daily_per_window,
            "report_day": t(f"weekday.{campaign.report_weekday}", lang)}


NOT_DEADLINES = ("R3_confirmation_length", "R4_capacity", "R4_exam_capacity")  # a failed rule, not a missed date


def level_name(state: str, lang: str = "zh", milestone: str | None = None) -> str:
    """A finding's state (or the contract's level) as users read it: a broken rule that is not a
    deadline (R3, R4) is 不达标 and its projection 预计不达标, never 已逾期."""
    if milestone in NOT_DEADLINES and state in ("late", "overdue"):
        state = "fails"
    if milestone in NOT_DEADLINES and state == "projected_late":
        state = "projected_fails"
    return t(f"level.{state}", lang)


def milestone_name(milestone: str, campaign: Campaign, lang: str = "zh") -> str:
    return t(f"milestone.{milestone}", lang, **campaign_fields(campaign, lang))


def rule_text(milestone: str, campaign: Campaign, lang: str = "zh") -> str:
    return t(f"rule.{milestone}", lang, **campaign_fields(campaign, lang))


def basis_name(basis: str | None, lang: str = "zh") -> str:
    """How R4's demand was counted (预计报名, 目前已报名, …); blank when unknown."""
    return t(f"basis.{basis}", lang) if f"basis.{basis}" in TEXTS else ""


def reason(region: str, key: str, facts: dict, lang: str = "zh") -> str:
    """A rule's finding as a sentence: 焦作市现场确认仅4个工作日，少于规定的5个工作日。 A finding
    made from data older than the campaign allows says so, with the data's date."""
    if f"reason.{key}" not in TEXTS:
        return ""
    values = {k: (f"{v:.0%}" if k == "utilisation" and isinstance(v, float) else v) for k, v in facts.items()}
    if "basis" in values:
        values["basis"], values["basis_note"] = (t(f"basis.{facts['basis']}", lang),
                                                 t(f"basis_note.{facts['basis']}", lang))
    text = t(f"reason.{key}", lang, region=region, **values)
    if "silent_days" in facts and not key.endswith("_stale"):
        text += t("reason.stale_note", lang, **facts)
    return text


def fact_name(key: str, lang: str = "zh") -> str:
    return t(f"fact.{key}", lang) if f"fact.{key}" in TEXTS else key


def data_word(kind: str, value: str | float | None, lang: str = "zh") -> str:
    """A word that comes from the data (a qualification kind, a plan status) in the page's language;
    a value the texts do not know is shown as it came."""
    if value is None or value != value:  # None, or a frame's NaN: nothing was sent
        return ""
    return t(f"{kind}.{value}", lang) if f"{kind}.{value}" in TEXTS else value
