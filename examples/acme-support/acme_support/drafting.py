"""Reply drafts that agents edit before sending."""

from __future__ import annotations

import logging

import litellm

from acme_support.knowledge_base import Article
from acme_support.tickets import Ticket

log = logging.getLogger(__name__)

DRAFT_SYSTEM = (
    "You draft replies for support agents. Be brief and concrete, answer in the customer's language, "
    "and cite knowledge-base articles by title when they help."
)


def draft_reply(ticket: Ticket, articles: list[Article]) -> str:
    context = "\n\n".join(f"# {a.title}\n{a.body}" for a in articles)
    response = litellm.completion(
        model="anthropic/claude-3-5-sonnet-20241022",
        fallbacks=["ollama/qwen2.5:7b"],
        messages=[
            {"role": "system", "content": DRAFT_SYSTEM},
            {"role": "user", "content": f"Articles:\n{context}\n\nThread:\n{ticket.transcript}"},
        ],
        max_tokens=800,
        timeout=45,
    )
    log.debug("draft for ticket %s served by %s", ticket.id, response.model)
    return response.choices[0].message.content
