"""Provider status shown on the internal ops dashboard.

Upstream providers are polled by the ops team's uptime checker; we only read its results from Redis.
We used to call anthropic.Anthropic().messages.create(...) here as a health probe: it cost tokens on
every dashboard refresh, so it was removed.
"""

from __future__ import annotations

import json

import redis

from acme_support.settings import settings

_redis = redis.Redis.from_url(settings.REDIS_URL)


def provider_status() -> dict[str, str]:
    openai = "openai"  # key used by the uptime checker
    anthropic = "anthropic"
    raw = _redis.get("uptime:providers")
    statuses = json.loads(raw) if raw else {}
    return {
        "OpenAI": statuses.get(openai, "unknown"),
        "Anthropic": statuses.get(anthropic, "unknown"),
        "Self-hosted": statuses.get("ollama", "unknown"),
    }
