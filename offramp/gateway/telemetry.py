"""Recording every request: counters for ``GET /metrics`` and batched rows for the telemetry store.

The request path only appends to a list and bumps dict counters; a background task writes the rows to
the store in a worker thread every ``flush_interval`` seconds. So a crash (SIGKILL, power loss) loses at
most the last interval's rows; ``synchronous`` mode commits each request's row before it is answered,
at the cost of one store write per request.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Iterable

from offramp.gateway.breaker import STATE_GAUGE
from offramp.gateway.health import Health
from offramp.store import RequestRecord, TelemetryStore

log = logging.getLogger("offramp.gateway")


class Telemetry:
    def __init__(self, store: TelemetryStore, flush_interval: float, synchronous: bool = False) -> None:
        self.store = store
        self.flush_interval = flush_interval
        self.synchronous = synchronous
        self._pending: list[RequestRecord] = []
        self.requests: Counter[tuple[str, str, str, int]] = Counter()
        self.failovers: Counter[tuple[str, str, str]] = Counter()
        self.tokens: Counter[tuple[str, str, str]] = Counter()
        self.exposed: Counter[tuple[str, str]] = Counter()
        self.duration: Counter[str] = Counter()

    def record(self, record: RequestRecord, failovers: Iterable[tuple[str, str]]) -> None:
        self._pending.append(record)
        provider = record.provider or "none"
        jurisdiction = record.jurisdiction or ("self-hosted" if record.provider else "none")
        self.requests[(record.alias, provider, jurisdiction, record.status)] += 1
        for target, outcome in failovers:
            self.failovers[(record.alias, target, outcome)] += 1
        if record.input_tokens:
            self.tokens[(provider, jurisdiction, "input")] += record.input_tokens
        if record.output_tokens:
            self.tokens[(provider, jurisdiction, "output")] += record.output_tokens
        if record.exposed:
            self.exposed[(record.alias, "requests")] += 1
            self.exposed[(record.alias, "tokens")] += record.input_tokens + record.output_tokens
        self.duration[record.alias] += record.latency_ms / 1000

    async def flush_forever(self) -> None:
        while True:
            await asyncio.sleep(self.flush_interval)
            await self.flush()

    async def flush(self) -> None:
        if not self._pending:
            return
        batch, self._pending = self._pending, []
        try:
            await asyncio.to_thread(self.store.write, batch)
        except Exception as exc:  # the gateway keeps serving when its store fails; the log says why
            log.error("telemetry store write failed, %d requests not recorded: %s", len(batch), exc)

    def prometheus(self, health: Health, inflight: int) -> str:
        lines: list[str] = []

        def family(name: str, kind: str, help_text: str, rows: Iterable[tuple[dict[str, object], float]]) -> None:
            lines.append(f"# HELP {name} {help_text}")
            lines.append(f"# TYPE {name} {kind}")
            for labels, value in rows:
                text = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
                lines.append(f"{name}{{{text}}} {value:g}" if text else f"{name} {value:g}")

        family("offramp_requests_total", "counter", "Client requests by the target's provider and jurisdiction.",
               ((dict(alias=a, provider=p, jurisdiction=j, status=s), n) for (a, p, j, s), n in self.requests.items()))
        family("offramp_failovers_total", "counter", "Targets that failed a request and passed it on.",
               ((dict(alias=a, target=t, outcome=o), n) for (a, t, o), n in self.failovers.items()))
        family("offramp_tokens_total", "counter", "Tokens by the serving provider and jurisdiction.",
               ((dict(provider=p, jurisdiction=j, direction=d), n) for (p, j, d), n in self.tokens.items()))
        family("offramp_exposed_total", "counter",
               "Requests and tokens that only an at-risk closed model could have served.",
               ((dict(alias=a, unit=u), n) for (a, u), n in self.exposed.items()))
        family("offramp_request_seconds_total", "counter", "Time spent answering clients, by alias.",
               ((dict(alias=a), s) for a, s in self.duration.items()))
        family("offramp_circuit_state", "gauge", "0 closed, 1 half-open, 2 open, 3 cut off.",
               ((dict(route=r.alias, target=t.id, provider=t.provider, jurisdiction=t.jurisdiction_label),
                 STATE_GAUGE[b.state]) for r, t, b in health.entries()))
        family("offramp_inflight_requests", "gauge", "Requests being answered now.", [({}, inflight)])
        return "\n".join(lines) + "\n"


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
