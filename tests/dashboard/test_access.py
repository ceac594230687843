"""Who may read the dashboard: loopback by default; any other address only with access keys, which a browser
signs in with once and a script sends as a bearer key; keys never reach the log; every answer carries the
security headers."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser

from offramp.cli import main
from offramp.dashboard.access import Access, AccessError, is_loopback
from offramp.gateway.auth import hash_key
from tests.dashboard.conftest import Dashboard, Seeded, start_dashboard, stop

KEY = "ofr-dashboard-test-key-0123456789"


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "dashboard.example.com"])
def test_a_non_loopback_address_without_keys_is_refused(host: str) -> None:
    outcome = CliRunner().invoke(main, ["dashboard", "--host", host, "--store", "/nonexistent/store.sqlite"])
    assert outcome.exit_code == 2
    assert f"--host {host} is reachable from other machines" in outcome.output
    assert "offramp gateway-key" in outcome.output


def test_loopback_needs_no_key_and_other_addresses_need_one() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "127.0.0.2", "::1", "localhost", "0.0.0.0", "10.0.0.1")] == [
        True, True, True, True, False, False]
    assert Access([hash_key(KEY)], "0.0.0.0").required
    assert not Access([], "127.0.0.1").required
    with pytest.raises(AccessError, match="offramp gateway-key"):
        Access(["sha256:nothex"], "127.0.0.1")


@pytest.fixture(scope="module")
def guarded(seeded: Seeded) -> Iterator[Dashboard]:
    server = start_dashboard(seeded.store, "--key-hash", hash_key(KEY))
    yield server
    stop(server.process)


def test_the_api_answers_only_a_bearer_key(guarded: Dashboard) -> None:
    status, headers, body = get(f"{guarded.url}/api/summary")
    assert status == 401 and "Bearer" in json.loads(body)["error"]
    assert get(f"{guarded.url}/api/summary", {"Authorization": "Bearer wrong"})[0] == 401
    status, headers, body = get(f"{guarded.url}/api/summary", {"Authorization": f"Bearer {KEY}"})
    assert status == 200 and len(json.loads(body)["repositories"]) == 2
    assert headers["Cache-Control"] == "no-store"


def test_a_browser_signs_in_once_and_the_key_is_never_logged(browser: Browser, seeded: Seeded) -> None:
    server = start_dashboard(seeded.store, "--key-hash", hash_key(KEY))
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server.url}/?repository=x")
        assert page.url.startswith(f"{server.url}/login?next=")
        page.fill("input[name=key]", "not-the-key")
        page.click("form.login button")
        assert page.inner_text("[role=alert]") == "That key is not valid."
        page.fill("input[name=key]", KEY)
        page.click("form.login button")
        page.wait_for_load_state("load")
        assert page.url == f"{server.url}/?repository=x"
        assert page.inner_text("h1") == "Organisation exposure"
        cookie = next(c for c in context.cookies() if c["name"] == "offramp_dashboard")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and KEY not in cookie["value"]
    finally:
        context.close()
        stop(server.process)
    log = server.log()
    assert "GET /login" in log and KEY not in log


def test_every_answer_carries_the_security_headers(dashboard: Dashboard) -> None:
    for path in ("/", "/api/summary", "/login", "/nowhere"):
        _, headers, _ = get(dashboard.url + path)
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src" not in policy and "unsafe-inline" not in policy
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "no-referrer"
    assert get(dashboard.url + "/api/summary")[1]["Cache-Control"] == "no-store"


def test_a_sign_in_never_sends_anyone_elsewhere(guarded: Dashboard) -> None:
    request = urllib.request.Request(f"{guarded.url}/login", data=f"key={KEY}&next=//evil.example/".encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})

    class Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.build_opener(Stay).open(request, timeout=10)
    assert answer.value.code == 303 and answer.value.headers["Location"] == "/"


def test_a_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    outcome = subprocess.run([sys.executable, "-m", "offramp", "dashboard", "--store", str(tmp_path / "none.sqlite"),
                              "--port", "0"], capture_output=True, text=True, timeout=60)
    assert outcome.returncode == 1
    assert "no store at" in outcome.stderr and "offramp scan --record" in outcome.stderr
    assert not (tmp_path / "none.sqlite").exists()


def test_a_hostile_filter_value_comes_back_as_text(dashboard: Dashboard) -> None:
    hostile = '"><script>document.title=1</script>'
    status, _, body = get(f"{dashboard.url}/?repository={urllib.parse.quote(hostile)}")
    page = body.decode()
    assert status == 200 and "<script" not in page
    assert '<option value="&#34;&gt;&lt;script&gt;document.title=1&lt;/script&gt;" selected>' in page
    assert json.loads(get(f"{dashboard.url}/api/summary?repository={urllib.parse.quote(hostile)}")[2])[
        "filters"]["repository"] == hostile
