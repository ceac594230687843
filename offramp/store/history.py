"""Scan history: each recorded scan's numbers and paths, per repository, in the store (SQLite or PostgreSQL).

``offramp scan --record`` adds a scan; ``offramp history``, the HTML report's trend and the dashboard read them
back. The dashboard's questions (latest scan of each repository, most exposed paths, exposure per repository,
provider or jurisdiction) are answered in SQL, with indexes, so they stay fast over many repositories.
A repository is known by its git remote (credentials removed) or, without one, by its absolute root path.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from offramp.assess.assess import COUNTS, Numbers
from offramp.store.database import Database, StoreError, as_datetime, connect
from offramp.store.records import ExposureGroup, TopPath
from offramp.storelocation import STORE_ENV


class HistoryError(StoreError):
    """The history database cannot be used; the message says what to do."""


@dataclass(frozen=True)
class RecordedScan(Numbers):
    """The numbers of one recorded scan, and which scan it was."""

    repository: str
    commit: str | None
    recorded_at: datetime
    branch: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"repository": self.repository, "commit": self.commit, "branch": self.branch,
                "recorded_at": self.recorded_at.isoformat(timespec="seconds"), **super().to_json()}


CI_BRANCH_VARIABLES = (
    "GITHUB_HEAD_REF",  # GitHub Actions, pull request: the source branch (GITHUB_REF_NAME is "42/merge" there)
    "GITHUB_REF_NAME",  # GitHub Actions, push: the branch (or tag)
    "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",  # GitLab CI, merge request pipeline
    "CI_COMMIT_REF_NAME",  # GitLab CI: the branch (or tag)
    "CHANGE_BRANCH",  # Jenkins multibranch, pull request: the source branch
    "BRANCH_NAME",  # Jenkins multibranch
    "SYSTEM_PULLREQUEST_SOURCEBRANCH",  # Azure Pipelines, pull request (refs/heads/...)
    "BUILD_SOURCEBRANCH",  # Azure Pipelines (refs/heads/...)
    "BITBUCKET_BRANCH",  # Bitbucket Pipelines
    "CIRCLE_BRANCH",  # CircleCI
    "BUILDKITE_BRANCH",  # Buildkite
    "TRAVIS_PULL_REQUEST_BRANCH",  # Travis CI, pull request (empty on a push)
    "TRAVIS_BRANCH",  # Travis CI
    "DRONE_SOURCE_BRANCH",  # Drone, pull request
    "DRONE_BRANCH",  # Drone
)
"""Where CI services name the branch they build, most specific first; the first one set wins.

They are read only when git itself names no branch: CI services check a commit out as a detached HEAD
(GitLab, Jenkins, GitHub Actions on a pull request), where ``git symbolic-ref`` has nothing to say.
A value such as ``refs/heads/main`` is named ``main``."""


class Identity(NamedTuple):
    """Which repository a scan was of, at which commit on which branch (None: not a git checkout, or unknown)."""

    repository: str
    commit: str | None
    branch: str | None


def identify(root: Path, environ: Mapping[str, str] | None = None) -> Identity:
    """The repository key, current commit and branch of the tree at ``root``.

    The key is the git remote (credentials removed), else the work tree's path, else ``root``'s; a scan of a
    sub-folder adds ``//sub/folder``, since its numbers are not the whole repository's. The branch is git's
    current branch, else (a detached HEAD) the first of :data:`CI_BRANCH_VARIABLES` set in ``environ``
    (default: this process's environment; pass ``{}`` for a checkout that is not the CI job's own).
    """
    root = root.resolve()
    top = _git(root, "rev-parse", "--show-toplevel")
    if top is None:
        return Identity(str(root), None, None)
    remote = _git(root, "config", "--get", "remote.origin.url")
    key = _without_credentials(remote) if remote else top
    inside = root.relative_to(Path(top).resolve()).as_posix()
    return Identity(key if inside == "." else f"{key}//{inside}",
                    _git(root, "rev-parse", "--verify", "--quiet", "HEAD"),
                    _git(root, "symbolic-ref", "--quiet", "--short", "HEAD") or _ci_branch(environ))


def _ci_branch(environ: Mapping[str, str] | None) -> str | None:
    environ = os.environ if environ is None else environ
    for variable in CI_BRANCH_VARIABLES:
        if value := environ.get(variable, "").strip():
            return value.removeprefix("refs/heads/")
    return None


def _git(root: Path, *arguments: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True, timeout=10,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _without_credentials(remote: str) -> str:
    """'https://user:token@host/org/repo.git' -> 'https://host/org/repo.git'; scp-style remotes stay as they are."""
    parts = urlsplit(remote)
    if not parts.scheme or "@" not in parts.netloc:
        return remote
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


_SCAN_COLUMNS = f"repository, commit_sha, branch, recorded_at, {', '.join(COUNTS)}"
_LATEST = ("SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY repository ORDER BY recorded_at DESC, id DESC) "
           "AS newest FROM scans) ranked WHERE newest = 1")
"""The id of each repository's latest scan."""
_EXPOSED_48H, _EXPOSED_NO_FALLBACK = 2, 1
"""scan_paths.exposure_level: exposed past 48 h (and so without fallback), exposed without fallback, else 0."""
_BY_PATH = ("SELECT {key}, COUNT(*), SUM(CASE WHEN critical THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN exposure_level >= {_EXPOSED_48H} THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN exposure_level >= {_EXPOSED_NO_FALLBACK} THEN 1 ELSE 0 END) "
            "FROM scan_paths WHERE scan_id IN ({scans}) GROUP BY {key}")
_EXPOSURE_BY = {
    # A repository's numbers are its latest scan's summary (waivers included), not a recount of its paths.
    "repository": "SELECT repository, paths, critical_paths, exposed_48h, exposed_no_fallback FROM scans "
                  "WHERE id IN ({scans})",
    "provider": _BY_PATH.replace("{key}", "provider"),
    "jurisdiction": _BY_PATH.replace("{key}", "jurisdiction"),
}
"""Per group, over the scans that ``{scans}`` selects: every repository's latest, or one repository's."""
_TOP_FILTERS = {"repository": "s.repository = ?", "provider": "p.provider = ?", "jurisdiction": "p.jurisdiction = ?"}


class History:
    """An open scan history; use as a context manager. ``location`` is a SQLite file, ``sqlite:///file`` or a
    ``postgresql://`` URL."""

    def __init__(self, location: str | Path) -> None:
        self.location = location
        try:
            self._db: Database = connect(location, "scan history",
                                         f"choose another store with --store (--history-db) or ${STORE_ENV}")
        except StoreError as exc:
            raise HistoryError(str(exc)) from None

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    def record(self, repository: str, commit: str | None, report: Mapping[str, Any],
               recorded_at: datetime | None = None, *, branch: str | None = None) -> RecordedScan:
        """Store the numbers and paths of a JSON report (``offramp.report.json_report.to_json``)."""
        summary = report["summary"]
        when = (recorded_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
        with self._db.transaction() as tx:
            row = tx.fetchone(f"INSERT INTO scans ({_SCAN_COLUMNS}) VALUES ({', '.join('?' * (4 + len(COUNTS)))}) "
                              "RETURNING id", (repository, commit, branch, when, *(summary[n] for n in COUNTS)))
            assert row is not None
            tx.executemany(
                "INSERT INTO scan_paths (scan_id, fingerprint, file, line, exposure_level, provider, jurisdiction, "
                "model, critical, at_risk) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [(row[0], *_path_row(path)) for path in report["paths"]])
        return RecordedScan(*(summary[name] for name in COUNTS), repository=repository, commit=commit,
                            recorded_at=when, branch=branch)

    def scans(self, repository: str | None = None) -> list[RecordedScan]:
        """Recorded scans, oldest first, of one repository or of all of them."""
        where, params = (" WHERE repository = ?", (repository,)) if repository is not None else ("", ())
        return [_scan(row) for row in self._db.fetchall(
            f"SELECT {_SCAN_COLUMNS} FROM scans{where} ORDER BY repository, recorded_at, id", params)]

    def latest_scans(self) -> list[RecordedScan]:
        """The latest scan of each repository, by repository."""
        return [_scan(row) for row in self._db.fetchall(
            f"SELECT {_SCAN_COLUMNS} FROM scans WHERE id IN ({_LATEST}) ORDER BY repository")]

    def fingerprints(self, repository: str) -> dict[str, int]:
        """The exposure level of each path of the repository's latest recorded scan, by fingerprint."""
        return dict(self._db.fetchall(
            "SELECT fingerprint, exposure_level FROM scan_paths WHERE scan_id = "
            "(SELECT id FROM scans WHERE repository = ? ORDER BY recorded_at DESC, id DESC LIMIT 1)", (repository,)))

    def top_paths(self, limit: int, repository: str | None = None, provider: str | None = None,
                  jurisdiction: str | None = None) -> list[TopPath]:
        """The paths of each repository's latest scan, most exposed first (exposure level, then critical)."""
        wanted = {"repository": repository, "provider": provider, "jurisdiction": jurisdiction}
        filters = [_TOP_FILTERS[name] for name, value in wanted.items() if value is not None]
        rows = self._db.fetchall(
            "SELECT s.repository, s.branch, s.commit_sha, p.file, p.line, p.fingerprint, p.provider, p.jurisdiction, "
            "p.model, p.critical, p.at_risk, p.exposure_level FROM scan_paths p JOIN scans s ON s.id = p.scan_id "
            f"WHERE p.scan_id IN ({_LATEST}){''.join(f' AND {f}' for f in filters)} "
            "ORDER BY p.exposure_level DESC, CASE WHEN p.critical THEN 1 ELSE 0 END DESC, s.repository, p.file, "
            "p.line LIMIT ?", (*(v for v in wanted.values() if v is not None), limit))
        return [TopPath(*row[:9], critical=_flag(row[9]), at_risk=_flag(row[10]), exposure_level=row[11])
                for row in rows]

    def exposure_by(self, field: str, repository: str | None = None) -> list[ExposureGroup]:
        """Paths, critical paths and exposed paths of the latest scans (of every repository, or of
        ``repository``), per ``field``: repository, provider or jurisdiction (unknown is None, listed last)."""
        if field not in _EXPOSURE_BY:
            raise ValueError(f"exposure_by({field!r}): choose one of {', '.join(_EXPOSURE_BY)}")
        scans, params = ((_LATEST, ()) if repository is None else
                         (f"SELECT id FROM scans WHERE repository = ? AND id IN ({_LATEST})", (repository,)))
        groups = [ExposureGroup(key, paths, critical or 0, exposed or 0, no_fallback or 0)
                  for key, paths, critical, exposed, no_fallback in self._db.fetchall(
                      _EXPOSURE_BY[field].format(scans=scans), params)]
        return sorted(groups, key=lambda g: (g.key is None, g.key or ""))


def _path_row(path: Mapping[str, Any]) -> tuple[Any, ...]:
    """A JSON report path as scan_paths values; provider and jurisdiction are those of its first target."""
    level = _EXPOSED_48H if path["exposed_48h"] else _EXPOSED_NO_FALLBACK if path["exposed_no_fallback"] else 0
    first = (path.get("targets") or [{}])[0]
    return (path["fingerprint"], path["file"], path["line"], level, first.get("provider"), first.get("jurisdiction"),
            path.get("model"), path.get("critical"), path.get("at_risk"))


def _scan(row: tuple[Any, ...]) -> RecordedScan:
    return RecordedScan(*row[4:], repository=row[0], commit=row[1], branch=row[2], recorded_at=as_datetime(row[3]))


def _flag(value: object) -> bool | None:
    return None if value is None else bool(value)
