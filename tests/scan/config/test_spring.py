from tests.scan.config.conftest import Extract, by_key, line_of

APPLICATION_YML = """
spring:
  application:
    name: support-bot
  ai:
    openai:
      api-key: ${OPENAI_API_KEY}
      base-url: https://api.openai.com
      chat:
        options:
          model: ${CHAT_MODEL:gpt-4o}
          temperature: 0.2
    anthropic:
      chat:
        options:
          model: claude-3-7-sonnet-20250219
    bedrock:
      converse:
        chat:
          options:
            model: anthropic.claude-3-5-sonnet-20240620-v1:0
    azure:
      openai:
        endpoint: https://acme.openai.azure.com/
        chat:
          options:
            deployment-name: gpt-4o-mini
server:
  port: 8080
"""


def test_spring_ai_model_keys(extract: Extract) -> None:
    values = by_key(extract("src/main/resources/application.yml", APPLICATION_YML))
    openai = values["spring.ai.openai.chat.options.model"]
    assert (openai.kind, openai.model, openai.provider) == ("model", "gpt-4o", "openai")
    assert openai.line == line_of(APPLICATION_YML, "CHAT_MODEL")
    anthropic = values["spring.ai.anthropic.chat.options.model"]
    assert (anthropic.provider, anthropic.model) == ("anthropic", "claude-3-7-sonnet-20250219")
    bedrock = values["spring.ai.bedrock.converse.chat.options.model"]
    assert bedrock.provider == "aws-bedrock"
    azure = values["spring.ai.azure.openai.chat.options.deployment-name"]
    assert (azure.provider, azure.model) == ("azure-openai", "gpt-4o-mini")


def test_spring_ai_endpoints(extract: Extract) -> None:
    values = by_key(extract("src/main/resources/application.yml", APPLICATION_YML))
    assert values["spring.ai.openai.base-url"].provider == "openai"
    assert values["spring.ai.azure.openai.endpoint"].provider == "azure-openai"
    assert "spring.ai.openai.api-key" not in values
    assert set(values) == {
        "spring.ai.openai.base-url", "spring.ai.openai.chat.options.model", "spring.ai.anthropic.chat.options.model",
        "spring.ai.bedrock.converse.chat.options.model", "spring.ai.azure.openai.endpoint",
        "spring.ai.azure.openai.chat.options.deployment-name",
    }


APPLICATION_PROPERTIES = """
# Spring AI
spring.ai.openai.chat.options.model=gpt-4o-mini
spring.ai.openai.base-url = https://api.openai.com
spring.ai.ollama.base-url: http://localhost:11434
spring.ai.ollama.chat.options.model=llama3.1:8b
spring.ai.mistralai.chat.options.model mistral-large-latest
! LangChain4j
langchain4j.open-ai.chat-model.model-name=gpt-4o
langchain4j.anthropic.chat-model.model-name=\\
    claude-3-5-haiku-20241022
management.endpoints.web.base-path=/actuator
EMBED_MODEL=text-embedding-3-small
FEATURE_FLAG=on
"""


def test_properties_keys_and_separators(extract: Extract) -> None:
    values = by_key(extract("src/main/resources/application-prod.properties", APPLICATION_PROPERTIES))
    assert values["spring.ai.openai.chat.options.model"].model == "gpt-4o-mini"
    assert values["spring.ai.openai.chat.options.model"].line == line_of(APPLICATION_PROPERTIES, "options.model=gpt")
    assert values["spring.ai.openai.base-url"].provider == "openai"
    assert values["spring.ai.ollama.base-url"].provider == "ollama"
    assert values["spring.ai.ollama.chat.options.model"].provider == "ollama"
    assert values["spring.ai.mistralai.chat.options.model"].provider == "mistral"
    assert values["langchain4j.open-ai.chat-model.model-name"].provider == "openai"
    continued = values["langchain4j.anthropic.chat-model.model-name"]
    assert continued.model == "claude-3-5-haiku-20241022"
    assert continued.line == line_of(APPLICATION_PROPERTIES, "langchain4j.anthropic")
    assert all(v.source == "properties" for v in values.values())


def test_upper_case_properties_are_env_values_too(extract: Extract) -> None:
    values = by_key(extract("config/app.properties", APPLICATION_PROPERTIES))
    assert (values["EMBED_MODEL"].kind, values["EMBED_MODEL"].model) == ("env", "text-embedding-3-small")
    assert values["FEATURE_FLAG"].kind == "env"
    assert "management.endpoints.web.base-path" not in values
