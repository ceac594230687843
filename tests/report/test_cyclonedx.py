"""CycloneDX 1.6 ML-BOM: valid for the library's own strict validator, with SDKs, models and providers."""

import json
from dataclasses import replace
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

from offramp.assess import Assessment, assess
from offramp.catalog.schema import Provider
from offramp.report.cyclonedx import to_cyclonedx
from offramp.scan.findings import Dependency, ScanResult, Target
from tests.assess.factory import make_path, small_catalog

DEPENDENCIES = [
    Dependency("pypi", "openai", "1.54.0", "requirements.txt", 3, ("openai",)),
    Dependency("npm", "@anthropic-ai/sdk", "0.30.1", "web/package.json", 12, ("anthropic",)),
    Dependency("go", "github.com/openai/openai-go", None, "go.mod", 5, ("openai",)),
    Dependency("maven", "com.openai:openai-java", "0.8.0", "pom.xml", 40, ("openai",)),
]


def bom(assessment: Assessment) -> dict[str, Any]:
    document = to_cyclonedx(assessment)
    errors = JsonStrictValidator(SchemaVersion.V1_6).validate_str(json.dumps(document), all_errors=True)
    assert errors is None, [str(e) for e in errors]  # type: ignore[union-attr]
    return document


def properties(item: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p["value"] for p in item.get("properties", [])}


@pytest.fixture
def with_dependencies(assessment: Assessment) -> Assessment:
    result = replace(assessment.result, dependencies=DEPENDENCIES)
    catalog = small_catalog()
    catalog.providers["openai"] = Provider(id="openai", name="OpenAI", jurisdiction="US", hosts=["api.openai.com"],
                                           key_env=["OPENAI_API_KEY"])
    return assess(result, assessment.policy, catalog, assessment.today)


def test_sdks_are_library_components_with_purls(with_dependencies: Assessment) -> None:
    libraries = {c["name"]: c for c in bom(with_dependencies)["components"] if c["type"] == "library"}
    assert {name: (c.get("version"), c["purl"]) for name, c in libraries.items()} == {
        "openai": ("1.54.0", "pkg:pypi/openai@1.54.0"),
        "@anthropic-ai/sdk": ("0.30.1", "pkg:npm/%40anthropic-ai/sdk@0.30.1"),
        "github.com/openai/openai-go": (None, "pkg:golang/github.com/openai/openai-go"),
        "com.openai:openai-java": ("0.8.0", "pkg:maven/com.openai/openai-java@0.8.0"),
    }
    assert properties(libraries["openai"])["offramp:declared_in"] == "requirements.txt:3"


def test_no_dependencies_means_no_library_components(assessment: Assessment) -> None:
    assert [c for c in bom(assessment)["components"] if c["type"] == "library"] == []


def test_models_are_ml_components_with_findings_and_a_model_card(assessment: Assessment) -> None:
    models = {c["name"]: c for c in bom(assessment)["components"] if c["type"] == "machine-learning-model"}
    assert set(models) == {"gpt-4o", "text-embedding-3-large", "deepseek-v3", "llama-3.1-8b"}
    gpt = properties(models["gpt-4o"])
    assert (gpt["offramp:jurisdiction"], gpt["offramp:open_weights"], gpt["offramp:at_risk"]) == ("US", "false", "true")
    assert gpt["offramp:substitute"] == "qwen3-32b"
    assert models["gpt-4o"]["modelCard"]["modelParameters"]["task"] == "text-generation"
    assert "cannot be self-hosted" in models["gpt-4o"]["modelCard"]["considerations"]["technicalLimitations"][0]
    embed = properties(models["text-embedding-3-large"])
    assert embed["offramp:replacement_hours"] == "70"  # 6 base + 40 embeddings + 24 no substitute
    assert models["text-embedding-3-large"]["modelCard"]["modelParameters"]["task"] == "feature-extraction"
    deepseek = properties(models["deepseek-v3"])
    assert (deepseek["offramp:open_weights"], deepseek["offramp:at_risk"]) == ("true", "false")
    assert models["deepseek-v3"]["licenses"] == [{"license": {"id": "MIT"}}]


def test_providers_are_services_with_endpoints_and_a_trust_zone(with_dependencies: Assessment) -> None:
    services = {s["name"]: s for s in bom(with_dependencies)["services"]}
    assert set(services) == {"OpenAI", "DeepSeek", "Ollama"}
    assert services["OpenAI"]["endpoints"] == ["https://api.openai.com"]
    assert (services["OpenAI"]["trustZone"], services["OpenAI"]["x-trust-boundary"]) == ("third-party", True)
    assert (services["Ollama"]["trustZone"], services["Ollama"]["x-trust-boundary"]) == ("self-hosted", False)
    assert properties(services["OpenAI"])["offramp:jurisdiction"] == "US"


def test_the_numbers_and_the_dependency_graph(assessment: Assessment) -> None:
    document = bom(assessment)
    assert properties(document["metadata"])["offramp:exposure_48h"] == "0.2500"
    graph = {d["ref"]: d.get("dependsOn", []) for d in document["dependencies"]}
    assert graph["model:gpt-4o"] == ["provider:openai"]
    assert "model:gpt-4o" in graph["application"]
    assert document["specVersion"] == "1.6"


def test_an_unknown_provider_and_model_still_make_a_valid_bom(assessment: Assessment) -> None:
    result = ScanResult("/repo", [make_path(targets=[Target("mystery-cloud", "mystery-model-9")])], [])
    document = bom(assess(result, assessment.policy, small_catalog(), assessment.today))
    [model] = [c for c in document["components"] if c["type"] == "machine-learning-model"]
    assert "modelCard" not in model and properties(model)["offramp:open_weights"] == "unknown"
    assert [s["name"] for s in document["services"]] == ["mystery-cloud"]
