"""The support ticket as the rest of the product sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Category(StrEnum):
    BILLING = "billing"
    BUG = "bug"
    HOW_TO = "how_to"
    ACCOUNT = "account"
    OUTAGE = "outage"
    OTHER = "other"


@dataclass
class Message:
    author: str
    body: str
    sent_at: datetime
    from_customer: bool = True


@dataclass
class Ticket:
    id: int
    tenant_id: str
    subject: str
    messages: list[Message] = field(default_factory=list)
    customer_phone: str | None = None
    locale: str = "zh-TW"
    priority: Priority = Priority.NORMAL
    category: Category = Category.OTHER
    summary: str | None = None
    tags: list[str] = field(default_factory=list)

    @property
    def transcript(self) -> str:
        lines = [f"Subject: {self.subject}"]
        for message in self.messages:
            who = "Customer" if message.from_customer else "Agent"
            lines.append(f"[{message.sent_at:%Y-%m-%d %H:%M}] {who} ({message.author}): {message.body}")
        return "\n".join(lines)

    @property
    def last_customer_message(self) -> str:
        for message in reversed(self.messages):
            if message.from_customer:
                return message.body
        return ""
