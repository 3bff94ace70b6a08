"""A briefing's content, built once and then drawn as images, a Word document, a PDF and the page:
title, headline figures with their change since last week, a summary written from the same
answers the charts are drawn from, and the charts with their tables."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from briefing.charts import (
    MAP_HEIGHT,
    MAP_WIDTH,
    Chart,
    capacity_chart,
    milestone,
    plans_chart,
    region_map_chart,
    registration_curve,
    risk_chart,
)
from briefing.week import Figures, Week, figures, plans_sent, rate
from domain.rules import ATTENTION, DEADLINES, State
from texts import level_name


@dataclass(frozen=True)
class Headline:
    label: str
    value: str
    change: str  # since last week; blank where a change says nothing


@dataclass(frozen=True)
class Briefing:
    week: Week
    headline: list[Headline]
    summary: str
    charts: list[Chart]

    @property
    def title(self) -> str:
        return self.week.w("title")

    @property
    def subtitle(self) -> str:
        return self.week.w("subtitle", region=self.week.region_name, as_of=self.week.as_of.isoformat())

    @property
    def stem(self) -> str:
        """Files are named for the scope and the date: briefing-410000-2020-07-10."""
        return f"briefing-{self.week.region}-{self.week.as_of.isoformat()}"

    def with_summary(self, text: str) -> Briefing:
        """The same briefing with the summary as the user edited it."""
        return Briefing(self.week, self.headline, text, self.charts)


def build(week: Week, map_size: tuple[int, int] = (MAP_WIDTH, MAP_HEIGHT)) -> Briefing:
    """The briefing of a week; `map_size` frames the map for a smaller space (the page's)."""
    found = figures(week)
    charts = [region_map_chart(week, found, map_size), registration_curve(week), capacity_chart(week),
              risk_chart(week, found), plans_chart(week, found)]
    return Briefing(week, headline(week, found), summary(week, found), charts)


def headline(week: Week, found: Figures) -> list[Headline]:
    now, before = found.now, found.before
    lines = [Headline(week.w("registered"), f"{int(now['online']):,}", f"{int(now['online'] - before['online']):+,}")]
    for key, part, whole in [("confirmed_rate", "confirmed", "registered"), ("decided_rate", "decided", "confirmed"),
                             ("issued_rate", "issued", "approved")]:
        change = (rate(now, part, whole) - rate(before, part, whole)) * 100
        lines.append(Headline(week.w(key), f"{rate(now, part, whole):.1%}", week.w("points", value=change)))
    lines.append(Headline(week.w("plans"), f"{plans_sent(found.plans, week.as_of)}/{len(found.plans)}", ""))
    lines.append(Headline(week.w("days_left", final=week.campaign.final_date.strftime("%m-%d")),
                          str(found.days_left), ""))
    return lines


LATE = {State.OVERDUE, State.PROJECTED_LATE, State.AT_RISK}  # a deadline in danger


def summary(week: Week, found: Figures) -> str:
    """截至7月10日，全省网报…人…；…个地区存在逾期风险：…. Every number is one the charts and the
    headline figures show."""
    now, before = found.now, found.before
    change = int(now["online"] - before["online"])
    sentences = [week.w("sum.progress", month=week.as_of.month, day=week.as_of.day, as_of=week.as_of.isoformat(),
                        region=week.region_name, registered=int(now["online"]),
                        change=week.w("sum.change", change=change) if change else "",
                        confirmed=rate(now, "confirmed", "registered"),
                        decided=rate(now, "decided", "confirmed"), issued=rate(now, "issued", "approved"))]
    kind = week.w("sum.kind.unit" if week.by_unit else "sum.kind.region")
    risk = found.risk
    trouble = risk[risk["state"].isin(ATTENTION)].sort_values(["severity", "row"], kind="stable")
    deadline = trouble["milestone"].isin(DEADLINES)
    late = trouble[deadline & trouble["state"].isin(LATE)]
    sentences.append(_listed(week, "sum.late", late, kind) if len(late) else week.w("sum.late_none", kind=kind))
    for key, rows in (("sum.fails", trouble[~deadline & (trouble["state"] != State.DONE_LATE)]),
                      ("sum.done_late", trouble[trouble["state"] == State.DONE_LATE])):
        if len(rows):
            sentences.append(_listed(week, key, rows, kind))
    if len(found.silence):
        sentences.append(week.w("sum.silent", n=len(found.silence), items=week.w("sep").join(found.silence["name"])))
    final = week.campaign.final_date
    sentences.append(week.w("sum.plans", sent=plans_sent(found.plans, week.as_of), total=len(found.plans),
                            final=final.isoformat(), month=final.month, day=final.day, days=found.days_left))
    return "".join(sentences).strip()


def _listed(week: Week, key: str, rows: pd.DataFrame, kind: str) -> str:
    """N个地区…：A（环节判定、…）、B（…）, the worst first."""
    items = []
    for who, found in rows.groupby("who", sort=False):
        what = week.w("sep").join(week.w("sum.finding", milestone=milestone(week, m, short=True),
                                         level=level_name(s, week.lang, m))
                                  for m, s in zip(found["milestone"], found["state"], strict=True))
        items.append(week.w("sum.item", who=who, what=what))
    return week.w(key, n=rows["row"].nunique(), kind=kind, items=week.w("sep").join(items))
