"""Live exposure: the share of real requests, by count and by tokens, that only an at-risk closed model
could have served, read from the telemetry store."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from offramp.store import ExposureRow, TelemetryStore

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_window(text: str) -> float:
    """``90s``, ``15m``, ``24h``, ``7d``, ``2w`` in seconds."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text)
    if not match:
        raise ValueError(f"window {text!r} is not a duration such as 15m, 24h or 7d")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass(frozen=True)
class LiveExposure:
    window_seconds: float
    requests: int
    exposed_requests: int
    tokens: int
    exposed_tokens: int
    failed: int
    rows: list[ExposureRow]

    @property
    def by_count(self) -> float | None:
        return self.exposed_requests / self.requests if self.requests else None

    @property
    def by_tokens(self) -> float | None:
        return self.exposed_tokens / self.tokens if self.tokens else None

    def as_dict(self) -> dict[str, object]:
        return {
            "window_seconds": self.window_seconds, "requests": self.requests,
            "exposed_requests": self.exposed_requests, "exposure_by_count": self.by_count,
            "tokens": self.tokens, "exposed_tokens": self.exposed_tokens, "exposure_by_tokens": self.by_tokens,
            "failed_requests": self.failed,
            "by_provider": [{"provider": r.provider, "jurisdiction": r.jurisdiction, "exposed": r.exposed,
                             "requests": r.requests, "tokens": r.tokens, "failed": r.failed} for r in self.rows],
        }


def live_exposure(store: TelemetryStore, window_seconds: float, now: float | None = None) -> LiveExposure:
    return summarise(store.exposure((time.time() if now is None else now) - window_seconds), window_seconds)


def summarise(rows: list[ExposureRow], window_seconds: float) -> LiveExposure:
    """The live exposure of these telemetry groups (all of a window's, or the ones a filter keeps)."""
    return LiveExposure(
        window_seconds=window_seconds,
        requests=sum(r.requests for r in rows),
        exposed_requests=sum(r.requests for r in rows if r.exposed),
        tokens=sum(r.tokens for r in rows),
        exposed_tokens=sum(r.tokens for r in rows if r.exposed),
        failed=sum(r.failed for r in rows),
        rows=rows,
    )
