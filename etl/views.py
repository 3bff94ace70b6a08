"""Build a version's derived tables and the query interface (CONTRACT.md §5).

Read like a dbt project: `*_current` tables take each table's history and keep
the newest file's rows for each scope (a correction replaces, the history
stays); the views are chains of named CTEs ending in `select * from final`.
After building, data tests (keys unique, no nulls where the contract has none)
must hold, or the version is not published.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from importlib.metadata import version
from pathlib import Path

import duckdb
import pyarrow as pa

from domain.campaign import Campaign
from domain.regions import Units
from domain.rules import MILESTONES
from etl import tables as t
from etl.risk import build_risk


class DataTestFailed(RuntimeError):
    """A built version breaks an invariant; it is not published."""


def current_table_sql(spec: t.TableSpec) -> str:
    """The newest file's rows for each scope. Applicant lists (up to millions of rows, read only
    to find people registered twice) are a view, computed when asked; the rest are tables."""
    scope = ", ".join(spec.scope)
    kind = "table" if spec.keeps_raw else "view"
    return f"""
create or replace {kind} {spec.name}_current as
with ranked as (
    select *, dense_rank() over (partition by {scope} order by load_seq desc) as version_rank
    from {spec.name}_hist
),
final as (
    select * exclude (version_rank) from ranked where version_rank = 1
)
select * from final"""


VIEWS = """
create or replace view regions as
select code as region_code, name, short_name, kind, parent_code, geo_parent_code, population, population_source
from regions_ref;

create or replace view registrations_daily as
select region_code, date, qualification, registrations, load_seq, sheet, "row"
from registrations_current;

create or replace view progress_weekly as
select region_code, as_of, registered, booked, confirmed, examined, record_checked, approved, rejected,
       printed, issued, load_seq
from progress_current;

create or replace view progress_latest as
with ranked as (
    select *, row_number() over (partition by region_code order by as_of desc) as recency
    from progress_weekly
),
final as (
    select region_code, as_of, registered, booked, confirmed, examined, record_checked, approved, rejected,
           printed, issued
    from ranked where recency = 1
)
select * from final;

create or replace view confirmation_capacity as
with sites as (
    select s.region_code, s.site_name, s.start_date, s.end_date, s.working_days, s.windows, s.staff,
           coalesce(s.per_window, c.default_daily_per_window) as per_window,
           s.per_window is null as per_window_defaulted
    from sites_current s cross join campaign_settings c
),
judged as (  -- R4 as the rules judged each site's working unit (a site belongs to the unit that sent it)
    select unit_code as region_code, region_code as reporting_region,
           (facts->>'demand')::bigint as demand, (facts->>'capacity')::bigint as unit_capacity,
           (facts->>'utilisation')::double as utilisation, facts->>'basis' as demand_basis
    from risk_by_unit_day
    where milestone = 'R4_capacity' and as_of = (select max(as_of) from risk_by_unit_day)
),
final as (
    select sites.region_code, sites.start_date, sites.end_date, sites.working_days, sites.windows,
           sites.windows * sites.per_window as daily_capacity,
           sites.working_days * sites.windows * sites.per_window as capacity,
           coalesce(judged.demand, 0) as demand, judged.utilisation,
           sites.site_name, sites.per_window, sites.per_window_defaulted, sites.staff,
           judged.unit_capacity, judged.demand_basis, judged.reporting_region
    from sites left join judged using (region_code)
)
select * from final;

create or replace view exam_capacity as
with hospitals as (
    select h.region_code, h.hospital_name, h.start_date, h.end_date, h.working_days,
           coalesce(h.daily_capacity, c.default_exam_daily_capacity) as daily_capacity
    from hospitals_current h cross join campaign_settings c
),
judged as (
    select unit_code as region_code, region_code as reporting_region,
           (facts->>'demand')::bigint as demand, (facts->>'capacity')::bigint as unit_capacity,
           (facts->>'utilisation')::double as utilisation
    from risk_by_unit_day
    where milestone = 'R4_exam_capacity' and as_of = (select max(as_of) from risk_by_unit_day)
),
final as (
    select h.region_code, h.hospital_name, h.start_date, h.end_date, h.working_days, h.daily_capacity,
           h.working_days * h.daily_capacity as capacity, coalesce(j.demand, 0) as demand, j.utilisation,
           j.unit_capacity, j.reporting_region
    from hospitals h left join judged j using (region_code)
)
select * from final;

create or replace view plan_status as
with reporting as (
    select region_code from regions where kind in ('city', 'direct_zone', 'direct_county')
),
final as (
    select reporting.region_code, plan.plan_submitted_on, plan.announced_on, plan.status,
           case
               when plan.plan_submitted_on is null and plan.announced_on is null then null
               when plan.plan_submitted_on is null then false
               when plan.announced_on is null then true
               else plan.plan_submitted_on <= plan.announced_on
           end as submitted_before_announcement,
           plan.remark
    from reporting left join plan_current plan using (region_code)
)
select * from final;

create or replace view deadline_risk as
select region_code, milestone, due_date, projected_date, slack_working_days, level, state, reason, facts, as_of,
       unit_code
from risk_by_day
where as_of = (select max(as_of) from risk_by_day);

create or replace view load_log as
select file, sha256, received_at, status, rows_read, rows_loaded, rows_rejected, load_seq, format, tables, message,
       received_by, coalesce(loader_failed, false) as loader_failed
from load_log_all;

create or replace view rejected_rows as
select file, sheet, "row", "column", value, message, load_seq
from rejected_rows_all;

create or replace view people_in_several_regions as
with people as (
    select id_hash, count(distinct region_code) as regions, count(*) as applications,
           list(distinct region_code order by region_code) as region_codes
    from applicants_current where id_hash is not null
    group by all
)
select * from people where regions > 1;
"""

_CURRENT_VIEWS = {f"{spec.name}_current" for spec in t.TABLES if not spec.keeps_raw}  # see current_table_sql
PROVINCE_SQL = "(select region_code from regions where parent_code is null)"
REPORTING_SQL = f"(select region_code from regions where parent_code in {PROVINCE_SQL})"
# every table with a region (a unit's or a reporting region's) and the column that names it
_REGION_COLUMNS = [(f"{spec.name}_current", "region_code") for spec in t.TABLES
                   if any(c.name == "region_code" for c in spec.columns)] + [
    ("deadline_risk", "region_code"), ("risk_by_unit_day", "unit_code"), ("risk_by_day", "unit_code"),
    ("work_unit_members", "unit_code"), ("work_unit_members", "member_code"), ("silence_by_day", "region_code")]


def _unknown_regions_sql(tables: list[tuple[str, str]]) -> str:
    return ("select count(*) from (" + " union all ".join(f"select {column} as code from {table}"
                                                          for table, column in tables) +
            ") where code not in (select region_code from regions)")


REGIONS_KNOWN = "every table names only known regions"
# (what must hold, SQL counting the rows where it does not): run on every build; one failing stops the publish.
DATA_TESTS = [
    ("registrations_daily has one row per region, date and kind",
     "select count(*) from (select region_code, date, qualification from registrations_daily group by all "
     "having count(*) > 1)"),
    ("progress_weekly has one row per region and as-of date",
     "select count(*) from (select region_code, as_of from progress_weekly group by all having count(*) > 1)"),
    (REGIONS_KNOWN, _unknown_regions_sql(_REGION_COLUMNS)),
    ("deadline_risk has no region and milestone twice",
     "select count(*) from (select region_code, milestone from deadline_risk group by all having count(*) > 1)"),
    ("deadline_risk has only reporting regions and known milestones",
     f"""select count(*) from deadline_risk
         where region_code not in {REPORTING_SQL} or milestone not in (select unnest({list(MILESTONES)}))"""),
    ("deadline_risk has every reporting region and milestone, once there is data",
     f"""select count(*) from (
            select g.region_code, m.milestone
            from {REPORTING_SQL} g cross join unnest({list(MILESTONES)}) as m(milestone)
            where exists (select 1 from deadline_risk)
            except select region_code, milestone from deadline_risk)"""),
    ("load_log counts add up", "select count(*) from load_log where rows_read <> rows_loaded + rows_rejected"),
]


# A test's cheaper form that finds nothing only where the test itself finds nothing, tried first. An
# applicant list's current rows (a view, computed when asked: a window over up to millions of rows) are
# a subset of its history's, so a history naming only known regions settles it; the count is the
# exact test's.
_FIRST_TRY = {REGIONS_KNOWN: _unknown_regions_sql([
    (f"{table.removesuffix('_current')}_hist" if table in _CURRENT_VIEWS else table, column)
    for table, column in _REGION_COLUMNS])}


def failed_data_tests(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The data tests that do not hold on `con`, each with how many rows break it."""
    failed = []
    for name, sql in DATA_TESTS:
        first_try = _FIRST_TRY.get(name)
        if first_try is not None and not con.execute(first_try).fetchone()[0]:
            continue
        broken = con.execute(sql).fetchone()[0]
        if broken:
            failed.append(f"{name}（{broken} 处）")
    return failed


def history_view_sql(spec: t.TableSpec) -> str:
    """Every row ever loaded for a table, with the file it came from and whether it is still current."""
    return f"""
create or replace view {spec.name}_history as
with current_files as (
    select distinct load_seq from {spec.name}_current
),
final as (
    select log.file, log.received_at, hist.*, hist.load_seq in (select load_seq from current_files) as current
    from {spec.name}_hist hist join load_log_all log using (load_seq)
)
select * from final"""


# Tables whose derived objects are all views, computed when asked (an applicant list: its current rows,
# its history, the people registered twice); nothing that build() makes is read from them.
LIVE_TABLES = frozenset(spec.name for spec in t.TABLES if not spec.keeps_raw)
_PROJECT = Path(__file__).resolve().parent.parent


def build_fingerprint(units: Units, campaign_fingerprint: str) -> str:
    """What a build's tables depend on besides the loaded tables: the campaign, the reporting units, the
    loader's and the rules' code (every source file of etl/ and domain/) and the libraries that compute.
    A load that changed only LIVE_TABLES under the same fingerprint leaves every built table as it was."""
    digest = hashlib.sha256(campaign_fingerprint.encode())
    digest.update(repr([dataclasses.astuple(region) for region in units]).encode())
    for source in sorted([*(_PROJECT / "etl").glob("*.py"), *(_PROJECT / "domain").glob("*.py")]):
        digest.update(source.name.encode() + source.read_bytes())
    digest.update(f"duckdb {duckdb.__version__}, chinesecalendar {version('chinesecalendar')}".encode())
    return digest.hexdigest()


def build(con: duckdb.DuckDBPyConnection, units: Units, campaign: Campaign) -> dt.date | None:
    """Rebuild reference tables, current tables, risk and views; returns the data's as-of date."""
    _reference(con, units, campaign)
    for spec in t.TABLES:
        _drop_other_kind(con, f"{spec.name}_current", "table" if spec.keeps_raw else "view")
        con.execute(current_table_sql(spec))
        con.execute(history_view_sql(spec))
    data_as_of = con.execute("""
        select coalesce((select max(as_of) from progress_current), (select max(date) from registrations_current),
                        (select greatest(max(plan_submitted_on), max(announced_on)) from plan_current))
    """).fetchone()[0]
    build_risk(con, units, campaign, data_as_of)
    con.execute(VIEWS)
    con.execute("insert or replace into meta values ('data_as_of', ?), ('campaign', ?)",
                [str(data_as_of) if data_as_of else "", campaign.id])
    check(con)
    return data_as_of


def check(con: duckdb.DuckDBPyConnection) -> None:
    """The data tests, which must hold for a version to be published."""
    failed = failed_data_tests(con)
    if failed:
        raise DataTestFailed("数据检查未通过：" + "；".join(failed))


def _drop_other_kind(con: duckdb.DuckDBPyConnection, name: str, kind: str) -> None:
    """A warehouse built by an earlier version may hold `name` as the other kind of object."""
    is_table = con.execute("select count(*) from duckdb_tables() where table_name = ?", [name]).fetchone()[0]
    is_view = con.execute("select count(*) from duckdb_views() where view_name = ?", [name]).fetchone()[0]
    if kind == "view" and is_table:
        con.execute(f"drop table {name}")
    if kind == "table" and is_view:
        con.execute(f"drop view {name}")


def _reference(con: duckdb.DuckDBPyConnection, units: Units, campaign: Campaign) -> None:
    regions = list(units)
    con.register("units_arrow", pa.table({
        "code": [r.code for r in regions], "name": [r.name for r in regions],
        "short_name": [r.short_name for r in regions], "kind": [r.kind for r in regions],
        "parent_code": [r.parent_code or None for r in regions],
        "geo_parent_code": [r.geo_parent_code or None for r in regions],
        "population": [r.population for r in regions],
        "population_source": [r.population_source for r in regions]}))
    con.execute("create or replace table regions_ref as select * from units_arrow")
    con.unregister("units_arrow")
    pairs = []
    for r in regions:
        node = r
        while True:
            pairs.append((node.code, r.code))
            if not node.parent_code:
                break
            node = units.get(node.parent_code)
    con.register("tree_arrow", pa.table({"ancestor": [a for a, _ in pairs], "descendant": [d for _, d in pairs]}))
    con.execute("create or replace table region_tree as select * from tree_arrow")
    con.unregister("tree_arrow")
    con.execute("""create or replace table campaign_settings as select
        ? as campaign_id, ? as name, ?::date as registration_start, ?::date as registration_end,
        ? as min_confirmation_working_days, ? as default_daily_per_window, ? as default_exam_daily_capacity,
        ? as decision_within_working_days, ?::date as final_date""",
                [campaign.id, campaign.name, campaign.registration_start, campaign.registration_end,
                 campaign.min_confirmation_working_days, campaign.default_daily_per_window,
                 campaign.default_exam_daily_capacity,
                 campaign.decision_within_working_days, campaign.final_date])
