"""The drill's way through the gateway: start one (or use a running one), pull its cut-off switch, send prompts.

The cut-off goes through the gateway's own admin endpoint (``POST /admin/cutoff/{provider}``), the switch an
operator pulls by hand, so a drill tests the same failover path a real cut-off takes.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from offramp.drill.prompts import DrillError
from offramp.drill.scorers.base import Answer
from offramp.gateway.app import Gateway
from offramp.gateway.commands import ADMIN_KEY_ENV
from offramp.gateway.config import GatewayConfig
from offramp.store import open_store

DRILL_REASON = "offramp drill"


@dataclass(frozen=True)
class Reply:
    status: int
    answer: Answer
    served_by: str | None
    failovers: int
    latency_ms: float
    input_tokens: int
    output_tokens: int
    error: str = ""


def at_risk_providers(config: GatewayConfig) -> tuple[str, ...]:
    """Providers with an at-risk closed target in any route: the ones a drill cuts off."""
    return tuple(sorted({t.provider for r in config.routes.values() for t in r.targets if t.at_risk_closed}))


class DrillGateway:
    """Use as ``async with``: starts an embedded gateway (or connects to ``url``), cuts off, cleans up."""

    def __init__(self, config: GatewayConfig, url: str | None = None, timeout: float = 600) -> None:
        self.config = config
        self.url = url.rstrip("/") if url else None
        self.timeout = timeout
        self.cut: list[str] = []
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> DrillGateway:
        if self.url is None:
            # Its own gateway, telemetry in memory: the drill's traffic never mixes with production numbers.
            gateway = Gateway(self.config, store=open_store(":memory:"))
            self._runner = gateway.runner()
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        headers = {"Authorization": f"Bearer {key}"} if (key := os.environ.get(ADMIN_KEY_ENV)) else {}
        self._session = aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=self.timeout),
                                              trust_env=False)
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self._runner is None:  # a running gateway: give back what the drill took
                for provider in self.cut:
                    await self._admin("DELETE", provider)
        finally:
            if self._session is not None:
                await self._session.close()
            if self._runner is not None:
                await self._runner.cleanup()

    async def cut_off(self, providers: tuple[str, ...]) -> list[str]:
        """Cut each provider off with the gateway's switch; returns those it cut (not those already cut off)."""
        already = {t["provider"] for t in await self._state() if t["manual"]}
        for provider in providers:
            if provider not in already and await self._admin("POST", provider):
                self.cut.append(provider)
        return list(self.cut)

    async def _state(self) -> list[dict[str, Any]]:
        assert self._session is not None
        try:
            async with self._session.get(f"{self.url}/admin/state") as response:
                if response.status != 200:
                    raise DrillError(f"the gateway at {self.url} refused its admin state (HTTP {response.status}); "
                                     f"set {ADMIN_KEY_ENV} to its admin key")
                return (await response.json())["targets"]
        except aiohttp.ClientError as exc:
            raise DrillError(f"cannot reach the gateway at {self.url}: {exc}; is `offramp serve` running?") from None

    async def _admin(self, method: str, provider: str) -> bool:
        assert self._session is not None
        body = {"reason": DRILL_REASON} if method == "POST" else None
        async with self._session.request(method, f"{self.url}/admin/cutoff/{provider}", json=body) as response:
            if response.status == 404:
                return False
            if response.status != 200:
                raise DrillError(f"the gateway refused to cut off {provider} (HTTP {response.status}): "
                                 f"{(await response.text())[:200]}; set {ADMIN_KEY_ENV} to its admin key")
            return True

    async def chat(self, body: dict[str, Any]) -> Reply:
        """One OpenAI chat request through the gateway; errors come back as a Reply, never raised."""
        assert self._session is not None
        started = time.perf_counter()
        try:
            async with self._session.post(f"{self.url}/v1/chat/completions", json=body) as response:
                text = await response.text()
                headers = response.headers
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            return Reply(0, Answer(""), None, 0, (time.perf_counter() - started) * 1000, 0, 0,
                         f"no answer from the gateway: {exc or type(exc).__name__}")
        latency = (time.perf_counter() - started) * 1000
        served, failovers = headers.get("x-offramp-target"), int(headers.get("x-offramp-failovers") or 0)
        return openai_reply(status, parsed(text), text, served, failovers, latency)


def parsed(text: str) -> Any:
    """The JSON of an answer's body; {} when it is none."""
    try:
        return json.loads(text)
    except ValueError:
        return {}


def openai_reply(status: int, data: Any, text: str, served_by: str | None, failovers: int, latency_ms: float) -> Reply:
    """The Reply to an OpenAI chat answer (``data``, parsed from ``text``) or to an error."""
    if status != 200:
        message = (data.get("error") or {}).get("message") if isinstance(data, dict) else None
        return Reply(status, Answer(""), served_by, failovers, latency_ms, 0, 0, message or text[:300])
    choice = (data.get("choices") or [{}])[0]
    message = choice.get("message") or {}
    usage = data.get("usage") or {}
    return Reply(status, Answer(message.get("content") or "", message.get("tool_calls") or [],
                                choice.get("finish_reason")),
                 served_by, failovers, latency_ms, usage.get("prompt_tokens") or 0, usage.get("completion_tokens") or 0)
