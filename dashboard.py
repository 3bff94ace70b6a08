"""Entry point: who is the user (the sign-in gate, before anything else), which pages they may
see, and the sidebar every page shares (campaign, as-of date, the regions in their scope —
province → city → county for the province's users — language, sign out).

The address holds the view: …/risk?region=411600&county=411627&as_of=2020-07-10&lang=en opens
that page with those choices, and every choice in the sidebar is written back into it, so a copied
link shows what its sender saw. The warehouse version is resolved on every run, so a new load shows
on the next rerun without a restart.
"""

from __future__ import annotations

import streamlit as st

from texts import LANGS, t

# First, before the heavier imports: on a fresh server's first run Streamlit lists the files of pages/
# in the sidebar until st.navigation runs; the style below hides that list (the menu is ours).
st.set_page_config(page_title=t("app.short_title"), page_icon="assets/favicon.png", layout="wide")
st.html("""<style>
  /* the first screen answers first: less empty space above the title */
  [data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
  h1 { font-size: 2.1rem !important; }
  [data-testid="stSidebarNav"] { display: none; }
  @media (max-width: 640px) { h1 { font-size: 1.3rem !important; } }
</style>""")

import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
import gc  # noqa: E402
import sys  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Mapping  # noqa: E402
from pathlib import Path  # noqa: E402
from types import MappingProxyType  # noqa: E402

from access import signin  # noqa: E402
from access.identity import Identity  # noqa: E402
from domain.campaign import (  # noqa: E402
    CAMPAIGNS_DIR,
    Campaign,
    default_campaign_path,
    first_own_day,
    list_campaigns,
    load_campaign,
)
from domain.regions import load_units  # noqa: E402
from pages.frame import Context, choice  # noqa: E402
from queries import read  # noqa: E402
from queries.connection import NoWarehouse, current_version  # noqa: E402

PROVINCE = read.PROVINCE
PAGES = {"pages/overview.py": "nav.overview", "pages/registrations.py": "nav.registrations",
         "pages/capacity.py": "nav.capacity", "pages/risk.py": "nav.risk", "pages/plans.py": "nav.plans",
         "pages/submissions.py": "nav.submissions", "pages/briefing.py": "nav.briefing"}
UPLOAD = "pages/upload.py"  # 数据上报: for coordinators (their own region) and administrators, not leadership
UPLOADERS = ("coordinator", "admin")
LINKED = "link"  # session state: the choices a link carried, until the sidebar has checked them
# A typed date applies on Enter. Streamlit's date field commits only when focus leaves it (or from its
# calendar): on Enter, move focus to the next control after it.
ENTER_APPLIES_DATE = st.components.v2.component("enter-applies-date", js="""
export default function () {
  const apply = (event) => {
    const field = event.key === "Enter" && event.target.closest?.('[data-testid="stDateInput"]');
    if (!field) return;
    const next = [...document.querySelectorAll("input, button, [tabindex]")].find((e) => e.tabIndex >= 0
      && !field.contains(e) && field.compareDocumentPosition(e) & Node.DOCUMENT_POSITION_FOLLOWING);
    (next ?? document.body).focus();
  };
  document.addEventListener("keydown", apply, true);
  return () => document.removeEventListener("keydown", apply, true);
}""")


def read_link() -> None:
    """On a session's first run, take the link's choices: the language at once, the rest when the
    sidebar knows the regions and dates to check them against."""
    if "link-read" in st.session_state:
        return
    st.session_state["link-read"] = True
    params = st.query_params.to_dict()
    lang = params.get("lang")
    notes = []
    if lang in LANGS:
        st.session_state["lang"] = lang
    elif lang is not None:
        notes.append(("link.bad_lang", {"value": lang}))
    st.session_state[LINKED] = {k: params[k] for k in ("region", "county", "as_of") if k in params}
    st.session_state["link-notes"] = notes


@dataclasses.dataclass(frozen=True)
class Tree:
    """The regions a user may see, as the sidebar asks for them: each one's parent and name, and the
    children of each (code → name, in code order). Shared by every run and session of the same
    warehouse version and scope: never changed after it is made."""
    parent: Mapping[str, str | None]
    names: Mapping[str, str]
    children: Mapping[str, Mapping[str, str]]


@st.cache_resource(max_entries=256, show_spinner=False)
def region_tree(version: Path, allowed: str) -> Tree:
    """read.regions for the scope `allowed`, made once (the sidebar filtered the frame on every run)."""
    units = read.regions.as_scope(allowed, version)
    children: dict[str, dict[str, str]] = {}
    for code, parent, name in zip(units["region_code"], units["parent_code"], units["name"], strict=True):
        if isinstance(parent, str):
            children.setdefault(parent, {})[code] = name
    return Tree(MappingProxyType(dict(zip(units["region_code"], units["parent_code"], strict=True))),
                MappingProxyType(dict(zip(units["region_code"], units["name"], strict=True))),
                MappingProxyType({p: MappingProxyType(c) for p, c in children.items()}))


def campaign_file(path: Path) -> Campaign:
    """load_campaign, read once per file as it stands (its modification time is in the key: an edited
    file is read again). Shared: a Campaign is frozen."""
    return _campaign(path, path.stat().st_mtime_ns)


@st.cache_resource(max_entries=64, show_spinner=False)
def _campaign(path: Path, mtime: int) -> Campaign:  # mtime: in the key only (an edited file is read again)
    return load_campaign(path)


def apply_link(tree: Tree, first: dt.date, last: dt.date, default: dt.date) -> None:
    """The link's region, county and date, each checked: one that is bad or unknown is left at its
    default, and a note names it."""
    link = st.session_state.pop(LINKED, None)
    if not link:
        return
    notes = st.session_state.setdefault("link-notes", [])
    parent, names = tree.parent, tree.names
    region, county = link.get("region"), link.get("county")
    if region is not None:
        if region not in parent or region == PROVINCE:
            if region != PROVINCE:
                notes.append(("link.bad_region", {"value": region}))
            region = PROVINCE
        elif parent[region] != PROVINCE:  # a county named as the region: its city, and the county in it
            region, county = parent[region], county or region
        st.session_state["region"] = region
    if county is not None:
        city = st.session_state.get("region", PROVINCE)
        if parent.get(county) == city and city != PROVINCE:
            st.session_state["county"] = county
        else:
            notes.append(("link.bad_county", {"value": county, "region": names.get(city, names[PROVINCE])}))
    if "as_of" in link:
        try:
            day = dt.date.fromisoformat(link["as_of"])
            if not first <= day <= last:
                raise ValueError(day)
            st.session_state["as_of"] = day
        except ValueError:
            notes.append(("link.bad_as_of", {"value": link["as_of"], "first": first.isoformat(),
                                             "last": last.isoformat(), "default": default.isoformat()}))


def forget_link_notes() -> None:
    st.session_state["link-notes"] = []


def sidebar(version, lang: str, user: Identity) -> Context:
    side = st.sidebar
    campaigns = {p.stem: p for p in list_campaigns()}
    chosen = side.selectbox(t("sidebar.campaign", lang), list(campaigns), index=len(campaigns) - 1)
    campaign = campaign_file(campaigns.get(chosen, CAMPAIGNS_DIR / "2020H1.toml"))
    latest = read.data_as_of(version) or campaign.registration_start
    # plans and announcements come before registration opens: the data may end before it
    first, last = min(campaign.registration_start, latest), max(latest, campaign.final_date)
    root = user.scope(PROVINCE)
    tree = region_tree(version, root)  # only the regions in the user's scope
    apply_link(tree, first, last, latest)
    if not isinstance(st.session_state.get("as_of"), dt.date) or not first <= st.session_state["as_of"] <= last:
        st.session_state["as_of"] = latest
    with side:
        ENTER_APPLIES_DATE(key="enter-applies-date", height=0)
    as_of = side.date_input(t("sidebar.as_of", lang), min_value=first, max_value=last, format="YYYY-MM-DD",
                            help=t("sidebar.as_of_help", lang), key="as_of", on_change=forget_link_notes)
    if root == PROVINCE:
        names = tree.children.get(PROVINCE, {})
        city = choice(side.selectbox, t("sidebar.region", lang), [PROVINCE, *names], "region", lang,
                      format_func=lambda c: names.get(c, t("sidebar.province", lang)), on_change=forget_link_notes)
    else:  # a coordinator: their own region (and its counties, if it has any), nothing else to pick
        names = tree.names
        city = st.session_state["region"] = root
        side.markdown(f"**{t('sidebar.region', lang)}**：{names[root]}")
    scope, scope_name = city, names.get(city, t("scope.province", lang))
    county_names = tree.children.get(city, {}) if city != PROVINCE else {}
    if county_names:
        county = choice(side.selectbox, t("sidebar.county", lang), ["", *county_names], "county", lang,
                        format_func=lambda c: county_names.get(c, t("sidebar.whole", lang)),
                        on_change=forget_link_notes)
        if county in county_names:
            scope, scope_name = county, county_names[county]
    else:
        st.session_state["county"] = ""
    reported_by = names[city] if scope != city else ""
    return Context(version, campaign, as_of if isinstance(as_of, dt.date) else latest, scope, scope_name, lang,
                   reported_by=reported_by)


def write_link(ctx: Context) -> None:
    """The view in the address: region (the city or the province), county, as_of and lang."""
    county = ctx.scope if ctx.reported_by else ""
    city = st.session_state.get("region", PROVINCE)
    wanted = {"region": city, **({"county": county} if county else {}), "as_of": ctx.as_of.isoformat(),
              "lang": ctx.lang}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def earlier_campaigns(campaign: Campaign) -> tuple[list[Campaign], dt.date]:
    """The other campaigns, and the first day that belongs to this one (after the latest earlier one)."""
    others = [campaign_file(p) for p in list_campaigns() if p.stem != campaign.id]
    return others, first_own_day(campaign, others)


def account_box(user: Identity, lang: str) -> None:
    """Who is signed in, and the way out."""
    st.sidebar.caption(t("account.signed_in", lang, name=user.name, role=t(f"role.{user.role}", lang)))
    if st.sidebar.button(t("account.sign_out", lang), key="sign_out"):
        signin.sign_out()
        st.rerun()


def main() -> None:
    read_link()  # a shared link's choices wait in the session through the sign-in
    user = signin.gate(lambda key, **kw: t(key, st.session_state.get("lang", "zh"), **kw))  # nothing shows before
    menu = st.sidebar.container(key="menu")  # filled once the pages are known, shown first
    lang = choice(st.sidebar.radio, t("sidebar.language"), list(LANGS), "lang", "any",
                  format_func={"zh": "中文", "en": "English"}.get, horizontal=True)
    files = {**PAGES, **({UPLOAD: "nav.upload"} if user.role in UPLOADERS else {}),
             **({"pages/admin.py": "nav.admin"} if user.is_admin else {})}
    pages = {f: st.Page(f, title=t(key, lang), default=f == "pages/overview.py") for f, key in files.items()}
    page = st.navigation(list(pages.values()), position="hidden")  # the menu is ours: see below
    wanted = st.session_state.pop("wanted_page", None)  # a page linked to directly (see pages/frame.py)
    if wanted in pages and pages[wanted] is not page:
        st.switch_page(pages[wanted], query_params=st.query_params.to_dict())
    with menu:
        for p in pages.values():
            st.page_link(p)
    st.title(t("app.title", lang))
    try:
        version = current_version()
    except NoWarehouse:  # nothing loaded yet: the first files come in through 数据上报
        account_box(user, lang)
        if UPLOAD in pages and page is pages[UPLOAD]:
            st.session_state["context"] = before_any_data(lang, user)
            run(page, lang)
        else:
            st.info(t("empty.warehouse_upload" if UPLOAD in pages else "empty.warehouse", lang))
        return
    context = sidebar(version, lang, user)
    account_box(user, lang)
    st.sidebar.caption(t("help.english", lang))  # which words stay in another language
    for key, values in st.session_state.get("link-notes", []):
        st.warning(t(key, lang, **values))
    write_link(context)
    others, since = earlier_campaigns(context.campaign)
    st.session_state["context"] = dataclasses.replace(context, since=since)
    st.session_state["campaigns"] = others
    run(page, lang)
    settled_process()


@st.cache_resource(show_spinner=False)
def settled_process() -> None:
    """Once a process, after its first page: what is alive then (the modules, the first builds) is
    moved out of the garbage collector's way (gc.freeze). Streamlit's collection after every run is
    off (runner.postScriptGC, it took a third of the CPU); the collector's own full passes still
    walked every object of pandas, plotly and pyarrow, on some run of some session. The garbage
    of that first run is collected first, so none of it is frozen for good."""
    gc.collect()
    gc.freeze()


def run(page, lang: str) -> None:
    try:
        page.run()
    except Exception:  # a friendly message on the page; the traceback goes to the server's log
        traceback.print_exc(file=sys.stderr)
        st.error(t("error.friendly", lang))


def before_any_data(lang: str, user: Identity) -> Context:
    """The context of the upload page while the warehouse is still empty: the newest campaign, today,
    the user's own region."""
    region = user.scope(PROVINCE)
    name = load_units().get(region).name if region != PROVINCE else t("scope.province", lang)
    return Context(Path(), load_campaign(default_campaign_path()), dt.date.today(), region, name, lang)


main()
