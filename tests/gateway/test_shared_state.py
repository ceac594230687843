"""Gateway replicas behind one load balancer share cut-offs and breaker evidence through a real Redis, and keep
serving on their own state while it is gone."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import openai
import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from offramp.gateway.commands import cutoff, exposure, serve
from offramp.gateway.config import ConfigError, parse_config
from offramp.gateway.shared import REDIS_TIMEOUT
from offramp.store import open_store
from offramp.store.database import describe
from tests.gateway.conftest import CATALOG, Harness, RunningGateway, route_toml, target
from tests.gateway.test_commands import SERVE
from tests.servers import RedisServer, free_port

HELLO = [{"role": "user", "content": "hi"}]
PRIMARY, FALLBACK = "anthropic:claude-sonnet-4-5", "vllm:qwen3-32b"


def _replicas(harness: Harness, redis_url: str, routes: str) -> tuple[RunningGateway, RunningGateway]:
    """Two replicas of one config, each with its own telemetry store, as on two machines."""
    shared = f'[shared_state]\nredis = "{redis_url}"\n'
    return harness.gateway(routes, shared, store="replica-a.sqlite"), harness.gateway(routes, shared,
                                                                                      store="replica-b.sqlite")


def _chain(harness: Harness, redis_url: str, **options: object):
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    routes = route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                 target(fallback, "vllm", "qwen3-32b")], **options)
    return (*_replicas(harness, redis_url, routes), primary, fallback)


def _state(replica: RunningGateway, target_id: str = PRIMARY) -> tuple[str, bool]:
    entry = next(t for t in replica.gateway.health.snapshot() if t["target"] == target_id)
    return entry["state"], entry["manual"]


def _seconds_until(condition: Callable[[], bool], since: float, timeout: float = 5.0) -> float:
    """Seconds from ``since`` until ``condition`` held; fails the test after ``timeout``."""
    while not condition():
        assert time.monotonic() - since < timeout, f"not within {timeout} s"
        time.sleep(0.005)
    return time.monotonic() - since


def _shared_up(replica: RunningGateway) -> float | None:
    with urllib.request.urlopen(f"{replica.url}/metrics", timeout=5) as response:
        families = {f.name: f for f in text_string_to_metric_families(response.read().decode())}
    family = families.get("offramp_shared_state_up")
    return family.samples[0].value if family else None


def _served_by(replica: RunningGateway) -> str:
    raw = replica.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO)
    return raw.headers["x-offramp-target"]


def test_a_cut_off_on_one_replica_is_honoured_by_the_other_within_a_second(harness: Harness,
                                                                             redis: RedisServer) -> None:
    a, b, primary, _fallback = _chain(harness, redis.url, cutoff_cooldown=60, probe_interval=60)
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 1, time.monotonic())

    started = time.monotonic()
    result = CliRunner().invoke(cutoff, ["anthropic", "--url", a.url, "--reason", "drill"])
    assert result.exit_code == 0, result.output
    took = _seconds_until(lambda: _state(b) == ("cut_off", True), started)
    assert took < 1.0, f"a cut-off by hand reached the other replica in {took:.3f} s"
    assert _served_by(b) == FALLBACK
    assert primary.requests == []

    started = time.monotonic()
    assert CliRunner().invoke(cutoff, ["anthropic", "--restore", "--url", b.url]).exit_code == 0
    took = _seconds_until(lambda: _state(a) == ("closed", False), started)
    assert took < 1.0, f"a restore reached the other replica in {took:.3f} s"
    assert _served_by(a) == PRIMARY

    primary.mode = 451
    started = time.monotonic()
    assert _served_by(a) == FALLBACK  # a pays the round trip to the refusing primary...
    took = _seconds_until(lambda: _state(b) == ("cut_off", False), started)
    assert took < 1.0, f"a legal refusal reached the other replica in {took:.3f} s"
    assert _served_by(b) == FALLBACK
    assert len(primary.requests) == 2, "...and b does not: the refusal seen by a cut the primary off on b"
    reason = next(t["reason"] for t in b.gateway.health.snapshot() if t["target"] == PRIMARY)
    assert reason == "HTTP 451 legal or region refusal (seen by another replica)"


def test_breaker_evidence_of_both_replicas_opens_a_circuit_neither_would_alone(harness: Harness,
                                                                              redis: RedisServer) -> None:
    # Eight outcomes needed, half of them failures, and no run of failures long enough on its own: each replica
    # sees four requests, two failed, so neither has the evidence alone and together they have exactly enough.
    a, b, primary, _fallback = _chain(harness, redis.url, breaker={
        "window": 30, "min_requests": 8, "failure_rate": 0.5, "consecutive_failures": 5, "open_for": 60})
    _seconds_until(lambda: a.gateway.shared.up and b.gateway.shared.up, time.monotonic())

    def half_failing(replica: RunningGateway) -> None:
        for mode in ("ok", 500, "ok", 500):
            primary.mode = mode
            assert _served_by(replica) == (PRIMARY if mode == "ok" else FALLBACK)

    half_failing(a)
    time.sleep(3 * a.gateway.config.shared_state.sync_interval)  # several exchanges: a's evidence is in Redis
    assert _state(a)[0] == _state(b)[0] == "closed", "four outcomes are below min_requests, even together"
    half_failing(b)
    started = time.monotonic()
    assert _state(b)[0] == "open", "b's last failure, with a's outcomes in the window, reached the failure rate"
    took = _seconds_until(lambda: _state(a)[0] == "open", started)
    assert took < 1.0
    primary.mode = "ok"
    sent = len(primary.requests)
    assert _served_by(a) == _served_by(b) == FALLBACK
    assert len(primary.requests) == sent, "the open circuit skips the primary on both replicas"


def test_replicas_keep_serving_while_redis_is_down_and_resync_when_it_is_back(
        harness: Harness, redis: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="offramp.gateway")
    a, b, _primary, _fallback = _chain(harness, redis.url, cutoff_cooldown=60, probe_interval=60)
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 1, time.monotonic())

    redis.stop()
    down = time.monotonic()
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 0, down)
    while time.monotonic() - down < 1.5:  # many exchanges fail meanwhile; every request is answered
        assert _served_by(a) == _served_by(b) == PRIMARY
    assert CliRunner().invoke(cutoff, ["anthropic", "--url", a.url]).exit_code == 0
    assert _served_by(a) == FALLBACK, "a decision taken during the outage holds on its replica"
    assert _served_by(b) == PRIMARY

    redis.start()  # empty: it kept nothing
    back = time.monotonic()
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 1, back)
    _seconds_until(lambda: _state(b) == ("cut_off", True), back, timeout=2)
    assert _served_by(b) == FALLBACK
    messages = [r.getMessage() for r in caplog.records]
    lost = [m for m in messages if m.startswith("shared state: no exchange with Redis")]
    assert len(lost) == 2, "one line per replica and transition, not one per failed exchange"
    assert f"127.0.0.1:{redis.port}" in lost[0]
    assert sum(m.endswith("breaker evidence are resynced") for m in messages) == 2


def test_a_hung_redis_never_holds_a_request(harness: Harness, redis: RedisServer) -> None:
    a, b, _primary, _fallback = _chain(harness, redis.url, cutoff_cooldown=60, probe_interval=60)
    clients = {a: a.openai(), b: b.openai()}
    for client in clients.values():  # warm: the SDK's first call pays for its own set-up
        client.models.list()
    _seconds_until(lambda: a.gateway.shared.up and b.gateway.shared.up, time.monotonic())
    assert redis.pid is not None
    os.kill(redis.pid, signal.SIGSTOP)  # it accepts connections and answers nothing
    try:
        started = time.monotonic()
        assert CliRunner().invoke(cutoff, ["anthropic", "--url", a.url]).exit_code == 0
        assert time.monotonic() - started < 0.5, "the admin endpoint does not wait for Redis to take the cut-off"
        for replica, target_id in ((a, FALLBACK), (b, PRIMARY)) * 5:
            sent = time.monotonic()
            raw = clients[replica].chat.completions.with_raw_response.create(model="chat", messages=HELLO)
            assert raw.headers["x-offramp-target"] == target_id
            assert time.monotonic() - sent < REDIS_TIMEOUT, "a request never waits on a Redis command"
        _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 0, started)
    finally:
        os.kill(redis.pid, signal.SIGCONT)
    _seconds_until(lambda: _state(b) == ("cut_off", True), time.monotonic())


def test_unreachable_at_start_then_shared_and_the_password_never_logged(
        harness: Harness, redis: RedisServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="offramp.gateway")
    redis.stop()
    url = f"redis://:hunter2@127.0.0.1:{redis.port}/0"
    a, b, _primary, _fallback = _chain(harness, url)
    assert _served_by(a) == _served_by(b) == PRIMARY
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 0, time.monotonic())
    redis.start()  # without requirepass, Redis lets a client that sends a password in
    _seconds_until(lambda: _shared_up(a) == _shared_up(b) == 1, time.monotonic())
    assert "hunter2" not in caplog.text
    assert caplog.text.count(f"no exchange with Redis at redis://:***@127.0.0.1:{redis.port}/0") == 2
    assert caplog.text.count(f"Redis at redis://:***@127.0.0.1:{redis.port}/0 answers") == 2
    assert describe("rediss://ops:s3cret@redis.internal:6380/2?ssl_cert_reqs=none") == \
        "rediss://ops:***@redis.internal:6380/2"


def test_the_replicas_telemetry_lands_in_one_postgresql_database(harness: Harness, redis: RedisServer,
                                                                  postgres_url: str) -> None:
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    routes = route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                 target(fallback, "vllm", "qwen3-32b")])
    shared = f'[shared_state]\nredis = "{redis.url}"\n'
    a, b = harness.gateway(routes, shared, store=postgres_url), harness.gateway(routes, shared, store=postgres_url)
    _seconds_until(lambda: a.gateway.shared.up and b.gateway.shared.up, time.monotonic())
    for _ in range(3):
        assert _served_by(a) == PRIMARY
    for _ in range(2):
        with b.anthropic().messages.stream(model="chat", max_tokens=10, messages=HELLO) as stream:
            assert stream.get_final_text() == "Hello from the fake upstream."
    assert CliRunner().invoke(cutoff, ["anthropic", "--url", a.url]).exit_code == 0
    _seconds_until(lambda: _state(b) == ("cut_off", True), time.monotonic())
    assert _served_by(b) == FALLBACK
    harness.flush(a)
    harness.flush(b)

    store = open_store(postgres_url)
    try:
        rows = store.recent(10)
        assert store.cutoffs() == {"anthropic": "cut off by hand"}
    finally:
        store.close()
    assert sorted((r.client_api, r.stream, r.target) for r in rows) == [
        ("anthropic", True, PRIMARY)] * 2 + [("openai", False, PRIMARY)] * 3 + [("openai", False, FALLBACK)]
    assert rows[0].chain == f"{PRIMARY}=skipped_cut_off;{FALLBACK}=ok"
    result = CliRunner().invoke(exposure, ["--live", "--store", postgres_url, "--json"])
    assert result.exit_code == 0, result.output
    live = json.loads(result.output)
    assert (live["requests"], live["exposed_requests"]) == (6, 0), "every request of both replicas, one count"


def test_without_redis_nothing_is_shared_or_reported(harness: Harness, redis: RedisServer) -> None:
    primary = harness.upstream("anthropic", "primary")
    routes = route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5")])
    alone, other = harness.gateway(routes), harness.gateway(routes, store="other.sqlite")
    assert CliRunner().invoke(cutoff, ["anthropic", "--url", alone.url]).exit_code == 0
    time.sleep(0.5)
    assert _state(other) == ("closed", False)
    assert _shared_up(alone) is None


@contextlib.contextmanager
def _serve(config: Path, port: int, environ: dict[str, str], *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """`offramp serve` in its own process, as on its own machine; stopped by SIGTERM (by PID)."""
    process = subprocess.Popen([sys.executable, "-c", SERVE, "--config", str(config), "--port", str(port), *options],
                               env={**os.environ, **environ}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_two_serve_processes_given_redis_by_option_and_environment_share_a_cut_off(
        harness: Harness, redis: RedisServer, tmp_path: Path) -> None:
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    config = tmp_path / "gateway.toml"
    config.write_text(route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                          target(fallback, "vllm", "qwen3-32b")]) + CATALOG)
    ports = free_port(), free_port()
    with _serve(config, ports[0], {}, "--redis", redis.url) as first, \
            _serve(config, ports[1], {"OFFRAMP_REDIS": redis.url}) as second:
        replicas = [RunningGateway(None, port) for port in ports]  # type: ignore[arg-type]  (only .url is used)

        def shared_up() -> bool:
            with contextlib.suppress(OSError):
                return all(_shared_up(replica) == 1 for replica in replicas)
            assert first.poll() is None and second.poll() is None, "a replica exited"
            return False

        _seconds_until(shared_up, time.monotonic(), timeout=90)  # two start-ups on a busy machine
        started = time.monotonic()
        assert CliRunner().invoke(cutoff, ["anthropic", "--url", replicas[0].url]).exit_code == 0

        def cut_off_on_second() -> bool:
            with urllib.request.urlopen(f"{replicas[1].url}/admin/state", timeout=5) as response:
                return json.loads(response.read())["targets"][0]["state"] == "cut_off"

        assert _seconds_until(cut_off_on_second, started) < 1.0
        client = openai.OpenAI(base_url=f"{replicas[1].url}/v1", api_key="x", max_retries=0)
        raw = client.chat.completions.with_raw_response.create(model="chat", messages=HELLO)
        assert raw.headers["x-offramp-target"] == FALLBACK
        assert primary.requests == []
    assert f"shared state: Redis at {redis.url} answers" in second.stderr.read().decode()


def test_a_redis_url_that_is_not_one_is_refused_where_it_was_given(tmp_path) -> None:
    with pytest.raises(ConfigError, match=r"g.toml:2: shared_state.redis: .*redis://, rediss:// or unix://"):
        parse_config('[shared_state]\nredis = "http://cache:6379"\n' + route_toml("m", [
            target("http://127.0.0.1:9/v1", "vllm", "q")]) + CATALOG, "g.toml", {}, tmp_path)
    config = tmp_path / "gateway.toml"
    config.write_text(route_toml("m", [target("http://127.0.0.1:9/v1", "vllm", "q")]) + CATALOG)
    result = CliRunner().invoke(serve, ["--config", str(config)], env={"OFFRAMP_REDIS": "cache:6379"})
    assert result.exit_code == 2
    assert "--redis / OFFRAMP_REDIS: shared_state.redis must be a redis://" in result.output
