"""Entry point: who is the user (the sign-in gate, before anything else), which pages they
may see, and the sidebar every page shares (campaign, as-of date, the regions in their scope,
language, sign out).

The warehouse version is resolved on every run, so a new load shows on the next rerun
without a restart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import traceback

import streamlit as st

from access import signin
from access.identity import Identity
from domain.campaign import CAMPAIGNS_DIR, list_campaigns, load_campaign
from pages.frame import Context
from queries import read
from queries.connection import NoWarehouse, current_version
from texts import t

st.set_page_config(page_title=t("app.short_title"), page_icon="assets/favicon.png", layout="wide")


def sidebar(version, lang: str, user: Identity) -> Context:
    campaigns = {p.stem: p for p in list_campaigns()}
    chosen = st.sidebar.selectbox(t("sidebar.campaign", lang), list(campaigns), index=len(campaigns) - 1)
    campaign = load_campaign(campaigns.get(chosen, CAMPAIGNS_DIR / "2020H1.toml"))
    latest = read.data_as_of(version) or campaign.registration_start
    as_of = st.sidebar.date_input(t("sidebar.as_of", lang), value=latest, min_value=campaign.registration_start,
                                  max_value=max(latest, campaign.final_date), help=t("sidebar.as_of_help", lang),
                                  key="as_of")
    units = read.regions(version)  # only the regions in the user's scope (queries/read.py)
    root = user.scope(read.PROVINCE)
    names = dict(zip(units["region_code"], units["name"], strict=True))
    if root == read.PROVINCE:
        top = units[units["parent_code"] == root]
        cities = dict(zip(top["region_code"], top["name"], strict=True))
        city = st.sidebar.selectbox(t("sidebar.region", lang), [root, *cities],
                                    format_func=lambda c: cities.get(c, t("sidebar.province", lang)), key="region")
    else:  # a coordinator: their own region, and its counties if it has any
        city = root
        st.sidebar.markdown(f"**{t('sidebar.region', lang)}**：{names[root]}")
    scope = city
    scope_name = names.get(city, t("scope.province", lang)) if city != read.PROVINCE else t("scope.province", lang)
    counties = units[units["parent_code"] == city] if city != read.PROVINCE else units.iloc[0:0]
    if len(counties):
        county_names = dict(zip(counties["region_code"], counties["name"], strict=True))
        county = st.sidebar.selectbox(t("sidebar.county", lang), ["", *county_names],
                                      format_func=lambda c: county_names.get(c, t("sidebar.whole", lang)),
                                      key="county")
        if county in county_names:
            scope, scope_name = county, county_names[county]
    reported_by = names[city] if scope != city else ""
    return Context(version, campaign, as_of if isinstance(as_of, dt.date) else latest, scope, scope_name, lang,
                   reported_by=reported_by)


def account_box(user: Identity, lang: str) -> None:
    """Who is signed in, and the way out."""
    role = t(f"role.{user.role}", lang)
    st.sidebar.caption(t("account.signed_in", lang, name=user.name, role=role))
    if st.sidebar.button(t("account.sign_out", lang), key="sign_out"):
        signin.sign_out()
        st.rerun()


def main() -> None:
    user = signin.gate(lambda key, **kw: t(key, st.session_state.get("lang", "zh"), **kw))  # nothing shows before
    lang = st.sidebar.radio(t("sidebar.language", "zh"), ["zh", "en"], format_func={"zh": "中文", "en": "English"}.get,
                            horizontal=True, key="lang")
    files = {"pages/overview.py": "nav.overview", "pages/registrations.py": "nav.registrations",
             "pages/capacity.py": "nav.capacity", "pages/risk.py": "nav.risk", "pages/plans.py": "nav.plans"}
    if user.is_admin:
        files["pages/admin.py"] = "nav.admin"
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
    context = sidebar(version, lang, user)
    account_box(user, lang)
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
