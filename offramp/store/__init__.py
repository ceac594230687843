"""Where Offramp keeps what it measures: SQLite on one machine, PostgreSQL when several share it."""

from offramp.store.base import StoreError, TelemetryStore, open_store
from offramp.store.records import ExposureRow, RequestRecord

__all__ = ["ExposureRow", "RequestRecord", "StoreError", "TelemetryStore", "open_store"]
