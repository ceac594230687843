"""One drill of one prompt set: send each prompt once, score the answer, store it at once, then the verdict.

A result is stored per prompt as soon as it is known, and a prompt is marked as sent before it goes out, so an
interrupted drill continues where it stopped and never sends a prompt twice (one that was on its way when the
process died is counted lost, not sent again).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from offramp.drill.gateway import DrillGateway, Reply
from offramp.drill.primary import ANSWER_KEPT, Primary, primary_reply
from offramp.drill.prompts import Prompt, PromptSet
from offramp.drill.scorers.agreement import PrimaryAgreement
from offramp.drill.scorers.base import Scorer
from offramp.gateway.config import Target as RouteTarget
from offramp.store import DrillRun, DrillStore, PrimarySide, PromptResult

Progress = Callable[[int, int], None]
"""Called with (prompts done, prompts in the set) after each answer."""


@dataclass(frozen=True)
class Budget:
    requests: int | None = None
    tokens: int | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class Target:
    """What a drill of one set goes through and what it proves."""

    route: str
    paths: tuple[str, ...]
    cut_off: tuple[str, ...]
    fallbacks: tuple[str, ...]
    at_risk: frozenset[str]
    """Target ids of at-risk closed models: an answer from one of them means the cut-off did not hold."""
    threshold: float
    catalog_version: str
    primary: RouteTarget | None = None
    """The route's first at-risk target: what the product gets today, which the fallback's answers are compared with."""


@dataclass
class Spent:
    """What the whole command used so far (shared by every set it drills): the budget counts against it."""

    requests: int = 0
    tokens: int = 0
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class Outcome:
    run: DrillRun
    ended: Literal["finished", "interrupted", "budget"]
    why: str
    sent: int
    """Prompts sent by this invocation (not counting those a previous one sent)."""
    seconds: float
    scoring_ms: float
    """Time spent scoring, summed over the prompts this invocation answered."""
    primary_sent: int = 0
    """Prompts this invocation also sent to the primary, to compare with."""


class Drill:
    def __init__(self, prompts: PromptSet, target: Target, gateway: DrillGateway, store: DrillStore,
                 scorers: Sequence[Scorer], *, concurrency: int, max_tokens: int, budget: Budget, spent: Spent,
                 judge_requests: int = 0, primary: Primary | None = None, agreement: PrimaryAgreement | None = None,
                 progress: Progress | None = None) -> None:
        self.prompts = prompts
        self.target = target
        self.gateway = gateway
        self.store = store
        self.scorers = scorers
        self.concurrency = concurrency
        self.max_tokens = max_tokens
        self.budget = budget
        self.spent = spent
        self.primary = primary
        self.agreement = agreement
        self.cost = 1 + judge_requests + (primary is not None)
        """Requests one prompt can take (the judge and the primary are asked once per prompt)."""
        self.progress = progress
        self._stopped_by: str | None = None

    def _run(self) -> DrillRun:
        found = self.store.unfinished(self.prompts.name, self.prompts.digest, self.target.route)
        if found is not None:
            return found
        t = self.target
        return self.store.start(DrillRun(
            set_name=self.prompts.name, set_hash=self.prompts.digest, route=t.route, paths=t.paths,
            cut_off=t.cut_off, fallbacks=t.fallbacks, catalog_version=t.catalog_version, threshold=t.threshold,
            prompts=len(self.prompts.prompts), started_at=datetime.now(UTC)))

    async def run(self, stop: asyncio.Event) -> Outcome:
        started = time.monotonic()
        run = self._run()
        assert run.id is not None
        done = self.store.results(run.id)
        for result in done.values():
            if result.state == "sent":  # sent by a run that died before the answer came: never send it again
                self.store.save(run.id, replace(result, state="lost"))
        pending: Iterator[Prompt] = iter([p for p in self.prompts.prompts if p.id not in done])
        counters = {"done": len(done), "sent": 0, "scoring_ms": 0.0}
        if self.progress:
            self.progress(counters["done"], run.prompts)

        async def worker() -> None:
            while not stop.is_set() and self._affordable():
                prompt = next(pending, None)
                if prompt is None:
                    return
                self.spent.requests += self.cost
                self.store.mark_sent(run.id, prompt.id)  # type: ignore[arg-type]
                counters["sent"] += 1
                result = await self._ask(prompt)
                self.store.save(run.id, result)  # type: ignore[arg-type]
                counters["done"] += 1
                counters["scoring_ms"] += result.scoring_ms
                if self.progress:
                    self.progress(counters["done"], run.prompts)

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        results = self.store.results(run.id)
        seconds = time.monotonic() - started
        if len(results) < run.prompts:
            ended: Literal["interrupted", "budget"] = "interrupted" if stop.is_set() else "budget"
            why = "interrupted" if stop.is_set() else f"budget reached: {self._stopped_by}"
            return Outcome(run, ended, why, counters["sent"], seconds, counters["scoring_ms"],
                           counters["sent"] if self.primary else 0)
        run = verdict(run, list(results.values()))
        self.store.finish(run)
        return Outcome(run, "finished", run.status, counters["sent"], seconds, counters["scoring_ms"],
                       counters["sent"] if self.primary else 0)

    def _affordable(self) -> bool:
        """Whether one more prompt fits the budget; remembers which limit stopped the drill."""
        budget, spent = self.budget, self.spent
        if budget.requests is not None and spent.requests + self.cost > budget.requests:
            self._stopped_by = f"{budget.requests} requests"
        elif budget.tokens is not None and spent.tokens >= budget.tokens:
            self._stopped_by = f"{budget.tokens} tokens"
        elif budget.seconds is not None and time.monotonic() - spent.started >= budget.seconds:
            self._stopped_by = f"{budget.seconds:g} seconds"
        else:
            return True
        return False

    async def _ask(self, prompt: Prompt) -> PromptResult:
        body = prompt.request(self.target.route, self.max_tokens)
        first: Reply | None = None
        if self.primary is None:
            reply = await self.gateway.chat(body)
        else:  # both at once: the primary's latency is its own, and the prompt takes no longer than the slower
            reply, first = await asyncio.gather(self.gateway.chat(body), self.primary.chat(body))
            self.spent.tokens += first.input_tokens + first.output_tokens
        self.spent.tokens += reply.input_tokens + reply.output_tokens
        base = PromptResult(prompt.id, "answered", reply.served_by, reply.failovers, reply.status, reply.latency_ms,
                            reply.input_tokens, reply.output_tokens, reply.answer.text[:ANSWER_KEPT],
                            primary=primary_reply(first) if first is not None else None)
        if reply.status != 200:
            failure = {"scorer": "gateway", "passed": False, "value": None,
                       "detail": f"HTTP {reply.status}: {reply.error}"}
            return replace(base, state="error", scores=[failure])
        if reply.served_by in self.target.at_risk:
            held = {"scorer": "cut-off", "passed": False, "value": None,
                    "detail": f"served by {reply.served_by}, an at-risk target the drill had cut off"}
            return replace(base, scores=[held])
        started = time.perf_counter()
        scores = [await scorer.score(prompt, reply.answer) for scorer in self.scorers if scorer.applies(prompt)]
        if self.agreement is not None and first is not None and first.status == 200:
            scores += await self.agreement.score(prompt, reply.answer, first.answer)
        scoring_ms = (time.perf_counter() - started) * 1000
        return replace(base, scores=[s.as_dict() for s in scores], passed=all(s.passed for s in scores),
                       scoring_ms=scoring_ms)


def verdict(run: DrillRun, results: list[PromptResult]) -> DrillRun:
    """The run's numbers and pass or fail: lost and failed prompts count against it."""
    passed = sum(r.passed for r in results)
    rate = passed / run.prompts if run.prompts else 0.0
    return replace(run, status="passed" if rate >= run.threshold else "failed", finished_at=datetime.now(UTC),
                   passed=passed, pass_rate=rate,
                   latency_ms=percentiles([r.latency_ms for r in results if r.state == "answered"]),
                   input_tokens=sum(r.input_tokens for r in results),
                   output_tokens=sum(r.output_tokens for r in results), primary=primary_side(results))


def primary_side(results: list[PromptResult]) -> PrimarySide | None:
    """The primary's numbers over the prompts it was asked (None when it was asked none)."""
    asked = [r.primary for r in results if r.primary is not None]
    if not asked:
        return None
    answered = [p for p in asked if p.state == "answered"]
    return PrimarySide(asked[0].target, len(answered), len(asked) - len(answered),
                       percentiles([p.latency_ms for p in answered]), sum(p.input_tokens for p in asked),
                       sum(p.output_tokens for p in asked))


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50, p95 and p99 of the latencies, in milliseconds ({} when there are none)."""
    ordered = sorted(latencies)
    if not ordered:
        return {}
    return {name: round(percentile(ordered, q), 1) for name, q in (("p50", 50), ("p95", 95), ("p99", 99))}


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
