from tests.scan.config.conftest import Extract, by_key, line_of

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: chat-api
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: acme/migrate:1
          env:
            - name: DB_URL
              value: postgres://db:5432/app
      containers:
        - name: api
          image: acme/api:2
          env:
            - name: CHAT_MODEL
              value: claude-3-5-sonnet-20241022
            - name: ANTHROPIC_API_KEY
              valueFrom:
                secretKeyRef: {name: llm, key: anthropic}
          envFrom:
            - configMapRef: {name: llm-config}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: llm-config
data:
  EMBED_MODEL: text-embedding-3-large
  prompts.yaml: |
    system: be brief
---
apiVersion: v1
kind: Secret
metadata:
  name: llm
stringData:
  OPENAI_MODEL: gpt-4o
  anthropic: sk-ant-not-a-real-key
---
apiVersion: apps/v1
kind: StatefulSet
spec:
  template:
    spec:
      containers:
        - name: vllm
          image: docker.io/vllm/vllm-openai:v0.6.3
          args: ["--model=meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
"""


def test_container_env_in_every_document(extract: Extract) -> None:
    values = by_key(extract("k8s/app.yaml", MANIFESTS))
    chat = values["CHAT_MODEL"]
    assert (chat.kind, chat.source, chat.model, chat.provider) == (
        "env", "kubernetes", "claude-3-5-sonnet-20241022", "anthropic")
    assert chat.line == line_of(MANIFESTS, "claude-3-5-sonnet")
    assert values["DB_URL"].kind == "env"  # init containers too
    assert "ANTHROPIC_API_KEY" not in values  # valueFrom: no value in the file


def test_config_map_env_keys_are_env_values(extract: Extract) -> None:
    values = by_key(extract("k8s/app.yaml", MANIFESTS))
    assert values["EMBED_MODEL"].model == "text-embedding-3-large"
    assert values["EMBED_MODEL"].line == line_of(MANIFESTS, "EMBED_MODEL")
    assert "prompts.yaml" not in values


def test_secrets_are_never_read(extract: Extract) -> None:
    values = extract("k8s/app.yaml", MANIFESTS)
    assert "OPENAI_MODEL" not in {v.key for v in values}
    assert not [v for v in values if "sk-ant" in v.value]


def test_model_server_container_with_its_model(extract: Extract) -> None:
    endpoints = [v for v in extract("k8s/app.yaml", MANIFESTS) if v.kind == "endpoint"]
    assert len(endpoints) == 1
    server = endpoints[0]
    assert (server.provider, server.model, server.source) == ("vllm", "meta-llama/Llama-3.1-8B-Instruct", "kubernetes")
    assert server.line == line_of(MANIFESTS, "vllm/vllm-openai")


HELM_VALUES = """
replicaCount: 2
image:
  repository: acme/chat
  tag: "2.1"
llm:
  provider: openai
  model: gpt-4o-2024-08-06
  baseUrl: https://acme-prod.openai.azure.com/
  fallbackModels:
    - claude-3-5-haiku-20241022
    - llama3.1:8b
extraEnv:
  - name: CHAT_MODEL
    value: gpt-4o-mini
inference:
  image:
    repository: ghcr.io/huggingface/text-generation-inference
    tag: "2.4"
  args: ["--model-id", "mistralai/Mistral-7B-Instruct-v0.3"]
description: Our assistant answers with gpt-4 quality.
owner: ada
"""


def test_helm_values_model_and_endpoint_keys(extract: Extract) -> None:
    values = by_key(extract("charts/chat/values.yaml", HELM_VALUES))
    assert all(v.source == "helm" for v in values.values())
    model = values["llm.model"]
    assert (model.kind, model.model, model.provider, model.line) == (
        "model", "gpt-4o-2024-08-06", "openai", line_of(HELM_VALUES, "gpt-4o-2024"))
    assert values["llm.baseUrl"].kind == "endpoint"
    assert values["llm.baseUrl"].provider == "azure-openai"
    assert values["llm.fallbackModels[0]"].model == "claude-3-5-haiku-20241022"
    assert values["llm.fallbackModels[1]"].model == "llama3.1:8b"
    # a name/value env entry reads as the variable it sets
    assert values["extraEnv[0].CHAT_MODEL"].model == "gpt-4o-mini"


def test_helm_values_server_image_with_repository(extract: Extract) -> None:
    values = by_key(extract("charts/chat/values-prod.yaml", HELM_VALUES))
    tgi = values["inference.image.repository"]
    assert (tgi.kind, tgi.provider, tgi.model) == ("endpoint", "tgi", "mistralai/Mistral-7B-Instruct-v0.3")


def test_prose_and_names_are_not_models(extract: Extract) -> None:
    keys = {v.key for v in extract("charts/chat/values.yaml", HELM_VALUES)}
    assert "description" not in keys and "owner" not in keys
    assert "llm.provider" not in keys and "image.repository" not in keys
