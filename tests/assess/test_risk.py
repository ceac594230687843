from offramp.assess.risk import assess_target
from offramp.scan.findings import Target
from tests.assess.factory import small_catalog

US = frozenset({"US"})
US_CN = frozenset({"US", "CN"})


def judge(provider: str | None, model: str | None, at_risk: frozenset[str] = US, unresolved: str | None = None):
    return assess_target(Target(provider, model, unresolved=unresolved), small_catalog(), at_risk)


def test_closed_model_at_an_at_risk_provider_is_at_risk() -> None:
    risk = judge("openai", "gpt-4o-2024-08-06")
    assert risk.at_risk
    assert risk.jurisdiction == "US"
    assert risk.open_weights is False
    assert "model 'gpt-4o-2024-08-06' is closed-weight: GPT-4o by openai (catalog)" in risk.reasons
    assert "provider openai is in US, an at-risk jurisdiction" in risk.reasons


def test_the_at_risk_set_comes_from_the_policy() -> None:
    assert not judge("dashscope", "qwen-max").at_risk
    risk = judge("dashscope", "qwen-max", US_CN)
    assert risk.at_risk
    assert "provider dashscope is in CN, an at-risk jurisdiction" in risk.reasons
    assert not judge("mistral", "mistral-medium", US_CN).at_risk


def test_open_weights_at_an_at_risk_provider_are_not_at_risk() -> None:
    risk = judge("groq", "llama-3.1-8b-instant")
    assert not risk.at_risk
    assert risk.open_weights is True
    assert risk.reasons[-1] == "open weights can be self-hosted if access is cut off"
    assert not judge("deepseek", "deepseek-chat", US_CN).at_risk


def test_a_self_hosted_provider_is_never_at_risk() -> None:
    risk = judge("ollama", "gpt-4o")
    assert not risk.at_risk
    assert risk.self_hosted
    assert "provider ollama is self-hosted: it runs on your own machines" in risk.reasons


def test_unknown_model_at_an_at_risk_provider_is_counted_at_risk() -> None:
    risk = judge("openai", None, unresolved="settings.CHAT_MODEL")
    assert risk.at_risk
    assert "model unresolved: settings.CHAT_MODEL" in risk.reasons
    assert any("may serve closed-weight models" in reason for reason in risk.reasons)
    uncatalogued = judge("openai", "acme-private-1")
    assert uncatalogued.at_risk
    assert "model 'acme-private-1' is not in the catalog: its weights are unknown" in uncatalogued.reasons


def test_unknown_model_at_a_provider_outside_the_at_risk_set_is_not_at_risk() -> None:
    risk = judge("mistral", None, unresolved="os.environ['MODEL']")
    assert not risk.at_risk
    assert "provider mistral is in FR, not an at-risk jurisdiction (at risk: US)" in risk.reasons


def test_unknown_provider_with_a_closed_model_takes_the_makers_jurisdiction() -> None:
    risk = judge(None, "gpt-4o", unresolved="client")
    assert risk.at_risk
    assert risk.jurisdiction == "US"
    assert "provider unresolved: client" in risk.reasons
    assert "maker openai is in US, an at-risk jurisdiction" in risk.reasons
    assert not judge(None, "mistral-medium").at_risk


def test_unknown_provider_with_an_open_model_is_not_at_risk() -> None:
    assert not judge(None, "qwen3:32b").at_risk


def test_nothing_known_is_counted_at_risk_and_says_so() -> None:
    risk = judge(None, None, unresolved="cfg['llm']")
    assert risk.at_risk
    assert risk.reasons == ("model unresolved: cfg['llm']",
                            "neither provider nor model is known: counted as at risk until resolved")


def test_a_model_id_never_names_the_provider_the_scanner_left_unknown() -> None:
    """A reseller's 'openai/gpt-4o' is not served by OpenAI: only the scanner, for libraries that route by the
    model string, may read a provider from the id; the assessment decides by the closed model's maker."""
    risk = judge(None, "openai/gpt-4o", unresolved="unknown provider at api.reseller.example")
    assert risk.provider is None
    assert risk.at_risk and risk.jurisdiction == "US"
    assert "provider unresolved: unknown provider at api.reseller.example" in risk.reasons
    assert not any("inferred" in reason for reason in risk.reasons)


def test_a_reseller_outside_the_at_risk_set_does_not_shield_a_closed_model_from_its_maker() -> None:
    risk = judge("tw-cloud", "gpt-4o")
    assert risk.at_risk
    assert risk.jurisdiction == "TW"
    assert any("a cut-off at the maker reaches every service reselling" in reason for reason in risk.reasons)


def test_a_provider_missing_from_the_catalog_is_reported() -> None:
    risk = judge("acme-llm", None)
    assert risk.at_risk
    assert "provider 'acme-llm' is not in the catalog: its jurisdiction is unknown" in risk.reasons
