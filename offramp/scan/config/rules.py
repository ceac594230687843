"""The rules of ``rules.toml``: which keys, files, images and Terraform resources name models and endpoints."""

import fnmatch
import re
from functools import cache, lru_cache
from typing import Literal

from offramp.datafiles import DATA_MODEL, bundled_model
from offramp.records import Field, Record

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


@lru_cache(maxsize=65536)
def words(key: str) -> frozenset[str]:
    """The words of a key: ``"spring.ai.openai.chat.options.deployment-name"`` -> spring, ai, openai, ...,
    deployment, name; ``"modelName"`` -> model, name; ``"CHAT_MODEL"`` -> chat, model."""
    return frozenset(w.lower() for w in _WORD.findall(key))


class _Strict(Record):
    model_config = DATA_MODEL


class KeyRules(_Strict):
    model_words: frozenset[str]
    never_model_words: frozenset[str]
    model_child_words: frozenset[str]
    endpoint_words: frozenset[str]
    model_server_words: frozenset[str]
    provider_words: frozenset[str]
    provider_segments: dict[str, str]


class FileRules(_Strict):
    not_config: frozenset[str]
    json_names: tuple[str, ...]
    json_folders: frozenset[str]
    helm_values: tuple[str, ...]
    compose: tuple[str, ...]


class ServerFlags(_Strict):
    model: tuple[str, ...]


class TerraformRule(_Strict):
    types: tuple[str, ...] = Field(min_length=1)
    provider: str
    when: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    report_without_model: bool = False

    def applies(self, resource_type: str) -> bool:
        return any(fnmatch.fnmatchcase(resource_type, pattern) for pattern in self.types)


class ConfigRules(_Strict):
    schema_version: Literal[1]
    keys: KeyRules
    files: FileRules
    images: dict[str, str]
    server_flags: ServerFlags
    terraform: tuple[TerraformRule, ...]

    def is_model_key(self, path: list[str]) -> bool:
        """The last key says it holds a model ("CHAT_MODEL", "model_name"), or it is a generic word
        ("name", "id") under one that does ("model.name")."""
        last = words(path[-1]) if path else frozenset()
        if not self.keys.model_words.isdisjoint(last):
            return True
        if len(path) >= 2 and not self.keys.model_child_words.isdisjoint(last):
            return not self.keys.model_words.isdisjoint(words(path[-2]))
        return False

    def never_model(self, path: list[str]) -> bool:
        return bool(path) and bool(self.keys.never_model_words.intersection(words(path[-1])))

    def is_endpoint_key(self, path: list[str]) -> bool:
        return bool(path) and bool(self.keys.endpoint_words.intersection(words(path[-1])))

    def names_model_server(self, path: list[str]) -> bool:
        """Some key on the path says the value belongs to a model server ("OLLAMA_HOST", "llm.base_url")."""
        return any(self.keys.model_server_words.intersection(words(key)) for key in path)

    def is_provider_key(self, key: str) -> bool:
        last = _WORD.findall(key)
        return bool(last) and last[-1].lower() in self.keys.provider_words

    def provider_in_key(self, path: list[str]) -> str | None:
        """The provider a key path is about: "spring.ai.anthropic.chat.options.model" -> anthropic."""
        for key in path:
            segment = re.sub(r"[^a-z0-9]", "", key.lower())
            for word, provider in self.keys.provider_segments.items():
                if word in segment:
                    return provider
        return None

    def image_provider(self, image: str) -> str | None:
        """``vllm/vllm-openai:v0.6.0``, ``docker.io/ollama/ollama@sha256:...`` -> the server's provider."""
        repository = image.split("@", 1)[0]
        last_slash = repository.rfind("/")
        if repository.rfind(":") > last_slash:
            repository = repository[: repository.rfind(":")]
        repository = repository.lower().removeprefix("docker.io/").removeprefix("library/")
        return self.images.get(repository)

    def terraform_rule(self, resource_type: str) -> TerraformRule | None:
        return next((rule for rule in self.terraform if rule.applies(resource_type)), None)


class RulesError(ValueError):
    """``rules.toml`` is invalid; the message names the field."""


@cache
def config_rules() -> ConfigRules:
    return bundled_model("offramp.scan.config", "rules.toml", ConfigRules, RulesError)
