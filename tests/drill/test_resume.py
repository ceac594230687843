"""Ctrl-C, then the same command: the drill continues where it stopped and no prompt reaches the model twice."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter

from offramp.store import open_drill_store
from tests.drill.conftest import Project, prompt_lines


def test_an_interrupted_drill_resumes_without_sending_any_prompt_twice(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3", delay=0.3)
    project.standard(primary, fallback, prompt_lines(8))
    first = subprocess.Popen(project.command("drill", "run", str(project.root)), env=project.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(fallback.requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGINT)  # Ctrl-C while the third prompt is in flight
    out, err = first.communicate(timeout=60)

    assert first.returncode == 130, out + err
    assert "run the same command to continue" in out + err
    interrupted = len(fallback.requests)
    assert 3 <= interrupted < 8
    store = open_drill_store(project.history)
    assert store.runs() == [], "an interrupted drill has no verdict yet"
    [running] = store.runs(finished_only=False)
    assert sorted(r.state for r in store.results(running.id).values()) == ["answered"] * interrupted

    second = project.drill("run")

    assert second.returncode == 0, second.stdout + second.stderr
    assert Counter(fallback.arrived) == Counter({f"question {i}": 1 for i in range(8)}), "every prompt reached the model exactly once"
    [run] = store.runs()
    assert run.id == running.id and (run.status, run.passed) == ("passed", 8)


def test_a_prompt_in_flight_when_the_drill_died_counts_as_lost_and_is_not_sent_again(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3", delay=1.0)
    project.standard(primary, fallback, prompt_lines(3), policy_extra="threshold = 0.5")
    first = subprocess.Popen(project.command("drill", "run", str(project.root)), env=project.env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not fallback.arrived and time.monotonic() < deadline:
        time.sleep(0.02)
    first.kill()  # no chance to finish: the prompt on its way is marked sent, without an answer
    assert not fallback.requests, "killed while the first prompt was still being answered"
    first.wait(30)

    second = project.drill("run")

    assert second.returncode == 0, second.stdout + second.stderr
    assert Counter(fallback.arrived) == Counter({"question 0": 1, "question 1": 1, "question 2": 1})
    store = open_drill_store(project.history)
    [run] = store.runs()
    states = {pid: r.state for pid, r in store.results(run.id).items()}
    assert states == {"p0": "lost", "p1": "answered", "p2": "answered"}
    assert run.passed == 2 and run.prompts == 3
