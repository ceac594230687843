"""Shared gateway state: what replicas behind one load balancer agree on, and where it lives.

Two things are shared: **cut-offs** (a provider cut off or restored by hand; an endpoint that gave a legal
refusal) and **circuit-breaker evidence** (each route's target's successes and failures, per second). Without
Redis the state is this process's own (:class:`LocalState`: nothing to exchange). With Redis
(:class:`RedisState`) one background task exchanges it every ``sync_interval`` seconds, and at once when a
cut-off happens here: it writes what changed on this replica and reads what changed on the others, in one
pipeline. The request path never waits on Redis; it only updates the breakers and the outboxes in process.

Cut-offs are kept as state, not sent as messages: Redis holds each provider's latest decision and each
endpoint's latest refusal with the time it was taken, and the newest wins. So a replica that lost Redis, or a
Redis that restarted empty, converges on the next exchange without anything to replay. Evidence lives in one
counter per target, second and outcome, summed over the replicas and expiring with the breaker's window; each
replica subtracts what it wrote itself, which its own window already holds.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from offramp.gateway.breaker import Breaker, State
from offramp.store.database import describe

if TYPE_CHECKING:
    from redis.asyncio import Redis
    from redis.asyncio.client import Pipeline

    from offramp.gateway.config import Route, SharedStateSettings
    from offramp.gateway.health import Health
    from offramp.store import TelemetryStore

log = logging.getLogger("offramp.gateway")
PREFIX = "offramp:gateway:"
DECISIONS = PREFIX + "decisions"
"""Hash: provider -> its latest decision taken by hand (cut off with a reason, or restored)."""
REFUSALS = PREFIX + "refusals"
"""Hash: endpoint (base URL) -> its latest legal refusal."""
OUTCOMES = ("ok", "failed")
"""Evidence counters, in the order of :attr:`Breaker.unshared`."""
REDIS_TIMEOUT = 1.0
"""Seconds a Redis command may take before the exchange counts Redis as unreachable."""


@dataclass(frozen=True, slots=True)
class Decision:
    at: float
    """Wall-clock time it was taken: the newest decision about a provider or an endpoint wins."""
    reason: str | None
    """Why it was cut off; None: restored."""

    def encode(self) -> str:
        return json.dumps({"at": self.at, "reason": self.reason})

    @staticmethod
    def decode(text: str) -> Decision | None:
        """None for a value this version cannot read (another writer): it is ignored, not fatal."""
        try:
            data = json.loads(text)
            return Decision(float(data["at"]), None if data["reason"] is None else str(data["reason"]))
        except (ValueError, TypeError, KeyError):
            return None


class SharedState(Protocol):
    """What the gateway tells its peers, and the task that applies what they tell it."""

    @property
    def up(self) -> bool | None:
        """Whether the shared store answers; None when there is none (one process, nothing to share)."""
        ...

    def decided(self, provider: str, reason: str | None, at: float | None = None) -> None:
        """``provider`` was cut off by hand (``reason``) or restored (None), at ``at`` (default: now)."""
        ...

    def refused(self, endpoint: str, reason: str) -> None:
        """``endpoint`` (a base URL) answered with a legal refusal just now."""
        ...

    async def run(self, health: Health, store: TelemetryStore) -> None:
        """Exchange state until cancelled, applying the peers' cut-offs and evidence to ``health``."""
        ...


class LocalState:
    """One gateway process: its :class:`~offramp.gateway.health.Health` is the whole state."""

    up = None

    def decided(self, provider: str, reason: str | None, at: float | None = None) -> None:
        pass

    def refused(self, endpoint: str, reason: str) -> None:
        pass

    async def run(self, health: Health, store: TelemetryStore) -> None:
        pass


def shared_state(settings: SharedStateSettings) -> SharedState:
    return RedisState(settings.redis, settings.sync_interval) if settings.redis else LocalState()


class RedisState:
    """Cut-offs and breaker evidence shared through Redis, exchanged by one background task."""

    def __init__(self, url: str, interval: float) -> None:
        self.url = url
        self.interval = interval
        self.up: bool | None = False
        self._reported: bool | None = None
        """The last state the log gave: one line per transition, never one per attempt."""
        self._decisions = _Register(DECISIONS)
        self._refusals = _Register(REFUSALS)
        self._mine: dict[tuple[str, int, str], int] = {}
        """(target, second, outcome) -> what this replica added to that counter: the peers' share is the rest."""
        self._wake = asyncio.Event()

    def decided(self, provider: str, reason: str | None, at: float | None = None) -> None:
        self._decisions.note(provider, Decision(time.time() if at is None else at, reason))
        self._wake.set()

    def refused(self, endpoint: str, reason: str) -> None:
        self._refusals.note(endpoint, Decision(time.time(), reason))
        self._wake.set()

    async def run(self, health: Health, store: TelemetryStore) -> None:
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        # No retries inside a command: the next exchange is the retry, and the request path never waits for it.
        client = Redis.from_url(self.url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT,
                                retry=Retry(NoBackoff(), 0), decode_responses=True)
        replica = _Replica(health, store)
        try:
            while True:
                self._wake.clear()
                try:
                    await self._exchange(client, replica)
                except Exception as exc:  # Redis is gone, or answers nonsense: serve on this replica's own state
                    replica.forget_peers()
                    self._report(False, exc)
                else:
                    self._report(True)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.interval):
                        await self._wake.wait()
        finally:
            await client.aclose()

    async def _exchange(self, client: Redis, replica: _Replica) -> None:
        """One round trip: write what changed here, read what every replica wrote; then apply it."""
        now = time.time()
        second = int(now)
        async with client.pipeline(transaction=False) as pipe:
            self._decisions.write(pipe)
            self._refusals.write(pipe, expire=replica.cooldown)
            for key, route, _, breaker in replica.targets:
                for outcome, count in zip(OUTCOMES, breaker.unshared, strict=True):
                    if count:
                        counter = f"{key}:{second}:{outcome}"
                        pipe.incrby(counter, count)
                        pipe.expire(counter, math.ceil(route.breaker.window) + 2)
                        self._mine[key, second, outcome] = self._mine.get((key, second, outcome), 0) + count
                breaker.unshared[:] = (0, 0)
            pipe.hgetall(DECISIONS)
            pipe.hgetall(REFUSALS)
            reading = []
            for key, route, target, breaker in replica.targets:
                seconds = _window_seconds(now, route, breaker)
                if breaker.state is State.CLOSED and seconds:
                    reading.append((key, f"{target.id} in route {route.alias}", breaker, seconds))
                    pipe.mget([f"{key}:{s}:{outcome}" for s in seconds for outcome in OUTCOMES])
            results = await pipe.execute()
        head = len(results) - len(reading)
        for provider, decision in self._decisions.merge(results[head - 2]):
            if provider in replica.providers:
                await replica.decided(provider, decision.reason)
        for endpoint, refusal in self._refusals.merge(results[head - 1], forget_before=now - replica.cooldown):
            replica.health.refused(endpoint, f"{refusal.reason} (seen by another replica)", max(0.0, now - refusal.at))
        self._apply_evidence(reading, results[head:])
        self._mine = {mine: count for mine, count in self._mine.items() if mine[1] >= now - replica.window - 2}
        if self._decisions.unsent or self._refusals.unsent:
            self._wake.set()  # Redis lacks something this replica knows (it restarted empty): write it now

    def _apply_evidence(self, reading: list[tuple[str, str, Breaker, range]], counts: list[list[str | None]]) -> None:
        now = time.monotonic()
        for (key, name, breaker, seconds), values in zip(reading, counts, strict=True):
            peers = dict.fromkeys(OUTCOMES, 0)
            for index, value in enumerate(values):
                if value is not None:
                    second, outcome = seconds[index // 2], OUTCOMES[index % 2]
                    peers[outcome] += max(0, int(value) - self._mine.get((key, second, outcome), 0))
            if breaker.merge(now, peers["ok"], peers["failed"]):
                log.warning("circuit of %s opened on the failures of every replica: the others saw %d of %d "
                            "requests in the window fail", name, peers["failed"], sum(peers.values()))

    def _report(self, up: bool, error: BaseException | None = None) -> None:
        self.up = up
        if self._reported is up:
            return
        where = describe(self.url)
        if up:
            log.warning("shared state: Redis at %s answers; cut-offs and breaker evidence are %s", where,
                        "shared" if self._reported is None else "resynced")
        else:
            message = f"{type(error).__name__}: {error}"
            if password := urlsplit(self.url).password:
                message = message.replace(password, "***")
            log.warning("shared state: no exchange with Redis at %s (%s); this replica serves on its own state "
                        "and keeps trying", where, message)
        self._reported = up


class _Register:
    """Decisions by name (provider or endpoint) in one Redis hash; the newest decision about a name wins."""

    def __init__(self, hash_key: str) -> None:
        self.hash_key = hash_key
        self.known: dict[str, Decision] = {}
        """The newest decision known here, taken here or read from Redis."""
        self.unsent: set[str] = set()
        """Names whose decision known here is newer than Redis's."""

    def note(self, name: str, decision: Decision) -> None:
        self.known[name] = decision
        self.unsent.add(name)

    def write(self, pipe: Pipeline, expire: float | None = None) -> None:
        for name in self.unsent:
            pipe.hset(self.hash_key, name, self.known[name].encode())
        if self.unsent and expire is not None:
            pipe.expire(self.hash_key, math.ceil(expire) + 1)
        self.unsent = set()

    def merge(self, stored: dict[str, str], forget_before: float = -math.inf) -> list[tuple[str, Decision]]:
        """Take Redis's content in; returns the decisions newer than those known here. Decisions taken before
        ``forget_before`` no longer matter, here or there."""
        remote = {name: d for name, text in stored.items()
                  if (d := Decision.decode(text)) is not None and d.at >= forget_before}
        newer = [(name, theirs) for name, theirs in remote.items()
                 if name not in self.known or theirs.at > self.known[name].at]
        self.known.update(newer)
        self.known = {name: mine for name, mine in self.known.items() if mine.at >= forget_before}
        self.unsent |= {name for name, mine in self.known.items() if name not in remote or remote[name].at < mine.at}
        return newer


class _Replica:
    """What the exchange applies the peers' state to: this replica's breakers and store, and its routes' bounds."""

    def __init__(self, health: Health, store: TelemetryStore) -> None:
        self.health = health
        self.store = store
        self.targets = [(f"{PREFIX}evidence:{route.alias}|{target.id}|{target.base_url}", route, target, breaker)
                        for route, target, breaker in health.entries()]
        self.providers = frozenset(target.provider for _, _, target, _ in self.targets)
        self.cooldown = max(route.cutoff_cooldown for _, route, _, _ in self.targets)
        """How long a refusal matters to any route here."""
        self.window = max(route.breaker.window for _, route, _, _ in self.targets)

    async def decided(self, provider: str, reason: str | None) -> None:
        """A decision taken by hand on another replica."""
        if reason is None:
            self.health.restore_provider(provider)
        else:
            self.health.cut_off_provider(provider, reason)
        try:  # kept like a decision taken here: a restart without Redis still honours it
            await asyncio.to_thread(self.store.save_cutoff, provider, reason)
        except Exception as exc:
            log.error("shared state: the decision about %s holds but is not kept in the telemetry store: %s",
                      provider, exc)

    def forget_peers(self) -> None:
        """Redis is gone: the breakers judge on this replica's outcomes alone, not on a stale count of the others'."""
        now = time.monotonic()
        for _, _, _, breaker in self.targets:
            breaker.merge(now, 0, 0)


def _window_seconds(now: float, route: Route, breaker: Breaker) -> range:
    """The whole seconds of the breaker's window that began after its window last started afresh."""
    first = math.floor(max(now - route.breaker.window, breaker.evidence_since)) + 1
    return range(first, int(now) + 1)
