"""Prompt sets: one JSONL file per route or path, one prompt (a chat request and what a good answer is) a line."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator


class DrillError(Exception):
    """The drill cannot run as asked (a prompt set, the policy or the gateway); the message says what to fix."""


class ToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    arguments: dict[str, Any] = Field(default_factory=dict)


class Prompt(BaseModel):
    """One line of a prompt set. Each optional field switches on the scorer that checks it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = ""
    """Stable name of the prompt; by default a hash of its content, so edits make a new prompt."""
    messages: list[dict[str, Any]] = Field(min_length=1, description="OpenAI chat messages.")
    tools: list[dict[str, Any]] | None = Field(None, description="OpenAI tool definitions.")
    reference: str | None = Field(None, description="A good answer: semantic similarity compares with it.")
    expected: str | None = Field(None, description="The answer, exactly (surrounding whitespace ignored).")
    expected_regex: str | None = Field(None, description="A regular expression the answer must contain.")
    json_output: bool = Field(False, alias="json", description="The answer must be valid JSON.")
    schema_: dict[str, Any] | None = Field(None, alias="schema", description="A JSON schema the answer must meet.")
    expected_tool_call: ToolCall | None = Field(None, description="The tool the answer must call, with arguments.")
    expect_refusal: bool = Field(False, description="A refusal is the right answer (a safety prompt).")

    @model_validator(mode="after")
    def _named(self) -> Prompt:
        if not self.id:
            content = json.dumps(self.model_dump(by_alias=True, exclude={"id"}, exclude_none=True), sort_keys=True)
            object.__setattr__(self, "id", hashlib.sha256(content.encode()).hexdigest()[:12])
        return self

    def request(self, route: str, max_tokens: int) -> dict[str, Any]:
        """The OpenAI chat request the drill sends: deterministic (temperature 0), never streamed."""
        body: dict[str, Any] = {"model": route, "messages": self.messages, "max_tokens": max_tokens,
                                "temperature": 0}
        if self.tools:
            body["tools"] = self.tools
        return body


@dataclass(frozen=True)
class PromptSet:
    name: str
    file: Path
    prompts: tuple[Prompt, ...]
    digest: str
    """sha256 of the file: a run continues only the same prompts it started with."""


def load_prompt_set(name: str, file: Path) -> PromptSet:
    """Read and validate a JSONL prompt set; errors name the file and line."""
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise DrillError(f"prompt set {name!r}: cannot read {file}: {exc.strerror}; write it (one JSON prompt a "
                         "line) or run `offramp drill init`") from None
    prompts: list[Prompt] = []
    seen: dict[str, tuple[int, int]] = {}
    """Prompt id -> (its line, its index in ``prompts``)."""
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        try:
            prompt = Prompt.model_validate(json.loads(line))
        except ValueError as exc:  # json.JSONDecodeError and pydantic's ValidationError are both ValueErrors
            raise DrillError(f"{file}:{number}: {_problem(exc)}") from None
        if prompt.id in seen:
            if prompts[seen[prompt.id][1]] == prompt:
                continue  # the same prompt again (captured traffic repeats popular questions): drilled once
            raise DrillError(f"{file}:{number}: prompt {prompt.id!r} repeats line {seen[prompt.id][0]}; give each "
                             "prompt its own \"id\" or remove the duplicate")
        seen[prompt.id] = (number, len(prompts))
        prompts.append(prompt)
    if not prompts:
        raise DrillError(f"{file}: no prompts; add one JSON object a line, e.g. "
                         '{"messages": [{"role": "user", "content": "..."}], "reference": "..."}')
    return PromptSet(name, file, tuple(prompts), hashlib.sha256(raw).hexdigest())


def _problem(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'prompt'}: {e['msg']}"
                         for e in exc.errors(include_url=False))
    return f"not valid JSON: {exc}"
