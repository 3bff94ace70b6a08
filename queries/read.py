"""Named queries for the pages: each takes the warehouse version it reads (so caches
follow the published version), a region scope and an as-of date, and returns a frame.

The scope is a region code: the province (every reporting unit once), a city (its
own rows and its counties'), or one unit. It is applied here, from what the
server knows, never by a page: every query is `@scoped`, which adds the signed-in
user's own scope (`allowed`, queries/who.py) to its arguments — and so to its cache key —
and its SQL keeps only regions under both. A region outside the user's scope gives an
empty frame, never another region's figures.
"""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from domain.rules import STATE_SEVERITY, State
from queries import who
from queries.connection import connect

PROVINCE = who.PROVINCE  # the default scope; in SQL the province is the region without a parent (PROVINCE_SQL)
PROVINCE_SQL = "(select region_code from regions where parent_code is null)"


@st.cache_resource(max_entries=4)
def _connection(version: str) -> duckdb.DuckDBPyConnection:
    """One read-only connection per version; each query takes its own cursor."""
    return connect(Path(version))


def _frame(version: Path, sql: str, **params) -> pd.DataFrame:
    """Run `sql` with named parameters ($scope, $as_of, …) on the version; a frame back."""
    cursor = _connection(str(version)).cursor()
    try:  # dates stay dates (pandas would make them timestamps)
        return cursor.sql(sql, params=params or None).to_arrow_table().to_pandas(date_as_object=True)
    finally:
        cursor.close()


def scoped(max_entries: int = 256):
    """A cached query that also takes the signed-in user's scope as `allowed` (so one user's
    cached answer is never another's). `.as_scope(allowed, …)` runs it for a given scope, for
    code that has no browser session (the briefing command)."""
    def wrap(query):
        cached = st.cache_data(max_entries=max_entries)(query)

        @functools.wraps(query)
        def for_user(*args, **kwargs):
            return cached(*args, allowed=who.allowed(), **kwargs)

        for_user.as_scope = lambda allowed, *args, **kwargs: cached(*args, allowed=allowed, **kwargs)
        return for_user
    return wrap


# What the signed-in user may see: `$allowed` and the regions under it.
ALLOWED = "select descendant from region_tree where ancestor = $allowed"


def worst_per_region(risk: pd.DataFrame) -> pd.DataFrame:
    """From `risk` (one row per region and milestone), each region's single worst finding — by the
    rules' own order of severity (domain.rules.STATE_SEVERITY), the earlier milestone on a tie —
    indexed by region_code: what the map colours a region by."""
    severity = risk["state"].map(lambda v: STATE_SEVERITY[State(v)])
    return (risk.assign(severity=severity).sort_values("severity", kind="stable")
            .drop_duplicates("region_code").set_index("region_code"))


@st.cache_data(max_entries=64)
def data_as_of(version: Path) -> dt.date | None:
    frame = _frame(version, "select value from meta where key = 'data_as_of'")
    text = frame["value"].iloc[0] if len(frame) else ""
    return dt.date.fromisoformat(text) if text else None


@scoped(64)
def regions(version: Path, *, allowed: str) -> pd.DataFrame:
    """The regions the user may see, and the province's own row (the root of every tree)."""
    return _frame(version, f"""select * from regions where region_code in ({ALLOWED}) or parent_code is null
                              order by region_code""", allowed=allowed)


SCOPE = f"select descendant from region_tree where ancestor = $scope and descendant in ({ALLOWED})"
# A county's figures roll up to its reporting unit: views kept per reporting unit (risk, sites,
# plans) are shown for the units in the scope and for the reporting unit above a county.
ABOVE = (f"select ancestor from region_tree where descendant = $scope and ancestor not in {PROVINCE_SQL} "
         f"and ancestor in ({ALLOWED})")
# The reporting regions: those directly under the province.
REPORTING = f"select region_code from regions where parent_code in {PROVINCE_SQL}"


@scoped()
def registrations_daily(version: Path, scope: str, as_of: dt.date, since: dt.date = dt.date.min, *,
                        allowed: str) -> pd.DataFrame:
    """Registrations per day and kind from `since` (the campaign's first day that is not an
    earlier campaign's) to `as_of`."""
    return _frame(version, f"""
        select date, qualification, sum(registrations)::bigint as registrations
        from registrations_daily where region_code in ({SCOPE}) and date between $since and $as_of
        group by all order by date, qualification""", allowed=allowed, scope=scope, since=since, as_of=as_of)


@scoped()
def registrations_by_child(version: Path, scope: str, as_of: dt.date, since: dt.date = dt.date.min, *,
                           allowed: str) -> pd.DataFrame:
    """Each unit directly under the scope (the 28 reporting units under the province), with its
    own and its counties' registrations, and per 10,000 population."""
    return _frame(version, f"""
        with children as (
            select region_code, name, population, population_source from regions
            where (parent_code = $scope or (region_code = $scope and kind <> 'province'))
              and region_code in ({ALLOWED})
        ),
        totals as (
            select c.region_code, sum(r.registrations)::bigint as registrations
            from children c
            join region_tree t on t.ancestor = c.region_code
            join registrations_daily r on r.region_code = t.descendant and r.date between $since and $as_of
            where t.ancestor <> $scope or c.region_code = t.descendant
            group by all
        ),
        final as (  -- a city's own applicants (本级) have no population of their own, and a county's
                    -- population is an estimate: no rate for them
            select c.region_code, case when c.region_code = $scope then c.name || '本级' else c.name end as name,
                   coalesce(t.registrations, 0) as registrations,
                   case when c.region_code = $scope then null else c.population end as population,
                   case when c.region_code = $scope or c.population_source = 'estimate' then null
                        else coalesce(t.registrations, 0) * 10000.0 / nullif(c.population, 0) end as per_10k
            from children c left join totals t using (region_code)
        )
        select * from final order by registrations desc""", allowed=allowed, scope=scope, since=since, as_of=as_of)


@scoped()
def progress(version: Path, scope: str, as_of: dt.date, since: dt.date = dt.date.min, *, allowed: str) -> pd.Series:
    """The scope's figures from each unit's latest report on or before `as_of`, and `online`: the
    headline 网报人数, the daily registrations from `since` to `as_of` (the 报名量 page's total)."""
    frame = _frame(version, f"""
        with latest as (
            select *, row_number() over (partition by region_code order by as_of desc) as recency
            from progress_weekly where region_code in ({SCOPE}) and as_of <= $as_of
        )
        select coalesce(sum(registered), 0) as registered, coalesce(sum(confirmed), 0) as confirmed,
               coalesce(sum(approved), 0) + coalesce(sum(rejected), 0) as decided,
               coalesce(sum(approved), 0) as approved, coalesce(sum(issued), 0) as issued,
               count(*) as units,
               (select coalesce(sum(registrations), 0) from registrations_daily
                where region_code in ({SCOPE}) and date between $since and $as_of) as online
        from latest where recency = 1""", allowed=allowed, scope=scope, since=since, as_of=as_of)
    return frame.iloc[0]


@scoped()
def risk(version: Path, scope: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """Every reporting region in the scope (or above a county) × milestone, as the rules judged it
    on `as_of`: each region's worst working unit, named in `unit_code` / `unit_name`."""
    return _frame(version, f"""
        select k.region_code, g.name, k.milestone, k.due_date, k.projected_date, k.slack_working_days,
               k.level, k.state, k.reason, k.facts, k.unit_code, u.name as unit_name
        from risk_by_day k join regions g using (region_code) join regions u on u.region_code = k.unit_code
        where k.as_of = (select max(as_of) from risk_by_day where as_of <= $as_of)
          and (k.region_code in ({SCOPE}) or k.region_code in ({ABOVE}))
        order by k.region_code, k.milestone""", allowed=allowed, scope=scope, as_of=as_of)


# The working units of a scope: those inside it, or, for a county that is not one, the unit its
# applicants fall on (its reporting region).
UNITS = f"""
    select distinct unit_code from risk_by_unit_day where unit_code in ({SCOPE})
    union
    select ancestor from region_tree
    where descendant = $scope and ancestor in ({REPORTING}) and ancestor in ({ALLOWED})
      and not exists (select 1 from risk_by_unit_day where unit_code in ({SCOPE}))"""


@scoped()
def risk_by_unit(version: Path, scope: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """Every working unit of the scope × milestone as judged on `as_of` (a unit that is not a
    reporting region has no R1 row, one without exam hospitals of its own no exam row)."""
    return _frame(version, f"""
        select k.region_code, k.unit_code, u.name as unit_name, g.name as region_name, k.milestone, k.due_date,
               k.projected_date, k.slack_working_days, k.level, k.state, k.reason, k.facts
        from risk_by_unit_day k join regions u on u.region_code = k.unit_code
        join regions g on g.region_code = k.region_code
        where k.as_of = (select max(as_of) from risk_by_unit_day where as_of <= $as_of)
          and k.unit_code in ({UNITS})
        order by k.region_code, k.unit_code <> k.region_code, k.unit_code, k.milestone""",
                  allowed=allowed, scope=scope, as_of=as_of)


@scoped()
def capacity(version: Path, scope: str, as_of: dt.date, milestone: str = "R4_capacity", *,
             allowed: str) -> pd.DataFrame:
    """Per working unit of the scope, as judged on `as_of`: demand (and how it was counted),
    capacity, utilisation, the R4 finding, and its confirmation period with the R3 days and
    finding — the same numbers the risk table and the map show."""
    return _frame(version, f"""
        with judged as (
            select * from risk_by_unit_day
            where as_of = (select max(as_of) from risk_by_unit_day where as_of <= $as_of)
              and unit_code in ({UNITS})
        ),
        r4 as (select * from judged where milestone = $milestone),
        r3 as (select * from judged where milestone = 'R3_confirmation_length'),
        final as (
            select r4.unit_code as region_code, u.name, r4.region_code as reporting_region, g.name as region_name,
                   (r4.facts->>'demand')::bigint as demand, r4.facts->>'basis' as basis,
                   (r4.facts->>'capacity')::bigint as capacity, (r4.facts->>'utilisation')::double as utilisation,
                   (r4.facts->>'start')::date as start_date, (r4.facts->>'end')::date as end_date,
                   r4.state, r4.reason, r4.facts, (r3.facts->>'days')::int as working_days, r3.state as r3_state
            from r4 left join r3 using (unit_code)
            join regions u on u.region_code = r4.unit_code join regions g on g.region_code = r4.region_code
            where r4.state <> 'no_data' or (r4.facts->>'capacity') is not null
        )
        select * from final order by utilisation desc nulls last""",
                  allowed=allowed, scope=scope, as_of=as_of, milestone=milestone)


@scoped()
def sites(version: Path, region: str, *, allowed: str) -> pd.DataFrame:
    return _frame(version, f"""select site_name, start_date, end_date, working_days, windows, per_window
                              from confirmation_capacity where region_code = $region
                              and region_code in ({ALLOWED}) order by site_name""",
                  allowed=allowed, region=region)


@scoped()
def plans(version: Path, scope: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """Each reporting region's plan as it stood on `as_of`: a plan or announcement dated later had not
    happened yet (and a plan not yet sent has no status but 未报送)."""
    return _frame(version, f"""
        with final as (
            select p.region_code, g.name,
                   case when p.plan_submitted_on <= $as_of then p.status when p.status is not null then '未报送' end
                       as status,
                   case when p.plan_submitted_on <= $as_of then p.plan_submitted_on end as plan_submitted_on,
                   case when p.announced_on <= $as_of then p.announced_on end as announced_on,
                   case when p.announced_on is null or p.announced_on > $as_of then
                            (case when p.plan_submitted_on <= $as_of then true end)  -- not announced yet
                        when p.plan_submitted_on is null or p.plan_submitted_on > $as_of then false
                        else p.plan_submitted_on <= p.announced_on end as submitted_before_announcement,
                   p.remark
            from plan_status p join regions g using (region_code)
            where p.region_code in ({SCOPE}) or p.region_code in ({ABOVE})
        )
        select * from final order by region_code""", allowed=allowed, scope=scope, as_of=as_of)


@scoped(64)
def freshness(version: Path, as_of: dt.date, report_dates: tuple[dt.date, ...], scope: str = PROVINCE, *,
              allowed: str) -> tuple[dt.datetime | None, dt.date | None, list[str]]:
    """When the last file arrived, and the reporting regions of the scope (or above a county) with
    no weekly report for the report day on or before `as_of`."""
    received = _frame(version, "select max(received_at) as t from load_log")["t"].iloc[0]
    received = None if pd.isna(received) else received.to_pydatetime()
    due = max((d for d in report_dates if d <= as_of), default=None)
    if due is None:
        return received, None, []
    missing = _frame(version, f"""
        select g.name from regions g
        where g.region_code in ({REPORTING})
          and (g.region_code in ({SCOPE}) or g.region_code in ({ABOVE}))
          and not exists (select 1 from progress_weekly p join region_tree t on t.descendant = p.region_code
                          where t.ancestor = g.region_code and p.as_of = $due)
        order by g.region_code""", allowed=allowed, scope=scope, due=due)["name"].tolist()
    return received, due, missing


@scoped()
def progress_history(version: Path, unit: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """A working unit's weekly figures (the units whose work it does), up to `as_of`."""
    return _frame(version, f"""
        select as_of, sum(registered)::bigint as registered, sum(confirmed)::bigint as confirmed,
               sum(record_checked)::bigint as record_checked,
               (sum(approved) + sum(rejected))::bigint as decided, sum(issued)::bigint as issued
        from progress_weekly
        where region_code in (select member_code from work_unit_members where unit_code = $unit)
          and $unit in ({ALLOWED}) and as_of <= $as_of
        group by all order by as_of""", allowed=allowed, unit=unit, as_of=as_of)


@scoped()
def by_child(version: Path, parent: str, as_of: dt.date, since: dt.date = dt.date.min, *, allowed: str) -> pd.DataFrame:
    """For the map: each unit directly under `parent` (the 28 reporting regions under the province,
    the counties under a city) with its registrations (its own and its counties'), population, its
    latest progress report on or before `as_of` and its confirmation-site utilisation as R4 judged it."""
    return _frame(version, f"""
        with children as (
            select region_code, name, population,
                   case when population_source <> 'estimate' then population end as census_population
            from regions where parent_code = $parent and region_code in ({ALLOWED})
        ),
        registered as (
            select c.region_code, sum(r.registrations)::bigint as registrations
            from children c join region_tree t on t.ancestor = c.region_code
            join registrations_daily r on r.region_code = t.descendant and r.date between $since and $as_of
            group by all
        ),
        latest as (
            select region_code, registered as reported_registered, confirmed,
                   row_number() over (partition by region_code order by as_of desc) as recency
            from progress_weekly where as_of <= $as_of and region_code in (select region_code from children)
        ),
        used as (  -- R4 as the rules judged it that day: the region's worst working unit
            select region_code, (facts->>'utilisation')::double as utilisation from risk_by_day
            where milestone = 'R4_capacity' and as_of = (select max(as_of) from risk_by_day where as_of <= $as_of)
              and region_code in (select region_code from children)
        )
        select c.region_code, c.name, c.population, c.census_population, coalesce(r.registrations, 0) as registrations,
               l.reported_registered, l.confirmed, u.utilisation
        from children c left join registered r using (region_code)
        left join latest l on l.region_code = c.region_code and l.recency = 1
        left join used u using (region_code)
        order by c.region_code""", allowed=allowed, parent=parent, since=since, as_of=as_of)


@scoped()
def registrations_between(version: Path, scope: str, start: dt.date, end: dt.date, *, allowed: str) -> pd.DataFrame:
    """Registrations per day in the scope between two dates (another campaign's window)."""
    return _frame(version, f"""
        select date, sum(registrations)::bigint as registrations
        from registrations_daily where region_code in ({SCOPE}) and date between $start and $end
        group by all order by date""", allowed=allowed, scope=scope, start=start, end=end)


@scoped()
def silence(version: Path, scope: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """The reporting regions of the scope (or above a county) that had stopped sending weekly reports
    on `as_of`: their last report (None if never), how many they have missed, the latest missed."""
    return _frame(version, f"""
        select s.region_code, g.name, s.last_report, s.missed, s.latest_missed
        from silence_by_day s join regions g using (region_code)
        where s.as_of = $as_of and (s.region_code in ({SCOPE}) or s.region_code in ({ABOVE}))
        order by s.region_code""", allowed=allowed, scope=scope, as_of=as_of)


@scoped()
def registered_two_ways(version: Path, scope: str, as_of: dt.date, *, allowed: str) -> pd.DataFrame:
    """Per reporting region of the scope: 网报人数 as its latest weekly report (on or before `as_of`)
    states it, against the daily registrations summed up to that report's date."""
    return _frame(version, f"""
        with regions_in as (
            select region_code, name from regions
            where region_code in ({REPORTING}) and (region_code in ({SCOPE}) or region_code in ({ABOVE}))
        ),
        weekly as (
            select t.ancestor as region_code, p.as_of, sum(p.registered)::bigint as reported
            from progress_weekly p join region_tree t on t.descendant = p.region_code
            where p.as_of <= $as_of and t.ancestor in (select region_code from regions_in)
            group by all
        ),
        latest as (select * from weekly qualify row_number() over (partition by region_code order by as_of desc) = 1),
        final as (
            select r.region_code, r.name, l.as_of as report_date, l.reported,
                   (select sum(d.registrations) from registrations_daily d join region_tree t
                    on t.descendant = d.region_code where t.ancestor = r.region_code
                    and d.date <= l.as_of)::bigint as daily
            from regions_in r join latest l using (region_code)
        )
        select *, reported - daily as difference from final order by abs(reported - daily) desc""",
                  allowed=allowed, scope=scope, as_of=as_of)


@scoped()
def standing(version: Path, as_of: dt.date, since: dt.date = dt.date.min, *, allowed: str) -> pd.Series:
    """How the user's own region compares, without naming any other: the province's registrations
    and the average per region among its peers (the reporting regions, or a county's fellow
    counties under its city), and the user's rank among them by registrations (1 = most)."""
    frame = _frame(version, f"""
        with me as (select region_code, parent_code from regions where region_code = $allowed),
        peers as (
            select g.region_code from regions g, me
            where g.parent_code = coalesce(me.parent_code, g.parent_code)
              and (me.parent_code is not null or g.region_code in ({REPORTING}))
        ),
        totals as (
            select p.region_code, coalesce(sum(r.registrations), 0) as registrations
            from peers p join region_tree t on t.ancestor = p.region_code
            left join registrations_daily r on r.region_code = t.descendant and r.date between $since and $as_of
            group by all
        ),
        ranked as (select *, rank() over (order by registrations desc) as rank from totals)
        select (select coalesce(sum(registrations), 0) from registrations_daily
                where date between $since and $as_of)::bigint as province_registrations,
               (select avg(registrations) from ranked) as peer_average,
               (select count(*) from ranked) as peers,
               (select registrations from ranked where region_code = $allowed)::bigint as registrations,
               (select rank from ranked where region_code = $allowed) as rank""",
                   allowed=allowed, since=since, as_of=as_of)
    return frame.iloc[0]
