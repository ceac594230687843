"""The drills' verdicts, per prompt set: a terminal table, JSON and Markdown (``offramp drill report``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console
from rich.table import Table

from offramp.assess.drills import state_of
from offramp.store import DrillRun


def latest(runs: list[DrillRun]) -> list[DrillRun]:
    """The newest finished run of each set (``runs`` newest first, as the store gives them)."""
    seen: dict[str, DrillRun] = {}
    for run in runs:
        seen.setdefault(run.set_name, run)
    return sorted(seen.values(), key=lambda r: r.set_name)


def as_json(runs: list[DrillRun], max_age_days: float, now: datetime | None = None) -> list[dict[str, Any]]:
    return [{"set": r.set_name, "route": r.route, "paths": list(r.paths), "status": state_of(r, max_age_days, now),
             "verdict": r.status, "pass_rate": r.pass_rate, "threshold": r.threshold, "prompts": r.prompts,
             "passed": r.passed, "latency_ms": r.latency_ms, "input_tokens": r.input_tokens,
             "output_tokens": r.output_tokens, "cut_off": list(r.cut_off), "fallbacks": list(r.fallbacks),
             "prompt_set_sha256": r.set_hash, "catalog_version": r.catalog_version,
             "started_at": r.started_at.isoformat(timespec="seconds"),
             "finished_at": r.finished_at.isoformat(timespec="seconds") if r.finished_at else None}
            for r in runs]


def _rows(runs: list[DrillRun], max_age_days: float, now: datetime | None) -> list[list[str]]:
    return [[r.set_name, r.route, ", ".join(r.paths) or "-", state_of(r, max_age_days, now),
             f"{r.pass_rate:.0%} ({r.passed}/{r.prompts})" if r.pass_rate is not None else "-", f"{r.threshold:.0%}",
             " / ".join(f"{r.latency_ms[k]:.0f}" for k in ("p50", "p95", "p99")) if r.latency_ms else "-",
             f"{r.input_tokens} / {r.output_tokens}", ", ".join(r.fallbacks) or "-",
             (r.finished_at or r.started_at).strftime("%Y-%m-%d %H:%M")] for r in runs]


HEADERS = ["set", "route", "paths", "status", "pass rate", "threshold", "latency p50/p95/p99 ms",
           "tokens in / out", "fallbacks", "finished (UTC)"]


def print_table(runs: list[DrillRun], max_age_days: float, console: Console, now: datetime | None = None) -> None:
    if not runs:
        console.print("no finished drills yet: run `offramp drill run`")
        return
    table = Table(*HEADERS, title="Drills (latest per prompt set)")
    for row in _rows(runs, max_age_days, now):
        table.add_row(*row)
    console.print(table)


def markdown(runs: list[DrillRun], max_age_days: float, now: datetime | None = None) -> str:
    lines = ["## Offramp drills", ""]
    if not runs:
        return "\n".join([*lines, "No finished drills yet.", ""])
    lines += ["| " + " | ".join(HEADERS) + " |", "|" + " --- |" * len(HEADERS)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
              for row in _rows(runs, max_age_days, now)]
    return "\n".join([*lines, ""])
