"""Malformed files raise ConfigError saying what is wrong and where; nothing else escapes; big files are fast."""

import time

import pytest

from offramp.scan.config import ConfigError
from tests.scan.config.conftest import Extract


@pytest.mark.parametrize(("relpath", "text", "reason"), [
    ("config.yaml", "llm:\n  model: [gpt-4o\n  other: 1\n", "YAML syntax error at line 3"),
    ("config.yaml", "a: *missing\n", "alias \\*missing at line 1 names no anchor"),
    ("docker-compose.yml", "services:\n\tapi: {}\n", "YAML syntax error at line 2"),
    ("settings.json", '{"model": "gpt-4o",,}', "JSON syntax error at line 1"),
    ("config/app.toml", "[llm]\nmodel = \n", "TOML syntax error"),
    ("application.properties", "greeting=\\u12\n", "line 1: malformed \\\\uXXXX escape"),
    ("main.tf", 'resource "aws_bedrockagent_agent" {\n', "never closed"),
])
def test_malformed_files_raise_a_clear_error(extract: Extract, relpath: str, text: str, reason: str) -> None:
    with pytest.raises(ConfigError, match=reason) as caught:
        extract(relpath, text)
    assert caught.value.reason == str(caught.value)


def test_helm_templates_are_reported_as_unreadable_not_crashing(extract: Extract) -> None:
    template = "{{- if .Values.enabled }}\napiVersion: v1\nkind: ConfigMap\n{{- end }}\n"
    with pytest.raises(ConfigError, match="YAML syntax error"):
        extract("charts/x/templates/cm.yaml", template)


def test_alias_bomb_is_bounded(extract: Extract) -> None:
    lines = ['a0: &a0 ["lol", "lol"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, 14)]
    with pytest.raises(ConfigError, match="aliases"):
        extract("bomb.yaml", "\n".join(lines) + "\n")


def test_deeply_nested_json_is_an_error_not_a_crash(extract: Extract) -> None:
    with pytest.raises(ConfigError):
        extract("config/deep.json", "[" * 100_000 + "]" * 100_000)


def test_a_megabyte_of_yaml_is_read_in_seconds_not_minutes(extract: Extract) -> None:
    """About 0.7 s of CPU; CPU time, not wall time, so that a CI machine loaded by other work does not fail it
    (9 s of wall time were seen for 0.8 s of CPU at load average 13)."""
    block = (
        "  svc{n}:\n    image: ghcr.io/acme/svc:{n}\n    environment:\n      CHAT_MODEL: gpt-4o\n"
        "      DESCRIPTION: a service that does some things for other services\n"
        "    labels: {{team: platform, tier: backend, note: 'quoted text'}}\n"
    )
    text = "services:\n" + "".join(block.format(n=n) for n in range(5000))
    assert len(text) > 1_000_000
    started = time.process_time()
    values = extract("docker-compose.yml", text)
    elapsed = time.process_time() - started
    assert len([v for v in values if v.key == "CHAT_MODEL"]) == 5000
    assert elapsed < 4.0, f"{elapsed:.2f}s for {len(text) / 1e6:.1f} MB"
