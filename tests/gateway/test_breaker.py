"""Circuit states: closed, open by error rate, half-open trials, cut off by a legal refusal or by hand."""

from __future__ import annotations

import time

from click.testing import CliRunner

from offramp.gateway.breaker import Breaker, State
from offramp.gateway.commands import cutoff
from offramp.gateway.config import BreakerSettings
from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]
SETTINGS = BreakerSettings(window=10, min_requests=4, failure_rate=0.5, open_for=5)


def test_error_rate_opens_the_circuit() -> None:
    breaker = Breaker(SETTINGS)
    breaker.success(0)
    breaker.success(0)
    breaker.failure(1)
    assert breaker.state is State.CLOSED  # 1 failure in 3 outcomes: below min_requests
    breaker.failure(2)
    assert breaker.state is State.OPEN  # 2 of 4 = the 50% threshold
    assert not breaker.allows(3)


def test_old_failures_leave_the_window() -> None:
    breaker = Breaker(SETTINGS)
    for _ in range(3):
        breaker.failure(0)
    breaker.success(20)
    breaker.success(20)
    breaker.failure(20)
    assert breaker.state is State.CLOSED


def test_open_circuit_half_opens_for_one_trial_and_closes_on_success() -> None:
    breaker = Breaker(SETTINGS)
    for _ in range(4):
        breaker.failure(0)
    assert not breaker.allows(4.9)
    assert breaker.allows(5.0)
    assert breaker.state is State.HALF_OPEN
    assert not breaker.allows(5.0), "one trial at a time"
    breaker.success(5.1)
    assert breaker.state is State.CLOSED
    assert breaker.allows(5.2)


def test_failed_trial_reopens() -> None:
    breaker = Breaker(SETTINGS)
    for _ in range(4):
        breaker.failure(0)
    assert breaker.allows(6)
    breaker.failure(6.1)
    assert breaker.state is State.OPEN
    assert not breaker.allows(10)
    assert breaker.allows(11.2)


def test_manual_cut_off_lasts_until_restored() -> None:
    breaker = Breaker(SETTINGS)
    breaker.cut_off(0, cooldown=1, probe_interval=1, reason="drill", manual=True)
    assert not breaker.allows(1e9)
    breaker.probe_succeeded(5)
    assert breaker.state is State.CUT_OFF, "probes never end a decision taken by hand"
    breaker.restore()
    assert breaker.allows(5)


def _cutoff_chain(harness: Harness, **options):
    primary = harness.upstream("anthropic", "primary")
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                             target(fallback, "vllm", "qwen3-32b")], **options))
    return gw, primary, fallback


def test_legal_refusal_cuts_off_at_once_so_later_requests_skip_the_primary(harness: Harness) -> None:
    gw, primary, fallback = _cutoff_chain(harness, cutoff_cooldown=60, probe_interval=60)
    primary.mode = 451
    client = gw.openai()
    for _ in range(20):
        assert client.chat.completions.create(model="chat", messages=HELLO).model == "qwen3-32b"
    assert len(primary.requests) == 1, "only the first request pays the round trip to the cut-off primary"
    assert len(fallback.requests) == 20
    state = gw.gateway.health.snapshot()[0]
    assert (state["state"], state["manual"]) == ("cut_off", False)


def test_probes_notice_recovery_and_a_trial_closes_the_circuit(harness: Harness) -> None:
    gw, primary, _fallback = _cutoff_chain(harness, cutoff_cooldown=60, probe_interval=0.2)
    primary.mode = 451
    client = gw.anthropic()
    client.messages.create(model="chat", max_tokens=10, messages=HELLO)
    time.sleep(0.8)
    assert primary.probes >= 1, "a cut-off target is probed in the background"
    assert gw.gateway.health.snapshot()[0]["state"] == "cut_off"  # still refusing
    primary.mode = "ok"
    deadline = time.monotonic() + 3
    while gw.gateway.health.snapshot()[0]["state"] != "half_open" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gw.gateway.health.snapshot()[0]["state"] == "half_open"
    answer = client.messages.with_raw_response.create(model="chat", max_tokens=10, messages=HELLO)
    assert answer.headers["x-offramp-target"] == "anthropic:claude-sonnet-4-5"
    assert gw.gateway.health.snapshot()[0]["state"] == "closed"


def test_cutoff_command_cuts_a_provider_off_and_restores_it(harness: Harness) -> None:
    gw, primary, fallback = _cutoff_chain(harness)
    runner = CliRunner()
    result = runner.invoke(cutoff, ["anthropic", "--url", gw.url])
    assert result.exit_code == 0, result.output
    assert "anthropic: cut off (1 targets)" in result.output
    gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert primary.requests == [] and len(fallback.requests) == 1
    result = runner.invoke(cutoff, ["anthropic", "--restore", "--url", gw.url])
    assert result.exit_code == 0, result.output
    gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert len(primary.requests) == 1


def test_cutoff_command_explains_an_unreachable_gateway(harness: Harness) -> None:
    result = CliRunner().invoke(cutoff, ["anthropic", "--url", harness.closed_port_url().removesuffix("/v1")])
    assert result.exit_code != 0
    assert "is `offramp serve` running?" in result.output


def test_error_rate_opens_circuit_in_the_running_gateway(harness: Harness) -> None:
    gw, primary, _fallback = _cutoff_chain(harness, breaker={"window": 30, "min_requests": 3, "failure_rate": 0.5,
                                                            "open_for": 60})
    primary.mode = 500
    for _ in range(10):
        gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert len(primary.requests) == 3
    assert gw.gateway.health.snapshot()[0]["state"] == "open"
