import io
import re
from datetime import date

from rich.console import Console

from offramp.assess import Assessment, Policy, assess
from offramp.report.terminal import render
from offramp.scan.findings import ScanResult
from tests.assess.factory import make_path, small_catalog
from tests.report.conftest import SECRET

ANSI = re.compile(r"\x1b\[")


def rendered(assessment: Assessment, *, width: int = 80, terminal: bool = False) -> str:
    stream = io.StringIO()
    render(assessment, Console(file=stream, width=width, force_terminal=terminal))
    return stream.getvalue()


def test_the_two_numbers_come_first(assessment: Assessment) -> None:
    lines = rendered(assessment).splitlines()
    # 4 critical paths: 1 exposed above 48 h (embed, 70 h), 2 exposed in all (plus chat, 14 h).
    assert re.fullmatch(r"Exposure \(48 h\):\s+25\.0%\s+\(1 of 4 critical paths\)", lines[0])
    assert re.fullmatch(r"Exposure \(no fallback\):\s+50\.0%\s+\(2 of 4 critical paths\)", lines[1])
    assert "at risk: US · home: TW" in lines[2]


def test_exposed_paths_are_sorted_by_replacement_estimate_with_their_reasons(assessment: Assessment) -> None:
    text = rendered(assessment)
    embed, chat = text.index("70 h app/[tenant]/embed.py:40"), text.index("14 h app/chat.py:12")
    assert embed < chat
    assert "text-embedding-3-large on openai  > 48 h" in text
    section = text[embed:chat]
    assert "· provider openai is in US, an at-risk jurisdiction" in section
    assert "no-substitute" in section
    assert "waiver for app/\\[tenant\\]/ owned by search-team expired on 2026-10-01" in section


def test_the_rest_is_counted_after_the_exposed_paths(assessment: Assessment) -> None:
    text = rendered(assessment)
    assert "app/fallback.py:10  gpt-4o on openai -> llama3.1:8b on ollama (code)" in text
    assert "Not at risk: 1 critical path" in text
    assert "Not critical: 1 path (tests 1)" in text
    assert "Waivers: 0 active, 1 expired" in text
    assert "Skipped 2 files:" in text and "app/broken.py: syntax error at line 3" in text
    assert "API keys written in source: 1" in text and "app/chat.py:3  sk-p…6789" in text
    assert "`offramp explain text-embedding-3-large` lists substitutes" in text
    assert SECRET not in text


def test_plain_text_without_colour_codes_when_not_a_terminal(assessment: Assessment) -> None:
    assert not ANSI.search(rendered(assessment))
    assert ANSI.search(rendered(assessment, terminal=True))  # the same report does colour a terminal


def test_fits_80_columns_without_trailing_blanks(assessment: Assessment) -> None:
    long_name = "app/" + "very_long_package_name/" * 5 + "module.py"
    long = assess(ScanResult("/repo", [make_path(long_name)], []), Policy(), small_catalog(), date(2026, 11, 25))
    for line in (rendered(assessment, width=80) + rendered(long, width=80)).splitlines():
        assert len(line) <= 80, line
        assert line == line.rstrip(), line


def test_a_tree_with_no_critical_path_says_why_the_numbers_are_zero() -> None:
    result = assess(ScanResult("/repo", [make_path("tests/test_chat.py")], []), Policy(), small_catalog(),
                    date(2026, 11, 25))
    lines = rendered(result).splitlines()
    assert lines[0].startswith("Exposure (48 h):") and "0.0%" in lines[0] and "(0 of 0 critical paths)" in lines[0]
    assert "no critical paths found: both exposures are 0 by definition" in lines[3]


def test_with_a_baseline_the_change_follows_the_numbers(assessment: Assessment) -> None:
    from offramp.report.baseline import diff
    from offramp.report.json_report import to_json

    previous = to_json(assessment)
    previous["paths"] = [p for p in previous["paths"] if not p["file"].endswith("embed.py")]
    previous["summary"] |= {"exposure_48h": 0.0}
    stream = io.StringIO()
    render(assessment, Console(file=stream, width=100), baseline=diff(previous, to_json(assessment), "main.json"))
    lines = stream.getvalue().splitlines()
    assert lines[3] == "Since main.json: 1 new, 0 removed, 0 changed; Exposure (48 h) +25.0 pts"
    assert lines[4] == "  + new exposed path app/[tenant]/embed.py:40"
