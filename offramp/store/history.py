"""Scan history: each recorded scan's numbers and path fingerprints, per repository, in a local SQLite file.

``offramp scan --record`` adds a scan; ``offramp history`` and the HTML report's trend read them back.
A repository is known by its git remote (credentials removed) or, without one, by its absolute root path.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit, urlunsplit

from offramp.assess import Numbers

SCHEMA_VERSION = 1
HISTORY_ENV = "OFFRAMP_HISTORY"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY,
    repository TEXT NOT NULL,
    commit_sha TEXT,
    recorded_at TEXT NOT NULL,
    paths INTEGER NOT NULL,
    critical_paths INTEGER NOT NULL,
    at_risk_paths INTEGER NOT NULL,
    exposed_no_fallback INTEGER NOT NULL,
    exposed_48h INTEGER NOT NULL,
    waived_paths INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS scans_by_repository ON scans (repository, recorded_at);
CREATE TABLE IF NOT EXISTS scan_paths (
    scan_id INTEGER NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    exposure_level INTEGER NOT NULL,
    PRIMARY KEY (scan_id, fingerprint)
);
"""
_COUNTS = ("paths", "critical_paths", "at_risk_paths", "exposed_no_fallback", "exposed_48h", "waived_paths")


class HistoryError(Exception):
    """The history database cannot be used; the message says what to do."""


@dataclass(frozen=True)
class RecordedScan(Numbers):
    """The numbers of one recorded scan, and which scan it was."""

    repository: str
    commit: str | None
    recorded_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {"repository": self.repository, "commit": self.commit,
                "recorded_at": self.recorded_at.isoformat(timespec="seconds"),
                **{name: getattr(self, name) for name in _COUNTS},
                "exposure_48h": self.exposure_48h, "exposure_no_fallback": self.exposure_no_fallback}


def default_location(environ: Mapping[str, str] | None = None) -> Path:
    """$OFFRAMP_HISTORY, else $XDG_DATA_HOME/offramp/history.sqlite, else ~/.local/share/offramp/history.sqlite."""
    environ = os.environ if environ is None else environ
    if environ.get(HISTORY_ENV):
        return Path(environ[HISTORY_ENV]).expanduser()
    data_home = Path(environ["XDG_DATA_HOME"]) if environ.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return data_home / "offramp" / "history.sqlite"


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


class History:
    """An open history database; use as a context manager."""

    def __init__(self, file: Path) -> None:
        self.file = file
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(file)
            self._db.execute("PRAGMA foreign_keys = ON")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise HistoryError(f"{file} was written by a newer offramp (history schema {version}); "
                                   "upgrade offramp or choose another file with --history-db")
            with self._db:
                self._db.executescript(_SCHEMA)
                self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (sqlite3.DatabaseError, OSError) as exc:
            raise HistoryError(f"cannot use {file} as the scan history ({exc}): choose another file with "
                               f"--history-db or ${HISTORY_ENV}") from None

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self._db.close()

    def record(self, repository: str, commit: str | None, report: Mapping[str, Any],
               recorded_at: datetime | None = None) -> RecordedScan:
        """Store the numbers and path fingerprints of a JSON report (``offramp.report.json_report.to_json``)."""
        summary = report["summary"]
        when = (recorded_at or datetime.now(UTC)).astimezone(UTC)
        with self._db:
            cursor = self._db.execute(
                f"INSERT INTO scans (repository, commit_sha, recorded_at, {', '.join(_COUNTS)}) "
                f"VALUES (?, ?, ?, {', '.join('?' for _ in _COUNTS)})",
                (repository, commit, when.isoformat(timespec="seconds"), *(summary[name] for name in _COUNTS)))
            self._db.executemany(
                "INSERT OR IGNORE INTO scan_paths (scan_id, fingerprint, file, line, exposure_level) "
                "VALUES (?, ?, ?, ?, ?)",
                [(cursor.lastrowid, p["fingerprint"], p["file"], p["line"],
                  2 if p["exposed_48h"] else 1 if p["exposed_no_fallback"] else 0) for p in report["paths"]])
        return RecordedScan(*(summary[name] for name in _COUNTS), repository=repository, commit=commit,
                            recorded_at=when)

    def scans(self, repository: str | None = None) -> list[RecordedScan]:
        """Recorded scans, oldest first, of one repository or of all of them."""
        query = (f"SELECT repository, commit_sha, recorded_at, {', '.join(_COUNTS)} FROM scans"
                 + (" WHERE repository = ?" if repository is not None else "")
                 + " ORDER BY repository, recorded_at, id")
        rows = self._db.execute(query, (repository,) if repository is not None else ())
        return [RecordedScan(*row[3:], repository=row[0], commit=row[1], recorded_at=datetime.fromisoformat(row[2]))
                for row in rows]

    def fingerprints(self, repository: str) -> dict[str, int]:
        """The exposure level of each path of the repository's latest recorded scan, by fingerprint."""
        rows = self._db.execute(
            "SELECT fingerprint, exposure_level FROM scan_paths WHERE scan_id = "
            "(SELECT id FROM scans WHERE repository = ? ORDER BY recorded_at DESC, id DESC LIMIT 1)", (repository,))
        return dict(rows.fetchall())
