"""The store interface, and choosing an implementation from a URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from offramp.store.records import ExposureRow, RequestRecord


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to do."""


class TelemetryStore(Protocol):
    """Request telemetry and the gateway's lasting decisions. Telemetry writes come in batches from a background
    flusher (or one per request in synchronous mode), never from the event loop itself."""

    def write(self, records: Sequence[RequestRecord]) -> None: ...

    def exposure(self, since: float) -> list[ExposureRow]:
        """Requests and tokens since ``since`` (epoch seconds), grouped by provider, jurisdiction, exposed."""
        ...

    def recent(self, limit: int) -> list[RequestRecord]:
        """The last ``limit`` requests, newest first."""
        ...

    def cutoffs(self) -> dict[str, str]:
        """Providers cut off by hand, with the reason given: they stay cut off across restarts until restored."""
        ...

    def save_cutoff(self, provider: str, reason: str | None) -> None:
        """Record that ``provider`` was cut off by hand (``reason``), or restored (None)."""
        ...

    def close(self) -> None: ...


def open_store(location: str | Path) -> TelemetryStore:
    """A store for ``location``: a file path or ``sqlite:///path`` (SQLite), ``postgresql://...`` (planned)."""
    text = str(location)
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError(
            "PostgreSQL telemetry is not available yet; use a SQLite path (store = \"offramp.sqlite\") "
            "for now. Gateway replicas on one machine can share one SQLite file."
        )
    if "://" in text and not text.startswith("sqlite://"):
        raise StoreError(f"unknown store {text!r}: give a file path or sqlite:///path/to/file.sqlite")
    from offramp.store.sqlite import SQLiteStore

    return SQLiteStore(Path(text.removeprefix("sqlite://")) if text.startswith("sqlite://") else Path(text))
