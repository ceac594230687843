"""`offramp drill report`: the latest verdict per prompt set as a table, JSON and Markdown."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from offramp.cli import main
from tests.drill.test_scan import POLICY, record


def report(root: Path, history: Path, *args: str) -> str:
    done = CliRunner().invoke(main, ["drill", "report", str(root), "--history-db", str(history), *args])
    assert done.exit_code == 0, done.output
    return done.output


def test_the_report_shows_the_latest_verdict_of_each_set(tmp_path: Path) -> None:
    (tmp_path / "offramp.toml").write_text(POLICY, encoding="utf-8")
    history = tmp_path / "history.sqlite"
    record(history, "failed", age_days=3, passed=2)
    record(history, "passed", age_days=1, passed=9)

    [row] = json.loads(report(tmp_path, history, "--format", "json"))["drills"]
    assert (row["set"], row["status"], row["pass_rate"], row["prompts"]) == ("chat", "verified", 0.9, 10)
    assert row["cut_off"] == ["anthropic"] and row["catalog_version"] == "0.1.0+test"
    markdown = report(tmp_path, history, "--format", "markdown")
    assert "| chat | claude | src/chat.py | verified | 90% (9/10) | 80% |" in markdown
    assert "verified" in report(tmp_path, history)


def test_an_old_pass_is_reported_stale(tmp_path: Path) -> None:
    (tmp_path / "offramp.toml").write_text(POLICY, encoding="utf-8")
    history = tmp_path / "history.sqlite"
    record(history, "passed", age_days=31)
    [row] = json.loads(report(tmp_path, history, "--format", "json"))["drills"]
    assert row["status"] == "stale" and row["verdict"] == "passed"
