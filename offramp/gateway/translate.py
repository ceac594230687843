"""Translating requests and whole responses between Anthropic Messages and OpenAI Chat Completions.

Streams are translated event by event in :mod:`offramp.gateway.streams`; both share the stop-reason maps here.
A :class:`TranslationError` means the request needs something the target's protocol cannot express: the
target is skipped for this request and stays healthy. Options that have no equivalent but do not change
what the answer is (a seed, logprobs, penalties, a clamped temperature) are dropped and named in ``notes``,
which the client sees in the ``x-offramp-untranslated`` header: never dropped silently.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from offramp.gateway.config import Target

ANTHROPIC_STOP = {"stop": "end_turn", "length": "max_tokens", "tool_calls": "tool_use",
                  "function_call": "tool_use", "content_filter": "refusal"}
OPENAI_FINISH = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length", "tool_use": "tool_calls",
                 "pause_turn": "stop", "refusal": "content_filter", "model_context_window_exceeded": "length"}
_OPENAI_ONLY = ("seed", "logprobs", "top_logprobs", "presence_penalty", "frequency_penalty", "logit_bias",
                "reasoning_effort", "prediction", "service_tier")
"""OpenAI Chat Completions options Anthropic Messages has no equivalent for."""
_SELF_HOSTED_SAMPLING = ("top_k",)
"""Anthropic sampling options that vLLM, SGLang and llama.cpp accept on their OpenAI API, OpenAI itself not."""


class TranslationError(Exception):
    """The request uses a feature the target's protocol cannot carry."""


# -- requests ------------------------------------------------------------------------------------------


def anthropic_to_openai_request(body: dict[str, Any], model: str, notes: list[str] | None = None,
                                self_hosted: bool = False) -> dict[str, Any]:
    notes = [] if notes is None else notes
    messages: list[dict[str, Any]] = []
    if system := body.get("system"):
        messages.append({"role": "system", "content": system if isinstance(system, str) else _joined_text(system)})
    for message in body.get("messages", ()):
        messages.extend(_openai_messages(message, notes))
    out: dict[str, Any] = {"model": model, "messages": messages}
    if "max_tokens" in body:
        out["max_tokens"] = body["max_tokens"]
    for key in ("temperature", "top_p"):
        if key in body:
            out[key] = body[key]
    for key in _SELF_HOSTED_SAMPLING:
        if key in body:
            if self_hosted:
                out[key] = body[key]
            else:
                notes.append(key)
    if effort := (body.get("output_config") or {}).get("effort"):
        out["reasoning_effort"] = effort
    if (body.get("thinking") or {}).get("type") == "enabled":
        notes.append("thinking")  # OpenAI-compatible servers switch reasoning on per model, not per request
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


def _openai_messages(message: dict[str, Any], notes: list[str]) -> list[dict[str, Any]]:
    role, content = message.get("role"), message.get("content")
    if isinstance(content, str):
        return [{"role": role, "content": content}]
    if role == "assistant":
        if any(b.get("type") in ("thinking", "redacted_thinking") for b in content) and "thinking blocks" not in notes:
            notes.append("thinking blocks")  # earlier reasoning, which Chat Completions cannot take back
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


def openai_to_anthropic_request(body: dict[str, Any], model: str, default_max_tokens: int,
                                notes: list[str] | None = None) -> dict[str, Any]:
    notes = [] if notes is None else notes
    if (body.get("n") or 1) != 1:
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
    forced_tool = schema_tool(body) if not body.get("tools") else None
    if fmt.get("type") == "json_object":
        system.append("Answer with a single JSON object and nothing else.")
    elif fmt.get("type") == "json_schema" and forced_tool is None:
        schema = json.dumps((fmt.get("json_schema") or {}).get("schema", {}))
        system.append(f"Answer with a single JSON object that validates against this JSON schema: {schema}")
    out: dict[str, Any] = {
        "model": model, "messages": messages,
        "max_tokens": body.get("max_completion_tokens") or body.get("max_tokens") or default_max_tokens,
    }
    if system:
        out["system"] = "\n\n".join(system)
    if body.get("temperature") is not None:
        out["temperature"] = min(float(body["temperature"]), 1.0)  # Anthropic's range is 0..1, OpenAI's 0..2
        if body["temperature"] > 1:
            notes.append("temperature (clamped to 1)")
    notes.extend(key for key in _OPENAI_ONLY if body.get(key) not in (None, False))
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
    if forced_tool is not None:
        # Structured output the Anthropic way: the schema becomes the one tool the model must call.
        json_schema = fmt["json_schema"]
        tool = {"name": forced_tool, "input_schema": json_schema["schema"]}
        if description := json_schema.get("description"):
            tool["description"] = description
        out["tools"], out["tool_choice"] = [tool], {"type": "tool", "name": forced_tool}
    if user := body.get("user"):
        out["metadata"] = {"user_id": user}
    if body.get("stream"):
        out["stream"] = True
    return out


def json_schema_of(body: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON schema an OpenAI request asks its answer to follow (``response_format``), if any."""
    fmt = body.get("response_format")
    if isinstance(fmt, dict) and fmt.get("type") == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema")
        return schema if isinstance(schema, dict) else None
    return None


def schema_tool(body: dict[str, Any]) -> str | None:
    """The tool name that carries a JSON-schema answer on Anthropic targets (None: no schema asked)."""
    if json_schema_of(body) is None:
        return None
    name = str((body["response_format"].get("json_schema") or {}).get("name") or "json_answer")
    return name if name.replace("_", "").replace("-", "").isalnum() else "json_answer"


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
    if reasoning := message.get("reasoning_content") or message.get("reasoning"):
        # vLLM, SGLang and DeepSeek return reasoning beside the answer; Anthropic has a block for it.
        content.append({"type": "thinking", "thinking": reasoning, "signature": ""})
    if text := message.get("content"):
        content.append({"type": "text", "text": text})
    if refusal := message.get("refusal"):
        content.append({"type": "text", "text": refusal})
    for call in message.get("tool_calls") or ():
        try:
            arguments = json.loads(call["function"].get("arguments") or "{}")
        except json.JSONDecodeError:
            arguments = {"_raw_arguments": call["function"].get("arguments")}
        content.append({"type": "tool_use", "id": call["id"], "name": call["function"]["name"], "input": arguments})
    usage = body.get("usage") or {}
    stop_reason = ANTHROPIC_STOP.get(choice.get("finish_reason") or "stop", "end_turn")
    stop_sequence = choice.get("stop_reason")  # vLLM and SGLang name the stop string that ended the answer
    if message.get("refusal"):
        stop_reason = "refusal"
    elif stop_reason == "end_turn" and isinstance(stop_sequence, str):
        stop_reason = "stop_sequence"
    cached = (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", ""),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": stop_sequence if stop_reason == "stop_sequence" else None,
        "usage": {"input_tokens": (usage.get("prompt_tokens") or 0) - cached,
                  "output_tokens": usage.get("completion_tokens") or 0, "cache_read_input_tokens": cached},
    }


def anthropic_to_openai_response(body: dict[str, Any], forced_tool: str | None = None) -> dict[str, Any]:
    """``forced_tool``: the tool that carried a JSON-schema answer (see :func:`schema_tool`); it becomes the text."""
    blocks = body.get("content", ())
    text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
    calls = [{"id": b["id"], "type": "function", "function": {"name": b["name"], "arguments": json.dumps(b["input"])}}
             for b in blocks if b.get("type") == "tool_use"]
    stop_reason = body.get("stop_reason") or "end_turn"
    if forced_tool is not None:
        answers = [b for b in blocks if b.get("type") == "tool_use" and b.get("name") == forced_tool]
        if answers:
            text, calls, stop_reason = json.dumps(answers[0]["input"]), [], "end_turn"
    refused = stop_reason == "refusal"
    message: dict[str, Any] = {"role": "assistant", "content": None if refused else text or None,
                               "refusal": (text or "The model declined to answer.") if refused else None}
    if calls:
        message["tool_calls"] = calls
    if reasoning := "".join(b.get("thinking", "") for b in blocks if b.get("type") == "thinking"):
        message["reasoning_content"] = reasoning  # where vLLM, SGLang and DeepSeek put it
    usage = body.get("usage") or {}
    prompt, completion = anthropic_usage(usage)
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", ""),
        "choices": [{"index": 0, "message": message, "logprobs": None,
                     "finish_reason": OPENAI_FINISH.get(stop_reason, "stop")}],
        "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                  "prompt_tokens_details": {"cached_tokens": usage.get("cache_read_input_tokens") or 0}},
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


def translate_request(client_api: str, target: Target, body: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The body to send to a target, in its protocol, naming its model; ``notes`` gets what was dropped."""
    if client_api == target.api:
        out = dict(body, model=target.model)
        if target.api == "openai" and body.get("stream"):
            out["stream_options"] = {**(body.get("stream_options") or {}), "include_usage": True}
        return out
    if client_api == "anthropic":
        return anthropic_to_openai_request(body, target.model, notes, target.self_hosted)
    return openai_to_anthropic_request(body, target.model, target.max_tokens, notes)


def translate_response(client_api: str, target_api: str, body: dict[str, Any],
                       request: dict[str, Any]) -> dict[str, Any]:
    if client_api == target_api:
        return body
    if client_api == "anthropic":
        return openai_to_anthropic_response(body)
    return anthropic_to_openai_response(body, None if request.get("tools") else schema_tool(request))
