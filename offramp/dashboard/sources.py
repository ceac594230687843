"""The three stores the dashboard reads, opened once from one location: the scan history, the drill runs and
the gateways' telemetry, in one SQLite file or one PostgreSQL database."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass

from offramp.store import DrillStore, StoreError, TelemetryStore, open_drill_store, open_store
from offramp.store.history import History
from offramp.storelocation import exists


@dataclass
class Stores:
    location: str
    history: History
    drills: DrillStore
    telemetry: TelemetryStore

    @classmethod
    def open(cls, location: str) -> Stores:
        """The stores at ``location`` (a SQLite file, ``sqlite:///file`` or ``postgresql://...``); a SQLite file
        must exist already: the dashboard reads what scans, drills and gateways recorded, it starts no store."""
        if not exists(location):
            raise StoreError(f"no store at {location.removeprefix('sqlite://')!r}: record scans there first "
                             "(`offramp scan --record --store FILE`), or point --store at it")
        with ExitStack() as opened:  # closes what did open when a later store cannot
            history = History(location)
            opened.callback(history.close)
            drills = open_drill_store(location)
            opened.callback(drills.close)
            telemetry = open_store(location)
            opened.pop_all()
        return cls(location, history, drills, telemetry)

    def close(self) -> None:
        self.telemetry.close()
        self.drills.close()
        self.history.close()
