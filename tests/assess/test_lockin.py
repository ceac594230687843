from datetime import date

import pytest

from offramp.assess import Policy, assess
from offramp.catalog import Catalog
from offramp.scan.findings import ScanResult, Target
from tests.assess.factory import BASE_HOURS, LOCKIN, make_path, small_catalog

HOURS = {rule.id: rule.hours for rule in LOCKIN.rule}


def assessed(path, catalog=None):
    result = assess(ScanResult("/repo", [path], []), Policy(), catalog or small_catalog(), date(2026, 11, 25))
    return result.paths[0]


@pytest.mark.parametrize(("path", "rule", "evidence"), [
    (make_path(operation="embeddings.create", operation_kind="embedding",
               targets=[Target("openai", "acme-embedder")]), "embeddings", "operation 'embedding'"),
    (make_path(operation="encode", operation_kind="chat", targets=[Target("openai", "text-embedding-3-large")]),
     "embeddings", "model 'text-embedding-3-large' has kind 'embedding'"),
    (make_path(targets=[Target("openai", "ft:gpt-4o-mini:acme::9abc")]), "fine-tuned",
     "model 'ft:gpt-4o-mini:acme::9abc' is a fine-tuned id"),
    (make_path(arguments=["model", "messages", "thinking"]), "extended-thinking", "argument 'thinking'"),
    (make_path(argument_values=["json_schema"]), "structured-outputs", "value 'json_schema'"),
    (make_path(operation="beta.chat.completions.parse"), "structured-outputs", "method 'parse'"),
    (make_path(argument_values=["image_url"]), "vision", "sends image"),
    (make_path(targets=[Target("aws-bedrock", "claude-long-v1")]), "long-context",
     "model 'claude-long-v1' has a 1,000,000-token context window"),
    (make_path(targets=[Target("aws-bedrock", "claude-long-v1")]), "no-substitute",
     "no open-weight substitute for 'claude-long-v1' in the catalog"),
])
def test_each_condition_triggers_its_rule_with_evidence(path, rule: str, evidence: str) -> None:
    hits = {hit.rule: hit for hit in assessed(path).lockin}
    assert rule in hits
    assert hits[rule].evidence == evidence
    assert hits[rule].reason.startswith(f"{rule}: +{HOURS[rule]:g} h: ")


def test_a_plain_chat_call_costs_the_base_hours_only() -> None:
    path = assessed(make_path(arguments=["model", "messages"], argument_values=["system", "user"]))
    assert path.lockin == ()
    assert path.replacement_hours == BASE_HOURS


def test_the_estimate_is_the_base_plus_every_rule_that_applies() -> None:
    path = assessed(make_path(targets=[Target("aws-bedrock", "claude-long-v1")], arguments=["thinking"],
                              argument_values=["json_schema", "image_url"]))
    applied = ["extended-thinking", "structured-outputs", "vision", "long-context", "no-substitute"]
    assert [hit.rule for hit in path.lockin] == applied
    assert path.replacement_hours == BASE_HOURS + 8 + 8 + 8 + 16 + 24
    assert path.estimate == ("replacement estimate 70 h = 6 h base + 8 h extended-thinking + 8 h structured-outputs"
                             " + 8 h vision + 16 h long-context + 24 h no-substitute")
    assert path.estimate in path.reasons


def test_model_facts_come_from_the_at_risk_targets_else_from_all() -> None:
    mixed = make_path(targets=[Target("ollama", "llama3.1:8b"), Target("openai", "gpt-4o")])
    assert "no-substitute" not in {hit.rule for hit in assessed(mixed).lockin}
    nothing_at_risk = make_path(targets=[Target("mistral", "acme-model")])
    assert "no-substitute" in {hit.rule for hit in assessed(nothing_at_risk).lockin}


def test_bundled_rules_and_hours_come_from_the_catalog() -> None:
    catalog = Catalog.load()
    embeddings = catalog.lockin_rule("embeddings")
    path = assessed(make_path(operation="embeddings.create", operation_kind="embedding"), catalog)
    hit = next(hit for hit in path.lockin if hit.rule == "embeddings")
    assert hit.hours == embeddings.hours
    assert path.replacement_hours == catalog.lockin.base_hours + sum(h.hours for h in path.lockin)


def test_hours_overridden_in_the_policy_catalog_table_are_used() -> None:
    catalog = Catalog.load({"lockin": {"hours": {"embeddings": 2, "base": 1}}})
    path = assessed(make_path(operation="embeddings.create", operation_kind="embedding"), catalog)
    assert next(hit for hit in path.lockin if hit.rule == "embeddings").hours == 2
    assert path.replacement_hours == 1 + sum(h.hours for h in path.lockin)


def test_realtime_audio_needs_a_realtime_call_or_a_speech_model_not_the_word_audio() -> None:
    wording = make_path(argument_values=["Summarise this audio transcript", "audio/notes.txt"])
    speech = make_path(argument_values=["gpt-4o-audio-preview"])
    session = make_path(operation="realtime.connect", operation_kind="realtime")
    bundled = Catalog.load()  # the rule under test is the bundled one
    assert "realtime-audio" not in {hit.rule for hit in assessed(wording, bundled).lockin}
    assert "realtime-audio" in {hit.rule for hit in assessed(speech, bundled).lockin}
    assert "realtime-audio" in {hit.rule for hit in assessed(session, bundled).lockin}
