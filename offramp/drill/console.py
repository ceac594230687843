"""What ``offramp drill run`` shows: a progress bar per prompt set on a terminal, then the verdicts."""

from __future__ import annotations

import sys
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from offramp.drill.runner import Outcome
from offramp.drill.session import Plan, unscored_references
from offramp.report.words import latency_cell


class RunDisplay:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.interrupted = False
        self.out = Console(highlight=False)
        self.err = Console(stderr=True, highlight=False)
        self._bar: Progress | None = None
        if sys.stderr.isatty():
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=self.err, transient=True)

    def __enter__(self) -> RunDisplay:
        cut = ", ".join(self.plan.sets[0][1].cut_off) if self.plan.sets else ""
        self.err.print(f"drill: cutting off {cut or 'no provider (no route has an at-risk target)'} "
                       f"with the gateway's cut-off switch")
        if warning := unscored_references(self.plan):
            self.err.print(warning, style="bold yellow", markup=False)  # [drill-embeddings] is no style
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar:
            self._bar.stop()

    def progress(self, name: str) -> Any:
        if self._bar is None:
            return None
        task = self._bar.add_task(name, total=None)
        return lambda done, total: self._bar.update(task, completed=done, total=total)  # type: ignore[union-attr]

    def note(self, text: str) -> None:
        self.err.print(text)

    def summary(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            run = outcome.run
            per_minute = outcome.sent / outcome.seconds * 60 if outcome.seconds and outcome.sent else 0.0
            speed = (f"{outcome.sent} sent in {outcome.seconds:.1f} s ({per_minute:.1f} prompts/min, scoring "
                     f"{outcome.scoring_ms / outcome.sent if outcome.sent else 0:.0f} ms a prompt)")
            if outcome.ended != "finished":
                self.out.print(f"{run.set_name}: {outcome.why}; {speed}; run the same command to continue")
                continue
            rate = f"{run.pass_rate:.0%}" if run.pass_rate is not None else "-"
            self.out.print(f"{run.set_name} via route {run.route}: [bold]{run.status.upper()}[/] {rate} "
                           f"({run.passed}/{run.prompts}, threshold {run.threshold:.0%}); fallbacks "
                           f"{', '.join(run.fallbacks) or 'none'}; latency p50/p95/p99 "
                           f"{latency_cell(run.latency_ms)} ms; tokens {run.input_tokens} in, {run.output_tokens} out; "
                           f"{speed}")
            if (primary := run.primary) is not None:
                errors = f", {primary.errors} without an answer" if primary.errors else ""
                self.out.print(f"  primary {primary.target} (compared: {primary.answered} of {run.prompts} "
                               f"answered{errors}): latency p50/p95/p99 {latency_cell(primary.latency_ms)} ms; tokens "
                               f"{primary.input_tokens} in, {primary.output_tokens} out; {outcome.primary_sent} "
                               "asked by this command, counted in the budget")

