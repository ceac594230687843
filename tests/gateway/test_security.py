"""Safe by default: loopback bind, hashed client keys, no open proxy, size and concurrency limits, secrets."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
import urllib.request
from pathlib import Path

import anthropic
import openai
import pytest

from offramp.gateway.auth import hash_key, matches
from offramp.gateway.config import ConfigError, parse_config
from tests.gateway.conftest import CATALOG, Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]
SECRET = "sk-ant-test-5ecret-value-0123456789"


def test_binds_loopback_by_default(tmp_path: Path) -> None:
    config = parse_config(route_toml("m", [target("http://127.0.0.1:9/v1", "vllm", "q")]) + CATALOG,
                          "g.toml", {}, tmp_path)
    assert config.server.host == "127.0.0.1"


def test_binding_beyond_loopback_requires_client_keys(tmp_path: Path) -> None:
    text = '[server]\nhost = "0.0.0.0"\n' + route_toml("m", [target("http://127.0.0.1:9/v1", "vllm", "q")]) + CATALOG
    with pytest.raises(ConfigError, match=r"g.toml:2: .*no \[\[keys\]\] are configured"):
        parse_config(text, "g.toml", {}, tmp_path)
    keyed = text + f'[[keys]]\nname = "web"\nhash = "{hash_key("k")}"\n'
    assert parse_config(keyed, "g.toml", {}, tmp_path).server.host == "0.0.0.0"


def test_keys_are_stored_salted_and_hashed() -> None:
    first, second = hash_key("same-key"), hash_key("same-key")
    assert first != second, "a per-key salt: equal keys give different hashes"
    assert "same-key" not in first
    assert matches("same-key", first) and matches("same-key", second) and not matches("other", first)


def test_client_keys_are_required_when_configured(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]),
                         f'[[keys]]\nname = "web"\nhash = "{hash_key("right-key")}"\n')
    with pytest.raises(openai.AuthenticationError):
        gw.openai("wrong-key").chat.completions.create(model="m", messages=HELLO)
    with pytest.raises(anthropic.AuthenticationError):
        gw.anthropic("wrong-key").messages.create(model="m", max_tokens=5, messages=HELLO)
    assert upstream.requests == []
    assert gw.openai("right-key").chat.completions.create(model="m", messages=HELLO).choices
    assert gw.anthropic("right-key").messages.create(model="m", max_tokens=5, messages=HELLO).content
    assert "right-key" not in str(upstream.headers), "the client's key is never passed upstream"


def test_no_open_proxy_the_client_cannot_choose_where_requests_go(harness: Harness) -> None:
    configured = harness.upstream("openai", "configured")
    elsewhere = harness.upstream("openai", "elsewhere")
    gw = harness.gateway(route_toml("m", [target(configured, "vllm", "q")]))
    client = gw.openai()
    client.chat.completions.create(model="m", messages=HELLO, extra_body={"base_url": elsewhere.base_url},
                                   extra_headers={"Host": f"127.0.0.1:{elsewhere.port}",
                                                  "X-Forwarded-Host": f"127.0.0.1:{elsewhere.port}"})
    with pytest.raises(openai.NotFoundError):
        client.chat.completions.create(model=f"{elsewhere.base_url}/q", messages=HELLO)
    assert elsewhere.requests == [] and len(configured.requests) == 1


def test_request_size_limit(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), "[server]\nmax_request_bytes = 2048\n")
    with pytest.raises(anthropic.APIStatusError) as raised:
        gw.anthropic().messages.create(model="m", max_tokens=5, messages=[{"role": "user", "content": "x" * 5000}])
    assert raised.value.status_code == 413
    assert "max_request_bytes" in str(raised.value)
    assert upstream.requests == []


def test_concurrency_limit(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    upstream.mode = "hang"
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q", timeouts={
        "connect": 1, "first_byte": 1.5, "idle": 1.5, "total": 3})]), "[server]\nmax_concurrent = 1\n")
    outcome: list[int] = []

    def occupy() -> None:
        try:
            gw.openai().chat.completions.create(model="m", messages=HELLO)
        except openai.APIStatusError as exc:
            outcome.append(exc.status_code)

    hanging = threading.Thread(target=occupy)
    hanging.start()
    while not upstream.requests:
        threading.Event().wait(0.01)
    with pytest.raises(openai.RateLimitError, match="max_concurrent"):
        gw.openai().chat.completions.create(model="m", messages=HELLO)
    hanging.join()
    assert outcome == [503], "the occupying request timed out upstream and got the gateway's 503"


def test_upstream_keys_are_never_logged_or_echoed(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("m", [target(primary, "anthropic", "claude", key_env="ANTHROPIC_KEY_TEST"),
                                          target(fallback, "vllm", "q")]), env={"ANTHROPIC_KEY_TEST": SECRET})
    assert primary.requests == []
    gw.anthropic().messages.create(model="m", max_tokens=5, messages=HELLO)
    assert primary.headers[0]["x-api-key"] == SECRET, "the key goes to its own target"
    primary.mode = "bad_request"
    seen: list[str] = []
    with pytest.raises(anthropic.BadRequestError) as raised:
        gw.anthropic().messages.create(model="m", max_tokens=5, messages=HELLO)
    seen.append(str(raised.value.body))
    primary.mode = 451
    raw = gw.openai().chat.completions.with_raw_response.create(model="m", messages=HELLO)
    seen += [raw.text, str(raw.headers), _metrics(gw.url), str(gw.gateway.health.snapshot()),
             repr(gw.gateway.config), caplog.text]
    harness.flush(gw)
    seen.append(str(gw.gateway.telemetry.store.recent(10)))
    assert not [text for text in seen if SECRET in text]
    assert "x-api-key" not in str(fallback.headers), "no target receives another target's key"


def test_rejected_upstream_error_is_redacted(harness: Harness) -> None:
    primary = harness.upstream("openai", "primary")

    async def echo_key(request):
        from aiohttp import web
        return web.json_response({"error": {"message": f"Incorrect parameter for key {SECRET}", "type": "x"}},
                                 status=400)

    primary.chat = echo_key  # type: ignore[method-assign]
    harness.run(primary.stop())
    harness.run(primary.start())
    gw = harness.gateway(route_toml("m", [target(primary, "openai", "gpt-4o", key_env="OPENAI_KEY_TEST")]),
                         env={"OPENAI_KEY_TEST": SECRET})
    with pytest.raises(openai.BadRequestError) as raised:
        gw.openai().chat.completions.create(model="m", messages=HELLO)
    assert SECRET not in str(raised.value.body) and "[redacted]" in str(raised.value.body)


def test_missing_upstream_key_is_a_clear_startup_error(tmp_path: Path) -> None:
    text = route_toml("m", [target("http://127.0.0.1:9/v1", "vllm", "q", key_env="NOT_SET_ANYWHERE")]) + CATALOG
    with pytest.raises(ConfigError, match="NOT_SET_ANYWHERE is not set"):
        parse_config(text, "g.toml", {}, tmp_path)


def _metrics(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(f"{url}/metrics", timeout=5) as response:
        return response.read().decode()


def _admin(url: str, method: str = "GET", key: str | None = None) -> int:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_admin_endpoints_need_the_admin_key_off_loopback(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    public = f'[server]\nhost = "0.0.0.0"\n[[keys]]\nname = "web"\nhash = "{hash_key("client")}"\n'
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]),
                         public.replace("[[keys]]", f'admin_key_hash = "{hash_key("admin")}"\n[[keys]]'))
    assert _admin(f"{gw.url}/admin/state") == 401
    assert _admin(f"{gw.url}/admin/state", key="client") == 401, "a client key is not an admin key"
    assert _admin(f"{gw.url}/metrics") == 401
    assert _admin(f"{gw.url}/admin/cutoff/vllm", "POST") == 401
    assert gw.gateway.health.snapshot()[0]["state"] == "closed"
    assert _admin(f"{gw.url}/admin/cutoff/vllm", "POST", key="admin") == 200
    assert gw.gateway.health.snapshot()[0]["state"] == "cut_off"
    assert _admin(f"{gw.url}/metrics", key="admin") == 200

    without_admin_key = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), public)
    assert _admin(f"{without_admin_key.url}/admin/state", key="client") == 403


def _raw(gw, data: bytes) -> socket.socket:
    """A client that sends exactly ``data`` and then nothing (a slow or stuck client)."""
    host, port = gw.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=3)
    sock.sendall(data)
    return sock


def _answer(sock: socket.socket) -> bytes:
    with contextlib.suppress(ConnectionResetError):
        return sock.recv(65536)
    return b""


def test_an_oversized_content_length_is_refused_at_once(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), "[server]\nmax_request_bytes = 2048\n")
    started = time.monotonic()
    sock = _raw(gw, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 1000000000\r\n\r\n{")
    assert _answer(sock).startswith(b"HTTP/1.1 413")
    assert time.monotonic() - started < 1, "refused without waiting for the body"
    sock.close()


def test_slow_uploads_hold_no_concurrency_slot_and_time_out(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]),
                         "[server]\nmax_concurrent = 1\nbody_timeout = 0.6\n")
    slow = [_raw(gw, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"model\"") for _ in range(4)]
    assert gw.openai().chat.completions.create(model="m", messages=HELLO).choices, "no 429: uploads hold no slot"
    for sock in slow:
        assert _answer(sock).startswith(b"HTTP/1.1 408"), "the upload that never finishes gets a 408"
        sock.close()


def test_a_client_that_never_finishes_its_headers_is_disconnected(harness: Harness) -> None:
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]), "[server]\nheader_timeout = 0.5\n")
    started = time.monotonic()
    sock = _raw(gw, b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n")
    assert _answer(sock) == b""
    assert time.monotonic() - started < 2.5
    sock.close()


def test_admin_cutoff_refuses_unknown_or_malformed_provider_names_without_logging_them(
        harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    upstream = harness.upstream("openai")
    gw = harness.gateway(route_toml("m", [target(upstream, "vllm", "q")]))
    assert _admin(f"{gw.url}/admin/cutoff/vllm%0A2026-12-06%20WARNING%20forged", "POST") == 400
    assert _admin(f"{gw.url}/admin/cutoff/openai", "POST") == 404, "no route uses it"
    assert _admin(f"{gw.url}/admin/cutoff/openai", "DELETE") == 404
    def gateway_log() -> list[str]:
        return [record.getMessage() for record in caplog.records if record.name.startswith("offramp")]

    assert not [line for line in gateway_log() if "forged" in line or "openai" in line]
    request = urllib.request.Request(f"{gw.url}/admin/cutoff/vllm", method="POST",
                                     data=json.dumps({"reason": "drill\nWARNING forged line"}).encode())
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200
    logged = gateway_log()
    assert len(logged) == 1 and "\n" not in logged[0], "one event, one log line"
