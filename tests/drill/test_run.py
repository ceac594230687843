"""`offramp drill run` end to end: a real gateway, its cut-off switch, real upstreams on 127.0.0.1."""

from __future__ import annotations

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
