"""Where Offramp keeps what it measures: SQLite on one machine, PostgreSQL when several share it."""

from offramp.store.base import StoreError, TelemetryStore, open_drill_store, open_store
from offramp.store.drills import DrillRun, DrillStore, PromptResult
from offramp.store.records import ExposureRow, RequestRecord

__all__ = ["DrillRun", "DrillStore", "ExposureRow", "PromptResult", "RequestRecord", "StoreError", "TelemetryStore",
           "open_drill_store", "open_store"]
