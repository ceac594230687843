"""Versioned migrations on both engines: a new store gets every step, an old SQLite file is upgraded in place with
its rows, a store written by a newer offramp is refused, and a missing psycopg says how to install it."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from offramp.store import ExposureBucket, StoreError, open_drill_store, open_store
from offramp.store.database import connect
from offramp.store.history import History, HistoryError
from offramp.store.migrations import latest_version, migrations

# The scan history and telemetry as offramp wrote them before migrations (history: PRAGMA user_version = 1).
LEGACY_HISTORY = """
CREATE TABLE scans (id INTEGER PRIMARY KEY, repository TEXT NOT NULL, commit_sha TEXT, recorded_at TEXT NOT NULL,
    paths INTEGER NOT NULL, critical_paths INTEGER NOT NULL, at_risk_paths INTEGER NOT NULL,
    exposed_no_fallback INTEGER NOT NULL, exposed_48h INTEGER NOT NULL, waived_paths INTEGER NOT NULL);
CREATE INDEX scans_by_repository ON scans (repository, recorded_at);
CREATE TABLE scan_paths (scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, exposure_level INTEGER NOT NULL,
    PRIMARY KEY (scan_id, fingerprint));
INSERT INTO scans VALUES (1, 'acme/app', 'aaa', '2026-11-01T00:00:00+00:00', 2, 2, 2, 1, 1, 0);
INSERT INTO scan_paths VALUES (1, 'f1', 'app.py', 3, 2), (1, 'f2', 'app.py', 9, 0);
PRAGMA user_version = 1;
"""
LEGACY_TELEMETRY = """
CREATE TABLE gateway_requests (id INTEGER PRIMARY KEY, ts REAL NOT NULL, alias TEXT NOT NULL,
    client_api TEXT NOT NULL, target TEXT, provider TEXT, jurisdiction TEXT, open_weights INTEGER,
    status INTEGER NOT NULL, latency_ms REAL NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
    stream INTEGER NOT NULL, exposed INTEGER NOT NULL, chain TEXT NOT NULL, client_key TEXT);
CREATE INDEX gateway_requests_ts ON gateway_requests (ts);
CREATE TABLE gateway_cutoffs (provider TEXT PRIMARY KEY, reason TEXT NOT NULL, since REAL NOT NULL);
INSERT INTO gateway_requests VALUES (1, 100.0, 'chat', 'openai', 'anthropic:claude', 'anthropic', 'US', 0, 200, 2.0,
    3, 4, 0, 1, 'anthropic:claude=ok', NULL);
INSERT INTO gateway_cutoffs VALUES ('anthropic', 'drill', 90.0);
"""


def test_both_engines_know_the_same_versions() -> None:
    assert [(m.version, m.name) for m in migrations("sqlite")] == [(m.version, m.name) for m in migrations("postgresql")]


def test_a_new_store_takes_every_step_once(store_url: str) -> None:
    for _ in range(2):  # the second start finds nothing to do
        database = connect(store_url, "test", "")
        rows = database.fetchall("SELECT version FROM schema_migrations ORDER BY version")
        database.close()
        assert rows == [(m.version,) for m in migrations("sqlite")]


def test_an_old_sqlite_history_is_upgraded_in_place_with_its_rows(tmp_path: Path) -> None:
    file = tmp_path / "history.sqlite"
    sqlite3.connect(file).executescript(LEGACY_HISTORY).close()
    with History(file) as history:
        [old] = history.scans()
        assert (old.repository, old.commit, old.branch, old.recorded_at) == (
            "acme/app", "aaa", None, datetime(2026, 11, 1, tzinfo=UTC))
        assert history.fingerprints("acme/app") == {"f1": 2, "f2": 0}
        top = history.top_paths(5)
        assert [(p.file, p.line, p.exposure_level, p.provider, p.critical) for p in top] == [
            ("app.py", 3, 2, None, None), ("app.py", 9, 0, None, None)]
        history.record("acme/app", "bbb", {"summary": dict.fromkeys(
            ("paths", "critical_paths", "at_risk_paths", "exposed_no_fallback", "exposed_48h", "waived_paths"), 0),
            "paths": []}, branch="main")
        assert [(s.commit, s.branch) for s in history.scans()] == [("aaa", None), ("bbb", "main")]
    with sqlite3.connect(file) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (latest_version("sqlite"),)
    drills = open_drill_store(file)  # the drill tables join the old file
    assert drills.runs() == []
    drills.close()


def test_an_old_telemetry_file_keeps_its_requests_and_cutoffs(tmp_path: Path) -> None:
    file = tmp_path / "offramp-gateway.sqlite"
    sqlite3.connect(file).executescript(LEGACY_TELEMETRY).close()
    store = open_store(file)
    [request] = store.recent(5)
    assert (request.provider, request.exposed, request.stream, request.input_tokens) == ("anthropic", True, False, 3)
    assert request.untranslated == ""  # a column added after it was written
    assert store.exposure_series(0, 300) == [ExposureBucket(0, 1, 1, 7, 7)]  # the rollup counts the old request
    assert store.cutoffs() == {"anthropic": "drill"}
    store.close()


def test_a_store_from_a_newer_offramp_is_refused(store_url: str) -> None:
    database = connect(store_url, "test", "")
    database.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'later')")
    database.close()
    with pytest.raises(HistoryError, match=r"written by a newer offramp \(schema version 99; this offramp knows up"):
        History(store_url)
    with pytest.raises(StoreError, match="newer offramp"):
        open_store(store_url)


def test_without_psycopg_postgresql_says_what_to_install(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as when the org extra is not installed
    with pytest.raises(StoreError, match=r"pip install 'offramp\[org\]'"):
        open_store(postgres_url)
