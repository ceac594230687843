"""The OpenAI Responses API through the real openai SDK: plain and streamed, tools, failover, translation."""

from __future__ import annotations

import openai
import pytest

from tests.gateway.conftest import Harness, route_toml, target

WEATHER = {"type": "function", "name": "weather", "description": "Weather in a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}


@pytest.fixture(params=["openai", "anthropic"])
def served(request, harness: Harness):
    upstream = harness.upstream(request.param, "up")
    provider = "anthropic" if request.param == "anthropic" else "vllm"
    return upstream, harness.gateway(route_toml("m", [target(upstream, provider, "served-model")]))


def test_a_response_with_instructions_and_usage(served) -> None:
    upstream, gw = served
    response = gw.openai().responses.create(model="m", instructions="Be brief.", input="Hello?",
                                            max_output_tokens=30)
    assert response.output_text == "Hello from the fake upstream."
    assert response.status == "completed" and response.output[0].type == "message"
    assert (response.usage.input_tokens, response.usage.output_tokens) == (11, 7)
    sent = upstream.requests[0]
    if upstream.api == "anthropic":
        assert (sent["system"], sent["max_tokens"]) == ("Be brief.", 30)
    else:
        assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
        assert sent["max_completion_tokens"] == 30


def test_a_streamed_response_is_the_semantic_event_sequence(served) -> None:
    _, gw = served
    with gw.openai().responses.stream(model="m", input=[{"role": "user", "content": [
            {"type": "input_text", "text": "Hello?"}]}]) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_response()
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert kinds[-1] == "response.completed" and "response.output_text.delta" in kinds
    assert final.output_text == "Hello from the fake upstream."
    assert final.usage.output_tokens == 7


def test_function_calls_and_their_outputs_round_trip(served) -> None:
    upstream, gw = served
    response = gw.openai().responses.create(model="m", input="Weather in Taipei?", tools=[WEATHER])
    call = next(item for item in response.output if item.type == "function_call")
    assert (call.name, call.arguments) == ("weather", '{"city": "Taipei"}')
    with gw.openai().responses.stream(model="m", input="Weather in Taipei?", tools=[WEATHER]) as stream:
        streamed = [item for item in stream.get_final_response().output if item.type == "function_call"]
    assert streamed[0].arguments == '{"city": "Taipei"}'
    gw.openai().responses.create(model="m", tools=[WEATHER], input=[
        {"role": "user", "content": "Weather in Taipei?"},
        {"type": "function_call", "call_id": call.call_id, "name": "weather", "arguments": call.arguments},
        {"type": "function_call_output", "call_id": call.call_id, "output": "Sunny"}])
    sent = upstream.requests[-1]["messages"]
    if upstream.api == "anthropic":
        assert sent[1]["content"][0]["type"] == "tool_use" and sent[2]["content"][0]["content"] == "Sunny"
    else:
        assert sent[1]["tool_calls"][0]["id"] == call.call_id
        assert sent[2] == {"role": "tool", "tool_call_id": call.call_id, "content": "Sunny"}


def test_responses_fail_over_like_every_request(harness: Harness) -> None:
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("m", [target(primary, "anthropic", "claude"), target(fallback, "vllm", "q")]))
    primary.mode = 451
    raw = gw.openai().responses.with_raw_response.create(model="m", input="Hello?")
    assert raw.headers["x-offramp-target"] == "vllm:q" and raw.parse().output_text
    with gw.openai().responses.stream(model="m", input="Hello?") as stream:
        assert stream.get_final_response().output_text == "Hello from the fake upstream."
    harness.flush(gw)
    assert {r.client_api for r in gw.gateway.telemetry.store.recent(2)} == {"responses"}


def test_what_the_gateway_cannot_carry_is_a_400(served) -> None:
    upstream, gw = served
    with pytest.raises(openai.BadRequestError, match="previous_response_id"):
        gw.openai().responses.create(model="m", input="Hi", previous_response_id="resp_1")
    with pytest.raises(openai.BadRequestError, match="built-in tool"):
        gw.openai().responses.create(model="m", input="Hi", tools=[{"type": "web_search"}])
    with pytest.raises(openai.BadRequestError, match="input"):
        gw.openai().responses.create(model="m", input=5)  # type: ignore[arg-type]
    assert upstream.requests == []
