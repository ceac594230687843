"""JSON answers: valid JSON, and conforming to the prompt's JSON schema when it has one."""

from __future__ import annotations

import json
import re
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.base import Answer, Score

# Models often wrap JSON in a Markdown code fence; the JSON inside is what an application would parse.
_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*?)\n\s*```\s*$", re.DOTALL)


def parse_json(text: str) -> tuple[bool, Any, str]:
    """(ok, value, problem) for an answer that should be JSON, with or without a code fence."""
    fenced = _FENCE.match(text)
    try:
        return True, json.loads(fenced.group(1) if fenced else text), ""
    except ValueError as exc:
        return False, None, f"not valid JSON ({exc})"


def schema_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """None when ``value`` meets ``schema``; else the first violation, with where it is."""
    try:
        error = next(iter(Draft202012Validator(schema).iter_errors(value)), None)
    except SchemaError as exc:
        return f"the schema itself is invalid: {exc.message}"
    if error is None:
        return None
    where = "/".join(map(str, error.absolute_path)) or "(top level)"
    return f"{where}: {error.message}"


class JSONScorer:
    name = "json"

    def applies(self, prompt: Prompt) -> bool:
        return prompt.json_output or prompt.schema_ is not None

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        ok, value, problem = parse_json(answer.text)
        if not ok:
            return Score(self.name, False, problem)
        if prompt.schema_ is None:
            return Score(self.name, True, "valid JSON")
        if (violation := schema_problem(value, prompt.schema_)) is not None:
            return Score(self.name, False, f"valid JSON, but not what the schema asks: {violation}")
        return Score(self.name, True, "valid JSON that meets the schema")
