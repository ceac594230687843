"""A judge model (any route of the gateway, a self-hosted one say) grades each answer against a rubric."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.base import Answer, Score

INSTRUCTIONS = ("You grade answers of an AI assistant against a rubric. Reply with one word on the first line: "
                "PASS if the answer meets the rubric, FAIL if it does not. Then one sentence saying why.")
_VERDICT = re.compile(r"^\W*(PASS|FAIL)\b", re.IGNORECASE)

Ask = Callable[[dict[str, Any]], Awaitable[Answer]]
"""Sends an OpenAI chat request (without ``model``) to the judge's route; returns its answer."""


class JudgeScorer:
    name = "judge"

    def __init__(self, ask: Ask, rubric: str) -> None:
        self.ask = ask
        self.rubric = rubric

    def applies(self, prompt: Prompt) -> bool:
        return True

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        reply = await self.ask({"messages": [{"role": "system", "content": INSTRUCTIONS},
                                             {"role": "user", "content": self._case(prompt, answer)}]})
        verdict = _VERDICT.match(reply.text)
        if verdict is None:
            return Score(self.name, False, f"the judge gave no PASS or FAIL: {reply.text[:80]!r}")
        why = reply.text[verdict.end():].strip()[:200]
        return Score(self.name, verdict.group(1).upper() == "PASS", f"judge: {verdict.group(1).upper()} {why}".strip())

    def _case(self, prompt: Prompt, answer: Answer) -> str:
        question = next((m.get("content") for m in reversed(prompt.messages) if m.get("role") == "user"), "")
        parts = [f"Rubric:\n{self.rubric}", f"Question:\n{question}"]
        if prompt.reference:
            parts.append(f"A good answer:\n{prompt.reference}")
        parts.append(f"Answer to grade:\n{answer.text}")
        return "\n\n".join(parts)
