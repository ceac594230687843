"""The commands as users run them: `offramp serve` in its own process, `offramp gateway-key`."""

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
from offramp.gateway.commands import gateway_key, serve
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
