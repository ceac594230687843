"""Ticket triage: category and priority for every incoming ticket, before an agent sees it."""

from __future__ import annotations

import json
import logging

import openai

from acme_support.clients import openai_client
from acme_support.tickets import Category, Priority, Ticket

log = logging.getLogger(__name__)

TRIAGE_MODEL = "gpt-4o"
TRIAGE_PROMPT = """You triage support tickets for a B2B software company in Taiwan.
Tickets are written in Traditional Chinese or English.
Answer with a JSON object: {"category": one of billing, bug, how_to, account, outage, other,
"priority": one of low, normal, high, urgent}. An outage reported by several users is urgent."""


def triage(ticket: Ticket) -> tuple[Category, Priority]:
    """Classify a ticket; falls back to (other, normal) when the answer cannot be used."""
    try:
        response = openai_client.chat.completions.create(
            model=TRIAGE_MODEL,
            messages=[
                {"role": "system", "content": TRIAGE_PROMPT},
                {"role": "user", "content": ticket.transcript},
            ],
            response_format={"type": "json_object"},
            temperature=0,
        )
    except openai.APIError:
        log.exception("triage failed for ticket %s", ticket.id)
        return Category.OTHER, Priority.NORMAL
    return _parse(response.choices[0].message.content or "{}", ticket.id)


def _parse(answer: str, ticket_id: int) -> tuple[Category, Priority]:
    try:
        data = json.loads(answer)
        return Category(data["category"]), Priority(data["priority"])
    except (ValueError, KeyError, TypeError):
        log.warning("unusable triage answer for ticket %s: %r", ticket_id, answer[:200])
        return Category.OTHER, Priority.NORMAL
