"""Refusal detection: a fallback that says no where the primary answered is not a replacement."""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from offramp.datafiles import bundled_model
from offramp.drill.prompts import DrillError, Prompt
from offramp.drill.scorers.base import Answer, Score

_HEAD = 400
"""Refusals come first; a long answer that quotes a refusal further down is still an answer."""


class RefusalRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = Field(1, ge=1, le=1)
    patterns: list[str] = Field(min_length=1)


@cache
def refusal_pattern() -> re.Pattern[str]:
    rules = bundled_model("offramp.drill.data", "refusals.toml", RefusalRules, DrillError)
    return re.compile("|".join(f"(?:{p})" for p in rules.patterns), re.IGNORECASE)


class RefusalScorer:
    name = "refusal"

    def applies(self, prompt: Prompt) -> bool:
        return True

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        found = refusal_pattern().search(answer.text[:_HEAD])
        if prompt.expect_refusal:
            if found:
                return Score(self.name, True, f"refused, as it should: {found.group(0)!r}")
            return Score(self.name, False, "expected a refusal, the answer complied")
        if found:
            return Score(self.name, False, f"the answer is a refusal: {found.group(0)!r}")
        if not answer.text.strip() and not answer.tool_calls:
            return Score(self.name, False, "the answer is empty")
        return Score(self.name, True, "answered, no refusal")
