"""Checking a request's shape before it is routed: a wrong type is the client's 400, never a crash mid-route.

Only the fields the gateway reads or translates are checked, each against the types its API reference
allows; everything else passes through to the target, which knows its own API best.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from offramp.gateway.errors import GatewayError

_NUMBER = (int, float)
_OPTIONAL_NUMBER = (int, float, type(None))
_OPTIONAL_INT = (int, type(None))

_OPENAI_CHAT: Mapping[str, tuple[type, ...]] = {
    "messages": (list,), "stream": (bool, type(None)), "n": _OPTIONAL_INT, "max_tokens": _OPTIONAL_INT,
    "max_completion_tokens": _OPTIONAL_INT, "temperature": _OPTIONAL_NUMBER, "top_p": _OPTIONAL_NUMBER,
    "stop": (str, list, type(None)), "tools": (list, type(None)), "tool_choice": (str, dict, type(None)),
    "parallel_tool_calls": (bool, type(None)), "response_format": (dict, type(None)),
    "stream_options": (dict, type(None)), "user": (str, type(None)), "seed": _OPTIONAL_INT,
    "presence_penalty": _OPTIONAL_NUMBER, "frequency_penalty": _OPTIONAL_NUMBER, "logprobs": (bool, type(None)),
    "top_logprobs": _OPTIONAL_INT, "reasoning_effort": (str, type(None)),
}
_ANTHROPIC_MESSAGES: Mapping[str, tuple[type, ...]] = {
    "messages": (list,), "max_tokens": (int,), "system": (str, list), "stream": (bool,),
    "temperature": _NUMBER, "top_p": _NUMBER, "top_k": (int,), "stop_sequences": (list,), "tools": (list,),
    "tool_choice": (dict,), "metadata": (dict,), "thinking": (dict,), "output_config": (dict,),
}
_EMBEDDINGS: Mapping[str, tuple[type, ...]] = {
    "input": (str, list), "encoding_format": (str,), "dimensions": (int,), "user": (str,),
}
_RESPONSES: Mapping[str, tuple[type, ...]] = {
    "input": (str, list), "instructions": (str, type(None)), "stream": (bool, type(None)),
    "max_output_tokens": _OPTIONAL_INT, "temperature": _OPTIONAL_NUMBER, "top_p": _OPTIONAL_NUMBER,
    "tools": (list, type(None)), "tool_choice": (str, dict, type(None)), "text": (dict, type(None)),
    "reasoning": (dict, type(None)), "parallel_tool_calls": (bool, type(None)), "user": (str, type(None)),
    "store": (bool, type(None)), "previous_response_id": (str, type(None)), "metadata": (dict, type(None)),
}
_TYPE_NAMES = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "an array",
               dict: "an object", type(None): "null"}


def check_openai_chat(body: Mapping[str, Any]) -> None:
    _fields(body, _OPENAI_CHAT, required=("messages",))
    for i, message in enumerate(body["messages"]):
        where = f"messages[{i}]"
        _object(message, where)
        if message.get("role") not in ("system", "developer", "user", "assistant", "tool", "function"):
            raise _invalid(f"{where}.role", "one of system, developer, user, assistant, tool")
        _content(message.get("content"), f"{where}.content", optional=True)
        _list_of_objects(message.get("tool_calls"), f"{where}.tool_calls", ("function",))
        if message["role"] == "tool" and not isinstance(message.get("tool_call_id"), str):
            raise _invalid(f"{where}.tool_call_id", "a string (the id of the tool call this answers)")
    _list_of_objects(body.get("tools"), "tools", ("type",))
    if isinstance(body.get("stop"), list) and not all(isinstance(s, str) for s in body["stop"]):
        raise _invalid("stop", "a string or an array of strings")


def check_anthropic_messages(body: Mapping[str, Any]) -> None:
    _fields(body, _ANTHROPIC_MESSAGES, required=("messages", "max_tokens"))
    for i, message in enumerate(body["messages"]):
        where = f"messages[{i}]"
        _object(message, where)
        if message.get("role") not in ("user", "assistant"):
            raise _invalid(f"{where}.role", "user or assistant")
        _content(message.get("content"), f"{where}.content", optional=False)
    if isinstance(body.get("system"), list):
        _content(body["system"], "system", optional=False)
    _list_of_objects(body.get("tools"), "tools", ("name",))
    if not all(isinstance(s, str) for s in body.get("stop_sequences") or ()):
        raise _invalid("stop_sequences", "an array of strings")


def check_embeddings(body: Mapping[str, Any]) -> None:
    _fields(body, _EMBEDDINGS, required=("input",))


def check_responses(body: Mapping[str, Any]) -> None:
    _fields(body, _RESPONSES, required=("input",))
    if isinstance(body["input"], list):
        for i, item in enumerate(body["input"]):
            _object(item, f"input[{i}]")
            if "content" in item:
                _content(item["content"], f"input[{i}].content", optional=False)
    _list_of_objects(body.get("tools"), "tools", ("type",))


def _fields(body: Mapping[str, Any], types: Mapping[str, tuple[type, ...]], required: tuple[str, ...]) -> None:
    for name in required:
        if name not in body:
            raise GatewayError(400, f"{name}: field required")
    for name, allowed in types.items():
        if name in body:
            value = body[name]
            # bool is an int in Python, never in JSON: true is not a max_tokens.
            if not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed):
                raise _invalid(name, " or ".join(_TYPE_NAMES[t] for t in allowed))


def _object(value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise _invalid(where, "an object")


def _content(value: Any, where: str, optional: bool) -> None:
    if isinstance(value, str) or (optional and value is None):
        return
    if not isinstance(value, list):
        raise _invalid(where, "a string or an array of content parts" + (" or null" if optional else ""))
    for j, part in enumerate(value):
        if not isinstance(part, dict) or not isinstance(part.get("type"), str):
            raise _invalid(f"{where}[{j}]", "an object with a \"type\"")


def _list_of_objects(value: Any, where: str, keys: tuple[str, ...]) -> None:
    if value is None:
        return
    for j, item in enumerate(value):
        if not isinstance(item, dict) or any(key not in item for key in keys):
            raise _invalid(f"{where}[{j}]", "an object with " + ", ".join(f'"{k}"' for k in keys))
        function = item.get("function")
        if function is not None and not (isinstance(function, dict) and isinstance(function.get("name"), str)):
            raise _invalid(f"{where}[{j}].function", "an object with a \"name\"")


def _invalid(where: str, expected: str) -> GatewayError:
    return GatewayError(400, f"{where}: must be {expected}")
