"""explain(): what the catalog knows about a name, and why."""

from __future__ import annotations

from offramp.catalog import Catalog


def test_explain_a_closed_model_lists_open_substitutes(catalog: Catalog) -> None:
    answer = catalog.explain("us.anthropic.claude-sonnet-4-5-20250929-v1:0")
    assert answer["kind"] == "model" and answer["model"] == "claude-sonnet-4-5"
    assert answer["provider"] == "aws-bedrock" and answer["maker"] == "anthropic"
    assert answer["maker_jurisdiction"] == "US" and answer["open_weights"] is False
    assert answer["substitutes"] and all(catalog.models[s["model"]].open_weights for s in answer["substitutes"])
    assert all(s["keeps"] and s["loses"] and s["licence"] != "proprietary" for s in answer["substitutes"])
    assert "'claude-sonnet-4-5'" in answer["why"]


def test_explain_an_open_model_from_its_hub_id(catalog: Catalog) -> None:
    answer = catalog.explain("deepseek-ai/DeepSeek-R1")
    assert (answer["model"], answer["open_weights"], answer["licence"]) == ("deepseek-r1", True, "MIT")
    assert answer["provider"] == "deepseek"  # the maker's own API, when the id names no host


def test_explain_a_fine_tuned_id(catalog: Catalog) -> None:
    answer = catalog.explain("ft:gpt-4.1-mini-2025-04-14:acme::AbC123")
    assert answer["model"] == "gpt-4.1-mini" and answer["fine_tuned"] is True


def test_explain_a_long_tail_id(catalog: Catalog) -> None:
    answer = catalog.explain("groq/canopylabs/orpheus-v1-english")
    assert answer["kind"] == "model" and answer["model"] is None
    assert answer["provider"] == "groq" and "long-tail id map" in answer["why"]


def test_explain_a_provider(catalog: Catalog) -> None:
    answer = catalog.explain("moonshot")
    assert answer["kind"] == "provider" and answer["jurisdiction"] == "CN"
    assert "api.moonshot.cn" in answer["hosts"]


def test_explain_a_host(catalog: Catalog) -> None:
    answer = catalog.explain("https://open.bigmodel.cn/api/paas/v4")
    assert (answer["kind"], answer["provider"], answer["jurisdiction"]) == ("host", "zhipu", "CN")
    local = catalog.explain("http://localhost:11434")
    assert (local["kind"], local["provider"], local["self_hosted"]) == ("host", "ollama", True)
    assert local["jurisdiction"] is None


def test_explain_an_environment_variable_and_a_package(catalog: Catalog) -> None:
    assert catalog.explain("MOONSHOT_API_KEY")["provider"] == "moonshot"
    package = catalog.explain("@mistralai/mistralai")
    assert (package["kind"], package["ecosystem"], package["providers"]) == ("package", "npm", ["mistral"])


def test_explain_something_unknown_says_how_to_teach_it(catalog: Catalog) -> None:
    answer = catalog.explain("acme-secret-model-v9")
    assert answer["kind"] == "unknown" and "[catalog] in offramp.toml" in answer["why"]
