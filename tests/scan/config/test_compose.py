from tests.scan.config.conftest import Extract, by_key, line_of

COMPOSE = """
x-llm-env: &llm-env
  EMBED_MODEL: nomic-embed-text
  OLLAMA_BASE_URL: http://ollama:11434

services:
  api:
    image: ghcr.io/acme/api:1.4
    environment:
      - CHAT_MODEL=gpt-4o
      - "OPENAI_BASE_URL=https://api.openai.com/v1"
      - PASSED_THROUGH_FROM_HOST
      - API_BASE_URL=http://api:8000
  worker:
    image: ghcr.io/acme/worker:1.4
    environment:
      <<: *llm-env
      SUMMARY_MODEL: ${SUMMARY_MODEL:-claude-3-5-sonnet-20241022}
      LLM_BASE_URL: http://vllm:8000/v1
  vllm:
    image: vllm/vllm-openai:v0.6.3
    command: ["--model", "Qwen/Qwen2.5-7B-Instruct", "--port", "8000"]
    ports: ["8000:8000"]
  ollama:
    image: ollama/ollama:latest
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
"""


def test_environment_in_list_form(extract: Extract) -> None:
    values = by_key(extract("docker-compose.yml", COMPOSE))
    chat = values["CHAT_MODEL"]
    assert (chat.kind, chat.source, chat.value) == ("env", "compose", "gpt-4o")
    assert chat.line == line_of(COMPOSE, "CHAT_MODEL")
    assert values["OPENAI_BASE_URL"].value == "https://api.openai.com/v1"
    assert values["OPENAI_BASE_URL"].provider == "openai"
    assert "PASSED_THROUGH_FROM_HOST" not in values  # no value: the host's passes through


def test_environment_in_map_form_with_merged_anchor(extract: Extract) -> None:
    values = by_key(extract("docker-compose.yml", COMPOSE))
    assert values["SUMMARY_MODEL"].model == "claude-3-5-sonnet-20241022"
    assert values["SUMMARY_MODEL"].line == line_of(COMPOSE, "SUMMARY_MODEL:")
    assert values["LLM_BASE_URL"].provider == "vllm"
    # merged from the x-llm-env anchor; the line is where the value is written
    assert values["EMBED_MODEL"].value == "nomic-embed-text"
    assert values["EMBED_MODEL"].line == line_of(COMPOSE, "EMBED_MODEL")
    assert values["OLLAMA_BASE_URL"].provider == "ollama"
    assert values["POSTGRES_PASSWORD"].provider is None


def test_model_server_images_are_endpoints_with_the_model_they_load(extract: Extract) -> None:
    values = extract("compose.yaml", COMPOSE)
    endpoints = {v.key: v for v in values if v.kind == "endpoint"}
    assert set(endpoints) == {"services.vllm.image", "services.ollama.image"}
    vllm = endpoints["services.vllm.image"]
    assert (vllm.provider, vllm.model, vllm.line) == ("vllm", "Qwen/Qwen2.5-7B-Instruct", line_of(COMPOSE, "vllm/"))
    assert endpoints["services.ollama.image"].provider == "ollama"
    # the --model argument is part of the server's endpoint, not a second finding; a port mapping is none
    assert not [v for v in values if v.key.startswith(("services.vllm.command", "services.vllm.ports"))]


def test_the_products_own_backend_on_a_model_server_port_is_not_a_model_endpoint(extract: Extract) -> None:
    values = by_key(extract("docker-compose.yml", COMPOSE))
    assert values["API_BASE_URL"].provider is None


def test_compose_file_names(extract: Extract) -> None:
    text = "services:\n  a:\n    environment:\n      CHAT_MODEL: gpt-4o\n"
    for name in ("docker-compose.yml", "docker-compose.prod.yaml", "compose.yml", "compose.override.yaml"):
        assert [v.source for v in extract(f"deploy/{name}", text)] == ["compose"], name
    # the same shape in a file that is not a compose file is generic YAML: a model at a model-ish key
    assert [(v.kind, v.source) for v in extract("deploy/stack.yml", text)] == [("model", "yaml")]
