"""Server-sent events: splitting an upstream byte stream into events, and framing events for clients."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any


class SSEParser:
    """Incremental parser: feed it bytes as they arrive, get back complete ``(event, data, raw)`` frames."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> Iterator[tuple[str | None, str, bytes]]:
        buffer = self._buffer + chunk
        if b"\r" in buffer:
            buffer = buffer.replace(b"\r\n", b"\n")
        while (end := buffer.find(b"\n\n")) >= 0:
            raw, buffer = buffer[: end + 2], buffer[end + 2 :]
            event, data = _fields(raw)
            if event is not None or data:
                yield event, data, raw
        self._buffer = buffer

    @property
    def pending(self) -> bool:
        """Bytes of an unfinished event are waiting: the stream was cut in the middle of one."""
        return bool(self._buffer.strip())


def _fields(raw: bytes) -> tuple[str | None, str]:
    event: str | None = None
    data: list[str] = []
    for line in raw.decode("utf-8", "replace").split("\n"):
        if line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif line.startswith("event:"):
            event = line[6:].strip()
    return event, "\n".join(data)


def frame(data: dict[str, Any] | str, event: str | None = None) -> bytes:
    text = data if isinstance(data, str) else json.dumps(data, separators=(",", ":"))
    return (f"event: {event}\ndata: {text}\n\n" if event else f"data: {text}\n\n").encode()
