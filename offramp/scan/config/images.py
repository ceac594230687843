"""Containers that run a self-hosted model server (vLLM, Ollama, TGI, SGLang, llama.cpp, LocalAI).

Compose services, Kubernetes containers and Helm values all describe a container as a mapping with an
``image`` (a string, or Helm's ``{repository, tag}``) next to its ``command``/``args``; the server's
``--model`` flag says which model it serves.
"""

from __future__ import annotations

from offramp.scan.config.classify import Classifier
from offramp.scan.config.tree import Node, Scalar, dotted, mappings, scalar_texts
from offramp.scan.findings import ConfigValue


def server_images(tree: Node, relpath: str, source: str,
                  classifier: Classifier) -> tuple[list[ConfigValue], list[Scalar]]:
    """Endpoints for the model-server images in ``tree``, and the scalars they were read from (the image
    and its command line)."""
    found = []
    scalars = []
    rules = classifier.rules
    for path, mapping in mappings(tree):
        image = mapping.get("image")
        key = (*path, "image")
        if isinstance(image, dict) and isinstance(image.get("repository"), Scalar):
            image, key = image["repository"], (*key, "repository")
        if not isinstance(image, Scalar) or (provider := rules.image_provider(image.text)) is None:
            continue
        command = [s for part in ("entrypoint", "command", "args") for s in scalar_texts(mapping.get(part))]
        model = _flag_value([word for s in command for word in s.text.split()], rules.server_flags.model)
        found.append(ConfigValue(relpath, image.line, dotted(key), image.text, "endpoint", source, provider, model))
        scalars += [image, *command]
    return found, scalars


def _flag_value(words: list[str], flags: tuple[str, ...]) -> str | None:
    for index, word in enumerate(words):
        name, equals, value = word.partition("=")
        if name in flags:
            if equals:
                return value or None
            if index + 1 < len(words) and not words[index + 1].startswith("-"):
                return words[index + 1]
    return None
