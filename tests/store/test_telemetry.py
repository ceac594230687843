"""The telemetry store on both engines: batched writes, exposure grouping and series, reading back, cut-offs."""

from __future__ import annotations

from pathlib import Path

import pytest

from offramp.store import ExposureBucket, RequestRecord, StoreError, open_store
from tests.servers import free_port


def _record(ts: float, provider: str | None, exposed: bool, tokens: int = 10, status: int = 200) -> RequestRecord:
    return RequestRecord(ts=ts, alias="chat", client_api="openai", target=f"{provider}:m" if provider else None,
                         provider=provider, jurisdiction="US" if provider == "anthropic" else None,
                         open_weights=None if provider == "anthropic" else True, status=status, latency_ms=1.5,
                         input_tokens=tokens, output_tokens=tokens, stream=False, exposed=exposed,
                         chain=f"{provider}:m=ok", client_key="web")


def test_writes_and_groups_exposure_within_the_window(store_url: str) -> None:
    store = open_store(store_url)
    store.write([_record(100, "anthropic", True), _record(200, "anthropic", True, tokens=5),
                 _record(200, "anthropic", False), _record(200, "vllm", False), _record(200, None, True, 0, 503)])
    rows = {(r.provider, r.exposed): r for r in store.exposure(since=150)}
    assert (rows["anthropic", True].requests, rows["anthropic", True].tokens) == (1, 10)
    assert rows["anthropic", False].requests == 1 and rows["vllm", False].requests == 1
    assert rows[None, True].failed == 1
    assert {type(r.tokens) for r in rows.values()} == {int}  # JSON-ready on both engines (PostgreSQL sums NUMERIC)
    store.close()


def test_records_read_back_as_written(store_url: str) -> None:
    written = [_record(1, "vllm", False), _record(2.5, "anthropic", True)]
    store = open_store(store_url)
    store.write(written)
    store.close()
    again = open_store(store_url)
    assert again.recent(5) == list(reversed(written))
    again.close()


def test_a_sqlite_url_names_the_same_file(tmp_path: Path) -> None:
    store = open_store(f"sqlite://{tmp_path / 't.sqlite'}")
    store.write([_record(1, "vllm", False)])
    store.close()
    assert len(open_store(tmp_path / "t.sqlite").recent(5)) == 1


def test_exposure_series_counts_requests_and_tokens_per_bucket(store_url: str) -> None:
    store = open_store(store_url)
    store.write([_record(50, "vllm", False), _record(120, "anthropic", True, tokens=7),
                 _record(179.9, "vllm", False, tokens=1), _record(180, "anthropic", True), _record(420, "vllm", False)])
    assert store.exposure_series(since=100, bucket_seconds=60) == [
        ExposureBucket(start=120, requests=2, exposed_requests=1, tokens=16, exposed_tokens=14),
        ExposureBucket(start=180, requests=1, exposed_requests=1, tokens=20, exposed_tokens=20),
        ExposureBucket(start=420, requests=1, exposed_requests=0, tokens=20, exposed_tokens=0),
    ]
    with pytest.raises(ValueError, match="bucket_seconds"):
        store.exposure_series(since=0, bucket_seconds=0)
    store.close()


def test_cutoffs_outlive_the_store_and_end_when_restored(store_url: str) -> None:
    store = open_store(store_url)
    store.save_cutoff("anthropic", "drill")
    store.save_cutoff("anthropic", "decision")  # a second cut-off replaces the reason
    store.save_cutoff("openai", "drill")
    store.save_cutoff("openai", None)
    store.close()
    again = open_store(store_url)
    assert again.cutoffs() == {"anthropic": "decision"}
    again.close()


def test_unreachable_and_unknown_stores_explain_themselves(tmp_path: Path) -> None:
    closed = f"postgresql://offramp:s3cret@127.0.0.1:{free_port()}/offramp"
    with pytest.raises(StoreError, match=r"cannot use postgresql://offramp:\*\*\*@127\.0\.0\.1.* telemetry store "
                                         r"\(.*check the URL and that the server is running") as raised:
        open_store(closed)
    assert "s3cret" not in str(raised.value)
    with pytest.raises(StoreError, match="unknown kind of store"):
        open_store("redis://x")
    (tmp_path / "file").write_text("")
    with pytest.raises(StoreError, match=r"cannot use .* as the telemetry store"):
        open_store(tmp_path / "file" / "x.sqlite")  # its folder is a file
