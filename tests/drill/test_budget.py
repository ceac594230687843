"""Budgets: a drill stops sending at its request, token or wall-time limit, and a later run continues it."""

from __future__ import annotations

import pytest

from offramp.store import open_drill_store
from tests.drill.conftest import Project, prompt_lines


@pytest.mark.parametrize(("option", "sent", "why"), [
    (("--max-requests", "3"), 3, "budget reached: 3 requests"),
    (("--max-tokens", "30"), 2, "budget reached: 30 tokens"),  # 18 tokens an answer: the third would start at 36
])
def test_a_budget_stops_the_drill_and_the_next_run_continues(project: Project, option: tuple[str, str], sent: int,
                                                             why: str) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(5))

    stopped = project.drill("run", *option)

    assert stopped.returncode == 3, stopped.stdout + stopped.stderr
    assert why in stopped.stdout
    assert len(fallback.requests) == sent
    store = open_drill_store(project.history)
    assert store.runs() == []

    finished = project.drill("run")

    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert len(fallback.requests) == 5
    [run] = store.runs()
    assert run.passed == 5


def test_the_wall_time_budget_starts_no_prompt_after_it(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3", delay=1.0)
    project.standard(primary, fallback, prompt_lines(6), policy_extra="[drill.budget]\nseconds = 1.5")

    stopped = project.drill("run")

    assert stopped.returncode == 3, stopped.stdout + stopped.stderr
    assert "budget reached: 1.5 seconds" in stopped.stdout
    assert 1 <= len(fallback.requests) <= 3, "prompts take a second each: none starts after 1.5 s"
