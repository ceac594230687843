"""Gateway telemetry in the store (SQLite or PostgreSQL): a row per request, and the hand cut-offs that outlive a
restart. On SQLite the file is in WAL mode, so readers (``offramp exposure --live``) never block the gateway."""

from __future__ import annotations

import time
from collections.abc import Sequence

from offramp.store.database import Database
from offramp.store.records import ExposureBucket, ExposureRow, RequestRecord

_COLUMNS = ("ts", "alias", "client_api", "target", "provider", "jurisdiction", "open_weights", "status",
            "latency_ms", "input_tokens", "output_tokens", "stream", "exposed", "chain", "client_key")
_INSERT = f"INSERT INTO gateway_requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_TOKENS = "input_tokens + output_tokens"


class SQLTelemetryStore:
    """A :class:`~offramp.store.base.TelemetryStore` over :mod:`offramp.store.database`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def write(self, records: Sequence[RequestRecord]) -> None:
        self._db.executemany(_INSERT, [tuple(getattr(r, c) for c in _COLUMNS) for r in records])

    def exposure(self, since: float) -> list[ExposureRow]:
        rows = self._db.fetchall(
            f"SELECT provider, jurisdiction, exposed, COUNT(*), SUM({_TOKENS}), "
            "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) FROM gateway_requests WHERE ts >= ? "
            "GROUP BY provider, jurisdiction, exposed", (since,))
        # PostgreSQL sums BIGINT columns as NUMERIC (Decimal): counts go back to int.
        groups = [ExposureRow(p, j, bool(e), n, int(t or 0), int(f or 0)) for p, j, e, n, t, f in rows]
        return sorted(groups, key=lambda g: (g.provider is None, g.provider or "", g.jurisdiction or "", g.exposed))

    def exposure_series(self, since: float, bucket_seconds: float) -> list[ExposureBucket]:
        """Requests and tokens since ``since`` (epoch seconds) per ``bucket_seconds``, oldest first; a bucket
        without requests is left out."""
        if bucket_seconds <= 0:
            raise ValueError(f"bucket_seconds must be above 0, not {bucket_seconds}")
        bucket = float(bucket_seconds)
        rows = self._db.fetchall(
            f"SELECT floor(ts / ?) * ?, COUNT(*), SUM(CASE WHEN exposed THEN 1 ELSE 0 END), SUM({_TOKENS}), "
            f"SUM(CASE WHEN exposed THEN {_TOKENS} ELSE 0 END) FROM gateway_requests WHERE ts >= ? "
            "GROUP BY 1 ORDER BY 1", (bucket, bucket, since))
        return [ExposureBucket(float(start), n, int(exposed or 0), int(tokens or 0), int(exposed_tokens or 0))
                for start, n, exposed, tokens, exposed_tokens in rows]

    def recent(self, limit: int) -> list[RequestRecord]:
        rows = self._db.fetchall(
            f"SELECT {', '.join(_COLUMNS)} FROM gateway_requests ORDER BY ts DESC, id DESC LIMIT ?", (limit,))
        return [_record(row) for row in rows]

    def cutoffs(self) -> dict[str, str]:
        return dict(self._db.fetchall("SELECT provider, reason FROM gateway_cutoffs"))

    def save_cutoff(self, provider: str, reason: str | None) -> None:
        if reason is None:
            self._db.execute("DELETE FROM gateway_cutoffs WHERE provider = ?", (provider,))
        else:
            self._db.execute("INSERT INTO gateway_cutoffs (provider, reason, since) VALUES (?, ?, ?) "
                             "ON CONFLICT (provider) DO UPDATE SET reason = excluded.reason, since = excluded.since",
                             (provider, reason, time.time()))

    def close(self) -> None:
        self._db.close()


def _record(row: tuple[object, ...]) -> RequestRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["open_weights"] = None if values["open_weights"] is None else bool(values["open_weights"])
    values["stream"] = bool(values["stream"])
    values["exposed"] = bool(values["exposed"])
    return RequestRecord(**values)  # type: ignore[arg-type]
