"""Fixtures shared by every test folder: the real servers the organisation-scale features run on, and a real
browser for the web pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser import chromium
from tests.servers import PostgresServer, RedisServer, postgres_server, redis_server


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


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, for every web-page test of the run."""
    with chromium() as browser:
        yield browser
