"""Thread summaries for agents taking over a ticket, and for the weekly account review."""

from __future__ import annotations

import logging

import anthropic

from acme_support.clients import anthropic_client
from acme_support.settings import settings
from acme_support.tickets import Ticket

log = logging.getLogger(__name__)

SUMMARY_SYSTEM = (
    "Summarise this support thread for the next agent in at most five bullet points, in the language of "
    "the customer. State what the customer wants, what was tried, and what is still open."
)


class SummaryUnavailable(RuntimeError):
    pass


def summarize(ticket: Ticket) -> str:
    try:
        message = anthropic_client.messages.create(
            model=settings.SUMMARY_MODEL,
            max_tokens=settings.SUMMARY_THINKING_TOKENS + 1024,
            thinking={"type": "enabled", "budget_tokens": settings.SUMMARY_THINKING_TOKENS},
            system=SUMMARY_SYSTEM,
            messages=[{"role": "user", "content": ticket.transcript}],
        )
    except anthropic.APIStatusError as exc:
        log.error("summary failed for ticket %s: HTTP %s", ticket.id, exc.status_code)
        raise SummaryUnavailable(str(ticket.id)) from exc
    text = [block.text for block in message.content if block.type == "text"]
    return "\n".join(text).strip()
