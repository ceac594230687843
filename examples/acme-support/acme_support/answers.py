"""Self-service answers: the help-centre widget answers customers from the knowledge base.

The widget must keep answering during a provider outage, so a failed cloud call switches to the
on-prem model.
"""

from __future__ import annotations

import logging

import openai

from acme_support.clients import local_client, openai_client
from acme_support.knowledge_base import search

log = logging.getLogger(__name__)

ANSWER_MODEL = "gpt-4o-mini"
LOCAL_ANSWER_MODEL = "qwen2.5:7b"
ANSWER_SYSTEM = (
    "Answer the customer's question using only the articles below. If they do not answer it, say so "
    "and offer to open a ticket."
)


def answer(tenant_id: str, question: str) -> str:
    articles = search(tenant_id, question, limit=4)
    messages = [
        {"role": "system", "content": ANSWER_SYSTEM + "\n\n" + "\n\n".join(a.body for a in articles)},
        {"role": "user", "content": question},
    ]
    try:
        response = openai_client.chat.completions.create(model=ANSWER_MODEL, messages=messages, timeout=20)
    except (openai.APIConnectionError, openai.APIStatusError) as exc:
        log.warning("cloud answer failed (%s); answering with the on-prem model", exc)
        response = local_client.chat.completions.create(model=LOCAL_ANSWER_MODEL, messages=messages)
    return response.choices[0].message.content or ""
