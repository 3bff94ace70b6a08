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

from domain import reporting
from domain.campaign import Campaign
from domain.rules import STATE_SEVERITY, State
from etl.tables import TABLES, TableSpec
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


# ---- 报送情况: who sent what, when (the board, a unit's versions, data quality) -------------------------------

# The units a board lists for a scope: the reporting regions under the province; a city and its counties;
# a county alone. Each row of a file counts for the deepest of them above it (`member`).
BOARD_UNITS = f"""
    units as (
        select region_code as unit_code, name, parent_code in {PROVINCE_SQL} as reporting from regions
        where region_code in ({ALLOWED})
          and (parent_code = $scope or (region_code = $scope and parent_code is not null))
    ),
    depth as (select descendant as region_code, count(*) as depth from region_tree group by all),
    member as (
        select t.descendant as region_code, t.ancestor as unit_code
        from region_tree t join units u on u.unit_code = t.ancestor join depth d on d.region_code = t.ancestor
        qualify row_number() over (partition by t.descendant order by d.depth desc) = 1
    )"""
# A file's sender: the deepest region whose tree holds every row the file loaded (`rows`: load_seq, region_code).
SENDER = """
    file_regions as (select distinct load_seq, region_code from {rows}),
    file_size as (select load_seq, count(*) as regions from file_regions group by all),
    sender as (
        select f.load_seq, t.ancestor as sender_code
        from file_regions f join region_tree t on t.descendant = f.region_code
        join depth d on d.region_code = t.ancestor join file_size s using (load_seq)
        group by f.load_seq, t.ancestor, d.depth, s.regions having count(*) = s.regions
        qualify row_number() over (partition by f.load_seq order by d.depth desc) = 1
    )"""
# Every loaded row of the board's tables: the table, the file (load_seq), its sheet, its region and its day
# (the plan's sending date, a registration's date, a report's as-of date; none for sites and hospitals).
FILE_ROWS = """
    file_rows as (
        select 'plan' as tbl, load_seq, sheet, region_code, plan_submitted_on as day from plan_hist
        union all select 'registrations', load_seq, sheet, region_code, date from registrations_hist
        union all select 'sites', load_seq, sheet, region_code, null::date from sites_hist
        union all select 'hospitals', load_seq, sheet, region_code, null::date from hospitals_hist
        union all select 'progress', load_seq, sheet, region_code, as_of from progress_hist
    )"""
# The sheet a table is named by in the contract: a refused row on a sheet so named (or on a sheet that
# loaded rows of the table) is that table's.
TABLE_SHEETS = "(values ('plan', '实施方案'), ('registrations', '报名进度'), ('sites', '现场确认安排'), " \
               "('hospitals', '体检安排'), ('progress', '认定进度')) as sheets(tbl, sheet_name)"


@scoped()
def submission_facts(version: Path, scope: str, *, allowed: str) -> pd.DataFrame:
    """One row per unit of the scope's board × table it owes: its latest file (name, when, by whom, the
    ledger's status, the latest day its rows cover), when it first sent the table, how many files,
    whether that latest file (sent by the unit itself) still has refused rows of the table; for plans
    the dates and status it reported; for sites and hospitals the day its confirmation starts."""
    return _frame(version, f"""
        with {BOARD_UNITS}, {FILE_ROWS}, {SENDER.format(rows="file_rows")},
        per_file as (
            select m.unit_code, r.tbl, r.load_seq, max(r.day) as last_day, list(distinct r.sheet) as sheets
            from file_rows r join member m using (region_code) group by all
        ),
        errors as (
            select f.unit_code, f.tbl, f.load_seq, count(e.load_seq) as refused
            from per_file f join sender s using (load_seq) join member ms on ms.region_code = s.sender_code
            join {TABLE_SHEETS} on sheets.tbl = f.tbl
            join rejected_rows_all e on e.load_seq = f.load_seq
             and (list_contains(f.sheets, e.sheet) or contains(e.sheet, sheets.sheet_name))
            where ms.unit_code = f.unit_code
            group by all
        ),
        latest as (
            select f.*, row_number() over (partition by f.unit_code, f.tbl order by f.load_seq desc) as recency,
                   count(*) over (partition by f.unit_code, f.tbl) as files,
                   min(l.received_at) over (partition by f.unit_code, f.tbl) as first_received,
                   l.file, l.received_at, l.received_by, l.status, coalesce(e.refused, 0) as refused
            from per_file f join load_log l using (load_seq)
            left join errors e using (unit_code, tbl, load_seq)
        ),
        plans as (
            select m.unit_code, p.plan_submitted_on, p.announced_on, p.status as plan_status
            from plan_current p join member m using (region_code)
            qualify row_number() over (partition by m.unit_code order by p.region_code = m.unit_code desc) = 1
        ),
        starts as (
            select m.unit_code, min(s.start_date) as confirmation_start
            from sites_current s join member m using (region_code) group by all
        ),
        owed as (
            select u.unit_code, u.name, u.reporting, t.tbl, t.position
            from units u cross join (values ('plan', 1), ('registrations', 2), ('sites', 3), ('hospitals', 4),
                                            ('progress', 5)) as t(tbl, position)
            where u.reporting or t.tbl in ('registrations', 'progress')
               or exists (select 1 from per_file f where f.unit_code = u.unit_code and f.tbl = t.tbl)
        ),
        final as (
            select o.unit_code, o.name, o.reporting, o.tbl, l.file, l.received_at, l.received_by, l.status,
                   l.last_day, l.first_received, coalesce(l.files, 0) as files,
                   coalesce(l.refused, 0) > 0 as open_errors,
                   p.plan_submitted_on, p.announced_on, p.plan_status, s.confirmation_start
            from owed o left join latest l on l.unit_code = o.unit_code and l.tbl = o.tbl and l.recency = 1
            left join plans p on p.unit_code = o.unit_code and o.tbl = 'plan'
            left join starts s on s.unit_code = o.unit_code and o.tbl in ('sites', 'hospitals')
            order by o.unit_code, o.position
        )
        select * from final""", allowed=allowed, scope=scope)


@scoped()
def report_arrivals(version: Path, scope: str, *, allowed: str) -> pd.DataFrame:
    """For the weekly tables, each file's contribution per unit of the scope's board: the last day it
    covers (a progress report's as-of date; for registrations the file's last registration day) and
    when it was received."""
    return _frame(version, f"""
        with {BOARD_UNITS},
        file_last as (select load_seq, max(date) as last_date from registrations_hist group by all),
        final as (
            select m.unit_code, 'progress' as tbl, p.as_of as covered, min(l.received_at) as received_at
            from progress_hist p join member m using (region_code) join load_log_all l using (load_seq)
            group by all
            union all
            select m.unit_code, 'registrations', f.last_date, min(l.received_at)
            from registrations_hist r join member m using (region_code) join file_last f using (load_seq)
            join load_log_all l using (load_seq)
            group by all
        )
        select * from final order by unit_code, tbl, covered""", allowed=allowed, scope=scope)


def submission_board(version: Path, scope: str, as_of: dt.date, campaign: Campaign) -> pd.DataFrame:
    """The 报送情况 board: `submission_facts` and `report_arrivals` (both scoped to the signed-in user)
    judged on `as_of` by the reporting cycle's rules (domain/reporting.py). One row per unit × table,
    worst first: state, due date, working days overdue, the weekly report judged with the reports
    missed and sent late, and the latest file. `.as_scope(allowed, …)` as for the queries."""
    return _board(submission_facts(version, scope), report_arrivals(version, scope), as_of, campaign)


submission_board.as_scope = lambda allowed, version, scope, as_of, campaign: _board(
    submission_facts.as_scope(allowed, version, scope), report_arrivals.as_scope(allowed, version, scope),
    as_of, campaign)


def _board(facts: pd.DataFrame, arrivals: pd.DataFrame, as_of: dt.date, campaign: Campaign) -> pd.DataFrame:
    received = {key: [(c, r.date()) for c, r in zip(group["covered"], group["received_at"], strict=True)]
                for key, group in arrivals.groupby(["unit_code", "tbl"])}
    judged = [_judge(row, received.get((row.unit_code, row.tbl), []), as_of, campaign)
              for row in facts.itertuples()]
    board = facts.assign(
        state=[j.state.value for j in judged], due=[j.due for j in judged],
        overdue=pd.array([j.overdue_working_days for j in judged], dtype="Int64"),
        report=[j.report for j in judged], missed=[j.missed for j in judged], late=[j.late for j in judged],
        severity=[reporting.SEVERITY[j.state] for j in judged],
        file_name=facts["file"].map(lambda f: Path(f).name if isinstance(f, str) else None))
    return board.sort_values(["severity", "overdue", "unit_code"], ascending=[True, False, True],
                             na_position="last", kind="stable").reset_index(drop=True)


def _judge(row, arrivals: list, as_of: dt.date, campaign: Campaign) -> reporting.Judged:
    first = row.first_received.date() if pd.notna(row.first_received) else None
    if row.tbl in reporting.WEEKLY:
        return reporting.weekly(row.tbl, campaign, as_of, arrivals, bool(row.open_errors))
    if row.tbl == reporting.PLAN:
        return reporting.plan(campaign, as_of, _day(row.announced_on), _day(row.plan_submitted_on),
                              None if pd.isna(row.plan_status) else row.plan_status, bool(row.open_errors), first)
    return reporting.arrangements(campaign, as_of, _day(row.confirmation_start), first, bool(row.open_errors))


def _day(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else value


def _board_table(table: str) -> TableSpec:
    """The contract's table of a board table's name (only those: a name goes into SQL as an identifier)."""
    if table not in reporting.BOARD_TABLES:
        raise ValueError(f"not a board table: {table}")
    return next(spec for spec in TABLES if spec.name == table)


UNIT_TREE = f"select descendant from region_tree where ancestor = $unit and descendant in ({ALLOWED})"


@scoped()
def submission_versions(version: Path, unit: str, table: str, *, allowed: str) -> pd.DataFrame:
    """Every file that brought rows of `table` for `unit` (and the units under it), newest first: when,
    by whom, the ledger's result, how many of the unit's rows it held and whether they are still current."""
    spec = _board_table(table)
    return _frame(version, f"""
        with rows as (select load_seq, current from {spec.name}_history where region_code in ({UNIT_TREE})),
        final as (
            select r.load_seq, l.file, l.received_at, l.received_by, l.status, l.rows_read, l.rows_loaded,
                   l.rows_rejected, count(*) as unit_rows, bool_or(r.current) as current
            from rows r join load_log l using (load_seq) group by all
        )
        select * from final order by load_seq desc""", allowed=allowed, unit=unit)


@scoped()
def submission_changes(version: Path, unit: str, table: str, load_seq: int, *, allowed: str) -> pd.DataFrame:
    """What the file `load_seq` changed in `unit`'s `table`: for each row it holds (by the table's key),
    against the same row as the latest earlier file for its scope had it — a figure changed (before →
    after), a row added, or a row the earlier file had and this one, replacing the same scope, dropped.
    Values as text; `field` is the contract's header."""
    spec = _board_table(table)
    rows = _frame(version, f"""
        select h.*, g.name as region_name from {spec.name}_hist h join regions g using (region_code)
        where h.region_code in ({UNIT_TREE}) and h.load_seq <= $load_seq""",
                  allowed=allowed, unit=unit, load_seq=load_seq)
    return _changes(rows, spec, load_seq)


def _changes(rows: pd.DataFrame, spec: TableSpec, load_seq: int) -> pd.DataFrame:
    out: list[tuple] = []
    columns = ["region_name", "row_key", "field", "before", "after", "change"]
    if rows.empty:
        return pd.DataFrame(out, columns=columns)
    key, scope = list(spec.key), list(spec.scope)
    figures = [c for c in spec.figures if c in rows]
    now = rows[rows["load_seq"] == load_seq]
    earlier = rows[rows["load_seq"] < load_seq]
    earlier = earlier[earlier["load_seq"] == earlier.groupby(scope)["load_seq"].transform("max")]
    both = now.merge(earlier, on=key, how="outer", suffixes=("", "_before"), indicator=True)
    both = both[(both["_merge"] != "right_only") | both.set_index(scope).index.isin(now.set_index(scope).index)]
    for row in both.to_dict("records"):
        label = " ".join(_text(row[k]) for k in key if k != "region_code")
        region = row["region_name"] if isinstance(row["region_name"], str) else row["region_name_before"]
        kind = {"left_only": "added", "right_only": "removed", "both": "changed"}[row["_merge"]]
        for name in figures:
            before = None if kind == "added" else _text(row[f"{name}_before"])
            after = None if kind == "removed" else _text(row[name])
            if kind != "changed" or before != after:
                out.append((region, label, spec.column(name).header, before, after, kind))
    return pd.DataFrame(out, columns=columns)


def _text(value) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():  # a count the outer join made a float
        value = int(value)
    return value.isoformat() if isinstance(value, dt.date) else str(value)


# Whether the province's user asks for the province: who sees files no unit can be named for.
WHOLE_PROVINCE = f"($scope = $allowed and $allowed in {PROVINCE_SQL})"
ALL_ROWS = """
    all_rows as (
        select load_seq, region_code from file_rows union all select load_seq, region_code from applicants_hist
    ),"""
CURRENT_FILES = " union ".join(f"select load_seq from {spec.name}_current" for spec in TABLES)


@scoped()
def quality_problems(version: Path, scope: str, kind: str, *, allowed: str) -> pd.DataFrame:
    """The warnings loaded with the data (`kind` "warnings") or the refused rows ("rejected") of the files
    each unit of the scope's board sent, with file, sheet, Excel row, column, value and message, and
    whether the file's rows are still current. A file whose sender cannot be named (refused whole, or
    spanning several regions) is shown to the province's users at province level only."""
    source = {"warnings": "load_warnings", "rejected": "rejected_rows_all"}[kind]
    return _frame(version, f"""
        with {BOARD_UNITS}, {FILE_ROWS}, {ALL_ROWS} {SENDER.format(rows="all_rows")},
        current_files as ({CURRENT_FILES}),
        final as (
            select m.unit_code, u.name, l.file, l.received_at, l.received_by, p.sheet, p."row", p."column",
                   p.value, p.message, p.load_seq in (select load_seq from current_files) as current, p.load_seq
            from {source} p join load_log l using (load_seq)
            left join sender s using (load_seq) left join member m on m.region_code = s.sender_code
            left join units u using (unit_code)
            where m.unit_code is not null or {WHOLE_PROVINCE}
        )
        select * from final order by received_at desc, load_seq desc, sheet, "row" nulls first""",
                  allowed=allowed, scope=scope)


@scoped()
def shared_people(version: Path, scope: str, *, allowed: str) -> pd.DataFrame:
    """People found in two regions' applicant lists (by ID hash), as counts per pair of units: each unit
    of the scope's board with the other region (its reporting region if outside the board) — named only
    if the user may see it. Never a hash or any other personal datum."""
    return _frame(version, f"""
        with {BOARD_UNITS},
        people as (select id_hash, unnest(region_codes) as region_code from people_in_several_regions),
        mapped as (
            select distinct p.id_hash, coalesce(m.unit_code, r.ancestor) as unit_code
            from people p left join member m using (region_code)
            left join region_tree r on r.descendant = p.region_code and r.ancestor in ({REPORTING})
        ),
        pairs as (
            select a.unit_code, b.unit_code as other_code, count(*) as people
            from mapped a join mapped b on a.id_hash = b.id_hash and a.unit_code <> b.unit_code
            where a.unit_code in (select unit_code from units)
              and (b.unit_code not in (select unit_code from units) or a.unit_code < b.unit_code)
            group by all
        ),
        final as (
            select p.unit_code, u.name, case when p.other_code in ({ALLOWED}) then g.name end as other_name, p.people
            from pairs p join units u using (unit_code) join regions g on g.region_code = p.other_code
        )
        select * from final order by people desc, unit_code""", allowed=allowed, scope=scope)
