"""Find the line of a key in TOML text, so that errors can point at it (tomllib keeps no positions)."""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")


def line_of_key(text: str, loc: Sequence[str | int]) -> int | None:
    """The 1-based line where ``loc`` (e.g. ``("tool", "offramp", "waiver", 1, "expires")``) is written.

    Understands ``[table]`` and ``[[array.of.tables]]`` headers and ``key = value`` lines; returns the
    closest enclosing line it can find, or None when the key is written in a form it does not follow
    (inline tables, dotted keys).
    """
    lines = text.splitlines()
    headers = [_header(line) for line in lines]
    table: list[str] = []
    occurrence = 0
    parts = list(loc)
    key: str | None = None
    while parts:
        part = parts.pop(0)
        if not isinstance(part, str):
            break
        name = ".".join([*table, part])
        if parts and isinstance(parts[0], int) and ("[[", name) in headers:
            table, occurrence = [*table, part], int(parts.pop(0))
        elif parts and any(h and (h[1] == name or h[1].startswith(name + ".")) for h in headers):
            table, occurrence = [*table, part], 0
        else:
            key = part
            break
    start = _table_start(headers, ".".join(table), occurrence)
    if start is None:
        return None
    if key is None:
        return start + 1 if start >= 0 else None
    key_line = re.compile(rf"""^\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*=""")
    for index in range(start + 1, len(lines)):
        if headers[index] is not None:
            break
        if key_line.match(lines[index]):
            return index + 1
    return start + 1 if start >= 0 else None


def _header(line: str) -> tuple[str, str] | None:
    match = _HEADER.match(line)
    if not match:
        return None
    name = ".".join(part.strip().strip("\"'") for part in match.group(2).split("."))
    return match.group(1), name


def _table_start(headers: list[tuple[str, str] | None], name: str, occurrence: int) -> int | None:
    """Index of the header line of ``name`` (its ``occurrence``-th for arrays); -1 for the root table."""
    if not name:
        return -1
    seen = 0
    for index, header in enumerate(headers):
        if header is not None and header[1] == name:
            if seen == occurrence:
                return index
            seen += 1
    return None
