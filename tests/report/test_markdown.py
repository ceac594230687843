"""Markdown for a pull-request comment: numbers and change first, new at-risk paths next, details folded."""

import re
from datetime import date

from offramp.assess import Assessment, Policy, assess
from offramp.report.baseline import diff
from offramp.report.json_report import to_json
from offramp.report.markdown import to_markdown
from offramp.scan.findings import ScanResult, Target
from tests.assess.factory import make_path, small_catalog
from tests.report.conftest import SECRET


def test_numbers_come_first_then_folded_details(assessment: Assessment) -> None:
    text = to_markdown(assessment)
    assert text.startswith("### 🔴 Offramp: Exposure (48 h) 25.0% · Exposure (no fallback) 50.0%\n")
    assert "| Exposure (48 h) | 25.0% (1 of 4 critical paths) |" in text
    exposed = text.index("<details><summary>Exposed paths (2): critical, at risk, no ready replacement</summary>")
    assert exposed < text.index("<details><summary>At risk but with a ready replacement or a waiver (1)</summary>")
    rows = [line for line in text[exposed:].splitlines() if line.startswith("| 🔴") or line.startswith("| 🟠")]
    assert [row.split("`")[1] for row in rows] == ["app/[tenant]/embed.py:40", "app/chat.py:12"]  # most work first
    assert "| 70 h |" in rows[0] and "Qwen3 32B" in rows[1]
    assert "<details><summary>Skipped 2 files</summary>" in text
    assert text.count("<details>") == text.count("</details>")
    assert SECRET not in text


def test_with_a_baseline_the_change_and_the_new_at_risk_paths_lead(assessment: Assessment) -> None:
    previous = to_json(assessment)
    previous["paths"] = [p for p in previous["paths"] if p["file"] != "app/chat.py"]
    previous["summary"] |= {"exposed_no_fallback": 1, "exposure_no_fallback": 0.25, "critical_paths": 3}
    text = to_markdown(assessment, diff(previous, to_json(assessment), "main.json"))
    assert "| Exposure (no fallback) | 50.0% (2 of 4 critical paths) | 25.0% | +25.0 pts |" in text
    assert "| Critical paths | 4 | 3 | +1 |" in text
    new = text.index("**New at-risk paths (1)**")
    assert new < text.index("<details>")
    assert re.search(r"- 🟠 `app/chat\.py:12` gpt-4o on openai · exposed, no ready replacement · 14 h · "
                     r"substitutes: Qwen3 32B", text)


def test_no_change_says_so(assessment: Assessment) -> None:
    report = to_json(assessment)
    text = to_markdown(assessment, diff(report, report, "main.json"))
    assert "No new at-risk path since main.json." in text and "±0" in text


def test_long_lists_are_capped_and_say_how_many_more() -> None:
    paths = [make_path(f"app/m{i:03}.py", line=i + 1) for i in range(60)]
    big = assess(ScanResult("/repo", paths, []), Policy(), small_catalog(), date(2026, 11, 25))
    text = to_markdown(big, max_rows=10)
    assert text.count("| 🟠 `app/m") == 10
    assert "… and 50 more (the JSON report lists every one)" in text
    assert len(to_markdown(big)) < 65536  # fits a GitHub comment


def test_names_cannot_break_the_markdown() -> None:
    odd = make_path("app/we|ird`<b>*x*.py", [Target("openai", "gpt-4o|<img src=x>")])
    text = to_markdown(assess(ScanResult("/repo", [odd], []), Policy(), small_catalog(), date(2026, 11, 25)))
    [row] = [line for line in text.splitlines() if line.startswith("| 🟠")]
    assert row.count(" | ") == 4  # five cells, no stray pipe
    assert re.search(r"(?<!\\)<img", text) is None  # escaped outside code spans
    assert "`app/we\\|ird'<b>*x*.py:10`" in row and "gpt-4o\\|\\<img src=x\\>" in row
