"""The bundled catalog data: sizes, cross-references and consistency rules that the schema cannot express."""

from __future__ import annotations

import json
import tomllib
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from typing import get_args

import jsonschema
import pytest

from offramp.catalog import Catalog
from offramp.catalog.schema import ModelKind
from tests.catalog.conftest import deciding_matches

BUNDLED = Catalog.load()
SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "catalog.schema.json"


def test_catalog_is_large_enough_to_be_useful(catalog: Catalog) -> None:
    assert len(catalog.providers) >= 30
    assert len(catalog.models) >= 200
    assert len(catalog.longtail) >= 3000


@pytest.mark.parametrize("provider_id", [
    "openai", "azure-openai", "anthropic", "google", "google-vertex", "aws-bedrock", "mistral", "deepseek", "zhipu",
    "dashscope", "moonshot", "minimax", "baidu", "01-ai", "stepfun", "siliconflow", "cohere", "ai21", "xai", "groq",
    "together", "fireworks", "openrouter", "perplexity", "cerebras", "sambanova", "deepinfra", "nvidia-nim",
    "huggingface", "replicate", "cloudflare-workers-ai", "ollama", "vllm", "llama-cpp", "sglang", "lmstudio", "tgi",
    "localai", "self-hosted",
])
def test_providers_the_design_names_are_present(catalog: Catalog, provider_id: str) -> None:
    assert provider_id in catalog.providers


@pytest.mark.parametrize(("provider_id", "jurisdiction"), [
    ("mistral", "FR"), ("deepseek", "CN"), ("zhipu", "CN"), ("dashscope", "CN"), ("moonshot", "CN"),
    ("cohere", "CA"), ("ai21", "IL"), ("xai", "US"), ("aws-bedrock", "US"), ("azure-openai", "US"),
])
def test_jurisdictions(catalog: Catalog, provider_id: str, jurisdiction: str) -> None:
    assert catalog.providers[provider_id].jurisdiction == jurisdiction


@pytest.mark.parametrize(("server", "port"), [
    ("ollama", 11434), ("vllm", 8000), ("llama-cpp", 8080), ("sglang", 30000), ("lmstudio", 1234), ("tgi", 8080),
    ("localai", 8080),
])
def test_self_hosted_servers_listen_on_their_default_port(catalog: Catalog, server: str, port: int) -> None:
    provider = catalog.providers[server]
    assert provider.self_hosted and provider.jurisdiction is None
    assert provider.default_ports == [port]


def test_hosts_prefixes_and_key_variables_belong_to_one_provider_each(catalog: Catalog) -> None:
    for field in ("hosts", "model_prefixes", "key_env", "base_url_env"):
        owners = Counter(value.lower() for p in catalog.providers.values() for value in getattr(p, field))
        assert [value for value, count in owners.items() if count > 1] == [], field


def test_routing_prefixes_end_with_a_slash_or_a_colon(catalog: Catalog) -> None:
    # LiteLLM's "groq/llama-3.1-8b-instant"; LangChain's and the AI SDK registry's "groq:llama-3.1-8b-instant"
    assert all(prefix.endswith(("/", ":")) for p in catalog.providers.values() for prefix in p.model_prefixes)


def test_multi_provider_libraries_are_nobodys_sdk(catalog: Catalog) -> None:
    for ecosystem, package in [("pypi", "litellm"), ("pypi", "langchain-core"), ("pypi", "boto3"), ("npm", "ai"),
                               ("pypi", "langchain"), ("npm", "langchain")]:
        assert catalog.providers_for_package(ecosystem, package) == []


@pytest.mark.parametrize("model_id", sorted(BUNDLED.models))
def test_every_example_resolves_to_its_own_entry_and_no_other(catalog: Catalog, model_id: str) -> None:
    model = catalog.models[model_id]
    assert len(model.examples) >= 2, f"{model_id}: give at least two ids as SDKs write them"
    for example in model.examples:
        match = catalog.match_model(example)
        assert match is not None and match.model is not None, f"{example!r} matches nothing"
        assert match.model.id == model_id, f"{example!r} resolves to {match.model.id!r}, not {model_id!r}"
        form, owners = deciding_matches(catalog, example)  # type: ignore[misc]
        assert owners == [model_id], f"{example!r} (as {form!r}) matches several entries: {owners}"


def test_no_long_tail_id_matches_two_curated_entries(catalog: Catalog) -> None:
    ambiguous = {raw: found for raw in catalog.longtail
                 if (found := deciding_matches(catalog, raw)) and len(found[1]) > 1}
    assert ambiguous == {}


def test_substitutes_are_open_weight_entries_with_reasons(catalog: Catalog) -> None:
    for model in catalog.models.values():
        assert len(model.substitutes) <= 3, model.id
        for substitute in model.substitutes:
            target = catalog.models[substitute.model]
            assert target.open_weights and substitute.model != model.id, (model.id, substitute.model)
            assert substitute.keeps and substitute.loses, (model.id, substitute.model)


# Closed models whose capability no open-weight entry in the catalog reproduces.
NO_OPEN_SUBSTITUTE = {
    "gpt-4o-realtime": "speech-to-speech sessions", "gpt-realtime": "speech-to-speech sessions",
    "gpt-4o-audio": "audio in and out of one model", "gpt-4o-mini-tts": "speech synthesis", "tts-1": "speech synthesis",
    "nova-sonic": "speech-to-speech sessions", "minimax-speech": "speech synthesis",
    "computer-use-preview": "the hosted computer-use tool", "sora": "video generation", "veo": "video generation",
}


def test_closed_models_name_substitutes_unless_none_exists(catalog: Catalog) -> None:
    without = {m.id for m in catalog.models.values() if not m.open_weights and not m.substitutes}
    assert without == set(NO_OPEN_SUBSTITUTE)


def test_open_models_name_their_licence(catalog: Catalog) -> None:
    assert [m.id for m in catalog.models.values() if m.open_weights and m.licence == "proprietary"] == []


def test_each_maker_has_one_jurisdiction(catalog: Catalog) -> None:
    jurisdictions: defaultdict[str, set[str]] = defaultdict(set)
    for model in catalog.models.values():
        jurisdictions[model.maker].add(model.maker_jurisdiction)
    assert {maker: found for maker, found in jurisdictions.items() if len(found) > 1} == {}


@pytest.mark.parametrize(("model_id", "maker", "jurisdiction", "open_weights", "licence"), [
    ("gpt-oss-120b", "openai", "US", True, "Apache-2.0"),
    ("whisper-1", "openai", "US", True, "MIT"),
    ("claude-fable-5", "anthropic", "US", False, "proprietary"),
    ("deepseek-v4-pro", "deepseek", "CN", True, "MIT"),
    ("glm-5.2", "zhipu", "CN", True, "MIT"),
    ("llama3-taide-lx-8b", "taide", "TW", True, "TAIDE Models Community License"),
    ("breeze-7b", "mediatek", "TW", True, "Apache-2.0"),
    ("command-r-plus", "cohere", "CA", True, "CC-BY-NC-4.0"),
    ("mistral-medium", "mistral", "FR", False, "proprietary"),
    ("kimi-k2", "moonshot", "CN", True, "Modified MIT"),
])
def test_facts_the_design_notes_rely_on(catalog: Catalog, model_id: str, maker: str, jurisdiction: str,
                                        open_weights: bool, licence: str) -> None:
    model = catalog.models[model_id]
    assert (model.maker, model.maker_jurisdiction, model.open_weights, model.licence) == (
        maker, jurisdiction, open_weights, licence)


def test_every_provider_the_id_parser_hints_at_exists(catalog: Catalog) -> None:
    hinted = {hint for raw in ("bedrock/anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku@20240307",
                               "models/gemini-2.5-pro", "@cf/meta/llama-3.1-8b-instruct",
                               "accounts/fireworks/models/llama-v3p1-8b-instruct")
              for hint in catalog.match_model(raw).provider_hints}  # type: ignore[union-attr]
    assert hinted <= set(catalog.providers)
    assert hinted == {"aws-bedrock", "google-vertex", "google", "cloudflare-workers-ai", "fireworks"}


def test_long_tail_names_known_providers_and_model_kinds(catalog: Catalog) -> None:
    assert {entry["provider"] for entry in catalog.longtail.values()} <= set(catalog.providers)
    assert {entry["mode"] for entry in catalog.longtail.values()} <= set(get_args(ModelKind))


def test_long_tail_provider_agrees_with_the_routing_prefix(catalog: Catalog) -> None:
    prefixes = catalog._prefix_providers  # longest first
    disagreements = {
        raw: (entry["provider"], prefixes[prefix])
        for raw, entry in catalog.longtail.items()
        if (prefix := next((p for p in prefixes if raw.lower().startswith(p)), None))
        and prefixes[prefix] != entry["provider"]
    }
    assert disagreements == {}


def test_long_tail_file_says_where_it_came_from() -> None:
    data = json.loads(resources.files("offramp.catalog.data").joinpath("model_ids.json").read_text(encoding="utf-8"))
    assert data["generated_by"] == "scripts/import_litellm_ids.py"
    assert data["source"].startswith("LiteLLM ") and "model_prices_and_context_window" in data["source"]
    assert list(data["ids"]) == sorted(data["ids"])


def _file_validator(definition: str) -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator({"$ref": f"#/$defs/{definition}", "$defs": schema["$defs"]})


@pytest.mark.parametrize(("name", "definition"), [
    ("providers.toml", "ProvidersFile"), ("models.toml", "ModelsFile"), ("lockin.toml", "LockinFile"),
])
def test_data_files_validate_against_the_published_json_schema(name: str, definition: str) -> None:
    data = tomllib.loads(resources.files("offramp.catalog.data").joinpath(name).read_text(encoding="utf-8"))
    assert list(_file_validator(definition).iter_errors(data)) == []


def test_published_json_schema_rejects_a_misspelt_field() -> None:
    entry = {"id": "x", "name": "X", "maker": "x", "maker_jurisdiction": "US", "patterns": ["x"],
             "open_weights": False, "licence": "proprietary", "substitute": []}
    errors = list(_file_validator("ModelsFile").iter_errors({"schema_version": 1, "model": [entry]}))
    assert len(errors) == 1 and "'substitute' was unexpected" in errors[0].message


def test_first_party_providers_name_catalog_makers_once(catalog: Catalog) -> None:
    makers = {model.maker for model in catalog.models.values()}
    claimed = Counter(maker for p in catalog.providers.values() for maker in p.first_party_for)
    assert set(claimed) <= makers and max(claimed.values()) == 1
    assert catalog.first_party_provider("alibaba").id == "dashscope"  # type: ignore[union-attr]
    assert catalog.first_party_provider("zhipu").id == "zhipu"  # type: ignore[union-attr]


def test_published_json_schema_refuses_a_country_name() -> None:
    provider = {"id": "acme", "name": "Acme", "jurisdiction": "USA"}
    errors = list(_file_validator("ProvidersFile").iter_errors({"schema_version": 1, "provider": [provider]}))
    assert len(errors) == 1 and list(errors[0].absolute_path) == ["provider", 0, "jurisdiction"]
