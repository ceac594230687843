"""What the dashboard reads from the scan history, on both engines: the latest scan of each repository, the most
exposed paths across repositories, and exposure per repository, provider and jurisdiction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from offramp.store import ExposureGroup
from offramp.store.history import History


def path(fingerprint: str, line: int, provider: str | None, jurisdiction: str | None, critical: bool,
         level: int) -> dict[str, Any]:
    """A JSON report path: level 2 exposed past 48 h, 1 exposed without fallback only, 0 not exposed (a path is
    exposed only when critical)."""
    return {"fingerprint": fingerprint, "file": "svc/app.py", "line": line, "model": f"{provider}-model" if provider else None,
            "critical": critical, "at_risk": level > 0, "exposed_no_fallback": level >= 1, "exposed_48h": level == 2,
            "targets": [{"provider": provider, "jurisdiction": jurisdiction}] if provider else []}


def report(*paths: dict[str, Any]) -> dict[str, Any]:
    critical = [p for p in paths if p["critical"]]
    summary = {"paths": len(paths), "critical_paths": len(critical), "at_risk_paths": sum(p["at_risk"] for p in paths),
               "exposed_no_fallback": sum(p["exposed_no_fallback"] for p in critical),
               "exposed_48h": sum(p["exposed_48h"] for p in critical), "waived_paths": 0}
    return {"summary": summary, "paths": list(paths)}


@pytest.fixture
def history(store_url: str) -> Iterator[History]:
    with History(store_url) as opened:
        opened.record("acme/api", "old", report(path("a0", 1, "openai", "US", True, 2)),
                      datetime(2026, 11, 1, tzinfo=UTC), branch="main")
        opened.record("acme/api", "new", report(path("a1", 5, "anthropic", "US", True, 2),
                                                path("a2", 9, "mistral", "FR", True, 0),
                                                path("a3", 2, "openai", "US", False, 0)),
                      datetime(2026, 11, 3, tzinfo=UTC), branch="main")
        opened.record("acme/web", "w1", report(path("w1", 7, "openai", "US", True, 1), path("w2", 3, None, None, True, 0)),
                      datetime(2026, 11, 2, tzinfo=UTC), branch="release")
        yield opened


def test_latest_scans_are_one_per_repository_with_its_branch(history: History) -> None:
    assert [(s.repository, s.commit, s.branch, s.critical_paths) for s in history.latest_scans()] == [
        ("acme/api", "new", "main", 2), ("acme/web", "w1", "release", 2)]


def test_top_paths_are_the_latest_scans_most_exposed_first(history: History) -> None:
    top = history.top_paths(10)
    assert [(p.repository, p.line, p.exposure_level, p.critical) for p in top] == [
        ("acme/api", 5, 2, True), ("acme/web", 7, 1, True), ("acme/api", 9, 0, True), ("acme/web", 3, 0, True),
        ("acme/api", 2, 0, False)]  # "a0" belongs to an older scan: not there
    first = top[0]
    assert (first.commit, first.branch, first.file, first.provider, first.jurisdiction, first.model,
            first.at_risk, first.fingerprint) == ("new", "main", "svc/app.py", "anthropic", "US", "anthropic-model",
                                                  True, "a1")
    assert (top[3].fingerprint, top[3].provider, top[3].jurisdiction, top[3].model) == ("w2", None, None, None)
    assert [p.line for p in history.top_paths(2)] == [5, 7]
    assert [p.line for p in history.top_paths(10, provider="openai")] == [7, 2]
    assert [p.line for p in history.top_paths(10, repository="acme/api", jurisdiction="US")] == [5, 2]
    assert history.top_paths(10, jurisdiction="CN") == []


def test_exposure_by_repository_provider_and_jurisdiction(history: History) -> None:
    assert history.exposure_by("repository") == [ExposureGroup("acme/api", 3, 2, 1, 1),
                                                 ExposureGroup("acme/web", 2, 2, 0, 1)]
    assert history.exposure_by("provider") == [ExposureGroup("anthropic", 1, 1, 1, 1), ExposureGroup("mistral", 1, 1, 0, 0),
                                               ExposureGroup("openai", 2, 1, 0, 1), ExposureGroup(None, 1, 1, 0, 0)]
    assert history.exposure_by("jurisdiction") == [ExposureGroup("FR", 1, 1, 0, 0), ExposureGroup("US", 3, 2, 1, 2),
                                                   ExposureGroup(None, 1, 1, 0, 0)]
    assert history.exposure_by("repository")[0].exposure_48h == 0.5
    # one repository's latest scan only
    assert history.exposure_by("provider", repository="acme/web") == [ExposureGroup("openai", 1, 1, 0, 1),
                                                                      ExposureGroup(None, 1, 1, 0, 0)]
    assert history.exposure_by("repository", repository="acme/api") == [ExposureGroup("acme/api", 3, 2, 1, 1)]
    assert history.exposure_by("jurisdiction", repository="acme/none") == []
    with pytest.raises(ValueError, match="choose one of repository, provider, jurisdiction"):
        history.exposure_by("model")
