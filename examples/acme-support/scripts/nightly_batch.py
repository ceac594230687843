"""Nightly batch (cron, 02:00 Asia/Taipei): tag yesterday's closed tickets for the account reports.

Production runs this from the Kubernetes CronJob `acme-nightly-tags`; customers' weekly reports read
the tags it writes.
"""

from __future__ import annotations

import argparse
import json
import logging
from datetime import date, timedelta

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from acme_support import repository
from acme_support.settings import settings

log = logging.getLogger("nightly_batch")

TAGGING_MODEL_ID = "anthropic.claude-3-haiku-20240307-v1:0"
TAGGING_PROMPT = (
    "List up to five short English tags for the product areas and problems in this closed support ticket. "
    'Answer with a JSON array of strings only, e.g. ["invoices", "sso", "export timeout"].'
)

bedrock = boto3.client(
    "bedrock-runtime", region_name=settings.AWS_REGION, config=Config(retries={"max_attempts": 5})
)


def tag_ticket(ticket_id: int) -> list[str]:
    ticket = repository.get_ticket(ticket_id)
    if ticket is None:
        return []
    response = bedrock.converse(
        modelId=TAGGING_MODEL_ID,
        system=[{"text": TAGGING_PROMPT}],
        messages=[{"role": "user", "content": [{"text": ticket.transcript}]}],
        inferenceConfig={"maxTokens": 200, "temperature": 0},
    )
    text = response["output"]["message"]["content"][0]["text"]
    ticket.tags = [str(tag) for tag in json.loads(text)][:5]
    repository.save_triage(ticket)
    return ticket.tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--day", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    failures = 0
    for ticket_id in repository.closed_on(args.day):
        try:
            tag_ticket(ticket_id)
        except (ClientError, ValueError) as exc:
            failures += 1
            log.warning("ticket %s not tagged: %s", ticket_id, exc)
    log.info("tagged tickets closed on %s, %d failures", args.day, failures)


if __name__ == "__main__":
    main()
