"""Phrases the human-readable reports share, in the active language.

The assessment's own reasons are evidence and stay as assess wrote them; these are the report's words
around them: counts, labels, estimates and waivers.
"""

from __future__ import annotations

from offramp.assess import AssessedPath, WaiverStatus
from offramp.assess.risk import TargetRisk
from offramp.report.i18n import _, ngettext


def paths_count(count: int) -> str:
    return ngettext("{count} path", "{count} paths", count).format(count=count)


def files_count(count: int) -> str:
    return ngettext("{count} file", "{count} files", count).format(count=count)


def critical_paths_count(count: int) -> str:
    return ngettext("{count} critical path", "{count} critical paths", count).format(count=count)


def of_critical(count: int, critical: int) -> str:
    return ngettext("{count} of {total} critical path", "{count} of {total} critical paths", critical).format(
        count=count, total=critical)


def no_critical_note() -> str:
    return _("no critical paths found: both exposures are 0 by definition")


def label(risk: TargetRisk) -> str:
    """'gpt-4o on openai'."""
    return _("{model} on {provider}").format(model=risk.target.model or _("unresolved model"),
                                             provider=risk.provider or _("unresolved provider"))


def at_risk_labels(assessed: AssessedPath) -> str:
    return ", ".join(label(t) for t in assessed.at_risk_targets)


def estimate(assessed: AssessedPath) -> str:
    """'replacement estimate 70 h = 6 h base + 40 h embeddings + 24 h no-substitute'."""
    lockin = (_("{hours} h {rule}").format(hours=f"{hit.hours:g}", rule=hit.rule) for hit in assessed.lockin)
    terms = " + ".join([_("{hours} h base").format(hours=f"{assessed.base_hours:g}"), *lockin])
    return _("replacement estimate {hours} h = {terms}").format(hours=f"{assessed.replacement_hours:g}", terms=terms)


def waiver_summary(status: WaiverStatus) -> str:
    waiver = status.waiver
    if status.expired:
        return _("waiver for {path} owned by {owner} expired on {date}: its paths count again").format(
            path=waiver.path, owner=waiver.owner, date=waiver.expires.isoformat())
    return _("waiver for {path} owned by {owner} until {date}: {reason}").format(
        path=waiver.path, owner=waiver.owner, date=waiver.expires.isoformat(), reason=waiver.reason)


def replacement_source(source: str | None) -> str:
    """Where a ready replacement was found, as the reader says it."""
    return {"code": _("code"), "policy": _("policy")}.get(source or "", source or "")
