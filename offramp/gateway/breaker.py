"""Circuit breakers: closed, open (error rate), half-open (one trial), cut off (a legal refusal or a decision).

A cut-off is a routing state, not an error count: the first legal refusal takes the target out of every
chain at once, so that during a sustained cut-off requests go straight to the fallback. Background probes
(see :mod:`offramp.gateway.probes`) notice when it answers again.
"""

from __future__ import annotations

import math
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

    __slots__ = ("_outcomes", "_trial_busy", "cut_off_reason", "manual", "next_probe", "rate_limited_until",
                 "settings", "state", "until")

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
        self._trial_busy = False

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
        return True

    def ready(self, now: float) -> bool:
        """Whether a request could be sent now, without claiming a half-open trial."""
        if self.state is State.CLOSED:
            return now >= self.rate_limited_until
        if self.state is State.HALF_OPEN:
            return not self._trial_busy
        return not self.manual and now >= self.until

    def success(self, now: float) -> None:
        if self.state is not State.CLOSED:
            self._close()
        self._outcomes.append((now, True))
        self._trim(now)

    def failure(self, now: float) -> None:
        if self.state is State.HALF_OPEN:
            self._open(now)
            return
        if self.state is not State.CLOSED:
            return
        outcomes = self._outcomes
        outcomes.append((now, False))
        self._trim(now)
        settings = self.settings
        if len(outcomes) >= settings.min_requests:
            failures = sum(1 for _, ok in outcomes if not ok)
            if failures >= settings.failure_rate * len(outcomes):
                self._open(now)

    def release(self) -> None:
        """The trial ended without saying anything about the target (a client error, a translation gap)."""
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

    def _close(self) -> None:
        self.state = State.CLOSED
        self.manual = False
        self.cut_off_reason = ""
        self.next_probe = math.inf
        self._trial_busy = False
        self._outcomes.clear()

    def _trim(self, now: float) -> None:
        horizon = now - self.settings.window
        outcomes = self._outcomes
        while outcomes and outcomes[0][0] < horizon:
            outcomes.popleft()
