"""Notifications: Slack for escalations to the on-call lead, SMS for customers who asked for it."""

from __future__ import annotations

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from twilio.rest import Client

from acme_support.settings import settings
from acme_support.tickets import Ticket

log = logging.getLogger(__name__)

slack = WebClient(token=settings.SLACK_BOT_TOKEN)
client = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)


def escalate(ticket: Ticket, reason: str) -> None:
    try:
        slack.chat_postMessage(
            channel=settings.SLACK_ESCALATION_CHANNEL,
            text=f":rotating_light: Ticket #{ticket.id} ({ticket.tenant_id}) escalated: {reason}",
        )
    except SlackApiError as exc:
        log.error("Slack escalation failed for ticket %s: %s", ticket.id, exc.response["error"])


def text_customer(ticket: Ticket, body: str) -> None:
    if not ticket.customer_phone:
        return
    message = client.messages.create(to=ticket.customer_phone, from_=settings.TWILIO_FROM_NUMBER, body=body)
    log.info("SMS %s sent for ticket %s", message.sid, ticket.id)
