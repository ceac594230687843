"""Streams: free failover before the first byte, TTFT timeouts, mid-stream errors, opt-in continuation."""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest

from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]


def _chain(harness: Harness, primary_api: str = "openai", fallback_api: str = "openai", **options):
    primary = harness.upstream(primary_api, "primary")
    fallback = harness.upstream(fallback_api, "fallback")
    fallback.words = ["Second", " target", " here", "."]
    gw = harness.gateway(route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                             target(fallback, "vllm", "qwen3-32b")], **options))
    return gw, primary, fallback


def _openai_text(gw) -> str:
    stream = gw.openai().chat.completions.create(model="chat", messages=HELLO, stream=True)
    return "".join(c.choices[0].delta.content or "" for c in stream if c.choices)


def _anthropic_text(gw) -> str:
    with gw.anthropic().messages.stream(model="chat", max_tokens=50, messages=HELLO) as stream:
        return "".join(stream.text_stream)


@pytest.mark.parametrize("failure", [500, 451, "hang"])
def test_failover_before_first_byte_is_invisible(harness: Harness, failure) -> None:
    gw, primary, _fallback = _chain(harness)
    primary.mode = failure
    assert _openai_text(gw) == "Second target here."
    assert _anthropic_text(gw) == "Second target here."


def test_time_to_first_token_timeout_fails_over(harness: Harness) -> None:
    gw, primary, _fallback = _chain(harness, primary_api="anthropic")
    primary.mode = "stall"  # headers arrive, then nothing
    with gw.openai().chat.completions.with_streaming_response.create(
            model="chat", messages=HELLO, stream=True) as response:
        assert response.headers["x-offramp-target"] == "vllm:qwen3-32b"
        text = "".join(c.choices[0].delta.content or "" for c in response.parse() if c.choices)
    assert text == "Second target here."


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_mid_stream_cut_ends_with_an_openai_error_chunk(harness: Harness, api: str) -> None:
    gw, primary, fallback = _chain(harness, primary_api=api)
    primary.mode = "cut"
    received = []
    with pytest.raises(openai.APIError) as raised:
        for chunk in gw.openai().chat.completions.create(model="chat", messages=HELLO, stream=True):
            received.append(chunk.choices[0].delta.content or "" if chunk.choices else "")
    assert "".join(received).startswith("Hello")
    assert "broke off" in raised.value.message
    assert fallback.requests == [], "without continue_stream the answer is not continued elsewhere"


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_mid_stream_cut_ends_with_an_anthropic_error_event(harness: Harness, api: str) -> None:
    gw, primary, _fallback = _chain(harness, primary_api=api)
    primary.mode = "cut"
    received = []
    with pytest.raises(anthropic.APIStatusError) as raised, \
            gw.anthropic().messages.stream(model="chat", max_tokens=50, messages=HELLO) as stream:
        received.extend(stream.text_stream)
    assert "".join(received).startswith("Hello")
    assert "broke off" in str(raised.value)


@pytest.mark.parametrize(("primary_api", "fallback_api"), [("openai", "openai"), ("anthropic", "openai"),
                                                           ("anthropic", "anthropic"), ("openai", "anthropic")])
def test_continue_stream_finishes_the_answer_on_the_next_target(harness: Harness, primary_api, fallback_api) -> None:
    gw, primary, fallback = _chain(harness, primary_api, fallback_api, continue_stream=True)
    primary.mode = "cut"
    openai_text = _openai_text(gw)
    anthropic_text = _anthropic_text(gw)
    for text in (openai_text, anthropic_text):
        assert text.startswith("Hello") and text.endswith("Second target here.")
    # The next target is asked to continue from the text already sent.
    continued = fallback.requests[0]["messages"][-1]
    assert continued["role"] == "assistant"
    assert "Hello" in str(continued["content"])


def test_stream_usage_reaches_telemetry_but_not_clients_that_did_not_ask(harness: Harness) -> None:
    gw, primary, _fallback = _chain(harness)
    chunks = list(gw.openai().chat.completions.create(model="chat", messages=HELLO, stream=True))
    assert all(c.choices for c in chunks), "no usage-only chunk the client did not ask for"
    assert primary.requests[0]["stream_options"] == {"include_usage": True}
    with_usage = list(gw.openai().chat.completions.create(model="chat", messages=HELLO, stream=True,
                                                          stream_options={"include_usage": True}))
    assert with_usage[-1].usage.completion_tokens == 7
    harness.flush(gw)
    record = gw.gateway.telemetry.store.recent(1)[0]
    assert (record.input_tokens, record.output_tokens, record.stream) == (11, 7, True)


def test_a_stream_cut_inside_a_tool_call_is_not_continued(harness: Harness) -> None:
    gw, primary, fallback = _chain(harness, continue_stream=True)
    primary.mode, primary.cut_at = "cut", 8  # after the tool call started
    tool = {"type": "function", "function": {"name": "weather", "parameters": {"type": "object"}}}
    with pytest.raises(openai.APIError, match="broke off"):
        list(gw.openai().chat.completions.create(model="chat", messages=HELLO, tools=[tool], stream=True))
    assert fallback.requests == [], "half a tool call cannot be continued from text"


@pytest.mark.parametrize("include_usage", [False, True])
def test_a_relayed_openai_stream_always_ends_with_done(harness: Harness, include_usage: bool) -> None:
    gw, _primary, _fallback = _chain(harness)
    body = {"model": "chat", "messages": HELLO, "stream": True}
    if include_usage:
        body["stream_options"] = {"include_usage": True}
    text = httpx.post(f"{gw.url}/v1/chat/completions", json=body, timeout=5).text
    assert text.endswith("data: [DONE]\n\n")
    assert ('"usage"' in text) is include_usage
