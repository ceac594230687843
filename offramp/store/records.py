"""The rows the gateway writes: one per client request."""

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
