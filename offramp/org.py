"""``offramp org scan``: many local checkouts scanned in parallel, each recorded, and the organisation's totals.

Each checkout goes through the same pipeline as ``offramp scan`` (:func:`offramp.assess.tree.assess_tree`) in a
worker process, since scanning is CPU-bound; the results come back to this process, which records them one by
one (one writer, whatever the store) as they arrive. A checkout that cannot be scanned is reported with why and
does not stop the others.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import UTC, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from offramp.assess.assess import Numbers
from offramp.store.history import Identity

GIT_ENTRY = ".git"
"""A git work tree holds this: a folder, or a file in a linked work tree or a submodule."""


class OrgError(Exception):
    """The organisation scan cannot start (unreadable list file); the message says what to do."""


@dataclass(frozen=True)
class ScannedRepository:
    root: str
    identity: Identity
    numbers: Numbers
    report: dict[str, Any]
    """The JSON report (``offramp.report.json_report.to_json``): what is recorded."""
    scanned_at: datetime


@dataclass(frozen=True)
class FailedRepository:
    root: str
    reason: str
    internal: bool = False
    """A bug in Offramp, not a problem of the checkout."""


@dataclass(frozen=True)
class OrgScan:
    scanned: list[ScannedRepository]
    failed: list[FailedRepository]

    @property
    def totals(self) -> Numbers:
        """The organisation's numbers: every scanned repository's paths counted together."""
        return Numbers.total(r.numbers for r in self.scanned)

    def to_json(self) -> dict[str, Any]:
        return {
            "repositories": [{"root": r.root, **r.identity._asdict(),
                              "scanned_at": r.scanned_at.isoformat(timespec="seconds"), **r.numbers.to_json()}
                             for r in self.scanned],
            "failed": [{"root": f.root, "reason": f.reason} for f in self.failed],
            "totals": {"repositories": len(self.scanned), **self.totals.to_json()},
        }


def read_list(file: Path) -> list[Path]:
    """The paths in a list file, one a line; blank lines and lines starting with # are left out. A relative path
    is relative to the list file's folder, so a list works from wherever it is used."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise OrgError(f"cannot read the list of checkouts {file} ({exc}): give a UTF-8 text file with one path "
                       "a line") from None
    entries = (line.strip() for line in lines)
    return [file.parent / Path(entry).expanduser() for entry in entries if entry and not entry.startswith("#")]


def is_checkout(folder: Path) -> bool:
    return (folder / GIT_ENTRY).exists()


def find_checkouts(paths: Iterable[Path]) -> tuple[list[Path], list[FailedRepository]]:
    """The checkouts that ``paths`` name, each once, in order; and the paths that name none.

    A path is a checkout itself, or a folder of checkouts: one that is no git work tree but has sub-folders
    that are (only those are taken then). Any other folder named explicitly is scanned as it is.
    """
    found: dict[Path, None] = {}
    missing: list[FailedRepository] = []
    for path in paths:
        if not path.is_dir():
            missing.append(FailedRepository(str(path), "is a file, not a checkout" if path.exists()
                                            else "does not exist"))
            continue
        children = [] if is_checkout(path) else sorted(
            child for child in _subfolders(path) if is_checkout(child))
        for checkout in children or [path]:
            found.setdefault(checkout.resolve())
    return list(found), missing


def _subfolders(folder: Path) -> Iterator[Path]:
    try:
        yield from (child for child in folder.iterdir() if child.is_dir() and not child.name.startswith("."))
    except OSError:
        return


def scan_checkout(root: str, workers: int, drills: str | None) -> ScannedRepository | FailedRepository:
    """Scan and assess one checkout (in a worker process): its numbers and report, or why it could not be.
    ``drills``: where drill verdicts are recorded (default: the scan history's file)."""
    from offramp.assess.tree import CannotAssess, TreeRequest, assess_tree
    from offramp.report.json_report import to_json
    from offramp.store.history import identify

    try:
        tree = assess_tree(Path(root), TreeRequest(workers=workers, drills=drills))
        report = to_json(tree.assessment, policy_file=tree.policy_file)
        # Another checkout is not this CI job's own: CI variables would name the wrong branch.
        identity = identify(Path(root), environ={})
    except CannotAssess as exc:
        return FailedRepository(root, str(exc))
    except Exception as exc:  # a bug scanning one checkout must not lose the others
        return FailedRepository(root, f"internal error, a bug in offramp ({type(exc).__name__}: {exc}); please "
                                      "report it", internal=True)
    return ScannedRepository(root, identity, tree.assessment.numbers, report, datetime.now(UTC))


def scan_checkouts(roots: Sequence[Path], jobs: int | None = None, drills: str | None = None,
                   on_result: Callable[[ScannedRepository], None] | None = None) -> OrgScan:
    """Scan ``roots`` on ``jobs`` worker processes (default: one per core), calling ``on_result`` (in this
    process) with each scanned repository as soon as it is done; the result lists them in the order given."""
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(roots) or 1))
    # The cores left over when there are fewer checkouts than cores go to each checkout's own scan.
    workers = max(1, (os.cpu_count() or 1) // jobs)
    outcomes: dict[str, ScannedRepository | FailedRepository] = {}
    for outcome in _run([str(root) for root in roots], workers, drills, jobs):
        outcomes[outcome.root] = outcome
        if on_result is not None and isinstance(outcome, ScannedRepository):
            on_result(outcome)
    ordered = [outcomes[str(root)] for root in roots]
    return OrgScan([o for o in ordered if isinstance(o, ScannedRepository)],
                   [o for o in ordered if isinstance(o, FailedRepository)])


def _run(roots: list[str], workers: int, drills: str | None,
         jobs: int) -> Iterator[ScannedRepository | FailedRepository]:
    if jobs == 1:
        yield from (scan_checkout(root, workers, drills) for root in roots)
        return
    # forkserver: workers start from a clean process, not from this one with its open store connections.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("forkserver")) as pool:
        futures: dict[Future[ScannedRepository | FailedRepository], str] = {
            pool.submit(scan_checkout, root, workers, drills): root for root in roots}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as exc:  # a worker that died: out of memory, killed
                yield FailedRepository(futures[future], f"its worker process failed ({type(exc).__name__}: {exc})",
                                       internal=True)


def scan_organisation(paths: Sequence[Path], jobs: int | None = None, store: str | Path | None = None,
                      record: bool = True) -> OrgScan:
    """Scan the checkouts ``paths`` name (:func:`find_checkouts`) in parallel and record each scanned repository
    in the scan history at ``store`` (default: ``offramp.store.history.store_location()``). Raises
    :class:`offramp.store.history.HistoryError` before scanning anything when the history cannot be used."""
    from offramp.store.history import History
    from offramp.storelocation import store_location

    checkouts, missing = find_checkouts(paths)
    location = store_location(store)
    if not record:
        org = scan_checkouts(checkouts, jobs, str(location))
    else:
        with History(location) as history:
            org = scan_checkouts(checkouts, jobs, str(location), lambda scanned: history.record(
                scanned.identity.repository, scanned.identity.commit, scanned.report, scanned.scanned_at,
                branch=scanned.identity.branch))
    return OrgScan(org.scanned, [*missing, *org.failed])
