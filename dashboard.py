"""Entry point: the pages, and the sidebar every page shares (campaign, as-of date,
province → city → county drill-down, language).

The warehouse version is resolved on every run, so a new load shows on the next rerun
without a restart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import traceback

import streamlit as st

from domain.campaign import CAMPAIGNS_DIR, list_campaigns, load_campaign
from pages.frame import Context
from queries import read
from queries.connection import NoWarehouse, current_version
from texts import t

st.set_page_config(page_title=t("app.short_title"), page_icon="assets/favicon.png", layout="wide")


def sidebar(version, lang: str) -> Context:
    campaigns = {p.stem: p for p in list_campaigns()}
    chosen = st.sidebar.selectbox(t("sidebar.campaign", lang), list(campaigns), index=len(campaigns) - 1)
    campaign = load_campaign(campaigns.get(chosen, CAMPAIGNS_DIR / "2020H1.toml"))
    latest = read.data_as_of(version) or campaign.registration_start
    as_of = st.sidebar.date_input(t("sidebar.as_of", lang), value=latest, min_value=campaign.registration_start,
                                  max_value=max(latest, campaign.final_date), help=t("sidebar.as_of_help", lang),
                                  key="as_of")
    units = read.regions(version)
    whole = t("sidebar.whole", lang)
    top = units[units["parent_code"] == "410000"]
    names = dict(zip(top["region_code"], top["name"], strict=True))
    city = st.sidebar.selectbox(t("sidebar.region", lang), ["410000", *names],
                                format_func=lambda c: names.get(c, t("sidebar.province", lang)), key="region")
    scope, scope_name = city, names.get(city, t("scope.province", lang))
    counties = units[units["parent_code"] == city] if city != "410000" else units.iloc[0:0]
    if len(counties):
        county_names = dict(zip(counties["region_code"], counties["name"], strict=True))
        county = st.sidebar.selectbox(t("sidebar.county", lang), ["", *county_names],
                                      format_func=lambda c: county_names.get(c, whole), key="county")
        if county:
            scope, scope_name = county, county_names[county]
    reported_by = names[city] if scope != city else ""
    return Context(version, campaign, as_of if isinstance(as_of, dt.date) else latest, scope, scope_name, lang,
                   reported_by=reported_by)


def main() -> None:
    lang = st.sidebar.radio(t("sidebar.language", "zh"), ["zh", "en"], format_func={"zh": "中文", "en": "English"}.get,
                            horizontal=True, key="lang")
    files = {"pages/overview.py": "nav.overview", "pages/registrations.py": "nav.registrations",
             "pages/capacity.py": "nav.capacity", "pages/risk.py": "nav.risk", "pages/plans.py": "nav.plans"}
    pages = {f: st.Page(f, title=t(key, lang), default=f == "pages/overview.py") for f, key in files.items()}
    page = st.navigation(list(pages.values()))
    wanted = st.session_state.pop("wanted_page", None)  # a page linked to directly (see pages/frame.py)
    if wanted in pages and pages[wanted] is not page:
        st.switch_page(pages[wanted])
    st.title(t("app.title", lang))
    try:
        version = current_version()
    except NoWarehouse:
        st.info(t("empty.warehouse", lang))
        return
    context = sidebar(version, lang)
    others = [load_campaign(p) for p in list_campaigns() if p.stem != context.campaign.id]
    earlier = [c.final_date for c in others if c.final_date < context.campaign.registration_start]
    since = max(earlier) + dt.timedelta(days=1) if earlier else dt.date.min
    st.session_state["context"] = dataclasses.replace(context, since=since)
    st.session_state["campaigns"] = others
    try:
        page.run()
    except Exception:  # a friendly message on the page; the traceback goes to the server's log
        traceback.print_exc(file=sys.stderr)
        st.error(t("error.friendly", lang))


main()
