import pytest

from offramp.assess.criticality import classify, default_rules
from offramp.assess.policy import Policy


@pytest.mark.parametrize(("file", "rule"), [
    ("tests/test_chat.py", "tests"),
    ("services/api/tests/helpers.py", "tests"),
    ("app/test_chat.py", "tests"),
    ("app/chat_test.py", "tests"),
    ("conftest.py", "tests"),
    ("app/tests.py", "tests"),
    ("web/src/__tests__/chat.ts", "tests"),
    ("web/src/chat.test.ts", "tests"),
    ("web/src/chat.spec.tsx", "tests"),
    ("spec/chat_spec.rb", "tests"),
    ("svc/chat_test.go", "tests"),
    ("svc/src/test/java/com/acme/ChatTest.java", "tests"),
    ("svc/src/main/java/com/acme/ChatIT.java", "tests"),
    ("tests/fixtures/llm.py", "tests"),
    ("app/fixtures/llm.py", "fixtures"),
    ("examples/quickstart.py", "examples"),
    ("packages/sdk/samples/chat.py", "examples"),
    ("demo/app.py", "examples"),
    ("docs/guide.md", "docs"),
    ("docs/snippets/chat.py", "docs"),
    ("README.md", "docs"),
    ("notebooks/explore.py", "notebooks"),
    ("analysis/explore.ipynb", "notebooks"),
    ("benchmarks/latency.py", "benchmarks"),
    ("evals/run_evals.py", "benchmarks"),
    ("scripts/backfill.py", "scripts"),
])
def test_default_rules_mark_non_production_code_not_critical(file: str, rule: str) -> None:
    verdict = classify(file, Policy())
    assert (verdict.critical, verdict.rule) == (False, rule)
    assert "not critical" in verdict.why


@pytest.mark.parametrize("file", [
    "app/chat.py",
    "bin/serve.py",            # entry points ship
    "app/tools/search.py",     # agent tools run in production
    "migrations/0007_reembed.py",
    "app/contest.py",          # not conftest.py
    "app/latest_model.py",     # 'test' inside a word
    "app/attestation/sign.py",
    "src/main/java/com/acme/Chat.java",
])
def test_production_code_is_critical(file: str) -> None:
    verdict = classify(file, Policy())
    assert verdict.critical
    assert verdict.rule is None
    assert "production code" in verdict.why


def test_policy_not_critical_glob_beats_the_default() -> None:
    policy = Policy(not_critical=("app/playground/**",))
    verdict = classify("app/playground/try.py", policy)
    assert not verdict.critical
    assert "'app/playground/**' in `not_critical`" in verdict.why
    assert classify("app/chat.py", policy).critical


def test_policy_critical_glob_beats_a_default_rule() -> None:
    verdict = classify("scripts/nightly_reindex.py", Policy(critical=("scripts/nightly_*.py",)))
    assert verdict.critical
    assert "critical by policy" in verdict.why
    assert not classify("scripts/one_off.py", Policy(critical=("scripts/nightly_*.py",))).critical


def test_a_path_in_both_policy_lists_is_critical() -> None:
    policy = Policy(critical=("app/admin/report.py",), not_critical=("app/admin/",))
    assert classify("app/admin/report.py", policy).critical
    assert not classify("app/admin/other.py", policy).critical


def test_rule_ids_are_unique_and_every_rule_says_why() -> None:
    ids = [rule.id for rule in default_rules()]
    assert len(ids) == len(set(ids))
    assert all(rule.why and rule.globs for rule in default_rules())


def test_a_java_package_named_example_is_production_code_but_an_examples_project_is_not() -> None:
    from offramp.assess.criticality import classify, layout_path
    from offramp.assess.policy import Policy

    policy = Policy()
    assert layout_path("shop/src/main/java/com/example/shop/App.java") == "shop/src/main/java/App.java"
    assert classify("src/main/java/com/example/shop/ChatService.java", policy).critical
    assert classify("app/src/main/kotlin/com/example/demo/Bot.kt", policy).critical
    assert not classify("examples/chat/src/main/java/com/acme/Chat.java", policy).critical
    assert not classify("src/test/java/com/example/ChatServiceTest.java", policy).critical
