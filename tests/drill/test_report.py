"""`offramp drill report`: the latest verdict per prompt set as a table, JSON, Markdown and an HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from offramp.cli import main
from tests.drill.conftest import Project
from tests.drill.test_scan import POLICY, record
from tests.report.test_translations import _VisibleText

CITY = '{"city": "Taipei"}'


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


def _mixed_drill(project: Project) -> None:
    """A real drill compared with the primary, in which three prompts pass and two fail their exact-match check
    (both sides answer the same JSON, so the comparison passes)."""
    primary = project.upstream("anthropic", "claude")
    fallback = project.upstream("openai", "qwen3")
    primary.words = fallback.words = [CITY]
    lines = [json.dumps({"id": f"good-{i}", "messages": [{"role": "user", "content": f"hello {i}"}],
                         "expected_regex": "city"}) for i in range(3)]
    lines += [json.dumps({"id": f"capital-{i}", "messages": [{"role": "user", "content": "Capital of France?"}],
                          "expected": "Paris"}) for i in range(2)]
    project.standard(primary, fallback, "\n".join(lines) + "\n", policy_extra="threshold = 0.5")
    done = project.drill("run", "--compare-with-primary", "on")
    assert done.returncode == 0, done.stdout + done.stderr


def _visible(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def test_the_html_page_shows_each_sets_verdict_numbers_and_failing_prompts(project: Project) -> None:
    _mixed_drill(project)
    page_file = project.root / "drills.html"

    report(project.root, project.history, "--format", "html", "-o", str(page_file), "--lang", "en")

    page = page_file.read_text(encoding="utf-8")
    text = _visible(page)
    assert '<html lang="en">' in page and "<script" not in page and "http" not in page.split("<body>")[1]
    assert "Drills: 1 verified, 0 failed, 0 stale" in text
    [row] = re.findall(r'<tr data-state="verified">(.*?)</tr>', page, re.S)
    cells = [" ".join(_visible(cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells[:6] == ["chat", "claude", "src/chat.py", "verified", "60% (3/5)", "50%"]
    assert re.fullmatch(r"\d+ / \d+ / \d+", cells[6]), "the fallback's latency p50 / p95 / p99"
    assert re.fullmatch(r"\d+ / \d+ / \d+", cells[7]), "the primary's latency p50 / p95 / p99"
    assert cells[8:11] == ["55 / 35", "55 / 35", "vllm:qwen3"]  # 5 prompts of 11 and 7 tokens on each side
    assert "chat: failing prompts (2)" in text and "their text is in drills/chat.jsonl" in text
    assert "capital-0 answered vllm:qwen3 exact match : expected 'Paris'" in text and "capital-1" in text
    assert "good-0" not in text and "Capital of France" not in text, "prompts are named by id, not by their text"
    assert f"{CITY} {CITY}" in text, "the failing answer and the primary's, so a reader sees what went wrong"


def test_the_html_page_is_all_zh_tw(project: Project) -> None:
    _mixed_drill(project)
    done = CliRunner().invoke(main, ["drill", "report", str(project.root), "--history-db", str(project.history),
                                     "--format", "html", "--lang", "zh-TW"])
    assert done.exit_code == 0, done.output
    assert '<html lang="zh-TW">' in done.output
    text = _visible(done.output)
    assert "演練：1 項已驗證、0 項未通過、0 項已過期" in text and "未通過的提示（2 個）" in text
    assert "完全相符" in text and "通過率" in text
    data = ["chat", "claude", "src/chat.py", "vllm:qwen3", "capital-0", "capital-1", "UTC", "Offramp",
            CITY, "drill.max_age_days", "offramp", "p50/p95/p99", "drills/chat.jsonl"]
    details = json.loads(report(project.root, project.history, "--format", "json"))["drills"][0]["failing"]
    data += [check["detail"] for prompt in details for check in prompt["failed"]]
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    assert re.findall(r"[A-Za-z]{3,}", text) == []


def test_json_lists_every_failing_prompt_with_the_checks_it_failed(project: Project) -> None:
    _mixed_drill(project)
    [row] = json.loads(report(project.root, project.history, "--format", "json"))["drills"]
    assert [p["prompt"] for p in row["failing"]] == ["capital-0", "capital-1"]
    assert {check["scorer"] for p in row["failing"] for check in p["failed"]} == {"exact"}
    assert row["prompt_set"] == "drills/chat.jsonl", "where a failing prompt's text is"
    assert row["primary"]["target"] == "anthropic:claude-sonnet-4-5" and row["primary"]["answered"] == 5
    assert (row["primary"]["input_tokens"], row["primary"]["output_tokens"]) == (55, 35)
    assert set(row["primary"]["latency_ms"]) == {"p50", "p95", "p99"} and set(row["latency_ms"]) == {"p50", "p95", "p99"}


def test_terminal_and_markdown_name_the_failing_prompts_by_id_and_show_both_sides(project: Project) -> None:
    _mixed_drill(project)
    terminal = " ".join(report(project.root, project.history).split())
    markdown = report(project.root, project.history, "--format", "markdown")
    for text in (terminal, markdown):
        assert "chat: failing prompts (2): capital-0, capital-1 (their text: drills/chat.jsonl)" in text
        assert "Capital of France" not in text and "good-0" not in text
        assert "primary latency p50/p95/p99 ms" in text and "primary tokens in / out" in text
    [row] = [line for line in markdown.splitlines() if line.startswith("| chat |")]
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert re.fullmatch(r"\d+ / \d+ / \d+", cells[7]) and cells[8:10] == ["55 / 35", "55 / 35"]
