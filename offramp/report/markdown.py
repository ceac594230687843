"""Markdown for a pull-request comment: the numbers and their change, new at-risk paths first, details folded.

Sized for a comment: each list stops at ``max_rows`` and says how many more there are, so the comment stays
far below GitHub's 65,536-character limit whatever the repository.
"""

from __future__ import annotations

import html
from typing import Any

from offramp.assess import AssessedPath, Assessment
from offramp.assess.reason import joined
from offramp.catalog import Catalog
from offramp.report.baseline import Diff
from offramp.report.fingerprint import fingerprints
from offramp.report.i18n import _, say
from offramp.report.json_report import substitutes
from offramp.report.words import (
    at_risk_labels,
    drills_line,
    files_count,
    label,
    of_critical,
    replacement_source,
    uncovered_title,
    uncovered_where,
)

MAX_ROWS = 25
_MARKDOWN_SPECIALS = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|~"})
"""What can start markup inside a line; our text never starts a line, so '#', '-' and '1.' stay as written."""


def to_markdown(assessment: Assessment, changes: Diff | None = None, *, max_rows: int = MAX_ROWS) -> str:
    """The comment in the active language (see ``offramp.report.i18n.language``)."""
    by_fingerprint = dict(zip(fingerprints([p.path for p in assessment.paths]), assessment.paths, strict=True))
    sections = [_headline(assessment), _numbers_table(assessment, changes)]
    if changes is not None:
        sections.append(_new_at_risk(changes, by_fingerprint, assessment.catalog, max_rows))
    critical_at_risk = sorted((p for p in assessment.paths if p.critical and p.at_risk),
                              key=lambda p: (-p.replacement_hours, p.path.file, p.path.line))
    exposed = [p for p in critical_at_risk if p.exposed_no_fallback]
    sections.append(_folded(_("Exposed paths ({count}): critical, at risk, no ready replacement").format(
        count=len(exposed)), _path_table(exposed, assessment.catalog, max_rows)) if exposed else "")
    replaceable = [p for p in critical_at_risk if not p.exposed_no_fallback]
    sections.append(_folded(_("At risk but with a ready replacement or a waiver ({count})").format(
        count=len(replaceable)), _replaceable(replaceable, max_rows)) if replaceable else "")
    if changes is not None and (changes.removed or changes.changed):
        sections.append(_folded(_("Removed and changed since {baseline}").format(baseline=changes.baseline),
                                _removed_and_changed(changes, max_rows)))
    uncovered = assessment.result.uncovered_sdks
    if uncovered:
        sections.append(_folded(uncovered_title(len(uncovered)), _capped(
            [f"- {_code(u.sdk)}: {_text(uncovered_where(u))}" for u in uncovered], max_rows)))
    skipped = assessment.result.skipped
    if skipped:
        sections.append(_folded(_("Skipped {files}").format(files=files_count(len(skipped))), _capped(
            [f"- {_code(s.file)}: {_text(s.reason)}" for s in skipped], max_rows)))
    return "\n\n".join(s for s in sections if s) + "\n"


def _headline(assessment: Assessment) -> str:
    numbers = assessment.numbers
    mark = "🟢" if numbers.exposed_no_fallback == 0 else "🔴" if numbers.exposed_48h else "🟠"
    title = _("{mark} Offramp: Exposure (48 h) {exposure_48h} · Exposure (no fallback) {exposure_no_fallback}")
    title = title.format(mark=mark, exposure_48h=f"{numbers.exposure_48h:.1%}",
                         exposure_no_fallback=f"{numbers.exposure_no_fallback:.1%}")
    lines = [f"### {title}"]
    if numbers.note:
        lines.append(f"_{say(numbers.note)}_")
    if drills := drills_line(assessment):
        lines.append(_text(drills))
    return "\n\n".join(lines)


def _numbers_table(assessment: Assessment, changes: Diff | None) -> str:
    numbers = assessment.numbers
    rows = [
        (_("Exposure (48 h)"), "exposure_48h", f"{numbers.exposure_48h:.1%} "
         f"({of_critical(numbers.exposed_48h, numbers.critical_paths)})"),
        (_("Exposure (no fallback)"), "exposure_no_fallback", f"{numbers.exposure_no_fallback:.1%} "
         f"({of_critical(numbers.exposed_no_fallback, numbers.critical_paths)})"),
        (_("Critical paths"), "critical_paths", str(numbers.critical_paths)),
        (_("Critical paths at risk"), "at_risk_paths", str(numbers.at_risk_paths)),
        (_("Waived paths"), "waived_paths", str(numbers.waived_paths)),
        (_("All paths"), "paths", str(numbers.paths)),
    ]
    if changes is None:
        return _table(["", _("Now")], [[name, now] for name, _key, now in rows], ["---", "---:"])
    table = []
    for name, key, now in rows:
        before, after = changes.numbers[key]
        ratio = key.startswith("exposure")
        delta = after - before
        change = "±0" if delta == 0 else _("{delta} pts").format(delta=f"{delta * 100:+.1f}") if ratio \
            else f"{delta:+g}"
        table.append([name, now, f"{before:.1%}" if ratio else f"{before:g}", change])
    return _table(["", _("Now"), _("Baseline"), _("Change")], table, ["---", "---:", "---:", "---:"])


def _new_at_risk(changes: Diff, by_fingerprint: dict[str, AssessedPath], catalog: Catalog, max_rows: int) -> str:
    new = [by_fingerprint[p["fingerprint"]] for p in changes.new if p["critical"] and p["at_risk"]]
    new.sort(key=lambda p: (-p.exposed_48h, -p.exposed_no_fallback, -p.replacement_hours, p.path.file, p.path.line))
    worse = [by_fingerprint[c.after["fingerprint"]] for c in changes.newly_exposed]
    if not new and not worse:
        return _("No new at-risk path since {baseline}.").format(baseline=changes.baseline)
    lines = []
    if new:
        lines.append("**" + _("New at-risk paths ({count})").format(count=len(new)) + "**")
        lines.append(_capped([_bullet(p, catalog) for p in new], max_rows))
    if worse:
        lines.append("**" + _("Newly exposed paths ({count})").format(count=len(worse)) + "**")
        lines.append(_capped([_bullet(p, catalog) for p in worse], max_rows))
    return "\n\n".join(lines)


def _bullet(assessed: AssessedPath, catalog: Catalog) -> str:
    status = (_("exposed, no ready replacement") if assessed.exposed_no_fallback
              else _("waived") if assessed.waived else _("ready replacement"))
    line = (f"- {_icon(assessed)} {_code(assessed.location)} {_text(at_risk_labels(assessed))} · {status} · "
            f"{assessed.replacement_hours:g} h")
    subs = _substitutes(assessed, catalog)
    return line + (" · " + _("substitutes: {names}").format(names=subs) if subs else "")


def _path_table(paths: list[AssessedPath], catalog: Catalog, max_rows: int) -> str:
    rows = [[f"{_icon(p)} {_code(p.location)}", _text(at_risk_labels(p)), f"{p.replacement_hours:g} h",
             _text(_why(p)), _substitutes(p, catalog) or "—"] for p in paths]
    return _table([_("Path"), _("Model"), _("Estimate"), _("Why"), _("Substitutes")], rows,
                  ["---", "---", "---:", "---", "---"], max_rows)


def _why(assessed: AssessedPath) -> str:
    # Targets on the same provider share their decisive reason: say it once.
    reasons = list(dict.fromkeys(reason for target in assessed.at_risk_targets for reason in target.reasons[-1:]))
    reasons.append(assessed.estimate)
    if assessed.waiver and assessed.waiver.expired:
        reasons.append(assessed.waiver.summary)
    return say(joined(reasons))


def _replaceable(paths: list[AssessedPath], max_rows: int) -> str:
    rows = []
    for assessed in paths:
        if assessed.waived and assessed.waiver:
            how = say(assessed.waiver.summary)
        elif target := assessed.replacement.target:
            how = f"→ {label(target)} ({replacement_source(assessed.replacement.source)})"
        else:
            how = say(assessed.replacement.why)
        rows.append(f"- {_code(assessed.location)} {_text(at_risk_labels(assessed))} · {_text(how)}")
    return _capped(rows, max_rows)


def _removed_and_changed(changes: Diff, max_rows: int) -> str:
    removed, changed = _("removed"), _("changed")
    rows = [f"- {removed}: {_code(_location(p))} {_text(', '.join(p['models']))}" for p in changes.removed]
    rows += [f"- {changed}: {_code(_location(c.after))} ({', '.join(c.fields)})" for c in changes.changed]
    return _capped(rows, max_rows)


def _substitutes(assessed: AssessedPath, catalog: Catalog) -> str:
    return _text(", ".join(dict.fromkeys(s["name"] for s in substitutes(assessed, catalog))))


def _icon(assessed: AssessedPath) -> str:
    return "🔴" if assessed.exposed_48h else "🟠" if assessed.exposed_no_fallback else "🟢"


def _location(path: dict[str, Any]) -> str:
    return f"{path['file']}:{path['line']}"


def _table(header: list[str], rows: list[list[str]], align: list[str], max_rows: int | None = None) -> str:
    lines = [f"| {' | '.join(row)} |" for row in rows]
    head = f"| {' | '.join(header)} |\n| {' | '.join(align)} |"
    return head + "\n" + (_capped(lines, max_rows) if max_rows is not None else "\n".join(lines))


def _folded(summary: str, body: str) -> str:
    return f"<details><summary>{html.escape(summary)}</summary>\n\n{body}\n\n</details>"


def _capped(rows: list[str], max_rows: int) -> str:
    if len(rows) <= max_rows:
        return "\n".join(rows)
    more = _("… and {count} more (the JSON report lists every one)").format(count=len(rows) - max_rows)
    return "\n".join([*rows[:max_rows], f"- {more}" if rows[0].startswith("- ") else more])


def _code(text: str) -> str:
    """An inline code span that neither a backtick nor a table pipe can break."""
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def _text(text: str) -> str:
    """Plain text with Markdown and HTML meaning removed."""
    return text.replace("&", "&amp;").translate(_MARKDOWN_SPECIALS)
