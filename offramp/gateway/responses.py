"""The OpenAI Responses API front (``POST /v1/responses``): what new OpenAI SDK code calls.

A Responses request becomes a Chat Completions request once, on arrival; from there it is routed, failed
over and translated like any OpenAI request, and the answer (a chat completion, or its stream's neutral
events) is written back as a Response object or the Responses stream's semantic events. The gateway keeps
no conversation state, so ``previous_response_id`` is refused: send the conversation in ``input``.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from offramp.gateway.errors import GatewayError
from offramp.gateway.sse import frame
from offramp.gateway.streams import Event, Writer

_PARTS = {"input_text": "text", "output_text": "text", "text": "text"}


def responses_to_chat(body: dict[str, Any]) -> dict[str, Any]:
    """The Chat Completions request a Responses request asks for; raises a 400 for what cannot be carried."""
    if body.get("previous_response_id"):
        raise GatewayError(400, "previous_response_id needs conversation state, which the gateway does not keep: "
                                "send the whole conversation in input")
    messages: list[dict[str, Any]] = []
    if instructions := body.get("instructions"):
        messages.append({"role": "system", "content": instructions})
    items = body["input"]
    if isinstance(items, str):
        items = [{"role": "user", "content": items}]
    for item in items:
        _add_item(messages, item)
    chat: dict[str, Any] = {"model": body["model"], "messages": messages}
    if body.get("max_output_tokens") is not None:
        chat["max_completion_tokens"] = body["max_output_tokens"]
    for key in ("temperature", "top_p", "parallel_tool_calls", "user", "stream", "metadata"):
        if body.get(key) is not None:
            chat[key] = body[key]
    if tools := body.get("tools"):
        chat["tools"] = [_chat_tool(tool) for tool in tools]
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "function":
        chat["tool_choice"] = {"type": "function", "function": {"name": choice.get("name")}}
    elif isinstance(choice, str):
        chat["tool_choice"] = choice
    fmt = (body.get("text") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        chat["response_format"] = {"type": "json_schema", "json_schema": {
            key: fmt[key] for key in ("name", "schema", "strict", "description") if key in fmt}}
    elif fmt.get("type") == "json_object":
        chat["response_format"] = {"type": "json_object"}
    if effort := (body.get("reasoning") or {}).get("effort"):
        chat["reasoning_effort"] = effort
    return chat


def _add_item(messages: list[dict[str, Any]], item: dict[str, Any]) -> None:
    kind = item.get("type", "message")
    if kind == "message":
        content = item.get("content")
        if not isinstance(content, str):
            content = [_chat_part(part) for part in content or ()]
            if all(part["type"] == "text" for part in content):
                content = "".join(part["text"] for part in content)
        messages.append({"role": item.get("role", "user"), "content": content})
    elif kind == "function_call":
        call = {"id": item.get("call_id"), "type": "function",
                "function": {"name": item.get("name"), "arguments": item.get("arguments") or "{}"}}
        previous = messages[-1] if messages else None
        if previous and previous["role"] == "assistant" and "tool_calls" in previous:
            previous["tool_calls"].append(call)  # parallel calls are one assistant turn in Chat Completions
        else:
            messages.append({"role": "assistant", "content": None, "tool_calls": [call]})
    elif kind == "function_call_output":
        output = item.get("output")
        messages.append({"role": "tool", "tool_call_id": item.get("call_id"),
                         "content": output if isinstance(output, str) else json.dumps(output)})
    elif kind != "reasoning":  # earlier reasoning summaries: the model does not need them back
        raise GatewayError(400, f"input item type {kind!r} is not supported by this gateway")


def _chat_part(part: dict[str, Any]) -> dict[str, Any]:
    kind = part.get("type")
    if kind in _PARTS:
        return {"type": "text", "text": part.get("text", "")}
    if kind == "input_image" and part.get("image_url"):
        return {"type": "image_url", "image_url": {"url": part["image_url"]}}
    raise GatewayError(400, f"input content type {kind!r} is not supported by this gateway "
                            "(text and images by URL or data URL are)")


def _chat_tool(tool: dict[str, Any]) -> dict[str, Any]:
    if tool.get("type") != "function":
        raise GatewayError(400, f"tool type {tool.get('type')!r} is an OpenAI built-in tool, which this gateway's "
                                "targets do not run; use function tools")
    function = {key: tool[key] for key in ("name", "description", "parameters", "strict") if key in tool}
    return {"type": "function", "function": function}


# -- answers -------------------------------------------------------------------------------------------


def response_object(response_id: str, model: str, output: list[dict[str, Any]], usage: dict[str, Any],
                    finish: str, created: int | None = None) -> dict[str, Any]:
    incomplete = finish == "length"
    return {
        "id": response_id, "object": "response", "created_at": created or int(time.time()),
        "status": "incomplete" if incomplete else "completed", "model": model, "output": output,
        "incomplete_details": {"reason": "max_output_tokens"} if incomplete else None, "error": None,
        "instructions": None, "metadata": {}, "parallel_tool_calls": True, "temperature": None, "top_p": None,
        "tool_choice": "auto", "tools": [], "text": {"format": {"type": "text"}}, "usage": usage,
    }


def responses_usage(prompt: int, completion: int, cached: int = 0) -> dict[str, Any]:
    return {"input_tokens": prompt, "input_tokens_details": {"cached_tokens": cached}, "output_tokens": completion,
            "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": prompt + completion}


def chat_to_response(answer: dict[str, Any], model: str) -> dict[str, Any]:
    """A Response object from a Chat Completions answer."""
    choice = (answer.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    output: list[dict[str, Any]] = []
    if reasoning := message.get("reasoning_content"):
        output.append({"type": "reasoning", "id": _id("rs"), "summary": [{"type": "summary_text", "text": reasoning}]})
    parts: list[dict[str, Any]] = []
    if text := message.get("content"):
        parts.append({"type": "output_text", "text": text, "annotations": []})
    if refusal := message.get("refusal"):
        parts.append({"type": "refusal", "refusal": refusal})
    if parts:
        output.append({"type": "message", "id": _id("msg"), "status": "completed", "role": "assistant",
                       "content": parts})
    for call in message.get("tool_calls") or ():
        function = call.get("function") or {}
        output.append({"type": "function_call", "id": _id("fc"), "call_id": call.get("id"),
                       "name": function.get("name"), "arguments": function.get("arguments") or "",
                       "status": "completed"})
    usage = answer.get("usage") or {}
    return response_object(_id("resp"), model, output, responses_usage(
        usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0,
        (usage.get("prompt_tokens_details") or {}).get("cached_tokens") or 0), choice.get("finish_reason") or "stop")


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


class ResponsesWriter(Writer):
    """The Responses stream's semantic events from neutral stream events."""

    def __init__(self, model: str) -> None:
        super().__init__()
        self.model = model
        self.response_id = _id("resp")
        self.created = int(time.time())
        self.sequence = 0
        self.output: list[dict[str, Any]] = []
        self.open_item: dict[str, Any] | None = None
        self.item_text = ""

    def _event(self, kind: str, **data: Any) -> bytes:
        payload = {"type": kind, "sequence_number": self.sequence, **data}
        self.sequence += 1
        return frame(payload, kind)

    def _snapshot(self, status: str = "in_progress") -> dict[str, Any]:
        snapshot = response_object(self.response_id, self.model, self.output, None, self.finish, self.created)
        if status == "in_progress":
            snapshot.update(status="in_progress", incomplete_details=None)
        return snapshot  # type: ignore[return-value]

    def _open(self, item: dict[str, Any]) -> bytes:
        closing = self._close_item()
        self.open_item = item
        out = [closing, self._event("response.output_item.added", output_index=len(self.output), item=item)]
        if item["type"] == "message":
            out.append(self._event("response.content_part.added", item_id=item["id"], output_index=len(self.output),
                                   content_index=0, part={"type": "output_text", "text": "", "annotations": []}))
        return b"".join(out)

    def _close_item(self) -> bytes:
        item, self.open_item = self.open_item, None
        if item is None:
            return b""
        index = len(self.output)
        out = []
        if item["type"] == "message":
            text, self.item_text = self.item_text, ""
            part = {"type": "output_text", "text": text, "annotations": []}
            out.append(self._event("response.output_text.done", item_id=item["id"], output_index=index,
                                   content_index=0, text=text, logprobs=[]))
            out.append(self._event("response.content_part.done", item_id=item["id"], output_index=index,
                                   content_index=0, part=part))
            item = {**item, "status": "completed", "content": [part]}
        else:
            out.append(self._event("response.function_call_arguments.done", item_id=item["id"], output_index=index,
                                   arguments=item["arguments"]))
            item = {**item, "status": "completed"}
        self.output.append(item)
        out.append(self._event("response.output_item.done", output_index=index, item=item))
        return b"".join(out)

    def write(self, events: list[Event]) -> bytes:
        out = []
        for ev in events:
            kind = ev[0]
            if kind == "text":
                if self.open_item is None or self.open_item["type"] != "message":
                    out.append(self._open({"type": "message", "id": _id("msg"), "status": "in_progress",
                                           "role": "assistant", "content": []}))
                self.text += ev[1]
                self.item_text += ev[1]
                item_id = self.open_item["id"]  # type: ignore[index]
                out.append(self._event("response.output_text.delta", item_id=item_id, output_index=len(self.output),
                                       content_index=0, delta=ev[1], logprobs=[]))
            elif kind == "tool":
                self.used_tools = True
                out.append(self._open({"type": "function_call", "id": _id("fc"), "call_id": ev[2], "name": ev[3],
                                       "arguments": "", "status": "in_progress"}))
            elif kind == "args" and self.open_item is not None and self.open_item["type"] == "function_call":
                self.open_item["arguments"] += ev[2]
                out.append(self._event("response.function_call_arguments.delta", item_id=self.open_item["id"],
                                       output_index=len(self.output), delta=ev[2]))
            elif kind == "usage":
                self._usage(ev)
            elif kind == "stop":
                self.finish = ev[1]
            elif kind == "start" and not self.started:
                self.started = True
                out.append(self._event("response.created", response=self._snapshot()))
                out.append(self._event("response.in_progress", response=self._snapshot()))
        return b"".join(out)

    def close(self) -> bytes:
        closing = self._close_item()
        final = response_object(self.response_id, self.model, self.output,
                                 responses_usage(self.input_tokens or 0, self.output_tokens or 0), self.finish,
                                 self.created)
        kind = "response.incomplete" if final["status"] == "incomplete" else "response.completed"
        return closing + self._event(kind, response=final)

    def error(self, message: str) -> bytes:
        # OpenAI's error event carries code and message; the "error" object is what the openai SDK raises on.
        return self._event("error", code="upstream_stream_failed", message=message, param=None,
                           error={"message": message, "type": "server_error", "code": "upstream_stream_failed"})
