"""YAML documents as located trees, built from libyaml's event stream.

PyYAML's own composer resolves a tag for every scalar in Python and costs about 1 s per megabyte; the
event stream alone costs a tenth of that, and scalars stay text, which is what a model id or an env value is.
Aliases share the anchored node (never copied, so an alias bomb costs nothing until walked, and the walk is
bounded); ``<<`` merge keys are applied as YAML 1.1 defines them.
"""

from __future__ import annotations

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

    def build(self, events: object) -> list[Node]:
        documents: list[Node] = []
        # Each open collection, with the key waiting for its value when it is a mapping.
        stack: list[tuple[dict[str, Node] | list[Node], list[str | None]]] = []
        for event in events:  # type: ignore[attr-defined]
            node: Node | None
            if isinstance(event, yaml.ScalarEvent):
                node = Scalar(event.value, event.start_mark.line + 1)
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                collection: dict[str, Node] | list[Node] = {} if isinstance(event, yaml.MappingStartEvent) else []
                if event.anchor:
                    self.anchors[event.anchor] = collection
                stack.append((collection, [None]))
                continue
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                node = stack.pop()[0]
                if isinstance(node, dict) and MERGE_KEY in node:
                    _merge(node)
            elif isinstance(event, yaml.AliasEvent):
                node = self.anchors.get(event.anchor)
                if node is None:
                    line = event.start_mark.line + 1
                    raise ConfigError(f"YAML alias *{event.anchor} at line {line} names no anchor")
            else:
                continue
            if isinstance(event, yaml.ScalarEvent) and event.anchor:
                self.anchors[event.anchor] = node
            if not stack:
                documents.append(node)
                continue
            parent, pending = stack[-1]
            if isinstance(parent, list):
                parent.append(node)
            elif pending[0] is None:
                # A complex key (a mapping or a list) cannot name a setting: keep its place, drop it later.
                pending[0] = node.text if isinstance(node, Scalar) else ""
            else:
                if pending[0]:
                    parent[pending[0]] = node
                pending[0] = None
        return [doc for doc in documents if not (isinstance(doc, Scalar) and doc.text == "")]


def _merge(mapping: dict[str, Node]) -> None:
    sources = mapping.pop(MERGE_KEY)
    for source in sources if isinstance(sources, list) else [sources]:
        if isinstance(source, dict):
            for key, value in source.items():
                mapping.setdefault(key, value)
