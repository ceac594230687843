"""Python modules for the synthetic repository, and the Python inference calls it plants."""

from __future__ import annotations

import random
from collections.abc import Callable

from .base import PLANT_MARK, WORDS, Language, Template, camel, function, insert_at_top_level, name

STDLIB = [
    "import os",
    "import sys",
    "import json",
    "import logging",
    "import re",
    "import time",
    "import uuid",
    "import hashlib",
    "import asyncio",
    "import itertools",
    "import functools",
    "import math",
    "from datetime import datetime, timedelta, timezone",
    "from pathlib import Path",
    "from dataclasses import dataclass, field",
    "from collections import defaultdict, Counter",
    "from typing import Any, Iterable, Optional",
    "from enum import Enum",
    "from contextlib import contextmanager",
]
AWS_IMPORT = "import boto3"
AWS_SHARE = 0.02
"""Share of modules that use AWS (S3, SQS...): boto3 is also the Bedrock SDK, so these reach the parser."""
THIRD_PARTY = [
    "import requests",
    "import numpy as np",
    "import pandas as pd",
    "import yaml",
    "import click",
    "import redis",
    "import httpx",
    "from pydantic import BaseModel, Field",
    "from sqlalchemy import select",
    "from sqlalchemy.orm import Session",
    "from fastapi import APIRouter, HTTPException",
    "from celery import shared_task",
    "from jinja2 import Template",
    "from flask import Blueprint, jsonify",
]
GITIGNORE = """\
__pycache__/
*.py[cod]
*.egg-info/
.venv/
build/
dist/
.env
logs/
*.log
"""


def _messages(var: str = "prompt") -> str:
    return f'[{{"role": "user", "content": {var}}}]'


# --- Python -----------------------------------------------------------------------------------------------


def _py(header: str, *lines: str) -> Callable[[str], list[str]]:
    return function(header, list(lines), "", "    ")


PYTHON_TEMPLATES = (
    Template(
        "openai-client",
        "openai",
        "openai",
        "gpt-4o-mini",
        ("from openai import OpenAI",),
        _py(
            "def {name}(prompt: str) -> str:",
            "client = OpenAI()",
            f'response = client.chat.completions.create(model="gpt-4o-mini", messages={_messages()})' + PLANT_MARK,
            'return response.choices[0].message.content or ""',
        ),
    ),
    Template(
        "openai-async-responses",
        "openai",
        "openai",
        "gpt-4.1",
        ("from openai import AsyncOpenAI",),
        _py(
            "async def {name}(prompt: str) -> str:",
            "client = AsyncOpenAI()",
            'response = await client.responses.create(model="gpt-4.1", input=prompt)' + PLANT_MARK,
            "return response.output_text",
        ),
    ),
    Template(
        "openai-embeddings-constant",
        "openai",
        "openai",
        "text-embedding-3-small",
        ("import openai",),
        _py(
            "def {name}(texts: list[str]) -> list[list[float]]:",
            'embedding_model = "text-embedding-3-small"',
            "result = openai.embeddings.create(model=embedding_model, input=texts)" + PLANT_MARK,
            "return [item.embedding for item in result.data]",
        ),
    ),
    Template(
        "openai-deepseek-base-url",
        "openai",
        "deepseek",
        "deepseek-chat",
        ("from openai import OpenAI", "import os"),
        _py(
            "def {name}(prompt: str) -> str:",
            'client = OpenAI(api_key=os.environ["DEEPSEEK_API_KEY"], base_url="https://api.deepseek.com")',
            f'reply = client.chat.completions.create(model="deepseek-chat", messages={_messages()})' + PLANT_MARK,
            "return reply.choices[0].message.content",
        ),
    ),
    Template(
        "openai-ollama-local",
        "openai",
        "ollama",
        "llama3.1:8b",
        ("from openai import OpenAI",),
        _py(
            "def {name}(prompt: str) -> str:",
            'local = OpenAI(base_url="http://localhost:11434/v1", api_key="ollama")',
            f'out = local.chat.completions.create(model="llama3.1:8b", messages={_messages()})' + PLANT_MARK,
            "return out.choices[0].message.content",
        ),
    ),
    Template(
        "anthropic-messages",
        "anthropic",
        "anthropic",
        "claude-3-5-sonnet-20241022",
        ("import anthropic",),
        _py(
            "def {name}(prompt: str) -> str:",
            "client = anthropic.Anthropic()",
            "message = client.messages.create(" + PLANT_MARK,
            '    model="claude-3-5-sonnet-20241022",',
            "    max_tokens=1024,",
            f"    messages={_messages()},",
            ")",
            "return message.content[0].text",
        ),
    ),
    Template(
        "anthropic-env-default",
        "anthropic",
        "anthropic",
        "claude-3-5-haiku-latest",
        ("from anthropic import AsyncAnthropic", "import os"),
        _py(
            "async def {name}(prompt: str) -> str:",
            "client = AsyncAnthropic()",
            'model = os.getenv("SUMMARY_MODEL", "claude-3-5-haiku-latest")',
            f"message = await client.messages.create(model=model, max_tokens=512, messages={_messages()})" + PLANT_MARK,
            "return message.content[0].text",
        ),
    ),
    Template(
        "litellm-completion",
        "litellm",
        "groq",
        "groq/llama-3.1-8b-instant",
        ("from litellm import completion",),
        _py(
            "def {name}(prompt: str) -> str:",
            f'response = completion(model="groq/llama-3.1-8b-instant", messages={_messages()})' + PLANT_MARK,
            "return response.choices[0].message.content",
        ),
    ),
    Template(
        "langchain-chatopenai",
        "langchain-openai",
        "openai",
        "gpt-4o",
        ("from langchain_openai import ChatOpenAI",),
        _py(
            "def {name}(prompt: str) -> str:",
            'llm = ChatOpenAI(model="gpt-4o", temperature=0)' + PLANT_MARK,
            "return llm.invoke(prompt).content",
        ),
    ),
    Template(
        "bedrock-converse",
        "boto3",
        "aws-bedrock",
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        ("import boto3",),
        _py(
            "def {name}(prompt: str) -> str:",
            'runtime = boto3.client("bedrock-runtime", region_name="us-east-1")',
            "response = runtime.converse(" + PLANT_MARK,
            '    modelId="anthropic.claude-3-5-sonnet-20240620-v1:0",',
            '    messages=[{"role": "user", "content": [{"text": prompt}]}],',
            ")",
            'return response["output"]["message"]["content"][0]["text"]',
        ),
    ),
    Template(
        "requests-openai-http",
        "requests",
        "openai",
        "gpt-4o",
        ("import requests", "import os"),
        _py(
            "def {name}(prompt: str) -> str:",
            'headers = {"Authorization": f"Bearer {os.environ[\'OPENAI_API_KEY\']}"}',
            "reply = requests.post(" + PLANT_MARK,
            '    "https://api.openai.com/v1/chat/completions",',
            "    headers=headers,",
            f'    json={{"model": "gpt-4o", "messages": {_messages()}}},',
            "    timeout=30,",
            ")",
            'return reply.json()["choices"][0]["message"]["content"]',
        ),
    ),
    Template(
        "httpx-anthropic-http",
        "httpx",
        "anthropic",
        "claude-3-opus-20240229",
        ("import httpx", "import os"),
        _py(
            "def {name}(prompt: str) -> str:",
            'headers = {"x-api-key": os.environ["ANTHROPIC_API_KEY"], "anthropic-version": "2023-06-01"}',
            f'body = {{"model": "claude-3-opus-20240229", "max_tokens": 256, "messages": {_messages()}}}',
            'reply = httpx.post("https://api.anthropic.com/v1/messages", headers=headers, json=body)' + PLANT_MARK,
            'return reply.json()["content"][0]["text"]',
        ),
    ),
    Template(
        "google-genai",
        "google-genai",
        "google",
        "gemini-2.5-flash",
        ("from google import genai",),
        _py(
            "def {name}(prompt: str) -> str:",
            "client = genai.Client()",
            'result = client.models.generate_content(model="gemini-2.5-flash", contents=prompt)' + PLANT_MARK,
            "return result.text",
        ),
    ),
    Template(
        "mistral-chat",
        "mistralai",
        "mistral",
        "mistral-large-latest",
        ("from mistralai import Mistral", "import os"),
        _py(
            "def {name}(prompt: str) -> str:",
            'client = Mistral(api_key=os.environ["MISTRAL_API_KEY"])',
            f'response = client.chat.complete(model="mistral-large-latest", messages={_messages()})' + PLANT_MARK,
            "return response.choices[0].message.content",
        ),
    ),
)

PYTHON_DECOYS = (
    _py(
        "def {name}(channel: str, text: str) -> None:",
        "# Slack's client has chat and messages too; this is not a model call (we moved off openai last year).",
        "slack.chat_postMessage(channel=channel, text=text)",
        "twilio.messages.create(to=channel, body=text)",
    ),
    _py(
        "def {name}(settings: dict) -> dict:",
        'openai = settings.get("openai", {})  # a config section, not the SDK',
        'return {"enabled": bool(openai), "model_hint": "see docs/llm.md"}',
    ),
    _py(
        "def {name}() -> str:",
        '"""Explain which providers (anthropic, openai, litellm) we evaluated; no calls are made here."""',
        'return "We compared anthropic and openai pricing in 2024."',
    ),
)


class Python(Language):
    name = "python"
    suffix = ".py"
    rg_type = "py"
    gitignore = GITIGNORE
    templates = PYTHON_TEMPLATES
    decoys = PYTHON_DECOYS

    def path(self, area: str, package: str, sub: str, stem: str) -> str:
        if area == "src":
            return f"src/{package}/{sub}/{stem}.py".replace("//", "/")
        if area == "tests":
            return f"tests/{package}/{sub}/test_{stem}.py".replace("//", "/")
        return f"{area}/{package}/{stem}.py"

    def module(self, rng: random.Random, path: str, package: str, lines: int, is_test: bool) -> list[str]:
        out = [f'"""{rng.choice(WORDS).title()} {rng.choice(WORDS)} handling for the {package} package."""', ""]
        chosen = rng.sample(STDLIB, rng.randint(2, 6)) + rng.sample(THIRD_PARTY, rng.randint(0, 3))
        if rng.random() < AWS_SHARE:
            chosen.append(AWS_IMPORT)
        imports = sorted({"import logging", *chosen})
        if is_test:
            imports.append("import pytest")
        imports.append(f"from {package}.{rng.choice(WORDS)} import {camel(rng)}")
        out += [*imports, "", "logger = logging.getLogger(__name__)", ""]
        out += [f"{name(rng).upper()} = {rng.randint(1, 5000)}" for _ in range(rng.randint(0, 4))]
        out.append("")
        makers = (self._function, self._class, self._test) if is_test else (self._function, self._class)
        out += rng.choice(makers)(rng)
        while len(out) < lines:
            out += rng.choice(makers)(rng)
        return out

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        body = insert_at_top_level(module, block, lambda line: line.startswith(("def ", "class ")))
        return [body[0], *imports, *body[1:]]  # after the module docstring

    def _statement(self, rng: random.Random, depth: int) -> list[str]:
        pad = "    " * depth
        a, b = name(rng), name(rng)
        kind = rng.randrange(7)
        if kind == 0:
            return [f"{pad}{a} = {b}.get({rng.choice(WORDS)!r}, {rng.randint(0, 99)})"]
        if kind == 1:
            return [f"{pad}if {a} is None:", f"{pad}    {a} = {rng.choice(['[]', '{}', '0', 'None', repr(b)])}"]
        if kind == 2:
            return [f"{pad}for {rng.choice(WORDS)} in {b}:", f"{pad}    {a}.append({rng.choice(WORDS)})"]
        if kind == 3:
            return [f'{pad}logger.info("{rng.choice(WORDS)} %s {rng.choice(WORDS)}", {a})']
        if kind == 4:
            return [f"{pad}{a} = [{rng.choice(WORDS)} for {rng.choice(WORDS)} in {b} if {rng.choice(WORDS)}]"]
        if kind == 5:
            return [
                f"{pad}# {rng.choice(WORDS)} before {rng.choice(WORDS)}: the {rng.choice(WORDS)} may be stale",
                f"{pad}{a} = {b}.{rng.choice(WORDS)}({name(rng)}, timeout={rng.randint(1, 60)})",
            ]
        return [
            f"{pad}try:",
            f"{pad}    {a} = {b}[{rng.randint(0, 9)}]",
            f"{pad}except (KeyError, IndexError):",
            f"{pad}    {a} = None",
        ]

    def _body(self, rng: random.Random, depth: int) -> list[str]:
        lines = [
            f'{"    " * depth}"""{rng.choice(WORDS).title()} the {rng.choice(WORDS)} for each {rng.choice(WORDS)}."""'
        ]
        for _ in range(rng.randint(2, 9)):
            lines += self._statement(rng, depth)
        lines.append(f"{'    ' * depth}return {name(rng)}")
        return lines

    def _function(self, rng: random.Random) -> list[str]:
        args = ", ".join(f"{name(rng, 1)}_{i}" for i in range(rng.randint(0, 3)))
        return [f"def {name(rng)}({args}):", *self._body(rng, 1), "", ""]

    def _class(self, rng: random.Random) -> list[str]:
        lines = [f"class {camel(rng)}:", f'    """A {rng.choice(WORDS)} {rng.choice(WORDS)}."""', ""]
        lines += [
            "    def __init__(self, store, limit=100):",
            "        self.store = store",
            "        self.limit = limit",
            "",
        ]
        for _ in range(rng.randint(1, 5)):
            lines += [f"    def {name(rng)}(self, {name(rng, 1)}):", *self._body(rng, 2), ""]
        return [*lines, ""]

    def _test(self, rng: random.Random) -> list[str]:
        return [
            f"def test_{name(rng)}():",
            f"    {name(rng)} = {camel(rng)}()",
            f"    assert {name(rng)} == {rng.randint(0, 9)}",
            "",
            "",
        ]

    def ignored_content(self, rng: random.Random) -> dict[str, str]:
        sdk_code = 'from openai import OpenAI\nOpenAI().chat.completions.create(model="gpt-4o", messages=[])\n'
        files = {".venv/pyvenv.cfg": "home = /usr/bin\n", "src/generated/.gitignore": "*_gen.py\n!keep_gen.py\n"}
        for index in range(120):
            files[f".venv/lib/python3.11/site-packages/openai/resources/mod_{index}.py"] = sdk_code
            files[f"build/lib/vendored_{index}.py"] = sdk_code
        for index in range(30):
            files[f"src/generated/client_{index}_gen.py"] = sdk_code
        files["src/generated/keep_gen.py"] = "\n".join(self.module(rng, "", "generated", 40, False)) + "\n"
        return files
