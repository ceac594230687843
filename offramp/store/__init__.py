"""Where Offramp keeps what it measures: SQLite on one machine, PostgreSQL when several share it."""

from offramp.store.base import StoreError, TelemetryStore, open_drill_store, open_store
from offramp.store.drills import DrillRun, DrillStore, PrimaryReply, PrimarySide, PromptResult
from offramp.store.records import ExposureBucket, ExposureGroup, ExposureRow, RequestRecord, TopPath

__all__ = ["DrillRun", "DrillStore", "ExposureBucket", "ExposureGroup", "ExposureRow", "PrimaryReply", "PrimarySide",
           "PromptResult", "RequestRecord", "StoreError", "TelemetryStore", "TopPath", "open_drill_store", "open_store"]
