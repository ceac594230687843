"""The ``offramp`` command. Thin on purpose: each command parses options and calls one part."""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click

from offramp import __version__
from offramp.options import store_option
from offramp.report import FORMATS as REPORT_FORMATS
from offramp.report.i18n import LANGUAGES

if TYPE_CHECKING:
    from offramp.scan.driver import Progress

EXIT_GATE_FAILED = 1
"""``--fail-above``: the exposure is higher than the gate allows."""
EXIT_CANNOT_SCAN = 3
"""The scan could not run: missing path, invalid policy or catalog. (2 is click's usage error.)"""
EXIT_INTERNAL_ERROR = 4
"""A bug in Offramp: distinct from a failed gate, so CI never mistakes a crash for exposure."""


class CannotScan(click.ClickException):
    exit_code = EXIT_CANNOT_SCAN


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="offramp")
def main() -> None:
    """Measure and remove your product's exposure to frontier-model APIs that can be cut off overnight."""


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=".")
@click.option("--format", "output_format", type=click.Choice(REPORT_FORMATS), default="terminal",
              show_default=True, help="Output format (docs/reports.md shows each in CI).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--lang", type=click.Choice(LANGUAGES),
              help="Language of the terminal, Markdown and HTML reports (default: from LANG, else en).")
@click.option("--fail-above", type=click.FloatRange(0, 1), metavar="RATIO",
              help=f"Exit {EXIT_GATE_FAILED} when Exposure (48 h) is above RATIO (0 to 1): a CI gate.")
@click.option("--baseline", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A previous --format json report: show new, removed and changed paths and each number's change.")
@click.option("--fail-on-new", is_flag=True,
              help=f"Exit {EXIT_GATE_FAILED} when the change since --baseline adds exposure: a CI gate.")
@click.option("--record", is_flag=True, help="Record the numbers in the scan history (see `offramp history`).")
@store_option
@click.option("--policy", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="Policy file (default: offramp.toml, else [tool.offramp] in pyproject.toml, under PATH).")
@click.option("--include-vendored", is_flag=True, help="Also scan vendored and build folders.")
@click.option("--no-gitignore", is_flag=True, help="Scan files that .gitignore leaves out.")
@click.option("--jobs", type=click.IntRange(1, 64), help="Worker processes (default: all cores).")
@click.option("--no-cache", is_flag=True,
              help="Analyse every file afresh, without the facts cache of unchanged files (default: "
                   "$OFFRAMP_CACHE_DIR, else ~/.cache/offramp).")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), help="Date for waiver expiry (default: today).")
def scan(path: Path, output_format: str, output: Path | None, lang: str | None, fail_above: float | None,
         baseline: Path | None, fail_on_new: bool, record: bool, store: str | None, policy: Path | None,
         include_vendored: bool, no_gitignore: bool, jobs: int | None, no_cache: bool, today: datetime | None) -> None:
    """Find every inference path under PATH and report the exposure numbers."""
    if fail_on_new and baseline is None:
        raise click.UsageError("--fail-on-new compares with a baseline: add --baseline previous.json")
    from offramp.assess.tree import CannotAssess, TreeRequest, assess_tree
    from offramp.cachefolder import default_directory

    tree_request = TreeRequest(policy=policy, include_vendored=include_vendored, respect_gitignore=not no_gitignore,
                               workers=jobs, today=today.date() if today else None, drills=store,
                               cache=None if no_cache else default_directory())
    try:
        with _progress(output_format == "terminal" and output is None) as progress:
            tree = assess_tree(path, tree_request, progress)
    except CannotAssess as exc:
        raise CannotScan(str(exc)) from None
    assessment = tree.assessment
    from offramp.report.i18n import resolve_language
    from offramp.report.publish import ReportError, ReportRequest, publish

    request = ReportRequest(output_format, output, tree.policy_file, resolve_language(lang), baseline, record, store)
    try:
        published = publish(assessment, request)
    except ReportError as exc:
        raise CannotScan(str(exc)) from None
    global _done_with_nothing_to_free
    _done_with_nothing_to_free = True  # the report is written, the workers and the store closed
    if fail_on_new and published.changes and published.changes.adds_exposure:
        click.echo(f"offramp: exposure added since {baseline}: "
                   f"{len(published.changes.new_exposed)} new exposed, "
                   f"{len(published.changes.newly_exposed)} newly exposed path(s)", err=True)
        sys.exit(EXIT_GATE_FAILED)
    if fail_above is not None and assessment.numbers.exposure_48h > fail_above:
        click.echo(f"offramp: Exposure (48 h) {assessment.numbers.exposure_48h:.1%} is above the gate "
                   f"{fail_above:.1%}", err=True)
        sys.exit(EXIT_GATE_FAILED)


@contextmanager
def _progress(wanted: bool) -> Iterator[Progress | None]:
    """A progress bar on standard error for a terminal user; nothing in CI logs, pipes or files."""
    if not (wanted and sys.stderr.isatty()):
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress as Bar

    with Bar(transient=True, console=Console(stderr=True)) as bar:
        task = bar.add_task("scanning", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


@main.command()
@click.argument("name")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(name: str, output_format: str) -> None:
    """What the catalog knows about a model id, provider, host, env var or SDK package, and why."""
    from offramp.catalog import Catalog

    facts = Catalog.load().explain(name)
    if output_format == "json":
        click.echo(json.dumps(facts, indent=2, ensure_ascii=False))
    else:
        _print_facts(facts)
    if facts["kind"] == "unknown":
        sys.exit(EXIT_GATE_FAILED)


def _print_facts(facts: dict[str, object]) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False, markup=False)  # the facts are data: "[catalog]" is text, not a style
    console.print(Text.assemble((str(facts["query"]), "bold"), f": {facts['kind']}"))
    for key, value in facts.items():
        if key in ("query", "kind", "why", "substitutes") or value in (None, [], "", {}):
            continue
        console.print(f"  {key.replace('_', ' ')}: {_plain(value)}")
    for sub in facts.get("substitutes") or []:  # type: ignore[union-attr]
        console.print(f"  substitute {sub['model']} ({sub['licence']}): keeps {', '.join(sub['keeps']) or '-'}; "
                      f"loses {', '.join(sub['loses']) or '-'}")
    console.print(f"  why: {facts['why']}")


def _plain(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    return str(value)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, file_okay=False), required=False)
@click.option("--format", "output_format", type=click.Choice(["terminal", "json"]), default="terminal",
              show_default=True)
@store_option
@click.option("--lang", type=click.Choice(LANGUAGES), help="Language of the table (default: from LANG, else en).")
def history(path: Path | None, output_format: str, store: str | None, lang: str | None) -> None:
    """The numbers of scans recorded with `offramp scan --record`: of the repository at PATH, or of all."""
    from rich.console import Console

    from offramp.report.history_view import show_history
    from offramp.report.i18n import MissingCatalogue, language, resolve_language
    from offramp.store.history import HistoryError
    from offramp.storelocation import store_location

    try:
        with language(resolve_language(lang)):
            show_history(store_location(store), path, output_format, Console())
    except (HistoryError, MissingCatalogue) as exc:
        raise CannotScan(str(exc)) from None


@main.group()
def org() -> None:
    """The whole organisation: many repositories at once."""


@org.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--list", "list_file", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A file of paths, one a line (# starts a comment); relative ones are relative to the file.")
@click.option("--jobs", type=click.IntRange(1, 256), help="Repositories scanned at once (default: all cores).")
@store_option
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--record/--no-record", default=True, show_default=True,
              help="Record each repository's scan with its repository, commit, branch and time.")
def org_scan(paths: tuple[Path, ...], list_file: Path | None, jobs: int | None, store: str | None,
             output_format: str, record: bool) -> None:
    """Scan many local checkouts in parallel: each PATH is a checkout or a folder of checkouts.

    Prints each repository's numbers and the organisation's totals, and which could not be scanned and why.
    Exits 3 only when none could be scanned, 4 when scanning any hit a bug in Offramp (the others are still
    scanned and recorded).
    """
    from rich.console import Console

    from offramp.org import OrgError, read_list, scan_organisation
    from offramp.report.org_view import show_org_scan
    from offramp.store.history import HistoryError

    if not paths and list_file is None:
        raise click.UsageError("name the checkouts: PATH ... (a checkout or a folder of them) or --list FILE")
    try:
        outcome = scan_organisation([*paths, *(read_list(list_file) if list_file else [])], jobs, store, record)
    except (OrgError, HistoryError) as exc:
        raise CannotScan(str(exc)) from None
    show_org_scan(outcome, output_format, Console())
    if not outcome.scanned:
        click.echo("offramp: no repository could be scanned", err=True)
        sys.exit(EXIT_CANNOT_SCAN)
    if any(failed.internal for failed in outcome.failed):
        sys.exit(EXIT_INTERNAL_ERROR)


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default="offramp.toml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path, force: bool) -> None:
    """Write a commented starting policy file (offramp.toml)."""
    from offramp.assess import write_init

    if path.exists() and not force:
        raise click.ClickException(f"{path} already exists; pass --force to overwrite it.")
    write_init(path, overwrite=force)
    click.echo(f"wrote {path}: edit it, then run `offramp scan`.")


def _register_gateway_commands() -> None:
    from offramp.gateway import commands

    for command in vars(commands).values():
        if isinstance(command, click.Command):
            main.add_command(command)


_register_gateway_commands()


def _register_drill_commands() -> None:
    from offramp.dashboard.commands import dashboard
    from offramp.drill.commands import drill

    main.add_command(drill)
    main.add_command(dashboard)


_register_drill_commands()


class _ReaderMayLeave(io.RawIOBase):
    """Standard output that discards the rest once its reader has gone (`offramp scan | head`).

    The command then finishes and exits with the code it would have had (0, or 1 for a failed gate), instead
    of dying mid-report with an error that CI would read as a failed gate.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._reader_gone = False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if not self._reader_gone:
            try:
                return os.write(self._fd, data)
            except BrokenPipeError:
                self._reader_gone = True
        return len(memoryview(data))


def _reader_may_leave(stdout: TextIO) -> TextIO:
    try:
        fd = stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (captured by a test or an embedding program)
        return stdout
    stdout.flush()
    return io.TextIOWrapper(io.BufferedWriter(_ReaderMayLeave(fd)), encoding=stdout.encoding, errors=stdout.errors,
                            line_buffering=stdout.line_buffering)


_done_with_nothing_to_free = False
"""Set by a command once its work is written and nothing it opened is left open (a scan): :func:`command` then ends
the process without freeing every object one by one, which takes a large tree's scan a twentieth of its time."""


def command() -> None:
    """The installed `offramp` program (and `python -m offramp`): :func:`run`, in a process of its own."""
    try:
        run()
    except SystemExit as done:
        if not _done_with_nothing_to_free or not isinstance(done.code, int | None):
            raise
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a reader that left: nothing more can reach it
                stream.flush()
        os._exit(done.code or 0)


def run() -> None:
    """The `offramp` command: `main`, with a quiet closed pipe and its own exit code for an internal error."""
    stdout = sys.stdout
    sys.stdout = _reader_may_leave(stdout)
    try:
        main()
    except Exception as exc:
        if os.environ.get("OFFRAMP_DEBUG"):
            import traceback

            traceback.print_exc()
        click.echo(f"offramp: internal error, a bug in offramp {__version__} ({type(exc).__name__}: {exc}); please "
                   "report it with the command you ran and this line (OFFRAMP_DEBUG=1 shows the traceback)", err=True)
        sys.exit(EXIT_INTERNAL_ERROR)
    finally:
        sys.stdout.flush()
        sys.stdout = stdout
