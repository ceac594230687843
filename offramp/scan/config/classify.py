"""What a configuration value means: a model id, a model endpoint, or nothing Offramp cares about."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from offramp.catalog import Catalog
from offramp.scan.config.rules import ConfigRules, config_rules
from offramp.scan.config.tree import Scalar

# "${CHAT_MODEL:gpt-4o}" (Spring), "${CHAT_MODEL:-gpt-4o}" and "${CHAT_MODEL-gpt-4o}" (shell, compose):
# the value the product runs with when the variable is unset.
_PLACEHOLDER = re.compile(r"^\$\{[A-Za-z_][\w.-]*(?::-?|-)(?P<default>[^{}]*)\}$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_ENDPOINT_SCHEME = re.compile(r"^(?:https?|wss?|grpcs?)://", re.IGNORECASE)  # not s3://, hf://, postgres://
# "ollama:11434", "0.0.0.0:11434"; not a compose port mapping such as "8000:8000".
_HOST_PORT = re.compile(r"^(?:[a-z][a-z0-9.-]*|\d{1,3}(?:\.\d{1,3}){3}):\d{2,5}(?:/\S*)?$", re.IGNORECASE)
_BARE_HOST = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:/\S*)?$", re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")
_ID_SHAPE = (re.compile(r"[A-Za-z]"), re.compile(r"\d"), re.compile(r"[-./:@]"))
_LETTER_RUN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Meaning:
    kind: Literal["model", "endpoint"]
    value: str
    """The value as reported: for an endpoint, without credentials or query string."""
    provider: str | None
    model: str | None = None


class Classifier:
    def __init__(self, catalog: Catalog, rules: ConfigRules | None = None) -> None:
        self.catalog = catalog
        self.rules = rules or config_rules()
        self._providers: dict[str, str | None] = {}
        # The first word of every curated id as written ("gpt", "claude", "o", "anthropic", "models"): a
        # value in which no word is one of these cannot match a curated pattern, and costs no catalog lookup.
        self._curated_words = {
            words[0] for model in catalog.models.values() for written in (model.id, *model.examples)
            if (words := _LETTER_RUN.findall(written.lower()))
        }

    def classify(self, keys: list[str], value: str, declared_provider: str | None = None) -> Meaning | None:
        """What ``value`` at key path ``keys`` names, or None; a model's provider is ``declared_provider``
        when its mapping names one (see :meth:`declared_provider`).

        Model ids count at model-ish keys when the catalog knows them at all; elsewhere only when the
        curated catalog knows them and they are written like ids (``gpt-4o``, not ``ada`` or ``whisper``,
        which are also names). Endpoints count when the catalog knows the host; a private address only
        when the key names a model server (``OLLAMA_HOST``; not ``API_BASE_URL=http://localhost:8000``).
        """
        value = value.strip()
        if placeholder := _PLACEHOLDER.match(value):
            value = placeholder["default"].strip()
        if not value or len(value) > 2048:
            return None
        if _SCHEME.match(value):
            return self._endpoint(keys, value) if _ENDPOINT_SCHEME.match(value) else None
        if _HOST_PORT.match(value) or (_BARE_HOST.match(value) and self.rules.is_endpoint_key(keys)):
            return self._endpoint(keys, value)
        return self._model(keys, value, declared_provider)

    def declared_provider(self, mapping: dict[str, Scalar]) -> str | None:
        """The catalog provider a mapping's own ``provider`` key names, if any."""
        for key, scalar in mapping.items():
            if self.rules.is_provider_key(key) and self.catalog.provider(scalar.text.strip().lower()):
                return scalar.text.strip().lower()
        return None

    def model_provider(self, keys: list[str], model_id: str) -> str | None:
        """The provider a model id in config goes to: the one its key names, its id syntax names, or
        its maker's own API."""
        return self.rules.provider_in_key(keys) or self._maker_provider(model_id)

    def _maker_provider(self, model_id: str) -> str | None:
        if model_id not in self._providers:
            self._providers[model_id] = self.catalog.provider_for_model(model_id)[0]
        return self._providers[model_id]

    def _endpoint(self, keys: list[str], value: str) -> Meaning | None:
        host = self.catalog.provider_for_url(value)
        if host is None:
            return None
        if host.self_hosted and not self.rules.names_model_server(keys):
            return None
        return Meaning("endpoint", _without_credentials(value), host.provider)

    def _model(self, keys: list[str], value: str, declared_provider: str | None) -> Meaning | None:
        if not _ID.match(value):
            return None
        model_key = self.rules.is_model_key(keys)
        # Matching an id costs the catalog a fraction of a millisecond: check the cheap things first.
        if not model_key and (self.rules.never_model(keys) or not self._may_be_curated(value)):
            return None
        match = self.catalog.match_model(value)
        if match is None or (not model_key and match.model is None):
            return None
        return Meaning("model", value, declared_provider or self.model_provider(keys, value), value)


    def _may_be_curated(self, value: str) -> bool:
        return all(p.search(value) for p in _ID_SHAPE) and not self._curated_words.isdisjoint(
            _LETTER_RUN.findall(value.lower()))


def _without_credentials(url: str) -> str:
    """``https://user:key@host/v1?api-key=...`` -> ``https://host/v1``: secrets never leave the scan."""
    if not _SCHEME.match(url):
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
