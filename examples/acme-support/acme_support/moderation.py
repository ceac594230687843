"""Moderation of outgoing replies: nothing abusive or unsafe reaches a customer."""

from __future__ import annotations

import logging

from acme_support.clients import openai_client

log = logging.getLogger(__name__)

MODERATION_MODEL = "omni-moderation-latest"


def is_safe_to_send(reply: str) -> bool:
    result = openai_client.moderations.create(model=MODERATION_MODEL, input=reply)
    flagged = [name for name, hit in result.results[0].categories.model_dump().items() if hit]
    if flagged:
        log.info("reply held for review: %s", ", ".join(flagged))
    return not flagged
