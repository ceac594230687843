"""Macro suggestions: which saved reply templates fit a ticket, ranked.

Runs on DeepSeek: cheap, and good at reading Chinese-language tickets.
"""

from __future__ import annotations

import json
import logging

import openai

from acme_support.clients import deepseek_client
from acme_support.tickets import Ticket

log = logging.getLogger(__name__)

MACRO_MODEL = "deepseek-chat"


def suggest_macros(ticket: Ticket, macros: dict[str, str], limit: int = 3) -> list[str]:
    catalogue = "\n".join(f"- {name}: {text[:160]}" for name, text in macros.items())
    try:
        response = deepseek_client.chat.completions.create(
            model=MACRO_MODEL,
            messages=[
                {"role": "system", "content": "Pick the saved replies that fit this ticket best. "
                                              'Answer with JSON: {"macros": [names, best first]}.'},
                {"role": "user", "content": f"Saved replies:\n{catalogue}\n\nTicket:\n{ticket.transcript}"},
            ],
            response_format={"type": "json_object"},
        )
    except openai.APIError:
        log.warning("macro suggestions unavailable for ticket %s", ticket.id)
        return []
    names = json.loads(response.choices[0].message.content or "{}").get("macros", [])
    return [name for name in names if name in macros][:limit]
