"""The drill report's HTML page in a real headless Chromium (Debian's, driven by Playwright), loaded from file://.

What a reader sees after a real drill compared with the primary: no request and no console error, the verdict
counts, the table with the fallback's and the primary's latency and tokens side by side, the failing prompts by
id; in English and in Traditional Chinese. Each run writes a full-page screenshot to the test's tmp dir and copies
it to tests/report/artifacts/ (ignored by git).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import Watched
from tests.drill.conftest import Project
from tests.drill.test_report import _mixed_drill, report

ARTIFACTS = Path(__file__).parents[1] / "report" / "artifacts"
WORDS = {  # what the page says in each language: the verdict line, the badge, two headers, the failing section
    "en": ("Drills: 1 verified, 0 failed, 0 stale", "verified", "fallback latency p50/p95/p99 ms",
           "primary latency p50/p95/p99 ms", "chat: failing prompts (2)"),
    "zh-TW": ("演練：1 項已驗證、0 項未通過、0 項已過期", "已驗證", "備援延遲 p50/p95/p99 毫秒",
              "主要模型延遲 p50/p95/p99 毫秒", "chat：未通過的提示（2 個）"),
}


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_drill_page_shows_verdicts_both_sides_and_failing_prompts(project: Project, browser: Browser,
                                                                      lang: str, tmp_path: Path) -> None:
    _mixed_drill(project)
    page_file = project.root / f"drills.{lang}.html"
    report(project.root, project.history, "--format", "html", "-o", str(page_file), "--lang", lang)
    verdicts, badge, fallback_latency, primary_latency, failing = WORDS[lang]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto(page_file.as_uri(), wait_until="load")
        page.wait_for_timeout(200)  # let anything late (fonts, images) try

        assert watched.requests == [page_file.as_uri()] and watched.problems == []
        assert page.get_attribute("html", "lang") == lang
        assert verdicts in page.inner_text("header.top")
        table = page.locator("table.drills")
        assert table.is_visible() and table.bounding_box()["width"] > 600  # type: ignore[index]
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280, "the table fits the page's width"
        headers = table.locator("thead th").all_inner_texts()
        assert len(headers) == 12 and headers.index(primary_latency) == headers.index(fallback_latency) + 1
        row = table.locator('tbody tr[data-state="verified"]')
        assert row.count() == 1
        cells = row.locator("td").all_inner_texts()
        assert cells[0] == "chat" and cells[3] == badge and cells[4] == "60% (3/5)"
        assert all(re.fullmatch(r"\d+ / \d+ / \d+", cell) for cell in cells[6:8]), cells
        assert cells[8:10] == ["55 / 35", "55 / 35"]
        assert row.locator(".badge").is_visible()

        page.click("table.drills tbody a")  # the set's name leads to its failing prompts
        section = page.locator("#failing-1")
        assert section.locator("h3").inner_text() == failing
        ids = section.locator("tbody td:first-child").all_inner_texts()
        assert ids == ["capital-0", "capital-1"] and "drills/chat.jsonl" in section.inner_text()
        assert "Capital of France" not in page.inner_text("body"), "prompts are named by id, not by their text"

        shot = tmp_path / f"offramp-drills.{lang}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copy(shot, ARTIFACTS / shot.name)
    finally:
        context.close()
