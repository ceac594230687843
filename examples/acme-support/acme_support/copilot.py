"""The agent copilot: answers an agent's question about a ticket with the OpenAI assistant.

The assistant (instructions, the product manuals it searches) is configured in the OpenAI dashboard;
each question runs on a fresh thread.
"""

from __future__ import annotations

import logging

from acme_support.clients import openai_client
from acme_support.settings import settings
from acme_support.tickets import Ticket

log = logging.getLogger(__name__)

COPILOT_MODEL = "gpt-4o"


class CopilotError(RuntimeError):
    pass


def ask_copilot(ticket: Ticket, question: str) -> str:
    if not settings.COPILOT_ASSISTANT_ID:
        raise CopilotError("ACME_COPILOT_ASSISTANT_ID is not set")
    run = openai_client.beta.threads.create_and_run_poll(
        assistant_id=settings.COPILOT_ASSISTANT_ID,
        model=COPILOT_MODEL,
        thread={"messages": [{"role": "user", "content": f"{ticket.transcript}\n\nAgent question: {question}"}]},
        metadata={"ticket_id": str(ticket.id), "tenant_id": ticket.tenant_id},
    )
    if run.status != "completed":
        log.warning("copilot run %s ended as %s", run.id, run.status)
        raise CopilotError(f"copilot run ended as {run.status}")
    replies = openai_client.beta.threads.messages.list(thread_id=run.thread_id, order="desc", limit=1)
    return "".join(part.text.value for part in replies.data[0].content if part.type == "text")
