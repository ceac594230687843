"""Exact and regular-expression match against what the prompt set says the answer is."""

from __future__ import annotations

import re

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.base import Answer, Score


class ExactMatch:
    name = "exact"

    def applies(self, prompt: Prompt) -> bool:
        return prompt.expected is not None

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        expected = (prompt.expected or "").strip()
        if answer.text.strip() == expected:
            return Score(self.name, True, "the answer is exactly the expected one")
        return Score(self.name, False, f"expected {_short(expected)!r}, got {_short(answer.text.strip())!r}")


class RegexMatch:
    name = "regex"

    def applies(self, prompt: Prompt) -> bool:
        return prompt.expected_regex is not None

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        pattern = prompt.expected_regex or ""
        if re.search(pattern, answer.text, re.DOTALL):
            return Score(self.name, True, f"the answer matches /{pattern}/")
        return Score(self.name, False, f"the answer does not match /{pattern}/: {_short(answer.text)!r}")


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
