"""Smoke tests against the real APIs; run before a release with `pytest -m live` and real keys."""

from __future__ import annotations

import anthropic
import pytest
from openai import OpenAI

pytestmark = pytest.mark.live


def test_openai_key_and_model_work() -> None:
    response = OpenAI().chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Reply with the word pong."}], max_tokens=5
    )
    assert "pong" in response.choices[0].message.content.lower()


def test_anthropic_key_and_model_work() -> None:
    message = anthropic.Anthropic().messages.create(
        model="claude-3-5-haiku-20241022", max_tokens=5, messages=[{"role": "user", "content": "Reply: pong"}]
    )
    assert message.content[0].text
