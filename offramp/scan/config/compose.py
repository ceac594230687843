"""docker-compose files: each service's environment (list and map forms) and model-server images."""

from __future__ import annotations

from offramp.scan.config.classify import Classifier
from offramp.scan.config.generic import env_value, tree_values
from offramp.scan.config.images import server_images
from offramp.scan.config.tree import Node, Scalar
from offramp.scan.findings import ConfigValue

SOURCE = "compose"


def compose_values(documents: list[Node], relpath: str, classifier: Classifier) -> list[ConfigValue]:
    found: list[ConfigValue] = []
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        taken: list[Scalar] = []
        for service in services.values() if isinstance(services, dict) else ():
            if isinstance(service, dict):
                for name, scalar in _environment(service.get("environment")):
                    found.append(env_value(relpath, scalar.line, name, _value(scalar, name), SOURCE, classifier))
                    taken.append(scalar)
        images, image_scalars = server_images(document, relpath, SOURCE, classifier)
        found += images + tree_values(document, relpath, SOURCE, classifier, [*taken, *image_scalars])
    return found


def _environment(node: Node | None) -> list[tuple[str, Scalar]]:
    """``environment: {KEY: value}`` and ``environment: ["KEY=value"]``; a bare ``KEY`` passes the host's
    value through and says nothing."""
    if isinstance(node, dict):
        return [(name, value) for name, value in node.items() if isinstance(value, Scalar)]
    if isinstance(node, list):
        return [(item.text.split("=", 1)[0].strip(), item) for item in node
                if isinstance(item, Scalar) and "=" in item.text]
    return []


def _value(scalar: Scalar, name: str) -> str:
    text = scalar.text
    return text.split("=", 1)[1] if text.startswith(name) and "=" in text else text
