from tests.scan.config.conftest import Extract, by_key, line_of

ENV = """
# model settings
CHAT_MODEL=gpt-4o-mini
export EMBED_MODEL="text-embedding-3-small"

OPENAI_BASE_URL=https://api.openai.com/v1
OLLAMA_HOST=http://localhost:11434
API_BASE_URL=http://localhost:8000
PROMPT="multi
line"
this line is not an assignment
EMPTY=
FALLBACK_MODEL=${PRIMARY_MODEL:-claude-3-5-haiku-latest}
"""


def test_every_assignment_is_an_env_value_at_its_line(extract: Extract) -> None:
    values = by_key(extract(".env", ENV))
    assert set(values) == {"CHAT_MODEL", "EMBED_MODEL", "OPENAI_BASE_URL", "OLLAMA_HOST", "API_BASE_URL",
                           "PROMPT", "EMPTY", "FALLBACK_MODEL"}
    assert all(v.kind == "env" and v.source == "dotenv" and v.file == ".env" for v in values.values())
    for name in ("CHAT_MODEL", "EMBED_MODEL", "PROMPT", "FALLBACK_MODEL"):
        assert values[name].line == line_of(ENV, name)
    assert values["EMBED_MODEL"].value == "text-embedding-3-small"
    assert values["PROMPT"].value == "multi\nline"


def test_env_values_say_which_model_or_provider_they_name(extract: Extract) -> None:
    values = by_key(extract(".env", ENV))
    assert (values["CHAT_MODEL"].provider, values["CHAT_MODEL"].model) == ("openai", "gpt-4o-mini")
    assert (values["OPENAI_BASE_URL"].provider, values["OPENAI_BASE_URL"].model) == ("openai", None)
    assert values["OLLAMA_HOST"].provider == "ollama"
    # the default of a placeholder is what runs when the variable is unset
    assert values["FALLBACK_MODEL"].model == "claude-3-5-haiku-latest"
    assert values["FALLBACK_MODEL"].provider == "anthropic"


def test_a_private_address_at_a_key_that_names_no_model_server_names_no_provider(extract: Extract) -> None:
    values = by_key(extract(".env", ENV))
    assert values["API_BASE_URL"].provider is None  # the product's own backend on vLLM's default port


def test_env_file_variants_are_read_but_envrc_is_a_script(extract: Extract) -> None:
    assert extract("app/.env.production", "CHAT_MODEL=gpt-4o\n")[0].model == "gpt-4o"
    assert extract(".envrc", "export CHAT_MODEL=gpt-4o\n") == []
