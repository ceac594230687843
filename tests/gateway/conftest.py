"""A gateway and fake upstreams running on a background event loop, driven by real SDK clients."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anthropic
import openai
import pytest
from aiohttp import web

from offramp.gateway.app import Gateway
from offramp.gateway.config import parse_config
from tests.gateway.fakes import FakeUpstream

# The catalog may not list these yet; tests declare them so they do not depend on the seed data.
CATALOG = """
[[catalog.provider]]
id = "anthropic"
name = "Anthropic"
jurisdiction = "US"
base_urls = ["https://api.anthropic.com/v1"]

[[catalog.provider]]
id = "vllm"
name = "vLLM"
self_hosted = true
base_urls = ["http://localhost:8000/v1"]

[[catalog.provider]]
id = "mistral"
name = "Mistral"
jurisdiction = "FR"
base_urls = ["https://api.mistral.ai/v1"]
"""

FAST_TIMEOUTS = "timeouts = { connect = 0.5, first_byte = 0.8, idle = 0.8, total = 5 }"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    return repr(value)


def target(upstream: FakeUpstream | str, provider: str, model: str, **extra: Any) -> dict[str, Any]:
    """A target entry; ``upstream`` is a fake server or a base URL (e.g. a closed port)."""
    base_url = upstream if isinstance(upstream, str) else upstream.base_url
    api = extra.pop("api", None) or (upstream.api if isinstance(upstream, FakeUpstream) else "openai")
    return {"provider": provider, "model": model, "base_url": base_url, "api": api, **extra}


def route_toml(alias: str, targets: list[dict[str, Any]], **options: Any) -> str:
    lines = [f'[routes."{alias}"]'] + [f"{k} = {toml_value(v)}" for k, v in options.items()
                                       if not isinstance(v, dict)]
    for k, v in options.items():
        if isinstance(v, dict):
            lines.append(f'[routes."{alias}".{k}]')
            lines += [f"{kk} = {toml_value(vv)}" for kk, vv in v.items()]
    for t in targets:
        lines.append(f'[[routes."{alias}".targets]]')
        lines += [f"{k} = {toml_value(v)}" for k, v in t.items()]
        if "timeouts" not in t:
            lines.append(FAST_TIMEOUTS)
    return "\n".join(lines) + "\n"


class RunningGateway:
    def __init__(self, gateway: Gateway, port: int) -> None:
        self.gateway = gateway
        self.url = f"http://127.0.0.1:{port}"

    def openai(self, key: str = "client-key") -> openai.OpenAI:
        return openai.OpenAI(base_url=f"{self.url}/v1", api_key=key, max_retries=0, timeout=10)

    def anthropic(self, key: str = "client-key") -> anthropic.Anthropic:
        return anthropic.Anthropic(base_url=self.url, api_key=key, max_retries=0, timeout=10)


class Harness:
    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self._cleanups: list[Any] = []

    def run(self, coro: Any, timeout: float = 20) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def upstream(self, api: str, name: str = "fake") -> FakeUpstream:
        fake = FakeUpstream(api, name)
        self.run(fake.start())
        self._cleanups.append(fake.stop)
        return fake

    @staticmethod
    def closed_port_url() -> str:
        """A port nothing listens on: connections are refused."""
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}/v1"

    def gateway(self, routes: str, extra: str = "", env: dict[str, str] | None = None,
                store: str = "telemetry.sqlite") -> RunningGateway:
        text = f'[telemetry]\nstore = "{store}"\nflush_interval = 0.05\n{extra}\n{routes}\n{CATALOG}'
        config = parse_config(text, "test-gateway.toml", env or {}, self.tmp_path)
        gateway = Gateway(config)

        async def start() -> tuple[web.AppRunner, int]:
            runner = gateway.runner()
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            return runner, runner.addresses[0][1]

        runner, port = self.run(start())
        self._cleanups.append(runner.cleanup)
        return RunningGateway(gateway, port)

    def flush(self, running: RunningGateway) -> None:
        self.run(running.gateway.telemetry.flush())

    def close(self) -> None:
        for cleanup in reversed(self._cleanups):
            self.run(cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    h = Harness(tmp_path)
    try:
        yield h
    finally:
        h.close()


@pytest.fixture
def backlogged_url() -> Iterator[str]:
    """A listener whose accept queue is full: new connections hang in the handshake (a connect timeout)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    held = []
    for _ in range(4):
        client = socket.socket()
        client.setblocking(False)
        with contextlib.suppress(BlockingIOError):
            client.connect(("127.0.0.1", port))
        held.append(client)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        for client in held:
            client.close()
        server.close()
