"""Queue worker: every new or updated ticket goes through redaction, triage and a summary."""

from __future__ import annotations

import logging

import redis

from acme_support import notify, pii, repository
from acme_support.settings import settings
from acme_support.summarize import SummaryUnavailable, summarize
from acme_support.tickets import Priority
from acme_support.triage import triage

log = logging.getLogger(__name__)
QUEUE = "tickets:incoming"


def handle(ticket_id: int) -> None:
    ticket = repository.get_ticket(ticket_id)
    if ticket is None:
        log.warning("ticket %s vanished before triage", ticket_id)
        return
    for message in ticket.messages:
        message.body = pii.redact(message.body)
    ticket.category, ticket.priority = triage(ticket)
    try:
        ticket.summary = summarize(ticket)
    except SummaryUnavailable:
        ticket.summary = None
    repository.save_triage(ticket)
    if ticket.priority is Priority.URGENT:
        notify.escalate(ticket, f"{ticket.category} reported as urgent")


def main() -> None:
    logging.basicConfig(level=logging.INFO)
    queue = redis.Redis.from_url(settings.REDIS_URL)
    log.info("worker listening on %s", QUEUE)
    while True:
        _, raw = queue.blpop([QUEUE])
        try:
            handle(int(raw))
        except Exception:
            log.exception("ticket %s failed; it stays in the dead-letter list", raw)
            queue.rpush(f"{QUEUE}:dead", raw)


if __name__ == "__main__":
    main()
