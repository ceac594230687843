"""The one interface every scorer has: does it apply to a prompt, and how did the answer do."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from offramp.drill.prompts import Prompt


@dataclass(frozen=True)
class Answer:
    """What the gateway answered to one prompt."""

    text: str
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    """OpenAI tool calls: ``{"function": {"name": ..., "arguments": "<JSON text>"}}``."""
    finish_reason: str | None = None


@dataclass(frozen=True)
class Score:
    scorer: str
    passed: bool
    detail: str
    value: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"scorer": self.scorer, "passed": self.passed, "value": self.value, "detail": self.detail}


class Scorer(Protocol):
    name: str

    def applies(self, prompt: Prompt) -> bool:
        """The prompt carries what this scorer checks (a reference, a schema, an expected tool call...)."""
        ...

    async def score(self, prompt: Prompt, answer: Answer) -> Score: ...
