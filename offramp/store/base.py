"""The store interface, and choosing an implementation from a URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from offramp.store.drills import DrillStore
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
    from offramp.store.sqlite import SQLiteStore

    return SQLiteStore(_sqlite_file(location, "telemetry"))


def open_drill_store(location: str | Path) -> DrillStore:
    """Drill runs and verdicts at ``location`` (by default the scan history's file), as for :func:`open_store`."""
    from offramp.store.drills_sqlite import SQLiteDrillStore

    return SQLiteDrillStore(_sqlite_file(location, "drill storage"))


def _sqlite_file(location: str | Path, what: str) -> Path:
    text = str(location)
    if text.startswith(("postgres://", "postgresql://")):
        raise StoreError(
            f"PostgreSQL {what} is not available yet; use a SQLite path (\"offramp.sqlite\") "
            "for now. Processes on one machine can share one SQLite file."
        )
    if "://" in text and not text.startswith("sqlite://"):
        raise StoreError(f"unknown store {text!r}: give a file path or sqlite:///path/to/file.sqlite")
    return Path(text.removeprefix("sqlite://")) if text.startswith("sqlite://") else Path(text)
