"""A full drill against a real self-hosted open-weight model (SmolLM2-135M-Instruct on llama.cpp's server).

The model is tiny: these tests prove the mechanics (the cut-off held, the fallback answered, every answer was
scored, the verdict was stored and changed the scan's numbers), never the quality of its answers.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from offramp.cli import main
from offramp.store import open_drill_store
from tests.drill.conftest import Project
from tests.drill.test_scan import CHAT
from tests.gateway.conftest import route_toml, target
from tests.gateway.test_local_model import local_model

__all__ = ["local_model"]  # the gateway tests' fixture: starts the llama.cpp server once for this module

PROMPTS = [
    {"id": "greet", "messages": [{"role": "user", "content": "Say hello to a customer in one sentence."}],
     "reference": "Hello! How can I help you today?"},
    {"id": "json", "messages": [{"role": "system", "content": "Answer with JSON only."},
                                {"role": "user", "content": 'Give {"city": <a city in Taiwan>}.'}],
     "schema": {"type": "object", "required": ["city"]}},
    {"id": "colour", "messages": [{"role": "user", "content": "Name one colour of the sky."}],
     "expected_regex": "(?i)blue|grey|gray|orange|red|black"},
]
LOCAL = {"connect": 2, "first_byte": 120, "idle": 60, "total": 300}


def test_a_drill_against_a_real_local_model_is_scored_stored_and_counted_by_the_scan(project: Project,
                                                                                     local_model: str) -> None:
    primary = project.upstream("anthropic", "claude")
    routes = (route_toml("claude", [target(primary, "anthropic", "claude-sonnet-4-5"),
                                    target(local_model, "llama-cpp", "smollm2-135m", api="openai", timeouts=LOCAL)])
              + route_toml("judge", [target(local_model, "llama-cpp", "smollm2-135m", api="openai", timeouts=LOCAL)]))
    policy = ('[drill]\nthreshold = 0.0\nmax_tokens = 48\nconcurrency = 1\n'
              '[drill.judge]\nroute = "judge"\nrubric = "The answer is polite and on topic."\n'
              '[drill.sets.chat]\nprompts = "drills/chat.jsonl"\nroute = "claude"\npaths = ["src/chat.py"]\n')
    project.write(routes, policy, {"drills/chat.jsonl": "".join(json.dumps(p) + "\n" for p in PROMPTS),
                                   "src/chat.py": CHAT})
    before = json.loads(scan(project.root, project.history))

    done = project.drill("run", timeout=900)

    assert done.returncode == 0, done.stdout + done.stderr
    assert primary.requests == [], "the primary was cut off before the first prompt"
    store = open_drill_store(project.history)
    [run] = store.runs()
    assert run.status == "passed" and run.fallbacks == ("llama-cpp:smollm2-135m",) and run.cut_off == ("anthropic",)
    results = store.results(run.id)
    assert set(results) == {"greet", "json", "colour"}
    for result in results.values():
        assert result.state == "answered" and result.served_by == "llama-cpp:smollm2-135m" and result.answer.strip()
        assert result.output_tokens > 0 and result.latency_ms > 0
        assert {"refusal", "judge"} <= {s["scorer"] for s in result.scores}
    scorers = {pid: {s["scorer"]: s for s in r.scores} for pid, r in results.items()}
    assert -1 <= scorers["greet"]["similarity"]["value"] <= 1
    assert "json" in scorers["json"] and "regex" in scorers["colour"]
    assert run.output_tokens == sum(r.output_tokens for r in results.values()) and run.latency_ms["p95"] > 0

    after = json.loads(scan(project.root, project.history))
    assert before["summary"]["exposed_no_fallback"] == 1 and after["summary"]["exposed_no_fallback"] == 0
    assert after["paths"][0]["verified"] and after["paths"][0]["drill"]["fallbacks"] == ["llama-cpp:smollm2-135m"]

    report = CliRunner().invoke(main, ["drill", "report", str(project.root), "--format", "json",
                                       "--history-db", str(project.history)])
    [row] = json.loads(report.output)["drills"]
    assert (row["set"], row["status"], row["prompts"]) == ("chat", "verified", 3)


def scan(root: Path, history: Path) -> str:
    done = CliRunner().invoke(main, ["scan", str(root), "--format", "json", "--history-db", str(history)])
    assert done.exit_code == 0, done.output
    return done.output


def test_a_drill_compares_the_local_fallback_with_a_reachable_primary(project: Project, local_model: str) -> None:
    """The primary is OpenAI's gpt-4o-mini as the gateway config names it, here served by the same local model
    (its server answers whatever model is asked for), asked directly past the cut-off. The tiny model's answers
    vary from one request to the next: the test proves both sides were asked, measured and compared."""
    routes = route_toml("gpt", [target(local_model, "openai", "gpt-4o-mini", api="openai", timeouts=LOCAL,
                                       key_env="DRILL_TEST_OPENAI_KEY"),
                                target(local_model, "llama-cpp", "smollm2-135m", api="openai", timeouts=LOCAL)])
    policy = ('[drill]\nthreshold = 0.0\nmax_tokens = 24\nconcurrency = 1\ncompare_with_primary = "on"\n'
              '[drill.sets.chat]\nprompts = "drills/chat.jsonl"\nroute = "gpt"\npaths = ["src/chat.py"]\n')
    project.write(routes, policy, {"drills/chat.jsonl": "".join(json.dumps(p) + "\n" for p in PROMPTS[::2])})
    project.env = lambda: {**Project.env(project), "DRILL_TEST_OPENAI_KEY": "sk-local"}  # type: ignore[method-assign]

    done = project.drill("run", timeout=900)

    assert done.returncode == 0, done.stdout + done.stderr
    store = open_drill_store(project.history)
    [run] = store.runs()
    assert run.cut_off == ("openai",) and run.fallbacks == ("llama-cpp:smollm2-135m",)
    for result in store.results(run.id).values():
        assert result.served_by == "llama-cpp:smollm2-135m" and result.primary is not None
        assert result.primary.state == "answered" and result.primary.answer.strip()
        [agrees] = [s for s in result.scores if s["scorer"] == "primary_similarity"]
        assert -1 <= agrees["value"] <= 1 and agrees["detail"].startswith("similarity to the primary's answer")
    side = run.primary
    assert side is not None and (side.target, side.answered) == ("openai:gpt-4o-mini", 2)
    assert side.output_tokens > 0 and side.input_tokens == run.input_tokens and side.latency_ms["p50"] > 0
