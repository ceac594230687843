"""Circuit breakers: closed, open (error rate, a run of failures, a refused connection, or a stall), half-open
(one trial), cut off (a legal refusal or a decision).

A stall is a target that has gone silent: requests wait for its first byte much longer than its answers
usually take and no answer comes. Waiting requests count as failures in progress, so a hang opens the
circuit as soon as enough of them stall, long before their first-byte timeouts fall due.

A cut-off is a routing state, not an error count: the first legal refusal takes the target out of every
chain at once, so that during a sustained cut-off requests go straight to the fallback. Background probes
(see :mod:`offramp.gateway.probes`) notice when it answers again.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
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

    __slots__ = ("_answers", "_consecutive", "_last_answer", "_last_failure_sent", "_outcomes", "_peers", "_slowest",
                 "_trial_busy", "_watches", "cut_off_reason", "evidence_since", "first_byte", "manual", "next_probe",
                 "rate_limited_until", "settings", "state", "trials", "unshared", "until", "waiting")

    def __init__(self, settings: BreakerSettings, first_byte: float = math.inf) -> None:
        self.settings = settings
        self.first_byte = first_byte
        """The target's first-byte timeout: a stall is only worth detecting before it."""
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
        self.waiting: dict[asyncio.Timeout, float] = {}
        """Requests waiting for this target's first byte, with when each was sent: when the target is judged
        down they fail over at once."""
        self._watches: dict[asyncio.Timeout, asyncio.TimerHandle] = {}
        self._last_answer = -math.inf
        self._slowest = 0.0
        self._answers = 0
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
        if (conclusive or self._consecutive + self._stalled(now) >= self.settings.consecutive_failures
                or self._failing(now)):
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

    @property
    def stall_after(self) -> float:
        """Seconds of silence after which a waiting request counts as stalled: ``stall_factor`` times the
        slowest recent first byte, at least ``stall_min``; the first-byte timeout (no stall detection) until
        ``min_requests`` answers have shown how long the target takes."""
        settings = self.settings
        if self._answers < settings.min_requests:
            return self.first_byte
        return min(self.first_byte, max(settings.stall_min, settings.stall_factor * self._slowest))

    @contextmanager
    def awaiting_first_byte(self, deadline: asyncio.Timeout, sent: float, answers: bool = True) -> Iterator[None]:
        """A request sent at ``sent`` waits for the target's first byte until ``deadline``; if the target is
        judged down meanwhile, the deadline moves to now. ``answers`` says that the first byte is the answer's
        (not a stream's headers), so its arrival shows the target alive and how long it takes."""
        self.waiting[deadline] = sent
        self._watch(deadline, sent)
        try:
            yield
        finally:
            self.waiting.pop(deadline, None)
            if (watch := self._watches.pop(deadline, None)) is not None:
                watch.cancel()
        if answers:  # the wait ended with the first byte, not an exception
            now = time.monotonic()
            self._last_answer = now
            self._answers += 1
            # The slowest first byte lately: a past outlier fades by 2% with each later answer.
            self._slowest = max(now - sent, self._slowest * 0.98)

    def _watch(self, deadline: asyncio.Timeout, sent: float) -> None:
        """Look at the target again when this request will have waited in silence for ``stall_after``."""
        stall = self.stall_after
        if stall < self.first_byte:
            due = max(sent, self._last_answer) + stall - time.monotonic()
            self._watches[deadline] = asyncio.get_running_loop().call_later(due, self._stall_check, deadline)

    def _stall_check(self, deadline: asyncio.Timeout) -> None:
        del self._watches[deadline]
        sent = self.waiting.get(deadline)
        if sent is None or self.state not in (State.CLOSED, State.HALF_OPEN):
            return
        now = time.monotonic()
        if now - max(sent, self._last_answer) < self.stall_after:
            self._watch(deadline, sent)  # the target answered another request meanwhile: not silent yet
        elif (self.state is State.HALF_OPEN
              or self._consecutive + self._stalled(now) >= self.settings.consecutive_failures):
            self._open(now)

    def _stalled(self, now: float) -> int:
        """Requests waiting in the target's silence for at least ``stall_after``: failures in progress."""
        stall = self.stall_after
        if stall >= self.first_byte or now - self._last_answer < stall:
            return 0
        return sum(1 for sent in self.waiting.values() if now - sent >= stall)

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
        for watch in self._watches.values():
            watch.cancel()
        self._watches.clear()

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
