"""``offramp drill``: init, run, report. Plain click commands; ``offramp.cli`` adds the group."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from offramp.options import store_option
from offramp.report.i18n import LANGUAGES

if TYPE_CHECKING:
    from offramp.drill.primary import CompareMode

EXIT_FAILED = 1
"""A drill failed: a gate, like ``scan --fail-above``."""
EXIT_CANNOT_RUN = 3
EXIT_INTERRUPTED = 130

_ROOT = click.argument("root", type=click.Path(path_type=Path, file_okay=False), default=".")
_POLICY = click.option("--policy", type=click.Path(path_type=Path, dir_okay=False),
                       help="Policy file (default: offramp.toml, else [tool.offramp] in pyproject.toml, under ROOT).")


class CannotRun(click.ClickException):
    exit_code = EXIT_CANNOT_RUN


@click.group("drill")
def drill() -> None:
    """Cut the at-risk providers off on purpose and prove each fallback still answers well enough."""


@contextlib.contextmanager
def _opened(location: str | None) -> Iterator[object]:
    from offramp.store import StoreError, open_drill_store
    from offramp.storelocation import store_location

    try:
        store = open_drill_store(store_location(location))
    except StoreError as exc:
        raise CannotRun(str(exc)) from None
    try:
        yield store
    finally:
        store.close()


@drill.command("run")
@_ROOT
@_POLICY
@store_option
@click.option("--set", "only", multiple=True, help="Drill only this prompt set (repeatable).")
@click.option("--url", help="A running gateway to drill (its admin endpoint must be reachable); default: the drill "
                            "starts its own from drill.gateway.")
@click.option("--concurrency", type=click.IntRange(1, 256), help="Prompts in flight at once (default: policy).")
@click.option("--max-requests", type=click.IntRange(1), help="Budget: requests (default: drill.budget.requests).")
@click.option("--max-tokens", "max_tokens_budget", type=click.IntRange(1), help="Budget: tokens.")
@click.option("--max-seconds", type=click.FloatRange(0, min_open=True), help="Budget: wall time.")
@click.option("--compare-with-primary", "compare", type=click.Choice(["auto", "on", "off"]),
              help="Also ask each route's primary directly (past the cut-off) and score the fallback against its "
                   "answers; auto: when the gateway config gives it an API key and it answers; on: always (the drill "
                   "stops when it cannot); off: never. Counted in the budget (default: drill.compare_with_primary, "
                   "auto).")
def run(root: Path, policy: Path | None, store: str | None, only: tuple[str, ...], url: str | None,
        concurrency: int | None, max_requests: int | None, max_tokens_budget: int | None,
        max_seconds: float | None, compare: CompareMode | None) -> None:
    """Send every prompt set through the gateway with the at-risk providers cut off; score and store verdicts.

    Ctrl-C stops after the prompts in flight; the same command then continues where it stopped.
    """
    import asyncio

    from offramp.drill.console import RunDisplay
    from offramp.drill.interrupts import Interrupts, interruptible
    from offramp.drill.prompts import DrillError
    from offramp.drill.runner import Budget
    from offramp.drill.session import load_plan

    try:
        plan = load_plan(root, policy, only)
    except DrillError as exc:
        raise CannotRun(str(exc)) from None
    configured = plan.settings.budget
    budget = Budget(max_requests or configured.requests, max_tokens_budget or configured.tokens,
                    max_seconds or configured.seconds)
    display = RunDisplay(plan)
    interrupts = Interrupts(display)
    previous = signal.signal(signal.SIGINT, interrupts)
    try:
        with _opened(store) as drills, display:
            outcomes = asyncio.run(interruptible(plan, drills, url, budget, concurrency, compare, interrupts,
                                                  display))
    except DrillError as exc:
        raise CannotRun(str(exc)) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    display.summary(outcomes)
    if display.interrupted:
        sys.exit(EXIT_INTERRUPTED)
    if any(o.ended == "budget" for o in outcomes):
        sys.exit(EXIT_CANNOT_RUN)
    if any(o.run.status == "failed" for o in outcomes):
        sys.exit(EXIT_FAILED)


@drill.command("init")
@_ROOT
@_POLICY
@click.option("--route", help="The gateway route the sets go through (default: the gateway's only route).")
@click.option("--force", is_flag=True, help="Rewrite starter sets that already exist.")
def init(root: Path, policy: Path | None, route: str | None, force: bool) -> None:
    """Write starter prompt sets from the system prompts and templates next to each critical at-risk path."""
    from offramp.drill.prompts import DrillError
    from offramp.drill.starter import write_starters

    try:
        starters = write_starters(root, policy, route, force)
    except DrillError as exc:
        raise CannotRun(str(exc)) from None
    if not starters:
        click.echo("no new starter sets: no critical at-risk path has a system prompt or template next to it "
                   "(or its set exists; --force rewrites it)")
        return
    for starter in starters:
        click.echo(f"wrote {starter.file} ({starter.prompts} prompts from {', '.join(starter.sources)}) "
                   f"for {', '.join(starter.paths)}")
    click.echo("added [drill.sets] entries to the policy; edit the questions, add reference answers, set the "
               "route, then run `offramp drill run`")


@drill.command("report")
@_ROOT
@_POLICY
@store_option
@click.option("--format", "output_format", type=click.Choice(["terminal", "json", "markdown", "html"]),
              default="terminal", show_default=True,
              help="Each lists the failing prompts by id (their text stays in the prompt set file); json and html "
                   "also give the checks they failed.")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the terminal, Markdown and HTML reports (default: from LANG, else en).")
def report(root: Path, policy: Path | None, store: str | None, output_format: str, output: Path | None,
           lang: str | None) -> None:
    """The latest verdict of each prompt set: verified, failed or stale, pass rate, latency, tokens."""
    from rich.console import Console

    from offramp.assess.policy import PolicyError, load_policy
    from offramp.drill import report as drill_report
    from offramp.report.i18n import MissingCatalogue, language, resolve_language

    try:
        settings = load_policy(root, policy)[0].drill
    except PolicyError as exc:
        raise CannotRun(str(exc)) from None
    max_age = settings.max_age_days
    files = {name: entry.prompts for name, entry in settings.sets.items()}  # where a failing prompt's text is
    with _opened(store) as drills:
        runs = drill_report.latest(drills.runs())  # type: ignore[attr-defined]
        failing = drill_report.failing(drills, runs)  # type: ignore[arg-type]
    chosen = resolve_language(lang)
    try:
        with language(chosen):
            if output_format == "terminal":
                wide = output is not None or not sys.stdout.isatty()  # files and CI logs get the whole table
                with output.open("w", encoding="utf-8") if output else contextlib.nullcontext(None) as file:
                    drill_report.print_table(runs, max_age, Console(file=file, width=220 if wide else None),
                                             failed=failing, files=files)
                return
            text = (json.dumps({"drills": drill_report.as_json(runs, max_age, failed=failing, files=files)}, indent=2)
                    if output_format == "json"
                    else drill_report.markdown(runs, max_age, failed=failing, files=files)
                    if output_format == "markdown" else drill_report.to_html(runs, failing, max_age, lang=chosen,
                                                                             files=files))
    except MissingCatalogue as exc:
        raise CannotRun(str(exc)) from None
    if output:
        output.write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
