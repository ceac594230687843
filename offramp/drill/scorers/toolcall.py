"""Tool-call agreement: the fallback calls the same tool, with the same argument names, valid for the tool."""

from __future__ import annotations

import json
from typing import Any

from offramp.drill.prompts import Prompt, ToolCall
from offramp.drill.scorers.base import Answer, Score
from offramp.drill.scorers.structured import schema_problem


class ToolCallScorer:
    name = "tool_call"

    def applies(self, prompt: Prompt) -> bool:
        return prompt.expected_tool_call is not None

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        assert prompt.expected_tool_call is not None
        return agreement(self.name, prompt.expected_tool_call, prompt.tools or [], answer)


def agreement(scorer: str, expected: ToolCall, tools: list[dict[str, Any]], answer: Answer) -> Score:
    """Whether the answer's first tool call is ``expected``: same tool, same argument names, valid arguments."""
    if not answer.tool_calls:
        return Score(scorer, False, f"expected a call of {expected.name!r}, the answer called no tool")
    function = answer.tool_calls[0].get("function") or {}
    name = function.get("name")
    if name != expected.name:
        return Score(scorer, False, f"expected a call of {expected.name!r}, got {name!r}")
    arguments = call_arguments(answer.tool_calls[0])
    if arguments is None:
        return Score(scorer, False, f"{name}: the arguments are not a JSON object")
    if sorted(arguments) != sorted(expected.arguments):
        return Score(scorer, False, f"{name}: argument names {sorted(arguments)}, expected "
                                    f"{sorted(expected.arguments)}")
    if (schema := _parameters(tools, name)) and (problem := schema_problem(arguments, schema)):
        return Score(scorer, False, f"{name}: the arguments do not meet the tool's schema: {problem}")
    return Score(scorer, True, f"called {name} with {', '.join(sorted(arguments)) or 'no arguments'}")


def call_arguments(call: dict[str, Any]) -> dict[str, Any] | None:
    """The arguments of an OpenAI tool call as an object; None when they are not a JSON object."""
    try:
        arguments = json.loads((call.get("function") or {}).get("arguments") or "{}")
    except ValueError:
        return None
    return arguments if isinstance(arguments, dict) else None


def _parameters(tools: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    for tool in tools:
        function = tool.get("function") or {}
        if function.get("name") == name:
            return function.get("parameters")
    return None
