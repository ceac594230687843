"""Tone rewrite: turns an agent's terse note into a courteous reply."""

from __future__ import annotations

import os

from openai import AsyncOpenAI

REWRITE_MODEL = os.getenv("ACME_REWRITE_MODEL")
TONE_GUIDE = (
    "Rewrite the agent's note as a courteous, concise reply to a business customer. Keep every fact, "
    "number and link. Do not add promises the note does not make."
)

_client = AsyncOpenAI()


async def rewrite(note: str) -> str:
    if not REWRITE_MODEL:
        raise RuntimeError("set ACME_REWRITE_MODEL (see .env.example)")
    response = await _client.responses.create(model=REWRITE_MODEL, instructions=TONE_GUIDE, input=note)
    return response.output_text
