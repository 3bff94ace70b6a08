"""The read side's one way into the warehouse.

The published path is a link to the current version file. Each script run
resolves it afresh, so a new load shows on the next rerun without a restart;
connections are opened read-only on the version file itself, which no loader
ever writes, so reading never blocks a load and never sees half of one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from etl import warehouse


class NoWarehouse(LookupError):
    """Nothing has been loaded yet."""


def current_version(db: Path | None = None) -> Path:
    """The version file the dashboard should read now (etl/warehouse.py owns the layout)."""
    db = db or warehouse.published_path()
    version = warehouse.current_version(db)
    if version is None:
        raise NoWarehouse(f"数据仓库 {db} 还没有数据：请先导入各地报送文件（python -m etl load 文件夹）")
    return version


def connect(version: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one version (the caller caches it per version, and
    takes a cursor per script run: one connection is not safe across threads)."""
    return duckdb.connect(str(version), read_only=True)
