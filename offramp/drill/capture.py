"""Gateway capture: a sample of a route's real requests, redacted, appended to its prompt set (opt-in per route).

The primary's answer, when the request was not streamed, becomes the prompt's reference answer, so a later
drill compares the fallback with what the primary said.
"""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path
from typing import Any

from offramp.drill.redact import redact
from offramp.gateway.translate import TranslationError, anthropic_to_openai_request


class PromptCapture:
    """Appends sampled, redacted prompts of one route to a JSONL file."""

    def __init__(self, file: Path, sample: float, route: str) -> None:
        self.file = file
        self.sample = sample
        self.route = route
        self._lock = threading.Lock()

    def record(self, client_api: str, body: dict[str, Any], answer: bytes | None) -> bool:
        """Store one request (and its answer, when there is one) if the sample picks it; True when stored."""
        if random.random() >= self.sample:
            return False
        try:
            request = body if client_api == "openai" else anthropic_to_openai_request(body, self.route)
        except TranslationError:
            return False
        prompt: dict[str, Any] = {"messages": redact(request.get("messages") or [])}
        if request.get("tools"):
            prompt["tools"] = request["tools"]
        if (reference := _answer_text(answer)) is not None:
            prompt["reference"] = redact(reference)
        line = json.dumps(prompt, ensure_ascii=False) + "\n"
        with self._lock:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with self.file.open("a", encoding="utf-8") as out:
                out.write(line)
        return True


def _answer_text(answer: bytes | None) -> str | None:
    """The text of an OpenAI or Anthropic answer body; None when there is none (a stream, a tool call)."""
    if not answer:
        return None
    try:
        data = json.loads(answer)
    except ValueError:
        return None
    if choices := data.get("choices"):
        text = (choices[0].get("message") or {}).get("content")
    else:
        text = "".join(part.get("text", "") for part in data.get("content") or () if part.get("type") == "text")
    return text or None
