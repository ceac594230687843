"""The config file: validated, with line-numbered errors that say what to change."""

from __future__ import annotations

from pathlib import Path

import pytest

from offramp.gateway.config import ConfigError, load_config, parse_config
from tests.gateway.conftest import CATALOG

VALID = """\
[server]
port = 8787

[routes.chat]
continue_stream = true

[[routes.chat.targets]]
provider = "anthropic"
model = "claude-sonnet-4-5"

[[routes.chat.targets]]
provider = "vllm"
model = "Qwen/Qwen3-32B"
base_url = "http://gpu-box:8000/v1"
timeouts = { connect = 1, first_byte = 10 }
"""


def test_valid_config_resolves_targets_from_the_catalog(tmp_path: Path) -> None:
    config = parse_config(VALID + CATALOG, "g.toml", {}, tmp_path)
    claude, qwen = config.routes["chat"].targets
    assert (claude.api, claude.url) == ("anthropic", "https://api.anthropic.com/v1/messages")
    assert (claude.jurisdiction, claude.at_risk_closed) == ("US", True)
    assert (qwen.api, qwen.url) == ("openai", "http://gpu-box:8000/v1/chat/completions")
    assert (qwen.self_hosted, qwen.open_weights, qwen.at_risk_closed) == (True, True, False)
    assert (qwen.timeouts.connect, qwen.timeouts.first_byte, qwen.timeouts.total) == (1, 10, 600)
    assert config.store == str(tmp_path / "offramp-gateway.sqlite")


def test_schema_errors_name_the_line(tmp_path: Path) -> None:
    text = VALID.replace("first_byte = 10", "first_byte = -1").replace('model = "claude-sonnet-4-5"\n', "")
    with pytest.raises(ConfigError) as raised:
        parse_config(text + CATALOG, "g.toml", {}, tmp_path)
    message = str(raised.value)
    assert "g.toml:7: routes.chat.targets.0.model: Field required" in message
    assert "g.toml:14: routes.chat.targets.1.timeouts.first_byte: Input should be greater than 0" in message


def test_unknown_keys_are_rejected_with_their_line(tmp_path: Path) -> None:
    text = VALID.replace("continue_stream = true", "continue_streams = true")
    with pytest.raises(ConfigError, match=r"g.toml:5: routes.chat.continue_streams: Extra inputs"):
        parse_config(text + CATALOG, "g.toml", {}, tmp_path)


def test_toml_syntax_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"not valid TOML: .*line 2"):
        parse_config('[server]\nport = = 1\n', "g.toml", {}, tmp_path)


def test_unknown_provider_lists_the_known_ones(tmp_path: Path) -> None:
    text = VALID.replace('provider = "vllm"', 'provider = "vllmm"')
    with pytest.raises(ConfigError, match=r"g.toml:12: unknown provider 'vllmm'; use a catalog provider id"):
        parse_config(text + CATALOG, "g.toml", {}, tmp_path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read gateway config"):
        load_config(tmp_path / "absent.toml")


def test_the_shipped_examples_are_valid(tmp_path: Path) -> None:
    examples = sorted((Path(__file__).parents[2] / "examples" / "gateway").glob("*.toml"))
    assert examples, "examples/gateway/*.toml exist"
    for example in examples:
        load_config(example, environ={"ANTHROPIC_API_KEY": "x", "OPENAI_API_KEY": "x"})
