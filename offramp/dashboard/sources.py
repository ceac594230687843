"""The stores the dashboard reads, opened once from one location, and the read queries it needs.

The scan history, drill runs and gateway telemetry share one SQLite file (``--store``). The queries below the
stores do not offer yet (latest scan per repository, most exposed paths, exposure per group) are answered here
from the history file, read-only; they move into the store layer with its SQL engines.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from offramp.assess import Numbers
from offramp.store import DrillStore, StoreError, TelemetryStore, open_drill_store, open_store
from offramp.store.history import History, HistoryError, RecordedScan


@dataclass(frozen=True)
class PathRow:
    """One inference path of a repository's latest scan."""

    repository: str
    commit: str | None
    file: str
    line: int
    exposure_level: int
    """2: exposed beyond 48 h, 1: exposed with no fallback, 0: not exposed."""
    provider: str | None = None
    jurisdiction: str | None = None
    model: str | None = None


@dataclass
class Stores:
    """The three stores at one location; open and read them from one thread (SQLite connections are per thread)."""

    location: str
    history: History
    drills: DrillStore
    telemetry: TelemetryStore
    _paths: sqlite3.Connection = field(repr=False)

    @classmethod
    def open(cls, location: str) -> Stores:
        path = Path(location.removeprefix("sqlite://"))
        if "://" in location.removeprefix("sqlite://"):
            raise StoreError(f"the dashboard reads a SQLite store for now, not {location!r}: give its file path")
        if not path.is_file():
            raise StoreError(f"no store at {str(path)!r}: record scans there first "
                             "(`offramp scan --record --history-db FILE`), or point --store at the file")
        try:
            history = History(path)
        except HistoryError as exc:
            raise StoreError(str(exc)) from None
        paths = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        return cls(location, history, open_drill_store(path), open_store(path), paths)

    def close(self) -> None:
        self._paths.close()
        self.telemetry.close()
        self.drills.close()
        self.history.__exit__()

    def latest_scans(self) -> list[RecordedScan]:
        """Each repository's latest recorded scan."""
        latest: dict[str, RecordedScan] = {}
        for scan in self.history.scans():
            latest[scan.repository] = scan
        return list(latest.values())

    def top_paths(self, limit: int, repository: str | None = None, provider: str | None = None,
                  jurisdiction: str | None = None) -> list[PathRow]:
        """The most exposed paths of every repository's latest scan, worst first. The history keeps no provider
        or jurisdiction per path yet, so a filter by either finds nothing."""
        if provider or jurisdiction:
            return []
        rows = self._paths.execute(
            "SELECT s.repository, s.commit_sha, p.file, p.line, p.exposure_level FROM scan_paths p "
            "JOIN scans s ON s.id = p.scan_id WHERE p.exposure_level > 0 AND s.id IN "
            "(SELECT (SELECT id FROM scans l WHERE l.repository = r.repository ORDER BY recorded_at DESC, id DESC "
            "LIMIT 1) FROM (SELECT DISTINCT repository FROM scans) r) AND (? IS NULL OR s.repository = ?) "
            "ORDER BY p.exposure_level DESC, s.repository, p.file, p.line LIMIT ?", (repository, repository, limit))
        return [PathRow(*row) for row in rows]

    def exposure_by(self, group: str) -> list[tuple[str, Numbers]]:
        """The latest scans' numbers per provider or jurisdiction: none until the history keeps them per path."""
        return []
