"""HTTP API used by the agent desk and the help-centre widget."""

from __future__ import annotations

import logging

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from acme_support import answers, copilot, drafting, knowledge_base, macros, moderation, notify, repository, status
from acme_support.rewrite import rewrite
from acme_support.tickets import Ticket
from acme_support.translation import to_zh_tw

log = logging.getLogger(__name__)
app = FastAPI(title="Acme Support API")


class Question(BaseModel):
    tenant_id: str
    question: str


class AgentQuestion(BaseModel):
    question: str


class Note(BaseModel):
    note: str
    translate: bool = False


class Reply(BaseModel):
    body: str
    also_sms: bool = False


class Macros(BaseModel):
    macros: dict[str, str]


def _ticket(ticket_id: int) -> Ticket:
    ticket = repository.get_ticket(ticket_id)
    if ticket is None:
        raise HTTPException(status_code=404, detail=f"no ticket {ticket_id}")
    return ticket


@app.post("/v1/answers")
def post_answer(body: Question) -> dict[str, str]:
    return {"answer": answers.answer(body.tenant_id, body.question)}


@app.post("/v1/tickets/{ticket_id}/copilot")
def post_copilot(ticket_id: int, body: AgentQuestion) -> dict[str, str]:
    ticket = _ticket(ticket_id)
    try:
        return {"answer": copilot.ask_copilot(ticket, body.question)}
    except copilot.CopilotError as exc:
        raise HTTPException(status_code=503, detail=str(exc)) from exc


@app.post("/v1/tickets/{ticket_id}/draft")
def post_draft(ticket_id: int) -> dict[str, str]:
    ticket = _ticket(ticket_id)
    articles = knowledge_base.search(ticket.tenant_id, ticket.last_customer_message)
    return {"draft": drafting.draft_reply(ticket, articles)}


@app.post("/v1/tickets/{ticket_id}/macros")
def post_macros(ticket_id: int, body: Macros) -> dict[str, list[str]]:
    return {"macros": macros.suggest_macros(_ticket(ticket_id), body.macros)}


@app.post("/v1/tickets/{ticket_id}/replies")
def post_reply(ticket_id: int, body: Reply) -> dict[str, str]:
    ticket = _ticket(ticket_id)
    if not moderation.is_safe_to_send(body.body):
        raise HTTPException(status_code=422, detail="reply held for review by moderation")
    if body.also_sms:
        notify.text_customer(ticket, body.body)
    return {"status": "sent"}


@app.post("/v1/rewrite")
async def post_rewrite(body: Note) -> dict[str, str]:
    reply = await rewrite(body.note)
    return {"reply": to_zh_tw(reply) if body.translate else reply}


@app.get("/internal/status")
def get_status() -> dict[str, str]:
    return status.provider_status()
