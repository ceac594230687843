"""The SQLite telemetry store: batched writes, exposure grouping, reading back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from offramp.store import RequestRecord, StoreError, open_store


def _record(ts: float, provider: str | None, exposed: bool, tokens: int = 10, status: int = 200,
            untranslated: str = "") -> RequestRecord:
    return RequestRecord(ts=ts, alias="chat", client_api="openai", target=f"{provider}:m" if provider else None,
                         provider=provider, jurisdiction="US" if provider == "anthropic" else None,
                         open_weights=None if provider == "anthropic" else True, status=status, latency_ms=1.5,
                         input_tokens=tokens, output_tokens=tokens, stream=False, exposed=exposed,
                         chain=f"{provider}:m=ok", client_key="web", untranslated=untranslated)


def test_writes_and_groups_exposure_within_the_window(tmp_path: Path) -> None:
    store = open_store(tmp_path / "t.sqlite")
    store.write([_record(100, "anthropic", True), _record(200, "anthropic", True, tokens=5),
                 _record(200, "anthropic", False), _record(200, "vllm", False), _record(200, None, True, 0, 503)])
    rows = {(r.provider, r.exposed): r for r in store.exposure(since=150)}
    assert (rows["anthropic", True].requests, rows["anthropic", True].tokens) == (1, 10)
    assert rows["anthropic", False].requests == 1 and rows["vllm", False].requests == 1
    assert rows[None, True].failed == 1
    store.close()


def test_records_read_back_as_written(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    written = [_record(1, "vllm", False), _record(2, "anthropic", True)]
    store = open_store(f"sqlite://{path}")
    store.write(written)
    store.close()
    assert open_store(path).recent(5) == list(reversed(written))


def test_postgresql_and_unknown_stores_explain_themselves(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="PostgreSQL telemetry is not available yet"):
        open_store("postgresql://db/offramp")
    with pytest.raises(StoreError, match="unknown store"):
        open_store("redis://x")
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match="cannot open telemetry store"):
        open_store(tmp_path / "file" / "x.sqlite")  # its folder is a file


def test_a_store_from_before_the_untranslated_column_gains_it_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE gateway_requests (id INTEGER PRIMARY KEY, ts REAL NOT NULL, alias TEXT NOT NULL, "
                   "client_api TEXT NOT NULL, target TEXT, provider TEXT, jurisdiction TEXT, open_weights INTEGER, "
                   "status INTEGER NOT NULL, latency_ms REAL NOT NULL, input_tokens INTEGER NOT NULL, "
                   "output_tokens INTEGER NOT NULL, stream INTEGER NOT NULL, exposed INTEGER NOT NULL, "
                   "chain TEXT NOT NULL, client_key TEXT)")
        db.execute("INSERT INTO gateway_requests VALUES (1, 1, 'chat', 'openai', 'vllm:m', 'vllm', NULL, 1, 200, 1.5, "
                   "10, 10, 0, 0, 'vllm:m=ok', 'web')")
    db.close()
    store = open_store(path)
    store.write([_record(2, "anthropic", True, untranslated="seed, logprobs")])
    assert [(r.ts, r.untranslated) for r in store.recent(5)] == [(2, "seed, logprobs"), (1, "")]
    store.close()
