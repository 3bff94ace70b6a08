"""Scope in queries/: every read function, asked for a region outside the user's own, returns
nothing of it — whatever a page passes — and a query without a signed-in user refuses."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pandas as pd
import pytest

from queries import read, who

DAY = dt.date(2020, 7, 24)
REPORTS = (dt.date(2020, 7, 17), dt.date(2020, 7, 24))
ZHENGZHOU = {"410100", "410181", "410102", "410122"}  # 郑州市 and some of what lies under it
RUZHOU = "410482"  # sends nothing: the one region freshness and silence have something to say of


@pytest.fixture(scope="module")
def version(demo_warehouse):
    db, _ = demo_warehouse
    return Path(os.path.realpath(db))


# (query, arguments after the version, with "{R}" where the region goes)
QUERIES = [
    (read.registrations_daily, ("{R}", DAY)), (read.registrations_by_child, ("{R}", DAY)),
    (read.progress, ("{R}", DAY)), (read.risk, ("{R}", DAY)), (read.risk_by_unit, ("{R}", DAY)),
    (read.capacity, ("{R}", DAY)), (read.sites, ("{R}",)), (read.plans, ("{R}", DAY)),
    (read.freshness, (DAY, REPORTS, "{R}")), (read.progress_history, ("{R}", DAY)), (read.by_child, ("{R}", DAY)),
    (read.registrations_between, ("{R}", dt.date(2020, 6, 8), DAY)), (read.silence, ("{R}", DAY)),
    (read.registered_two_ways, ("{R}", DAY)),
]


def _call(query, args, region: str, allowed: str, version):
    return query.as_scope(allowed, version, *[region if a == "{R}" else a for a in args])


def _amount(result) -> float:
    """How much a result holds: rows of a frame, figures of a series, names in freshness's list."""
    if isinstance(result, pd.DataFrame):
        return len(result)
    if isinstance(result, pd.Series):
        return float(pd.to_numeric(result, errors="coerce").fillna(0).abs().sum())
    return len(result[2])


@pytest.mark.parametrize(("query", "args"), QUERIES, ids=[q.__name__ for q, _ in QUERIES])
def test_a_region_outside_the_users_scope_gives_nothing(query, args, version):
    other = RUZHOU if query in (read.freshness, read.silence) else "410100"
    own = _call(query, args, other, "410000", version)  # the province's view of it: there is something
    assert _amount(own) > 0, f"{query.__name__} has nothing for {other} even for the province"
    forced = _call(query, args, other, "411600", version)  # 周口's coordinator asking for it
    assert _amount(forced) == 0, f"{query.__name__} gave 周口's coordinator 郑州's figures"
    if isinstance(forced, pd.DataFrame):
        for column in ("region_code", "unit_code"):
            if column in forced:
                assert not set(forced[column]) & (ZHENGZHOU | {RUZHOU})


def test_the_regions_a_coordinator_may_see_are_their_own_and_what_lies_under(version):
    codes = set(read.regions.as_scope("411600", version)["region_code"])
    assert "411600" in codes and "411627" in codes and "410000" in codes
    assert not codes & ZHENGZHOU
    assert set(read.regions.as_scope("411627", version)["region_code"]) == {"410000", "411627"}


def test_how_a_region_compares_names_no_other(version):
    mine = read.standing.as_scope("411600", version, DAY)
    assert mine["peers"] == 28 and 1 <= mine["rank"] <= 28
    assert mine["registrations"] > 0 and mine["province_registrations"] > mine["registrations"]
    county = read.standing.as_scope("411627", version, DAY)
    assert county["peers"] == len([c for c in read.regions.as_scope("410000", version)["parent_code"]
                                   if c == "411600"])


def test_no_signed_in_user_no_figures(version):
    with pytest.raises(who.NotSignedIn):
        read.risk(version, "410000", DAY)
