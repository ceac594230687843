"""What a manifest reader returns: one declared package, before the catalog says whether it is an AI SDK."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Declared:
    package: str
    version: str | None
    """The locked version (lock files) or the declared requirement (manifests), as written."""
    line: int


Wanted = Callable[[str], bool]
"""Whether a package name is worth locating: lock files list thousands, and locating is the cost."""


def line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def find_line(text: str, needles: list[str], start: int = 0) -> int:
    """The line of the first needle found at or after ``start`` (the first needle wins); 1 when none is."""
    for needle in needles:
        position = text.find(needle, start)
        if position >= 0:
            return line_at(text, position)
    return 1
