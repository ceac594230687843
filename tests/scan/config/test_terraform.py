import pytest

from offramp.scan.config import ConfigError
from tests.scan.config.conftest import Extract, line_of

MAIN_TF = """
variable "agent_model" {
  type    = string
  default = "anthropic.claude-3-5-sonnet-20240620-v1:0"
}

locals {
  embedding = "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-embed-text-v2:0"
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-${var.env}"
  foundation_model        = var.agent_model
  instruction             = <<-EOT
    You answer billing questions. { braces in prose }
  EOT
}

resource "aws_bedrockagent_knowledge_base" "docs" {
  name = "docs"
  knowledge_base_configuration {
    type = "VECTOR"
    vector_knowledge_base_configuration {
      embedding_model_arn = local.embedding
    }
  }
}

resource "aws_bedrock_guardrail" "default" {
  name = "default" # no model: not an inference resource
}

data "aws_bedrock_foundation_model" "haiku" {
  model_id = "anthropic.claude-3-haiku-20240307-v1:0"
}

resource "azurerm_cognitive_account" "openai" {
  name = "acme-openai"
  kind = "OpenAI"
}

resource "azurerm_cognitive_account" "vision" {
  name = "acme-vision"
  kind = "ComputerVision"
}

resource "azurerm_cognitive_deployment" "chat" {
  name                 = "chat"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-08-06"
  }
  sku { name = "Standard" }
}

resource "google_vertex_ai_endpoint" "gemini" {
  name         = "gemini-endpoint"
  display_name = "gemini"
  location     = "us-central1"
}

resource "aws_s3_bucket" "model_artifacts" {
  bucket = "gpt-4o-exports" // a bucket name, not a model
}
"""


def resources(extract: Extract) -> dict[str, list[tuple[str | None, str | None, int]]]:
    found: dict[str, list[tuple[str | None, str | None, int]]] = {}
    for value in extract("infra/main.tf", MAIN_TF):
        assert (value.kind, value.source) == ("resource", "terraform")
        found.setdefault(value.key, []).append((value.provider, value.model, value.line))
    return found


def test_bedrock_agent_model_through_a_variable_default(extract: Extract) -> None:
    assert resources(extract)["aws_bedrockagent_agent.support.foundation_model"] == [
        ("aws-bedrock", "anthropic.claude-3-5-sonnet-20240620-v1:0", line_of(MAIN_TF, "foundation_model"))]


def test_bedrock_models_in_nested_blocks_locals_and_data_sources(extract: Extract) -> None:
    found = resources(extract)
    key = "aws_bedrockagent_knowledge_base.docs.knowledge_base_configuration.vector_knowledge_base_configuration" \
          ".embedding_model_arn"
    assert found[key] == [("aws-bedrock", "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-embed-text-v2:0",
                           line_of(MAIN_TF, "embedding_model_arn"))]
    assert found["aws_bedrock_foundation_model.haiku.model_id"][0][1] == "anthropic.claude-3-haiku-20240307-v1:0"
    assert not [k for k in found if k.startswith("aws_bedrock_guardrail")]


def test_azure_openai_account_and_deployment(extract: Extract) -> None:
    found = resources(extract)
    assert found["azurerm_cognitive_account.openai"] == [("azure-openai", None, line_of(MAIN_TF, '"openai" {'))]
    assert "azurerm_cognitive_account.vision" not in found  # kind is not OpenAI
    assert found["azurerm_cognitive_deployment.chat.model.name"] == [
        ("azure-openai", "gpt-4o", line_of(MAIN_TF, 'name    = "gpt-4o"'))]


def test_vertex_endpoint_and_unrelated_resources(extract: Extract) -> None:
    found = resources(extract)
    assert found["google_vertex_ai_endpoint.gemini"] == [("google-vertex", None, line_of(MAIN_TF, '"gemini" {'))]
    assert not [k for k in found if k.startswith("aws_s3_bucket")]
    assert len(found) == 6


def test_an_agent_whose_model_comes_from_outside_the_file_is_still_reported(extract: Extract) -> None:
    values = extract("agent.tf", 'resource "aws_bedrockagent_agent" "a" {\n  foundation_model = module.x.model\n}\n')
    assert [(v.key, v.value, v.model, v.line) for v in values] == [
        ("aws_bedrockagent_agent.a", "module.x.model", None, 2)]


@pytest.mark.parametrize(("text", "reason"), [
    ('resource "aws_bedrockagent_agent" "a" {\n  foundation_model = "x"\n', "never closed"),
    ('variable "m" {\n  default = "unterminated\n}\n', "line 2"),
    ('resource "x" "y" {\n  a = [1,\n}\n', "attribute 'a' at line 2"),
    ('locals {\n  t = <<EOT\n  text\n}\n', "heredoc"),
])
def test_malformed_terraform_raises_a_located_error(extract: Extract, text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason):
        extract("broken.tf", text)
