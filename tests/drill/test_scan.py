"""A drill's verdict in `offramp scan`: a fresh passed drill verifies the path's replacement and lowers the
exposure; a failed or expired one changes no number and says why, in every report format."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from offramp.cli import main
from offramp.store import DrillRun, open_drill_store

REPO = Path(__file__).resolve().parents[2]
CHAT = '''import anthropic

client = anthropic.Anthropic()


def reply(question: str) -> str:
    answer = client.messages.create(model="claude-sonnet-4-5", max_tokens=512,
                                    messages=[{"role": "user", "content": question}])
    return answer.content[0].text
'''
POLICY = '''at_risk = ["US"]

[drill]
max_age_days = 30

[drill.sets.chat]
prompts = "drills/chat.jsonl"
route = "claude"
paths = ["src/chat.py"]
'''


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "chat.py").write_text(CHAT, encoding="utf-8")
    (root / "offramp.toml").write_text(POLICY, encoding="utf-8")
    return root


def record(history: Path, status: str, age_days: float, passed: int = 9) -> None:
    finished = datetime.now(UTC) - timedelta(days=age_days)
    store = open_drill_store(history)
    run = store.start(DrillRun("chat", "0" * 64, "claude", ("src/chat.py",), ("anthropic",), ("vllm:qwen3",),
                               "0.1.0+test", 0.8, 10, finished - timedelta(minutes=5)))
    store.finish(DrillRun(**{**run.__dict__, "status": status, "finished_at": finished, "passed": passed,
                             "pass_rate": passed / 10}))
    store.close()


def scan(repo: Path, history: Path, output_format: str = "json") -> str:
    done = CliRunner().invoke(main, ["scan", str(repo), "--format", output_format, "--history-db", str(history)])
    assert done.exit_code == 0, done.output
    return done.output


def test_without_a_drill_the_path_is_exposed(repo: Path, tmp_path: Path) -> None:
    report = json.loads(scan(repo, tmp_path / "none.sqlite"))
    assert report["summary"]["exposed_no_fallback"] == 1
    assert report["summary"]["drills"] == {"verified": 0, "failed": 0, "stale": 0}
    assert report["paths"][0]["drill"] is None and not report["paths"][0]["verified"]
    assert not (tmp_path / "none.sqlite").exists(), "a scan creates no store"


def test_a_fresh_passed_drill_verifies_the_replacement_and_lowers_the_exposure(repo: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    record(history, "passed", age_days=2)

    report = json.loads(scan(repo, history))

    jsonschema.validate(report, json.loads((REPO / "schemas" / "scan-report.schema.json").read_text()))
    assert report["summary"]["exposed_no_fallback"] == 0 and report["summary"]["exposure_no_fallback"] == 0
    assert report["summary"]["drills"] == {"verified": 1, "failed": 0, "stale": 0}
    [path] = report["paths"]
    assert path["verified"] and path["ready_replacement"] and path["replacement_source"] == "drill"
    assert path["drill"]["state"] == "verified" and path["drill"]["fallbacks"] == ["vllm:qwen3"]
    assert "drill chat through gateway route claude passed on" in path["ready_replacement_why"]
    sarif = json.loads(scan(repo, history, "sarif"))
    assert sarif["runs"][0]["results"][0]["properties"]["drill"] == "verified"
    assert "Drills: 1 verified, 0 failed, 0 stale" in scan(repo, history, "terminal")
    assert "Drills: 1 verified, 0 failed, 0 stale" in scan(repo, history, "markdown")
    assert 'id="drills">Drills: 1 verified, 0 failed, 0 stale<' in scan(repo, history, "html")


@pytest.mark.parametrize(("status", "age", "state", "why"), [
    ("failed", 1, "failed", "failed on"),
    ("passed", 45, "stale", "longer ago than drill.max_age_days"),
])
def test_a_failed_or_expired_drill_changes_no_number(repo: Path, tmp_path: Path, status: str, age: float,
                                                      state: str, why: str) -> None:
    history = tmp_path / "history.sqlite"
    record(history, status, age_days=age, passed=3 if status == "failed" else 9)

    report = json.loads(scan(repo, history))

    assert report["summary"]["exposed_no_fallback"] == 1
    assert report["summary"]["drills"][state] == 1
    [path] = report["paths"]
    assert not path["verified"] and not path["ready_replacement"] and path["drill"]["state"] == state
    assert any(why in reason for reason in path["reasons"])
    assert f"Drills: {int(state == 'verified')} verified, {int(state == 'failed')} failed, " \
           f"{int(state == 'stale')} stale" in scan(repo, history, "terminal")


def test_the_latest_drill_decides(repo: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    record(history, "passed", age_days=3)
    record(history, "failed", age_days=1, passed=2)

    report = json.loads(scan(repo, history))

    assert report["paths"][0]["drill"]["state"] == "failed" and report["summary"]["exposed_no_fallback"] == 1


def test_the_html_report_has_a_section_with_the_drills_of_its_paths(repo: Path, tmp_path: Path) -> None:
    history = tmp_path / "history.sqlite"
    record(history, "failed", age_days=1, passed=4)

    page = scan(repo, history, "html")

    [section] = re.findall(r'<section aria-labelledby="drills-title">(.*?)</section>', page, re.S)
    [row] = re.findall(r'<tr data-state="failed">(.*?)</tr>', section, re.S)
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:6] == ["chat", "claude", "src/chat.py", "drill failed", "40% (4/10)", "80%"]
    assert cells[7] == "not compared" and cells[10] == "vllm:qwen3", "a drill that did not ask the primary"
    translated = CliRunner().invoke(main, ["scan", str(repo), "--format", "html", "--lang", "zh-TW",
                                           "--history-db", str(history)]).output
    assert "演練（每個提示集的最新一次）" in translated and "演練未通過" in translated and "通過率" in translated


def test_without_drills_the_html_report_has_no_drills_section(repo: Path, tmp_path: Path) -> None:
    assert 'aria-labelledby="drills-title"' not in scan(repo, tmp_path / "none.sqlite", "html")
