"""Which provider a URL, an environment variable or an SDK package reaches."""

from __future__ import annotations

import pytest

from offramp.catalog import SELF_HOSTED_PROVIDER, Catalog


@pytest.mark.parametrize(("url", "provider"), [
    ("https://api.deepseek.com/v1", "deepseek"),
    ("https://api.openai.com/v1/chat/completions", "openai"),
    ("https://acme-prod.openai.azure.com/openai/deployments/gpt4o/chat/completions", "azure-openai"),
    ("https://acme.services.ai.azure.com/models", "azure-openai"),
    ("https://bedrock-runtime.eu-central-1.amazonaws.com/model/x/converse", "aws-bedrock"),
    ("https://us-central1-aiplatform.googleapis.com/v1/projects/p", "google-vertex"),
    ("https://generativelanguage.googleapis.com/v1beta/openai/", "google"),
    ("https://dashscope-intl.aliyuncs.com/compatible-mode/v1", "dashscope"),
    ("https://api.z.ai/api/paas/v4", "zhipu"),
    ("https://api.moonshot.ai/v1", "moonshot"),
    ("https://xyz.us-east-1.aws.endpoints.huggingface.cloud", "huggingface"),
    ("https://integrate.api.nvidia.com/v1", "nvidia-nim"),
    ("api.groq.com", "groq"),
    ("https://ark.cn-beijing.volces.com/api/v3", "volcengine"),
    ("https://api.aimlapi.com/v1/chat/completions", "aimlapi"),  # OpenAI-compatible aggregators seen in the field
    ("https://apipie.ai/v1", "apipie"),
    ("https://api.cometapi.com/v1", "cometapi"),
    ("https://api.avian.io/v1", "avian"),
    ("https://api.302.ai/v1/chat/completions", "302ai"),
    ("https://api.forge.tensorblock.co/v1", "forge"),
    ("https://api.tokenfactory.nebius.com/v1", "nebius"),
    ("https://api.us1.bfl.ai/v1/flux-pro-1.1", "black-forest-labs"),  # a regional endpoint
])
def test_public_api_hosts(catalog: Catalog, url: str, provider: str) -> None:
    match = catalog.provider_for_url(url)
    assert match is not None and match.provider == provider and not match.self_hosted


@pytest.mark.parametrize("url", [
    "https://s3.amazonaws.com/bucket", "https://bedrock.amazonaws.com", "https://openai.azure.com",
    "https://evilopenai.azure.com", "https://aiplatform.googleapis.com.evil.example", "https://example.com/v1",
    "https://api.example.com:11434/v1", "not a url at all", "", "@anthropic-ai/sdk",
    "https://acme.cloud.databricks.com", "https://acme.snowflakecomputing.com", "https://tos-cn-beijing.volces.com",
    "[red]text", "http://[not-an-address]/v1", "https://forge.tensorblock.co", "https://cometapi.com.example",
    "open_ai_api_base/openai/images/generations", "api_base/v1/chat/completions", "https://api.us1.bfl.ai.example.com",
])
def test_unknown_public_hosts_are_not_claimed(catalog: Catalog, url: str) -> None:
    assert catalog.provider_for_url(url) is None


@pytest.mark.parametrize(("url", "provider"), [
    ("http://localhost:11434", "ollama"),
    ("http://127.0.0.1:11434/v1", "ollama"),
    ("http://ollama:11434/api/chat", "ollama"),
    ("http://vllm:8000/v1", "vllm"),
    ("http://10.0.3.7:8000/v1", "vllm"),
    ("http://[::1]:1234/v1", "lmstudio"),
    ("http://gpu-box.internal:30000/v1", "sglang"),
    ("http://localhost:8080/v1", "llama-cpp"),  # llama.cpp, LocalAI and TGI share 8080: the first listed wins
    ("http://localhost:12434/engines/v1", "docker-model-runner"),
    ("http://127.0.0.1:5000/v1", "text-generation-webui"),
    ("http://10.1.2.3:9999/v1", SELF_HOSTED_PROVIDER),
    ("http://192.168.1.20/v1", SELF_HOSTED_PROVIDER),
    ("http://inference.svc.cluster.local/v1", SELF_HOSTED_PROVIDER),
    ("localhost:11434", "ollama"), ("ollama:11434", "ollama"), ("http://my_llm/v1", SELF_HOSTED_PROVIDER),
])
def test_private_addresses_are_self_hosted(catalog: Catalog, url: str, provider: str) -> None:
    match = catalog.provider_for_url(url)
    assert match is not None and match.provider == provider and match.self_hosted


@pytest.mark.parametrize(("variable", "provider"), [
    ("OPENAI_API_KEY", "openai"), ("AZURE_OPENAI_API_KEY", "azure-openai"), ("AZURE_OPENAI_ENDPOINT", "azure-openai"),
    ("ANTHROPIC_API_KEY", "anthropic"), ("GEMINI_API_KEY", "google"), ("DASHSCOPE_API_KEY", "dashscope"),
    ("ZHIPUAI_API_KEY", "zhipu"), ("CO_API_KEY", "cohere"), ("OLLAMA_HOST", "ollama"),
    ("AWS_BEARER_TOKEN_BEDROCK", "aws-bedrock"),
])
def test_environment_variables(catalog: Catalog, variable: str, provider: str) -> None:
    assert catalog.provider_for_env(variable).id == provider  # type: ignore[union-attr]


@pytest.mark.parametrize("variable", [
    "AWS_ACCESS_KEY_ID", "GOOGLE_APPLICATION_CREDENTIALS", "GOOGLE_CLOUD_LOCATION", "GITHUB_TOKEN", "HF_TOKEN",
    "NGC_API_KEY", "CLOUDFLARE_API_TOKEN", "DATABRICKS_TOKEN", "SCW_SECRET_KEY", "WANDB_API_KEY", "HOME",
])
def test_credentials_shared_with_non_inference_services_are_not_claimed(catalog: Catalog, variable: str) -> None:
    assert catalog.provider_for_env(variable) is None


@pytest.mark.parametrize(("setting", "provider"), [
    ("LMSTUDIO_BASE_PATH", "lmstudio"), ("LM_STUDIO_API_BASE", "lmstudio"), ("KOBOLD_CPP_BASE_PATH", "koboldcpp"),
    ("NVIDIA_NIM_LLM_BASE_PATH", "nvidia-nim"), ("LITE_LLM_BASE_PATH", "litellm-proxy"),
    ("DOCKER_MODEL_RUNNER_BASE_PATH", "docker-model-runner"), ("VLLM_OPENAI_API_BASE", "vllm"),
    ("ollama.base_url", "ollama"), ("DEEPSEEK_BASE_URL", "deepseek"), ("AZURE_OPENAI_ENDPOINT", "azure-openai"),
    ("NEXT_PUBLIC_OLLAMA_URL", "ollama"), ("VITE_OLLAMA_HOST", "ollama"),
    ("DEFAULT_OLLAMA_URL", "ollama"), ("TEXT_GEN_WEB_UI_BASE_PATH", "text-generation-webui"),
    ("OOBABOOGA_API_URL", "text-generation-webui"), ("OMLX_LLM_BASE_PATH", "omlx"), ("MLX_BASE_URL", "mlx"),
])
def test_an_address_setting_named_for_a_provider_names_it(catalog: Catalog, setting: str, provider: str) -> None:
    assert catalog.provider_for_url_setting(setting).id == provider  # type: ignore[union-attr]


@pytest.mark.parametrize("setting", [
    "BASE_URL", "LLM_BASE_URL", "CUSTOM_BASE_URL", "EMBEDDING_BASE_PATH", "DATABASE_URL", "REDIS_HOST", "APP_URL",
    "OLLAMA_MODEL", "DEEPSEEK_API_KEY", "GITHUB_API_URL", "AWS_ENDPOINT", "NEXT_PUBLIC_APP_URL", "VITE_API_URL",
    # "Foundry" alone is also Microsoft Foundry, the hosted service: only FOUNDRY_LOCAL_* names the local server
    "DEFAULT_URL", "DEFAULT_BASE_URL", "FOUNDRY_BASE_PATH", "TEXTGEN_URL",
])
def test_a_setting_that_names_no_provider_or_no_address_names_none(catalog: Catalog, setting: str) -> None:
    assert catalog.provider_for_url_setting(setting) is None


@pytest.mark.parametrize(("ecosystem", "package", "provider"), [
    ("pypi", "anthropic", "anthropic"), ("pypi", "google-genai", "google"),
    ("pypi", "google-cloud-aiplatform", "google-vertex"), ("pypi", "mistralai", "mistral"),
    ("pypi", "dashscope", "dashscope"), ("pypi", "zhipuai", "zhipu"), ("pypi", "llama-cpp-python", "llama-cpp"),
    ("npm", "@anthropic-ai/bedrock-sdk", "aws-bedrock"), ("npm", "@anthropic-ai/vertex-sdk", "google-vertex"),
    ("npm", "@aws-sdk/client-bedrock-runtime", "aws-bedrock"), ("npm", "groq-sdk", "groq"),
    ("npm", "cohere-ai", "cohere"),
    ("go", "github.com/anthropics/anthropic-sdk-go", "anthropic"), ("go", "google.golang.org/genai", "google"),
    ("go", "github.com/aws/aws-sdk-go-v2/service/bedrockruntime", "aws-bedrock"),
    ("maven", "com.anthropic:anthropic-java", "anthropic"),
    ("maven", "software.amazon.awssdk:bedrockruntime", "aws-bedrock"),
    ("maven", "dev.langchain4j:langchain4j-open-ai", "openai"),
    ("maven", "org.springframework.ai:spring-ai-ollama", "ollama"),
])
def test_sdk_packages(catalog: Catalog, ecosystem: str, package: str, provider: str) -> None:
    assert [p.id for p in catalog.providers_for_package(ecosystem, package)] == [provider]
