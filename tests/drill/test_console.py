"""What `offramp drill run` shows: a progress bar on a terminal (none in a pipe), and a warning when reference
answers cannot be compared because the drill-embeddings extra is missing."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys

from offramp.store import open_drill_store
from tests.drill.conftest import Project, prompt_lines

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
WITHOUT_EMBEDDINGS = ("import sys; sys.modules['sentence_transformers'] = None  # not installed\n"
                      "from offramp.cli import main; main(prog_name='offramp')")
"""`offramp` in a Python where sentence-transformers cannot be imported, as without the drill-embeddings extra."""


def on_a_terminal(project: Project, *args: str) -> tuple[int, str, str]:
    """Run ``offramp drill ARGS ROOT`` with its standard error on a pseudo-terminal, as in a user's shell."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(project.command("drill", *args, str(project.root)), env={**project.env(),
                               "TERM": "xterm-256color", "COLUMNS": "100"}, stdout=subprocess.PIPE,
                               stderr=terminal, stdin=subprocess.DEVNULL, text=True)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the process closed its end of the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    out = process.stdout.read()  # type: ignore[union-attr]
    return process.wait(60), out, ANSI.sub("", shown.decode("utf-8", "replace")).replace("\r", "\n")


def test_a_drill_on_a_terminal_shows_its_progress_per_set(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3", delay=0.3)  # each prompt long enough to be drawn
    project.standard(primary, fallback, prompt_lines(4, expected_regex="fake upstream"))

    code, out, shown = on_a_terminal(project, "run")

    assert code == 0, out + shown
    bars = [line.strip() for line in shown.splitlines() if line.strip().startswith("chat")]
    counts = {re.search(r"(\d)/4", line)[1] for line in bars if re.search(r"(\d)/4", line)}  # type: ignore[index]
    assert "4" in counts and len(counts) >= 3, bars  # the bar moved through the set, to its end
    assert "chat via route claude: PASSED" in out


def test_a_drill_in_a_pipe_draws_no_bar(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(2))

    done = project.drill("run")

    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stderr and "2/2" not in done.stderr, "a CI log gets no terminal drawing"


def _run_without_embeddings(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", WITHOUT_EMBEDDINGS, "drill", "run", str(project.root)],
                          capture_output=True, text=True, env=project.env(), timeout=120, check=False)


def test_reference_answers_without_the_embeddings_extra_are_a_clear_warning(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    lines = prompt_lines(3, expected_regex="fake upstream", reference="Hello from the upstream.")
    project.standard(primary, fallback, lines + prompt_lines(1).replace('"p0"', '"plain"'))

    done = _run_without_embeddings(project)

    assert done.returncode == 0, done.stdout + done.stderr
    warning = " ".join(done.stderr.split())
    assert "warning: 3 prompts of chat have a reference answer, but semantic similarity is off" in warning
    assert "pip install 'offramp[drill-embeddings]'" in warning
    store = open_drill_store(project.history)
    [run] = store.runs()
    scorers = {s["scorer"] for result in store.results(run.id).values() for s in result.scores}
    assert "similarity" not in scorers and "regex" in scorers  # judged by their other checks, as it says


def test_no_warning_when_no_prompt_has_a_reference_answer(project: Project) -> None:
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    project.standard(primary, fallback, prompt_lines(2))

    done = _run_without_embeddings(project)

    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    assert json.loads(json.dumps(done.stdout)).startswith("chat via route claude: PASSED")
