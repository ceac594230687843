"""Gateway telemetry in the store (SQLite or PostgreSQL): a row per request, and the hand cut-offs that outlive a
restart. On SQLite the file is in WAL mode, so readers (``offramp exposure --live``) never block the gateway."""

from __future__ import annotations

import math
import time
from collections.abc import Sequence

from offramp.store.database import Database
from offramp.store.records import ExposureBucket, ExposureRow, RequestRecord

_COLUMNS = ("ts", "alias", "client_api", "target", "provider", "jurisdiction", "open_weights", "status",
            "latency_ms", "input_tokens", "output_tokens", "stream", "exposed", "chain", "client_key", "untranslated")
_INSERT = f"INSERT INTO gateway_requests ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
_TOKENS = "input_tokens + output_tokens"
ROLLUP_SECONDS = 300
"""Width of the buckets of ``gateway_exposure_buckets``, which each write keeps up to date (migration 0004 fills
them from the requests recorded before it with the same width)."""
_ADD_TO_BUCKET = (
    "INSERT INTO gateway_exposure_buckets (start, requests, exposed_requests, tokens, exposed_tokens) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (start) DO UPDATE SET "
    + ", ".join(f"{c} = gateway_exposure_buckets.{c} + excluded.{c}"
                for c in ("requests", "exposed_requests", "tokens", "exposed_tokens")))
_REQUEST_PARTS = (f"SELECT ts, 1 AS requests, CASE WHEN exposed THEN 1 ELSE 0 END AS exposed_requests, {_TOKENS} AS "
                  f"tokens, CASE WHEN exposed THEN {_TOKENS} ELSE 0 END AS exposed_tokens FROM gateway_requests ")
"""Each request as a bucket row of its own, the shape of ``gateway_exposure_buckets``."""
_SERIES_FROM = {
    # Whole rollup buckets from the first boundary at or after `since`, and the requests before that boundary.
    "rollup": "SELECT start AS ts, requests, exposed_requests, tokens, exposed_tokens FROM gateway_exposure_buckets "
              f"WHERE start >= ? UNION ALL {_REQUEST_PARTS}WHERE ts >= ? AND ts < ?",
    "requests": f"{_REQUEST_PARTS}WHERE ts >= ?",
}


class SQLTelemetryStore:
    """A :class:`~offramp.store.base.TelemetryStore` over :mod:`offramp.store.database`."""

    def __init__(self, database: Database) -> None:
        self._db = database

    def write(self, records: Sequence[RequestRecord]) -> None:
        with self._db.transaction() as tx:
            tx.executemany(_INSERT, [tuple(getattr(r, c) for c in _COLUMNS) for r in records])
            tx.executemany(_ADD_TO_BUCKET, _buckets(records))

    def exposure(self, since: float) -> list[ExposureRow]:
        rows = self._db.fetchall(
            f"SELECT provider, jurisdiction, exposed, COUNT(*), SUM({_TOKENS}), "
            "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END) FROM gateway_requests WHERE ts >= ? "
            "GROUP BY provider, jurisdiction, exposed", (since,))
        # int(): PostgreSQL's SUM of integers is a Decimal, which `exposure --live --json` could not print.
        groups = [ExposureRow(p, j, bool(e), n, int(t or 0), int(f or 0)) for p, j, e, n, t, f in rows]
        return sorted(groups, key=lambda g: (g.provider is None, g.provider or "", g.jurisdiction or "", g.exposed))

    def exposure_series(self, since: float, bucket_seconds: float) -> list[ExposureBucket]:
        """Requests and tokens since ``since`` (epoch seconds) per ``bucket_seconds``, oldest first; a bucket
        without requests is left out."""
        if bucket_seconds <= 0:
            raise ValueError(f"bucket_seconds must be above 0, not {bucket_seconds}")
        bucket = float(bucket_seconds)
        if bucket % ROLLUP_SECONDS == 0:  # each rollup bucket lies inside one of the series' buckets
            boundary = math.ceil(since / ROLLUP_SECONDS) * ROLLUP_SECONDS
            source, params = _SERIES_FROM["rollup"], (boundary, since, boundary)
        else:
            source, params = _SERIES_FROM["requests"], (since,)
        rows = self._db.fetchall(
            "SELECT floor(ts / ?) * ?, SUM(requests), SUM(exposed_requests), SUM(tokens), SUM(exposed_tokens) "
            f"FROM ({source}) AS parts GROUP BY 1 ORDER BY 1", (bucket, bucket, *params))
        return [ExposureBucket(float(start), int(n), int(exposed or 0), int(tokens or 0), int(exposed_tokens or 0))
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


def _buckets(records: Sequence[RequestRecord]) -> list[tuple[float, int, int, int, int]]:
    """What ``records`` add to each rollup bucket, in time order: writers that share a bucket lock it in the same
    order, so two gateway replicas never deadlock."""
    totals: dict[float, list[int]] = {}
    for record in records:
        tokens = record.input_tokens + record.output_tokens
        bucket = totals.setdefault(math.floor(record.ts / ROLLUP_SECONDS) * ROLLUP_SECONDS, [0, 0, 0, 0])
        bucket[0] += 1
        if record.exposed:
            bucket[1] += 1
            bucket[3] += tokens
        bucket[2] += tokens
    return [(float(start), sums[0], sums[1], sums[2], sums[3]) for start, sums in sorted(totals.items())]


def _record(row: tuple[object, ...]) -> RequestRecord:
    values = dict(zip(_COLUMNS, row, strict=True))
    values["open_weights"] = None if values["open_weights"] is None else bool(values["open_weights"])
    values["stream"] = bool(values["stream"])
    values["exposed"] = bool(values["exposed"])
    return RequestRecord(**values)  # type: ignore[arg-type]
