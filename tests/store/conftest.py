"""Every store test runs on both engines: a SQLite file of its own, and a fresh database on the run's PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

ENGINES = ["sqlite", "postgresql"]


@pytest.fixture(params=ENGINES)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store: a SQLite file path, or a postgresql:// URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("postgres_url")
