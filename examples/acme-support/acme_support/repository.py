"""Tickets in PostgreSQL."""

from __future__ import annotations

from datetime import date

import psycopg
from psycopg.rows import dict_row

from acme_support.settings import settings
from acme_support.tickets import Message, Ticket


def _connect() -> psycopg.Connection:
    return psycopg.connect(settings.DATABASE_URL, row_factory=dict_row)


def get_ticket(ticket_id: int) -> Ticket | None:
    with _connect() as conn:
        row = conn.execute("SELECT * FROM tickets WHERE id = %s", (ticket_id,)).fetchone()
        if row is None:
            return None
        messages = conn.execute(
            "SELECT author, body, sent_at, from_customer FROM ticket_messages WHERE ticket_id = %s ORDER BY sent_at",
            (ticket_id,),
        ).fetchall()
    return Ticket(
        id=row["id"],
        tenant_id=row["tenant_id"],
        subject=row["subject"],
        messages=[Message(**m) for m in messages],
        customer_phone=row["customer_phone"],
        locale=row["locale"],
    )


def closed_on(day: date) -> list[int]:
    with _connect() as conn:
        rows = conn.execute("SELECT id FROM tickets WHERE closed_at::date = %s", (day,)).fetchall()
    return [row["id"] for row in rows]


def save_triage(ticket: Ticket) -> None:
    with _connect() as conn:
        conn.execute(
            "UPDATE tickets SET category = %s, priority = %s, summary = %s, tags = %s WHERE id = %s",
            (ticket.category, ticket.priority, ticket.summary, ticket.tags, ticket.id),
        )
