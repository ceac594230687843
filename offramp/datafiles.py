"""TOML, and the data files bundled with Offramp (catalog, rules, criticality), read one way everywhere."""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import TYPE_CHECKING, Any, TypeVar

from offramp.cachefolder import compiled

if TYPE_CHECKING:
    from pydantic import BaseModel, ConfigDict

    from offramp.records import Record

M = TypeVar("M", bound="Record | BaseModel")

DATA_MODEL: ConfigDict = {"extra": "forbid", "frozen": True, "defer_build": True}
"""The configuration of the models of bundled data files: strict, immutable, and with their validators built
only when first needed (data from :func:`offramp.cachefolder.compiled` needs none: building them for every
model is a tenth of a second of every start)."""

TOMLDecodeError = tomllib.TOMLDecodeError


def parse_toml(text: str) -> dict[str, Any]:
    """Parsed TOML; nesting too deep for the parser's recursion is a :data:`TOMLDecodeError` too."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TOMLDecodeError("arrays or inline tables nested too deeply to read") from None


def bundled_toml(package: str, name: str, error: type[Exception]) -> dict[str, Any]:
    """A TOML file shipped in ``package``; a syntax error raises ``error`` naming the file."""
    return _parsed(package, name, _bundled_text(package, name), error)


def _bundled_text(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def _parsed(package: str, name: str, text: str, error: type[Exception]) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{_shown(package, name)}: {exc}") from None


def bundled_model(package: str, name: str, schema: type[M], error: type[Exception]) -> M:
    """A TOML file shipped in ``package``, validated by ``schema``; any problem raises ``error`` naming it.
    Compiled once (:func:`offramp.cachefolder.compiled`)."""
    text = _bundled_text(package, name)

    def validated() -> M:
        from pydantic import ValidationError

        try:
            return schema.model_validate(_parsed(package, name, text, error))
        except ValidationError as exc:
            raise error(f"{_shown(package, name)}: {exc}") from None

    return compiled(f"{package}/{name} as {schema.__module__}.{schema.__qualname__}", validated, text)


def _shown(package: str, name: str) -> str:
    return f"{package.replace('.', '/')}/{name}"
