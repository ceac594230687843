"""JSON (with the comments and trailing commas of ``settings.json`` and ``appsettings.json``) and TOML
files as located trees.

Neither standard parser keeps positions, so each string is found in the text after the previous one:
values come back in document order, which makes one forward search per value enough (linear in the file).
"""

from __future__ import annotations

import json
import re
from typing import Any

from offramp.datafiles import TOMLDecodeError, parse_toml
from offramp.scan.config.errors import ConfigError
from offramp.scan.config.tree import Node, Scalar

MAX_LOCATED_CHARS = 2048
"""Longer strings are prose or data, never a model id or an endpoint: they are left out of the tree."""

_JSONC_NOISE = re.compile(r'("(?:[^"\\\n]|\\.)*")|//[^\n]*|/\*.*?\*/|,(?=\s*[}\]])', re.DOTALL)


def json_data(text: str) -> Any:
    """Parsed JSON; a syntax error is a :class:`ConfigError` naming its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"JSON syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None


def toml_data(text: str) -> dict[str, Any]:
    """Parsed TOML; a syntax error is a :class:`ConfigError` that says where."""
    try:
        return parse_toml(text)
    except TOMLDecodeError as exc:
        raise ConfigError(f"TOML syntax error: {exc}") from None


def load_json(text: str) -> Node:
    """JSON, or JSON with comments and trailing commas (tsconfig, VS Code settings), with line numbers."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = json_data(_without_comments(text))
    return _Locator(text, json_keys=True).node(data)


def load_toml(text: str) -> Node:
    return _Locator(text, json_keys=False).node(toml_data(text))


def _without_comments(text: str) -> str:
    """JSONC to JSON, keeping every newline so that line numbers still hold."""

    def blank(match: re.Match[str]) -> str:
        if match.group(1):
            return match.group(1)
        return re.sub(r"[^\n]", " ", match.group(0))

    return _JSONC_NOISE.sub(blank, text)


class _Locator:
    def __init__(self, text: str, json_keys: bool) -> None:
        self.text = text
        self.json_keys = json_keys
        self.cursor = 0
        self.cursor_line = 1

    def node(self, value: Any) -> Node:
        if isinstance(value, dict):
            tree: dict[str, Node] = {}
            for key, child in value.items():
                if self.json_keys:
                    self._find([json.dumps(key, ensure_ascii=False), json.dumps(key)])
                tree[key] = self.node(child)
            return tree
        if isinstance(value, list):
            return [self.node(item) for item in value]
        if isinstance(value, str) and len(value) <= MAX_LOCATED_CHARS and "\n" not in value:
            return Scalar(value, self._find(_written_forms(value)))
        return Scalar("", 0)  # numbers, booleans, dates and prose: never a model or an endpoint

    def _find(self, forms: list[str]) -> int:
        """The line of the nearest written form after the previous value (the same string may be written
        in double quotes further down while this one is in single quotes)."""
        found = [(position, form) for form in forms if (position := self.text.find(form, self.cursor)) >= 0]
        if found:
            position, form = min(found)
            self.cursor_line += self.text.count("\n", self.cursor, position)
            self.cursor = position + len(form)
            return self.cursor_line
        # out of document order: a TOML table reopened further down
        position = min((p for form in forms if (p := self.text.find(form)) >= 0), default=-1)
        return self.text.count("\n", 0, position) + 1 if position >= 0 else 0


def _written_forms(value: str) -> list[str]:
    """How a string can be written: JSON or TOML basic string (either escaping), TOML literal string."""
    return list(dict.fromkeys([json.dumps(value, ensure_ascii=False), json.dumps(value), f"'{value}'"]))
