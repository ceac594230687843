"""Drill verdicts: one run per prompt set, one result per prompt, kept next to the scan history.

``offramp drill run`` writes a result as soon as a prompt is answered, so an interrupted run continues where it
stopped; ``offramp scan`` reads the latest finished run of each set to mark replacements verified.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

RunStatus = Literal["running", "passed", "failed"]
ResultState = Literal["sent", "answered", "error", "lost"]
"""sent: on its way (a run stopped hard here counts it lost, never sends it again); answered; error: the gateway
could not answer; lost: sent by a run that was killed before the answer was stored."""


@dataclass(frozen=True)
class PrimaryReply:
    """What the route's primary, asked directly past the cut-off, answered to one prompt: what the fallback's
    answer is compared with."""

    target: str
    """``provider:model`` of the primary."""
    state: Literal["answered", "error"]
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    answer: str = ""
    error: str = ""


@dataclass(frozen=True)
class PrimarySide:
    """The primary's numbers over the prompts of a run it was asked, next to the fallback's."""

    target: str
    answered: int
    errors: int
    latency_ms: dict[str, float]
    """Percentiles of its answers' latency: p50, p95, p99."""
    input_tokens: int
    output_tokens: int


@dataclass(frozen=True)
class DrillRun:
    """One drill of one prompt set through one gateway route, with its verdict once finished."""

    set_name: str
    set_hash: str
    route: str
    paths: tuple[str, ...]
    cut_off: tuple[str, ...]
    """Providers the gateway's cut-off switch took out for the drill."""
    fallbacks: tuple[str, ...]
    """The route's targets that stayed allowed (``provider:model``)."""
    catalog_version: str
    threshold: float
    prompts: int
    started_at: datetime
    id: int | None = None
    status: RunStatus = "running"
    finished_at: datetime | None = None
    passed: int = 0
    pass_rate: float | None = None
    latency_ms: dict[str, float] = field(default_factory=dict)
    """Percentiles of the answers' latency: p50, p95, p99."""
    input_tokens: int = 0
    output_tokens: int = 0
    primary: PrimarySide | None = None
    """None: the drill did not compare with the primary (off, no API key, unreachable)."""

    @property
    def finished(self) -> bool:
        return self.status != "running"


@dataclass(frozen=True)
class PromptResult:
    """What the fallback answered to one prompt and how the scorers judged it."""

    prompt_id: str
    state: ResultState
    served_by: str | None = None
    failovers: int = 0
    status: int = 0
    latency_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    answer: str = ""
    scores: list[dict[str, Any]] = field(default_factory=list)
    passed: bool = False
    scoring_ms: float = 0.0
    primary: PrimaryReply | None = None


class DrillStore(Protocol):
    """Drill runs and their results. SQLite by default, in the scan history's file."""

    def start(self, run: DrillRun) -> DrillRun:
        """Store a new run; returns it with its id."""
        ...

    def unfinished(self, set_name: str, set_hash: str, route: str) -> DrillRun | None:
        """The latest run of this exact prompt set and route that has not finished: the one to continue."""
        ...

    def results(self, run_id: int) -> dict[str, PromptResult]:
        ...

    def mark_sent(self, run_id: int, prompt_id: str) -> None:
        """Record that a prompt is on its way, before it is sent: a resumed run never sends it again."""
        ...

    def save(self, run_id: int, result: PromptResult) -> None:
        ...

    def finish(self, run: DrillRun) -> None:
        """Store the verdict of a finished run (``run.status`` is passed or failed)."""
        ...

    def runs(self, set_name: str | None = None, finished_only: bool = True) -> list[DrillRun]:
        """Runs, newest first, of one set or of all."""
        ...

    def close(self) -> None: ...
