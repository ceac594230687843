"""Gateway capture: opt-in per route, sampled, with API keys, e-mail addresses and phone numbers redacted
before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from offramp.drill.prompts import load_prompt_set
from offramp.drill.redact import redact_text
from tests.gateway.conftest import Harness, route_toml, target

KEY = "sk-proj-" + "Ab3dE6gH9jK2mN5pQ8sT1vW4yZ7" * 2
SECRET_QUESTION = (f"My key is {KEY}, mail me at mei.lin+orders@example.com.tw or call +886 912-345-678 "
                   "or (415) 555-0100.")


@pytest.mark.parametrize(("text", "redacted"), [
    (f"key {KEY}", "key [redacted api key]"),
    ("write to a.b-c@mail.example.org today", "write to [redacted e-mail] today"),
    ("call +1 415 555 0100 now", "call [redacted phone] now"),
    ("call 0912-345-678 now", "call [redacted phone] now"),
    ("call 4155550100", "call [redacted phone]"),
])
def test_secrets_and_personal_data_are_redacted(text: str, redacted: str) -> None:
    assert redact_text(text) == redacted


@pytest.mark.parametrize("text", ["Released on 2026-06-12, version 3.11.7, order 12345, 3 of 4 passed, 1.5 s",
                                  "the year 2026 and room 101-2"])
def test_dates_versions_and_small_numbers_are_kept(text: str) -> None:
    assert redact_text(text) == text


def test_the_gateway_captures_redacted_prompts_of_an_opted_in_route(harness: Harness, tmp_path: Path) -> None:
    primary = harness.upstream("anthropic", "claude")
    captured = tmp_path / "drills" / "claude.jsonl"
    gw = harness.gateway(
        route_toml("claude", [target(primary, "anthropic", "claude-sonnet-4-5")],
                   capture={"file": "drills/claude.jsonl", "sample": 1.0})
        + route_toml("private", [target(primary, "anthropic", "claude-sonnet-4-5")]))
    question = [{"role": "system", "content": "You are Acme's support bot."},
                {"role": "user", "content": SECRET_QUESTION}]

    gw.openai().chat.completions.create(model="claude", messages=question, max_tokens=16)
    gw.anthropic().messages.create(model="claude", max_tokens=16, system="You are Acme's support bot.",
                                   messages=[{"role": "user", "content": SECRET_QUESTION}])
    gw.openai().chat.completions.create(model="private", messages=question, max_tokens=16)

    text = captured.read_text(encoding="utf-8")
    for secret in (KEY, "mei.lin", "912-345-678", "555-0100"):
        assert secret not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert len(lines) == 2, "only the opted-in route is captured"
    for line in lines:
        assert line["messages"][0] == {"role": "system", "content": "You are Acme's support bot."}
        assert line["messages"][-1]["content"] == ("My key is [redacted api key], mail me at [redacted e-mail] or "
                                                   "call [redacted phone] or [redacted phone].")
        assert line["reference"] == "Hello from the fake upstream.", "the primary's answer is the reference"
    prompts = load_prompt_set("claude", captured)
    assert len(prompts.prompts) == 1, "the same question from either SDK is one prompt"
    assert not list(tmp_path.glob("**/private*"))


def test_a_sample_below_one_captures_only_part_of_the_traffic(harness: Harness, tmp_path: Path) -> None:
    primary = harness.upstream("openai", "gpt")
    gw = harness.gateway(route_toml("gpt", [target(primary, "openai", "gpt-4o")],
                                    capture={"file": "c.jsonl", "sample": 0.25}))
    client = gw.openai()
    for i in range(80):
        client.chat.completions.create(model="gpt", messages=[{"role": "user", "content": f"q{i}"}], max_tokens=4)
    kept = len((tmp_path / "c.jsonl").read_text().splitlines())
    assert 5 <= kept <= 40
