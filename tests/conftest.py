"""Fixtures shared across the suite: the demo campaign loaded into a real warehouse."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl.demo import write_demo


@pytest.fixture(autouse=True)
def secret_in_tmp(tmp_path_factory, monkeypatch):
    """The ID-hash secret lives in a temporary folder, never in the tester's home."""
    from etl.secret import load_secret

    monkeypatch.setenv("JSZG_SECRET_FILE", str(tmp_path_factory.getbasetemp() / "id-hash.key"))
    load_secret.cache_clear()
    yield
    load_secret.cache_clear()


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo-files") / "campaign"
    write_demo(out, scale=1.0, seed=2020)
    return out


@pytest.fixture(scope="session")
def demo_warehouse(demo_files, tmp_path_factory) -> tuple[Path, object]:
    """(db path, LoadResult) of the whole demo campaign loaded once."""
    import os

    from etl.load import expand, load_files
    from etl.secret import load_secret

    os.environ["JSZG_SECRET_FILE"] = str(tmp_path_factory.getbasetemp() / "id-hash.key")
    load_secret.cache_clear()
    db = tmp_path_factory.mktemp("warehouse") / "warehouse.duckdb"
    result = load_files(expand([demo_files]), db)
    return db, result
