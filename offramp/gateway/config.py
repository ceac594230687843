"""The gateway's config file: TOML, validated at load time, errors pointing at the offending line.

Validation happens once, here; the request path only sees the resolved :class:`GatewayConfig`.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from offramp.catalog.catalog import Catalog, CatalogError

DEFAULT_PORT = 8787
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
Api = Literal["openai", "anthropic"]


class ConfigError(Exception):
    """The config file is wrong; the message names the file, the line and what to change."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Timeouts(_Strict):
    connect: float = Field(5.0, gt=0, description="Seconds to open the connection.")
    first_byte: float = Field(30.0, gt=0, description="Seconds until the answer starts (TTFT for streams).")
    idle: float = Field(60.0, gt=0, description="Longest silence, in seconds, between two parts of an answer.")
    total: float = Field(600.0, gt=0, description="Seconds for the whole answer.")


class BreakerSettings(_Strict):
    window: float = Field(30.0, gt=0, description="Seconds of outcomes the failure rate looks at.")
    min_requests: int = Field(5, ge=1, description="Outcomes needed in the window before the rate counts.")
    failure_rate: float = Field(0.5, gt=0, le=1, description="Failure share that opens the circuit.")
    consecutive_failures: int = Field(
        3, ge=1, description="Failures in a row that open the circuit, whatever the rate (a target that just died).")
    open_for: float = Field(30.0, gt=0, description="Seconds an opened circuit waits before a trial request.")
    stall_factor: float = Field(
        4.0, ge=1, description="A request waiting in silence this many times the slowest recent first byte stalls.")
    stall_min: float = Field(1.0, gt=0, description="Seconds of silence below which no request counts as stalled.")


class TargetSettings(_Strict):
    provider: str = Field(description="Provider id from the catalog, e.g. 'anthropic', 'vllm'.")
    model: str = Field(min_length=1, description="Model id the target's API expects.")
    base_url: str | None = Field(None, description="Defaults to the provider's first catalog base URL.")
    api: Api | None = Field(None, description="Wire format of the target; defaults from the provider.")
    key_env: str | None = Field(None, description="Environment variable holding the target's API key.")
    timeouts: Timeouts = Timeouts()
    open_weights: bool | None = Field(None, description="Say so when the catalog does not know the model.")
    max_tokens: int = Field(4096, ge=1, description="max_tokens sent to Anthropic when the client set none.")
    continue_final_message: bool = Field(
        False, description="The server continues a trailing assistant message only when asked (vLLM, SGLang)."
    )
    embedding_space: str | None = Field(
        None, description="Targets whose embeddings are interchangeable share a space; defaults to the model id.")

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is not None and not re.match(r"^https?://[^/\s]+", url):
            raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
        return url


class CaptureSettings(_Strict):
    file: str = Field(min_length=1, description="JSONL prompt set the sampled requests are appended to.")
    sample: float = Field(0.1, gt=0, le=1, description="Share of the route's requests captured.")


class RouteSettings(_Strict):
    targets: list[TargetSettings] = Field(min_length=1, description="Tried in order.")
    continue_stream: bool = Field(False, description="Continue a broken stream on the next target.")
    forbid_jurisdictions: list[str] = Field(default_factory=list)
    forbid_at_risk_closed: bool = False
    breaker: BreakerSettings = BreakerSettings()
    cutoff_cooldown: float = Field(300.0, gt=0, description="Seconds a legal refusal keeps the circuit cut off.")
    probe_interval: float = Field(10.0, gt=0, description="Seconds between background probes of a cut-off target.")
    capture: CaptureSettings | None = Field(None, description="Opt-in: keep redacted prompts for `offramp drill`.")


class ClientKeySettings(_Strict):
    name: str = Field(min_length=1)
    hash: str = Field(pattern=r"^sha256:[0-9a-f]{32}:[0-9a-f]{64}$", description="From `offramp gateway-key`.")
    forbid_jurisdictions: list[str] = Field(default_factory=list)
    forbid_at_risk_closed: bool = False


class ServerSettings(_Strict):
    host: str = "127.0.0.1"
    port: int = Field(DEFAULT_PORT, ge=0, le=65535)
    max_request_bytes: int = Field(20 * 1024 * 1024, ge=1024)
    max_concurrent: int = Field(512, ge=1)
    header_timeout: float = Field(
        10.0, gt=0, description="Seconds a connection may take to send a request's headers (or sit idle).")
    body_timeout: float = Field(30.0, gt=0, description="Seconds a client may take to upload a request body.")
    admin_key_hash: str | None = Field(None, pattern=r"^sha256:[0-9a-f]{32}:[0-9a-f]{64}$")


class TelemetrySettings(_Strict):
    store: str = Field("offramp-gateway.sqlite",
                       description="SQLite path (relative to the config file) or postgresql:// URL.")
    flush_interval: float = Field(0.25, gt=0, description="Seconds between batched writes.")
    synchronous: bool = Field(False, description="Commit each request's row before answering it (durable "
                                                 "across a crash, at one store write per request).")


class SharedStateSettings(_Strict):
    redis: str | None = Field(
        None, description="Redis URL (redis://[:password@]host:port/db, rediss:// for TLS) that gateway replicas "
                          "share cut-offs and circuit-breaker evidence through; OFFRAMP_REDIS or `offramp serve "
                          "--redis` override it. None: each gateway keeps its state in its own process.")
    sync_interval: float = Field(0.25, gt=0, le=5, description="Seconds between two exchanges with Redis: a "
                                                                "cut-off seen on one replica reaches the others "
                                                                "within about this long.")

    @field_validator("redis")
    @classmethod
    def _redis_url(cls, url: str | None) -> str | None:
        if url is not None and not re.match(r"^(rediss?://[^/\s]+|unix://\S+)", url):
            raise ValueError("shared_state.redis must be a redis://, rediss:// or unix:// URL, e.g. "
                             "redis://redis.internal:6379/0")
        return url


class PolicySettings(_Strict):
    at_risk_jurisdictions: list[str] = Field(default_factory=lambda: ["US"])


class GatewayFile(_Strict):
    server: ServerSettings = ServerSettings()
    telemetry: TelemetrySettings = TelemetrySettings()
    shared_state: SharedStateSettings = SharedStateSettings()
    policy: PolicySettings = PolicySettings()
    keys: list[ClientKeySettings] = Field(default_factory=list)
    routes: dict[str, RouteSettings] = Field(min_length=1, description="Model alias -> route.")
    catalog: dict[str, Any] | None = Field(None, description="Catalog extension, as in offramp.toml.")


# -- resolved config: what the server runs on ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """One place a route can send a request, with everything the hot path needs precomputed."""

    id: str
    """``provider:model``; names the target in headers, metrics and telemetry."""
    provider: str
    model: str
    api: Api
    base_url: str
    url: str
    """The chat endpoint: ``.../chat/completions`` or ``.../v1/messages``."""
    auth_headers: Mapping[str, str] = field(repr=False)
    secret: str | None = field(repr=False)
    jurisdiction: str | None
    self_hosted: bool
    open_weights: bool | None
    at_risk_closed: bool
    """A closed (or unknown) model served from an at-risk jurisdiction."""
    timeouts: Timeouts
    max_tokens: int
    continue_final_message: bool
    embedding_space: str
    """Embeddings fail over only between targets of one space: other vectors would poison an index."""

    @property
    def jurisdiction_label(self) -> str:
        return self.jurisdiction or ("self-hosted" if self.self_hosted else "unknown")


@dataclass(frozen=True, slots=True)
class Route:
    alias: str
    targets: tuple[Target, ...]
    continue_stream: bool
    forbid_jurisdictions: frozenset[str]
    forbid_at_risk_closed: bool
    breaker: BreakerSettings
    cutoff_cooldown: float
    probe_interval: float
    capture: CaptureSettings | None = None
    """``capture.file`` resolved against the config file's folder."""


@dataclass(frozen=True, slots=True)
class ClientKey:
    name: str
    hash: str
    forbid_jurisdictions: frozenset[str]
    forbid_at_risk_closed: bool


@dataclass(frozen=True, slots=True)
class GatewayConfig:
    source: str
    server: ServerSettings
    store: str
    flush_interval: float
    synchronous_telemetry: bool
    at_risk_jurisdictions: frozenset[str]
    keys: tuple[ClientKey, ...]
    routes: Mapping[str, Route]
    shared_state: SharedStateSettings = field(default_factory=SharedStateSettings)

    @property
    def on_loopback(self) -> bool:
        return self.server.host in LOOPBACK_HOSTS


def load_config(path: str | Path, environ: Mapping[str, str] | None = None, *,
                need_secrets: bool = True) -> GatewayConfig:
    """Read, validate and resolve a gateway config file; raises :class:`ConfigError` with line numbers.

    ``need_secrets=False`` is for the commands that only read the address or the telemetry store
    (``cutoff``, ``exposure --live``): the providers' API keys need not be in their environment.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read gateway config {str(path)!r}: {exc.strerror}") from None
    return parse_config(text, str(path), os.environ if environ is None else environ, path.parent, need_secrets)


def parse_config(text: str, source: str, environ: Mapping[str, str], base_dir: Path,
                 need_secrets: bool = True) -> GatewayConfig:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    try:
        settings = GatewayFile.model_validate(data)
    except ValidationError as exc:
        lines = _key_lines(text)
        problems = [f"{source}:{_line_of(lines, err['loc'])}: {'.'.join(map(str, err['loc']))}: {err['msg']}"
                    for err in exc.errors(include_url=False)]
        raise ConfigError("invalid gateway config:\n  " + "\n  ".join(problems)) from None
    try:
        catalog = Catalog.load(settings.catalog, origin=f"{source} [catalog]")
    except CatalogError as exc:
        raise ConfigError(str(exc)) from None
    lines = _key_lines(text)
    at_risk = frozenset(settings.policy.at_risk_jurisdictions)
    routes = {
        alias: _route(alias, route, catalog, at_risk, environ if need_secrets else None,
                      lambda loc: f"{source}:{_line_of(lines, loc)}", base_dir)
        for alias, route in settings.routes.items()
    }
    store = settings.telemetry.store
    if "://" not in store and not Path(store).is_absolute():
        store = str(base_dir / store)
    keys = tuple(ClientKey(k.name, k.hash, frozenset(k.forbid_jurisdictions), k.forbid_at_risk_closed)
                 for k in settings.keys)
    if settings.server.host not in LOOPBACK_HOSTS and not keys:
        raise ConfigError(
            f"{source}:{_line_of(lines, ('server', 'host'))}: the gateway binds {settings.server.host!r}, "
            "reachable from other machines, but no [[keys]] are configured; add client keys "
            "(hash one with `offramp gateway-key`) or bind 127.0.0.1"
        )
    return GatewayConfig(source, settings.server, store, settings.telemetry.flush_interval,
                         settings.telemetry.synchronous, at_risk, keys, routes, settings.shared_state)


def _route(alias: str, settings: RouteSettings, catalog: Catalog, at_risk: frozenset[str],
           environ: Mapping[str, str] | None, where: Any, base_dir: Path) -> Route:
    targets = []
    for index, target in enumerate(settings.targets):
        loc = ("routes", alias, "targets", index)
        targets.append(_target(target, catalog, at_risk, environ, lambda key, loc=loc: where((*loc, key))))
    capture = settings.capture
    if capture is not None:
        capture = capture.model_copy(update={"file": str(base_dir / capture.file)})
    return Route(alias, tuple(targets), settings.continue_stream, frozenset(settings.forbid_jurisdictions),
                 settings.forbid_at_risk_closed, settings.breaker, settings.cutoff_cooldown, settings.probe_interval,
                 capture)


def _target(settings: TargetSettings, catalog: Catalog, at_risk: frozenset[str],
            environ: Mapping[str, str] | None, where: Any) -> Target:
    """``environ`` None: resolve without secrets (the target is never called)."""
    provider = catalog.provider(settings.provider)
    if provider is None:
        raise ConfigError(
            f"{where('provider')}: unknown provider {settings.provider!r}; use a catalog provider id "
            f"({', '.join(sorted(catalog.providers))}) or declare it under [[catalog.provider]]"
        )
    api: Api = settings.api or ("anthropic" if provider.id == "anthropic" else "openai")
    base_url = settings.base_url or (provider.base_urls[0] if provider.base_urls else None)
    if base_url is None:
        raise ConfigError(f"{where('base_url')}: provider {provider.id!r} has no default base URL; set base_url")
    base_url = base_url.rstrip("/")
    if api == "anthropic":
        base_url = base_url.removesuffix("/v1")
    secret = None
    if settings.key_env and environ is not None:
        secret = environ.get(settings.key_env)
        if not secret:
            raise ConfigError(f"{where('key_env')}: environment variable {settings.key_env} is not set; "
                              f"export the API key of {provider.id!r} in it before `offramp serve`")
    match = catalog.match_model(settings.model)
    open_weights = settings.open_weights
    if open_weights is None and match and match.model:
        open_weights = match.model.open_weights
    if provider.self_hosted:
        open_weights = True if open_weights is None else open_weights  # whatever runs here, we hold its weights
    at_risk_closed = (not provider.self_hosted and provider.jurisdiction in at_risk and open_weights is not True)
    if api == "anthropic":
        url = f"{base_url}/v1/messages"
        headers = {"anthropic-version": "2023-06-01", **({"x-api-key": secret} if secret else {})}
    else:
        url = f"{base_url}/chat/completions"
        headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return Target(
        id=f"{provider.id}:{settings.model}", provider=provider.id, model=settings.model, api=api,
        base_url=base_url, url=url, auth_headers=headers, secret=secret, jurisdiction=provider.jurisdiction,
        self_hosted=provider.self_hosted, open_weights=open_weights, at_risk_closed=at_risk_closed,
        timeouts=settings.timeouts, max_tokens=settings.max_tokens,
        continue_final_message=settings.continue_final_message,
        embedding_space=settings.embedding_space or settings.model,
    )


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")
_KEY_PART = re.compile(r'"([^"]*)"|\'([^\']*)\'|([^.]+)')


def _split_key(text: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ("a", "b.c", "d")."""
    return tuple(m.group(1) or m.group(2) or m.group(3).strip() for m in _KEY_PART.finditer(text))


def _key_lines(text: str) -> dict[tuple[object, ...], int]:
    """Map each key path in a TOML text (array tables numbered) to the line that defines it."""
    lines: dict[tuple[object, ...], int] = {}
    counts: dict[tuple[object, ...], int] = {}
    table: tuple[object, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        if header := _HEADER.match(line):
            parts = _split_key(header.group(2))
            # An array table's path carries the indexes of the arrays above it, e.g. routes.x.targets.1.
            resolved: tuple[object, ...] = ()
            for part in parts:
                resolved = (*resolved, part)
                if resolved in counts and resolved != parts:
                    resolved = (*resolved, counts[resolved] - 1)
            if header.group(1) == "[[":
                counts[resolved] = counts.get(resolved, 0) + 1
                resolved = (*resolved, counts[resolved] - 1)
            table = resolved
            lines.setdefault(table, number)
        elif key := _KEY.match(line):
            lines.setdefault((*table, *_split_key(key.group(1))), number)
    return lines


def _line_of(lines: Mapping[tuple[object, ...], int], loc: tuple[object, ...]) -> int:
    for end in range(len(loc), 0, -1):
        if (line := lines.get(tuple(loc[:end]))) is not None:
            return line
    return 1
