"""The SQLite telemetry store: batched writes, exposure grouping, reading back."""

from __future__ import annotations

from pathlib import Path

import pytest

from offramp.store import RequestRecord, StoreError, open_store


def _record(ts: float, provider: str | None, exposed: bool, tokens: int = 10, status: int = 200) -> RequestRecord:
    return RequestRecord(ts=ts, alias="chat", client_api="openai", target=f"{provider}:m" if provider else None,
                         provider=provider, jurisdiction="US" if provider == "anthropic" else None,
                         open_weights=None if provider == "anthropic" else True, status=status, latency_ms=1.5,
                         input_tokens=tokens, output_tokens=tokens, stream=False, exposed=exposed,
                         chain=f"{provider}:m=ok", client_key="web")


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
