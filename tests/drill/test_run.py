"""`offramp drill run` end to end: a real gateway, its cut-off switch, real upstreams on 127.0.0.1."""

from __future__ import annotations

import subprocess

from offramp.gateway.auth import hash_key
from offramp.gateway.commands import ADMIN_KEY_ENV
from offramp.store import open_drill_store
from tests.drill.conftest import Project, prompt_lines


def test_a_drill_cuts_the_primary_off_and_stores_a_passed_verdict(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(4, expected_regex="fake upstream"))

    done = project.drill("run")

    assert done.returncode == 0, done.stdout + done.stderr
    assert "chat via route claude: PASSED 100% (4/4" in done.stdout
    assert primary.requests == [], "the cut-off switch kept every prompt away from the at-risk primary"
    assert sorted(r["messages"][0]["content"] for r in fallback.requests) == [f"question {i}" for i in range(4)]
    store = open_drill_store(project.history)
    [run] = store.runs()
    assert (run.status, run.passed, run.prompts, run.route) == ("passed", 4, 4, "claude")
    assert run.cut_off == ("anthropic",) and run.fallbacks == ("vllm:qwen3",)
    assert run.paths == ("src/chat.py",) and len(run.set_hash) == 64 and run.catalog_version.startswith("0.")
    assert run.input_tokens == 4 * 11 and run.output_tokens == 4 * 7 and run.latency_ms["p50"] > 0
    results = store.results(run.id)
    assert {r.served_by for r in results.values()} == {"vllm:qwen3"}
    assert all({s["scorer"] for s in r.scores} == {"refusal", "regex"} for r in results.values())


def test_a_drill_whose_answers_miss_fails_and_exits_1(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(3, expected="Paris"))

    done = project.drill("run")

    assert done.returncode == 1, done.stdout + done.stderr
    assert "chat via route claude: FAILED 0% (0/3" in done.stdout
    [run] = open_drill_store(project.history).runs()
    assert run.status == "failed" and run.pass_rate == 0


def test_a_route_without_a_fallback_fails_every_prompt(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    project.standard(primary, project.harness.closed_port_url(), prompt_lines(2))

    done = project.drill("run")

    assert done.returncode == 1
    store = open_drill_store(project.history)
    [run] = store.runs()
    assert {r.state for r in store.results(run.id).values()} == {"error"}
    assert primary.requests == []


def _running_gateway(project: Project, primary, fallback):
    """`offramp serve` already running with the project's routes, its admin endpoint behind a key."""
    admin = f'[server]\nadmin_key_hash = "{hash_key("drill-admin-key")}"'
    return project.harness.gateway(project.routes(primary, fallback), extra=admin)


def test_a_drill_of_a_running_gateway_uses_its_switch_and_gives_it_back(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(3, expected_regex="fake upstream"))
    running = _running_gateway(project, primary, fallback)

    done = subprocess.run(project.command("drill", "run", "--url", running.url, str(project.root)),
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**project.env(), ADMIN_KEY_ENV: "drill-admin-key"})

    assert done.returncode == 0, done.stdout + done.stderr
    assert "chat via route claude: PASSED 100% (3/3" in done.stdout
    assert primary.requests == [] and len(fallback.requests) == 3
    project.harness.flush(running)
    served = [r.target for r in running.gateway.telemetry.store.recent(10)]
    assert served == ["vllm:qwen3"] * 3, "the prompts went through the running gateway, not one of the drill's own"
    [claude] = [t for t in running.gateway.health.snapshot() if t["provider"] == "anthropic"]
    assert (claude["state"], claude["manual"]) == ("closed", False), "the drill restored what it cut off"
    assert running.gateway.telemetry.store.cutoffs() == {}


def test_a_running_gateway_that_refuses_the_admin_key_stops_the_drill_before_any_prompt(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(2))
    running = _running_gateway(project, primary, fallback)

    done = subprocess.run(project.command("drill", "run", "--url", running.url, str(project.root)),
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**project.env(), ADMIN_KEY_ENV: "not-the-key"})

    assert done.returncode == 3, done.stdout + done.stderr
    assert f"set {ADMIN_KEY_ENV} to its admin key" in done.stderr
    assert primary.requests == [] and fallback.requests == [], "nothing is sent before the cut-off holds"
