"""Translation details the SDK tests do not reach: stop reasons, usage with cache, options, capability gaps."""

from __future__ import annotations

import pytest

from offramp.gateway.translate import (
    TranslationError,
    anthropic_to_openai_request,
    anthropic_to_openai_response,
    openai_to_anthropic_request,
    openai_to_anthropic_response,
)


@pytest.mark.parametrize(("anthropic_reason", "openai_reason"), [
    ("end_turn", "stop"), ("stop_sequence", "stop"), ("max_tokens", "length"), ("tool_use", "tool_calls"),
    ("refusal", "content_filter")])
def test_anthropic_stop_reasons_become_openai_finish_reasons(anthropic_reason: str, openai_reason: str) -> None:
    answer = anthropic_to_openai_response({"model": "m", "content": [{"type": "text", "text": "x"}],
                                           "stop_reason": anthropic_reason, "usage": {}})
    assert answer["choices"][0]["finish_reason"] == openai_reason


@pytest.mark.parametrize(("openai_reason", "anthropic_reason"), [
    ("stop", "end_turn"), ("length", "max_tokens"), ("tool_calls", "tool_use"), ("content_filter", "refusal")])
def test_openai_finish_reasons_become_anthropic_stop_reasons(openai_reason: str, anthropic_reason: str) -> None:
    answer = openai_to_anthropic_response({"model": "m", "choices": [
        {"message": {"role": "assistant", "content": "x"}, "finish_reason": openai_reason}]})
    assert answer["stop_reason"] == anthropic_reason


def test_cached_prompt_tokens_count_as_input() -> None:
    answer = anthropic_to_openai_response({"content": [], "stop_reason": "end_turn", "usage": {
        "input_tokens": 5, "cache_read_input_tokens": 100, "cache_creation_input_tokens": 20, "output_tokens": 3}})
    assert answer["usage"] == {"prompt_tokens": 125, "completion_tokens": 3, "total_tokens": 128,
                               "prompt_tokens_details": {"cached_tokens": 100}}


def test_anthropic_options_map_to_openai() -> None:
    request = anthropic_to_openai_request({
        "max_tokens": 50, "stop_sequences": ["END"], "temperature": 0.2, "metadata": {"user_id": "u1"},
        "system": [{"type": "text", "text": "A. "}, {"type": "text", "text": "B."}],
        "tool_choice": {"type": "tool", "name": "weather", "disable_parallel_tool_use": True},
        "messages": [{"role": "user", "content": "hi"}], "stream": True}, "qwen")
    assert request["messages"][0] == {"role": "system", "content": "A. B."}
    assert (request["stop"], request["user"], request["max_tokens"]) == (["END"], "u1", 50)
    assert request["tool_choice"] == {"type": "function", "function": {"name": "weather"}}
    assert request["parallel_tool_calls"] is False
    assert request["stream_options"] == {"include_usage": True}


def test_openai_options_map_to_anthropic() -> None:
    request = openai_to_anthropic_request({
        "max_completion_tokens": 70, "tool_choice": "none", "user": "u1", "top_p": 0.9,
        "messages": [{"role": "user", "content": "a"}, {"role": "user", "content": "b"}]}, "claude", 4096)
    assert request["max_tokens"] == 70
    assert request["tool_choice"] == {"type": "none"}
    assert request["metadata"] == {"user_id": "u1"}
    assert request["messages"] == [{"role": "user", "content": [{"type": "text", "text": "a"},
                                                                {"type": "text", "text": "b"}]}]


@pytest.mark.parametrize(("body", "why"), [
    ({"n": 2, "messages": []}, "n > 1"),
    ({"messages": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]}, "input_audio"),
    ({"messages": [{"role": "assistant", "tool_calls": [
        {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]}, "not JSON"),
])
def test_what_anthropic_cannot_carry_is_a_translation_error(body: dict, why: str) -> None:
    with pytest.raises(TranslationError, match=why):
        openai_to_anthropic_request(body, "claude", 10)


@pytest.mark.parametrize(("body", "why"), [
    ({"tools": [{"type": "web_search_20250305", "name": "web_search"}], "messages": []}, "provider-only tool"),
    ({"messages": [{"role": "user", "content": [{"type": "document", "source": {}}]}]}, "'document'"),
])
def test_what_openai_cannot_carry_is_a_translation_error(body: dict, why: str) -> None:
    with pytest.raises(TranslationError, match=why):
        anthropic_to_openai_request(body, "qwen")
