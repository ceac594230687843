"""Recording every request: counters for ``GET /metrics`` and batched rows for the telemetry store.

The request path only appends to a list and bumps dict counters; a background task writes the rows to
the store in a worker thread every ``flush_interval`` seconds. So a crash (SIGKILL, power loss) loses at
most the last interval's rows; ``synchronous`` mode commits each request's row before it is answered,
at the cost of one store write per request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from offramp.gateway.breaker import STATE_GAUGE
from offramp.gateway.health import Health
from offramp.store import RequestRecord, TelemetryStore

log = logging.getLogger("offramp.gateway")
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, float("inf"))
"""Seconds: from a cached answer (milliseconds) to a long generation (minutes)."""


class Telemetry:
    def __init__(self, store: TelemetryStore, flush_interval: float, synchronous: bool = False) -> None:
        self.store = store
        self.flush_interval = flush_interval
        self.synchronous = synchronous
        self._pending: list[RequestRecord] = []
        self._writing = asyncio.Lock()
        # One registry per gateway: several gateways in one process (tests) keep their own counts.
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter("offramp_requests", "Client requests by the target's provider and jurisdiction.",
                                ("alias", "provider", "jurisdiction", "status"), registry=self.registry)
        self.failovers = Counter("offramp_failovers", "Targets that failed a request and passed it on.",
                                 ("alias", "target", "outcome"), registry=self.registry)
        self.tokens = Counter("offramp_tokens", "Tokens by the serving provider and jurisdiction.",
                              ("provider", "jurisdiction", "direction"), registry=self.registry)
        self.exposed = Counter("offramp_exposed", "Requests and tokens that only an at-risk closed model could "
                               "have served.", ("alias", "unit"), registry=self.registry)
        self.latency = Histogram("offramp_request_duration_seconds", "Time from a request's arrival to its last "
                                 "byte, by alias and serving target.", ("alias", "target", "stream"),
                                 buckets=LATENCY_BUCKETS, registry=self.registry)
        self._children: dict[tuple[object, ...], Any] = {}
        self.untranslated = Counter("offramp_untranslated_fields", "Request fields the serving target's protocol "
                                    "has no equivalent for (also in the x-offramp-untranslated header).",
                                    ("alias", "target", "field"), registry=self.registry)

    def record(self, record: RequestRecord, failovers: Iterable[tuple[str, str]]) -> None:
        self._pending.append(record)
        provider = record.provider or "none"
        jurisdiction = record.jurisdiction or ("self-hosted" if record.provider else "none")
        child = self._child
        child(self.requests, record.alias, provider, jurisdiction, str(record.status)).inc()
        for target, outcome in failovers:
            child(self.failovers, record.alias, target, outcome).inc()
        if record.input_tokens:
            child(self.tokens, provider, jurisdiction, "input").inc(record.input_tokens)
        if record.output_tokens:
            child(self.tokens, provider, jurisdiction, "output").inc(record.output_tokens)
        if record.exposed:
            child(self.exposed, record.alias, "requests").inc()
            child(self.exposed, record.alias, "tokens").inc(record.input_tokens + record.output_tokens)
        target = record.target or "none"
        child(self.latency, record.alias, target, "true" if record.stream else "false").observe(
            record.latency_ms / 1000)
        if record.untranslated:
            for name in record.untranslated.split(", "):
                child(self.untranslated, record.alias, target, name).inc()

    def _child(self, metric: Any, *labels: str) -> Any:
        """``metric.labels(*labels)``, remembered: the lookup costs more than the increment."""
        key = (id(metric), *labels)
        found = self._children.get(key)
        if found is None:
            found = self._children[key] = metric.labels(*labels)
        return found

    def watch(self, health: Health, inflight: Callable[[], int]) -> None:
        """Circuit states and requests in flight, read at scrape time."""
        self.registry.register(_LiveState(health, inflight))

    async def flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            await self.flush()

    async def flush(self) -> None:
        """Write what is pending. One write at a time: a flush that finds a write under way (the background
        flusher's) waits for it, so that when it returns every row recorded before it is in the store."""
        async with self._writing:
            if not self._pending:
                return
            batch, self._pending = self._pending, []
            try:
                await asyncio.to_thread(self.store.write, batch)
            except Exception as exc:  # the gateway keeps serving when its store fails; the log says why
                log.error("telemetry store write failed, %d requests not recorded: %s", len(batch), exc)

    def prometheus(self) -> bytes:
        return generate_latest(self.registry)


class _LiveState(Collector):
    def __init__(self, health: Health, inflight: Callable[[], int]) -> None:
        self.health = health
        self.inflight = inflight

    def collect(self) -> Iterator[GaugeMetricFamily]:
        circuits = GaugeMetricFamily("offramp_circuit_state", "0 closed, 1 half-open, 2 open, 3 cut off.",
                                     labels=("route", "target", "provider", "jurisdiction"))
        for route, target, breaker in self.health.entries():
            circuits.add_metric((route.alias, target.id, target.provider, target.jurisdiction_label),
                                STATE_GAUGE[breaker.state])
        yield circuits
        yield GaugeMetricFamily("offramp_inflight_requests", "Requests being answered now.", value=self.inflight())
