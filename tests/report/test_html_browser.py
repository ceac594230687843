"""The HTML report in a real headless Chromium (Debian's), driven by Playwright, loaded from file://.

Checks what a reader sees: no console error and no network request, the numbers equal the JSON report's,
filtering and sorting work, the page reads without JavaScript and in print. Each run writes a full-page
screenshot to the test's tmp dir and copies it to tests/report/artifacts/ (ignored by git).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page

from offramp.cli import main
from tests.browser import Watched

REPO = Path(__file__).parents[2]
ARTIFACTS = Path(__file__).parent / "artifacts"
EXPOSED = 'from openai import OpenAI\nOpenAI().beta.assistants.create(model="gpt-4o", name="x")\n'


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The example's HTML and JSON reports, with a history of three scans (a path added, then removed)."""
    work = tmp_path_factory.mktemp("report")
    repo = work / "acme-support"
    shutil.copytree(REPO / "examples" / "acme-support", repo)
    history = ["--history-db", str(work / "history.sqlite")]

    def scan(*args: str) -> None:
        outcome = CliRunner().invoke(main, ["scan", str(repo), "--today", "2026-11-25", *args])
        assert outcome.exit_code == 0, outcome.output

    scan("--record", *history, "--format", "json", "-o", str(work / "first.json"))
    (repo / "acme_support" / "assistant.py").write_text(EXPOSED)
    scan("--record", *history, "--format", "json", "-o", str(work / "second.json"))
    (repo / "acme_support" / "assistant.py").unlink()
    scan("--record", *history, "--format", "html", "-o", str(work / "report.html"))
    scan("--format", "json", "-o", str(work / "report.json"))
    return work / "report.html", json.loads((work / "report.json").read_text(encoding="utf-8"))


@pytest.fixture
def page(browser: Browser, report: tuple[Path, dict[str, Any]]) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    watched = Watched(context.new_page())
    watched.page.goto(report[0].as_uri(), wait_until="load")
    yield watched
    context.close()


def visible_locations(page: Page) -> list[str]:
    return page.locator("#paths tbody tr:visible td:nth-child(2)").all_inner_texts()


def test_loads_offline_with_no_request_and_no_console_error(page: Watched, report: tuple[Path, Any]) -> None:
    page.page.wait_for_timeout(200)  # let anything late (fonts, images) try
    assert page.requests == [report[0].as_uri()]
    assert page.problems == []


def test_the_numbers_shown_equal_the_json_report(page: Watched, report: tuple[Path, dict[str, Any]]) -> None:
    summary = report[1]["summary"]
    shown = {key: page.page.inner_text(f'[data-number="{key}"]') for key in
             ("exposure_48h", "exposure_no_fallback", "at_risk_paths", "critical_paths")}
    assert shown == {"exposure_48h": f"{summary['exposure_48h']:.1%}",
                     "exposure_no_fallback": f"{summary['exposure_no_fallback']:.1%}",
                     "at_risk_paths": str(summary["at_risk_paths"]), "critical_paths": str(summary["critical_paths"])}
    assert page.page.locator("#paths tbody tr").count() == len(report[1]["paths"])
    assert page.page.locator("svg.chart").count() == 4  # with the trend of the three recorded scans


def test_filtering_the_table(page: Watched, report: tuple[Path, dict[str, Any]]) -> None:
    paths = report[1]["paths"]
    page.page.fill("#filter-text", "knowledge_base")
    expected = sorted(f"{p['file']}:{p['line']}" for p in paths if "knowledge_base" in p["file"])
    assert expected and sorted(visible_locations(page.page)) == expected
    assert page.page.inner_text("#shown-count") == f"{len(expected)} of {len(paths)} paths shown"
    page.page.fill("#filter-text", "")
    page.page.select_option("#filter-status", "exposed-48h")
    assert sorted(visible_locations(page.page)) == sorted(f"{p['file']}:{p['line']}" for p in paths
                                                          if p["exposed_48h"])
    page.page.select_option("#filter-status", "not-critical")
    assert len(visible_locations(page.page)) == sum(not p["critical"] for p in paths)


def test_sorting_the_table(page: Watched, report: tuple[Path, dict[str, Any]]) -> None:
    estimate = page.page.locator("#paths thead button", has_text="Estimate")
    hours = page.page.locator("#paths tbody tr td:nth-child(5)")
    estimate.click()
    ascending = [float(v) for v in hours.evaluate_all("cells => cells.map(c => c.dataset.value)")]
    assert ascending == sorted(ascending) and ascending[0] < ascending[-1]
    estimate.click()
    descending = [float(v) for v in hours.evaluate_all("cells => cells.map(c => c.dataset.value)")]
    assert descending == sorted(ascending, reverse=True)
    assert page.page.locator("#paths thead th[aria-sort=descending]").inner_text().startswith("Estimate")
    page.page.locator("#paths thead button", has_text="Location").click()
    files = [location.rsplit(":", 1)[0] for location in visible_locations(page.page)]
    assert files == sorted(files)


def test_print_and_no_javascript_show_everything_but_the_controls(browser: Browser,
                                                                  report: tuple[Path, dict[str, Any]]) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(report[0].as_uri())
    assert page.locator("#paths tbody tr:visible").count() == len(report[1]["paths"])
    assert not page.locator(".controls").is_visible()
    assert page.inner_text('[data-number="exposure_48h"]') == f"{report[1]['summary']['exposure_48h']:.1%}"
    context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(report[0].as_uri())
    page.emulate_media(media="print")
    assert not page.locator(".controls").is_visible()
    assert page.pdf()[:4] == b"%PDF"
    context.close()


def screenshot(page: Page, shot: Path) -> None:
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copy(shot, ARTIFACTS / shot.name)
    print(f"screenshot: {ARTIFACTS / shot.name}")


def test_screenshot(page: Watched, tmp_path: Path) -> None:
    screenshot(page.page, tmp_path / "offramp-report.png")


@pytest.fixture(scope="module")
def zh_tw_report(report: tuple[Path, dict[str, Any]]) -> Path:
    page = report[0].parent / "report.zh-TW.html"
    outcome = CliRunner().invoke(main, ["scan", str(report[0].parent / "acme-support"), "--today", "2026-11-25",
                                        "--lang", "zh-TW", "--format", "html", "-o", str(page)])
    assert outcome.exit_code == 0, outcome.output
    return page


def rendering_fonts(page: Page, selector: str) -> dict[str, int]:
    """The fonts Chromium actually drew ``selector``'s text with, and how many glyphs each drew."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("DOM.enable")
    devtools.send("CSS.enable")
    document = devtools.send("DOM.getDocument")["root"]["nodeId"]
    node = devtools.send("DOM.querySelector", {"nodeId": document, "selector": selector})["nodeId"]
    fonts = devtools.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_the_zh_tw_page_draws_its_chinese_with_a_cjk_font_of_its_stack(browser: Browser, zh_tw_report: Path,
                                                                       tmp_path: Path) -> None:
    """Needs a CJK font installed (scripts/test.sh installs fonts-noto-cjk); without one, boxes."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(zh_tw_report.as_uri(), wait_until="load")
    heading = page.inner_text("h1")
    assert "報告" in heading
    stack = page.evaluate("getComputedStyle(document.body).fontFamily")
    drawn = rendering_fonts(page, "h1")
    cjk = {family: glyphs for family, glyphs in drawn.items() if f'"{family}"' in stack and "CJK" in family}
    assert sum(cjk.values()) >= sum(1 for char in heading if "\u4e00" <= char <= "\u9fff"), (drawn, stack)
    screenshot(page, tmp_path / "offramp-report.zh-TW.png")
    context.close()
