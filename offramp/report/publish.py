"""From an assessment to the report the user asked for: one entry point for ``offramp scan``.

Compares with a baseline, records the scan in the history, renders the chosen format in the chosen
language and writes it out; the command only parses options and applies its gates to what comes back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from offramp.assess import Assessment
from offramp.report import FORMATS
from offramp.report.baseline import BaselineError, Diff, diff, load_baseline
from offramp.report.i18n import MissingCatalogue, language
from offramp.report.json_report import to_json
from offramp.storelocation import exists, store_location

if TYPE_CHECKING:
    from offramp.store.history import RecordedScan


class ReportError(Exception):
    """The report cannot be made as asked (unusable baseline or history, missing catalogue); the message says
    what to do."""


@dataclass(frozen=True)
class ReportRequest:
    output_format: str = "terminal"
    output: Path | None = None
    """Write here instead of standard output."""
    policy_file: Path | None = None
    lang: str = "en"
    baseline: Path | None = None
    """A previous ``--format json`` report to compare with."""
    record: bool = False
    store: str | None = None
    """Where the scan history is kept (default: ``offramp.store.history.store_location()``)."""


@dataclass(frozen=True)
class Published:
    changes: Diff | None
    recorded: RecordedScan | None


def publish(assessment: Assessment, request: ReportRequest) -> Published:
    # The JSON report is made when something reads it (that format, a baseline, the history), once.
    report = cache(partial(to_json, assessment, policy_file=request.policy_file))
    try:
        changes = diff(load_baseline(request.baseline), report(), request.baseline.name) if request.baseline else None
    except BaselineError as exc:
        raise ReportError(str(exc)) from None
    recorded, trend = _history(assessment, report, request)
    if changes is not None:
        report()["baseline"] = changes.to_json()
    try:
        with language(request.lang):
            if request.output_format == "terminal":
                _print_terminal(assessment, changes, request)
            else:
                _write(_render(assessment, report, changes, trend, request), request.output)
    except MissingCatalogue as exc:
        raise ReportError(str(exc)) from None
    return Published(changes, recorded)


def _history(assessment: Assessment, report: Callable[[], dict[str, Any]],
             request: ReportRequest) -> tuple[RecordedScan | None, list[RecordedScan]]:
    """Record the scan if asked; read the repository's trend for the HTML report if a history exists."""
    location = store_location(request.store)
    wanted_trend = request.output_format == "html" and exists(location)
    if not request.record and not wanted_trend:
        return None, []
    from offramp.store.history import History, HistoryError, identify  # the store's code only when it is used

    identity = identify(Path(assessment.result.root))
    try:
        with History(location) as history:
            recorded = (history.record(identity.repository, identity.commit, report(), branch=identity.branch)
                        if request.record else None)
            return recorded, history.scans(identity.repository) if request.output_format == "html" else []
    except HistoryError as exc:
        raise ReportError(str(exc)) from None


def _render(assessment: Assessment, report: Callable[[], dict[str, Any]], changes: Diff | None,
            trend: list[RecordedScan], request: ReportRequest) -> str:
    match request.output_format:
        case "json":
            return _dumps(report())
        case "sarif":
            from offramp.report.sarif import to_sarif

            return _dumps(to_sarif(assessment))
        case "cyclonedx":
            from offramp.report.cyclonedx import to_cyclonedx

            return _dumps(to_cyclonedx(assessment))
        case "markdown":
            from offramp.report.markdown import to_markdown

            return to_markdown(assessment, changes)
        case "html":
            from offramp.report.html_report import to_html

            return to_html(assessment, lang=request.lang, history=trend, policy_file=request.policy_file)
    raise ValueError(f"unknown report format {request.output_format!r}; choose one of {', '.join(FORMATS)}")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ReportError(f"cannot write the report to {output}: {exc.strerror}; choose another -o file") from None


def _print_terminal(assessment: Assessment, changes: Diff | None, request: ReportRequest) -> None:
    from rich.console import Console

    from offramp.report.terminal import render

    if request.output:
        with request.output.open("w", encoding="utf-8") as stream:
            render(assessment, Console(file=stream, width=100, no_color=True), policy_file=request.policy_file,
                   baseline=changes)
    else:
        render(assessment, Console(), policy_file=request.policy_file, baseline=changes)


def _dumps(data: dict[str, Any]) -> str:
    # What json.dumps(data, indent=2, ensure_ascii=False) writes, ten times as fast: a large tree's report is
    # a tenth of the scan's serial tail otherwise.
    return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | orjson.OPT_APPEND_NEWLINE).decode()
