"""Hostile trees, as a stranger's pull request could push them: each is scanned by the real command in a
process with a memory cap and a time cap, and must end with its documented exit code, the planted
inference call found, and every file it could not take listed with why."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

MEMORY_CAP = 2 << 30
"""The 15-byte YAML alias bomb and the /dev/zero .gitignore each took gigabytes before they were bounded."""
TIME_CAP = 120
"""Seconds; a scan of these trees takes about one, but the FIFO hung forever."""

CALL = 'from openai import OpenAI\n\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'
TS_CALL = 'import OpenAI from "openai";\n\nnew OpenAI().chat.completions.create({ model: "gpt-4o", messages: [] });\n'


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def scan(root: Path, *args: str, code: int = 0) -> dict[str, Any]:
    """``offramp scan root --format json``, under the caps; asserts the exit code."""
    done = subprocess.run([sys.executable, "-m", "offramp", "scan", str(root), "--format", "json", *args],
                          capture_output=True, text=True, timeout=TIME_CAP, preexec_fn=_capped)
    assert done.returncode == code, done.stderr[-2000:]
    return json.loads(done.stdout) if code in (0, 1) else {"stderr": done.stderr}


def plant(root: Path, files: dict[str, str]) -> Path:
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")
    return root


def found(report: dict[str, Any]) -> dict[str, str | None]:
    """file -> model of each path."""
    return {p["file"]: p["targets"][0]["model"] for p in report["paths"]}


def skipped(report: dict[str, Any]) -> dict[str, str]:
    return {s["file"]: s["reason"] for s in report["skipped"]}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The scanned root; ``tmp_path / "outside"`` is beside it, out of the tree."""
    (tmp_path / "outside").mkdir()
    return plant(tmp_path / "repo", {"app.py": CALL})


# --- 1, 2, 7: ignore and policy files are regular files inside the tree --------------------------------


def test_a_gitignore_linked_to_dev_zero_is_not_read(tree: Path) -> None:
    (tree / ".gitignore").symlink_to("/dev/zero")
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert skipped(report) == {".gitignore": "ignore file not applied: symbolic link; links are not followed"}


def test_a_fifo_gitignore_in_a_subfolder_does_not_hang_the_scan(tree: Path) -> None:
    plant(tree, {"sub/app.py": CALL})
    os.mkfifo(tree / "sub" / ".gitignore")
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o", "sub/app.py": "gpt-4o"}
    assert skipped(report) == {"sub/.gitignore": "ignore file not applied: not a regular file (named pipe)"}


def test_ignore_rules_linked_from_outside_the_tree_are_not_applied(tree: Path) -> None:
    outside = tree.parent / "outside"
    (outside / "ignore").write_text("*.py\n")
    os.mkfifo(outside / "pipe")  # opened without O_NONBLOCK, this would hang the scan
    (tree / ".gitignore").symlink_to(outside / "ignore")
    plant(tree, {"sub/app.py": CALL})
    (tree / "sub" / ".gitignore").symlink_to(outside / "pipe")
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o", "sub/app.py": "gpt-4o"}  # an applied "*.py" hid them all
    assert set(skipped(report)) == {".gitignore", "sub/.gitignore"}
    assert all("links are not followed" in reason for reason in skipped(report).values())


def test_a_policy_linked_from_outside_the_tree_stops_the_scan_with_a_clear_error(tree: Path) -> None:
    outside = tree.parent / "outside" / "offramp.toml"
    outside.write_text('[scan]\nexclude = ["*.py"]\n')
    (tree / "offramp.toml").symlink_to(outside)
    stderr = scan(tree, code=3)["stderr"]
    assert "the policy file is not read: symbolic link; links are not followed" in stderr
    assert "make it a regular file in the repository" in stderr


def test_a_fifo_policy_stops_the_scan_instead_of_hanging_it(tree: Path) -> None:
    os.mkfifo(tree / "offramp.toml")
    assert "not a regular file (named pipe)" in scan(tree, code=3)["stderr"]


def test_a_gitignore_that_starts_with_a_byte_order_mark_keeps_its_first_rule(tree: Path) -> None:
    plant(tree, {"scratch/app.py": CALL, "sub/app.py": CALL})
    (tree / ".gitignore").write_bytes(b"\xef\xbb\xbfscratch/\n")
    assert found(scan(tree)) == {"app.py": "gpt-4o", "sub/app.py": "gpt-4o"}


# --- 3: YAML aliases ---------------------------------------------------------------------------------


def test_a_yaml_alias_that_contains_itself_is_a_skipped_file(tree: Path) -> None:
    plant(tree, {"config.yaml": "a: &a [*a, *a]\n", "settings.yaml": "llm:\n  model: gpt-4o-mini\n"})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert skipped(report)["config.yaml"].startswith("nested more than 100 levels deep (an alias that contains itself?)")
    assert "settings.yaml" not in skipped(report)


def test_a_billion_laughs_yaml_is_a_skipped_file(tree: Path) -> None:
    laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    plant(tree, {"bomb.yaml": "\n".join(laughs) + "\n"})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert skipped(report) == {"bomb.yaml": "its aliases expand to too many nodes (a YAML alias bomb?)"}


# --- 4: large rule sets --------------------------------------------------------------------------------


def test_a_gitignore_of_thousands_of_rules_is_applied(tree: Path) -> None:
    rules = [f"generated/module_{i}_*.py" for i in range(3000)] + ["build_cache/"]
    (tree / ".gitignore").write_text("\n".join(rules) + "\n")
    plant(tree, {"generated/module_2999_x.py": CALL, "generated/kept.py": CALL, "build_cache/app.py": CALL})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o", "generated/kept.py": "gpt-4o"}
    assert skipped(report) == {}


# --- 5: every file keeps its identity ------------------------------------------------------------------


def test_files_that_share_a_module_name_each_keep_their_paths(tree: Path) -> None:
    colliding = ["llm.py", "pkg.py", "pkg/__init__.py", "web.py", "web/index.py", "a.b.py", "a/b.py"]
    plant(tree, {name: CALL for name in colliding} | {"llm.ts": TS_CALL, "llm.js": TS_CALL})
    assert sorted(found(scan(tree))) == sorted(["app.py", "llm.ts", "llm.js", *colliding])


def test_a_module_that_shares_its_name_resolves_its_own_names(tree: Path) -> None:
    plant(tree, {
        "llm.py": 'from openai import OpenAI\nMODEL = "gpt-4o-mini"\nOpenAI().chat.completions.create(model=MODEL)\n',
        "llm.ts": 'import OpenAI from "openai";\nconst MODEL = "o3-mini";\n'
                  "new OpenAI().chat.completions.create({ model: MODEL });\n",
    })
    assert found(scan(tree)) == {"app.py": "gpt-4o", "llm.py": "gpt-4o-mini", "llm.ts": "o3-mini"}


# --- 8: deep Python that CPython compiles ----------------------------------------------------------------


@pytest.mark.parametrize("deep", [
    "chained = client" + ".with_options(timeout=1)" * 250,
    "total = " + " + ".join(f'"part{i}"' for i in range(600)),
    "def pick(v):\n    if v == 0:\n        return 0\n"
    + "".join(f"    elif v == {i}:\n        return {i}\n" for i in range(1, 600)),
], ids=["250-link chain", "600-term sum", "600-branch elif"])
def test_deep_python_that_cpython_compiles_is_analysed(tree: Path, deep: str) -> None:
    source = f"from openai import OpenAI\n\nclient = OpenAI()\n{deep}\n" \
             'client.chat.completions.create(model="gpt-4o-mini", messages=[])\n'
    compile(source, "deep.py", "exec")
    plant(tree, {"deep.py": source})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o", "deep.py": "gpt-4o-mini"}
    assert skipped(report) == {}


# --- 9: exit codes, configuration errors, terminal, notebooks --------------------------------------------


def test_deep_toml_in_the_root_pyproject_is_a_skipped_file_not_a_crash(tree: Path) -> None:
    plant(tree, {"pyproject.toml": "[project]\nname = 'x'\nextra = " + "[" * 5000 + "]" * 5000 + "\n"})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert "nested too deeply" in skipped(report)["pyproject.toml"]


def test_an_invalid_root_pyproject_without_a_policy_does_not_stop_the_scan(tree: Path) -> None:
    plant(tree, {"pyproject.toml": "[project\nname = \n"})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert skipped(report)["pyproject.toml"].startswith("TOML syntax error")


def test_an_invalid_root_pyproject_with_a_policy_stops_the_scan(tree: Path) -> None:
    plant(tree, {"pyproject.toml": "[tool.offramp]\nat_risk = [\n"})
    assert "not valid TOML" in scan(tree, code=3)["stderr"]


def test_a_deep_baseline_is_a_clear_error(tree: Path) -> None:
    baseline = tree.parent / "outside" / "previous.json"
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    stderr = scan(tree, "--baseline", str(baseline), code=3)["stderr"]
    assert "nested too deeply to be a JSON report" in stderr


def test_escape_sequences_in_file_names_and_models_never_reach_the_terminal(tree: Path) -> None:
    plant(tree, {"evil\x1b[31mred.py": CALL.replace('"gpt-4o"', '"gpt-4o\\x1b]0;owned\\x07\\x1b[2J"')})
    done = subprocess.run([sys.executable, "-m", "offramp", "scan", str(tree)], capture_output=True, text=True,
                          timeout=TIME_CAP, preexec_fn=_capped)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert "evil\\x1b[31mred.py:3" in done.stdout
    assert "gpt-4o\\x1b]0;owned" in done.stdout


def test_notebook_code_cells_are_scanned_and_a_path_names_its_cell(tree: Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# Uses openai\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 1,
         "source": ["!pip install openai\n", "from openai import OpenAI\n", "client = OpenAI()"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 2, "source": ["%%bash\n", "ls"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": 3,
         "source": ["%time n = 1\n", "reply = client.chat.completions.create(\n",
                    '    model="gpt-4o-mini", messages=[])\n']},
    ]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    plant(tree, {"notebooks/demo.ipynb": text, "gui.pyw": CALL})
    paths = {p["file"]: p for p in scan(tree)["paths"]}
    assert set(paths) == {"app.py", "gui.pyw", "notebooks/demo.ipynb"}
    notebook = paths["notebooks/demo.ipynb"]
    assert (notebook["function"], notebook["targets"][0]["model"]) == ("cell 4", "gpt-4o-mini")
    assert "client.chat.completions.create(" in text.splitlines()[notebook["line"] - 1]


def test_a_notebook_that_is_not_json_is_a_skipped_file(tree: Path) -> None:
    plant(tree, {"broken.ipynb": '{"cells": [ "from openai import OpenAI"'})
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert "not a Jupyter notebook" in skipped(report)["broken.ipynb"]



def test_an_ignore_file_over_the_size_limit_is_listed_and_the_tree_still_scanned(tree: Path) -> None:
    (tree / ".gitignore").write_text("*.py\n" + "# padding\n" * 120_000)
    report = scan(tree)
    assert found(report) == {"app.py": "gpt-4o"}
    assert skipped(report) == {
        ".gitignore": "ignore file not applied: 1.2 MB is over the 1 MB limit; split it into the folders its rules are about"}
