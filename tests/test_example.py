"""The README's first command, end to end: `offramp scan` on the bundled example project.

Every expected value below was worked out by hand from design.md, the example's offramp.toml and the
catalog's lock-in rules; examples/acme-support/EXPECTED.md shows the working, path by path.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any, NamedTuple

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = "examples/acme-support"
PLANTED_KEY = "sk-proj-AcmeBackfill7Qw2Xe9Rt4Yu1Io8Pa5Sd3Fg6Hj0Kl2Zx"


class Expected(NamedTuple):
    providers: list[str]
    model: str
    critical: bool
    at_risk: bool
    ready_replacement: bool
    replacement_hours: float


# (file, line) -> what EXPECTED.md's table says; the row number there is in each comment.
EXPECTED_PATHS: dict[tuple[str, int], Expected] = {
    # 1: gpt-4o through a client imported from clients.py; base 6.
    ("acme_support/triage.py", 25): Expected(["openai"], "gpt-4o", True, True, False, 6),
    # 2: model from settings.SUMMARY_MODEL's getenv default; base 6 + extended-thinking 8.
    ("acme_support/summarize.py", 27): Expected(
        ["anthropic"], "claude-3-7-sonnet-20250219", True, True, False, 14),
    # 3: base 6 + embeddings 40 = 46, just under 48.
    ("acme_support/knowledge_base.py", 33): Expected(
        ["openai"], "text-embedding-3-small", True, True, False, 46),
    # 4: Assistants thread run; base 6 + server-state 48 = 54.
    ("acme_support/copilot.py", 27): Expected(["openai"], "gpt-4o", True, True, False, 54),
    # 5: waived in offramp.toml, still critical and at risk.
    ("acme_support/moderation.py", 15): Expected(["openai"], "omni-moderation-latest", True, True, False, 6),
    # 6: with_fallbacks([ChatOllama(...)]): ready replacement (the ChatOllama on line 23 is part of this path).
    ("acme_support/translation.py", 22): Expected(["openai"], "gpt-4o-mini", True, True, True, 6),
    # 7: LiteLLM fallbacks=["ollama/qwen2.5:7b"]: ready replacement.
    ("acme_support/drafting.py", 22): Expected(
        ["anthropic"], "anthropic/claude-3-5-sonnet-20241022", True, True, True, 6),
    # 8: ollama package, self-hosted.
    ("acme_support/pii.py", 28): Expected(["ollama"], "qwen2.5:7b", True, False, False, 6),
    # 9: OpenAI SDK with base_url=DEEPSEEK_BASE_URL: DeepSeek, open weights.
    ("acme_support/macros.py", 24): Expected(["deepseek"], "deepseek-chat", True, False, False, 6),
    # 10: os.getenv("ACME_REWRITE_MODEL") without default, resolved from .env.example.
    ("acme_support/rewrite.py", 21): Expected(["openai"], "gpt-4o-mini", True, True, False, 6),
    # 11: try/except switching to local_client (line 36, base_url from OLLAMA_BASE_URL's localhost default):
    # ready replacement.
    ("acme_support/answers.py", 33): Expected(["openai"], "gpt-4o-mini", True, True, True, 6),
    # 12: a script, critical by the policy's `critical` list.
    ("scripts/nightly_batch.py", 38): Expected(
        ["aws-bedrock"], "anthropic.claude-3-haiku-20240307-v1:0", True, True, False, 6),
    # 13: one-off script; base 6 + embeddings 40.
    ("scripts/backfill_embeddings.py", 27): Expected(
        ["openai"], "text-embedding-3-small", False, True, False, 46),
    # 14, 15: tests.
    ("tests/test_live_smoke.py", 13): Expected(["openai"], "gpt-4o-mini", False, True, False, 6),
    ("tests/test_live_smoke.py", 20): Expected(
        ["anthropic"], "claude-3-5-haiku-20241022", False, True, False, 6),
    # 16: notebooks.
    ("notebooks/tone_eval.py", 20): Expected(
        ["anthropic"], "claude-3-5-haiku-20241022", False, True, False, 6),
    # 17: the Next.js console, Vercel AI SDK; the code's `?? "gpt-4o-mini"` default applies, REPLY_MODEL overrides
    # it (gpt-4.1-mini in deploy/docker-compose.yml, the second target); base 6 + long-context 16 (gpt-4.1-mini:
    # 1M window).
    ("web/app/api/reply/route.ts", 15): Expected(["openai"], "gpt-4o-mini", True, True, False, 22),
    # 18: our own vLLM through createOpenAICompatible (localhost:8000 default): self-hosted, not at risk.
    ("web/lib/suggest.ts", 11): Expected(["vllm"], "Qwen/Qwen2.5-7B-Instruct", True, False, False, 6),
    # 19: a vitest file: not critical.
    ("web/lib/suggest.test.ts", 6): Expected(["openai"], "gpt-4o-mini", False, True, False, 6),
    # 20: the Go tagger service, Bedrock Converse; TAGGER_MODEL_ID is set nowhere, so the constant applies.
    ("services/tagger/main.go", 39): Expected(
        ["aws-bedrock"], "anthropic.claude-3-5-haiku-20241022-v1:0", True, True, False, 6),
    # 21: the except branch of #11 sends whenever #11 fails: listed as a path, self-hosted, and counted with #11
    # (not critical on its own), so that the fallback does not also dilute the denominator.
    ("acme_support/answers.py", 36): Expected(["ollama"], "qwen2.5:7b", False, False, False, 6),
}

NOT_PATHS = [
    ("acme_support/notify.py", 22),  # Slack WebClient.chat_postMessage
    ("acme_support/notify.py", 33),  # Twilio client.messages.create
    ("acme_support/copilot.py", 36),  # reading a thread's messages asks no model
    ("acme_support/translation.py", 23),  # the ChatOllama fallback: part of the path on line 22
    ("web/lib/tickets.ts", 4),  # fetch to the product's own API (http://api:8080), not to a model
]
# (file, line) of a path -> (provider, model) of the fallback that makes it ready.
EXPECTED_FALLBACKS = {
    ("acme_support/translation.py", 22): ("ollama", "llama3.1:8b"),
    ("acme_support/drafting.py", 22): ("ollama", "ollama/qwen2.5:7b"),
    ("acme_support/answers.py", 33): ("ollama", "qwen2.5:7b"),
}
FILES_WITHOUT_PATHS = {
    "acme_support/notify.py", "acme_support/status.py", "tests/test_triage.py",
    "acme_support/clients.py", "acme_support/settings.py", ".env.example", "pyproject.toml",
}


class Scan(NamedTuple):
    report: dict[str, Any]
    stdout: str
    stderr: str


@pytest.fixture(scope="module")
def scan() -> Scan:
    done = subprocess.run(
        [sys.executable, "-m", "offramp", "scan", EXAMPLE, "--format", "json"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, f"offramp scan exited {done.returncode}:\n{done.stderr}"
    return Scan(json.loads(done.stdout), done.stdout, done.stderr)


def _paths_by_place(report: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(path["file"], path["line"]): path for path in report["paths"]}


def test_summary_numbers(scan: Scan) -> None:
    summary = scan.report["summary"]
    assert summary["critical_paths"] == 15
    # triage, summarize, knowledge base, copilot, rewrite, nightly, the console's reply route, the Go tagger
    assert summary["exposed_no_fallback"] == 8
    assert summary["exposed_48h"] == 1  # copilot (54 h)
    assert summary["exposure_no_fallback"] == pytest.approx(8 / 15, rel=1e-3)
    assert summary["exposure_48h"] == pytest.approx(1 / 15, rel=1e-3)


def test_exactly_the_planted_paths_are_found(scan: Scan) -> None:
    found = set(_paths_by_place(scan.report))
    assert sorted(found - EXPECTED_PATHS.keys()) == [], "paths found that EXPECTED.md does not list"
    assert sorted(EXPECTED_PATHS.keys() - found) == [], "planted paths the scan missed"


@pytest.mark.parametrize("place", list(EXPECTED_PATHS), ids=lambda place: f"{place[0]}:{place[1]}")
def test_each_path(scan: Scan, place: tuple[str, int]) -> None:
    path = _paths_by_place(scan.report).get(place)
    assert path is not None, f"no path at {place[0]}:{place[1]}"
    expected = EXPECTED_PATHS[place]
    actual = Expected(
        sorted(path["providers"]), path["model"], path["critical"], path["at_risk"],
        path["ready_replacement"], path["replacement_hours"],
    )
    assert actual == expected
    assert path["reasons"], "every path must say why"


@pytest.mark.parametrize(("place", "rule"), [
    (("acme_support/summarize.py", 27), "extended-thinking"),
    (("acme_support/knowledge_base.py", 33), "embeddings"),
    (("acme_support/copilot.py", 27), "server-state"),
])
def test_lockin_reasons_name_the_rule(scan: Scan, place: tuple[str, int], rule: str) -> None:
    reasons = json.dumps(_paths_by_place(scan.report)[place]["reasons"])
    assert rule in reasons


def test_ready_replacements_name_their_fallback(scan: Scan) -> None:
    with_fallbacks = {place: [(t["provider"], t["model"]) for t in path["fallbacks"]]
                      for place, path in _paths_by_place(scan.report).items() if path["fallbacks"]}
    assert with_fallbacks == {place: [fallback] for place, fallback in EXPECTED_FALLBACKS.items()}


def test_the_waiver_covers_only_the_moderation_path(scan: Scan) -> None:
    waived = {place: path["waiver"] for place, path in _paths_by_place(scan.report).items() if path["waiver"]}
    assert list(waived) == [("acme_support/moderation.py", 15)]
    waiver = waived["acme_support/moderation.py", 15]
    assert (waiver["owner"], waiver["expires"], waiver["expired"]) == (
        "trust-safety@acme.example.tw", "2030-06-30", False)


def test_look_alikes_are_not_paths(scan: Scan) -> None:
    places = _paths_by_place(scan.report)
    assert [place for place in NOT_PATHS if place in places] == []
    assert sorted({file for file, _ in places} & FILES_WITHOUT_PATHS) == []


def test_no_secret_in_output(scan: Scan) -> None:
    for stream in (scan.stdout, scan.stderr):
        assert PLANTED_KEY not in stream
        assert PLANTED_KEY[12:] not in stream  # not even the key without its recognisable prefix


def test_configuration_no_code_reads_is_reported_and_the_rest_links_to_paths() -> None:
    from offramp.catalog import Catalog
    from offramp.scan.driver import ScanOptions, scan_tree

    result = scan_tree(REPO_ROOT / EXAMPLE, Catalog.load(), ScanOptions(workers=1))
    # EXPECTED.md, "Configuration": three values no code path reads; REPLY_MODEL & co. resolved paths instead.
    assert [(c.line, c.key, c.provider, c.model) for c in result.config] == [
        (18, "ANALYTICS_SUMMARY_MODEL", "anthropic", "claude-3-5-haiku-20241022"),
        (20, "services.vllm.image", "vllm", "Qwen/Qwen2.5-7B-Instruct"),
        (24, "services.ollama.image", "ollama", None),
    ]
    assert {(d.file, d.package) for d in result.dependencies} >= {
        ("web/package.json", "ai"), ("web/package.json", "@ai-sdk/openai"), ("pyproject.toml", "openai")}
