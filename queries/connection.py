"""The read side's one way into the warehouse.

The published path is a link to the current version file. Each script run
resolves it afresh, so a new load shows on the next rerun without a restart;
connections are opened read-only on the version file itself, which no loader
ever writes, so reading never blocks a load and never sees half of one.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from etl.warehouse import DEFAULT_DB


class NoWarehouse(LookupError):
    """Nothing has been loaded yet."""


def warehouse_path() -> Path:
    """The published warehouse the dashboard reads: data/warehouse.duckdb, or JSZG_WAREHOUSE."""
    configured = os.environ.get("JSZG_WAREHOUSE")
    return Path(configured) if configured else DEFAULT_DB


def current_version(db: Path | None = None) -> Path:
    """The version file the dashboard should read now."""
    db = db or warehouse_path()
    if not (db.is_symlink() or db.exists()):
        raise NoWarehouse(f"数据仓库 {db} 还没有数据：请先导入各地报送文件（python -m etl load 文件夹）")
    return Path(os.path.realpath(db))


def connect(version: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to one version (the caller caches it per version, and
    takes a cursor per script run: one connection is not safe across threads)."""
    return duckdb.connect(str(version), read_only=True)
