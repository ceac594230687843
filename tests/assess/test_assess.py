"""The numbers, computed by hand for a hand-built scan, and the waivers that change them."""

from datetime import date

import pytest

from offramp.assess import Policy, assess
from offramp.assess.policy import Waiver
from offramp.scan.findings import ScanResult, Target
from tests.assess.factory import make_path, small_catalog

TODAY = date(2026, 11, 25)
EMBED = {"operation": "embeddings.create", "operation_kind": "embedding"}

PATHS = [
    # critical, at risk, no fallback, 6 h
    make_path("app/chat.py"),
    # critical, at risk, no fallback: 6 + 40 embeddings + 24 no-substitute = 70 h
    make_path("app/rag/embed.py", [Target("openai", "text-embedding-3-large")], **EMBED),
    # critical, at risk, no fallback: 6 + 16 long-context + 24 no-substitute = 46 h
    make_path("app/agent.py", [Target("aws-bedrock", "claude-long-v1")]),
    # as above + 8 extended-thinking = 54 h
    make_path("app/agent_thinking.py", [Target("aws-bedrock", "claude-long-v1")], arguments=["thinking"]),
    # critical, at risk, ready replacement
    make_path("app/fallback.py", fallbacks=[Target("ollama", "llama3.1:8b")]),
    # critical, not at risk: open weights
    make_path("app/cn.py", [Target("deepseek", "deepseek-chat")]),
    # critical, at risk, no fallback, waived until 2027: 6 + 40 fine-tuned = 46 h
    make_path("app/legacy/old.py", [Target("openai", "ft:gpt-4o-mini:acme::9abc")]),
    # critical, at risk, no fallback, waiver expired: 70 h
    make_path("app/expired/embed.py", [Target("openai", "text-embedding-3-large")], **EMBED),
    # not critical
    make_path("tests/test_chat.py"),
    make_path("examples/demo.py", [Target("aws-bedrock", "claude-long-v1")]),
]
WAIVERS = [
    Waiver(path="app/legacy/", reason="replaced in Q1", owner="platform-team", expires=date(2027, 1, 1)),
    Waiver(path="app/expired/", reason="was to be replaced", owner="search-team", expires=date(2026, 10, 1)),
    Waiver(path="app/cn.py", reason="nothing to waive", owner="nobody", expires=date(2027, 1, 1)),
]


@pytest.fixture(scope="module")
def assessment():
    return assess(ScanResult("/repo", PATHS, []), Policy(waiver=WAIVERS), small_catalog(), TODAY)


def test_the_numbers_match_a_hand_count(assessment) -> None:
    numbers = assessment.numbers
    assert numbers.paths == 10
    assert numbers.critical_paths == 8
    assert numbers.at_risk_paths == 7            # all critical but app/cn.py
    assert numbers.exposed_no_fallback == 5      # chat, rag/embed, agent, agent_thinking, expired/embed
    assert numbers.exposed_48h == 3              # rag/embed (70), agent_thinking (54), expired/embed (70)
    assert numbers.waived_paths == 1             # legacy/old
    assert numbers.exposure_no_fallback == 5 / 8
    assert numbers.exposure_48h == 3 / 8
    assert numbers.note is None


def test_each_path_carries_its_verdicts(assessment) -> None:
    by_file = {p.path.file: p for p in assessment.paths}
    assert [by_file[f].replacement_hours for f in ("app/chat.py", "app/rag/embed.py", "app/agent.py",
                                                   "app/agent_thinking.py", "app/legacy/old.py")] == [6, 70, 46, 54, 46]
    assert by_file["app/agent.py"].exposed_no_fallback and not by_file["app/agent.py"].exposed_48h
    assert not by_file["tests/test_chat.py"].exposed_no_fallback
    assert by_file["tests/test_chat.py"].at_risk
    assert all(not p.verified for p in assessment.paths)


def test_an_active_waiver_keeps_a_path_out_of_the_numbers(assessment) -> None:
    legacy = next(p for p in assessment.paths if p.path.file == "app/legacy/old.py")
    assert legacy.waived
    assert not legacy.exposed_no_fallback
    assert "waiver for app/legacy/ owned by platform-team until 2027-01-01: replaced in Q1" in legacy.reasons
    status = assessment.waivers[0]
    assert (status.expired, status.paths) == (False, ("app/legacy/old.py:10",))


def test_an_expired_waiver_stops_counting_and_says_so(assessment) -> None:
    expired = next(p for p in assessment.paths if p.path.file == "app/expired/embed.py")
    assert not expired.waived
    assert expired.exposed_48h
    status = assessment.waivers[1]
    assert status.expired
    assert status.summary == ("waiver for app/expired/ owned by search-team expired on 2026-10-01: its paths "
                              "count again")
    assert status.summary in expired.reasons


def test_a_waiver_covers_only_paths_that_would_be_exposed(assessment) -> None:
    assert assessment.waivers[2].paths == ()
    assert next(p for p in assessment.paths if p.path.file == "app/cn.py").waiver is None


def test_a_waiver_expires_on_its_expiry_date() -> None:
    waiver = Waiver(path="app/", reason="r", owner="o", expires=TODAY)
    result = assess(ScanResult("/repo", [make_path()], []), Policy(waiver=[waiver]), small_catalog(), TODAY)
    assert result.waivers[0].expired
    assert result.numbers.exposed_no_fallback == 1


def test_exposure_48h_counts_estimates_strictly_above_48_hours() -> None:
    catalog = small_catalog().extended({"lockin": {"hours": {"base": 8}}}, "test")
    path = make_path(targets=[Target("openai", "ft:gpt-4o-mini:acme::9abc")])  # 8 + 40 fine-tuned = 48 h
    result = assess(ScanResult("/repo", [path], []), Policy(), catalog, TODAY)
    assert result.paths[0].replacement_hours == 48
    assert (result.numbers.exposed_no_fallback, result.numbers.exposed_48h) == (1, 0)


def test_no_critical_paths_gives_zero_and_says_why() -> None:
    result = assess(ScanResult("/repo", [make_path("tests/test_chat.py")], []), Policy(), small_catalog(), TODAY)
    numbers = result.numbers
    assert (numbers.critical_paths, numbers.exposure_48h, numbers.exposure_no_fallback) == (0, 0.0, 0.0)
    assert numbers.note == "no critical paths found: both exposures are 0 by definition"


def test_a_path_with_several_targets_is_at_risk_if_any_target_is() -> None:
    path = make_path(targets=[Target("deepseek", "deepseek-chat"), Target("openai", "gpt-4o")])
    assessed = assess(ScanResult("/repo", [path], []), Policy(), small_catalog(), TODAY).paths[0]
    assert assessed.at_risk
    assert [t.provider for t in assessed.at_risk_targets] == ["openai"]
    assert assessed.jurisdictions == ["CN", "US"]
    assert assessed.open_weights is False
    assert any(r.startswith("gpt-4o on openai: provider openai is in US") for r in assessed.reasons)


def test_the_policy_at_risk_set_changes_the_numbers() -> None:
    path = make_path(targets=[Target("dashscope", "qwen-max")])
    scan = ScanResult("/repo", [path], [])
    assert assess(scan, Policy(), small_catalog(), TODAY).numbers.exposed_no_fallback == 0
    assert assess(scan, Policy(at_risk=("US", "CN")), small_catalog(), TODAY).numbers.exposed_no_fallback == 1
