"""Model ids and endpoints anywhere in a configuration tree, judged by their keys and the catalog."""

from __future__ import annotations

from collections.abc import Collection

from offramp.scan.config.classify import Classifier
from offramp.scan.config.tree import Node, Scalar, dotted, key_names, leaves, mappings
from offramp.scan.findings import ConfigValue


def tree_values(tree: Node, relpath: str, source: str, classifier: Classifier,
                taken: Collection[Scalar] = ()) -> list[ConfigValue]:
    """Every scalar of ``tree`` that names a model or an endpoint, except those in ``taken`` (already
    reported by a format's own rules, such as compose env entries)."""
    found = []
    taken_ids = {id(scalar) for scalar in taken}
    declared = _declared_providers(tree, classifier)
    for path, scalar in leaves(tree):
        if id(scalar) in taken_ids:
            continue
        meaning = classifier.classify(key_names(path), scalar.text, declared.get(id(scalar)))
        if meaning is not None:
            found.append(ConfigValue(relpath, scalar.line, dotted(path), meaning.value, meaning.kind, source,
                                     meaning.provider, meaning.model))
    return found


def _declared_providers(tree: Node, classifier: Classifier) -> dict[int, str]:
    """For each scalar whose mapping names its provider (``provider = "vllm"``), that provider, by id."""
    declared = {}
    for _path, mapping in mappings(tree):
        scalars = {key: child for key, child in mapping.items() if isinstance(child, Scalar)}
        if provider := classifier.declared_provider(scalars):
            declared.update((id(scalar), provider) for scalar in scalars.values())
    return declared


def env_value(relpath: str, line: int, name: str, value: str, source: str, classifier: Classifier) -> ConfigValue:
    """An environment variable's value, with the provider and model it names when it names one.

    The value is kept as written (resolution needs it); the driver must not print env values, which
    include API keys.
    """
    meaning = classifier.classify([name], value)
    model = meaning.model if meaning else None
    return ConfigValue(relpath, line, name, value, "env", source, meaning.provider if meaning else None, model)
