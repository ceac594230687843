"""Every request recorded in SQLite, response headers, Prometheus metrics and live exposure."""

from __future__ import annotations

import json

from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from offramp.gateway.commands import exposure
from offramp.store import open_store
from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]


def _chain(harness: Harness):
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(
        route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"), target(fallback, "vllm", "qwen3-32b")],
                   cutoff_cooldown=60, probe_interval=60)
        + route_toml("closed-only", [target(primary, "anthropic", "claude-haiku-4-5")]))
    return gw, primary, fallback


def test_requests_are_recorded_with_target_jurisdiction_and_chain(harness: Harness) -> None:
    gw, primary, _fallback = _chain(harness)
    raw = gw.anthropic().messages.with_raw_response.create(model="chat", max_tokens=10, messages=HELLO)
    assert raw.headers["x-offramp-target"] == "anthropic:claude-sonnet-4-5"
    assert raw.headers["x-offramp-jurisdiction"] == "US"
    primary.mode = 451
    raw = gw.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO)
    assert raw.headers["x-offramp-jurisdiction"] == "self-hosted"
    harness.flush(gw)
    second, first = gw.gateway.telemetry.store.recent(2)
    assert (first.provider, first.jurisdiction, first.client_api) == ("anthropic", "US", "anthropic")
    assert first.open_weights is not True  # closed, or unknown to the catalog: never counted as open
    assert (first.input_tokens, first.output_tokens, first.status) == (11, 7, 200)
    assert (second.provider, second.jurisdiction, second.open_weights) == ("vllm", None, True)
    assert second.chain == "anthropic:claude-sonnet-4-5=legal_refusal;vllm:qwen3-32b=ok"


def test_live_exposure_counts_only_requests_no_ready_fallback_could_serve(harness: Harness) -> None:
    gw, _primary, _fallback = _chain(harness)
    client = gw.openai()
    client.chat.completions.create(model="chat", messages=HELLO)  # primary serves, fallback ready: not exposed
    client.chat.completions.create(model="closed-only", messages=HELLO)  # nothing else could: exposed
    harness.flush(gw)
    exposed = [r.exposed for r in reversed(gw.gateway.telemetry.store.recent(2))]
    assert exposed == [False, True]
    gw.gateway.health.cut_off_provider("vllm", "drill")
    client.chat.completions.create(model="chat", messages=HELLO)  # the fallback is cut off: exposed
    harness.flush(gw)
    assert gw.gateway.telemetry.store.recent(1)[0].exposed is True

    result = CliRunner().invoke(exposure, ["--live", "--window", "1h", "--store",
                                           str(harness.tmp_path / "telemetry.sqlite"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["requests"], report["exposed_requests"]) == (3, 2)
    assert report["exposure_by_count"] == 2 / 3
    assert (report["tokens"], report["exposed_tokens"]) == (54, 36)
    table = CliRunner().invoke(exposure, ["--live", "--store", str(harness.tmp_path / "telemetry.sqlite")])
    assert "by count:  66.7%" in table.output


def test_exposure_command_explains_a_missing_store(tmp_path) -> None:
    result = CliRunner().invoke(exposure, ["--live", "--store", str(tmp_path / "none.sqlite")])
    assert result.exit_code != 0 and "run `offramp serve` first" in result.output


def test_metrics_in_prometheus_format(harness: Harness) -> None:
    gw, primary, _fallback = _chain(harness)
    primary.mode = 451
    gw.openai().chat.completions.create(model="chat", messages=HELLO)
    samples = {(sample.name, frozenset(sample.labels.items())): sample.value
               for family in text_string_to_metric_families(_get(gw.url + "/metrics")) for sample in family.samples}

    def value(name: str, **labels: str) -> float | None:
        return samples.get((name, frozenset(labels.items())))

    assert value("offramp_requests_total", alias="chat", provider="vllm", jurisdiction="self-hosted",
                 status="200") == 1
    assert value("offramp_failovers_total", alias="chat", target="anthropic:claude-sonnet-4-5",
                 outcome="legal_refusal") == 1
    assert value("offramp_tokens_total", provider="vllm", jurisdiction="self-hosted", direction="output") == 7
    assert value("offramp_circuit_state", route="chat", target="anthropic:claude-sonnet-4-5", provider="anthropic",
                 jurisdiction="US") == 3
    latency = {"alias": "chat", "target": "vllm:qwen3-32b", "stream": "false"}
    assert value("offramp_request_duration_seconds_count", **latency) == 1
    assert value("offramp_request_duration_seconds_bucket", **latency, le="+Inf") == 1
    assert value("offramp_request_duration_seconds_bucket", **latency, le="0.005") in (0, 1)


def _get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def test_synchronous_telemetry_commits_each_row_before_the_answer(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), "synchronous = true\n")
    reader = open_store(harness.tmp_path / "telemetry.sqlite")  # another connection, as after a crash
    try:
        for count in range(1, 4):
            answer = gw.openai().chat.completions.create(model="m", messages=HELLO, stream=count == 2)
            if count == 2:
                assert "".join(chunk.choices[0].delta.content or "" for chunk in answer if chunk.choices)
            assert len(reader.recent(10)) == count, "the row is committed before the client has its answer"
    finally:
        reader.close()


def test_a_flush_waits_for_the_background_write_under_way(tmp_path) -> None:
    import asyncio
    import time

    from offramp.gateway.telemetry import Telemetry
    from offramp.store import RequestRecord

    store = open_store(tmp_path / "t.sqlite")
    write = store.write

    def slow_write(records) -> None:  # a store on a busy disk or a distant PostgreSQL
        time.sleep(0.3)
        write(records)

    store.write = slow_write  # type: ignore[method-assign]
    telemetry = Telemetry(store, flush_interval=60)
    row = RequestRecord(ts=1.0, alias="chat", client_api="openai", target="vllm:m", provider="vllm",
                        jurisdiction=None, open_weights=True, status=200, latency_ms=1.0, input_tokens=1,
                        output_tokens=1, stream=False, exposed=False, chain="vllm:m=ok", client_key=None)

    async def background_then_shutdown() -> None:
        telemetry.record(row, ())
        under_way = asyncio.create_task(telemetry.flush())  # the background flusher took the row
        await asyncio.sleep(0.05)
        await telemetry.flush()  # at shutdown, or a test that reads the store next: nothing pending, one in flight
        assert len(store.recent(5)) == 1
        await under_way

    asyncio.run(background_then_shutdown())
    store.close()


def test_telemetry_and_cutoffs_on_postgresql(harness: Harness, postgres_url: str) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), store=postgres_url)
    gw.openai().chat.completions.create(model="m", messages=HELLO)
    harness.flush(gw)
    gw.gateway.telemetry.store.save_cutoff("anthropic", "decision")
    reader = open_store(postgres_url)  # another connection, as another replica or the dashboard
    try:
        [request] = reader.recent(5)
        assert (request.provider, request.open_weights, request.exposed) == ("vllm", True, False)
        assert reader.cutoffs() == {"anthropic": "decision"}
    finally:
        reader.close()
    result = CliRunner().invoke(exposure, ["--live", "--store", postgres_url, "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["requests"] == 1
