"""Fake upstream model servers on 127.0.0.1 that speak the OpenAI and Anthropic wire formats.

A test sets ``mode`` to make a server misbehave the way real ones do: answer 401/403/429/451/500, refuse by
region, hang before answering, stall before the first token, or cut a stream in the middle of an answer.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

WORDS = ["Hello", " from", " the", " fake", " upstream", "."]
REGION_BODIES = {
    "openai": {"error": {"code": "unsupported_country_region_territory",
                         "message": "Country, region, or territory not supported", "param": None,
                         "type": "request_forbidden"}},
    "anthropic": {"type": "error", "error": {"type": "permission_error",
                                             "message": "Anthropic's API is not available in your region."}},
}


def _error(api: str, status: int, message: str) -> dict[str, Any]:
    if api == "anthropic":
        return {"type": "error", "error": {"type": "api_error", "message": message}}
    return {"error": {"message": message, "type": "server_error", "param": None, "code": None}}


@dataclass
class FakeUpstream:
    api: str
    name: str
    mode: Any = "ok"
    """"ok", an HTTP status, "region", "hang", "stall" (stream: headers, then silence), "cut" (stream breaks
    after two words), "bad_request" (400 about the request)."""
    words: list[str] = field(default_factory=lambda: list(WORDS))
    retry_after: str | None = None
    location: str | None = None
    structured: Any = field(default_factory=lambda: {"city": "Taipei"})
    """The answer to a request for JSON-schema output (response_format, or a forced Anthropic tool)."""
    refusal: str | None = None
    reasoning: str | None = None
    """Reasoning returned beside the answer (OpenAI-compatible ``reasoning_content``, Anthropic thinking)."""
    stop_hit: str | None = None
    """The stop sequence that ended the answer (Anthropic ``stop_sequence``, vLLM ``stop_reason``)."""
    cached: int = 0
    """Prompt tokens read from the provider's cache."""
    """Sent as ``Location`` with an HTTP status mode (a 3xx redirect)."""
    cut_at: int = 4
    slow: dict[str, float] = field(default_factory=dict)
    """Seconds to think before answering a request whose last message has this text (a long generation)."""
    """In "cut" mode, the index of the SSE frame where the connection drops."""
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    probes: int = 0
    port: int = 0
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}" + ("" if self.api == "anthropic" else "/v1")

    async def start(self) -> None:
        app = web.Application()
        app.add_routes([web.post("/v1/chat/completions", self.chat), web.post("/v1/messages", self.chat),
                        web.post("/v1/embeddings", self.embeddings), web.get("/v1/models", self.models)])
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._released.set()  # hanging handlers return, so shutdown does not wait for them
        if self._runner:
            await self._runner.cleanup()

    async def models(self, request: web.Request) -> web.Response:
        self.probes += 1
        if (failure := await self._failure()) is not None:
            return failure
        return web.json_response({"object": "list", "data": [{"id": self.name, "object": "model"}]})

    async def _failure(self) -> web.StreamResponse | None:
        mode = self.mode
        if mode == "hang":
            await self._released.wait()
        if mode == "region":
            return web.json_response(REGION_BODIES[self.api], status=403)
        if mode == "bad_request":
            return web.json_response(_error(self.api, 400, "messages: field required"), status=400)
        if isinstance(mode, int):
            headers = {"Retry-After": self.retry_after} if self.retry_after else {}
            if self.location:
                headers["Location"] = self.location
            return web.json_response(_error(self.api, mode, f"fake failure {mode}"), status=mode, headers=headers)
        return None

    async def embeddings(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if (failure := await self._failure()) is not None:
            return failure  # type: ignore[return-value]
        return web.json_response({"object": "list", "model": body["model"],
                                  "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2, 0.3]}],
                                  "usage": {"prompt_tokens": 3, "total_tokens": 3}})

    async def chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        if (failure := await self._failure()) is not None:
            return failure
        if delay := self.slow.get(str((body.get("messages") or [{}])[-1].get("content"))):
            await asyncio.sleep(delay)
        tool = body.get("tools", [None])[0]
        if body.get("stream"):
            return await self._stream(request, body, tool)
        return web.json_response(self._answer(body, tool))

    def _answer(self, body: dict[str, Any], tool: dict[str, Any] | None) -> dict[str, Any]:
        text = "".join(self.words)
        if self.api == "anthropic":
            content: list[dict[str, Any]] = [{"type": "text", "text": text}]
            if self.reasoning:
                content.insert(0, {"type": "thinking", "thinking": self.reasoning, "signature": "sig"})
            forced = (body.get("tool_choice") or {}).get("type") == "tool"
            if forced:
                content = [{"type": "tool_use", "id": "toolu_1", "name": body["tool_choice"]["name"],
                            "input": self.structured}]
            elif tool:
                content.append({"type": "tool_use", "id": "toolu_1", "name": tool["name"], "input": {"city": "Taipei"}})
            stop = "tool_use" if tool else "stop_sequence" if self.stop_hit else "refusal" if self.refusal else "end_turn"
            return {"id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"],
                    "content": content, "stop_reason": stop, "stop_sequence": self.stop_hit,
                    "usage": {"input_tokens": 11, "output_tokens": 7, "cache_read_input_tokens": self.cached}}
        if (body.get("response_format") or {}).get("type") == "json_schema":
            text = json.dumps(self.structured)
        message: dict[str, Any] = {"role": "assistant", "content": None if self.refusal else text,
                                   "refusal": self.refusal}
        if self.reasoning:
            message["reasoning_content"] = self.reasoning
        if tool:
            message["tool_calls"] = [{"id": "call_1", "type": "function", "function": {
                "name": tool["function"]["name"], "arguments": json.dumps({"city": "Taipei"})}}]
        choice = {"index": 0, "message": message, "finish_reason": "tool_calls" if tool else "stop",
                  "stop_reason": self.stop_hit}
        return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": body["model"],
                "choices": [choice],
                "usage": {"prompt_tokens": 11 + self.cached, "completion_tokens": 7, "total_tokens": 18 + self.cached,
                          "prompt_tokens_details": {"cached_tokens": self.cached}}}

    async def _stream(self, request: web.Request, body: dict[str, Any],
                      tool: dict[str, Any] | None) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        if self.mode == "stall":
            await self._released.wait()
        frames = self._anthropic_frames(body, tool) if self.api == "anthropic" else self._openai_frames(body, tool)
        for index, data in enumerate(frames):
            if self.mode == "cut" and index == self.cut_at:
                assert request.transport is not None
                request.transport.close()  # the connection drops in the middle of the answer
                return response
            await response.write(data.encode())
            await asyncio.sleep(0)
        await response.write_eof()
        return response

    def _structured_pieces(self) -> list[str]:
        """The JSON-schema answer, streamed in two pieces as models do (never a whole document at once)."""
        text = json.dumps(self.structured)
        return [text[:len(text) // 2], text[len(text) // 2:]]

    def _openai_frames(self, body: dict[str, Any], tool: dict[str, Any] | None) -> list[str]:
        def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1,
                                          "model": body["model"], "choices": [
                                              {"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"
        frames = [chunk({"role": "assistant", "content": ""})]
        structured = (body.get("response_format") or {}).get("type") == "json_schema"
        frames += [chunk({"content": piece}) for piece in (self._structured_pieces() if structured else self.words)]
        if tool:
            frames.append(chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function", "function": {
                "name": tool["function"]["name"], "arguments": ""}}]}))
            frames.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": '{"city": '}}]}))
            frames.append(chunk({"tool_calls": [{"index": 0, "function": {"arguments": '"Taipei"}'}}]}))
        frames.append(chunk({}, "tool_calls" if tool else "stop"))
        if (body.get("stream_options") or {}).get("include_usage"):
            frames.append("data: " + json.dumps({"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1,
                                                 "model": body["model"], "choices": [], "usage": {
                                                     "prompt_tokens": 11, "completion_tokens": 7,
                                                     "total_tokens": 18}}) + "\n\n")
        return [*frames, "data: [DONE]\n\n"]

    def _anthropic_frames(self, body: dict[str, Any], tool: dict[str, Any] | None) -> list[str]:
        def event(name: str, data: dict[str, Any]) -> str:
            return f"event: {name}\ndata: {json.dumps({'type': name, **data})}\n\n"
        frames = [event("message_start", {"message": {
            "id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"], "content": [],
            "stop_reason": None, "stop_sequence": None, "usage": {"input_tokens": 11, "output_tokens": 1}}}),
            event("content_block_start", {"index": 0, "content_block": {"type": "text", "text": ""}}),
            event("ping", {})]
        forced = (body.get("tool_choice") or {}).get("type") == "tool"  # a forced tool's answer has no text
        frames += [event("content_block_delta", {"index": 0, "delta": {"type": "text_delta", "text": w}})
                   for w in ([] if forced else self.words)]
        frames.append(event("content_block_stop", {"index": 0}))
        if tool:
            frames.append(event("content_block_start", {"index": 1, "content_block": {
                "type": "tool_use", "id": "toolu_1", "name": tool["name"], "input": {}}}))
            frames += [event("content_block_delta", {"index": 1, "delta": {
                "type": "input_json_delta", "partial_json": piece}})
                for piece in (self._structured_pieces() if forced else ['{"city": ', '"Taipei"}'])]
            frames.append(event("content_block_stop", {"index": 1}))
        frames.append(event("message_delta", {"delta": {"stop_reason": "tool_use" if tool else "end_turn",
                                                        "stop_sequence": None}, "usage": {"output_tokens": 7}}))
        frames.append(event("message_stop", {}))
        return frames
