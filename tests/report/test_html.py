"""The HTML report as a file: self-contained, escaped, and complete without JavaScript."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from offramp.assess import Assessment, Policy, assess
from offramp.report.html_report import shown_root, to_html
from offramp.report.json_report import to_json
from offramp.scan.findings import ScanResult, Target
from offramp.store.history import History
from tests.assess.factory import make_path, small_catalog
from tests.report.conftest import SECRET


def test_the_page_references_nothing_outside_itself(assessment: Assessment) -> None:
    page = to_html(assessment)
    assert re.findall(r"https?://|//[a-z]", page.replace("://repo", "")) == []
    assert re.findall(r"<(?:link|img|iframe|object|embed)\b|\b(?:src|href)=|@import|url\(", page) == []
    assert page.count("<script>") == 1 and page.count("<style>") == 1


def test_numbers_charts_and_every_path_are_static_html(assessment: Assessment) -> None:
    page = to_html(assessment)
    numbers = dict(re.findall(r'data-number="(\w+)">([^<]+)<', page))
    assert numbers == {"exposure_48h": "25.0%", "exposure_no_fallback": "50.0%", "at_risk_paths": "3",
                       "critical_paths": "4"}
    assert len(re.findall(r"<tr data-status=", page)) == len(assessment.paths)
    assert re.findall(r'<tr data-status="([\w-]+)"', page) == [
        "exposed-48h", "exposed", "replaceable", "safe", "not-critical"]  # worst first
    assert page.count('<svg class="chart"') == 3  # jurisdiction, provider, replacement estimates
    assert "vendor/big.min.js" in page and "larger than 2000000 bytes" in page
    assert "sk-p…6789" in page and SECRET not in page


def test_a_trend_chart_appears_when_history_exists(assessment: Assessment, tmp_path: Path) -> None:
    with History(tmp_path / "h.sqlite") as history:
        for day in (1, 8, 15):
            history.record("repo", None, to_json(assessment), datetime(2026, 11, day, tzinfo=UTC))
        trend = history.scans("repo")
    page = to_html(assessment, history=trend)
    assert page.count('<svg class="chart"') == 4
    assert "Exposure over time (3 recorded scans)" in page
    assert "2026-11-01" in page and "2026-11-15" in page
    assert len(re.findall(r'<circle class="dot exposure_48h"', page)) == 3


def test_file_and_model_names_are_escaped() -> None:
    evil = make_path("app/<script>alert(1)</script>.py", [Target("openai", 'gpt-4o"><img src=x onerror=alert(1)>')])
    page = to_html(assess(ScanResult("/repo", [evil], []), Policy(), small_catalog(), date(2026, 11, 25)))
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;.py" in page


def test_a_tree_without_paths_still_makes_a_page() -> None:
    page = to_html(assess(ScanResult("/repo", [], []), Policy(), small_catalog(), date(2026, 11, 25)))
    assert "no critical paths found: both exposures are 0 by definition" in page
    assert 'data-number="exposure_48h">0.0%<' in page


def test_the_page_names_the_scanned_folder_without_its_absolute_path(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "work" / "acme-support"
    root.mkdir(parents=True)
    scanned = assess(ScanResult(str(root), [], []), Policy(), small_catalog(), date(2026, 11, 25))
    monkeypatch.chdir(tmp_path)
    page = to_html(scanned)
    assert "scanned work/acme-support<" in page and str(tmp_path) not in page
    monkeypatch.chdir(root)
    assert "scanned acme-support<" in to_html(scanned)
    assert shown_root(str(root), cwd=Path("/elsewhere")) == "acme-support"
