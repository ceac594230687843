"""The terminal summary: the two numbers first, then the paths behind them, most work to replace first.

Everything is built from rich ``Text`` objects, never markup strings, so that a file name such as
``app/[id].py`` prints as written. Colour follows the console: none in CI logs or pipes.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.text import Text

from offramp.assess import HOURS_THRESHOLD, AssessedPath, Assessment

SHOWN_PATHS = 20
SHOWN_SKIPPED = 5
HOURS_WIDTH = 8
"""Width of the hours column; reasons and continuation lines start after it."""


def render(assessment: Assessment, console: Console, *, policy_file: Path | None = None,
           shown_paths: int = SHOWN_PATHS) -> None:
    _numbers(assessment, console, policy_file)
    critical_at_risk = sorted((p for p in assessment.paths if p.critical and p.at_risk),
                              key=lambda p: (-p.replacement_hours, p.path.file, p.path.line))
    exposed = [p for p in critical_at_risk if p.exposed_no_fallback]
    _exposed(exposed, console, shown_paths)
    _replaceable([p for p in critical_at_risk if p.ready_replacement], console, shown_paths)
    _others(assessment, console)
    _waivers(assessment, console)
    _skipped(assessment, console)
    _secrets(assessment, console)
    _hint(assessment, exposed, console)


def _numbers(assessment: Assessment, console: Console, policy_file: Path | None) -> None:
    numbers = assessment.numbers
    of = "of " + _count(numbers.critical_paths, "critical path")
    headline = Text("Exposure (48 h):        ", style="bold")
    headline.append(f"{numbers.exposure_48h:6.1%}", style=_severity(numbers.exposure_48h))
    headline.append(f"  ({numbers.exposed_48h} {of})")
    second = Text("Exposure (no fallback): ", style="bold")
    second.append(f"{numbers.exposure_no_fallback:6.1%}", style=_severity(numbers.exposure_no_fallback))
    second.append(f"  ({numbers.exposed_no_fallback} {of})")
    console.print(headline)
    console.print(second)
    policy = assessment.policy
    scan = assessment.result
    context = [f"at risk: {', '.join(policy.at_risk) or 'none'}"]
    if policy.home:
        context.append(f"home: {policy.home}")
    context.append(f"policy: {policy_file.name if policy_file else 'defaults'}")
    context.append(f"{_count(numbers.paths, 'path')} in {_count(scan.files_seen, 'file')}, {scan.seconds:.1f} s")
    console.print(Text(" · ".join(context), style="dim"))
    if numbers.note:
        console.print(Text(numbers.note, style="dim"))


def _severity(ratio: float) -> str:
    return "bold green" if ratio == 0 else "bold red"


def _exposed(paths: list[AssessedPath], console: Console, shown: int) -> None:
    if not paths:
        return
    console.print()
    console.print(Text(f"Exposed paths ({len(paths)}): critical, at risk, no ready replacement; most work first",
                       style="bold"))
    for assessed in paths[:shown]:
        hours = Text(f"{assessed.replacement_hours:>5g} h ", style="red" if assessed.exposed_48h else "yellow")
        _hanging(console, hours, _title(assessed), HOURS_WIDTH)
        for reason in _compact_reasons(assessed):
            _hanging(console, Text(" " * (HOURS_WIDTH - 2) + "· "), Text(reason, style="dim"), HOURS_WIDTH)
    if len(paths) > shown:
        console.print(Text(f"  … and {len(paths) - shown} more (--format json lists every path)", style="dim"))


def _title(assessed: AssessedPath) -> Text:
    title = Text(assessed.location, style="bold")
    title.append("  " + ", ".join(t.label for t in assessed.at_risk_targets))
    if assessed.exposed_48h:
        title.append(f"  > {HOURS_THRESHOLD} h", style="red")
    return title


def _compact_reasons(assessed: AssessedPath) -> list[str]:
    """The decisive reasons only: what is at risk and why, why nothing replaces it, what slows a move."""
    reasons = []
    several = len(assessed.at_risk_targets) > 1
    for target in assessed.at_risk_targets:
        prefix = f"{target.label}: " if several else ""
        reasons.extend(prefix + reason for reason in target.reasons)
    reasons.append(assessed.replacement.why)
    reasons.append(assessed.estimate)
    if assessed.waiver and assessed.waiver.expired:
        reasons.append(assessed.waiver.summary)
    return reasons


def _replaceable(paths: list[AssessedPath], console: Console, shown: int) -> None:
    if not paths:
        return
    console.print()
    console.print(Text(f"At risk but with a ready replacement ({len(paths)})", style="bold"))
    for assessed in paths[:shown]:
        line = Text(assessed.location, style="green")
        line.append("  " + ", ".join(t.label for t in assessed.at_risk_targets))
        if replacement := assessed.replacement.target:
            line.append(f" -> {replacement.label} ({assessed.replacement.source})")
        _hanging(console, Text("  "), line, 4)
    if len(paths) > shown:
        console.print(Text(f"  … and {len(paths) - shown} more", style="dim"))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _hanging(console: Console, lead: Text, body: Text, indent: int) -> None:
    """Print ``lead`` then ``body`` wrapped to the console, continuation lines indented, no trailing blanks."""
    width = max(console.width - indent, 20)
    for index, line in enumerate(body.wrap(console, width)):
        line.rstrip()
        prefix = lead if index == 0 else Text(" " * indent)
        console.print(Text.assemble(prefix, line), soft_wrap=True)


def _others(assessment: Assessment, console: Console) -> None:
    safe = sum(1 for p in assessment.paths if p.critical and not p.at_risk)
    not_critical = [p for p in assessment.paths if not p.critical]
    console.print()
    console.print(Text(f"Not at risk: {_count(safe, 'critical path')}"))
    line = Text(f"Not critical: {_count(len(not_critical), 'path')}")
    if not_critical:
        kinds = Counter(p.criticality.rule or "policy" for p in not_critical)
        line.append(" (" + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()) + ")")
    console.print(line)


def _waivers(assessment: Assessment, console: Console) -> None:
    if not assessment.waivers:
        return
    expired = [w for w in assessment.waivers if w.expired]
    waived = _count(assessment.numbers.waived_paths, "critical path")
    console.print(Text(f"Waivers: {len(assessment.waivers) - len(expired)} active, {len(expired)} expired; "
                       f"{waived} waived"))
    for status in assessment.waivers:
        covered = f" ({_count(len(status.paths), 'path')})"
        _hanging(console, Text("  ! " if status.expired else "  - "),
                 Text(status.summary + covered, style="yellow" if status.expired else "dim"), 4)


def _skipped(assessment: Assessment, console: Console) -> None:
    skipped = assessment.result.skipped
    if not skipped:
        return
    console.print(Text(f"Skipped {_count(len(skipped), 'file')}:"))
    for entry in skipped[:SHOWN_SKIPPED]:
        _hanging(console, Text("  "), Text(f"{entry.file}: {entry.reason}", style="dim"), 4)
    if len(skipped) > SHOWN_SKIPPED:
        console.print(Text(f"  … and {len(skipped) - SHOWN_SKIPPED} more (--format json lists them)", style="dim"))


def _secrets(assessment: Assessment, console: Console) -> None:
    secrets = assessment.result.secrets
    if not secrets:
        return
    console.print(Text(f"API keys written in source: {len(secrets)} (move them to the environment)",
                       style="yellow"))
    for secret in secrets[:SHOWN_SKIPPED]:
        console.print(Text(f"  {secret.file}:{secret.line}  {secret.redacted}", style="dim"))


def _hint(assessment: Assessment, exposed: list[AssessedPath], console: Console) -> None:
    console.print()
    if exposed:
        model = next((t.target.model for p in exposed for t in p.at_risk_targets if t.target.model), None)
        explain = f"`offramp explain {model}` lists substitutes; " if model else ""
        hint = (f"Hint: {explain}add a fallback that is not at risk, or declare one or a waiver in "
                "offramp.toml (`offramp init`). --format json gives every reason.")
    elif assessment.numbers.critical_paths == 0:
        hint = "Hint: no critical paths; check the not-critical rules with --format json (critical_why)."
    else:
        hint = "Hint: no exposed path. Add `--fail-above 0` to CI to keep it that way."
    _hanging(console, Text(""), Text(hint, style="dim"), 0)
