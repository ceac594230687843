"""Wire compatibility: each SDK against each kind of upstream, through the gateway."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import anthropic
import openai
import pytest

from tests.gateway.conftest import Harness, route_toml, target

WEATHER_OPENAI = {"type": "function", "function": {
    "name": "weather", "description": "Weather in a city",
    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
WEATHER_ANTHROPIC = {"name": "weather", "description": "Weather in a city",
                     "input_schema": WEATHER_OPENAI["function"]["parameters"]}
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.fixture(params=["openai", "anthropic"])
def upstream_gateway(request, harness: Harness):
    upstream = harness.upstream(request.param, "up")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "served-model")])
                         + route_toml("embed", [target(upstream, "vllm", "embedder")]))
    return upstream, gw


def test_openai_sdk_chat_with_tools_and_usage(upstream_gateway) -> None:
    upstream, gw = upstream_gateway
    answer = gw.openai().chat.completions.create(
        model="m", tools=[WEATHER_OPENAI], tool_choice="auto",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Weather in Taipei?"}])
    choice = answer.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.tool_calls[0].function.name == "weather"
    assert json.loads(choice.message.tool_calls[0].function.arguments) == {"city": "Taipei"}
    assert (answer.usage.prompt_tokens, answer.usage.completion_tokens) == (11, 7)
    sent = upstream.requests[0]
    assert sent["model"] == "served-model"
    if upstream.api == "anthropic":
        assert sent["system"] == "Be brief."
        assert sent["tools"][0]["input_schema"]["required"] == ["city"]
        assert sent["tool_choice"] == {"type": "auto"}
        assert sent["max_tokens"] == 4096


def test_anthropic_sdk_messages_with_tools_system_and_usage(upstream_gateway) -> None:
    upstream, gw = upstream_gateway
    answer = gw.anthropic().messages.create(
        model="m", max_tokens=100, system="Be brief.", tools=[WEATHER_ANTHROPIC],
        tool_choice={"type": "any"}, messages=[{"role": "user", "content": "Weather in Taipei?"}])
    assert answer.stop_reason == "tool_use"
    tool = next(b for b in answer.content if b.type == "tool_use")
    assert (tool.name, tool.input) == ("weather", {"city": "Taipei"})
    assert (answer.usage.input_tokens, answer.usage.output_tokens) == (11, 7)
    if upstream.api == "openai":
        sent = upstream.requests[0]
        assert sent["messages"][0] == {"role": "system", "content": "Be brief."}
        assert sent["tool_choice"] == "required"
        assert sent["tools"][0]["function"]["parameters"]["required"] == ["city"]


def test_anthropic_sdk_tool_results_and_images_reach_openai_upstream(harness: Harness) -> None:
    upstream = harness.upstream("openai", "up")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "qwen")]))
    gw.anthropic().messages.create(model="m", max_tokens=50, messages=[
        {"role": "user", "content": [
            {"type": "text", "text": "What is this?"},
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PIXEL}},
            {"type": "image", "source": {"type": "url", "url": "https://example.com/cat.png"}}]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "toolu_9", "name": "weather",
                                           "input": {"city": "Taipei"}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_9", "content": "Sunny"},
                                     {"type": "text", "text": "And tomorrow?"}]}])
    messages = upstream.requests[0]["messages"]
    assert messages[0]["content"][1] == {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PIXEL}"}}
    assert messages[0]["content"][2]["image_url"]["url"] == "https://example.com/cat.png"
    assert messages[1]["tool_calls"][0]["function"] == {"name": "weather", "arguments": '{"city": "Taipei"}'}
    assert messages[2] == {"role": "tool", "tool_call_id": "toolu_9", "content": "Sunny"}
    assert messages[3] == {"role": "user", "content": "And tomorrow?"}


def test_openai_sdk_tool_results_images_and_json_mode_reach_anthropic_upstream(harness: Harness) -> None:
    upstream = harness.upstream("anthropic", "up")
    gw = harness.gateway(route_toml("m", [target(upstream, "anthropic", "claude-sonnet-4-5")]))
    gw.openai().chat.completions.create(model="m", response_format={"type": "json_object"}, stop="END",
                                        temperature=1.5, messages=[
        {"role": "developer", "content": "Answer in JSON."},
        {"role": "user", "content": [{"type": "text", "text": "What is this?"},
                                     {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PIXEL}"}}]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_9", "type": "function", "function": {"name": "weather", "arguments": '{"city": "Taipei"}'}}]},
        {"role": "tool", "tool_call_id": "call_9", "content": "Sunny"}])
    sent = upstream.requests[0]
    assert sent["system"].startswith("Answer in JSON.") and "JSON object" in sent["system"]
    assert sent["messages"][0]["content"][1] == {
        "type": "image", "source": {"type": "base64", "media_type": "image/png", "data": PIXEL}}
    assert sent["messages"][1]["content"] == [{"type": "tool_use", "id": "call_9", "name": "weather",
                                               "input": {"city": "Taipei"}}]
    assert sent["messages"][2]["content"] == [{"type": "tool_result", "tool_use_id": "call_9", "content": "Sunny"}]
    assert (sent["stop_sequences"], sent["temperature"]) == (["END"], 1.0)


def test_json_schema_passes_through_to_openai_upstream(harness: Harness) -> None:
    upstream = harness.upstream("openai", "up")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "qwen")]))
    schema = {"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "object"}, "strict": True}}
    gw.openai().chat.completions.create(model="m", response_format=schema, messages=[{"role": "user", "content": "x"}])
    assert upstream.requests[0]["response_format"] == schema


def test_streamed_tool_calls_translate_both_ways(upstream_gateway) -> None:
    _upstream, gw = upstream_gateway
    chunks = list(gw.openai().chat.completions.create(
        model="m", tools=[WEATHER_OPENAI], messages=[{"role": "user", "content": "w?"}], stream=True))
    arguments = "".join(c.choices[0].delta.tool_calls[0].function.arguments or ""
                        for c in chunks if c.choices and c.choices[0].delta.tool_calls)
    assert json.loads(arguments) == {"city": "Taipei"}
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    with gw.anthropic().messages.stream(model="m", max_tokens=50, tools=[WEATHER_ANTHROPIC],
                                        messages=[{"role": "user", "content": "w?"}]) as stream:
        events = [event.type for event in stream]
        final = stream.get_final_message()
    assert events[0] == "message_start" and events[-1] == "message_stop"
    assert {"content_block_start", "content_block_delta", "content_block_stop", "message_delta"} <= set(events)
    assert final.stop_reason == "tool_use"
    assert final.content[0].text == "Hello from the fake upstream."
    assert final.content[1].input == {"city": "Taipei"}
    assert final.usage.output_tokens == 7


def test_embeddings_and_models(upstream_gateway) -> None:
    upstream, gw = upstream_gateway
    client = gw.openai()
    if upstream.api == "openai":
        result = client.embeddings.create(model="embed", input="hello")
        assert result.data[0].embedding == [0.1, 0.2, 0.3]
    else:
        with pytest.raises(openai.BadRequestError, match="no embeddings"):
            client.embeddings.create(model="embed", input="hello")
    assert sorted(m.id for m in client.models.list()) == ["embed", "m"]
    assert sorted(m.id for m in gw.anthropic().models.list()) == ["embed", "m"]


def test_unknown_model_is_an_error_in_each_protocol(upstream_gateway) -> None:
    _, gw = upstream_gateway
    with pytest.raises(openai.NotFoundError) as raised:
        gw.openai().chat.completions.create(model="nope", messages=[{"role": "user", "content": "x"}])
    assert raised.value.code == "model_not_found" and "serves embed, m" in raised.value.message
    with pytest.raises(anthropic.NotFoundError) as anthropic_raised:
        gw.anthropic().messages.create(model="nope", max_tokens=5, messages=[{"role": "user", "content": "x"}])
    assert anthropic_raised.value.body["error"]["type"] == "not_found_error"


def test_invalid_json_is_a_400_in_the_client_protocol(upstream_gateway) -> None:
    _, gw = upstream_gateway
    request = urllib.request.Request(f"{gw.url}/v1/messages", data=b"{not json", method="POST",
                                     headers={"Content-Type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=5)
    assert raised.value.code == 400
    body = json.loads(raised.value.read())
    assert body["type"] == "error" and "not valid JSON" in body["error"]["message"]


@pytest.mark.parametrize("field", [
    {"messages": "hello"}, {"messages": [{"role": "user", "content": 5}]}, {"messages": [{"content": "x"}]},
    {"max_tokens": "ten"}, {"max_tokens": True}, {"temperature": "hot"}, {"stream": "yes"}, {"tools": {}},
    {"tools": [{"type": "function", "function": "weather"}]}, {"stop": [1]},
])
def test_wrongly_typed_fields_are_a_400_in_the_openai_protocol(harness: Harness, field) -> None:
    upstream = harness.upstream("anthropic", "up")  # a route that translates
    gw = harness.gateway(route_toml("m", [target(upstream, "anthropic", "claude")]))
    with pytest.raises(openai.BadRequestError) as raised:
        gw.openai().chat.completions.create(model="m", messages=[{"role": "user", "content": "x"}],
                                            extra_body=field)
    assert raised.value.body["type"] == "invalid_request_error"
    assert next(iter(field)) in raised.value.message, "the message names the field"
    assert upstream.requests == []
    harness.flush(gw)
    assert gw.gateway.telemetry.store.recent(1)[0].status == 400


@pytest.mark.parametrize("field", [
    {"messages": "hello"}, {"messages": [{"role": "system", "content": "x"}]},
    {"messages": [{"role": "user", "content": [{"text": "no type"}]}]}, {"max_tokens": "ten"},
    {"system": 5}, {"top_k": 1.5}, {"stop_sequences": "END"}, {"tools": [{"input_schema": {}}]},
])
def test_wrongly_typed_fields_are_a_400_in_the_anthropic_protocol(harness: Harness, field) -> None:
    upstream = harness.upstream("openai", "up")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]))
    with pytest.raises(anthropic.BadRequestError) as raised:
        gw.anthropic().messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x"}],
                                       extra_body=field)
    assert raised.value.body["error"]["type"] == "invalid_request_error"
    assert upstream.requests == []
    harness.flush(gw)
    assert gw.gateway.telemetry.store.recent(1)[0].status == 400
