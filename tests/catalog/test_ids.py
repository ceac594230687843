"""Model ids as SDKs, hosts and routers write them resolve to the right catalog entry and provider."""

from __future__ import annotations

import pytest

from offramp.catalog import Catalog, parse_model_id


@pytest.mark.parametrize(("raw", "model_id"), [
    # dated snapshots and moving aliases
    ("gpt-4o-2024-11-20", "gpt-4o"),
    ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
    ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
    ("mistral-large-latest", "mistral-large-latest"),
    ("o3-mini-2025-01-31", "o3-mini"),
    # a pattern matches the whole id: no prefix confusion
    ("gpt-4o-mini", "gpt-4o-mini"),
    ("gpt-5-nano", "gpt-5-nano"),
    ("claude-opus-4-1", "claude-opus-4-1"),
    # Bedrock: vendor prefix, -vN:M suffix, cross-region profiles, ARNs, LiteLLM's region segment
    ("anthropic.claude-3-haiku-20240307-v1:0", "claude-3-haiku"),
    ("eu.anthropic.claude-sonnet-4-20250514-v1:0", "claude-sonnet-4"),
    ("apac.amazon.nova-lite-v1:0", "nova-lite"),
    ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
     "claude-3-7-sonnet"),
    ("bedrock/eu-west-1/anthropic.claude-v2:1", "claude-2"),
    ("bedrock/converse/meta.llama3-3-70b-instruct-v1:0", "llama-3.3-70b"),
    ("us.deepseek.r1-v1:0", "deepseek-r1"),
    ("openai.gpt-oss-20b-1:0", "gpt-oss-20b"),
    # Vertex AI and the Gemini API
    ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
    ("publishers/anthropic/models/claude-3-5-sonnet-v2", "claude-3-5-sonnet"),
    ("projects/p/locations/europe-west4/publishers/google/models/gemini-2.0-flash-001", "gemini-2.0-flash"),
    ("models/gemini-2.5-flash-lite", "gemini-2.5-flash-lite"),
    ("gemini/gemini-1.5-pro-latest", "gemini-1.5-pro"),
    # Ollama tags, with and without a size
    ("llama3.1:70b-instruct-q4_K_M", "llama-3.1-70b"),
    ("qwen2.5-coder", "qwen2.5-coder-7b"),
    ("qwen3:235b", "qwen3-235b-a22b"),
    ("deepseek-r1:14b", "deepseek-r1-distill"),
    ("deepseek-r1:671b", "deepseek-r1"),
    ("smollm2:135m", "smollm2-135m"),
    # Hugging Face repositories, quantised re-uploads and GGUF pulls
    ("HuggingFaceTB/SmolLM2-135M-Instruct", "smollm2-135m"),
    ("SmolLM2-135M-Instruct", "smollm2-135m"),
    ("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8", "qwen3-coder-480b"),
    ("hf.co/unsloth/gemma-3-27b-it-GGUF:Q4_K_M", "gemma-3-27b"),
    ("MediaTek-Research/Llama-Breeze2-8B-Instruct", "llama-breeze2-8b"),
    ("taide/Llama3-TAIDE-LX-8B-Chat-Alpha1", "llama3-taide-lx-8b"),
    # routers and hosts
    ("openrouter/anthropic/claude-3.5-sonnet", "claude-3-5-sonnet"),
    ("together_ai/meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", "llama-4-maverick"),
    ("fireworks_ai/accounts/fireworks/models/llama-v3p3-70b-instruct", "llama-3.3-70b"),
    ("@cf/meta/llama-3.2-3b-instruct", "llama-3.2-3b"),
    ("azure/gpt-35-turbo-16k", "gpt-3.5-turbo"),
    ("hosted_vllm/Qwen/Qwen2.5-VL-72B-Instruct", "qwen2.5-vl-72b"),
    ("dashscope/qwen-plus-latest", "qwen-plus"),
    ("zai/glm-4.5-air", "glm-4.5-air"),
])
def test_id_forms_resolve_to_the_catalog_entry(catalog: Catalog, raw: str, model_id: str) -> None:
    match = catalog.match_model(raw)
    assert match is not None and match.model is not None
    assert match.model.id == model_id


@pytest.mark.parametrize(("raw", "provider"), [
    ("bedrock/anthropic.claude-3-haiku-20240307-v1:0", "aws-bedrock"),
    ("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "aws-bedrock"),
    ("arn:aws:bedrock:eu-central-1::foundation-model/amazon.nova-pro-v1:0", "aws-bedrock"),
    ("claude-3-5-sonnet-v2@20241022", "google-vertex"),
    ("vertex_ai/gemini-2.5-pro", "google-vertex"),
    ("models/gemini-2.5-pro", "google"),
    ("groq/llama-3.3-70b-versatile", "groq"),
    ("ollama_chat/llama3.1", "ollama"),
    ("lm_studio/qwen2.5-7b-instruct", "lmstudio"),
    ("@cf/meta/llama-3.1-8b-instruct", "cloudflare-workers-ai"),
    ("openrouter/deepseek/deepseek-r1", "openrouter"),
])
def test_id_syntax_names_the_provider_first(catalog: Catalog, raw: str, provider: str) -> None:
    match = catalog.match_model(raw)
    assert match is not None and match.provider_hints[0] == provider


@pytest.mark.parametrize(("raw", "model_id"), [
    ("ft:gpt-4o-mini-2024-07-18:acme:support-bot:9x8y7z6", "gpt-4o-mini"),
    ("ft:gpt-3.5-turbo-0125:acme::8AbCdEf", "gpt-3.5-turbo"),
    ("davinci:ft-acme-2023-03-01-12-00-00", "gpt-3-legacy"),
    ("tunedModels/support-bot-7f3k", None),
])
def test_fine_tuned_ids_are_flagged_and_keep_their_base_model(catalog: Catalog, raw: str, model_id: str) -> None:
    parsed = parse_model_id(raw, catalog._prefix_providers)
    assert parsed.fine_tuned
    match = catalog.match_model(raw)
    assert (match.model.id if match and match.model else None) == model_id


def test_ollama_tags_are_kept(catalog: Catalog) -> None:
    parsed = parse_model_id("ollama/qwen3:30b-a3b-q8_0", catalog._prefix_providers)
    assert parsed.tag == "30b-a3b-q8_0"
    assert parsed.forms[0] == "qwen3:30b-a3b-q8_0" and parsed.forms[-1] == "qwen3"


@pytest.mark.parametrize("raw", ["", "gpt 4o", "x" * 201, "not-a-model", "gpt-4o-ultra-9000", "claude-opus-4-9"])
def test_unknown_or_malformed_ids_match_nothing(catalog: Catalog, raw: str) -> None:
    assert catalog.match_model(raw) is None


def test_match_explains_how_it_matched(catalog: Catalog) -> None:
    match = catalog.match_model("bedrock/us.anthropic.claude-opus-4-20250514-v1:0")
    assert match is not None and match.model is not None
    assert "'claude-opus-4'" in match.why
    assert "routing prefix 'bedrock/'" in match.why and "Bedrock cross-region profile 'us'" in match.why


@pytest.mark.parametrize("repo_id", [
    "Qwen/Qwen3-32B", "Snowflake/snowflake-arctic-embed-l-v2.0", "tencent/Hunyuan-7B-Instruct",
    "google/gemma-3-27b-it", "meta-llama/Llama-3.1-8B-Instruct", "mistralai/Mistral-7B-Instruct-v0.3",
    "deepseek-ai/DeepSeek-V3", "moonshotai/Kimi-K2-Instruct", "zai-org/GLM-4.6", "MiniMaxAI/MiniMax-M2",
])
def test_hugging_face_organisations_are_not_routing_prefixes(catalog: Catalog, repo_id: str) -> None:
    match = catalog.match_model(repo_id)
    assert match is not None and match.model is not None and match.model.open_weights
    assert match.provider_hints == ()
