"""The telemetry store on both engines: batched writes, exposure grouping and series, reading back, cut-offs."""

from __future__ import annotations

import math
import random
import threading
from dataclasses import replace
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
    # plain ints on both engines (PostgreSQL's SUM is numeric): `offramp exposure --live --json` writes them
    assert {type(value) for r in rows.values() for value in (r.requests, r.tokens, r.failed)} == {int}
    store.close()


def test_records_read_back_as_written(store_url: str) -> None:
    written = [_record(1, "vllm", False), replace(_record(2.5, "anthropic", True), untranslated="seed, logprobs")]
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


def _series_of(records: list[RequestRecord], since: float, bucket: float) -> list[ExposureBucket]:
    """The series computed from the requests one by one: what the store must give, however it keeps them."""
    sums: dict[float, list[int]] = {}
    for r in records:
        if r.ts >= since:
            tokens = r.input_tokens + r.output_tokens
            add = sums.setdefault(math.floor(r.ts / bucket) * bucket, [0, 0, 0, 0])
            for i, value in enumerate((1, int(r.exposed), tokens, tokens if r.exposed else 0)):
                add[i] += value
    return [ExposureBucket(start, *values) for start, values in sorted(sums.items())]


def test_long_series_from_the_rollup_equal_the_requests_counted_one_by_one(store_url: str) -> None:
    rng = random.Random(5)
    records = [_record(rng.uniform(0, 3 * 86400), rng.choice(("anthropic", "vllm")), rng.random() < 0.5,
                       tokens=rng.randint(0, 50)) for _ in range(600)]
    store = open_store(store_url)
    for batch in range(0, len(records), 70):  # batches that share buckets, as a flusher's do
        store.write(records[batch:batch + 70])
    for since, bucket in ((0, 300), (1234.5, 3600), (86400 + 17, 86400), (299.9, 900), (4000, 90)):
        assert store.exposure_series(since, bucket) == _series_of(records, since, bucket), (since, bucket)
    store.close()


def test_replicas_writing_into_the_same_buckets_at_once_lose_nothing(store_url: str) -> None:
    replicas, batches = 4, 10
    start = threading.Barrier(replicas)
    failures: list[BaseException] = []

    def replica(number: int) -> None:
        store = open_store(store_url)  # each replica its own connection
        try:
            start.wait()
            for batch in range(batches):  # every batch of every replica adds to one bucket
                store.write([_record(1000 + batch * 10 + i, "anthropic", i % 2 == 0, tokens=number) for i in range(20)])
        except BaseException as exc:  # reported below, in the test's thread
            failures.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=replica, args=(n,)) for n in range(replicas)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    store = open_store(store_url)
    series = store.exposure_series(0, 86400)
    store.close()
    assert [(b.requests, b.exposed_requests, b.tokens) for b in series] == [
        (replicas * batches * 20, replicas * batches * 10, sum(2 * n * batches * 20 for n in range(replicas)))]


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


def test_a_password_in_the_query_is_not_shown_either() -> None:
    from offramp.store.database import describe

    shown = describe("postgresql://offramp@db.internal/offramp?sslmode=require&password=s3cret")
    assert shown == "postgresql://offramp@db.internal/offramp"
    assert describe("/var/lib/offramp/history?.sqlite") == "/var/lib/offramp/history?.sqlite"  # a path as given
