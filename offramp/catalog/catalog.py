"""The catalog: one source of truth for providers, models, substitutes and lock-in rules."""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from offramp.cachefolder import compiled
from offramp.catalog.ids import ParsedModelId, parse_model_id
from offramp.catalog.schema import LockinFile, LockinRule, Model, ModelsFile, Provider, ProvidersFile
from offramp.datafiles import bundled_toml

SELF_HOSTED_PROVIDER = "self-hosted"
"""Provider id for an unrecognised server on a loopback or private address."""


class CatalogError(ValueError):
    """A catalog file or extension is invalid; the message names the file and the field."""


@dataclass(frozen=True)
class ModelMatch:
    """What the catalog knows about one model id, and how it knows it."""

    raw: str
    parsed: ParsedModelId
    model: Model | None
    """The curated entry, or None when only the long-tail id map knew the id."""
    longtail_provider: str | None = None
    kind: str | None = None
    why: str = ""

    @property
    def provider_hints(self) -> tuple[str, ...]:
        hints = self.parsed.provider_hints
        if self.longtail_provider and self.longtail_provider not in hints:
            hints = (*hints, self.longtail_provider)
        return hints


@dataclass(frozen=True)
class HostMatch:
    provider: str
    why: str
    self_hosted: bool
    guessed: bool = False
    """A private address told only by its port, or not at all: a name the code gives it may say better."""


LONGTAIL_FILE = "model_ids.json"
_ADDRESS_SUFFIXES = (("api", "base", "url"), ("base", "url"), ("base", "path"), ("api", "base"), ("api", "url"),
                     ("server", "url"), ("api", "endpoint"), ("endpoint",), ("host",), ("url",))
"""How a setting holding a server's address ends (longest first)."""
_KEY_SUFFIXES = (("api", "key"), ("auth", "token"), ("key",), ("token",))
_SETTING_NOISE = ("llm", "api", "server", "inference", "openai")
"""Words a product puts between a provider's name and the address suffix: LEMONADE_LLM_BASE_PATH,
VLLM_OPENAI_API_BASE."""


_PUBLIC_PREFIXES = (("next", "public"), ("nuxt", "public"), ("expo", "public"), ("react", "app"), ("vite",))
"""How front-end frameworks mark a setting they build into the page."""


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _setting_head(name: str, suffixes: tuple[tuple[str, ...], ...]) -> str:
    """'LM_STUDIO_BASE_PATH' -> 'lmstudio': the squashed words before an address (or key) suffix; '' without one."""
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    for exposed in _PUBLIC_PREFIXES:  # NEXT_PUBLIC_OLLAMA_URL: a front-end build's copy of OLLAMA_URL
        if words[: len(exposed)] == list(exposed):
            words = words[len(exposed):]
    if words[:1] == ["default"]:  # DEFAULT_OLLAMA_URL: the value used where OLLAMA_URL is not given
        words = words[1:]
    for suffix in suffixes:
        if len(words) > len(suffix) and tuple(words[-len(suffix):]) == suffix:
            return "".join(words[: -len(suffix)])
    return ""


@dataclass(frozen=True, eq=False)  # identity hashing: catalogs key the match cache
class Catalog:
    providers: Mapping[str, Provider]
    models: Mapping[str, Model]
    lockin: LockinFile
    longtail: Mapping[str, Mapping[str, str]]
    """Long-tail model ids (from LiteLLM's model map) to {"provider": ..., "mode": ...}."""
    sources: tuple[str, ...] = ()

    # -- loading -------------------------------------------------------------------------------------

    @classmethod
    def load(cls, extension: Mapping[str, Any] | None = None, origin: str = "offramp.toml") -> Catalog:
        """The bundled catalog, extended by a user's ``[catalog]`` table when given."""
        base = _bundled()
        return base.extended(extension, origin) if extension else base

    def extended(self, extension: Mapping[str, Any], origin: str) -> Catalog:
        """A new catalog with the user's providers, models and lock-in hours laid over this one.

        An entry with an id the catalog already has replaces it; ``lockin.hours`` overrides rule hours.
        """
        unknown = set(extension) - {"provider", "model", "lockin"}
        if unknown:
            raise CatalogError(f"{origin}: [catalog] has unknown keys {sorted(unknown)}; "
                               "expected provider, model, lockin")
        providers = dict(self.providers)
        for entry in _validated(ProvidersFile, {"schema_version": 1, "provider": extension.get("provider", [])},
                                f"{origin} [[catalog.provider]]").provider:
            providers[entry.id] = entry
        models = dict(self.models)
        for entry in _validated(ModelsFile, {"schema_version": 1, "model": extension.get("model", [])},
                                f"{origin} [[catalog.model]]").model:
            models[entry.id] = entry
        lockin = self.lockin
        if overrides := extension.get("lockin", {}).get("hours"):
            known = {rule.id for rule in lockin.rule}
            if missing := set(overrides) - known - {"base"}:
                raise CatalogError(f"{origin}: [catalog.lockin.hours] names unknown rules {sorted(missing)}; "
                                   f"known: base, {', '.join(sorted(known))}")
            lockin = lockin.model_copy(update={
                "base_hours": float(overrides.get("base", lockin.base_hours)),
                "rule": [r.model_copy(update={"hours": float(overrides[r.id])}) if r.id in overrides else r
                         for r in lockin.rule],
            })
        catalog = Catalog(providers, models, lockin, self.longtail, (*self.sources, origin))
        catalog.check_references()
        return catalog

    def check_references(self) -> None:
        """Every substitute names an open-weight model the catalog knows."""
        for model in self.models.values():
            for sub in model.substitutes:
                target = self.models.get(sub.model)
                if target is None:
                    raise CatalogError(f"model {model.id!r}: substitute {sub.model!r} is not in the catalog")
                if not target.open_weights:
                    raise CatalogError(f"model {model.id!r}: substitute {sub.model!r} is not open-weight")

    # -- providers -----------------------------------------------------------------------------------

    def provider(self, provider_id: str) -> Provider | None:
        return self.providers.get(provider_id)

    def providers_for_package(self, ecosystem: str, package: str) -> list[Provider]:
        return [p for p in self.providers.values() if package in p.sdks.get(ecosystem, ())]  # type: ignore[call-overload]

    def provider_for_env(self, variable: str) -> Provider | None:
        for provider in self.providers.values():
            if variable in provider.key_env or variable in provider.base_url_env:
                return provider
        return None

    def provider_for_url_setting(self, name: str) -> Provider | None:
        """The provider a setting that holds a server's address is named for (``LMSTUDIO_BASE_PATH``,
        ``NVIDIA_NIM_LLM_BASE_PATH``, ``ollama.base_url``), or None. The name must end as an address setting does
        (``_BASE_URL``, ``_BASE_PATH``, ``_API_BASE``, ``_ENDPOINT``, ``_HOST``, ``_URL``) and what comes before
        must name exactly one provider: its id, its name, or the head of an environment variable it documents."""
        if name in self._url_settings:
            return self.providers[self._url_settings[name]]
        head = _setting_head(name, _ADDRESS_SUFFIXES)
        if not head:
            return None
        for candidate in (head, head[: -len(t)] if (t := next((n for n in _SETTING_NOISE if head.endswith(n)), ""))
                          else ""):
            found = self._setting_heads.get(candidate) if candidate else None
            if found:
                return self.providers[next(iter(found))] if len(found) == 1 else None
        return None

    @cached_property
    def _url_settings(self) -> dict[str, str]:
        return {variable: p.id for p in self.providers.values() for variable in p.base_url_env}

    @cached_property
    def _setting_heads(self) -> dict[str, set[str]]:
        """Squashed names that name each provider in a setting: 'lmstudio', 'nvidianim', 'litellm', its aliases."""
        heads: dict[str, set[str]] = {}
        for provider in self.providers.values():
            names = {_squash(provider.id), _squash(provider.name.split("(")[0]), *map(_squash, provider.aliases)}
            names |= {_setting_head(v, _ADDRESS_SUFFIXES) for v in provider.base_url_env}
            names |= {_setting_head(v, _KEY_SUFFIXES) for v in provider.key_env}
            for head in filter(None, names):
                heads.setdefault(head, set()).add(provider.id)
        return heads

    @cached_property
    def _prefix_providers(self) -> dict[str, str]:
        prefixes = {pre.lower(): p.id for p in self.providers.values() for pre in p.model_prefixes}
        return dict(sorted(prefixes.items(), key=lambda kv: -len(kv[0])))

    @cached_property
    def _hosts(self) -> tuple[dict[str, str], list[tuple[re.Pattern[str], str, str]]]:
        exact: dict[str, str] = {}
        wildcards: list[tuple[re.Pattern[str], str, str]] = []
        for provider in self.providers.values():
            for host in provider.hosts:
                if "*" in host:
                    wildcards.append((_host_pattern(host), host, provider.id))
                else:
                    exact.setdefault(host.lower(), provider.id)
        return exact, wildcards

    @cached_property
    def _ports(self) -> dict[int, str]:
        ports: dict[int, str] = {}
        for provider in self.providers.values():
            if provider.self_hosted:
                for port in provider.default_ports:
                    ports.setdefault(port, provider.id)
        return ports

    def provider_for_url(self, url: str) -> HostMatch | None:
        """The provider a URL (or bare host[:port]) reaches, or None when the catalog cannot tell."""
        return _provider_for_url(self, url.strip())

    def provider_for_url_path(self, url: str) -> HostMatch | None:
        """The provider whose API alone has the path of ``url`` (``{endpoint}/openai/deployments/{id}``), or None:
        for a URL whose host the code does not show."""
        # An unknown part ends a segment: '{?}openai/deployments/x' (a base that ends in a slash) has /openai/
        segments = [s.lower() for s in re.split(r"/|\{\?\}", _path_part(url)) if s]
        for provider in self.providers.values():
            for path in provider.url_paths:
                wanted = [s.lower() for s in path.split("/") if s]
                if any(segments[i : i + len(wanted)] == wanted for i in range(len(segments) - len(wanted) + 1)):
                    return HostMatch(provider.id, f"the path {path!r} is {provider.id}'s API", provider.self_hosted)
        return None

    # -- models --------------------------------------------------------------------------------------

    @cached_property
    def _model_index(self) -> _PatternIndex:
        return _PatternIndex([(model.id, pattern) for model in self.models.values() for pattern in model.patterns])

    def match_model(self, raw: str) -> ModelMatch | None:
        """The catalog's entry for a model id as an SDK or API writes it, or None."""
        return self._match_model(raw)

    @lru_cache(maxsize=8192)  # noqa: B019 - catalogs are few and long-lived
    def _match_model(self, raw: str) -> ModelMatch | None:
        if not raw or len(raw) > 200 or any(c.isspace() for c in raw):
            return None
        parsed = parse_model_id(raw, self._prefix_providers)
        for form in parsed.forms:
            if model_id := self._model_index.first_match(form):
                model = self.models[model_id]
                entry = self.longtail.get(raw) or self.longtail.get(form) or {}
                why = f"{raw!r} matches catalog model {model.id!r}" + (
                    f" ({'; '.join(parsed.notes)})" if parsed.notes else "")
                return ModelMatch(raw, parsed, model, entry.get("provider"), model.kind, why)
        for form in (raw, *parsed.forms):
            if entry := self.longtail.get(form):
                return ModelMatch(raw, parsed, None, entry.get("provider"), entry.get("mode"),
                                  f"{raw!r} is listed for provider {entry.get('provider')!r} in the long-tail id map")
        return None

    def first_party_provider(self, maker: str) -> Provider | None:
        """The provider that is the maker's own API (openai for 'openai', dashscope for 'alibaba')."""
        provider = self.providers.get(maker)
        if provider is not None and not provider.self_hosted:
            return provider
        return next((p for p in self.providers.values() if maker in p.first_party_for), None)

    def provider_for_model(self, model_id: str) -> tuple[str | None, str]:
        """The provider a multi-provider library (LiteLLM, init_chat_model) sends ``model_id`` to, and why."""
        return self._provider_for_model(model_id)

    @lru_cache(maxsize=8192)  # noqa: B019 - catalogs are few and long-lived; ids repeat across a tree
    def _provider_for_model(self, model_id: str) -> tuple[str | None, str]:
        parsed = parse_model_id(model_id, self._prefix_providers)
        if parsed.provider_hints:
            return parsed.provider_hints[0], f"model id {model_id!r} names provider {parsed.provider_hints[0]!r}"
        match = self.match_model(model_id)
        if match is not None and match.model is not None:
            provider = self.first_party_provider(match.model.maker)
            if provider is not None:
                return provider.id, f"{model_id!r} is {match.model.name}, served by its maker's API {provider.id!r}"
        if match is not None and match.longtail_provider:
            return match.longtail_provider, match.why
        return None, ""

    def is_open_weights(self, model_id: str) -> bool | None:
        match = self.match_model(model_id)
        return match.model.open_weights if match and match.model else None

    # -- lock-in -------------------------------------------------------------------------------------

    def lockin_rule(self, rule_id: str) -> LockinRule:
        return next(r for r in self.lockin.rule if r.id == rule_id)

    # -- explain -------------------------------------------------------------------------------------

    def explain(self, name: str) -> dict[str, Any]:
        """What the catalog knows about a model id, provider id, package, env var or host, and why."""
        if provider := self.providers.get(name):
            return {"kind": "provider", "query": name, "why": f"{name!r} is a provider id",
                    **provider.model_dump(mode="json")}
        if match := self.match_model(name):
            return _explain_model(self, match)
        if (host := self.provider_for_url(name)) and ("." in name or ":" in name or "/" in name):
            provider = self.providers.get(host.provider)
            return {"kind": "host", "query": name, "provider": host.provider, "why": host.why,
                    "jurisdiction": provider.jurisdiction if provider else None, "self_hosted": host.self_hosted}
        if env_provider := self.provider_for_env(name):
            return {"kind": "env", "query": name, "provider": env_provider.id,
                    "why": f"{name!r} is an environment variable of provider {env_provider.id!r}"}
        for ecosystem in ("pypi", "npm", "go", "maven"):
            if owners := self.providers_for_package(ecosystem, name):
                return {"kind": "package", "query": name, "ecosystem": ecosystem,
                        "providers": [p.id for p in owners],
                        "why": f"{name!r} is an SDK package ({ecosystem}) of {', '.join(p.id for p in owners)}"}
        return {"kind": "unknown", "query": name,
                "why": f"nothing in the catalog matches {name!r}: not a known model id, provider, host, "
                       "environment variable or SDK package. Add it under [catalog] in offramp.toml."}


def _explain_model(catalog: Catalog, match: ModelMatch) -> dict[str, Any]:
    model = match.model
    providers = list(match.provider_hints)
    if model is None:
        return {"kind": "model", "query": match.raw, "model": None, "provider": match.longtail_provider,
                "providers": providers, "maker": None, "maker_jurisdiction": None, "open_weights": None,
                "licence": None, "modalities": [], "substitutes": [], "fine_tuned": match.parsed.fine_tuned,
                "why": match.why + "; its maker and weights are not in the curated catalog"}
    if not providers:
        providers = [p.id for p in catalog.providers.values() if p.id == model.maker and not p.self_hosted]
    return {
        "kind": "model",
        "query": match.raw,
        "model": model.id,
        "name": model.name,
        "provider": providers[0] if providers else None,
        "providers": providers,
        "maker": model.maker,
        "maker_jurisdiction": model.maker_jurisdiction,
        "open_weights": model.open_weights,
        "licence": model.licence,
        "model_kind": model.kind,
        "modalities": list(model.modalities),
        "context_window": model.context_window,
        "fine_tuned": match.parsed.fine_tuned,
        "substitutes": [
            {"model": s.model, "name": catalog.models[s.model].name, "licence": catalog.models[s.model].licence,
             "keeps": list(s.keeps), "loses": list(s.loses)}
            for s in model.substitutes
        ],
        "why": match.why,
    }


class _PatternIndex:
    """Model patterns grouped by the literal text any match must start with, each compiled on first use.

    Compiling every pattern up front costs more than loading the rest of the catalog; a model id only ever
    needs the few patterns whose literal head it starts with, plus those without one.
    """

    def __init__(self, patterns: list[tuple[str, str]]) -> None:
        """``patterns``: (model id, pattern) in catalog order; the first model in that order wins."""
        self._by_first_char: dict[str, list[tuple[int, str, str, str]]] = {}
        self._headless: list[tuple[int, str, str, str]] = []
        for order, (model_id, pattern) in enumerate(patterns):
            heads = _literal_heads(pattern)
            if "" in heads:
                self._headless.append((order, "", model_id, pattern))
            for head in filter(None, heads):
                self._by_first_char.setdefault(head[0], []).append((order, head, model_id, pattern))

    def first_match(self, form: str) -> str | None:
        text = form.lower()
        candidates = {e for e in self._by_first_char.get(text[:1], ()) if text.startswith(e[1])}
        for _, _, model_id, pattern in sorted(candidates.union(self._headless)):
            if _compiled(pattern).fullmatch(form):
                return model_id
        return None


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_REGEX_SYNTAX = frozenset("\\^$.|?*+()[]{}")
# A leading group of plain alternatives, optional or not: "(meta-)?llama-3", "(davinci|babbage)-002".
_LEADING_CHOICE = re.compile(r"\(((?:[\w-]+\|)*[\w-]+)\)(\?)?")


def _literal_heads(pattern: str) -> tuple[str, ...]:
    """The lower-cased literal texts one of which every match of ``pattern`` starts with ('' when unsure)."""
    if _has_top_level_alternation(pattern):
        return ("",)
    choice = _LEADING_CHOICE.match(pattern)
    if choice and not (choice.group(2) is None and pattern[choice.end() : choice.end() + 1] in ("*", "+", "{")):
        rest = _literal_head(pattern[choice.end() :])
        options = [*choice.group(1).split("|"), *([""] if choice.group(2) else [])]
        return tuple(dict.fromkeys(f"{option}{rest}".lower() for option in options))
    return (_literal_head(pattern),)


def _literal_head(pattern: str) -> str:
    """The lower-cased literal text every match of ``pattern`` starts with ('' when unsure)."""
    if _has_top_level_alternation(pattern):
        return ""
    head: list[str] = []
    index = 0
    while index < len(pattern):
        char, width = pattern[index], 1
        if char == "\\" and index + 1 < len(pattern) and not pattern[index + 1].isalnum():
            char, width = pattern[index + 1], 2
        elif char in _REGEX_SYNTAX:
            break
        if pattern[index + width : index + width + 1] in ("?", "*", "+", "{"):
            break  # a quantified character may be absent or repeated
        head.append(char)
        index += width
    return "".join(head).lower()


def _has_top_level_alternation(pattern: str) -> bool:
    depth, in_class, escaped = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return False


_HOSTNAME = re.compile(r"[a-z0-9._:\[\]-]+")
_PRIVATE_SUFFIXES = (".local", ".internal", ".lan", ".svc", ".cluster.local", ".localdomain")


def _provider_for_url(catalog: Catalog, url: str) -> HostMatch | None:
    if not url:
        return None
    if "//" not in url and "@" in url.split("/", 1)[0]:
        return None  # "@scope/package" or "user@host": a bare host[:port] carries no user part
    try:  # "[red]text" or "http://[not-ipv6]/": urlsplit and .port reject a bracketed non-address
        parts = urlsplit(url if "//" in url else f"//{url}")
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:
        return None
    if not host or not _HOSTNAME.fullmatch(host):
        return None  # a placeholder such as "{host}" or "{?}" is not a host
    exact, wildcards = catalog._hosts
    if provider := exact.get(host):
        return HostMatch(provider, f"host {host!r} belongs to {provider!r}", _is_self_hosted(catalog, provider))
    for pattern, written, provider in wildcards:
        if pattern.fullmatch(host):
            return HostMatch(provider, f"host {host!r} matches {written!r} of {provider!r}",
                             _is_self_hosted(catalog, provider))
    if not _is_private_host(host):
        return None
    if "//" not in url and "." not in host and host != "localhost" and port is None:
        return None  # "open_ai_api_base/openai/..." (a setting's key as its default): a word, not an address
    if host in catalog.providers and catalog.providers[host].self_hosted:
        return HostMatch(host, f"private host {host!r} is named after self-hosted server {host!r}", True)
    if port is not None and (provider := catalog._ports.get(port)):
        return HostMatch(provider, f"private host {host!r} on port {port}, the default port of {provider!r}", True,
                         guessed=True)
    return HostMatch(SELF_HOSTED_PROVIDER, f"{host!r} is a loopback or private address: self-hosted", True,
                     guessed=True)


def _path_part(url: str) -> str:
    """The path of a URL whose scheme and host may be missing or unknown ('{?}' marks an unknown part, not a
    query), without query or fragment."""
    rest = url.split("//", 1)[1].partition("/")[2] if "//" in url else url
    return re.split(r"(?<!\{)[?#]", rest, maxsplit=1)[0]


def _host_pattern(host: str) -> re.Pattern[str]:
    """A leading '*.' stands for one or more subdomain labels; any other '*' for part of a single label.

    So 'bedrock-runtime.*.amazonaws.com' names Bedrock in every region without claiming all of AWS.
    """
    subdomains, rest = (r"(?:[a-z0-9-]+\.)+", host[2:]) if host.startswith("*.") else ("", host)
    return re.compile(subdomains + re.escape(rest.lower()).replace(r"\*", "[a-z0-9-]+"))


def _is_self_hosted(catalog: Catalog, provider_id: str) -> bool:
    provider = catalog.providers.get(provider_id)
    return bool(provider and provider.self_hosted)


def _is_private_host(host: str) -> bool:
    if host == "localhost" or host.endswith(_PRIVATE_SUFFIXES) or "." not in host.strip("[]"):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


def _validated(schema: type[Any], data: Any, origin: str, *, trusted: bool = False) -> Any:
    from pydantic import ValidationError

    try:
        return schema.model_validate(data, context={"trusted": trusted})
    except ValidationError as exc:
        problems = "; ".join(
            f"{_locate(data, err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise CatalogError(f"{origin}: {problems}") from None


def _locate(data: Any, loc: Iterable[Any]) -> str:
    """Turn a pydantic error location into 'model[gpt-4o].patterns' style text."""
    path: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int) and isinstance(node, list) and key < len(node):
            node = node[key]
            label = node.get("id") if isinstance(node, dict) else None
            path[-1] = f"{path[-1]}[{label or key}]" if path else f"[{key}]"
        else:
            node = node.get(key) if isinstance(node, dict) else None
            path.append(str(key))
    return ".".join(path) or "(top level)"


def _read_toml(name: str) -> dict[str, Any]:
    return bundled_toml("offramp.catalog.data", name, CatalogError)


@cache
def _bundled() -> Catalog:
    return compiled("catalog", _compiled_catalog)


def _compiled_catalog() -> Catalog:
    providers = _validated(ProvidersFile, _read_toml("providers.toml"), "catalog/data/providers.toml")
    models = _validated(ModelsFile, _read_toml("models.toml"), "catalog/data/models.toml", trusted=True)
    lockin = _validated(LockinFile, _read_toml("lockin.toml"), "catalog/data/lockin.toml")
    _unique(providers.provider, "catalog/data/providers.toml")
    _unique(models.model, "catalog/data/models.toml")
    longtail_file = resources.files("offramp.catalog.data").joinpath(LONGTAIL_FILE)
    longtail = json.loads(longtail_file.read_text(encoding="utf-8"))["ids"] if longtail_file.is_file() else {}
    catalog = Catalog(
        {p.id: p for p in providers.provider}, {m.id: m for m in models.model}, lockin, longtail, ("bundled",)
    )
    catalog.check_references()
    return catalog


def _unique(entries: list[Any], origin: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.id in seen:
            raise CatalogError(f"{origin}: id {entry.id!r} appears twice")
        seen.add(entry.id)

