"""Streams: reading each protocol's SSE events into neutral events, and writing them in the client's protocol.

Neutral events are tuples: ``("start", id, model)``, ``("text", str)``, ``("tool", index, id, name)``,
``("args", index, json_fragment)``, ``("usage", input|None, output|None)``, ``("stop", openai_finish_reason)``,
``("end",)`` and ``("error", message)``. When client and target speak the same protocol the gateway
forwards the target's bytes untouched and only reads them (for usage, and to resume the stream elsewhere).
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from offramp.gateway.errors import error_body
from offramp.gateway.sse import frame
from offramp.gateway.translate import ANTHROPIC_STOP, OPENAI_FINISH, anthropic_usage

Event = tuple[Any, ...]
CONTENT = frozenset({"text", "tool", "args", "stop", "end"})
"""Events that put an answer on the wire: before the first of them, failing over costs the client nothing."""


class Reader:
    """Neutral events from one target's stream, remembering what the client has been sent so far."""

    def __init__(self) -> None:
        self.text = ""
        self.used_tools = False
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None
        self.message_id: str | None = None
        self.model = ""
        self.finish = "stop"
        self.answer_tool: str | None = None
        """The forced tool that carries a JSON-schema answer (see translate.schema_tool): its input is the text."""
        self._answer_index: int | None = None

    def read(self, event: str | None, data: str) -> list[Event]:
        raise NotImplementedError

    def _note(self, events: list[Event]) -> list[Event]:
        if self.answer_tool is not None:
            events = self._answer_as_text(events)
        for ev in events:
            kind = ev[0]
            if kind == "text":
                self.text += ev[1]
            elif kind == "tool":
                self.used_tools = True
            elif kind == "usage":
                self.input_tokens = ev[1] if ev[1] is not None else self.input_tokens
                self.output_tokens = ev[2] if ev[2] is not None else self.output_tokens
            elif kind == "stop":
                self.finish = ev[1]
            elif kind == "start":
                self.message_id, self.model = self.message_id or ev[1], self.model or ev[2]
        return events

    def _answer_as_text(self, events: list[Event]) -> list[Event]:
        out: list[Event] = []
        for ev in events:
            kind = ev[0]
            if kind == "tool" and ev[3] == self.answer_tool:
                self._answer_index = ev[1]
            elif kind == "args" and ev[1] == self._answer_index:
                out.append(("text", ev[2]))
            elif kind == "stop" and ev[1] == "tool_calls" and self._answer_index is not None:
                out.append(("stop", "stop"))
            else:
                out.append(ev)
        return out


class OpenAIReader(Reader):
    def __init__(self) -> None:
        super().__init__()
        self.created: int | None = None
        self.usage_only = False
        """The last chunk carried only usage (the gateway asked for it; the client may not have)."""
        self._tools: set[int] = set()

    def read(self, event: str | None, data: str) -> list[Event]:
        if data == "[DONE]":
            self.usage_only = False  # the end marker follows the usage chunk and always reaches the client
            return [("end",)]
        chunk = json.loads(data)
        if error := chunk.get("error"):
            message = error.get("message") if isinstance(error, dict) else str(error)
            return [("error", message or "the upstream stream reported an error")]
        out: list[Event] = []
        if self.created is None:
            self.created = chunk.get("created") or int(time.time())
            out.append(("start", chunk.get("id"), chunk.get("model", "")))
        choices = chunk.get("choices") or ()
        for choice in choices:
            delta = choice.get("delta") or {}
            if text := delta.get("content"):
                out.append(("text", text))
            for call in delta.get("tool_calls") or ():
                index = call.get("index", 0)
                function = call.get("function") or {}
                if index not in self._tools:
                    self._tools.add(index)
                    out.append(("tool", index, call.get("id") or f"call_{uuid.uuid4().hex[:24]}",
                                function.get("name", "")))
                if arguments := function.get("arguments"):
                    out.append(("args", index, arguments))
            if finish := choice.get("finish_reason"):
                out.append(("stop", finish))
        usage = chunk.get("usage")
        self.usage_only = not choices and bool(usage)
        if usage:
            out.append(("usage", usage.get("prompt_tokens"), usage.get("completion_tokens")))
        return self._note(out)


class AnthropicReader(Reader):
    def __init__(self) -> None:
        super().__init__()
        self.blocks = 0
        """Content blocks started so far: the index a resumed stream continues from."""
        self.open_text_block: int | None = None
        self._tool_of_block: dict[int, int] = {}

    def read(self, event: str | None, data: str) -> list[Event]:
        payload = json.loads(data)
        kind = payload.get("type", event)
        if kind == "content_block_delta":
            delta = payload["delta"]
            if delta.get("type") == "text_delta":
                return self._note([("text", delta["text"])])
            if delta.get("type") == "input_json_delta" and delta.get("partial_json"):
                return self._note([("args", self._tool_of_block.get(payload["index"], 0), delta["partial_json"])])
            return []
        if kind == "content_block_start":
            block, index = payload["content_block"], payload["index"]
            self.blocks = max(self.blocks, index + 1)
            if block.get("type") == "tool_use":
                self._tool_of_block[index] = len(self._tool_of_block)
                return self._note([("tool", self._tool_of_block[index], block["id"], block["name"])])
            if block.get("type") == "text":
                self.open_text_block = index
                return self._note([("text", block["text"])] if block.get("text") else [])
            return []
        if kind == "content_block_stop":
            if payload.get("index") == self.open_text_block:
                self.open_text_block = None
            return []
        if kind == "message_start":
            message = payload["message"]
            prompt, completion = anthropic_usage(message.get("usage") or {})
            return self._note([("start", message.get("id"), message.get("model", "")),
                               ("usage", prompt, completion or None)])
        if kind == "message_delta":
            out: list[Event] = []
            if reason := (payload.get("delta") or {}).get("stop_reason"):
                out.append(("stop", OPENAI_FINISH.get(reason, "stop")))
            if usage := payload.get("usage"):
                prompt = anthropic_usage(usage)[0] if usage.get("input_tokens") is not None else None
                out.append(("usage", prompt, usage.get("output_tokens")))
            return self._note(out)
        if kind == "message_stop":
            return [("end",)]
        if kind == "error":
            error = payload.get("error") or {}
            return [("error", error.get("message") or "the upstream stream reported an error")]
        return []


def reader_for(api: str) -> Reader:
    return AnthropicReader() if api == "anthropic" else OpenAIReader()


class Writer:
    """Client-protocol bytes from neutral events; keeps the state a resumed stream continues from."""

    def __init__(self) -> None:
        self.text = ""
        self.started = False
        self.used_tools = False
        self.input_tokens: int | None = None
        self.output_tokens: int | None = None
        self.finish = "stop"

    def write(self, events: list[Event]) -> bytes:
        raise NotImplementedError

    def close(self) -> bytes:
        raise NotImplementedError

    def error(self, message: str) -> bytes:
        raise NotImplementedError

    def _usage(self, ev: Event) -> None:
        self.input_tokens = ev[1] if ev[1] is not None else self.input_tokens
        self.output_tokens = ev[2] if ev[2] is not None else self.output_tokens


class OpenAIWriter(Writer):
    def __init__(self, model: str, include_usage: bool, chunk_id: str | None = None,
                 created: int | None = None) -> None:
        super().__init__()
        self.model = model
        self.include_usage = include_usage
        self.chunk_id = chunk_id or f"chatcmpl-{uuid.uuid4().hex[:24]}"
        self.created = created or int(time.time())

    @classmethod
    def resuming(cls, reader: OpenAIReader, include_usage: bool) -> OpenAIWriter:
        writer = cls(reader.model, include_usage, reader.message_id, reader.created)
        writer.started, writer.text, writer.used_tools = True, reader.text, reader.used_tools
        writer.input_tokens, writer.output_tokens = reader.input_tokens, reader.output_tokens
        return writer

    def _chunk(self, delta: dict[str, Any], finish: str | None = None) -> bytes:
        return frame({"id": self.chunk_id, "object": "chat.completion.chunk", "created": self.created,
                      "model": self.model, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

    def write(self, events: list[Event]) -> bytes:
        out = []
        for ev in events:
            kind = ev[0]
            if kind == "text":
                self.text += ev[1]
                out.append(self._chunk({"content": ev[1]}))
            elif kind == "args":
                out.append(self._chunk({"tool_calls": [{"index": ev[1], "function": {"arguments": ev[2]}}]}))
            elif kind == "tool":
                self.used_tools = True
                out.append(self._chunk({"tool_calls": [{"index": ev[1], "id": ev[2], "type": "function",
                                                        "function": {"name": ev[3], "arguments": ""}}]}))
            elif kind == "usage":
                self._usage(ev)
            elif kind == "stop":
                self.finish = ev[1]
            elif kind == "start" and not self.started:
                self.started = True
                out.append(self._chunk({"role": "assistant", "content": ""}))
        return b"".join(out)

    def close(self) -> bytes:
        out = [self._chunk({}, self.finish)]
        if self.include_usage:
            prompt, completion = self.input_tokens or 0, self.output_tokens or 0
            out.append(frame({"id": self.chunk_id, "object": "chat.completion.chunk", "created": self.created,
                              "model": self.model, "choices": [],
                              "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                        "total_tokens": prompt + completion}}))
        out.append(b"data: [DONE]\n\n")
        return b"".join(out)

    def error(self, message: str) -> bytes:
        # The openai SDK raises APIError on a chunk with an "error" key, as the API sends mid-stream.
        return frame(error_body("openai", 502, message, "upstream_stream_failed")) + b"data: [DONE]\n\n"


class AnthropicWriter(Writer):
    def __init__(self, model: str, message_id: str | None = None) -> None:
        super().__init__()
        self.model = model
        self.message_id = message_id or f"msg_{uuid.uuid4().hex[:24]}"
        self.next_block = 0
        self.open_block: int | None = None
        self.open_kind: str | None = None

    @classmethod
    def resuming(cls, reader: AnthropicReader) -> AnthropicWriter:
        writer = cls(reader.model, reader.message_id)
        writer.started, writer.text, writer.next_block = True, reader.text, reader.blocks
        writer.used_tools = reader.used_tools
        writer.input_tokens, writer.output_tokens = reader.input_tokens, reader.output_tokens
        if reader.open_text_block is not None:
            writer.open_block, writer.open_kind = reader.open_text_block, "text"
        return writer

    def _start_block(self, kind: str, block: dict[str, Any]) -> bytes:
        closing = self._stop_block()
        self.open_block, self.open_kind = self.next_block, kind
        self.next_block += 1
        return closing + frame({"type": "content_block_start", "index": self.open_block, "content_block": block},
                               "content_block_start")

    def _stop_block(self) -> bytes:
        if self.open_block is None:
            return b""
        index, self.open_block, self.open_kind = self.open_block, None, None
        return frame({"type": "content_block_stop", "index": index}, "content_block_stop")

    def _delta(self, delta: dict[str, Any]) -> bytes:
        return frame({"type": "content_block_delta", "index": self.open_block, "delta": delta}, "content_block_delta")

    def write(self, events: list[Event]) -> bytes:
        out = []
        for ev in events:
            kind = ev[0]
            if kind == "text":
                if self.open_kind != "text":
                    out.append(self._start_block("text", {"type": "text", "text": ""}))
                self.text += ev[1]
                out.append(self._delta({"type": "text_delta", "text": ev[1]}))
            elif kind == "args":
                out.append(self._delta({"type": "input_json_delta", "partial_json": ev[2]}))
            elif kind == "tool":
                self.used_tools = True
                out.append(self._start_block("tool", {"type": "tool_use", "id": ev[2], "name": ev[3], "input": {}}))
            elif kind == "usage":
                self._usage(ev)
            elif kind == "stop":
                self.finish = ev[1]
            elif kind == "start" and not self.started:
                self.started = True
                out.append(frame({"type": "message_start", "message": {
                    "id": self.message_id, "type": "message", "role": "assistant", "model": self.model,
                    "content": [], "stop_reason": None, "stop_sequence": None,
                    "usage": {"input_tokens": self.input_tokens or 0, "output_tokens": 0}}}, "message_start"))
                out.append(frame({"type": "ping"}, "ping"))
        return b"".join(out)

    def close(self) -> bytes:
        usage = {"output_tokens": self.output_tokens or 0}
        if self.input_tokens is not None:
            usage["input_tokens"] = self.input_tokens
        return b"".join((
            self._stop_block(),
            frame({"type": "message_delta", "delta": {"stop_reason": ANTHROPIC_STOP.get(self.finish, "end_turn"),
                                                      "stop_sequence": None}, "usage": usage}, "message_delta"),
            frame({"type": "message_stop"}, "message_stop"),
        ))

    def error(self, message: str) -> bytes:
        return frame(error_body("anthropic", 502, message), "error")


def writer_for(client_api: str, model: str, include_usage: bool) -> Writer:
    return AnthropicWriter(model) if client_api == "anthropic" else OpenAIWriter(model, include_usage)


def resuming_writer(client_api: str, reader: Reader, include_usage: bool) -> Writer:
    """A writer that continues a stream the client has so far received straight from ``reader``'s target."""
    if isinstance(reader, AnthropicReader):
        return AnthropicWriter.resuming(reader)
    assert isinstance(reader, OpenAIReader)
    return OpenAIWriter.resuming(reader, include_usage)
