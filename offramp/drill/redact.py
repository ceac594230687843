"""Personal data and credentials out of captured prompts: API keys, e-mail addresses and phone numbers.

API keys are recognised by the scanner's own secret rules (one list of key shapes for the whole project).
"""

from __future__ import annotations

import re
from typing import Any

from offramp.scan.rules import secret_rules

API_KEY = "[redacted api key]"
EMAIL = "[redacted e-mail]"
PHONE = "[redacted phone]"

_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")
# A phone number: an optional +country code, an optional (area code), then groups of digits joined by spaces,
# dots or hyphens; or one bare run of 10 to 15 digits. ISO dates (2026-06-12) are left alone by the digit count
# and the date check below; a few long ids are redacted too, which loses nothing that matters to a drill.
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}(?![\w-])"
                    r"|(?<![\w+])\+?\d{10,15}(?!\w)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def redact_text(text: str) -> str:
    text = secret_rules().regex.sub(API_KEY, text)
    text = _EMAIL.sub(EMAIL, text)
    return _PHONE.sub(_phone, text)


def _phone(match: re.Match[str]) -> str:
    found = match.group(0)
    digits = sum(c.isdigit() for c in found)
    if not 7 <= digits <= 15 or _DATE.fullmatch(found.strip()):
        return found
    return PHONE


def redact(value: Any) -> Any:
    """Every string inside ``value`` (messages, content parts, tool arguments) redacted; keys are kept."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, list):
        return [redact(item) for item in value]
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    return value
