"""Kubernetes manifests: container env entries, ConfigMap data, and model-server images.

Secrets are never read: their data is credentials.
"""

from __future__ import annotations

import re
from typing import TypeGuard

from offramp.scan.config.classify import Classifier
from offramp.scan.config.generic import env_value, tree_values
from offramp.scan.config.images import server_images
from offramp.scan.config.tree import Node, Scalar, mappings
from offramp.scan.findings import ConfigValue

SOURCE = "kubernetes"
CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_manifest(document: Node) -> TypeGuard[dict[str, Node]]:
    return isinstance(document, dict) and isinstance(document.get("apiVersion"), Scalar) and "kind" in document


def kubernetes_values(document: dict[str, Node], relpath: str, classifier: Classifier) -> list[ConfigValue]:
    kind = document.get("kind")
    kind_name = kind.text if isinstance(kind, Scalar) else ""
    if kind_name == "Secret":
        return []
    found: list[ConfigValue] = []
    taken: list[Scalar] = []
    for name, scalar in [*_container_env(document), *_config_map_data(document, kind_name)]:
        found.append(env_value(relpath, scalar.line, name, scalar.text, SOURCE, classifier))
        taken.append(scalar)
    images, image_scalars = server_images(document, relpath, SOURCE, classifier)
    return found + images + tree_values(document, relpath, SOURCE, classifier, [*taken, *image_scalars])


def _container_env(document: Node) -> list[tuple[str, Scalar]]:
    entries = []
    for _, mapping in mappings(document):
        for list_name in CONTAINER_LISTS:
            containers = mapping.get(list_name)
            for container in containers if isinstance(containers, list) else ():
                env = container.get("env") if isinstance(container, dict) else None
                for entry in env if isinstance(env, list) else ():
                    if isinstance(entry, dict) and isinstance(name := entry.get("name"), Scalar) \
                            and isinstance(value := entry.get("value"), Scalar):
                        entries.append((name.text, value))
    return entries


def _config_map_data(document: dict[str, Node], kind: str) -> list[tuple[str, Scalar]]:
    """A ConfigMap's env-shaped keys: ``envFrom`` turns them into the container's variables."""
    data = document.get("data") if kind == "ConfigMap" else None
    if not isinstance(data, dict):
        return []
    return [(key, value) for key, value in data.items()
            if isinstance(value, Scalar) and _ENV_NAME.match(key) and "\n" not in value.text]
