"""The route's primary, asked directly (past the gateway's cut-off) for the answer the product gets today, so
the drill can compare the fallback's answer with it.

The request takes the gateway's own translation to the primary's wire format and its key from the gateway
config; it never goes through the gateway, whose switch keeps the primary cut off for the drill's prompts.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any, Literal

import aiohttp

from offramp.drill.gateway import Reply, openai_reply, parsed
from offramp.drill.prompts import DrillError
from offramp.drill.scorers.base import Answer
from offramp.gateway.config import Target
from offramp.gateway.translate import TranslationError, translate_request, translate_response
from offramp.gateway.upstream import client_timeout, probe, request_headers
from offramp.store import PrimaryReply

CompareMode = Literal["auto", "on", "off"]
ANSWER_KEPT = 4000
"""Characters of an answer the store keeps (the fallback's too)."""


class Primary:
    """Use as ``async with``: one HTTP session to the primary target, its own (never the gateway's admin key)."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Primary:
        self._session = aiohttp.ClientSession(trust_env=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()

    async def reachable(self) -> bool:
        """Whether it lists its models: a free request, never a paid completion."""
        assert self._session is not None
        return await probe(self._session, self.target)

    async def chat(self, body: dict[str, Any]) -> Reply:
        """One OpenAI chat request, in the primary's wire format; errors come back as a Reply, never raised."""
        assert self._session is not None
        target = self.target
        started = time.perf_counter()
        try:
            payload = translate_request("openai", target, body, [])
        except TranslationError as exc:
            return Reply(0, Answer(""), target.id, 0, 0.0, 0, 0, f"cannot ask the primary: {exc}")
        try:
            async with self._session.post(target.url, json=payload, headers=request_headers(target, {}),
                                          timeout=client_timeout(target), allow_redirects=False) as response:
                text = await response.text()
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Reply(0, Answer(""), target.id, 0, (time.perf_counter() - started) * 1000, 0, 0,
                         f"no answer from the primary: {exc or type(exc).__name__}")
        latency = (time.perf_counter() - started) * 1000
        data = parsed(text)
        if status == 200 and isinstance(data, dict):
            data = translate_response("openai", target.api, data, payload)
        return openai_reply(status, data, text, target.id, 0, latency)


def primary_reply(reply: Reply) -> PrimaryReply:
    """What the store keeps of the primary's reply to one prompt."""
    target = reply.served_by or ""
    if reply.status != 200:
        error = f"HTTP {reply.status}: {reply.error}" if reply.status else reply.error
        return PrimaryReply(target, "error", reply.latency_ms, error=error)
    return PrimaryReply(target, "answered", reply.latency_ms, reply.input_tokens, reply.output_tokens,
                        reply.answer.text[:ANSWER_KEPT])


async def compared_primary(target: Target | None, mode: CompareMode,
                           stack: contextlib.AsyncExitStack) -> tuple[Primary | None, str]:
    """The primary to ask beside the fallback (open until ``stack`` closes), or None; and a sentence saying so.

    auto asks it when the gateway config gives it an API key and it answers a models listing; on asks it
    whenever it answers (and stops the drill before any prompt when it does not); off never asks.
    """
    if mode == "off" or target is None:
        return None, ("not compared with the primary (compare_with_primary is off)" if mode == "off"
                      else "not compared with a primary: the route has no at-risk target")
    if mode == "auto" and target.secret is None:
        return None, (f"not compared with the primary {target.id}: the gateway config gives it no API key "
                      "(key_env); --compare-with-primary on asks it anyway")
    primary = await stack.enter_async_context(Primary(target))
    if await primary.reachable():
        return primary, (f"compared with the primary {target.id}, asked directly past the cut-off (one more "
                         "request a prompt, counted in the budget)")
    why = f"the primary {target.id} did not answer a models listing at {target.base_url}"
    if mode == "on":
        raise DrillError(f"{why}; it cannot be compared with (--compare-with-primary auto or off drills without it)")
    return None, f"not compared with the primary: {why}"
