"""Circuit breakers: closed, open (error rate, a run of failures, or a refused connection), half-open (one
trial), cut off (a legal refusal or a decision).

A cut-off is a routing state, not an error count: the first legal refusal takes the target out of every
chain at once, so that during a sustained cut-off requests go straight to the fallback. Background probes
(see :mod:`offramp.gateway.probes`) notice when it answers again.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from enum import StrEnum

from offramp.gateway.config import BreakerSettings


class State(StrEnum):
    CLOSED = "closed"
    HALF_OPEN = "half_open"
    OPEN = "open"
    CUT_OFF = "cut_off"


STATE_GAUGE = {State.CLOSED: 0, State.HALF_OPEN: 1, State.OPEN: 2, State.CUT_OFF: 3}


class Breaker:
    """The health of one target of one route. Not thread-safe: the gateway runs on one event loop."""

    __slots__ = ("_consecutive", "_last_failure_sent", "_outcomes", "_peers", "_trial_busy", "cut_off_reason",
                 "evidence_since", "manual", "next_probe", "rate_limited_until", "settings", "state", "trials",
                 "unshared", "until", "waiting")

    def __init__(self, settings: BreakerSettings) -> None:
        self.settings = settings
        self.state = State.CLOSED
        self.until = 0.0
        """When an open or cut-off circuit lets a trial through."""
        self.rate_limited_until = 0.0
        self.manual = False
        self.cut_off_reason = ""
        self.next_probe = math.inf
        self._outcomes: deque[tuple[float, bool]] = deque()
        self._consecutive = 0
        self._last_failure_sent = -math.inf
        self._trial_busy = False
        self.trials = 0
        """Half-open trials so far: a request admitted when this was N holds trial N, if any (see release)."""
        self.waiting: set[asyncio.Timeout] = set()
        """Requests waiting for this target's first byte: when it is judged down they fail over at once."""
        self.unshared = [0, 0]
        """Successes and failures counted in the window since the shared state last took them (to other replicas)."""
        self._peers = (0, 0)
        """Successes and failures the other replicas saw in the window, as the shared state last reported them."""
        self.evidence_since = -math.inf
        """Wall-clock time the window last started afresh: older evidence of other replicas does not count."""

    def allows(self, now: float) -> bool:
        """Whether a request may go to the target now; in half-open state, one trial at a time."""
        state = self.state
        if state is State.CLOSED:
            return now >= self.rate_limited_until
        if state is not State.HALF_OPEN:
            if self.manual or now < self.until:
                return False
            self.state = State.HALF_OPEN
        if self._trial_busy:
            return False
        self._trial_busy = True
        self.trials += 1
        return True

    def ready(self, now: float) -> bool:
        """Whether a request could be sent now, without claiming a half-open trial."""
        if self.state is State.CLOSED:
            return now >= self.rate_limited_until
        if self.state is State.HALF_OPEN:
            return not self._trial_busy
        return not self.manual and now >= self.until

    def success(self, now: float, sent: float | None = None) -> None:
        """The target answered a request sent at ``sent``. Only a request sent after the latest failed one
        ends a run of failures: answers already on their way when the target died say nothing about it now."""
        if self.state is not State.CLOSED:
            self._close()
        if sent is None or sent >= self._last_failure_sent:
            self._consecutive = 0
        self._outcomes.append((now, True))
        self.unshared[0] += 1
        self._trim(now)

    def failure(self, now: float, sent: float | None = None, conclusive: bool = False) -> None:
        """Count a failure of a request sent at ``sent``; ``conclusive`` (the connection was refused) opens
        the circuit at once."""
        if self.state is State.HALF_OPEN:
            self._open(now)
            return
        if self.state is not State.CLOSED:
            return
        self._outcomes.append((now, False))
        self.unshared[1] += 1
        self._consecutive += 1
        self._last_failure_sent = max(self._last_failure_sent, now if sent is None else sent)
        if conclusive or self._consecutive >= self.settings.consecutive_failures or self._failing(now):
            self._open(now)

    def merge(self, now: float, peer_successes: int, peer_failures: int) -> bool:
        """Count the other replicas' outcomes in the window too (the shared state reports them); True when that
        evidence opened the circuit. A run of failures stays per replica: only here is the order of sending known."""
        self._peers = (peer_successes, peer_failures)
        if self.state is State.CLOSED and self._failing(now):
            self._open(now)
            return True
        return False

    def _failing(self, now: float) -> bool:
        """The window, this replica's outcomes and its peers', holds enough requests and too many failures."""
        self._trim(now)
        peer_successes, peer_failures = self._peers
        total = len(self._outcomes) + peer_successes + peer_failures
        failures = sum(1 for _, ok in self._outcomes if not ok) + peer_failures
        return total >= self.settings.min_requests and failures >= self.settings.failure_rate * total

    def release(self, ticket: int) -> None:
        """A request admitted when :attr:`trials` was ``ticket`` ended without a verdict on the target (a client
        error, a translation gap, a client that went away): if it held the trial, the next request may try."""
        if ticket == self.trials and self.state is State.HALF_OPEN:
            self._trial_busy = False

    def rate_limited(self, now: float, retry_after: float) -> None:
        """Honour Retry-After: skip the target until then, without counting it as unhealthy."""
        self.rate_limited_until = max(self.rate_limited_until, now + retry_after)
        self._trial_busy = False

    def cut_off(self, now: float, cooldown: float, probe_interval: float, reason: str, manual: bool = False) -> None:
        self.state = State.CUT_OFF
        self.manual = manual
        self.cut_off_reason = reason
        self.until = math.inf if manual else now + cooldown
        self.next_probe = math.inf if manual else now + probe_interval
        self._trial_busy = False
        self._wake_waiting()

    def restore(self) -> None:
        """End a cut-off: by hand, or because a probe got an answer."""
        self._close()

    def probe_succeeded(self, now: float) -> None:
        """The target answers again: let one real request through as the trial."""
        if self.state is State.CUT_OFF and not self.manual:
            self.state = State.HALF_OPEN
            self.next_probe = math.inf
            self._trial_busy = False

    def _open(self, now: float) -> None:
        self.state = State.OPEN
        self.until = now + self.settings.open_for
        self._trial_busy = False
        self._wake_waiting()

    def _wake_waiting(self) -> None:
        """End the first-byte wait of requests already sent here: the target is down, the next one answers."""
        for timeout in self.waiting:
            if not timeout.expired():  # an expired one is already on its way out, as a timeout
                timeout.reschedule(0)  # a deadline in the past: the waiting request's TimeoutError comes next
        self.waiting.clear()

    def _close(self) -> None:
        self.state = State.CLOSED
        self.manual = False
        self.cut_off_reason = ""
        self.next_probe = math.inf
        self._trial_busy = False
        self._consecutive = 0
        self._last_failure_sent = -math.inf
        self._outcomes.clear()
        self._peers = (0, 0)
        self.evidence_since = time.time()

    def _trim(self, now: float) -> None:
        horizon = now - self.settings.window
        outcomes = self._outcomes
        while outcomes and outcomes[0][0] < horizon:
            outcomes.popleft()
