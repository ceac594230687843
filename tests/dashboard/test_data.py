"""The organisation's numbers: each repository's latest scan summed into the assessment's Numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from offramp.assess import Numbers
from offramp.dashboard.data import Filters, latest_drills, trend
from offramp.store import DrillRun
from offramp.store.history import RecordedScan

DAY = datetime(2026, 11, 20, 9, tzinfo=UTC)


def scan(repository: str, critical: int, exposed_48h: int, when: datetime) -> RecordedScan:
    return RecordedScan(critical + 2, critical, exposed_48h + 1, exposed_48h + 1, exposed_48h, 0,
                        repository=repository, commit=None, recorded_at=when)


def test_the_total_sums_counts_and_keeps_the_exposure_definition() -> None:
    numbers = Numbers.total([scan("a", 10, 1, DAY), scan("b", 30, 9, DAY)])
    assert (numbers.critical_paths, numbers.exposed_48h) == (40, 10)
    assert numbers.exposure_48h == 0.25  # 10 of 40 critical paths, not the mean of 10% and 30%
    assert Numbers.total([]).exposure_48h == 0.0


def test_the_trend_counts_each_repository_by_its_latest_scan_at_the_end_of_each_day() -> None:
    points = trend([scan("a", 10, 5, DAY), scan("a", 10, 1, DAY + timedelta(hours=2)),
                    scan("b", 10, 3, DAY + timedelta(days=1)), scan("a", 10, 0, DAY + timedelta(days=3))])
    assert [(p.date, p.repositories, p.numbers.exposed_48h) for p in points] == [
        ("2026-11-20", 1, 1), ("2026-11-21", 2, 4), ("2026-11-23", 2, 3)]


def test_the_latest_run_of_each_prompt_set() -> None:
    def run(name: str, status: str, hours: int) -> DrillRun:
        return DrillRun(name, "h", "chat", (), (), (), "v", 0.8, 10, DAY - timedelta(hours=hours), status=status)
    runs = [run("a", "passed", 1), run("b", "failed", 2), run("a", "failed", 3)]  # newest first, as the store gives
    assert [(r.set_name, r.status) for r in latest_drills(runs)] == [("a", "passed"), ("b", "failed")]


def test_filters_come_from_the_query_string() -> None:
    assert Filters.from_query({"repository": " https://github.com/a/b ", "provider": ""}) == Filters(
        "https://github.com/a/b", None, None)
    assert Filters(provider="openai").keeps("openai", "US") and not Filters(provider="openai").keeps("vllm", None)
    assert Filters(jurisdiction="US").keeps("openai", "US") and not Filters(jurisdiction="CN").keeps("openai", "US")
