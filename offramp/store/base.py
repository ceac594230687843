"""The store interface, and choosing an engine from a location: a SQLite file (or ``sqlite:///file``), or a
``postgresql://`` URL."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from offramp.store.database import StoreError, connect
from offramp.store.drills import DrillStore
from offramp.store.records import ExposureBucket, ExposureRow, RequestRecord

__all__ = ["StoreError", "TelemetryStore", "open_drill_store", "open_store"]


class TelemetryStore(Protocol):
    """Request telemetry and the gateway's lasting decisions. Telemetry writes come in batches from a background
    flusher (or one per request in synchronous mode), never from the event loop itself."""

    def write(self, records: Sequence[RequestRecord]) -> None: ...

    def exposure(self, since: float) -> list[ExposureRow]:
        """Requests and tokens since ``since`` (epoch seconds), grouped by provider, jurisdiction, exposed."""
        ...

    def exposure_series(self, since: float, bucket_seconds: float) -> list[ExposureBucket]:
        """Requests, exposed requests, tokens and exposed tokens since ``since``, per time bucket, oldest first."""
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
    """The gateway's telemetry store at ``location``: a SQLite path, ``sqlite:///path`` or ``postgresql://...``."""
    from offramp.store.telemetry import SQLTelemetryStore

    return SQLTelemetryStore(connect(location, "telemetry store", "check [telemetry] store in the gateway config "
                                                                  "(or --store), and that its folder is writable"))


def open_drill_store(location: str | Path) -> DrillStore:
    """Drill runs and verdicts at ``location`` (by default the scan history's store), as for :func:`open_store`."""
    from offramp.store.drills_sql import SQLDrillStore

    return SQLDrillStore(connect(location, "drill store", "choose another store with --store (--history-db) or "
                                                          "$OFFRAMP_STORE, and check that its folder is writable"))
