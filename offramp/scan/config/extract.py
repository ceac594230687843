"""One entry point: the config values of a file, whatever its format."""

from __future__ import annotations

from functools import lru_cache

from offramp.catalog import Catalog
from offramp.scan.config.classify import Classifier
from offramp.scan.config.compose import compose_values
from offramp.scan.config.dotenv import dotenv_values
from offramp.scan.config.errors import ConfigError
from offramp.scan.config.files import config_family, is_helm_values
from offramp.scan.config.generic import tree_values
from offramp.scan.config.images import server_images
from offramp.scan.config.kubernetes import is_manifest, kubernetes_values
from offramp.scan.config.properties import properties_values
from offramp.scan.config.structured import load_json, load_toml
from offramp.scan.config.terraform import terraform_values
from offramp.scan.config.yamlfile import load_yaml
from offramp.scan.findings import ConfigValue


def extract_config(relpath: str, text: str, catalog: Catalog) -> list[ConfigValue]:
    """Env variables, model ids, model endpoints and model resources in one configuration file.

    Returns [] for a file that is not configuration (see :func:`config_family`). Raises
    :class:`ConfigError` when the file is not valid in its format; its ``reason`` says where.
    """
    family = config_family(relpath)
    if family is None:
        return []
    classifier = _classifier(catalog)
    try:
        values = _extract(family, relpath, text, classifier)
    except RecursionError:
        raise ConfigError("nested too deeply to read") from None
    return sorted(values, key=lambda v: (v.line, v.key))


def _extract(family: str, relpath: str, text: str, classifier: Classifier) -> list[ConfigValue]:
    if family == "dotenv":
        return dotenv_values(text, relpath, classifier)
    if family == "properties":
        return properties_values(text, relpath, classifier)
    if family == "terraform":
        return terraform_values(text, relpath, classifier)
    if family == "json":
        return tree_values(load_json(text), relpath, "json", classifier)
    if family == "toml":
        return tree_values(load_toml(text), relpath, "toml", classifier)
    documents = load_yaml(text)
    if family == "compose":
        return compose_values(documents, relpath, classifier)
    source = "helm" if is_helm_values(relpath) else "yaml"
    values = []
    for document in documents:
        if is_manifest(document):
            values += kubernetes_values(document, relpath, classifier)
        else:
            images, image_scalars = server_images(document, relpath, source, classifier)
            values += images + tree_values(document, relpath, source, classifier, image_scalars)
    return values


@lru_cache(maxsize=8)
def _classifier(catalog: Catalog) -> Classifier:
    """One classifier per catalog (catalogs hash by identity)."""
    return Classifier(catalog)
