"""The drills' verdicts, per prompt set: a terminal table, JSON, Markdown and an HTML page (``offramp drill report``).

The words are the report package's, in the active language (``offramp.report.i18n``); the HTML page is drawn
with the report's templates and style, so it reads like the scan report, offline and on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from offramp import __version__
from offramp.assess.drills import state_of
from offramp.report.i18n import _
from offramp.report.words import drill_headers, drill_latency, drill_state, drill_table_sets
from offramp.store import DrillRun, DrillStore, PromptResult

FAILING_SHOWN = 50
"""Failing prompts listed per set; the count says how many more there are."""
ANSWER_SHOWN = 300
"""Characters of a failing answer the HTML page shows."""


def latest(runs: list[DrillRun]) -> list[DrillRun]:
    """The newest finished run of each set (``runs`` newest first, as the store gives them)."""
    seen: dict[str, DrillRun] = {}
    for run in runs:
        seen.setdefault(run.set_name, run)
    return sorted(seen.values(), key=lambda r: r.set_name)


def failing(store: DrillStore, runs: list[DrillRun]) -> dict[str, list[PromptResult]]:
    """The prompts that did not pass in each run, by set, in prompt order."""
    return {run.set_name: sorted((r for r in store.results(run.id).values() if not r.passed),
                                 key=lambda r: r.prompt_id)
            for run in runs if run.id is not None}


def as_json(runs: list[DrillRun], max_age_days: float, now: datetime | None = None,
            failed: dict[str, list[PromptResult]] | None = None) -> list[dict[str, Any]]:
    return [{"set": r.set_name, "route": r.route, "paths": list(r.paths), "status": state_of(r, max_age_days, now),
             "verdict": r.status, "pass_rate": r.pass_rate, "threshold": r.threshold, "prompts": r.prompts,
             "passed": r.passed, "latency_ms": r.latency_ms, "input_tokens": r.input_tokens,
             "output_tokens": r.output_tokens, "cut_off": list(r.cut_off), "fallbacks": list(r.fallbacks),
             "prompt_set_sha256": r.set_hash, "catalog_version": r.catalog_version,
             "started_at": r.started_at.isoformat(timespec="seconds"),
             "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
             **({"failing": [{"prompt": p.prompt_id, "state": p.state, "served_by": p.served_by,
                              "failed": [s for s in p.scores if not s.get("passed")]}
                             for p in failed.get(r.set_name, ())]} if failed is not None else {})}
            for r in runs]


@dataclass(frozen=True)
class _Row:
    run: DrillRun
    state: str
    """verified, failed or stale."""

    @property
    def cells(self) -> list[str]:
        r = self.run
        return [r.set_name, r.route, ", ".join(r.paths) or "-", drill_state(self.state),
                f"{r.pass_rate:.0%} ({r.passed}/{r.prompts})" if r.pass_rate is not None else "-",
                f"{r.threshold:.0%}", drill_latency(r), f"{r.input_tokens} / {r.output_tokens}",
                ", ".join(r.fallbacks) or "-", (r.finished_at or r.started_at).strftime("%Y-%m-%d %H:%M")]


def _rows(runs: list[DrillRun], max_age_days: float, now: datetime | None) -> list[_Row]:
    return [_Row(r, state_of(r, max_age_days, now)) for r in runs]


def print_table(runs: list[DrillRun], max_age_days: float, console: Console, now: datetime | None = None) -> None:
    if not runs:
        console.print(_("no finished drills yet: run `offramp drill run`"))
        return
    table = Table(*drill_headers(), title=_("Drills (latest per prompt set)"))
    for row in _rows(runs, max_age_days, now):
        table.add_row(*row.cells)
    console.print(table)


def markdown(runs: list[DrillRun], max_age_days: float, now: datetime | None = None) -> str:
    lines = ["## " + _("Offramp drills"), ""]
    if not runs:
        return "\n".join([*lines, _("No finished drills yet."), ""])
    names = drill_headers()
    lines += ["| " + " | ".join(names) + " |", "|" + " --- |" * len(names)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells) + " |"
              for row in _rows(runs, max_age_days, now)]
    return "\n".join([*lines, ""])


def to_html(runs: list[DrillRun], failed: dict[str, list[PromptResult]], max_age_days: float, *, lang: str = "en",
            now: datetime | None = None) -> str:
    """The page in the active language; pass the same ``lang`` for the page's lang attribute."""
    from offramp.report.html_report import TEMPLATES, environment  # jinja2 only when a page is asked for

    now = now or datetime.now(UTC)
    sets = drill_table_sets((row.run, row.state) for row in _rows(runs, max_age_days, now))
    for entry in sets:
        prompts = failed.get(entry["run"].set_name, [])
        entry.update(more=max(0, len(prompts) - FAILING_SHOWN),
                     failing=[_failing_prompt(p) for p in prompts[:FAILING_SHOWN]])
    return environment().get_template("drills.html").render(
        lang=lang, title=_("Offramp drills"), version=__version__,
        generated_at=now.isoformat(timespec="minutes"), headers=drill_headers(), sets=sets,
        counts={state: sum(1 for s in sets if s["state"] == state) for state in ("verified", "failed", "stale")},
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
    )


def _failing_prompt(result: PromptResult) -> dict[str, Any]:
    answer = result.answer if len(result.answer) <= ANSWER_SHOWN else result.answer[:ANSWER_SHOWN] + "…"
    return {"id": result.prompt_id, "state": _prompt_state(result.state), "served_by": result.served_by or "-",
            "failed": [(_scorer(s.get("scorer", "")), s.get("detail", "")) for s in result.scores
                       if not s.get("passed")], "answer": answer}


def _prompt_state(state: str) -> str:
    return {"answered": _("answered"), "error": _("no answer"), "lost": _("lost (the drill was stopped)"),
            "sent": _("sent, no answer stored")}.get(state, state)


def _scorer(name: str) -> str:
    """A scorer's name as the reader says it (the store keeps the English id)."""
    return {"refusal": _("refusal"), "exact": _("exact match"), "regex": _("regex match"),
            "json": _("JSON and its schema"), "tool_call": _("tool call"), "similarity": _("semantic similarity"),
            "judge": _("judge"), "gateway": _("gateway"), "cut-off": _("cut-off")}.get(name, name)
