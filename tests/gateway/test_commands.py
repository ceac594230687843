"""The commands as users run them: `offramp serve` in its own process, `cutoff`, `exposure --live`,
`gateway-key`."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import openai
from click.testing import CliRunner

from offramp.gateway.auth import matches
from offramp.gateway.commands import cutoff, exposure, gateway_key, serve
from offramp.store import open_store
from tests.gateway.conftest import CATALOG, Harness, route_toml, target

SERVE = "from offramp.gateway.commands import serve; serve.main(prog_name='offramp serve')"


def test_serve_runs_until_sigterm_and_flushes_telemetry(harness: Harness, tmp_path: Path) -> None:
    upstream = harness.upstream("openai")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = tmp_path / "gateway.toml"
    config.write_text(f'[server]\nport = {port}\n[telemetry]\nflush_interval = 60\n'
                      + route_toml("m", [target(upstream, "vllm", "q")]) + CATALOG)
    process = subprocess.Popen([sys.executable, "-c", SERVE, "--config", str(config)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                    assert json.loads(response.read()) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stderr.read().decode()
                time.sleep(0.05)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)
        assert client.chat.completions.create(model="m", messages=[{"role": "user", "content": "hi"}]).choices
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # flush_interval is 60 s: the record is there because shutdown flushed it.
    assert [r.alias for r in open_store(tmp_path / "offramp-gateway.sqlite").recent(5)] == ["m"]


def test_serve_reports_config_errors_with_their_line(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text('[server]\nport = "eighty"\n[routes.m]\n[[routes.m.targets]]\nprovider = "vllm"\nmodel = "q"\n')
    result = CliRunner().invoke(serve, ["--config", str(config)])
    assert result.exit_code == 1
    assert f"{config}:2: server.port" in result.output


def test_gateway_key_prints_a_key_and_its_hash() -> None:
    result = CliRunner().invoke(gateway_key, [])
    lines = dict(line.split(":", 1) for line in result.output.splitlines())
    key, stored = lines["key"].split()[0], lines["hash"].strip()
    assert key.startswith("ofr-") and matches(key, stored)
    piped = CliRunner().invoke(gateway_key, ["--key", "-"], input="my-key\n")
    assert "my-key" not in piped.output and matches("my-key", piped.output.split("hash:")[1].strip())


def test_serve_refuses_a_public_host_override_without_client_keys(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text(route_toml("m", [target("http://127.0.0.1:9/v1", "vllm", "q")]) + CATALOG)
    result = CliRunner().invoke(serve, ["--config", str(config), "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "--host 0.0.0.0 is reachable from other machines: add [[keys]]" in result.output


def test_cutoff_and_live_exposure_read_a_config_without_the_providers_api_keys(harness: Harness,
                                                                                tmp_path: Path) -> None:
    """Only `serve` calls the providers: the operator's shell need not hold their keys for the others."""
    upstream = harness.upstream("anthropic")
    routes = route_toml("claude", [target(upstream, "anthropic", "claude-sonnet-4-5", key_env="OFFRAMP_TEST_KEY")])
    gw = harness.gateway(routes, env={"OFFRAMP_TEST_KEY": "sk-ant-test"})
    assert gw.anthropic().messages.create(model="claude", max_tokens=8, messages=[{"role": "user", "content": "hi"}])
    harness.flush(gw)
    port = gw.url.rsplit(":", 1)[1]
    config = tmp_path / "gateway.toml"
    config.write_text(f'[server]\nport = {port}\n[telemetry]\nstore = "telemetry.sqlite"\n' + routes + CATALOG)
    without_keys = {"OFFRAMP_TEST_KEY": None, "OFFRAMP_ADMIN_KEY": None}

    cut = CliRunner().invoke(cutoff, ["anthropic", "--config", str(config)], env=without_keys)
    assert (cut.exit_code, cut.output) == (0, "anthropic: cut off (1 targets)\n")
    live = CliRunner().invoke(exposure, ["--live", "--json", "--config", str(config)], env=without_keys)
    assert live.exit_code == 0, live.output
    assert json.loads(live.output)["requests"] == 1

    served = CliRunner().invoke(serve, ["--config", str(config)], env=without_keys)
    assert served.exit_code == 1 and "environment variable OFFRAMP_TEST_KEY is not set" in served.output
