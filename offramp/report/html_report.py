"""The HTML report: one self-contained page a CTO can read in a minute, offline and on paper.

Everything is rendered here and in ``templates/report.html``: the numbers, the charts (SVG drawn from the
numbers below) and the full table are static HTML, so the page reads the same without JavaScript and in
print. The inlined script only sorts and filters the table. No font, style or script is loaded from
anywhere: the page makes no network request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from offramp import __version__
from offramp.assess import HOURS_THRESHOLD, AssessedPath, Assessment
from offramp.assess.risk import TargetRisk
from offramp.report.i18n import _, ngettext, say
from offramp.report.json_report import substitutes
from offramp.report.words import (
    drill_headers,
    drill_table_sets,
    drills_line,
    files_count,
    label,
    of_critical,
    paths_count,
    uncovered_title,
    uncovered_where,
)
from offramp.store.history import RecordedScan

TEMPLATES = Path(__file__).parent / "templates"
STATUSES = ("exposed-48h", "exposed", "waived", "replaceable", "safe", "not-critical")
"""Path statuses, worst first: the table's default order and its filter's choices."""
HOUR_BUCKETS = ((0, 8), (8, 24), (24, 48), (48, 96), (96, None))


@dataclass(frozen=True)
class Bar:
    label: str
    counts: dict[str, int]
    """Critical paths per status, in STATUSES order."""

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def shown_root(root: str, cwd: Path | None = None) -> str:
    """The scanned folder as its readers know it: relative to where the scan ran, else its name.

    An HTML report is shared; an absolute path would show someone's home folder or a CI runner's layout.
    """
    path = Path(root)
    try:
        relative = path.relative_to(cwd or Path.cwd())
    except ValueError:
        return path.name or root
    return relative.as_posix() if relative.parts else path.name


def to_html(assessment: Assessment, *, lang: str = "en", history: Sequence[RecordedScan] = (),
            policy_file: Path | None = None, generated_at: datetime | None = None) -> str:
    """The page in the active language; pass the same ``lang`` for the page's lang attribute."""
    numbers = assessment.numbers
    critical = [p for p in assessment.paths if p.critical]
    rows = sorted((_row(p, assessment) for p in assessment.paths),
                  key=lambda r: (STATUSES.index(r["status"]), -r["hours"], r["file"], r["line"]))
    return environment().get_template("report.html").render(
        lang=lang,
        title=_("Offramp report: {name}").format(name=PurePosixPath(assessment.result.root).name or "/"),
        generated_at=(generated_at or datetime.now(UTC)).isoformat(timespec="minutes"),
        version=__version__,
        root=shown_root(assessment.result.root),
        context=_context(assessment, policy_file),
        numbers=numbers,
        verdict=_verdict(assessment),
        cards=[
            ("exposure_48h", _("Exposure (48 h)"), f"{numbers.exposure_48h:.1%}",
             of_critical(numbers.exposed_48h, numbers.critical_paths), _severity(numbers.exposed_48h)),
            ("exposure_no_fallback", _("Exposure (no fallback)"), f"{numbers.exposure_no_fallback:.1%}",
             of_critical(numbers.exposed_no_fallback, numbers.critical_paths), _severity(numbers.exposed_no_fallback)),
            ("at_risk_paths", _("Critical paths at risk"), str(numbers.at_risk_paths),
             _("{count} with a ready replacement").format(count=sum(
                 p.critical and p.at_risk and p.ready_replacement for p in assessment.paths)), "neutral"),
            ("critical_paths", _("Critical paths"), str(numbers.critical_paths),
             _("{paths} found, {waived} waived").format(paths=paths_count(numbers.paths),
                                                       waived=numbers.waived_paths), "neutral"),
        ],
        note=say(numbers.note) if numbers.note else None,
        drills=drills_line(assessment),
        drill_sets=_drill_sets(assessment),
        drill_headers=drill_headers(),
        threshold=HOURS_THRESHOLD,
        status_names=_status_names(),
        statuses=STATUSES,
        by_jurisdiction=_bars(critical, lambda p: [_jurisdiction_label(t) for t in p.targets]),
        by_provider=_bars(critical, lambda p: [_provider_label(t) for t in p.targets]),
        buckets=_buckets([p for p in critical if p.at_risk]),
        trend=_trend(history),
        rows=rows,
        uncovered=[(u.sdk, uncovered_where(u)) for u in assessment.result.uncovered_sdks],
        uncovered_title=uncovered_title(len(assessment.result.uncovered_sdks)),
        skipped=assessment.result.skipped,
        skipped_title=_("Skipped {files}").format(files=files_count(len(assessment.result.skipped))),
        secrets=assessment.result.secrets,
        shown_template=_("{shown} of {total} paths shown"),
        all_shown=_("{shown} of {total} paths shown").format(shown=len(rows), total=len(rows)),
        css=(TEMPLATES / "report.css").read_text(encoding="utf-8"),
        script=(TEMPLATES / "report.js").read_text(encoding="utf-8"),
    )


@cache
def environment(*folders: Path) -> Environment:
    """The templates of ``folders`` and then the report's (its charts), escaped, in the active language."""
    environment = Environment(loader=FileSystemLoader([*folders, TEMPLATES]), autoescape=True,
                              undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(_, ngettext, newstyle=False)  # type: ignore[attr-defined]
    return environment


def _drill_sets(assessment: Assessment) -> list[dict[str, object]]:
    """The latest drill of each prompt set that covers a path of the scan, as `offramp drill report` shows it."""
    latest = {p.drill.run.set_name: (p.drill.run, p.drill.state) for p in assessment.paths if p.drill is not None}
    return drill_table_sets(latest[name] for name in sorted(latest))


def _verdict(assessment: Assessment) -> str:
    """The page's first sentence: what the headline number means for the product."""
    numbers, at_risk = assessment.numbers, ", ".join(assessment.policy.at_risk) or _("none")
    if numbers.exposed_48h:
        return ngettext("If {jurisdictions} access were cut off tomorrow, {count} critical path would fail with "
                        "nothing to take over, and would take more than {hours} hours to move.",
                        "If {jurisdictions} access were cut off tomorrow, {count} critical paths would fail with "
                        "nothing to take over, and would take more than {hours} hours to move.",
                        numbers.exposed_48h).format(jurisdictions=at_risk, count=numbers.exposed_48h,
                                                    hours=HOURS_THRESHOLD)
    if numbers.exposed_no_fallback:
        return ngettext("If {jurisdictions} access were cut off tomorrow, {count} critical path would fail with "
                        "nothing to take over; it can be moved within {hours} hours.",
                        "If {jurisdictions} access were cut off tomorrow, {count} critical paths would fail with "
                        "nothing to take over; each can be moved within {hours} hours.",
                        numbers.exposed_no_fallback).format(jurisdictions=at_risk, count=numbers.exposed_no_fallback,
                                                            hours=HOURS_THRESHOLD)
    return _("No critical path is exposed: every critical path is either not at risk or has a ready replacement.")


def _jurisdiction_label(risk: TargetRisk) -> str:
    return risk.jurisdiction or (_("self-hosted") if risk.self_hosted else _("unknown"))


def _provider_label(risk: TargetRisk) -> str:
    provider = risk.provider or _("unresolved provider")
    return f"{provider} ({risk.jurisdiction})" if risk.jurisdiction else provider


def _status_names() -> dict[str, str]:
    return {"exposed-48h": _("Exposed, over {hours} h").format(hours=HOURS_THRESHOLD),
            "exposed": _("Exposed, no fallback"), "waived": _("Waived"), "replaceable": _("Ready replacement"),
            "safe": _("Not at risk"), "not-critical": _("Not critical")}


def _severity(count: int) -> str:
    return "bad" if count else "good"


def _context(assessment: Assessment, policy_file: Path | None) -> list[str]:
    policy, scan = assessment.policy, assessment.result
    context = [_("at risk: {jurisdictions}").format(jurisdictions=", ".join(policy.at_risk) or _("none"))]
    if policy.home:
        context.append(_("home: {jurisdiction}").format(jurisdiction=policy.home))
    context.append(_("policy: {file}").format(file=policy_file.name if policy_file else _("defaults")))
    context.append(_("{paths} in {files}, {seconds} s").format(
        paths=paths_count(assessment.numbers.paths), files=files_count(scan.files_seen), seconds=f"{scan.seconds:.1f}"))
    return context


def status(assessed: AssessedPath) -> str:
    if not assessed.critical:
        return "not-critical"
    if not assessed.at_risk:
        return "safe"
    if assessed.exposed_48h:
        return "exposed-48h"
    if assessed.exposed_no_fallback:
        return "exposed"
    return "waived" if assessed.waived else "replaceable"


def _row(assessed: AssessedPath, assessment: Assessment) -> dict[str, object]:
    path = assessed.path
    return {
        "status": status(assessed),
        "file": path.file,
        "line": path.line,
        "location": assessed.location,
        "models": [label(t) for t in assessed.targets],
        "at_risk_models": {label(t) for t in assessed.at_risk_targets},
        "jurisdictions": ", ".join(assessed.jurisdictions) or "—",
        "hours": assessed.replacement_hours if assessed.at_risk else 0.0,
        "summary": _summary(assessed),
        "why": [say(reason) for reason in assessed.reasons],
        "substitutes": list(dict.fromkeys(s["name"] for s in substitutes(assessed, assessment.catalog))),
    }


def _summary(assessed: AssessedPath) -> str:
    """The one reason that decides the path's status, in the active language."""
    return say(_deciding_reason(assessed))


def _deciding_reason(assessed: AssessedPath) -> str:
    if not assessed.critical:
        return assessed.criticality.why
    if not assessed.at_risk:
        return assessed.targets[0].reasons[-1] if assessed.targets else assessed.criticality.why
    decision = assessed.at_risk_targets[0].reasons[-1]
    if assessed.waived and assessed.waiver:
        return assessed.waiver.summary
    return decision if assessed.exposed_no_fallback else assessed.replacement.why


def _bars(paths: list[AssessedPath], keys: Callable[[AssessedPath], list[str]]) -> list[Bar]:
    """Critical paths per key and status; a path reaching several providers counts under each."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES[:-1], 0))
    for assessed in paths:
        for key in dict.fromkeys(keys(assessed)):
            counts[key][status(assessed)] += 1
    bars = [Bar(key, value) for key, value in counts.items()]
    return sorted(bars, key=lambda b: (-b.counts["exposed-48h"] - b.counts["exposed"], -b.total, b.label))


def _buckets(at_risk: list[AssessedPath]) -> list[Bar]:
    bars = []
    for low, high in HOUR_BUCKETS:
        inside = [p for p in at_risk if p.replacement_hours > low and (high is None or p.replacement_hours <= high)]
        if low == 0:
            inside += [p for p in at_risk if p.replacement_hours <= 0]
        name = f"≤ {high} h" if low == 0 else f"> {low} h" if high is None else f"{low}–{high} h"
        counts = dict.fromkeys(STATUSES[:-2], 0)
        for assessed in inside:
            counts[status(assessed)] += 1
        bars.append(Bar(name, counts))
    return bars


def _trend(history: Sequence[RecordedScan]) -> list[dict[str, object]]:
    return [{"date": scan.recorded_at.date().isoformat(), "label": (scan.commit or "")[:8],
             "exposure_48h": scan.exposure_48h, "exposure_no_fallback": scan.exposure_no_fallback}
            for scan in history]
