"""TOML, and the data files bundled with Offramp (catalog, rules, criticality), read one way everywhere."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)

TOMLDecodeError = tomllib.TOMLDecodeError


def parse_toml(text: str) -> dict[str, Any]:
    """Parsed TOML; nesting too deep for the parser's recursion is a :data:`TOMLDecodeError` too."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TOMLDecodeError("arrays or inline tables nested too deeply to read") from None


def bundled_toml(package: str, name: str, error: type[Exception]) -> dict[str, Any]:
    """A TOML file shipped in ``package``; a syntax error raises ``error`` naming the file."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{_shown(package, name)}: {exc}") from None


def bundled_model(package: str, name: str, schema: type[M], error: type[Exception]) -> M:
    """A TOML file shipped in ``package``, validated by ``schema``; any problem raises ``error`` naming it."""
    data = bundled_toml(package, name, error)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise error(f"{_shown(package, name)}: {exc}") from None


def _shown(package: str, name: str) -> str:
    return f"{package.replace('.', '/')}/{name}"
