"""The command line as users and CI run it: exit codes, the gate, explain, init."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

EXPOSED = ('from openai import OpenAI\n'
           'OpenAI().beta.threads.runs.create(thread_id="t", assistant_id="a", model="gpt-4o")\n')


def offramp(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "offramp", *args], capture_output=True, text=True, cwd=cwd)


def test_gate_fails_with_its_own_exit_code_only_above_the_ratio(tmp_path: Path):
    (tmp_path / "app.py").write_text(EXPOSED)  # one critical path, at risk, 54 h: Exposure (48 h) = 100%
    assert offramp("scan", str(tmp_path), "--fail-above", "0.5").returncode == 1
    assert offramp("scan", str(tmp_path), "--fail-above", "1").returncode == 0
    assert offramp("scan", str(tmp_path)).returncode == 0


def test_a_scan_that_ends_without_freeing_its_objects_still_writes_all_it_printed(tmp_path: Path):
    """The scan's process ends at once when done (no object freed one by one): what it printed to a pipe, a report
    larger than the pipe's buffer and the gate's message, arrives whole, with the gate's exit code."""
    for index in range(150):
        (tmp_path / f"app{index}.py").write_text(EXPOSED)
    done = offramp("scan", str(tmp_path), "--format", "json", "--fail-above", "0.5")
    assert done.returncode == 1 and "above the gate" in done.stderr
    assert len(done.stdout) > 1 << 16 and len(json.loads(done.stdout)["paths"]) == 150


def test_could_not_scan_is_a_distinct_exit_code_with_a_clear_message(tmp_path: Path):
    missing = offramp("scan", str(tmp_path / "nope"))
    assert missing.returncode == 3 and "does not exist" in missing.stderr
    (tmp_path / "offramp.toml").write_text('at_risk = ["USA"]\n')
    bad_policy = offramp("scan", str(tmp_path))
    assert bad_policy.returncode == 3
    assert "offramp.toml" in bad_policy.stderr and "at_risk" in bad_policy.stderr


def test_json_report_paths_are_relative_to_the_root(tmp_path: Path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "app.py").write_text(EXPOSED)
    report = json.loads(offramp("scan", str(tmp_path), "--format", "json").stdout)
    assert [(p["file"], p["line"], p["providers"], p["model"]) for p in report["paths"]] == [
        ("svc/app.py", 2, ["openai"], "gpt-4o")]
    assert report["summary"]["exposed_48h"] == 1 and report["summary"]["exposure_48h"] == 1.0


def test_explain_a_model_id_as_json():
    result = offramp("explain", "us.anthropic.claude-3-5-sonnet-20241022-v2:0", "--format", "json")
    facts = json.loads(result.stdout)
    assert result.returncode == 0
    assert (facts["kind"], facts["provider"], facts["maker"], facts["maker_jurisdiction"], facts["open_weights"],
            facts["licence"]) == ("model", "aws-bedrock", "anthropic", "US", False, "proprietary")
    assert facts["substitutes"] and all(s["model"] for s in facts["substitutes"])


def test_explain_says_clearly_when_nothing_matched():
    result = offramp("explain", "definitely-not-a-model-xyz", "--format", "json")
    assert result.returncode == 1
    facts = json.loads(result.stdout)
    assert facts["kind"] == "unknown" and "nothing in the catalog matches" in facts["why"]


def test_explain_a_host_in_text():
    result = offramp("explain", "api.deepseek.com")
    assert result.returncode == 0 and "deepseek" in result.stdout and "CN" in result.stdout


def test_init_writes_a_policy_that_scan_accepts_and_refuses_to_overwrite(tmp_path: Path):
    assert offramp("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "offramp.toml").read_text().lstrip().startswith("#")
    assert offramp("init", cwd=tmp_path).returncode != 0
    assert offramp("init", "--force", cwd=tmp_path).returncode == 0
    assert offramp("scan", ".", cwd=tmp_path).returncode == 0


def test_a_file_is_not_a_tree_to_scan(tmp_path: Path):
    (tmp_path / "app.py").write_text(EXPOSED)
    result = offramp("scan", str(tmp_path / "app.py"))
    assert result.returncode == 3 and "is a file" in result.stderr


def scan_into_a_closed_pipe(*args: str) -> tuple[int, str]:
    """`offramp scan ... | head` where head has already left: every write meets a closed pipe."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "offramp", "scan", *args], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    return result.returncode, result.stderr


def test_a_reader_that_leaves_early_ends_the_scan_quietly_with_its_normal_exit_code(tmp_path: Path):
    (tmp_path / "app.py").write_text(EXPOSED)
    assert scan_into_a_closed_pipe(str(tmp_path), "--format", "json") == (0, "")
    code, message = scan_into_a_closed_pipe(str(tmp_path), "--fail-above", "0.5")
    assert code == 1 and message.strip() == "offramp: Exposure (48 h) 100.0% is above the gate 50.0%"


def test_an_internal_error_has_its_own_exit_code_and_says_what_to_report(monkeypatch, capsys):
    from offramp import cli
    from offramp.catalog import Catalog

    def broken_catalog(*_args: object, **_kwargs: object) -> Catalog:
        raise KeyError("providers")

    monkeypatch.setattr(Catalog, "load", broken_catalog)  # a bug cannot be produced on purpose; inject one
    monkeypatch.setattr(sys, "argv", ["offramp", "explain", "gpt-4o"])
    monkeypatch.delenv("OFFRAMP_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    error = capsys.readouterr().err
    assert exit_.value.code == 4
    assert error.count("\n") == 1 and "Traceback" not in error
    assert error.startswith("offramp: internal error, a bug in offramp") and "KeyError: 'providers'" in error
    assert "report it with the command you ran" in error

    monkeypatch.setenv("OFFRAMP_DEBUG", "1")
    with pytest.raises(SystemExit):
        cli.run()
    assert "Traceback" in capsys.readouterr().err


def test_explain_text_keeps_square_brackets_in_the_facts_and_the_query():
    result = offramp("explain", "[red]not-a-model-xyz")
    text = " ".join(result.stdout.split())
    assert result.returncode == 1
    assert text.startswith("[red]not-a-model-xyz: unknown")
    assert "Add it under [catalog] in offramp.toml." in text


HELP_PROBE = """
import sys
from offramp import cli
try:
    cli.main(["--help"])
except SystemExit:
    pass
heavy = ("pydantic", "offramp.assess", "offramp.catalog", "offramp.scan", "rich", "urllib.request", "yaml", "asyncio",
         "sqlite3", "offramp.store", "secrets", "traceback")
print(" ".join(name for name in heavy if name in sys.modules), file=sys.stderr)
"""


def test_help_loads_none_of_the_heavy_modules() -> None:
    # `offramp --help` must answer in under 0.2 s; these modules cost it 0.3 s to 1 s when they loaded.
    printed = subprocess.run([sys.executable, "-c", HELP_PROBE], capture_output=True, text=True, check=True)
    assert "Usage: " in printed.stdout
    assert printed.stderr.split() == []


SCAN_PROBE = """
import json
import sys
from offramp import cli
try:
    cli.main(["scan", sys.argv[1], "--format", "json", "--output", sys.argv[2]])
except SystemExit as exit:
    assert exit.code == 0, exit.code
for_some_trees = ("yaml", "dotenv", "offramp.scan.config.extract", "packaging", "pathspec", "offramp.store", "sqlite3",
                  "concurrent.futures.process", "multiprocessing", "pydantic")
print(json.dumps({"loaded": [name for name in for_some_trees if name in sys.modules]}))
"""


def _scan_probe(tree: Path, tmp_path: Path) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """What a scan of ``tree`` in a fresh process loaded and validated (the second scan: the first compiles the
    data files into the cache folder), and its report."""
    env = {**os.environ, "OFFRAMP_CACHE_DIR": str(tmp_path / "cache"), "OFFRAMP_STORE": str(tmp_path / "none.sqlite")}
    probe = [sys.executable, "-c", SCAN_PROBE, str(tree), str(tmp_path / "report.json")]
    subprocess.run(probe, capture_output=True, text=True, env=env, check=True)
    printed = subprocess.run(probe, capture_output=True, text=True, env=env, check=True)
    return json.loads(printed.stdout), json.loads((tmp_path / "report.json").read_text())


def test_scan_loads_only_what_the_tree_needs(tmp_path: Path) -> None:
    # Every scan pays for what it imports before its walk: configuration parsers (PyYAML, python-dotenv),
    # packaging, pathspec, the store and the worker pool are for trees with configuration files, manifests,
    # ignore files, paths to judge, a store of drill verdicts or work for several cores; and the policy,
    # catalog and rules come compiled as plain records, so pydantic (which validates a policy file) is not even
    # imported. A one-file tree needs none of them.
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "settings.py").write_text("TIMEOUT = 30\n")
    startup, report = _scan_probe(tmp_path / "tree", tmp_path)
    assert report["scan"]["files_seen"] == 1
    assert startup == {"loaded": []}


def test_scan_that_resolves_a_callers_argument_builds_no_validator(tmp_path: Path) -> None:
    # The resolver keeps production callers' values by the default criticality rules: the default policy,
    # compiled, not one validated afresh (which built every policy model's validator mid-scan).
    app = tmp_path / "tree" / "app"
    app.mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "client.py").write_text('import httpx\n\n\ndef ask(url):\n    return httpx.post(url, json={"model": "gpt-4o"})\n')
    (app / "main.py").write_text('from app.client import ask\n\nask("https://api.openai.com/v1/chat/completions")\n')
    startup, report = _scan_probe(tmp_path / "tree", tmp_path)
    assert [(path["file"], path["providers"]) for path in report["paths"]] == [("app/client.py", ["openai"])]
    assert "url passed at app/main.py:3" in report["paths"][0]["targets"][0]["provider_why"]
    assert "pydantic" not in startup["loaded"]
