"""The drill store on both engines: a run, its results as prompts are sent and answered, its verdict."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from offramp.store import DrillRun, PromptResult, open_drill_store


def test_a_run_is_continued_then_finished_with_its_results(store_url: str) -> None:
    store = open_drill_store(store_url)
    started = datetime(2026, 11, 1, 12, 0, 0, 123456, tzinfo=UTC)
    run = store.start(DrillRun("support", "h1", "chat", ("svc/*.py",), ("anthropic",), ("vllm:qwen",), "2026.11",
                               0.8, 2, started))
    assert run.id is not None
    store.mark_sent(run.id, "p1")
    store.mark_sent(run.id, "p2")
    store.save(run.id, PromptResult("p1", "answered", served_by="vllm:qwen", latency_ms=12.5, input_tokens=3,
                                    scores=[{"scorer": "contains", "passed": True}], passed=True))
    store.close()

    again = open_drill_store(store_url)
    assert again.unfinished("support", "h1", "chat") == replace(run, started_at=started.replace(microsecond=0))
    assert again.unfinished("support", "h2", "chat") is None
    results = again.results(run.id)
    assert (results["p1"].state, results["p1"].passed, results["p1"].scores) == (
        "answered", True, [{"scorer": "contains", "passed": True}])
    assert (results["p2"].state, results["p2"].passed) == ("sent", False)
    assert again.runs() == []  # nothing finished yet
    finished = replace(run, status="passed", finished_at=datetime(2026, 11, 1, 12, 5, tzinfo=UTC), passed=2,
                       pass_rate=1.0, latency_ms={"p50": 12.5}, input_tokens=6)
    again.finish(finished)
    assert again.runs("support") == [replace(finished, started_at=started.replace(microsecond=0))]
    assert again.runs("other") == [] and again.unfinished("support", "h1", "chat") is None
    again.close()
