"""The drill also asks the route's primary (directly, past the cut-off) and scores the fallback against it.

Primaries and fallbacks are real HTTP servers on 127.0.0.1 (the gateway tests' fake model servers), a primary
that is down is a closed port.
"""

from __future__ import annotations

import json
import subprocess
import time
from collections import Counter

import pytest

from offramp.gateway.commands import ADMIN_KEY_ENV
from offramp.store import open_drill_store
from tests.drill.conftest import Project, SlowUpstream, last_text, prompt_lines
from tests.gateway.conftest import route_toml, target

KEY_ENV = "DRILL_TEST_PRIMARY_KEY"
KEY = "sk-primary-test"
CITY = ['{"city": "Taipei"}']


def setup(project: Project, primary: SlowUpstream | str, fallback: SlowUpstream, prompts: str, *, key: bool = True,
          policy_extra: str = "") -> None:
    """Route 'claude': Anthropic first (with an API key from the environment when ``key``), then a vLLM."""
    first = target(primary, "anthropic", "claude-sonnet-4-5", api="anthropic",
                   **({"key_env": KEY_ENV} if key else {}))
    routes = route_toml("claude", [first, target(fallback, "vllm", "qwen3", api="openai")])
    policy = (f"[drill]\nconcurrency = 1\n{policy_extra}\n"
              '[drill.sets.chat]\nprompts = "drills/chat.jsonl"\nroute = "claude"\npaths = ["src/chat.py"]\n')
    project.write(routes, policy, {"drills/chat.jsonl": prompts})


def drill(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """`offramp drill run` with the primary's key in the environment; its output with the lines unwrapped."""
    done = subprocess.run(project.command("drill", "run", *args, str(project.root)), capture_output=True, text=True,
                          env={**project.env(), KEY_ENV: KEY, ADMIN_KEY_ENV: "not-for-the-primary"}, timeout=120,
                          check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, " ".join(done.stdout.split()),
                                       " ".join(done.stderr.split()))


def test_a_reachable_primary_is_asked_each_prompt_and_the_fallback_is_scored_against_its_answer(
        project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    primary.words = CITY
    fallback = project.upstream("openai", "qwen3")
    fallback.words = ['{"city": "Tainan"}']
    setup(project, primary, fallback, prompt_lines(3))

    done = drill(project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "compared with the primary anthropic:claude-sonnet-4-5" in done.stderr
    # Asked directly in its own wire format with its own key, never with the gateway's admin key.
    assert sorted(last_text(r) for r in primary.requests) == [f"question {i}" for i in range(3)]
    assert {r["model"] for r in primary.requests} == {"claude-sonnet-4-5"}
    assert {h.get("x-api-key") for h in primary.headers} == {KEY}
    assert not any("not-for-the-primary" in json.dumps(h) for h in primary.headers)
    store = open_drill_store(project.history)
    [run] = store.runs()
    results = store.results(run.id)
    assert {r.served_by for r in results.values()} == {"vllm:qwen3"}, "the fallback answered: the cut-off held"
    for result in results.values():
        assert result.primary is not None and result.primary.state == "answered"
        assert result.primary.answer == CITY[0] and result.primary.output_tokens == 7
        [agrees] = [s for s in result.scores if s["scorer"] == "primary_json"]
        assert agrees["passed"] and "city" in agrees["detail"]
    side = run.primary
    assert side is not None and (side.target, side.answered, side.errors) == ("anthropic:claude-sonnet-4-5", 3, 0)
    assert (side.input_tokens, side.output_tokens) == (3 * 11, 3 * 7) and side.latency_ms["p95"] > 0
    assert "primary anthropic:claude-sonnet-4-5 (compared: 3 of 3 answered)" in done.stdout


def test_a_fallback_that_disagrees_with_the_primary_fails_the_prompt(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    primary.words = CITY
    fallback = project.upstream("openai", "qwen3")  # answers prose where the primary answered JSON
    setup(project, primary, fallback, prompt_lines(2))

    done = drill(project)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "chat via route claude: FAILED 0% (0/2" in done.stdout
    store = open_drill_store(project.history)
    [run] = store.runs()
    for result in store.results(run.id).values():
        failed = [s for s in result.scores if not s["passed"]]
        assert [s["scorer"] for s in failed] == ["primary_json"]
        assert failed[0]["detail"].startswith("the primary answered JSON, the answer is not valid JSON")


def test_comparing_with_the_primary_is_counted_in_the_request_budget(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    primary.words = CITY
    fallback = project.upstream("openai", "qwen3")
    fallback.words = CITY
    setup(project, primary, fallback, prompt_lines(3))

    stopped = drill(project, "--max-requests", "5")

    assert stopped.returncode == 3, stopped.stdout + stopped.stderr
    assert "budget reached: 5 requests" in stopped.stdout
    assert len(fallback.requests) == 2 and len(primary.requests) == 2, "two requests a prompt: two prompts fit in 5"

    unmetered = drill(project, "--max-requests", "1", "--compare-with-primary", "off")

    assert unmetered.returncode == 0, unmetered.stdout + unmetered.stderr
    assert len(fallback.requests) == 3 and len(primary.requests) == 2, "off: the last prompt cost one request"
    [run] = open_drill_store(project.history).runs()
    assert run.primary is not None and run.primary.answered == 2


def test_auto_does_not_ask_a_primary_without_an_api_key(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    setup(project, primary, fallback, prompt_lines(2), key=False)

    done = drill(project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "gives it no API key" in done.stderr
    assert primary.requests == [] and primary.probes == 0, "not even its models listing"
    [run] = open_drill_store(project.history).runs()
    assert run.primary is None


@pytest.mark.parametrize(("mode", "code"), [("auto", 0), ("on", 3)])
def test_an_unreachable_primary_is_skipped_by_auto_and_stops_on_before_any_prompt(project: Project, mode: str,
                                                                                   code: int) -> None:
    fallback = project.upstream("openai", "qwen3")
    setup(project, project.harness.closed_port_url(), fallback, prompt_lines(2))

    done = drill(project, "--compare-with-primary", mode)

    assert done.returncode == code, done.stdout + done.stderr
    assert "did not answer a models listing" in done.stdout + done.stderr
    store = open_drill_store(project.history)
    if mode == "on":
        assert fallback.requests == [] and store.runs(finished_only=False) == []
    else:
        [run] = store.runs()
        assert len(fallback.requests) == 2 and run.primary is None


def test_the_policy_can_switch_the_comparison_off(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    setup(project, primary, fallback, prompt_lines(2), policy_extra='compare_with_primary = "off"')

    done = drill(project)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "compare_with_primary is off" in done.stderr and primary.requests == []


def test_a_killed_drill_resumes_without_asking_either_side_twice(project: Project) -> None:
    primary = project.upstream("anthropic", "claude", delay=0.6)
    primary.words = CITY
    fallback = project.upstream("openai", "qwen3", delay=0.6)
    fallback.words = CITY
    setup(project, primary, fallback, prompt_lines(4), policy_extra="threshold = 0.5")
    first = subprocess.Popen(project.command("drill", "run", str(project.root)), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env={**project.env(), KEY_ENV: KEY})
    deadline = time.monotonic() + 60
    while len(fallback.arrived) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.kill()  # the second prompt is on its way to both sides
    first.wait(30)
    asked_before = Counter(primary.arrived)

    second = drill(project)

    assert second.returncode == 0, second.stdout + second.stderr
    every_once = Counter({f"question {i}": 1 for i in range(4)})
    assert Counter(fallback.arrived) == every_once and Counter(primary.arrived) == every_once
    assert asked_before == Counter({"question 0": 1, "question 1": 1})
    store = open_drill_store(project.history)
    [run] = store.runs()
    states = {pid: (r.state, r.primary.state if r.primary else None) for pid, r in store.results(run.id).items()}
    assert states == {"p0": ("answered", "answered"), "p1": ("lost", None), "p2": ("answered", "answered"),
                      "p3": ("answered", "answered")}
    assert run.primary is not None and run.primary.answered == 3
