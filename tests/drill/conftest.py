"""A project to drill: offramp.toml, gateway.toml and prompt sets in a temporary folder, real upstreams on
127.0.0.1 (the gateway tests' fake model servers, which count every request they get)."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from tests.gateway.conftest import CATALOG, Harness, harness, route_toml, target
from tests.gateway.fakes import FakeUpstream

REPO = Path(__file__).resolve().parents[2]


class SlowUpstream(FakeUpstream):
    """A fake model server that takes ``delay`` seconds to answer, so a drill can be interrupted mid-way."""

    delay: float = 0.0
    arrived: list[str]
    """The last message of every request, on arrival (``requests`` lists them only once answered)."""

    async def chat(self, request: web.Request) -> web.StreamResponse:
        self.arrived.append(last_text(await request.json()))
        await asyncio.sleep(self.delay)
        return await super().chat(request)


def last_text(body: dict[str, Any]) -> str:
    """The last message's text, in OpenAI (a string) or Anthropic (text blocks) form."""
    content = body["messages"][-1]["content"]
    return content if isinstance(content, str) else "".join(block.get("text", "") for block in content)


def prompt_lines(count: int, **extra: Any) -> str:
    return "".join(json.dumps({"id": f"p{i}", "messages": [{"role": "user", "content": f"question {i}"}], **extra})
                   + "\n" for i in range(count))


class Project:
    def __init__(self, root: Path, harness: Harness) -> None:
        self.root = root
        self.harness = harness
        self.history = root / "history.sqlite"

    def upstream(self, api: str, name: str, delay: float = 0.0) -> SlowUpstream:
        fake = SlowUpstream(api, name)
        fake.delay = delay
        fake.arrived = []
        self.harness.run(fake.start())
        self.harness._cleanups.append(fake.stop)
        return fake

    def write(self, routes: str, policy: str, sets: dict[str, str]) -> None:
        (self.root / "gateway.toml").write_text(f"{routes}\n{CATALOG}", encoding="utf-8")
        (self.root / "offramp.toml").write_text(policy, encoding="utf-8")
        for name, text in sets.items():
            (self.root / name).parent.mkdir(parents=True, exist_ok=True)
            (self.root / name).write_text(text, encoding="utf-8")

    def standard(self, primary: FakeUpstream, fallback: FakeUpstream | str, prompts: str, policy_extra: str = "",
                 set_extra: str = "", fallback_model: str = "qwen3") -> None:
        """A route 'claude' (anthropic first, a self-hosted vLLM after it) and one prompt set for src/chat."""
        routes = self.routes(primary, fallback, fallback_model)
        policy = (f"[drill]\nconcurrency = 1\n{policy_extra}\n"
                  f'[drill.sets.chat]\nprompts = "drills/chat.jsonl"\nroute = "claude"\npaths = ["src/chat.py"]\n'
                  f"{set_extra}\n")
        self.write(routes, policy, {"drills/chat.jsonl": prompts})

    @staticmethod
    def routes(primary: FakeUpstream, fallback: FakeUpstream | str, fallback_model: str = "qwen3") -> str:
        return route_toml("claude", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                     target(fallback, "vllm", fallback_model, api="openai",
                                            timeouts={"connect": 2, "first_byte": 60, "idle": 30, "total": 120})])

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "offramp", *args]

    def env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(REPO), "OFFRAMP_HISTORY": str(self.history)}

    def drill(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.command("drill", *args, str(self.root)), capture_output=True, text=True,
                              env=self.env(), timeout=timeout, check=False)


__all__ = ["harness"]  # the gateway tests' fixture: a background event loop for upstreams and gateways


@pytest.fixture
def project(tmp_path: Path, harness: Harness) -> Project:
    return Project(tmp_path, harness)
