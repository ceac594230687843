"""A configuration file as a tree of mappings, lists and located scalars, whatever its format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union

from offramp.scan.config.errors import ConfigError

MAX_ALIAS_NODES = 100_000
"""YAML aliases make a tree a graph: a node reached a second time is walked again (a compose service that
merges a shared environment gets its own values), up to this many nodes in all. A billion-laughs file
would otherwise be walked forever."""
MAX_DEPTH = 100
"""Deeper nesting is no configuration anyone writes: an alias that contains itself (``a: &a [*a]``) or a
generated file. Without this bound, the key paths alone of such a tree fill the memory."""


@dataclass(frozen=True, slots=True)
class Scalar:
    text: str
    line: int


Node = Union[dict[str, "Node"], list["Node"], Scalar]  # noqa: UP007 - a recursive alias needs the string form
Path = tuple[str | int, ...]


def leaves(node: Node) -> Iterator[tuple[Path, Scalar]]:
    """Every scalar with its key path, in document order.

    A mapping of exactly ``name`` and ``value`` (the Kubernetes env shape, also common in Helm values)
    yields its value under the name: ``env[0]`` holding ``{name: CHAT_MODEL, value: gpt-4o}`` yields
    ``(..., "env", "CHAT_MODEL")``.
    """
    seen: set[int] = set()
    repeated_nodes = 0
    stack: list[tuple[Path, Node, bool]] = [((), node, False)]
    while stack:
        path, current, repeated = stack.pop()
        if isinstance(current, Scalar):
            yield path, current
            continue
        _check_depth(path)
        repeated = repeated or id(current) in seen
        seen.add(id(current))
        if repeated:
            repeated_nodes += len(current)
            if repeated_nodes > MAX_ALIAS_NODES:
                raise ConfigError("its aliases expand to too many nodes (a YAML alias bomb?)")
        if isinstance(current, dict):
            name, value = current.get("name"), current.get("value")
            if len(current) == 2 and isinstance(name, Scalar) and isinstance(value, Scalar):
                yield (*path, name.text), value
                continue
            stack.extend(((*path, key), child, repeated) for key, child in reversed(current.items()))
        else:
            stack.extend(((*path, index), child, repeated) for index, child in reversed(list(enumerate(current))))


def mappings(node: Node) -> Iterator[tuple[Path, dict[str, Node]]]:
    """Every mapping in the tree with its key path, each visited once even when aliases share it."""
    seen: set[int] = set()
    stack: list[tuple[Path, Node]] = [((), node)]
    while stack:
        path, current = stack.pop()
        if isinstance(current, Scalar) or id(current) in seen:
            continue
        _check_depth(path)
        seen.add(id(current))
        if isinstance(current, dict):
            yield path, current
            stack.extend(((*path, key), child) for key, child in reversed(current.items()))
        else:
            stack.extend(((*path, index), child) for index, child in reversed(list(enumerate(current))))


def _check_depth(path: Path) -> None:
    if len(path) > MAX_DEPTH:
        raise ConfigError(f"nested more than {MAX_DEPTH} levels deep (an alias that contains itself?) at "
                          f"{dotted(path[:5])}...")


def dotted(path: Path) -> str:
    """``("services", "api", "environment", 0)`` -> ``services.api.environment[0]``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def key_names(path: Path) -> list[str]:
    """The mapping keys of a path; list positions say nothing about what a value means."""
    return [part for part in path if isinstance(part, str)]


def scalar_texts(node: Node | None) -> list[Scalar]:
    """A scalar, or the scalars of a list (``command: --model x`` and ``command: ["--model", "x"]``)."""
    if isinstance(node, Scalar):
        return [node]
    if isinstance(node, list):
        return [item for item in node if isinstance(item, Scalar)]
    return []
