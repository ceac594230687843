"""The terminal summary: the two numbers first, then the paths behind them, most work to replace first.

Everything is built from rich ``Text`` objects, never markup strings, so that a file name such as
``app/[id].py`` prints as written. Colour follows the console: none in CI logs or pipes. File names,
model strings and snippets come from the scanned tree, which anyone may write: their control characters
are shown escaped (``\x1b``), never sent to the terminal to run.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from rich.cells import cell_len
from rich.console import Console, ConsoleRenderable, RenderHook, RichCast
from rich.text import Span, Text

from offramp.assess import HOURS_THRESHOLD, AssessedPath, Assessment
from offramp.report.baseline import Diff
from offramp.report.i18n import _, say
from offramp.report.words import (
    at_risk_labels,
    critical_paths_count,
    drill_state,
    drills_line,
    files_count,
    label,
    of_critical,
    paths_count,
    replacement_source,
    uncovered_title,
    uncovered_where,
)

SHOWN_PATHS = 20
SHOWN_SKIPPED = 5
HOURS_WIDTH = 8
"""Width of the hours column; reasons and continuation lines start after it."""


def render(assessment: Assessment, console: Console, *, policy_file: Path | None = None,
           shown_paths: int = SHOWN_PATHS, baseline: Diff | None = None) -> None:
    """Print the summary in the active language (see ``offramp.report.i18n.language``)."""
    console.push_render_hook(_EscapeControls())
    try:
        _render(assessment, console, policy_file, shown_paths, baseline)
    finally:
        console.pop_render_hook()


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 controls (ESC starts every terminal escape sequence) and bidirectional overrides."""


class _EscapeControls(RenderHook):
    def process_renderables(
        self, renderables: list[ConsoleRenderable | RichCast]
    ) -> list[ConsoleRenderable | RichCast]:
        return [_escaped(r) if isinstance(r, Text) else r for r in renderables]


def _escaped(text: Text) -> Text:
    """``text`` with each control character written as its escape, its styles kept on the same characters."""
    plain = text.plain
    if not _CONTROL.search(plain):
        return text
    pieces = [_CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), c) for c in plain]
    offsets = [0]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    escaped = text.copy()
    escaped.plain = "".join(pieces)
    escaped.spans = [Span(offsets[span.start], offsets[span.end], span.style) for span in text.spans]
    return escaped


def _render(assessment: Assessment, console: Console, policy_file: Path | None, shown_paths: int,
            baseline: Diff | None) -> None:
    _numbers(assessment, console, policy_file)
    if baseline is not None:
        _baseline(baseline, console)
    critical_at_risk = sorted((p for p in assessment.paths if p.critical and p.at_risk),
                              key=lambda p: (-p.replacement_hours, p.path.file, p.path.line))
    exposed = [p for p in critical_at_risk if p.exposed_no_fallback]
    _exposed(exposed, console, shown_paths)
    _replaceable([p for p in critical_at_risk if p.ready_replacement], console, shown_paths)
    _others(assessment, console)
    _waivers(assessment, console)
    if drills := drills_line(assessment):
        console.print(Text(drills))
    _configuration(assessment, console)
    _uncovered(assessment, console)
    _skipped(assessment, console)
    _secrets(assessment, console)
    _hint(assessment, exposed, console)


def _numbers(assessment: Assessment, console: Console, policy_file: Path | None) -> None:
    numbers = assessment.numbers
    labels = [_("Exposure (48 h):"), _("Exposure (no fallback):")]
    width = max(map(cell_len, labels)) + 1
    headline = Text(_pad(labels[0], width), style="bold")
    headline.append(f"{numbers.exposure_48h:6.1%}", style=_severity(numbers.exposure_48h))
    headline.append("  (" + of_critical(numbers.exposed_48h, numbers.critical_paths) + ")")
    second = Text(_pad(labels[1], width), style="bold")
    second.append(f"{numbers.exposure_no_fallback:6.1%}", style=_severity(numbers.exposure_no_fallback))
    second.append("  (" + of_critical(numbers.exposed_no_fallback, numbers.critical_paths) + ")")
    console.print(headline)
    console.print(second)
    policy = assessment.policy
    scan = assessment.result
    context = [_("at risk: {jurisdictions}").format(jurisdictions=", ".join(policy.at_risk) or _("none"))]
    if policy.home:
        context.append(_("home: {jurisdiction}").format(jurisdiction=policy.home))
    context.append(_("policy: {file}").format(file=policy_file.name if policy_file else _("defaults")))
    context.append(_("{paths} in {files}, {seconds} s").format(
        paths=paths_count(numbers.paths), files=files_count(scan.files_seen), seconds=f"{scan.seconds:.1f}"))
    console.print(Text(" · ".join(context), style="dim"))
    if numbers.critical_paths == 0:
        console.print(Text(say(numbers.note), style="dim"))


def _pad(label: str, width: int) -> str:
    return label + " " * (width - cell_len(label))


def _baseline(changes: Diff, console: Console) -> None:
    before, after = changes.numbers["exposure_48h"]
    line = Text(_("Since {baseline}: {new} new, {removed} removed, {changed} changed; Exposure (48 h) {delta}").format(
        baseline=changes.baseline, new=len(changes.new), removed=len(changes.removed), changed=len(changes.changed),
        delta=_("{delta} pts").format(delta=f"{(after - before) * 100:+.1f}")),
        style="bold red" if changes.adds_exposure else "dim")
    console.print(line)
    for path in changes.new_exposed:
        console.print(Text("  + " + _("new exposed path {location}").format(location=f"{path['file']}:{path['line']}"),
                           style="red"))
    for change in changes.newly_exposed:
        console.print(Text("  + " + _("newly exposed path {location}").format(
            location=f"{change.after['file']}:{change.after['line']}"), style="red"))


def _severity(ratio: float) -> str:
    return "bold green" if ratio == 0 else "bold red"


def _exposed(paths: list[AssessedPath], console: Console, shown: int) -> None:
    if not paths:
        return
    console.print()
    console.print(Text(_("Exposed paths ({count}): critical, at risk, no ready replacement; most work first").format(
        count=len(paths)), style="bold"))
    for assessed in paths[:shown]:
        hours = Text(f"{assessed.replacement_hours:>5g} h ", style="red" if assessed.exposed_48h else "yellow")
        _hanging(console, hours, _title(assessed), HOURS_WIDTH)
        for reason in _compact_reasons(assessed):
            _hanging(console, Text(" " * (HOURS_WIDTH - 2) + "· "), Text(reason, style="dim"), HOURS_WIDTH)
    if len(paths) > shown:
        console.print(Text("  " + _("… and {count} more (--format json lists every path)").format(
            count=len(paths) - shown), style="dim"))


def _title(assessed: AssessedPath) -> Text:
    title = Text(assessed.location, style="bold")
    title.append("  " + at_risk_labels(assessed))
    if assessed.exposed_48h:
        title.append(f"  > {HOURS_THRESHOLD} h", style="red")
    return title


def _compact_reasons(assessed: AssessedPath) -> list[str]:
    """The decisive reasons only: what is at risk and why, why nothing replaces it, what slows a move."""
    reasons = []
    several = len(assessed.at_risk_targets) > 1
    for target in assessed.at_risk_targets:
        reasons.extend(_("{target}: {reason}").format(target=label(target), reason=say(reason)) if several
                       else say(reason) for reason in target.reasons)
    reasons.append(say(assessed.replacement.why))
    reasons.append(say(assessed.estimate))
    if assessed.waiver and assessed.waiver.expired:
        reasons.append(say(assessed.waiver.summary))
    return reasons


def _replaceable(paths: list[AssessedPath], console: Console, shown: int) -> None:
    if not paths:
        return
    console.print()
    console.print(Text(_("At risk but with a ready replacement ({count})").format(count=len(paths)), style="bold"))
    for assessed in paths[:shown]:
        line = Text(assessed.location, style="green")
        line.append("  " + at_risk_labels(assessed))
        if replacement := assessed.replacement.target:
            line.append(f" -> {label(replacement)} ({replacement_source(assessed.replacement.source)})")
        if assessed.drill is not None:
            line.append(f" [{drill_state(assessed.drill.state)}]")
        _hanging(console, Text("  "), line, 4)
    if len(paths) > shown:
        console.print(Text("  " + _("… and {count} more").format(count=len(paths) - shown), style="dim"))


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
    console.print(Text(_("Not at risk: {paths}").format(paths=critical_paths_count(safe))))
    line = Text(_("Not critical: {paths}").format(paths=paths_count(len(not_critical))))
    if not_critical:
        kinds = Counter(say(p.criticality.rule) if p.criticality.rule else _("policy") for p in not_critical)
        line.append(" (" + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()) + ")")
    console.print(line)


def _waivers(assessment: Assessment, console: Console) -> None:
    if not assessment.waivers:
        return
    expired = [w for w in assessment.waivers if w.expired]
    console.print(Text(_("Waivers: {active} active, {expired} expired; {paths} waived").format(
        active=len(assessment.waivers) - len(expired), expired=len(expired),
        paths=critical_paths_count(assessment.numbers.waived_paths))))
    for status in assessment.waivers:
        covered = f" ({paths_count(len(status.paths))})"
        _hanging(console, Text("  ! " if status.expired else "  - "),
                 Text(say(status.summary) + covered, style="yellow" if status.expired else "dim"), 4)


def _skipped(assessment: Assessment, console: Console) -> None:
    skipped = assessment.result.skipped
    if not skipped:
        return
    console.print(Text(_("Skipped {files}:").format(files=files_count(len(skipped)))))
    for entry in skipped[:SHOWN_SKIPPED]:
        _hanging(console, Text("  "), Text(f"{entry.file}: {entry.reason}", style="dim"), 4)
    if len(skipped) > SHOWN_SKIPPED:
        console.print(Text("  " + _("… and {count} more (--format json lists them)").format(
            count=len(skipped) - SHOWN_SKIPPED), style="dim"))


def _configuration(assessment: Assessment, console: Console) -> None:
    result = assessment.result
    if result.config:
        console.print(Text(_("Models and model servers in configuration that no code here reads: {count}").format(
            count=len(result.config))))
        for value in result.config[:SHOWN_SKIPPED]:
            named = ", ".join(v for v in (value.model, value.provider) if v)
            console.print(Text(f"  {value.file}:{value.line}  {value.key}  ({named})", style="dim"))
    packages = sorted({d.package for d in result.dependencies})
    if packages:
        console.print(Text(_("AI SDKs declared in manifests: {packages}").format(packages=", ".join(packages))))


def _uncovered(assessment: Assessment, console: Console) -> None:
    uncovered = assessment.result.uncovered_sdks
    if not uncovered:
        return
    _hanging(console, Text(""), Text(uncovered_title(len(uncovered)), style="yellow"), 2)
    for entry in uncovered:
        _hanging(console, Text("  "), Text(f"{entry.sdk}: {uncovered_where(entry)}", style="dim"), 4)


def _secrets(assessment: Assessment, console: Console) -> None:
    secrets = assessment.result.secrets
    if not secrets:
        return
    console.print(Text(_("API keys written in source: {count} (move them to the environment)").format(
        count=len(secrets)), style="yellow"))
    for secret in secrets[:SHOWN_SKIPPED]:
        console.print(Text(f"  {secret.file}:{secret.line}  {secret.redacted}", style="dim"))


def _hint(assessment: Assessment, exposed: list[AssessedPath], console: Console) -> None:
    console.print()
    if exposed:
        model = next((t.target.model for p in exposed for t in p.at_risk_targets if t.target.model), None)
        explain = _("`offramp explain {model}` lists substitutes; ").format(model=model) if model else ""
        hint = _("Hint: {explain}add a fallback that is not at risk, or declare one or a waiver in offramp.toml "
                 "(`offramp init`). --format json gives every reason.").format(explain=explain)
    elif assessment.numbers.critical_paths == 0:
        hint = _("Hint: no critical paths; check the not-critical rules with --format json (critical_why).")
    else:
        hint = _("Hint: no exposed path. Add `--fail-above 0` to CI to keep it that way.")
    _hanging(console, Text(""), Text(hint, style="dim"), 0)
