"""SQLite telemetry: one file, WAL mode so readers (``offramp exposure --live``) never block the gateway."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from offramp.store.base import StoreError
from offramp.store.records import ExposureRow, RequestRecord

_SCHEMA = """
CREATE TABLE IF NOT EXISTS gateway_requests (
    id INTEGER PRIMARY KEY,
    ts REAL NOT NULL,
    alias TEXT NOT NULL,
    client_api TEXT NOT NULL,
    target TEXT,
    provider TEXT,
    jurisdiction TEXT,
    open_weights INTEGER,
    status INTEGER NOT NULL,
    latency_ms REAL NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    stream INTEGER NOT NULL,
    exposed INTEGER NOT NULL,
    chain TEXT NOT NULL,
    client_key TEXT,
    untranslated TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS gateway_requests_ts ON gateway_requests (ts);
CREATE TABLE IF NOT EXISTS gateway_cutoffs (
    provider TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    since REAL NOT NULL
);
"""

_COLUMNS = ("ts", "alias", "client_api", "target", "provider", "jurisdiction", "open_weights", "status",
            "latency_ms", "input_tokens", "output_tokens", "stream", "exposed", "chain", "client_key",
            "untranslated")
_INSERT = f"INSERT INTO gateway_requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"


class SQLiteStore:
    """A :class:`~offramp.store.base.TelemetryStore` in one SQLite file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # The flusher writes from a worker thread; the lock keeps one statement at a time.
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
            if "untranslated" not in {row[1] for row in self._db.execute("PRAGMA table_info(gateway_requests)")}:
                # A store written before the column existed: its rows had every option translated or unsaid.
                self._db.execute("ALTER TABLE gateway_requests ADD COLUMN untranslated TEXT NOT NULL DEFAULT ''")
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open telemetry store {str(path)!r}: {exc}; "
                             "check the path in [telemetry] store and that its folder is writable") from None
        self._lock = threading.Lock()

    def write(self, records: Sequence[RequestRecord]) -> None:
        rows = [tuple(getattr(r, c) for c in _COLUMNS) for r in records]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(_INSERT, rows)
            self._db.execute("COMMIT")

    def exposure(self, since: float) -> list[ExposureRow]:
        with self._lock:
            rows = self._db.execute(
                "SELECT provider, jurisdiction, exposed, COUNT(*), SUM(input_tokens + output_tokens), "
                "SUM(status >= 400) FROM gateway_requests WHERE ts >= ? "
                "GROUP BY provider, jurisdiction, exposed ORDER BY provider",
                (since,),
            ).fetchall()
        return [ExposureRow(p, j, bool(e), n, t or 0, f or 0) for p, j, e, n, t, f in rows]

    def recent(self, limit: int) -> list[RequestRecord]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {', '.join(_COLUMNS)} FROM gateway_requests ORDER BY ts DESC, id DESC LIMIT ?", (limit,)
            ).fetchall()
        return [_record(row) for row in rows]

    def cutoffs(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT provider, reason FROM gateway_cutoffs").fetchall())

    def save_cutoff(self, provider: str, reason: str | None) -> None:
        with self._lock:
            if reason is None:
                self._db.execute("DELETE FROM gateway_cutoffs WHERE provider = ?", (provider,))
            else:
                self._db.execute("INSERT OR REPLACE INTO gateway_cutoffs (provider, reason, since) VALUES (?, ?, ?)",
                                 (provider, reason, time.time()))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _record(row: tuple[object, ...]) -> RequestRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["open_weights"] = None if values["open_weights"] is None else bool(values["open_weights"])
    values["stream"] = bool(values["stream"])
    values["exposed"] = bool(values["exposed"])
    return RequestRecord(**values)  # type: ignore[arg-type]
