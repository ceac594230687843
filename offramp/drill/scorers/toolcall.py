"""Tool-call agreement: the fallback calls the same tool, with the same argument names, valid for the tool."""

from __future__ import annotations

import json
from typing import Any

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.base import Answer, Score
from offramp.drill.scorers.structured import schema_problem


class ToolCallScorer:
    name = "tool_call"

    def applies(self, prompt: Prompt) -> bool:
        return prompt.expected_tool_call is not None

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        expected = prompt.expected_tool_call
        assert expected is not None
        if not answer.tool_calls:
            return Score(self.name, False, f"expected a call of {expected.name!r}, the answer called no tool")
        function = answer.tool_calls[0].get("function") or {}
        name = function.get("name")
        if name != expected.name:
            return Score(self.name, False, f"expected a call of {expected.name!r}, got {name!r}")
        try:
            arguments = json.loads(function.get("arguments") or "{}")
        except ValueError:
            return Score(self.name, False, f"{name}: the arguments are not valid JSON")
        if not isinstance(arguments, dict):
            return Score(self.name, False, f"{name}: the arguments are not a JSON object")
        if sorted(arguments) != sorted(expected.arguments):
            return Score(self.name, False, f"{name}: argument names {sorted(arguments)}, expected "
                                           f"{sorted(expected.arguments)}")
        if (schema := _parameters(prompt.tools or [], name)) and (problem := schema_problem(arguments, schema)):
            return Score(self.name, False, f"{name}: the arguments do not meet the tool's schema: {problem}")
        return Score(self.name, True, f"called {name} with {', '.join(sorted(arguments)) or 'no arguments'}")


def _parameters(tools: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for tool in tools:
        function = tool.get("function") or {}
        if function.get("name") == name:
            return function.get("parameters")
    return None
