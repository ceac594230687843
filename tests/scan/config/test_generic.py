"""YAML, JSON and TOML configuration read by key: what counts as a model or an endpoint, and what not."""

import re
from pathlib import Path

import pytest

from offramp.catalog import Catalog
from offramp.scan.config import config_family
from offramp.scan.config.classify import Classifier
from offramp.scan.config.extract import extract_config
from tests.scan.config.conftest import Extract, by_key, line_of

SETTINGS_JSON = """
{
  // VS Code style comments and trailing commas are allowed
  "assistant": {
    "model": "claude-3-5-sonnet-20241022",
    "endpoint": "https://api.anthropic.com",
    "tone": "friendly",
  },
  "embeddings": {"provider": "openai", "modelName": "text-embedding-3-small"},
  "examples": ["gpt-4o", "write a haiku"],
  /* the car catalogue shares the file */
  "car": {"make": "Tesla", "model": "Model S"},
  "vehicle": {"model": "Corolla"},
}
"""


def test_json_model_and_endpoint_keys_with_lines(extract: Extract) -> None:
    values = by_key(extract("settings.json", SETTINGS_JSON))
    model = values["assistant.model"]
    assert (model.kind, model.source, model.model, model.provider) == (
        "model", "json", "claude-3-5-sonnet-20241022", "anthropic")
    assert model.line == line_of(SETTINGS_JSON, "claude-3-5-sonnet")
    assert values["assistant.endpoint"].provider == "anthropic"
    assert values["embeddings.modelName"].line == line_of(SETTINGS_JSON, "text-embedding-3-small")


def test_a_curated_id_written_like_an_id_counts_at_any_key(extract: Extract) -> None:
    values = by_key(extract("settings.json", SETTINGS_JSON))
    assert values["examples[0]"].model == "gpt-4o"
    assert "examples[1]" not in values


def test_car_models_are_not_ai_models(extract: Extract) -> None:
    keys = set(by_key(extract("settings.json", SETTINGS_JSON)))
    assert not {"car.model", "vehicle.model", "car.make", "assistant.tone"} & keys


def test_appsettings_json() -> None:
    assert config_family("src/Api/appsettings.Development.json") == "json"


CONFIG_TOML = """
[llm]
provider = "openai"
model = "gpt-4.1-mini"
base_url = "http://localhost:11434/v1"

[llm.fallback]
model = 'deepseek-chat'

[web]
api_base_url = "http://localhost:8000"
title = "gpt-4o playground"
"""


def test_toml_keys_private_endpoints_need_a_model_server_key(extract: Extract) -> None:
    values = by_key(extract("config/app.toml", CONFIG_TOML))
    assert values["llm.model"].model == "gpt-4.1-mini"
    assert values["llm.model"].line == line_of(CONFIG_TOML, "gpt-4.1-mini")
    assert values["llm.fallback.model"].model == "deepseek-chat"
    assert values["llm.fallback.model"].line == line_of(CONFIG_TOML, "deepseek-chat")
    # llm.base_url: a private address, but the key says it is the model server
    assert (values["llm.base_url"].kind, values["llm.base_url"].provider) == ("endpoint", "ollama")
    assert "web.api_base_url" not in values  # the product's own API on a model server's port
    assert "web.title" not in values  # prose


DOCS_YAML = """
site_name: Acme docs
nav:
  - Overview: index.md
description: >
  Our assistant uses gpt-4 and claude-3-5-sonnet to answer.
authors:
  - name: ada
    role: whisper
"""


def test_prose_mentioning_models_and_names_that_are_model_words(extract: Extract) -> None:
    assert extract("docs/site.yml", DOCS_YAML) == []


def test_storage_urls_are_not_model_endpoints(extract: Extract) -> None:
    text = "model:\n  uri: s3://models/llama-3.1-8b\n  cache: redis://localhost:6379\n  base_url: http://localhost:8000\n"
    assert [(v.key, v.kind) for v in extract("config/llm.yaml", text)] == [("model.base_url", "endpoint")]


def test_endpoint_credentials_are_never_kept(extract: Extract) -> None:
    text = "llm:\n  base_url: https://user:s3cret@acme.openai.azure.com/openai?api-key=abc123\n"
    [value] = extract("config/llm.yaml", text)
    assert value.value == "https://acme.openai.azure.com/openai"
    assert value.provider == "azure-openai"


@pytest.mark.parametrize(("relpath", "family"), [
    (".env", "dotenv"), ("svc/.env.local", "dotenv"), (".envrc", None),
    ("docker-compose.yml", "compose"), ("deploy/compose.prod.yaml", "compose"),
    ("k8s/deployment.yaml", "yaml"), ("charts/x/values.yaml", "yaml"), ("application.yml", "yaml"),
    ("config/settings.json", "json"), ("config/data.json", "json"), ("src/fixtures/products.json", None),
    ("tsconfig.json", None), ("package.json", None), ("pnpm-lock.yaml", None),
    ("wrangler.toml", "toml"), ("pyproject.toml", None), ("Cargo.toml", None), ("offramp.toml", None),
    ("application.properties", "properties"), ("infra/main.tf", "terraform"), ("main.py", None),
])
def test_which_files_are_configuration(relpath: str, family: str | None) -> None:
    assert config_family(relpath) == family


def test_files_that_are_not_configuration_give_nothing(extract: Extract) -> None:
    assert extract("pyproject.toml", '[project]\nname = "x"\n[tool.x]\nmodel = "gpt-4o"\n') == []
    assert extract("src/data/products.json", '{"model": "gpt-4o"}') == []


def test_every_curated_example_written_like_an_id_is_found_at_any_key(catalog: Catalog) -> None:
    """The cheap checks that spare the catalog a lookup must never hide an id the catalog knows."""
    classifier = Classifier(catalog)
    examples = [example for model in catalog.models.values() for example in model.examples
                if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._:/@+-]*", example)
                and re.search(r"\d", example) and re.search(r"[-./:@]", example)]
    assert len(examples) > 100
    missed = [e for e in examples if (m := classifier.classify(["notes"], e)) is None or m.kind != "model"]
    assert missed == []


MIXED_QUOTES_TOML = """
[primary]
aliases = ['gpt-4o-mini']
model = "claude-3-5-haiku-latest"

[backup]
model = "gpt-4o-mini"
fallback_model = "claude-3-5-haiku-latest"
"""


def test_toml_lines_hold_when_a_string_is_quoted_differently_further_down(extract: Extract) -> None:
    values = by_key(extract("config/llm.toml", MIXED_QUOTES_TOML))
    assert values["primary.aliases[0]"].line == line_of(MIXED_QUOTES_TOML, "aliases")
    assert values["primary.model"].line == line_of(MIXED_QUOTES_TOML, "claude-3-5-haiku-latest")
    assert values["backup.model"].line == line_of(MIXED_QUOTES_TOML, 'model = "gpt-4o-mini"')
    assert values["backup.fallback_model"].line == line_of(MIXED_QUOTES_TOML, "fallback_model")


ROUTES_TOML = """
[routes.claude]
[[routes.claude.targets]]
provider = "anthropic"
model = "claude-sonnet-4-5"

[[routes.claude.targets]]
provider = "vllm"
model = "Qwen/Qwen3-32B"

[routes.claude-backup]
provider = "not-a-provider-we-know"
model = "claude-3-5-haiku-20241022"

[routes.claude-plain]
model = "Qwen/Qwen3-32B"
"""


def test_a_provider_named_beside_the_model_wins_over_the_route_name(extract: Extract) -> None:
    values = by_key(extract("gateway.toml", ROUTES_TOML))
    assert values["routes.claude.targets[1].model"].provider == "vllm"
    assert values["routes.claude.targets[0].model"].provider == "anthropic"


def test_without_a_known_provider_beside_it_the_key_path_still_names_the_provider(extract: Extract) -> None:
    values = by_key(extract("gateway.toml", ROUTES_TOML))
    assert values["routes.claude-backup.model"].provider == "anthropic"  # an unknown id is not a provider
    assert values["routes.claude-plain.model"].provider == "anthropic"


def test_the_shipped_gateway_config_attributes_each_target_to_its_own_provider(extract: Extract) -> None:
    shipped = Path(__file__).parents[3] / "examples" / "gateway" / "claude-then-qwen.toml"
    values = extract_config("claude-then-qwen.toml", shipped.read_text(encoding="utf-8"), Catalog.load())
    assert sorted((v.key, v.model, v.provider) for v in values if v.kind == "model") == [
        ("routes.claude-private.targets[0].model", "Qwen/Qwen3-32B", "vllm"),
        ("routes.claude.targets[0].model", "claude-sonnet-4-5", "anthropic"),
        ("routes.claude.targets[1].model", "Qwen/Qwen3-32B", "vllm"),
    ]
