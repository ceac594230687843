"""The rows the stores give back: gateway requests and their exposure, the dashboard's paths and groups."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One client request as the gateway saw it, from arrival to the last byte it sent."""

    ts: float
    """Arrival time, seconds since the epoch."""
    alias: str
    client_api: str
    """The protocol the client spoke: 'openai' or 'anthropic'."""
    target: str | None
    """The target that served the request (``provider:model``), None when none did."""
    provider: str | None
    jurisdiction: str | None
    open_weights: bool | None
    status: int
    latency_ms: float
    input_tokens: int
    output_tokens: int
    stream: bool
    exposed: bool
    """Only an at-risk closed model could have served it (see docs/gateway.md, "Live exposure")."""
    chain: str
    """The attempts in order, ``target=outcome`` joined by ``;`` (``anthropic:claude=451;vllm:qwen=ok``)."""
    client_key: str | None = None
    """The name of the client API key, never the key."""
    untranslated: str = ""
    """Request options the serving target had no equivalent for, as in the ``x-offramp-untranslated`` header
    (``seed, logprobs``); empty when every option was translated."""


@dataclass(frozen=True, slots=True)
class ExposureRow:
    """Requests and tokens of one (provider, jurisdiction, exposed) group over a window."""

    provider: str | None
    jurisdiction: str | None
    exposed: bool
    requests: int
    tokens: int
    failed: int


@dataclass(frozen=True, slots=True)
class TopPath:
    """One path of a repository's latest recorded scan; unknown (or recorded before it was kept) is None."""

    repository: str
    branch: str | None
    commit: str | None
    file: str
    line: int
    fingerprint: str
    provider: str | None
    """The provider of the path's first target."""
    jurisdiction: str | None
    model: str | None
    critical: bool | None
    at_risk: bool | None
    exposure_level: int
    """2: exposed past 48 h (so also without fallback); 1: exposed without fallback only; 0: not exposed."""


@dataclass(frozen=True, slots=True)
class ExposureGroup:
    """The paths of the latest scans that share one repository, provider or jurisdiction (``key``)."""

    key: str | None
    paths: int
    critical_paths: int
    exposed_48h: int
    exposed_no_fallback: int

    @property
    def exposure_48h(self) -> float:
        return self.exposed_48h / self.critical_paths if self.critical_paths else 0.0

    @property
    def exposure_no_fallback(self) -> float:
        return self.exposed_no_fallback / self.critical_paths if self.critical_paths else 0.0


@dataclass(frozen=True, slots=True)
class ExposureBucket:
    """The gateway's requests and tokens in one time bucket, and the share only an at-risk closed model served."""

    start: float
    """The bucket's first second, since the epoch."""
    requests: int
    exposed_requests: int
    tokens: int
    exposed_tokens: int
