from datetime import date

import pytest

from offramp.assess import Policy, PolicyError, assess, check_policy
from offramp.assess.policy import Replacement
from offramp.scan.findings import ScanResult, Target
from tests.assess.factory import make_path, small_catalog


def assessed(path, policy: Policy | None = None):
    result = assess(ScanResult("/repo", [path], []), policy or Policy(), small_catalog(), date(2026, 11, 25))
    return result.paths[0]


def test_a_fallback_to_a_self_hosted_model_is_a_ready_replacement() -> None:
    path = assessed(make_path(fallbacks=[Target("ollama", "llama3.1:8b")], fallback_why="litellm fallbacks="))
    assert path.at_risk
    assert path.ready_replacement
    assert path.replacement.source == "code"
    assert path.replacement.why == ("ready replacement in code: fallback to llama3.1:8b on ollama (litellm "
                                    "fallbacks=) is not at risk: provider ollama is self-hosted: it runs on your "
                                    "own machines")
    assert not path.exposed_no_fallback


def test_a_fallback_to_another_us_closed_model_is_not_ready() -> None:
    path = assessed(make_path(fallbacks=[Target("openai", "gpt-4o-mini")]))
    assert not path.ready_replacement
    assert path.exposed_no_fallback
    assert "the fallback to gpt-4o-mini on openai is itself at risk" in path.replacement.why


def test_one_safe_fallback_in_a_chain_is_enough() -> None:
    path = assessed(make_path(fallbacks=[Target("openai", "gpt-4o-mini"), Target("deepseek", "deepseek-chat")]))
    assert path.ready_replacement
    assert path.replacement.target.provider == "deepseek"


def test_an_open_model_fallback_at_a_us_provider_is_ready() -> None:
    assert assessed(make_path(fallbacks=[Target("groq", "llama-3.1-8b-instant")])).ready_replacement


def test_no_fallback_says_so() -> None:
    path = assessed(make_path())
    assert not path.ready_replacement
    assert path.replacement.why == "no ready replacement: no fallback found in code or declared in the policy"
    assert path.replacement.why in path.reasons


def test_a_declared_replacement_covers_matching_files_only() -> None:
    policy = Policy(replacement=[Replacement(path="app/chat/**", provider="ollama", model="qwen3:32b",
                                             reason="LLM_BACKEND=ollama")])
    covered = assessed(make_path("app/chat/answer.py"), policy)
    assert covered.ready_replacement
    assert covered.replacement.source == "policy"
    why = covered.replacement.why
    assert "declared in the policy for 'app/chat/**': qwen3:32b on ollama (LLM_BACKEND=ollama)" in why
    assert not assessed(make_path("app/search.py"), policy).ready_replacement


def test_a_declared_replacement_that_is_itself_at_risk_does_not_count() -> None:
    policy = Policy(replacement=[Replacement(path="app/", provider="aws-bedrock", model="gpt-4o-mini",
                                             reason="same model on Bedrock")])
    path = assessed(make_path(), policy)
    assert not path.ready_replacement
    assert "the replacement declared in the policy for 'app/' (gpt-4o-mini on aws-bedrock) is itself at risk" \
        in path.replacement.why


def test_a_declared_replacement_must_name_a_catalog_provider() -> None:
    policy = Policy(replacement=[Replacement(path="app/", provider="vlm", reason="typo")])
    with pytest.raises(PolicyError, match=r"^policy: replacement\[0\].provider: 'vlm' is not a provider in the"):
        assessed(make_path(), policy)
    with pytest.raises(PolicyError, match=r"^offramp.toml: replacement\[0\]"):
        check_policy(policy, small_catalog(), "offramp.toml")
