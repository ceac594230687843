"""Translating requests and whole responses between Anthropic Messages and OpenAI Chat Completions.

Streams are translated event by event in :mod:`offramp.gateway.streams`; both share the stop-reason maps here.
A :class:`TranslationError` means the request needs something the target's protocol cannot express: the
target is skipped for this request and stays healthy.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use",
                  "function_call": "tool_use", "content_filter": "refusal"}
OPENAI_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
                 "pause_turn": "stop", "refusal": "content_filter", "model_context_window_exceeded": "length"}


class TranslationError(Exception):
    """The request uses a feature the target's protocol cannot carry."""


# -- requests ------------------------------------------------------------------------------------------


def anthropic_to_openai_request(body: dict[str, Any], model: str) -> dict[str, Any]:
    messages: list[dict[str, Any]] = []
    if system := body.get("system"):
        messages.append({"role": "system", "content": system if isinstance(system, str) else _joined_text(system)})
    for message in body.get("messages", ()):
        messages.extend(_openai_messages(message))
    out: dict[str, Any] = {"model": model, "messages": messages}
    if "max_tokens" in body:
        out["max_tokens"] = body["max_tokens"]
    for key in ("temperature", "top_p"):
        if key in body:
            out[key] = body[key]
    if stop := body.get("stop_sequences"):
        out["stop"] = stop
    if tools := body.get("tools"):
        out["tools"] = [_openai_tool(tool) for tool in tools]
    if choice := body.get("tool_choice"):
        kind = choice.get("type")
        out["tool_choice"] = ({"type": "function", "function": {"name": choice["name"]}} if kind == "tool"
                              else {"any": "required", "none": "none"}.get(kind, "auto"))
        if choice.get("disable_parallel_tool_use"):
            out["parallel_tool_calls"] = False
    if user := (body.get("metadata") or {}).get("user_id"):
        out["user"] = user
    if body.get("stream"):
        out["stream"] = True
        out["stream_options"] = {"include_usage": True}
    return out


def _openai_messages(message: dict[str, Any]) -> list[dict[str, Any]]:
    role, content = message.get("role"), message.get("content")
    if isinstance(content, str):
        return [{"role": role, "content": content}]
    if role == "assistant":
        text = "".join(b.get("text", "") for b in content if b.get("type") == "text")
        calls = [{"id": b["id"], "type": "function",
                  "function": {"name": b["name"], "arguments": json.dumps(b.get("input", {}))}}
                 for b in content if b.get("type") == "tool_use"]
        out: dict[str, Any] = {"role": "assistant", "content": text or None}
        if calls:
            out["tool_calls"] = calls
        return [out]
    tool_messages: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    for block in content:
        kind = block.get("type")
        if kind == "tool_result":
            result = block.get("content", "")
            text = result if isinstance(result, str) else _joined_text(result, what="a tool result")
            if block.get("is_error"):
                text = f"Error: {text}"
            tool_messages.append({"role": "tool", "tool_call_id": block["tool_use_id"], "content": text})
        elif kind == "text":
            parts.append({"type": "text", "text": block["text"]})
        elif kind == "image":
            parts.append({"type": "image_url", "image_url": {"url": _image_url(block["source"])}})
        else:
            raise TranslationError(f"content block type {kind!r} has no OpenAI Chat Completions equivalent")
    if parts:
        only_text = all(p["type"] == "text" for p in parts)
        tool_messages.append({"role": role, "content": "".join(p["text"] for p in parts) if only_text else parts})
    return tool_messages


def _image_url(source: dict[str, Any]) -> str:
    if source.get("type") == "base64":
        return f"data:{source['media_type']};base64,{source['data']}"
    if source.get("type") == "url":
        return str(source["url"])
    raise TranslationError(f"image source type {source.get('type')!r} has no OpenAI equivalent")


def _joined_text(blocks: list[dict[str, Any]], what: str = "a system prompt") -> str:
    if any(b.get("type") != "text" for b in blocks):
        raise TranslationError(f"only text can be carried in {what} across protocols")
    return "".join(b["text"] for b in blocks)


def _openai_tool(tool: dict[str, Any]) -> dict[str, Any]:
    if "input_schema" not in tool:
        raise TranslationError(f"tool {tool.get('name')!r} ({tool.get('type')}) is a provider-only tool "
                               "that OpenAI-compatible servers do not run")
    function = {"name": tool["name"], "parameters": tool["input_schema"]}
    if description := tool.get("description"):
        function["description"] = description
    return {"type": "function", "function": function}


def openai_to_anthropic_request(body: dict[str, Any], model: str, default_max_tokens: int) -> dict[str, Any]:
    if body.get("n", 1) != 1:
        raise TranslationError("n > 1 (several choices) has no Anthropic Messages equivalent")
    system: list[str] = []
    messages: list[dict[str, Any]] = []
    for message in body.get("messages", ()):
        role = message.get("role")
        if role in ("system", "developer"):
            system.append(_text_of(message.get("content")))
            continue
        blocks = _anthropic_blocks(message)
        anthropic_role = "assistant" if role == "assistant" else "user"
        if messages and messages[-1]["role"] == anthropic_role:
            messages[-1]["content"].extend(blocks)  # Anthropic alternates roles; tool results merge
        else:
            messages.append({"role": anthropic_role, "content": blocks})
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_object":
        system.append("Answer with a single JSON object and nothing else.")
    elif fmt.get("type") == "json_schema":
        schema = json.dumps((fmt.get("json_schema") or {}).get("schema", {}))
        system.append(f"Answer with a single JSON object that validates against this JSON schema: {schema}")
    out: dict[str, Any] = {
        "model": model, "messages": messages,
        "max_tokens": body.get("max_completion_tokens") or body.get("max_tokens") or default_max_tokens,
    }
    if system:
        out["system"] = "\n\n".join(system)
    if "temperature" in body and body["temperature"] is not None:
        out["temperature"] = min(float(body["temperature"]), 1.0)  # Anthropic's range is 0..1
    if body.get("top_p") is not None:
        out["top_p"] = body["top_p"]
    if stop := body.get("stop"):
        out["stop_sequences"] = [stop] if isinstance(stop, str) else list(stop)
    if tools := body.get("tools"):
        out["tools"] = [_anthropic_tool(tool) for tool in tools]
    choice = body.get("tool_choice")
    if choice is not None or body.get("parallel_tool_calls") is False:
        anthropic_choice: dict[str, Any] = (
            {"type": "tool", "name": choice["function"]["name"]} if isinstance(choice, dict)
            else {"type": {"required": "any", "none": "none"}.get(choice or "auto", "auto")})
        if body.get("parallel_tool_calls") is False:
            anthropic_choice["disable_parallel_tool_use"] = True
        out["tool_choice"] = anthropic_choice
    if user := body.get("user"):
        out["metadata"] = {"user_id": user}
    if body.get("stream"):
        out["stream"] = True
    return out


def _text_of(content: Any) -> str:
    if content is None or isinstance(content, str):
        return content or ""
    return "".join(part.get("text", "") for part in content if part.get("type") == "text")


def _anthropic_blocks(message: dict[str, Any]) -> list[dict[str, Any]]:
    role, content = message.get("role"), message.get("content")
    if role == "tool":
        return [{"type": "tool_result", "tool_use_id": message["tool_call_id"], "content": _text_of(content)}]
    blocks: list[dict[str, Any]] = []
    if isinstance(content, str):
        if content:
            blocks.append({"type": "text", "text": content})
    else:
        for part in content or ():
            kind = part.get("type")
            if kind == "text":
                blocks.append({"type": "text", "text": part["text"]})
            elif kind == "image_url":
                blocks.append({"type": "image", "source": _image_source(part["image_url"]["url"])})
            else:
                raise TranslationError(f"content part type {kind!r} has no Anthropic Messages equivalent")
    for call in message.get("tool_calls") or ():
        try:
            arguments = json.loads(call["function"].get("arguments") or "{}")
        except json.JSONDecodeError:
            raise TranslationError(f"tool call {call.get('id')!r} has arguments that are not JSON") from None
        blocks.append({"type": "tool_use", "id": call["id"], "name": call["function"]["name"], "input": arguments})
    return blocks


def _image_source(url: str) -> dict[str, Any]:
    if url.startswith("data:"):
        header, _, data = url.partition(",")
        return {"type": "base64", "media_type": header[5:].split(";")[0], "data": data}
    return {"type": "url", "url": url}


def _anthropic_tool(tool: dict[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        raise TranslationError(f"tool type {tool.get('type')!r} has no Anthropic Messages equivalent")
    function = tool["function"]
    out = {"name": function["name"],
           "input_schema": function.get("parameters") or {"type": "object", "properties": {}}}
    if description := function.get("description"):
        out["description"] = description
    return out


# -- responses -----------------------------------------------------------------------------------------


def openai_to_anthropic_response(body: dict[str, Any]) -> dict[str, Any]:
    choice = (body.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    content: list[dict[str, Any]] = []
    if text := message.get("content"):
        content.append({"type": "text", "text": text})
    for call in message.get("tool_calls") or ():
        try:
            arguments = json.loads(call["function"].get("arguments") or "{}")
        except json.JSONDecodeError:
            arguments = {"_raw_arguments": call["function"].get("arguments")}
        content.append({"type": "tool_use", "id": call["id"], "name": call["function"]["name"], "input": arguments})
    usage = body.get("usage") or {}
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", ""),
        "content": content,
        "stop_reason": ANTHROPIC_STOP.get(choice.get("finish_reason") or "stop", "end_turn"),
        "stop_sequence": None,
        "usage": {"input_tokens": usage.get("prompt_tokens", 0), "output_tokens": usage.get("completion_tokens", 0)},
    }


def anthropic_to_openai_response(body: dict[str, Any]) -> dict[str, Any]:
    text = "".join(b.get("text", "") for b in body.get("content", ()) if b.get("type") == "text")
    calls = [{"id": b["id"], "type": "function", "function": {"name": b["name"], "arguments": json.dumps(b["input"])}}
             for b in body.get("content", ()) if b.get("type") == "tool_use"]
    message: dict[str, Any] = {"role": "assistant", "content": text or None, "refusal": None}
    if calls:
        message["tool_calls"] = calls
    prompt, completion = anthropic_usage(body.get("usage") or {})
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": OPENAI_FINISH.get(body.get("stop_reason") or "end_turn", "stop")}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
    }


def anthropic_usage(usage: dict[str, Any]) -> tuple[int, int]:
    """(input, output) tokens; cached prompt tokens count as input, as OpenAI counts them."""
    prompt = (usage.get("input_tokens") or 0) + (usage.get("cache_read_input_tokens") or 0) + (
        usage.get("cache_creation_input_tokens") or 0)
    return prompt, usage.get("output_tokens") or 0


def usage_of(api: str, body: dict[str, Any]) -> tuple[int, int]:
    usage = body.get("usage") or {}
    if api == "anthropic":
        return anthropic_usage(usage)
    return usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0


def translate_request(client_api: str, target_api: str, body: dict[str, Any], model: str,
                      default_max_tokens: int) -> dict[str, Any]:
    """The body to send to a target, in its protocol, naming its model."""
    if client_api == target_api:
        out = dict(body, model=model)
        if target_api == "openai" and body.get("stream"):
            out["stream_options"] = {**(body.get("stream_options") or {}), "include_usage": True}
        return out
    if client_api == "anthropic":
        return anthropic_to_openai_request(body, model)
    return openai_to_anthropic_request(body, model, default_max_tokens)


def translate_response(client_api: str, target_api: str, body: dict[str, Any]) -> dict[str, Any]:
    if client_api == target_api:
        return body
    if client_api == "anthropic":
        return openai_to_anthropic_response(body)
    return anthropic_to_openai_response(body)
