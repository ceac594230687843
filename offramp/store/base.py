"""The store interface, and choosing an implementation from a URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from offramp.store.records import ExposureRow, RequestRecord


class StoreError(Exception):
    """The store cannot be opened or written; the message says what to do."""


class TelemetryStore(Protocol):
    """Request telemetry. Writes come in batches from a background flusher, never from the hot path."""

    def write(self, records: Sequence[RequestRecord]) -> None: ...

    def exposure(self, since: float) -> list[ExposureRow]:
        """Requests and tokens since ``since`` (epoch seconds), grouped by provider, jurisdiction, exposed."""
        ...

    def recent(self, limit: int) -> list[RequestRecord]:
        """The last ``limit`` requests, newest first."""
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
