"""Runtime settings, read once from the environment (see .env.example)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    ENVIRONMENT: str = os.getenv("ACME_ENV", "development")
    DATABASE_URL: str = os.getenv("DATABASE_URL", "postgresql://acme:acme@localhost:5432/acme_support")
    REDIS_URL: str = os.getenv("REDIS_URL", "redis://localhost:6379/0")

    # Ticket summaries need careful reading of long threads: a reasoning model with a thinking budget.
    SUMMARY_MODEL: str = os.getenv("ACME_SUMMARY_MODEL", "claude-3-7-sonnet-20250219")
    SUMMARY_THINKING_TOKENS: int = int(os.getenv("ACME_SUMMARY_THINKING_TOKENS", "2048"))

    # The support copilot is an OpenAI assistant configured in the OpenAI dashboard (instructions and the
    # knowledge files live there); only its id is ours.
    COPILOT_ASSISTANT_ID: str = os.getenv("ACME_COPILOT_ASSISTANT_ID", "")

    OLLAMA_HOST: str = os.getenv("OLLAMA_HOST", "http://localhost:11434")
    AWS_REGION: str = os.getenv("AWS_REGION", "ap-northeast-1")

    SLACK_BOT_TOKEN: str = os.getenv("SLACK_BOT_TOKEN", "")
    SLACK_ESCALATION_CHANNEL: str = os.getenv("SLACK_ESCALATION_CHANNEL", "#support-escalations")
    TWILIO_ACCOUNT_SID: str = os.getenv("TWILIO_ACCOUNT_SID", "")
    TWILIO_AUTH_TOKEN: str = os.getenv("TWILIO_AUTH_TOKEN", "")
    TWILIO_FROM_NUMBER: str = os.getenv("TWILIO_FROM_NUMBER", "+886900000000")


settings = Settings()
