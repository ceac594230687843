"""The fallback's answer against the primary's answer to the same prompt: what the product gets today is the
bar, beside (not instead of) the prompt set's own checks.

Each check applies when the primary's answer says what to compare: a tool call (the fallback must call the same
tool with the same argument names, valid for the tool), a JSON object or array (the fallback's answer must be
JSON of the same kind, an object with the same keys), any other text (semantic similarity, with the
drill-embeddings extra, at least ``drill.similarity``).
"""

from __future__ import annotations

import json
from typing import Any

from offramp.drill.prompts import Prompt, ToolCall
from offramp.drill.scorers import similarity
from offramp.drill.scorers.base import Answer, Score
from offramp.drill.scorers.structured import parse_json
from offramp.drill.scorers.toolcall import agreement, call_arguments

TOOL_CALL = "primary_tool_call"
JSON = "primary_json"
SIMILARITY = "primary_similarity"


class PrimaryAgreement:
    def __init__(self, least: float) -> None:
        self.least = least

    async def score(self, prompt: Prompt, answer: Answer, primary: Answer) -> list[Score]:
        if primary.tool_calls:
            call = primary.tool_calls[0]
            expected = ToolCall(name=(call.get("function") or {}).get("name") or "?",
                                arguments=call_arguments(call) or {})
            return [agreement(TOOL_CALL, expected, prompt.tools or [], answer)]
        if answer.tool_calls:
            name = (answer.tool_calls[0].get("function") or {}).get("name")
            return [Score(TOOL_CALL, False, f"the primary answered in text, the answer called {name!r}")]
        if (shape := _json_shape(primary.text)) is not None:
            return [_same_json(shape, answer.text)]
        if primary.text.strip() and similarity.available():
            return [await similarity.similar(SIMILARITY, "the primary's answer", primary.text, answer.text,
                                             self.least)]
        return []


def _json_shape(text: str) -> dict[str, Any] | list[Any] | None:
    """The primary's answer when it is a JSON object or array (a bare number or word is an answer, not JSON)."""
    ok, value, _ = parse_json(text)
    return value if ok and isinstance(value, dict | list) else None


def _same_json(primary: dict[str, Any] | list[Any], text: str) -> Score:
    ok, value, problem = parse_json(text)
    if not ok:
        return Score(JSON, False, f"the primary answered JSON, the answer is {problem}")
    if isinstance(primary, list):
        if isinstance(value, list):
            return Score(JSON, True, "a JSON array, as the primary's")
        return Score(JSON, False, f"the primary answered a JSON array, the answer is {_kind(value)}")
    if not isinstance(value, dict):
        return Score(JSON, False, f"the primary answered a JSON object, the answer is {_kind(value)}")
    if sorted(value) != sorted(primary):
        return Score(JSON, False, f"JSON object keys {sorted(value)}, the primary's {sorted(primary)}")
    return Score(JSON, True, f"a JSON object with the primary's keys ({', '.join(sorted(primary)) or 'none'})")


def _kind(value: Any) -> str:
    named = {dict: "a JSON object", list: "a JSON array"}.get(type(value))
    return named or f"the bare JSON value {json.dumps(value)[:40]}"
