"""`offramp scan --baseline previous.json [--fail-on-new]`: what changed, and a gate only on added exposure."""

import json
from pathlib import Path

from click.testing import CliRunner, Result

from offramp.cli import EXIT_CANNOT_SCAN, EXIT_GATE_FAILED, main

EXPOSED = 'OpenAI().beta.threads.runs.create(thread_id="t", assistant_id="a", model="gpt-4o")\n'  # 54 h: > 48 h
QUICK = 'OpenAI().chat.completions.create(model="gpt-4o-mini", messages=[])\n'  # 6 h: exposed, no fallback
SAFE = 'OpenAI(base_url="http://localhost:11434/v1").chat.completions.create(model="llama3.1:8b", messages=[])\n'


def write(root: Path, *calls: str, above: str = "") -> None:
    (root / "app.py").write_text("from openai import OpenAI\n" + above + "".join(calls))


def scan(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["scan", str(root), "--today", "2026-11-25", *args])


def baseline(root: Path, tmp_path: Path) -> Path:
    file = tmp_path / "previous.json"
    assert scan(root, "--format", "json", "-o", str(file)).exit_code == 0
    return file


def test_moved_lines_are_not_new_and_do_not_fail_the_gate(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    write(repo, EXPOSED, QUICK)
    previous = baseline(repo, tmp_path)
    write(repo, EXPOSED, QUICK, above="import os\n\n\n# moved down\n")
    outcome = scan(repo, "--format", "json", "--baseline", str(previous), "--fail-on-new")
    assert outcome.exit_code == 0, outcome.output
    changes = json.loads(outcome.output)["baseline"]
    assert (changes["new"], changes["removed"], changes["changed"], changes["adds_exposure"]) == ([], [], [], False)
    assert all(n["before"] == n["after"] for n in changes["numbers"].values())


def test_a_new_exposed_path_fails_the_gate_and_is_reported_with_the_change_in_numbers(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    write(repo, QUICK)
    previous = baseline(repo, tmp_path)
    write(repo, QUICK, EXPOSED)
    outcome = scan(repo, "--format", "json", "--baseline", str(previous), "--fail-on-new")
    assert outcome.exit_code == EXIT_GATE_FAILED
    report = json.loads(outcome.stdout)
    [new] = report["baseline"]["new"]
    assert [p["line"] for p in report["paths"] if p["fingerprint"] == new] == [3]
    numbers = report["baseline"]["numbers"]
    assert (numbers["exposed_48h"], numbers["critical_paths"]) == ({"before": 0, "after": 1}, {"before": 1, "after": 2})
    assert "exposure added since" in outcome.stderr
    assert scan(repo, "--baseline", str(previous)).exit_code == 0  # reported, but only --fail-on-new gates


def test_a_new_path_that_is_not_at_risk_and_a_removed_path_pass_the_gate(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    write(repo, QUICK, EXPOSED)
    previous = baseline(repo, tmp_path)
    write(repo, QUICK, SAFE)
    outcome = scan(repo, "--format", "json", "--baseline", str(previous), "--fail-on-new")
    assert outcome.exit_code == 0, outcome.output
    changes = json.loads(outcome.output)["baseline"]
    assert len(changes["new"]) == 1 and [r["line"] for r in changes["removed"]] == [3]
    assert changes["numbers"]["exposure_48h"] == {"before": 0.5, "after": 0.0}


def test_a_path_that_loses_its_waiver_is_changed_and_adds_exposure(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    write(repo, EXPOSED)
    (repo / "offramp.toml").write_text('[[waiver]]\npath = "app.py"\nreason = "migrating"\nowner = "core"\n'
                                       'expires = "2027-01-01"\n')
    previous = baseline(repo, tmp_path)
    (repo / "offramp.toml").unlink()
    outcome = scan(repo, "--format", "json", "--baseline", str(previous), "--fail-on-new")
    assert outcome.exit_code == EXIT_GATE_FAILED
    [changed] = json.loads(outcome.stdout)["baseline"]["changed"]
    assert changed["adds_exposure"] and {"exposed_48h", "waiver"} <= set(changed["fields"])


def test_an_unusable_baseline_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, QUICK)
    (tmp_path / "not.json").write_text("{ nope")
    (tmp_path / "old.json").write_text(json.dumps({"schema_version": 1, "summary": {}, "paths": [{"file": "a"}]}))
    for file, words in (("not.json", "is not a JSON report"), ("old.json", "without fingerprints")):
        outcome = scan(tmp_path, "--baseline", str(tmp_path / file))
        assert outcome.exit_code == EXIT_CANNOT_SCAN
        assert words in outcome.output and "offramp scan --format json -o previous.json" in outcome.output


def test_fail_on_new_needs_a_baseline(tmp_path: Path) -> None:
    write(tmp_path, QUICK)
    outcome = scan(tmp_path, "--fail-on-new")
    assert outcome.exit_code == 2 and "--baseline" in outcome.output
