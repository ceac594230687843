"""Jurisdiction policy per route and per client key; failing closed when nothing allowed is left."""

from __future__ import annotations

import anthropic
import openai
import pytest

from offramp.gateway.auth import hash_key
from tests.gateway.conftest import Harness, route_toml, target

HELLO = [{"role": "user", "content": "hi"}]


def _three(harness: Harness, extra: str = "", **options):
    us = harness.upstream("anthropic", "us")
    fr = harness.upstream("openai", "fr")
    local = harness.upstream("openai", "local")
    gw = harness.gateway(route_toml("chat", [target(us, "anthropic", "claude-sonnet-4-5"),
                                             target(fr, "mistral", "mistral-large"),
                                             target(local, "vllm", "qwen3-32b")], **options), extra)
    return gw, us, fr, local


def test_route_forbids_a_jurisdiction(harness: Harness) -> None:
    gw, us, _fr, _ = _three(harness, forbid_jurisdictions=["US"])
    raw = gw.openai().chat.completions.with_raw_response.create(model="chat", messages=HELLO)
    assert (raw.headers["x-offramp-provider"], raw.headers["x-offramp-jurisdiction"]) == ("mistral", "FR")
    assert us.requests == []


def test_route_forbids_at_risk_closed_models(harness: Harness) -> None:
    gw, us, fr, _ = _three(harness, forbid_at_risk_closed=True)
    gw.anthropic().messages.create(model="chat", max_tokens=10, messages=HELLO)
    assert us.requests == [] and len(fr.requests) == 1


def test_client_key_forbids_at_risk_closed_models_for_its_tenant(harness: Harness) -> None:
    keys = (f'[[keys]]\nname = "tenant-a"\nhash = "{hash_key("key-a")}"\nforbid_at_risk_closed = true\n'
            f'forbid_jurisdictions = ["FR"]\n'
            f'[[keys]]\nname = "tenant-b"\nhash = "{hash_key("key-b")}"\n')
    gw, us, fr, local = _three(harness, keys)
    gw.openai("key-a").chat.completions.create(model="chat", messages=HELLO)
    assert (len(us.requests), len(fr.requests), len(local.requests)) == (0, 0, 1)
    gw.openai("key-b").chat.completions.create(model="chat", messages=HELLO)
    assert len(us.requests) == 1


def test_nothing_allowed_left_fails_closed_in_each_protocol(harness: Harness) -> None:
    us = harness.upstream("anthropic", "us")
    gw = harness.gateway(route_toml("chat", [target(us, "anthropic", "claude-sonnet-4-5")],
                                    forbid_jurisdictions=["US"]))
    with pytest.raises(openai.PermissionDeniedError) as raised:
        gw.openai().chat.completions.create(model="chat", messages=HELLO)
    assert raised.value.code == "policy_forbids_all_targets"
    assert "no target of model 'chat' is allowed" in raised.value.message
    with pytest.raises(anthropic.PermissionDeniedError):
        gw.anthropic().messages.create(model="chat", max_tokens=10, messages=HELLO)
    assert us.requests == []
