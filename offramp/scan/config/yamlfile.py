"""YAML documents as located trees, built from libyaml's event stream.

PyYAML's own composer resolves a tag for every scalar in Python and costs about 1 s per megabyte; the
event stream alone costs a tenth of that, and scalars stay text, which is what a model id or an env value is.
Aliases share the anchored node (never copied, so an alias bomb costs nothing until walked, and the walk is
bounded); ``<<`` merge keys are applied as YAML 1.1 defines them.
"""

from __future__ import annotations

from collections.abc import Iterable

import yaml

from offramp.scan.config.errors import ConfigError
from offramp.scan.config.tree import Node, Scalar

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MERGE_KEY = "<<"


def load_yaml(text: str) -> list[Node]:
    """Every document of a YAML stream; empty documents are left out."""
    try:
        return _Builder().build(yaml.parse(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"YAML syntax error{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"not valid YAML: {exc}") from None


class _Builder:
    def __init__(self) -> None:
        self.anchors: dict[str, Node] = {}

    def build(self, events: Iterable[yaml.Event]) -> list[Node]:
        documents: list[Node] = []
        collections: list[dict[str, Node] | list[Node]] = []  # the open mappings and lists
        keys: list[str | None] = []  # per open collection: a mapping's key waiting for its value
        for event in events:
            kind = type(event)
            node: Node | None
            if kind is yaml.ScalarEvent:
                node = Scalar(event.value, event.start_mark.line + 1)  # type: ignore[attr-defined]
                if event.anchor:  # type: ignore[attr-defined]
                    self.anchors[event.anchor] = node  # type: ignore[attr-defined]
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                collection: dict[str, Node] | list[Node] = {} if kind is yaml.MappingStartEvent else []
                if event.anchor:  # type: ignore[attr-defined]
                    self.anchors[event.anchor] = collection  # type: ignore[attr-defined]
                collections.append(collection)
                keys.append(None)
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                node = collections.pop()
                keys.pop()
                if kind is yaml.MappingEndEvent and MERGE_KEY in node:
                    _merge(node)  # type: ignore[arg-type]
            elif kind is yaml.AliasEvent:
                node = self.anchors.get(event.anchor)  # type: ignore[attr-defined]
                if node is None:
                    line = event.start_mark.line + 1
                    raise ConfigError(f"YAML alias *{event.anchor} at line {line} names no anchor")  # type: ignore[attr-defined]
            else:
                continue
            if not collections:
                documents.append(node)
                continue
            parent = collections[-1]
            if type(parent) is list:
                parent.append(node)
            elif keys[-1] is None:
                # A complex key (a mapping or a list) cannot name a setting: keep its place, drop it later.
                keys[-1] = node.text if type(node) is Scalar else ""  # type: ignore[union-attr]
            else:
                if keys[-1]:
                    parent[keys[-1]] = node  # type: ignore[call-overload]
                keys[-1] = None
        return [doc for doc in documents if not (isinstance(doc, Scalar) and doc.text == "")]


def _merge(mapping: dict[str, Node]) -> None:
    sources = mapping.pop(MERGE_KEY)
    for source in sources if isinstance(sources, list) else [sources]:
        if isinstance(source, dict):
            for key, value in source.items():
                mapping.setdefault(key, value)
