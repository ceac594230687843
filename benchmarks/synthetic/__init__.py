"""Languages the synthetic repository can be written in."""

from __future__ import annotations

from .base import Language
from .golang import Go
from .java import Java
from .python import Python
from .typescript import TypeScript

LANGUAGES: dict[str, type[Language]] = {"python": Python, "typescript": TypeScript, "go": Go, "java": Java}
