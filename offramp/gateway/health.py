"""The breakers of every (route, target), cut-offs by provider or endpoint, and background probes."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator

import aiohttp

from offramp.gateway.breaker import Breaker, State
from offramp.gateway.config import GatewayConfig, Route, Target
from offramp.gateway.shared import LocalState, SharedState
from offramp.gateway.upstream import probe

log = logging.getLogger("offramp.gateway")


class Health:
    def __init__(self, config: GatewayConfig, shared: SharedState | None = None) -> None:
        self.shared = shared or LocalState()
        """Where cut-offs seen here are told to the other replicas."""
        self._entries: list[tuple[Route, Target, Breaker]] = []
        self._by_target: dict[tuple[str, int], Breaker] = {}
        for route in config.routes.values():
            for target in route.targets:
                breaker = Breaker(route.breaker, target.timeouts.first_byte)
                self._entries.append((route, target, breaker))
                self._by_target[(route.alias, id(target))] = breaker  # targets live as long as the config

    def breaker(self, route: Route, target: Target) -> Breaker:
        return self._by_target[(route.alias, id(target))]

    def entries(self) -> Iterator[tuple[Route, Target, Breaker]]:
        return iter(self._entries)

    def legal_refusal(self, target: Target, reason: str) -> None:
        """A legal refusal is about the endpoint, not one model: cut off every target that uses it, here and on
        the other replicas."""
        if self.refused(target.base_url, reason):
            self.shared.refused(target.base_url, reason)

    def refused(self, endpoint: str, reason: str, age: float = 0.0) -> int:
        """Cut off the targets at ``endpoint`` (a base URL) for a refusal ``age`` seconds ago: the cool-down and
        the first probe count from then. Returns how many it cut off."""
        cut_at = time.monotonic() - age
        count = 0
        for route, target, breaker in self._entries:
            if target.base_url == endpoint and breaker.state is not State.CUT_OFF and age < route.cutoff_cooldown:
                breaker.cut_off(cut_at, route.cutoff_cooldown, route.probe_interval, reason)
                log.warning("cut off %s in route %s: %s", target.id, route.alias, reason)
                count += 1
        return count

    def cut_off_provider(self, provider: str, reason: str) -> int:
        now = time.monotonic()
        count = 0
        for route, target, breaker in self._entries:
            if target.provider == provider:
                breaker.cut_off(now, route.cutoff_cooldown, route.probe_interval, reason, manual=True)
                count += 1
        log.warning("cut off provider %s by hand (%d targets): %r", provider, count, reason)
        return count

    def restore_provider(self, provider: str) -> int:
        count = 0
        for _, target, breaker in self._entries:
            if target.provider == provider and breaker.state is not State.CLOSED:
                breaker.restore()
                count += 1
        log.warning("restored provider %s (%d targets)", provider, count)
        return count

    def snapshot(self) -> list[dict[str, object]]:
        now = time.monotonic()
        return [{"route": route.alias, "target": target.id, "provider": target.provider,
                 "jurisdiction": target.jurisdiction_label, "state": breaker.state.value,
                 "manual": breaker.manual, "reason": breaker.cut_off_reason,
                 "retry_in": round(max(0.0, breaker.until - now), 1) if breaker.state is not State.CLOSED
                 and not breaker.manual else None}
                for route, target, breaker in self._entries]

    async def probe_forever(self, session: aiohttp.ClientSession, tick: float = 0.5) -> None:
        """Probe cut-off targets on their schedule; one probe per endpoint even when routes share it."""
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            due: dict[str, list[tuple[Route, Target, Breaker]]] = {}
            for entry in self._entries:
                breaker = entry[2]
                if breaker.state is State.CUT_OFF and not breaker.manual and breaker.next_probe <= now:
                    due.setdefault(entry[1].base_url, []).append(entry)
            for entries in due.values():
                answered = await probe(session, entries[0][1])
                now = time.monotonic()
                for route, target, breaker in entries:
                    if answered:
                        breaker.probe_succeeded(now)
                        log.warning("probe: %s answers again; next request is a trial", target.id)
                    else:
                        breaker.next_probe = now + route.probe_interval
