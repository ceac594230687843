"""One repository from folder to assessment: its policy and catalog, the scan, the drill verdicts, the numbers.

``offramp scan`` and ``offramp org scan`` both go through :func:`assess_tree`, so a repository scanned alone
or with the rest of its organisation gets the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from offramp.assess.assess import Assessment, assess, check_policy
from offramp.assess.policy import PolicyError, load_policy
from offramp.catalog import Catalog, CatalogError
from offramp.scan.driver import Progress, ScanOptions, scan_tree
from offramp.scan.walk import WalkError


class CannotAssess(Exception):
    """The tree cannot be scanned (no such folder, invalid policy or catalog, unreadable root); the message says
    what to fix."""


@dataclass(frozen=True)
class TreeRequest:
    policy: Path | None = None
    """The policy file; by default offramp.toml, else [tool.offramp] in pyproject.toml, under the root."""
    include_vendored: bool = False
    respect_gitignore: bool = True
    workers: int | None = None
    """Worker processes of the scan (default: all cores)."""
    today: date | None = None
    """The date waivers expire against (default: today)."""
    drills: Path | str | None = None
    """Where drill verdicts are recorded (default: the scan history's file)."""
    cache: Path | None = None
    """The facts cache folder (``offramp.scan.cache``); None analyses every file afresh."""


@dataclass(frozen=True)
class AssessedTree:
    assessment: Assessment
    policy_file: Path | None


def assess_tree(root: Path, request: TreeRequest = TreeRequest(), progress: Progress | None = None) -> AssessedTree:
    """Scan and assess the repository at ``root``. Raises :class:`CannotAssess`."""
    from offramp.assess.drills import recorded_drills
    from offramp.storelocation import store_location

    if not root.is_dir():
        problem = "is a file" if root.exists() else "does not exist"
        raise CannotAssess(f"{root} {problem}: give the folder of the repository to scan (paths are resolved "
                           "across its modules, so a scan is always of a whole tree).")
    try:
        policy, policy_file = load_policy(root, request.policy)
        catalog = Catalog.load(policy.catalog, str(policy_file or "offramp.toml")) if policy.catalog \
            else Catalog.load()
        check_policy(policy, catalog, str(policy_file or "policy"))
    except (PolicyError, CatalogError) as exc:
        raise CannotAssess(str(exc)) from None
    options = ScanOptions(
        max_file_bytes=policy.scan.max_file_bytes, respect_gitignore=request.respect_gitignore,
        include_vendored=request.include_vendored, exclude=tuple(policy.scan.exclude), cache=request.cache,
        **({"workers": request.workers} if request.workers else {}),
    )
    try:
        result = scan_tree(root, catalog, options, progress)
    except WalkError as exc:
        raise CannotAssess(str(exc)) from None
    assessment = assess(result, policy, catalog, request.today or date.today(),
                        recorded_drills(store_location(request.drills)))
    return AssessedTree(assessment, policy_file)
