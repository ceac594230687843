"""The dashboard in a real headless Chromium (Debian's, as the HTML report's tests), served by `offramp dashboard`
from a store seeded with real scans, drill runs and telemetry.

What a reader sees must equal what the store holds and what /api/summary says; a filter is a shareable link
that narrows the page; hostile file names stay text; the page loads nothing from anywhere else.
"""

from __future__ import annotations

import json
import shutil
import struct
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page

from offramp.store.history import History
from tests.browser import Watched
from tests.dashboard.conftest import BILLING_REMOTE, HOSTILE, SUPPORT_REMOTE, Dashboard, Seeded, start_dashboard, stop

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture
def page(browser: Browser) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    yield Watched(context.new_page())
    context.close()


def engine_dashboard(request: pytest.FixtureRequest, engine: str) -> tuple[Dashboard, Seeded]:
    """The dashboard and its store on SQLite or on PostgreSQL."""
    suffix = "" if engine == "sqlite" else "_postgres"
    return request.getfixturevalue(f"dashboard{suffix}"), request.getfixturevalue(f"seeded{suffix}")


def api(dashboard: Dashboard, query: str = "") -> dict[str, Any]:
    with urllib.request.urlopen(f"{dashboard.url}/api/summary{query}", timeout=10) as response:
        return json.loads(response.read())


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def latest_scans(seeded: Seeded) -> dict[str, Any]:
    """Each repository's latest scan, read from the store itself."""
    with History(seeded.store) as history:
        return {scan.repository: scan for scan in history.scans()}


def cards(page: Page) -> dict[str, str]:
    return {key: page.inner_text(f'.cards [data-number="{key}"]')
            for key in ("exposure_48h", "exposure_no_fallback", "critical_paths", "repositories")}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_numbers_shown_equal_the_store_and_the_api(page: Watched, engine: str,
                                                       request: pytest.FixtureRequest) -> None:
    dashboard, seeded = engine_dashboard(request, engine)
    page.page.goto(dashboard.url + "/", wait_until="load")
    latest = latest_scans(seeded)
    critical = sum(scan.critical_paths for scan in latest.values())
    exposed_48h = sum(scan.exposed_48h for scan in latest.values())
    exposed = sum(scan.exposed_no_fallback for scan in latest.values())
    summary = api(dashboard)
    assert cards(page.page) == {"exposure_48h": percent(exposed_48h / critical),
                                "exposure_no_fallback": percent(exposed / critical),
                                "critical_paths": str(critical), "repositories": "2"}
    assert cards(page.page)["exposure_48h"] == percent(summary["totals"]["exposure_48h"])
    rows = page.page.locator("#repositories tbody tr")
    assert sorted(rows.evaluate_all("rows => rows.map(r => r.dataset.name)")) == sorted(latest)
    for repository, scan in latest.items():
        row = page.page.locator(f"#repositories tbody tr[data-name={json.dumps(repository)}]")
        assert row.locator('[data-number="exposure_48h"]').inner_text() == percent(scan.exposure_48h)
        assert row.locator('[data-number="critical_paths"]').inner_text() == str(scan.critical_paths)
    # the most exposed paths: every exposed path of the latest scans, the worst first
    assert page.page.locator("#paths tbody tr").count() == len(summary["paths"]) == exposed
    levels = [p["exposure_level"] for p in summary["paths"]]
    assert levels == sorted(levels, reverse=True) and levels[0] == 2
    # per provider and per jurisdiction: the store's groups of the latest scans' paths
    with History(seeded.store) as history:
        for table, field in (("providers", "provider"), ("jurisdictions", "jurisdiction")):
            groups = history.exposure_by(field)
            assert {g.key or "" for g in groups} == set(
                page.page.locator(f"#{table} tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)"))
            for group in groups:
                row = page.page.locator(f"#{table} tbody tr[data-name={json.dumps(group.key or '')}]")
                assert row.locator('[data-number="exposure_48h"]').inner_text() == percent(group.exposure_48h)
                assert row.locator('[data-number="critical_paths"]').inner_text() == str(group.critical_paths)
    assert "openai" in {g["name"] for g in summary["providers"]}
    # drills: the latest run of each set (support-answers failed once, then passed)
    verdicts = {r["set"]: (r["status"], percent(r["pass_rate"])) for r in summary["drills"]}
    assert verdicts == {"support-answers": ("passed", "90.0%"), "billing-invoices": ("failed", "60.0%")}
    for name, (status, rate) in verdicts.items():
        row = page.page.locator(f'#drills tbody tr[data-name="{name}"]')
        assert row.locator(".badge").inner_text() == status
        assert row.locator('[data-number="pass_rate"]').inner_text() == rate
    # the gateways: requests seeded 10-30 min ago (hour), 5-7 h ago (day), three days ago (neither)
    live = {w: {k: page.page.inner_text(f'#live tr[data-name="{w}"] [data-number="{k}"]')
                for k in ("requests", "exposed_requests", "tokens", "exposed_tokens", "exposure_by_count")}
            for w in ("hour", "day")}
    assert live == {"hour": {"requests": "3", "exposed_requests": "2", "tokens": "220", "exposed_tokens": "150",
                             "exposure_by_count": "66.7%"},
                    "day": {"requests": "5", "exposed_requests": "3", "tokens": "1230", "exposed_tokens": "1150",
                            "exposure_by_count": "60.0%"}}
    assert summary["live"]["day"]["exposed_tokens"] == 1150
    assert page.problems == []
    assert all(url.startswith(dashboard.url) for url in page.requests)


def test_the_trend_spans_the_days_scans_were_recorded(page: Watched, dashboard: Dashboard) -> None:
    summary = api(dashboard)
    assert [p["repositories"] for p in summary["trend"]] == [1, 2]  # three days ago one repository, today both
    assert summary["trend"][-1]["exposure_48h"] == summary["totals"]["exposure_48h"]
    page.page.goto(dashboard.url + "/", wait_until="load")
    dots = page.page.locator("svg.chart circle.exposure_48h title").evaluate_all("titles => titles.map(t => t.textContent)")
    assert [dot.rsplit(": ", 1)[1] for dot in dots] == [percent(p["exposure_48h"]) for p in summary["trend"]]


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_filter_narrows_the_page_and_is_a_link(page: Watched, engine: str, request: pytest.FixtureRequest) -> None:
    dashboard, seeded = engine_dashboard(request, engine)
    page.page.goto(dashboard.url + "/", wait_until="load")
    page.page.select_option("#filter-repository", SUPPORT_REMOTE)
    page.page.click("form.filters button[type=submit]")
    page.page.wait_for_load_state("load")
    assert parse_qs(urlsplit(page.page.url).query) == {"repository": [SUPPORT_REMOTE]}
    support = latest_scans(seeded)[SUPPORT_REMOTE]
    filtered = api(dashboard, f"?repository={quote(SUPPORT_REMOTE, safe='')}")
    assert cards(page.page) == {"exposure_48h": percent(support.exposure_48h),
                                "exposure_no_fallback": percent(support.exposure_no_fallback),
                                "critical_paths": str(support.critical_paths), "repositories": "1"}
    assert filtered["totals"]["exposure_48h"] == support.exposure_48h
    shown = set(page.page.locator("#paths tbody tr td:nth-child(3)").all_inner_texts())
    assert shown == {SUPPORT_REMOTE}
    assert len(filtered["paths"]) == support.exposed_no_fallback
    # a provider filter narrows the paths, the groups and the gateways' traffic to that provider
    page.page.goto(f"{dashboard.url}/?provider=openai", wait_until="load")
    with History(seeded.store) as history:
        openai = [p for p in history.top_paths(50, provider="openai") if p.exposure_level]
    assert page.page.locator("#paths tbody tr td:nth-child(5)").all_inner_texts() == ["openai"] * len(openai)
    assert len(openai) < len(api(dashboard)["paths"])
    assert page.page.locator("#providers tbody tr").evaluate_all("rows => rows.map(r => r.dataset.name)") == ["openai"]
    page.page.goto(f"{dashboard.url}/?provider=vllm", wait_until="load")
    assert page.page.inner_text('#live tr[data-name="day"] [data-number="requests"]') == "2"
    assert page.page.inner_text('#live tr[data-name="day"] [data-number="exposed_requests"]') == "0"


def test_paths_link_to_their_line_at_the_scanned_commit(page: Watched, dashboard: Dashboard, seeded: Seeded) -> None:
    page.page.goto(dashboard.url + "/", wait_until="load")
    commit = seeded.commits[SUPPORT_REMOTE]
    link = page.page.locator("#paths a", has_text="acme_support/assistant.py:2")
    assert link.get_attribute("href") == f"https://github.com/acme/support/blob/{commit}/acme_support/assistant.py#L2"
    billing = seeded.commits[BILLING_REMOTE]
    assert page.page.locator("#paths a", has_text="app/invoice.py:2").get_attribute("href") == (
        f"https://gitlab.com/acme/billing/blob/{billing}/app/invoice.py#L2")


def test_a_hostile_file_name_is_shown_as_text(page: Watched, dashboard: Dashboard, seeded: Seeded) -> None:
    page.page.goto(dashboard.url + "/", wait_until="load")
    location = page.page.locator("#paths td.location", has_text="onerror")
    assert location.inner_text() == f"app/{HOSTILE}:2"
    assert location.locator("a").get_attribute("href") == (
        f"https://gitlab.com/acme/billing/blob/{seeded.commits[BILLING_REMOTE]}/app/{quote(HOSTILE)}#L2")
    assert page.page.locator("main img").count() == 0
    assert page.page.title() != "1"
    assert page.problems == []


def screenshot(page: Page, shot: Path) -> None:
    """A full-page PNG in the test's tmp dir, copied to tests/dashboard/artifacts/ (ignored by git) to look at."""
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height >= 1200) == (1280, True) and len(data) > 50_000
    shutil.copy(shot, ARTIFACTS / shot.name)


def test_screenshot(page: Watched, dashboard: Dashboard, tmp_path: Path) -> None:
    page.page.goto(dashboard.url + "/", wait_until="load")
    screenshot(page.page, tmp_path / "offramp-dashboard.png")


def test_the_zh_tw_page_says_its_labels_in_chinese(page: Watched, seeded: Seeded, tmp_path: Path) -> None:
    server = start_dashboard(seeded.store, "--lang", "zh-TW")
    try:
        page.page.goto(server.url + "/", wait_until="load")
        assert page.page.get_attribute("html", "lang") == "zh-TW"
        headings = page.page.locator("h1, h2:visible, .card-label, th").all_inner_texts()
        english = [text for text in headings if any("a" <= c.lower() <= "z" for c in text)]
        assert english == [], english
        assert "曝險" in page.page.inner_text(".cards")
        screenshot(page.page, tmp_path / "offramp-dashboard.zh-TW.png")
    finally:
        stop(server.process)
