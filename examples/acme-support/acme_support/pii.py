"""Personal-data redaction before any text leaves our network (Taiwan PDPA).

Runs on the on-prem Ollama server: names, phone numbers, national ID and unified business numbers are
replaced with placeholders before tickets are sent to cloud models.
"""

from __future__ import annotations

import re

from ollama import Client

from acme_support.settings import settings

PII_MODEL = "qwen2.5:7b"
PII_PROMPT = (
    "Replace every personal name, phone number, e-mail address, street address, national ID number and "
    "company tax ID in the text with [REDACTED]. Change nothing else. Return only the text."
)
_NATIONAL_ID = re.compile(r"\b[A-Z][12]\d{8}\b")

_ollama = Client(host=settings.OLLAMA_HOST, timeout=60)


def redact(text: str) -> str:
    # The regex catches the IDs the model sometimes misses; the model catches what a regex cannot.
    text = _NATIONAL_ID.sub("[REDACTED]", text)
    response = _ollama.chat(
        model=PII_MODEL,
        messages=[{"role": "system", "content": PII_PROMPT}, {"role": "user", "content": text}],
        options={"temperature": 0},
    )
    return response["message"]["content"]
