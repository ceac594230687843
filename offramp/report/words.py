"""Phrases the human-readable reports share, in the active language: counts, labels and sources.

The assessment's own sentences (reasons, estimates, waiver summaries) are said with ``i18n.say``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from offramp.assess import AssessedPath, Assessment, Numbers
from offramp.assess.drills import drill_counts
from offramp.assess.risk import TargetRisk
from offramp.report.i18n import _, ngettext, say
from offramp.scan.findings import UncoveredSdk
from offramp.store import DrillRun


def paths_count(count: int) -> str:
    return ngettext("{count} path", "{count} paths", count).format(count=count)


def files_count(count: int) -> str:
    return ngettext("{count} file", "{count} files", count).format(count=count)


def critical_paths_count(count: int) -> str:
    return ngettext("{count} critical path", "{count} critical paths", count).format(count=count)


def of_critical(count: int, critical: int) -> str:
    return ngettext("{count} of {total} critical path", "{count} of {total} critical paths", critical).format(
        count=count, total=critical)


def exposure_cells(numbers: Numbers) -> tuple[str, str]:
    """Exposure (48 h) and Exposure (no fallback) as a table shows them: ratio and count, ``53.3% (16)``."""
    return (f"{numbers.exposure_48h:.1%} ({numbers.exposed_48h})",
            f"{numbers.exposure_no_fallback:.1%} ({numbers.exposed_no_fallback})")


def label(risk: TargetRisk) -> str:
    """'gpt-4o on openai'."""
    return say(risk.label)


def at_risk_labels(assessed: AssessedPath) -> str:
    return ", ".join(label(t) for t in assessed.at_risk_targets)


def replacement_source(source: str | None) -> str:
    """Where a ready replacement was found, as the reader says it."""
    return {"code": _("code"), "policy": _("policy"), "drill": _("drill")}.get(source or "", source or "")


def uncovered_title(count: int) -> str:
    return _("AI SDKs with no inference path found ({count}): calls through them may have been missed").format(
        count=count)


def uncovered_where(entry: UncoveredSdk) -> str:
    """'imported in app/llm.py and 2 more files': where the code uses an SDK that no path goes through."""
    files = ", ".join(entry.files)
    if entry.file_count > len(entry.files):
        files = _("{files} and {count} more").format(files=files, count=entry.file_count - len(entry.files))
    if entry.source == "manifest":
        return _("declared in {files}").format(files=files)
    return _("imported in {files}").format(files=files)


def drill_state(state: str) -> str:
    return {"verified": _("verified"), "failed": _("drill failed"), "stale": _("drill stale")}.get(state, state)


def drill_headers() -> list[str]:
    """The columns of the drills table (`offramp drill report`, and the scan's HTML report): the fallback's
    latency and tokens each next to the primary's, when the drill compared them."""
    return [_("set"), _("route"), _("paths"), _("status"), _("pass rate"), _("threshold"),
            _("fallback latency p50/p95/p99 ms"), _("primary latency p50/p95/p99 ms"), _("fallback tokens in / out"),
            _("primary tokens in / out"), _("fallbacks"), _("finished (UTC)")]


def latency_cell(percentiles: dict[str, float]) -> str:
    """'120 / 300 / 410': latency percentiles p50, p95 and p99 in milliseconds."""
    return " / ".join(f"{percentiles[k]:.0f}" for k in ("p50", "p95", "p99")) if percentiles else "-"


def drill_sides(run: DrillRun) -> dict[str, str]:
    """The cells of the fallback's and the primary's latency and tokens."""
    primary = run.primary
    return {"latency": latency_cell(run.latency_ms), "tokens": f"{run.input_tokens} / {run.output_tokens}",
            "primary_latency": latency_cell(primary.latency_ms) if primary else _("not compared"),
            "primary_tokens": f"{primary.input_tokens} / {primary.output_tokens}" if primary else "-"}


def drill_table_sets(runs: Iterable[tuple[DrillRun, str]]) -> list[dict[str, Any]]:
    """What the HTML drills table (templates/drill_table.html) shows of each run and its state."""
    return [{"run": run, "state": state, "state_name": drill_state(state), **drill_sides(run)} for run, state in runs]


def drills_line(assessment: Assessment) -> str | None:
    """'Drills: 2 verified, 1 failed, 0 stale' over the critical at-risk paths; None when none was drilled."""
    statuses = [p.drill for p in assessment.paths if p.critical and p.at_risk]
    if not any(statuses):
        return None
    return _("Drills: {verified} verified, {failed} failed, {stale} stale").format(**drill_counts(statuses))
