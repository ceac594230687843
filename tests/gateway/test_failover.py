"""One test per failover trigger, and the client errors that must not trigger failover."""

from __future__ import annotations

import time

import anthropic
import openai
import pytest

from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]


def _chain(harness: Harness, primary, **route_options):
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [
        target(primary, "anthropic", "claude-sonnet-4-5") if not isinstance(primary, str)
        else target(primary, "anthropic", "claude-sonnet-4-5", api="openai"),
        target(fallback, "vllm", "qwen3-32b")], **route_options))
    return gw, fallback


def _served_by_fallback(gw, fallback) -> None:
    raw = gw.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO)
    assert raw.headers["x-offramp-target"] == "vllm:qwen3-32b"
    assert raw.headers["x-offramp-failovers"] == "1"
    assert raw.parse().choices[0].message.content == "Hello from the fake upstream."
    assert len(fallback.requests) == 1


def test_connection_refused_fails_over(harness: Harness) -> None:
    gw, fallback = _chain(harness, harness.closed_port_url())
    _served_by_fallback(gw, fallback)


def test_connect_timeout_fails_over(harness: Harness, backlogged_url: str) -> None:
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [
        target(backlogged_url, "anthropic", "claude", api="openai",
               timeouts={"connect": 0.2, "first_byte": 2, "idle": 2, "total": 5}),
        target(fallback, "vllm", "qwen3-32b")]))
    started = time.monotonic()
    _served_by_fallback(gw, fallback)
    assert time.monotonic() - started < 1.5
    harness.flush(gw)
    assert "anthropic:claude=timeout_connect" in gw.gateway.telemetry.store.recent(1)[0].chain


def test_first_byte_timeout_fails_over(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode = "hang"
    gw, fallback = _chain(harness, primary)
    started = time.monotonic()
    _served_by_fallback(gw, fallback)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("status", [401, 403, 451, 500, 503, 529])
def test_refusals_and_server_errors_fail_over(harness: Harness, status: int) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode = status
    gw, fallback = _chain(harness, primary)
    _served_by_fallback(gw, fallback)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_region_refusal_fails_over(harness: Harness, api: str) -> None:
    primary = harness.upstream(api, "primary")
    primary.mode = "region"  # 403 with the provider's own "unsupported region" body
    gw, fallback = _chain(harness, primary)
    _served_by_fallback(gw, fallback)
    state = {t["target"]: t["state"] for t in gw.gateway.health.snapshot()}
    assert state["anthropic:claude-sonnet-4-5"] == "cut_off"


def test_rate_limit_fails_over_and_honours_retry_after(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode, primary.retry_after = 429, "30"
    gw, fallback = _chain(harness, primary)
    _served_by_fallback(gw, fallback)
    primary.mode = "ok"
    gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert len(primary.requests) == 1, "the primary asked for 30 s of quiet and must not be retried before"
    assert len(fallback.requests) == 2
    state = {t["target"]: t["state"] for t in gw.gateway.health.snapshot()}
    assert state["anthropic:claude-sonnet-4-5"] == "closed", "a rate limit is not ill health"


def test_client_error_is_returned_not_failed_over(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode = "bad_request"
    gw, fallback = _chain(harness, primary)
    with pytest.raises(openai.BadRequestError) as raised:
        gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert "messages: field required" in str(raised.value)
    assert fallback.requests == []
    with pytest.raises(anthropic.BadRequestError):
        gw.anthropic().messages.create(model="chat", max_tokens=10, messages=HELLO)
    assert fallback.requests == []
    state = {t["target"]: t["state"] for t in gw.gateway.health.snapshot()}
    assert state["anthropic:claude-sonnet-4-5"] == "closed"


def test_every_target_failing_returns_503_in_client_protocol(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode = 500
    gw, fallback = _chain(harness, primary)
    fallback.mode = 502
    with pytest.raises(openai.InternalServerError) as raised:
        gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert raised.value.status_code == 503
    assert "anthropic:claude-sonnet-4-5=server_error" in raised.value.message
    with pytest.raises(anthropic.APIStatusError) as anthropic_raised:
        gw.anthropic().messages.create(model="chat", max_tokens=10, messages=HELLO)
    assert anthropic_raised.value.body["type"] == "error"


def test_translation_gap_skips_target_without_marking_it_unhealthy(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    gw, _fallback = _chain(harness, primary)
    for _ in range(6):  # more than the breaker's min_requests
        raw = gw.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO, n=2)
        assert raw.headers["x-offramp-target"] == "vllm:qwen3-32b"
    assert primary.requests == []
    state = {t["target"]: t["state"] for t in gw.gateway.health.snapshot()}
    assert state["anthropic:claude-sonnet-4-5"] == "closed"


@pytest.mark.parametrize("status", [302, 307])
def test_a_redirect_is_the_targets_failure_and_is_never_followed(harness: Harness, status: int) -> None:
    elsewhere = harness.upstream("anthropic", "elsewhere")
    primary = harness.upstream("anthropic", "primary")
    primary.mode, primary.location = status, f"{elsewhere.base_url}/v1/messages"
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [target(primary, "anthropic", "claude", key_env="KEY_TEST"),
                                             target(fallback, "vllm", "qwen3-32b")]), env={"KEY_TEST": "sk-secret"})
    raw = gw.anthropic().messages.with_raw_response.create(model="chat", max_tokens=5, messages=HELLO)
    assert raw.headers["x-offramp-target"] == "vllm:qwen3-32b"
    assert elsewhere.requests == [], "the prompt and the key never reach the Location host"
    harness.flush(gw)
    assert gw.gateway.telemetry.store.recent(1)[0].chain.startswith("anthropic:claude=redirect;")


def test_probes_do_not_follow_redirects(harness: Harness) -> None:
    elsewhere = harness.upstream("anthropic", "elsewhere")
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [target(primary, "anthropic", "claude"),
                                             target(fallback, "vllm", "qwen3-32b")], probe_interval=0.1))
    primary.mode = 451
    gw.anthropic().messages.create(model="chat", max_tokens=5, messages=HELLO)
    primary.mode, primary.location = 302, f"{elsewhere.base_url}/v1/models"
    deadline = time.monotonic() + 3
    while primary.probes < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert primary.probes >= 3
    assert elsewhere.probes == 0, "a probe answered by a redirect is a failed probe"
    assert gw.gateway.health.snapshot()[0]["state"] == "cut_off"


def test_embeddings_never_fail_over_to_another_model(harness: Harness) -> None:
    primary = harness.upstream("openai", "primary")
    other_model = harness.upstream("openai", "other")
    gw = harness.gateway(route_toml("embed", [target(primary, "vllm", "bge-m3"),
                                              target(other_model, "vllm", "nomic-embed-text")]))
    primary.mode = 500
    with pytest.raises(openai.InternalServerError) as raised:
        gw.openai().embeddings.create(model="embed", input="hello")
    assert raised.value.status_code == 503
    assert "vllm:nomic-embed-text=incompatible_embeddings" in raised.value.message
    assert other_model.requests == [], "vectors from another model would poison the index"


def test_embeddings_fail_over_to_the_same_model_served_elsewhere(harness: Harness) -> None:
    primary = harness.upstream("openai", "primary")
    same_model = harness.upstream("openai", "replica")
    declared = harness.upstream("openai", "declared")
    gw = harness.gateway(route_toml("embed", [
        target(primary, "vllm", "BAAI/bge-m3", embedding_space="bge-m3"),
        target(same_model, "vllm", "BAAI/bge-m3", embedding_space="bge-m3"),
        target(declared, "vllm", "bge-m3:latest", embedding_space="bge-m3")]))
    primary.mode = 500
    assert gw.openai().embeddings.create(model="embed", input="hello").data[0].embedding == [0.1, 0.2, 0.3]
    assert len(same_model.requests) == 1
    same_model.mode = 500
    gw.openai().embeddings.create(model="embed", input="hello")
    assert len(declared.requests) == 1, "a target declared in the same embedding space is compatible"
