"""Fixtures shared by every test folder: the real servers the organisation-scale features run on, and a real
browser for the web pages."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import chromium
from tests.servers import PostgresServer, RedisServer, postgres_server, redis_server


@pytest.fixture(scope="session", autouse=True)
def _scan_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Scans the tests run keep their facts cache in the run's temporary folder, not the user's."""
    os.environ["OFFRAMP_CACHE_DIR"] = str(tmp_path_factory.mktemp("offramp-cache"))
    yield
    del os.environ["OFFRAMP_CACHE_DIR"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One PostgreSQL cluster for the whole run (starting one takes about a second)."""
    with postgres_server() as server:
        yield server


@pytest.fixture
def postgres_url(postgres: PostgresServer) -> str:
    """A fresh, empty database on the run's PostgreSQL."""
    return postgres.database()


@pytest.fixture
def redis() -> Iterator[RedisServer]:
    """A Redis of this test's own (it starts in milliseconds); ``redis.stop()`` and ``redis.start()`` cut and
    restore it."""
    with redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for one test module: Playwright's event loop must not outlive the module, or
    a later test's asyncio.run() finds it still running."""
    with chromium() as browser:
        yield browser
