"""Ctrl-C during ``offramp drill run``, and the event loop's task it stops. A module of its own: asyncio is
imported when a drill runs, not for every ``offramp`` command (``--help`` included)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offramp.drill.console import RunDisplay
    from offramp.drill.primary import CompareMode
    from offramp.drill.runner import Budget, Outcome
    from offramp.drill.session import Plan
    from offramp.store import DrillStore


class Interrupts:
    """Ctrl-C during a drill: the first stops it after the prompts in flight, the second abandons them.

    A plain signal handler, installed before the event loop starts and removed after it ends, so no Ctrl-C
    ever lands as a bare KeyboardInterrupt that would lose the prompts in flight.
    """

    def __init__(self, display: RunDisplay) -> None:
        self.display = display
        self.count = 0
        self.stop = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[list[Outcome]] | None = None

    def __call__(self, signum: int, frame: object) -> None:
        self.count += 1
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._apply)

    def attach(self, task: asyncio.Task[list[Outcome]]) -> None:
        self._loop, self._task = asyncio.get_running_loop(), task
        if self.count:
            self._apply()

    def _apply(self) -> None:
        if self.count >= 2 and self._task is not None:
            self.display.note("abandoning the prompts in flight: they count as lost and are not sent again")
            self._task.cancel()
        elif not self.stop.is_set():
            self.display.interrupted = True
            self.display.note("stopping after the prompts in flight (Ctrl-C again to abandon them); "
                              "run the same command to continue")
            self.stop.set()


async def interruptible(plan: Plan, store: DrillStore, url: str | None, budget: Budget, concurrency: int | None,
                         compare: CompareMode | None, interrupts: Interrupts, display: RunDisplay) -> list[Outcome]:
    from offramp.drill.session import run_plan

    task = asyncio.ensure_future(run_plan(plan, store, interrupts.stop, url=url, budget=budget,
                                          concurrency=concurrency, compare=compare, progress=display.progress,
                                          note=display.note))
    interrupts.attach(task)
    try:
        return await task
    except asyncio.CancelledError:
        return []
