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
from offramp.report.words import drill_headers, drill_sides, drill_state, drill_table_sets
from offramp.store import DrillRun, DrillStore, PrimarySide, PromptResult

FAILING_SHOWN = 50
"""Failing prompts listed per set; the count says how many more there are. Reports name them by id: their text
(which may carry what users typed) stays in the prompt set file."""
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
            failed: dict[str, list[PromptResult]] | None = None,
            files: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each run as JSON; ``failed`` adds its failing prompts (by id), ``files`` the prompt set file by set name."""
    return [{"set": r.set_name, "route": r.route, "paths": list(r.paths), "status": state_of(r, max_age_days, now),
             "verdict": r.status, "pass_rate": r.pass_rate, "threshold": r.threshold, "prompts": r.prompts,
             "passed": r.passed, "latency_ms": r.latency_ms, "input_tokens": r.input_tokens,
             "output_tokens": r.output_tokens, "primary": _primary_json(r.primary), "cut_off": list(r.cut_off),
             "fallbacks": list(r.fallbacks), "prompt_set": (files or {}).get(r.set_name),
             "prompt_set_sha256": r.set_hash, "catalog_version": r.catalog_version,
             "started_at": r.started_at.isoformat(timespec="seconds"),
             "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None,
             **({"failing": [{"prompt": p.prompt_id, "state": p.state, "served_by": p.served_by,
                              "primary": p.primary.state if p.primary else None,
                              "failed": [s for s in p.scores if not s.get("passed")]}
                             for p in failed.get(r.set_name, ())]} if failed is not None else {})}
            for r in runs]


def _primary_json(side: PrimarySide | None) -> dict[str, Any] | None:
    """The primary's side, or None when the drill did not compare with it."""
    if side is None:
        return None
    return {"target": side.target, "answered": side.answered, "errors": side.errors, "latency_ms": side.latency_ms,
            "input_tokens": side.input_tokens, "output_tokens": side.output_tokens}


@dataclass(frozen=True)
class _Row:
    run: DrillRun
    state: str
    """verified, failed or stale."""

    @property
    def cells(self) -> list[str]:
        r = self.run
        sides = drill_sides(r)
        return [r.set_name, r.route, ", ".join(r.paths) or "-", drill_state(self.state),
                f"{r.pass_rate:.0%} ({r.passed}/{r.prompts})" if r.pass_rate is not None else "-",
                f"{r.threshold:.0%}", sides["latency"], sides["primary_latency"], sides["tokens"],
                sides["primary_tokens"], ", ".join(r.fallbacks) or "-",
                (r.finished_at or r.started_at).strftime("%Y-%m-%d %H:%M")]


def _rows(runs: list[DrillRun], max_age_days: float, now: datetime | None) -> list[_Row]:
    return [_Row(r, state_of(r, max_age_days, now)) for r in runs]


def print_table(runs: list[DrillRun], max_age_days: float, console: Console, now: datetime | None = None,
                failed: dict[str, list[PromptResult]] | None = None, files: dict[str, str] | None = None) -> None:
    if not runs:
        console.print(_("no finished drills yet: run `offramp drill run`"))
        return
    table = Table(*drill_headers(), title=_("Drills (latest per prompt set)"))
    for row in _rows(runs, max_age_days, now):
        table.add_row(*row.cells)
    console.print(table)
    for line in failing_lines(runs, failed or {}, files or {}):
        console.print(line, markup=False, highlight=False)


def markdown(runs: list[DrillRun], max_age_days: float, now: datetime | None = None,
             failed: dict[str, list[PromptResult]] | None = None, files: dict[str, str] | None = None) -> str:
    lines = ["## " + _("Offramp drills"), ""]
    if not runs:
        return "\n".join([*lines, _("No finished drills yet."), ""])
    names = drill_headers()
    lines += ["| " + " | ".join(names) + " |", "|" + " --- |" * len(names)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row.cells) + " |"
              for row in _rows(runs, max_age_days, now)]
    if failing := failing_lines(runs, failed or {}, files or {}):
        lines += ["", *(f"- {line}" for line in failing)]
    return "\n".join([*lines, ""])


def failing_lines(runs: list[DrillRun], failed: dict[str, list[PromptResult]], files: dict[str, str]) -> list[str]:
    """'chat: failing prompts (2): capital-0, capital-1 (their text: drills/chat.jsonl)', a line per set with any."""
    lines = []
    for run in runs:
        prompts = failed.get(run.set_name, [])
        if not prompts:
            continue
        ids = ", ".join(p.prompt_id for p in prompts[:FAILING_SHOWN])
        if len(prompts) > FAILING_SHOWN:
            ids += ", " + _("and {count} more").format(count=len(prompts) - FAILING_SHOWN)
        line = _("{set}: failing prompts ({count})").format(set=run.set_name, count=len(prompts)) + f": {ids}"
        if run.set_name in files:
            line += " " + _("(their text: {file})").format(file=files[run.set_name])
        lines.append(line)
    return lines


def to_html(runs: list[DrillRun], failed: dict[str, list[PromptResult]], max_age_days: float, *, lang: str = "en",
            now: datetime | None = None, files: dict[str, str] | None = None) -> str:
    """The page in the active language; pass the same ``lang`` for the page's lang attribute."""
    from offramp.report.html_report import TEMPLATES, environment  # jinja2 only when a page is asked for

    now = now or datetime.now(UTC)
    sets = drill_table_sets((row.run, row.state) for row in _rows(runs, max_age_days, now))
    for entry in sets:
        prompts = failed.get(entry["run"].set_name, [])
        entry.update(more=max(0, len(prompts) - FAILING_SHOWN), file=(files or {}).get(entry["run"].set_name),
                     failing=[_failing_prompt(p) for p in prompts[:FAILING_SHOWN]])
    return environment().get_template("drills.html").render(
        lang=lang, title=_("Offramp drills"), version=__version__,
        generated_at=now.isoformat(timespec="minutes"), headers=drill_headers(), sets=sets,
        counts={state: sum(1 for s in sets if s["state"] == state) for state in ("verified", "failed", "stale")},
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
    )


def _failing_prompt(result: PromptResult) -> dict[str, Any]:
    primary = result.primary
    return {"id": result.prompt_id, "state": _prompt_state(result.state), "served_by": result.served_by or "-",
            "failed": [(_scorer(s.get("scorer", "")), s.get("detail", "")) for s in result.scores
                       if not s.get("passed")], "answer": _start(result.answer),
            "primary": None if primary is None else _start(primary.answer) if primary.state == "answered"
            else _("no answer: {error}").format(error=primary.error)}


def _start(answer: str) -> str:
    return answer if len(answer) <= ANSWER_SHOWN else answer[:ANSWER_SHOWN] + "…"


def _prompt_state(state: str) -> str:
    return {"answered": _("answered"), "error": _("no answer"), "lost": _("lost (the drill was stopped)"),
            "sent": _("sent, no answer stored")}.get(state, state)


def _scorer(name: str) -> str:
    """A scorer's name as the reader says it (the store keeps the English id)."""
    return {"refusal": _("refusal"), "exact": _("exact match"), "regex": _("regex match"),
            "json": _("JSON and its schema"), "tool_call": _("tool call"), "similarity": _("semantic similarity"),
            "judge": _("judge"), "gateway": _("gateway"), "cut-off": _("cut-off"),
            "primary_similarity": _("semantic similarity to the primary's answer"),
            "primary_json": _("JSON like the primary's"),
            "primary_tool_call": _("tool call like the primary's")}.get(name, name)
