"""Circuit states: closed, open by error rate, half-open trials, cut off by a legal refusal or by hand."""

from __future__ import annotations

import threading
import time

import openai
import pytest
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


def test_other_replicas_outcomes_count_in_the_window_but_not_in_a_run() -> None:
    breaker = Breaker(SETTINGS)
    breaker.failure(0)
    assert not breaker.merge(0, peer_successes=3, peer_failures=0), "1 failure in 4 outcomes"
    assert breaker.unshared == [0, 1], "this replica's own outcome, for the others"
    assert breaker.merge(0, peer_successes=1, peer_failures=2), "3 failures in 4 outcomes, 2 of them elsewhere"
    assert breaker.state is State.OPEN
    assert breaker.allows(5.0) and breaker.state is State.HALF_OPEN
    before = time.time()
    breaker.success(5.1)
    assert breaker.evidence_since >= before, "a closed circuit starts a fresh window: older evidence is not counted"
    breaker.failure(5.2)
    breaker.failure(5.3)
    assert breaker.state is State.CLOSED, "the peers' failures before the close are gone from the window"


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


def test_failures_in_a_row_open_the_circuit_after_healthy_traffic() -> None:
    breaker = Breaker(BreakerSettings(window=30, min_requests=5, failure_rate=0.5, consecutive_failures=3))
    for _ in range(100):
        breaker.success(0)
    breaker.failure(1)
    breaker.failure(1)
    assert breaker.state is State.CLOSED
    breaker.failure(1)
    assert breaker.state is State.OPEN, "3 in a row open it although 3 of 103 is far below the rate"


def test_a_success_breaks_the_run_of_failures() -> None:
    breaker = Breaker(BreakerSettings(window=30, min_requests=50, consecutive_failures=3))
    for _ in range(10):
        breaker.failure(0)
        breaker.failure(0)
        breaker.success(0)
    assert breaker.state is State.CLOSED


def test_answers_to_requests_sent_before_the_failures_do_not_break_the_run() -> None:
    breaker = Breaker(BreakerSettings(window=30, min_requests=50, consecutive_failures=3))
    breaker.failure(1.0, sent=0.5)
    breaker.success(1.1, sent=0.4)  # sent before the failed request: on its way when the target died
    breaker.failure(1.2, sent=0.6)
    breaker.success(1.3, sent=0.45)
    breaker.failure(1.4, sent=0.7)
    assert breaker.state is State.OPEN
    fresh = Breaker(BreakerSettings(window=30, min_requests=50, consecutive_failures=3))
    fresh.failure(1.0, sent=0.5)
    fresh.failure(1.1, sent=0.6)
    fresh.success(1.2, sent=0.7)  # sent after the failures, and answered: the target works
    fresh.failure(1.3, sent=0.8)
    assert fresh.state is State.CLOSED


def _open_then_half_open(gw, primary) -> None:
    primary.mode = 500
    for _ in range(3):
        gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert gw.gateway.health.snapshot()[0]["state"] == "open"
    primary.mode = "ok"
    time.sleep(0.35)  # open_for


@pytest.mark.parametrize("bad_request", [
    {"messages": "hello"},  # caught by validation, before routing
    {"messages": [{"role": "user", "content": [{"type": "image_url"}]}]},  # a shape only translation finds
])
def test_a_malformed_request_never_keeps_the_half_open_trial(harness: Harness, bad_request) -> None:
    gw, primary, _fallback = _cutoff_chain(harness, breaker={"open_for": 0.3})
    _open_then_half_open(gw, primary)
    with pytest.raises(openai.BadRequestError):
        gw.openai().chat.completions.create(model="chat", messages=HELLO, extra_body=bad_request)
    raw = gw.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO)
    assert raw.headers["x-offramp-target"] == "anthropic:claude-sonnet-4-5", "the next request is the trial"
    assert gw.gateway.health.snapshot()[0]["state"] == "closed"


@pytest.mark.parametrize("failure", [500, 502, 503, "refused", "hang"])
def test_a_primary_that_dies_after_healthy_traffic_is_dropped_after_n_failures(harness: Harness, failure) -> None:
    primary = harness.upstream("openai", "primary")
    fallback = harness.upstream("openai", "fallback")
    primary_target = target(primary, "openai", "gpt-4o", timeouts={"connect": 0.5, "first_byte": 0.3, "idle": 1,
                                                                    "total": 5})
    gw = harness.gateway(route_toml("chat", [primary_target, target(fallback, "vllm", "qwen3-32b")]))
    client = gw.openai()
    for _ in range(20):
        client.chat.completions.create(model="chat", messages=HELLO)
    if failure == "refused":
        harness.run(primary.stop())
    else:
        primary.mode = failure
    served_before = len(primary.requests)
    for _ in range(100):
        assert client.chat.completions.create(model="chat", messages=HELLO).model == "qwen3-32b"
    reached = len(primary.requests) - served_before
    assert reached <= (0 if failure == "refused" else 3), "N = 3 failures in a row; a refusal is evidence at once"
    assert gw.gateway.health.snapshot()[0]["state"] == "open"


def test_requests_waiting_on_a_hung_primary_move_on_when_it_is_judged_down(harness: Harness) -> None:
    primary = harness.upstream("openai", "primary")
    primary.mode = "hang"
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [
        target(primary, "openai", "gpt-4o", timeouts={"connect": 0.5, "first_byte": 1.0, "idle": 2, "total": 5}),
        target(fallback, "vllm", "qwen3-32b")]))
    waited: list[float] = []
    client = gw.openai()
    client.models.list()  # the client's connection pool is warm

    def one() -> None:
        started = time.monotonic()
        assert client.chat.completions.create(model="chat", messages=HELLO).model == "qwen3-32b"
        waited.append(time.monotonic() - started)

    clients = []
    for _ in range(8):  # arriving 0.1 s apart, all before the first timeout
        clients.append(threading.Thread(target=one))
        clients[-1].start()
        time.sleep(0.1)
    for thread in clients:
        thread.join()
    assert len(waited) == 8
    harness.flush(gw)
    chains = [r.chain for r in gw.gateway.telemetry.store.recent(8)]
    assert sum("=timeout_first_byte" in c for c in chains) == 3, chains
    # Only N = 3 waited their full first-byte timeout: the other five stopped waiting when the third timed out.
    assert sum("=abandoned" in c for c in chains) == 5, chains


def test_a_cut_off_by_hand_survives_a_restart(harness: Harness) -> None:
    gw, _, _ = _cutoff_chain(harness)
    assert CliRunner().invoke(cutoff, ["anthropic", "--url", gw.url, "--reason", "board decision"]).exit_code == 0
    restarted, primary, _ = _cutoff_chain(harness)  # a new gateway on the same telemetry store
    state = restarted.gateway.health.snapshot()[0]
    assert (state["state"], state["manual"], state["reason"]) == ("cut_off", True, "board decision")
    restarted.openai().chat.completions.create(model="chat", messages=HELLO)
    assert primary.requests == []
    assert CliRunner().invoke(cutoff, ["anthropic", "--restore", "--url", restarted.url]).exit_code == 0
    again, _, _ = _cutoff_chain(harness)
    assert again.gateway.health.snapshot()[0]["state"] == "closed"


def _concurrently(count: int, request) -> list[float]:
    """Send ``count`` requests at once from as many threads; how long each took."""
    waited: list[float] = []

    def one() -> None:
        started = time.monotonic()
        request()
        waited.append(time.monotonic() - started)

    threads = [threading.Thread(target=one) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(waited) == count, "every request was answered"
    return waited


@pytest.mark.parametrize(("mode", "stream"), [("hang", False), ("hang", True), ("stall", True)])
def test_a_primary_that_goes_silent_under_concurrent_load_is_left_before_any_timeout(
        harness: Harness, mode: str, stream: bool) -> None:
    primary = harness.upstream("openai", "primary")
    fallback = harness.upstream("openai", "fallback")
    first_byte = 3.0
    gw = harness.gateway(route_toml("chat", [
        target(primary, "openai", "gpt-4o", timeouts={"connect": 0.5, "first_byte": first_byte, "idle": 5,
                                                       "total": 10}),
        target(fallback, "vllm", "qwen3-32b")], breaker={"stall_min": 0.4}))
    client = gw.openai()
    for _ in range(10):  # the primary's usual first byte: milliseconds
        client.chat.completions.create(model="chat", messages=HELLO, stream=stream).close() if stream else \
            client.chat.completions.create(model="chat", messages=HELLO)
    primary.mode = mode

    def answered_by_the_fallback() -> None:
        if stream:
            chunks = list(client.chat.completions.create(model="chat", messages=HELLO, stream=True))
            assert {chunk.model for chunk in chunks} == {"qwen3-32b"}
        else:
            assert client.chat.completions.create(model="chat", messages=HELLO).model == "qwen3-32b"

    waited = _concurrently(12, answered_by_the_fallback)
    # All 12 stalled together (4 times the slowest first byte, at least 0.4 s, with nothing answered): the
    # circuit opened then and every one of them moved on; none waited its 3 s timeout.
    assert max(waited) < first_byte / 2, sorted(waited)
    harness.flush(gw)
    chains = [r.chain for r in gw.gateway.telemetry.store.recent(12)]
    assert sum("=abandoned" in c for c in chains) == 12, chains
    reached = len(primary.requests)
    answered_by_the_fallback()
    assert len(primary.requests) == reached, "later requests skip the silent primary"
    assert gw.gateway.health.snapshot()[0]["state"] == "open"


def test_requests_waiting_alone_on_a_hung_primary_open_it_after_n_minus_one_timeouts(harness: Harness) -> None:
    """One client at a time: the first two wait their timeout; the third counts them and moves on early."""
    primary = harness.upstream("openai", "primary")
    fallback = harness.upstream("openai", "fallback")
    first_byte = 1.5
    gw = harness.gateway(route_toml("chat", [
        target(primary, "openai", "gpt-4o", timeouts={"connect": 0.5, "first_byte": first_byte, "idle": 5,
                                                       "total": 10}),
        target(fallback, "vllm", "qwen3-32b")], breaker={"stall_min": 0.3}))
    client = gw.openai()
    for _ in range(10):
        client.chat.completions.create(model="chat", messages=HELLO)
    primary.mode = "hang"
    waited = []
    for _ in range(4):
        started = time.monotonic()
        assert client.chat.completions.create(model="chat", messages=HELLO).model == "qwen3-32b"
        waited.append(time.monotonic() - started)
    assert [w >= first_byte for w in waited] == [True, True, False, False], waited
    assert waited[2] < first_byte / 2 and waited[3] < 0.3, waited  # the fourth never reached the primary


def test_a_slow_answer_is_not_a_stall_while_the_target_keeps_answering_others(harness: Harness) -> None:
    primary = harness.upstream("openai", "primary")
    primary.slow = {"write a long essay": 1.2}
    fallback = harness.upstream("openai", "fallback")
    gw = harness.gateway(route_toml("chat", [
        target(primary, "openai", "gpt-4o", timeouts={"connect": 0.5, "first_byte": 3, "idle": 5, "total": 10}),
        target(fallback, "vllm", "qwen3-32b")], breaker={"stall_min": 0.3}))
    client = gw.openai()
    for _ in range(10):
        client.chat.completions.create(model="chat", messages=HELLO)
    done = threading.Event()

    def steady_traffic() -> None:
        while not done.is_set():
            assert client.chat.completions.create(model="chat", messages=HELLO).model == "gpt-4o"
            time.sleep(0.05)

    background = threading.Thread(target=steady_traffic)
    background.start()
    try:
        essays = [{"role": "user", "content": "write a long essay"}]
        waited = _concurrently(4, lambda: client.chat.completions.create(model="chat", messages=essays).model
                               == "gpt-4o" or pytest.fail("a slow answer was abandoned"))
    finally:
        done.set()
        background.join()
    assert min(waited) >= 1.2, "the primary wrote every essay"
    assert gw.gateway.health.snapshot()[0]["state"] == "closed"
