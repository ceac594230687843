"""Translation fidelity through real SDKs: structured output enforced, reasoning, refusals, stop sequences, cached
tokens, and every option without an equivalent named in x-offramp-untranslated, never dropped silently."""

from __future__ import annotations

import openai
import pytest

from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]
CITY = {"type": "json_schema", "json_schema": {"name": "city", "strict": True, "schema": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
    "additionalProperties": False}}}


def _gateway(harness: Harness, *upstreams):
    targets = [target(up, "anthropic" if up.api == "anthropic" else "vllm", f"model-{i}")
               for i, up in enumerate(upstreams)]
    return harness.gateway(route_toml("m", targets))


def test_a_json_schema_becomes_a_forced_tool_on_anthropic_and_the_answer_is_its_input(harness: Harness) -> None:
    upstream = harness.upstream("anthropic", "claude")
    gw = _gateway(harness, upstream)
    answer = gw.openai().chat.completions.create(model="m", messages=HELLO, response_format=CITY)
    sent = upstream.requests[0]
    assert sent["tools"] == [{"name": "city", "input_schema": CITY["json_schema"]["schema"]}]
    assert sent["tool_choice"] == {"type": "tool", "name": "city"}
    assert answer.choices[0].message.content == '{"city": "Taipei"}'
    assert answer.choices[0].message.tool_calls is None and answer.choices[0].finish_reason == "stop"


def test_an_answer_that_breaks_the_schema_fails_over_and_never_reaches_the_client(harness: Harness) -> None:
    wrong = harness.upstream("anthropic", "claude")
    wrong.structured = {"city": 42}
    right = harness.upstream("openai", "qwen")
    gw = _gateway(harness, wrong, right)
    raw = gw.openai().chat.completions.with_raw_response.create(model="m", messages=HELLO, response_format=CITY)
    assert raw.headers["x-offramp-target"] == "vllm:model-1"
    assert raw.parse().choices[0].message.content == '{"city": "Taipei"}'
    right.structured = {"town": "Taipei"}
    with pytest.raises(openai.InternalServerError, match="schema_mismatch"):
        gw.openai().chat.completions.create(model="m", messages=HELLO, response_format=CITY)


def test_options_without_an_anthropic_equivalent_are_named_in_a_header_and_counted(harness: Harness) -> None:
    upstream = harness.upstream("anthropic", "claude")
    gw = _gateway(harness, upstream)
    raw = gw.openai().chat.completions.with_raw_response.create(
        model="m", messages=HELLO, seed=7, logprobs=True, presence_penalty=0.5, temperature=1.6)
    assert raw.headers["x-offramp-untranslated"] == "temperature (clamped to 1), seed, logprobs, presence_penalty"
    assert upstream.requests[0]["temperature"] == 1.0
    plain = gw.openai().chat.completions.with_raw_response.create(model="m", messages=HELLO, temperature=0.5)
    assert "x-offramp-untranslated" not in plain.headers
    metrics = gw.gateway.telemetry.prometheus().decode()
    assert 'offramp_untranslated_fields_total{alias="m",field="seed",target="anthropic:model-0"} 1.0' in metrics
    harness.flush(gw)
    rows = gw.gateway.telemetry.store.recent(2)
    assert [row.untranslated for row in rows] == ["", "temperature (clamped to 1), seed, logprobs, presence_penalty"]


def test_top_k_reaches_self_hosted_servers_and_is_reported_elsewhere(harness: Harness) -> None:
    self_hosted = harness.upstream("openai", "vllm")
    hosted = harness.upstream("openai", "mistral")
    gw = harness.gateway(route_toml("local", [target(self_hosted, "vllm", "qwen")])
                         + route_toml("hosted", [target(hosted, "mistral", "mistral-large")]))
    gw.anthropic().messages.create(model="local", max_tokens=5, messages=HELLO, extra_body={"top_k": 40})
    assert self_hosted.requests[0]["top_k"] == 40
    raw = gw.anthropic().messages.with_raw_response.create(model="hosted", max_tokens=5, messages=HELLO,
                                                           extra_body={"top_k": 40, "thinking": {"type": "enabled", "budget_tokens": 1024}})
    assert "top_k" not in hosted.requests[0]
    assert raw.headers["x-offramp-untranslated"] == "top_k, thinking"


def test_reasoning_crosses_as_thinking_blocks_and_reasoning_content(harness: Harness) -> None:
    claude = harness.upstream("anthropic", "claude")
    claude.reasoning = "Taipei is the capital."
    qwen = harness.upstream("openai", "qwen")
    qwen.reasoning = "Let me think."
    gw = harness.gateway(route_toml("claude", [target(claude, "anthropic", "claude")])
                         + route_toml("qwen", [target(qwen, "vllm", "qwen")]))
    message = gw.openai().chat.completions.create(model="claude", messages=HELLO).choices[0].message
    assert message.model_extra["reasoning_content"] == "Taipei is the capital."
    answer = gw.anthropic().messages.create(model="qwen", max_tokens=50, messages=HELLO)
    assert answer.content[0].type == "thinking" and answer.content[0].thinking == "Let me think."
    assert answer.content[1].text == "Hello from the fake upstream."


def test_refusals_stop_sequences_and_cached_tokens_cross_both_ways(harness: Harness) -> None:
    claude = harness.upstream("anthropic", "claude")
    qwen = harness.upstream("openai", "qwen")
    gw = harness.gateway(route_toml("claude", [target(claude, "anthropic", "claude")])
                         + route_toml("qwen", [target(qwen, "vllm", "qwen")]))
    qwen.refusal = "I can't help with that."
    refused = gw.anthropic().messages.create(model="qwen", max_tokens=50, messages=HELLO)
    assert (refused.stop_reason, refused.content[0].text) == ("refusal", "I can't help with that.")
    claude.refusal = "declined"
    message = gw.openai().chat.completions.create(model="claude", messages=HELLO).choices[0]
    assert message.finish_reason == "content_filter" and message.message.refusal

    qwen.refusal, qwen.stop_hit, qwen.cached = None, "END", 4
    stopped = gw.anthropic().messages.create(model="qwen", max_tokens=50, messages=HELLO, stop_sequences=["END"])
    assert (stopped.stop_reason, stopped.stop_sequence) == ("stop_sequence", "END")
    assert (stopped.usage.input_tokens, stopped.usage.cache_read_input_tokens) == (11, 4)
    claude.refusal, claude.cached = None, 100
    usage = gw.openai().chat.completions.create(model="claude", messages=HELLO).usage
    assert (usage.prompt_tokens, usage.prompt_tokens_details.cached_tokens) == (111, 100)


def test_a_streamed_json_schema_answer_from_anthropic_arrives_as_text(harness: Harness) -> None:
    upstream = harness.upstream("anthropic", "claude")
    gw = _gateway(harness, upstream)
    chunks = list(gw.openai().chat.completions.create(model="m", messages=HELLO, response_format=CITY, stream=True))
    assert upstream.requests[0]["tool_choice"] == {"type": "tool", "name": "city"}
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == '{"city": "Taipei"}'
    assert not any(c.choices[0].delta.tool_calls for c in chunks if c.choices)
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]


@pytest.mark.parametrize("first_api", ["openai", "anthropic"])
def test_a_streamed_answer_that_breaks_the_schema_fails_over_and_never_reaches_the_client(
        harness: Harness, first_api: str) -> None:
    wrong = harness.upstream(first_api, "wrong")
    wrong.structured = {"city": 42}
    right = harness.upstream("openai", "qwen")
    gw = _gateway(harness, wrong, right)
    with gw.openai().chat.completions.with_streaming_response.create(
            model="m", messages=HELLO, response_format=CITY, stream=True) as raw:
        assert raw.headers["x-offramp-target"] == "vllm:model-1"
        chunks = list(raw.parse())
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == '{"city": "Taipei"}'
    assert len(wrong.requests) == 1, "the first target answered, in full, and was not believed"
    harness.flush(gw)
    assert gw.gateway.telemetry.store.recent(1)[0].chain.split(";")[0].endswith("=schema_mismatch")
    right.structured = {"town": "Taipei"}
    with pytest.raises(openai.InternalServerError, match="schema_mismatch"):
        gw.openai().chat.completions.create(model="m", messages=HELLO, response_format=CITY, stream=True)


def test_a_streamed_answer_that_follows_the_schema_arrives_whole_from_the_first_target(harness: Harness) -> None:
    claude = harness.upstream("anthropic", "claude")
    fallback = harness.upstream("openai", "qwen")
    gw = _gateway(harness, claude, fallback)
    stream = gw.openai().chat.completions.create(model="m", messages=HELLO, response_format=CITY, stream=True)
    chunks = list(stream)
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == '{"city": "Taipei"}'
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert fallback.requests == []
