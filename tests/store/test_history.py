"""Scan history on both engines: record, read back per repository; identify repositories by git."""

from __future__ import annotations

import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from offramp.store.database import connect
from offramp.store.history import History, HistoryError, identify
from offramp.storelocation import default_location, store_location


def report(critical: int, exposed_48h: int, exposed: int, paths: list[tuple[str, bool, bool]]) -> dict[str, Any]:
    """A JSON report's summary and paths (fingerprint, exposed_no_fallback, exposed_48h)."""
    return {
        "summary": {"paths": len(paths), "critical_paths": critical, "at_risk_paths": exposed,
                    "exposed_no_fallback": exposed, "exposed_48h": exposed_48h, "waived_paths": 0},
        "paths": [{"fingerprint": f, "file": "app.py", "line": i + 1, "exposed_no_fallback": no_fallback,
                   "exposed_48h": over_48h} for i, (f, no_fallback, over_48h) in enumerate(paths)],
    }


def test_a_sqlite_history_creates_its_folder(tmp_path: Path) -> None:
    with History(tmp_path / "deep" / "history.sqlite") as history:
        history.record("repo", None, report(0, 0, 0, []))
    assert (tmp_path / "deep" / "history.sqlite").is_file()


def test_scans_come_back_per_repository_oldest_first(store_url: str) -> None:
    with History(store_url) as history:
        history.record("git@example.com:acme/app.git", "bbb", report(4, 1, 2, [("f1", True, True)]),
                       datetime(2026, 11, 20, tzinfo=UTC))
        history.record("git@example.com:acme/app.git", "aaa", report(4, 2, 3, [("f1", True, True)]),
                       datetime(2026, 11, 1, tzinfo=UTC))
        history.record("/srv/other", None, report(0, 0, 0, []), datetime(2026, 11, 5, tzinfo=UTC))
    with History(store_url) as history:  # and reads it back after closing
        app = history.scans("git@example.com:acme/app.git")
        assert [(s.commit, s.exposure_48h, s.exposure_no_fallback) for s in app] == [("aaa", 0.5, 0.75),
                                                                                     ("bbb", 0.25, 0.5)]
        assert [s.repository for s in history.scans()] == ["/srv/other", *[s.repository for s in app]]
        assert history.scans("/srv/other")[0].exposure_48h == 0.0  # no critical path: 0 by definition
        assert history.scans("nowhere") == []


def test_the_latest_scan_keeps_each_path_fingerprint_and_exposure(store_url: str) -> None:
    with History(store_url) as history:
        history.record("repo", None, report(3, 1, 2, [("a", True, True), ("b", True, False), ("c", False, False)]),
                       datetime(2026, 11, 1, tzinfo=UTC))
        history.record("repo", None, report(1, 0, 1, [("b", True, False)]), datetime(2026, 11, 2, tzinfo=UTC))
        assert history.fingerprints("repo") == {"b": 1}
    database = connect(store_url, "test", "")
    assert database.fetchone("SELECT count(*) FROM scan_paths") == (4,)
    database.close()


def test_an_unusable_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a database, just notes\n" * 100)
    with pytest.raises(HistoryError, match=r"cannot use .*notes\.txt as the scan history .*--history-db"):
        History(tmp_path / "notes.txt")
    newer = tmp_path / "newer.sqlite"
    sqlite3.connect(newer).execute("PRAGMA user_version = 99").connection.commit()
    with pytest.raises(HistoryError, match="newer offramp"):
        History(newer)


def test_default_location() -> None:
    assert default_location({"OFFRAMP_HISTORY": "/data/h.sqlite"}) == Path("/data/h.sqlite")
    assert default_location({"XDG_DATA_HOME": "/xdg"}) == Path("/xdg/offramp/history.sqlite")
    assert default_location({}) == Path.home() / ".local" / "share" / "offramp" / "history.sqlite"


def test_store_location_prefers_the_option_then_offramp_store() -> None:
    environ = {"OFFRAMP_STORE": "postgresql://ci@db/offramp", "OFFRAMP_HISTORY": "/data/h.sqlite"}
    assert store_location("/given.sqlite", environ) == "/given.sqlite"
    assert store_location(None, environ) == "postgresql://ci@db/offramp"
    assert store_location(None, {"OFFRAMP_HISTORY": "/data/h.sqlite"}) == "/data/h.sqlite"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                          check=True, capture_output=True, text=True).stdout.strip()


def test_a_repository_is_its_remote_without_credentials_and_its_commit(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    git(tmp_path, "remote", "add", "origin", "https://ci-bot:ghp_secret123@github.example.com/acme/app.git")
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "app.py").write_text("x = 1\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    git(tmp_path, "switch", "-q", "-c", "feature/llm")
    head = git(tmp_path, "rev-parse", "HEAD")
    assert identify(tmp_path) == ("https://github.example.com/acme/app.git", head, "feature/llm")
    assert identify(tmp_path / "svc") == ("https://github.example.com/acme/app.git//svc", head, "feature/llm")


def test_without_git_a_repository_is_its_path(tmp_path: Path) -> None:
    ci = {"GITHUB_REF_NAME": "main"}
    assert identify(tmp_path, ci) == (str(tmp_path.resolve()), None, None)  # CI variables name no folder's branch
    git(tmp_path, "init", "-q", "-b", "trunk")  # a work tree without remote nor commit, on its unborn branch
    assert identify(tmp_path, ci) == (str(tmp_path.resolve()), None, "trunk")


@pytest.mark.parametrize(("environ", "branch"), [
    ({"GITHUB_HEAD_REF": "fix/quota", "GITHUB_REF_NAME": "42/merge"}, "fix/quota"),  # GitHub, pull request
    ({"GITHUB_HEAD_REF": "", "GITHUB_REF_NAME": "main"}, "main"),  # GitHub, push: HEAD_REF set but empty
    ({"CI_COMMIT_REF_NAME": "release-2"}, "release-2"),  # GitLab
    ({"BRANCH_NAME": "develop"}, "develop"),  # Jenkins
    ({"BUILD_SOURCEBRANCH": "refs/heads/team/a"}, "team/a"),  # Azure Pipelines: a full ref
    ({}, None),  # detached, and no CI says which branch: unknown, not guessed
])
def test_a_detached_checkout_takes_its_branch_from_the_ci(tmp_path: Path, environ: dict[str, str],
                                                          branch: str | None) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "app.py").write_text("x = 1\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    head = git(tmp_path, "rev-parse", "HEAD")
    git(tmp_path, "checkout", "-q", "--detach", head)
    assert identify(tmp_path, environ) == (str(tmp_path.resolve()), head, branch)
    git(tmp_path, "switch", "-q", "main")  # git's own branch comes first: CI variables may describe another tree
    assert identify(tmp_path, environ).branch == "main"
