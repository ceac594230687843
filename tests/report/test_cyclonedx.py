"""CycloneDX 1.6 ML-BOM: valid for the library's own strict validator, with SDKs, models and providers."""

import json
from dataclasses import replace
from typing import Any

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

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
    assert gpt["offramp:task"] == "text-generation"
    embed = properties(models["text-embedding-3-large"])
    assert embed["offramp:replacement_hours"] == "70"  # 6 base + 40 embeddings + 24 no substitute
    assert properties(models["text-embedding-3-large"])["offramp:task"] == "feature-extraction"
    deepseek = properties(models["deepseek-v3"])
    assert (deepseek["offramp:open_weights"], deepseek["offramp:at_risk"]) == ("true", "false")
    assert models["deepseek-v3"]["licenses"] == [{"license": {"id": "MIT"}}]


def test_providers_are_services_with_endpoints_and_a_trust_zone(with_dependencies: Assessment) -> None:
    services = {s["name"]: s for s in bom(with_dependencies)["services"]}
    assert set(services) == {"OpenAI", "DeepSeek", "Ollama"}
    assert services["OpenAI"]["endpoints"] == ["https://api.openai.com"]
    assert (properties(services["OpenAI"])["offramp:trust_zone"], services["OpenAI"]["x-trust-boundary"]) == (
        "third-party", True)
    assert (properties(services["Ollama"])["offramp:trust_zone"], services["Ollama"]["x-trust-boundary"]) == (
        "self-hosted", False)
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
    assert "offramp:task" not in properties(model) and properties(model)["offramp:open_weights"] == "unknown"
    assert [s["name"] for s in document["services"]] == ["mystery-cloud"]


DECLARED_TWICE = [
    Dependency("pypi", "anthropic", ">=0.40", "pyproject.toml", 7, ("anthropic",)),
    Dependency("pypi", "anthropic", ">=0.40", "requirements.txt", 1, ("anthropic",)),
    Dependency("pypi", "openai", "==1.54.0", "requirements.txt", 3, ("openai",)),
    Dependency("pypi", "openai", "1.54.0", "uv.lock", 80, ("openai",)),
    Dependency("pypi", "openai", ">=1.40", "pyproject.toml", 8, ("openai",)),
    Dependency("npm", "ai", "^4.3.16", "web/package.json", 8, ()),
    Dependency("npm", "openai", "4.70.0", "web/package-lock.json", 30, ("openai",)),
    Dependency("npm", "openai", "4.71.1", "admin/package-lock.json", 30, ("openai",)),
    Dependency("npm", "zod", "3.x", "web/package.json", 9, ()),
]


def test_the_same_scan_gives_the_same_bom_apart_from_its_timestamp(with_dependencies: Assessment) -> None:
    assessment = replace(with_dependencies, result=replace(with_dependencies.result, dependencies=DECLARED_TWICE))
    first, second = to_cyclonedx(assessment), to_cyclonedx(assessment)
    del first["metadata"]["timestamp"], second["metadata"]["timestamp"]
    assert json.dumps(first) == json.dumps(second)
    refs = [item["bom-ref"] for item in (*first["components"], *first["services"])]
    assert not [ref for ref in refs if ref.startswith("BomRef")], "every bom-ref is named, none random"
    other = to_cyclonedx(with_dependencies)
    assert other["serialNumber"] != first["serialNumber"], "another content, another serial number"


def test_components_are_unique_and_purls_are_valid_with_ranges_as_properties(with_dependencies: Assessment) -> None:
    assessment = replace(with_dependencies, result=replace(with_dependencies.result, dependencies=DECLARED_TWICE))
    libraries = [c for c in bom(assessment)["components"] if c["type"] == "library"]
    purls = [c["purl"] for c in libraries]
    assert len(purls) == len(set(purls)) and len({c["bom-ref"] for c in libraries}) == len(libraries)
    for purl in purls:
        assert PackageURL.from_string(purl).to_string() == purl
        assert not set(PackageURL.from_string(purl).version or "") & set("<>=^~*, |")
    by_purl = {c["purl"]: c for c in libraries}
    assert sorted(by_purl) == ["pkg:npm/ai", "pkg:npm/openai@4.70.0", "pkg:npm/openai@4.71.1", "pkg:npm/zod",
                               "pkg:pypi/anthropic", "pkg:pypi/openai@1.54.0"]
    declared = [(p["name"], p["value"]) for p in by_purl["pkg:pypi/openai@1.54.0"]["properties"]]
    assert [v for n, v in declared if n == "offramp:declared_in"] == [
        "pyproject.toml:8", "requirements.txt:3", "uv.lock:80"]
    assert [v for n, v in declared if n == "offramp:version_range"] == [">=1.40"]
    anthropic = by_purl["pkg:pypi/anthropic"]
    assert "version" not in anthropic and properties(anthropic)["offramp:version_range"] == ">=0.40"
    assert properties(by_purl["pkg:npm/zod"])["offramp:version_range"] == "3.x"
