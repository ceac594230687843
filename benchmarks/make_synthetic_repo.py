"""Write a deterministic synthetic repository for the scan benchmark, and a manifest of what it plants.

    python benchmarks/make_synthetic_repo.py benchmarks/out/synthetic            # 20,000 files, Python
    python benchmarks/make_synthetic_repo.py OUT --files 2000 --seed 7 --languages python

The tree looks like a product monorepo: packages nested a few levels deep, tests/, scripts/ and
examples/ folders, docs and config files, a .gitignore (with a virtual environment and build output
behind it, and a nested .gitignore with a negation). About 1% of the code files hold a real inference
call, in one of many SDK styles; about 0.5% hold a look-alike (a Slack ``chat_postMessage``, a comment
that names an SDK, a local variable called ``openai``) that a scanner must not report.

``manifest.json`` lists every planted call (file, line of the call, sdk, style, provider, model) and
every look-alike file, so that the benchmark can report recall and false alarms. The same seed always
gives the same tree, byte for byte.

Languages are pluggable (``--languages python,...``): each is a :class:`Language` that writes ordinary
modules and knows its inference-call templates. Python is the only one so far; TypeScript, Go and Java
join with the second scan slice.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

PLANT_MARK = "  # @@plant@@"

WORDS = [
    "account",
    "order",
    "invoice",
    "payment",
    "session",
    "token",
    "cache",
    "report",
    "metric",
    "event",
    "queue",
    "worker",
    "job",
    "task",
    "record",
    "item",
    "product",
    "customer",
    "address",
    "config",
    "settings",
    "request",
    "response",
    "handler",
    "service",
    "repository",
    "schema",
    "field",
    "value",
    "result",
    "batch",
    "chunk",
    "page",
    "index",
    "entry",
    "node",
    "graph",
    "path",
    "blob",
    "bucket",
    "policy",
    "rule",
    "score",
    "rank",
    "query",
    "filter",
    "limit",
    "offset",
    "user",
    "tenant",
    "region",
    "shipment",
    "refund",
    "ledger",
    "balance",
    "audit",
    "notice",
    "template",
    "message",
    "channel",
    "webhook",
    "price",
    "discount",
    "coupon",
    "cart",
    "inventory",
    "warehouse",
    "supplier",
    "contract",
    "quote",
    "schedule",
    "slot",
    "booking",
    "review",
    "rating",
]

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
OTHER_FILES = [
    ("README.md", "md"),
    ("CHANGELOG.md", "md"),
    ("config.yaml", "yaml"),
    ("fixtures.json", "json"),
    ("setup.cfg", "cfg"),
    ("notes.txt", "txt"),
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


@dataclass(frozen=True)
class Plant:
    file: str
    line: int
    sdk: str
    style: str
    provider: str
    model: str


@dataclass(frozen=True)
class Template:
    """An inference call: the imports it needs, its function (the call line carries PLANT_MARK) and facts."""

    style: str
    sdk: str
    provider: str
    model: str
    imports: tuple[str, ...]
    body: Callable[[str], list[str]]
    """Lines of a top-level function with the given name."""


class Language:
    name = ""
    suffix = ""
    templates: tuple[Template, ...] = ()
    decoys: tuple[Callable[[str], list[str]], ...] = ()

    def module(self, rng: random.Random, package: str, lines: int, is_test: bool) -> list[str]:
        raise NotImplementedError

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        raise NotImplementedError

    def gitignore(self) -> str:
        return ""


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _camel(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(WORDS).title() for _ in range(parts))


def _messages(var: str = "prompt") -> str:
    return f'[{{"role": "user", "content": {var}}}]'


# --- Python -----------------------------------------------------------------------------------------------


def _py(header: str, *lines: str) -> Callable[[str], list[str]]:
    """A function template: ``header`` takes the function name; lines are its body, indented by four."""

    def build(name: str) -> list[str]:
        return [header.format(name=name), *("    " + line if line else "" for line in lines), ""]

    return build


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
    templates = PYTHON_TEMPLATES
    decoys = PYTHON_DECOYS

    def module(self, rng: random.Random, package: str, lines: int, is_test: bool) -> list[str]:
        out = [f'"""{rng.choice(WORDS).title()} {rng.choice(WORDS)} handling for the {package} package."""', ""]
        chosen = rng.sample(STDLIB, rng.randint(2, 6)) + rng.sample(THIRD_PARTY, rng.randint(0, 3))
        if rng.random() < AWS_SHARE:
            chosen.append(AWS_IMPORT)
        imports = sorted({"import logging", *chosen})
        if is_test:
            imports.append("import pytest")
        imports.append(f"from {package}.{rng.choice(WORDS)} import {_camel(rng)}")
        out += [*imports, "", "logger = logging.getLogger(__name__)", ""]
        out += [f"{_name(rng).upper()} = {rng.randint(1, 5000)}" for _ in range(rng.randint(0, 4))]
        out.append("")
        makers = (self._function, self._class, self._test) if is_test else (self._function, self._class)
        out += rng.choice(makers)(rng)
        while len(out) < lines:
            out += rng.choice(makers)(rng)
        return out

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        first_def = next(i for i, line in enumerate(module) if line.startswith(("def ", "class ", "async def ")))
        insert_at = first_def + (len(module) - first_def) // 2
        while module[insert_at].startswith((" ", "@")) or module[insert_at] == "":
            insert_at += 1
            if insert_at == len(module):
                break
        body = [*module[:insert_at], "", *block, *module[insert_at:]]
        return [body[0], *imports, *body[1:]]

    def _statement(self, rng: random.Random, depth: int) -> list[str]:
        pad = "    " * depth
        a, b = _name(rng), _name(rng)
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
                f"{pad}{a} = {b}.{rng.choice(WORDS)}({_name(rng)}, timeout={rng.randint(1, 60)})",
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
        lines.append(f"{'    ' * depth}return {_name(rng)}")
        return lines

    def _function(self, rng: random.Random) -> list[str]:
        args = ", ".join(f"{_name(rng, 1)}_{i}" for i in range(rng.randint(0, 3)))
        return [f"def {_name(rng)}({args}):", *self._body(rng, 1), "", ""]

    def _class(self, rng: random.Random) -> list[str]:
        lines = [f"class {_camel(rng)}:", f'    """A {rng.choice(WORDS)} {rng.choice(WORDS)}."""', ""]
        lines += [
            "    def __init__(self, store, limit=100):",
            "        self.store = store",
            "        self.limit = limit",
            "",
        ]
        for _ in range(rng.randint(1, 5)):
            lines += [f"    def {_name(rng)}(self, {_name(rng, 1)}):", *self._body(rng, 2), ""]
        return [*lines, ""]

    def _test(self, rng: random.Random) -> list[str]:
        return [
            f"def test_{_name(rng)}():",
            f"    {_name(rng)} = {_camel(rng)}()",
            f"    assert {_name(rng)} == {rng.randint(0, 9)}",
            "",
            "",
        ]

    def gitignore(self) -> str:
        return GITIGNORE


LANGUAGES: dict[str, type[Language]] = {"python": Python}


# --- the tree ---------------------------------------------------------------------------------------------


def _module_lines(rng: random.Random) -> int:
    if rng.random() < 0.02:
        return rng.randint(800, 3000)  # the long modules every codebase has
    return max(12, int(rng.lognormvariate(3.85, 0.6)))


def _package_folders(rng: random.Random) -> list[str]:
    """A package's subpackages, three levels deep: about 80 folders, so about 8 files in each."""
    folders = [""]
    for top in rng.sample(WORDS, 6):
        folders.append(top)
        for middle in rng.sample(WORDS, 4):
            folders.append(f"{top}/{middle}")
            folders += [f"{top}/{middle}/{leaf}" for leaf in rng.sample(WORDS, 2)]
    return folders


def _folder(rng: random.Random, packages: dict[str, list[str]]) -> tuple[str, str, str]:
    """(folder, package, area) for the next file: production code mostly, then tests, scripts, examples."""
    package = rng.choice(sorted(packages))
    sub = rng.choice(packages[package])
    roll = rng.random()
    if roll < 0.72:
        return f"src/{package}/{sub}".rstrip("/"), package, "src"
    if roll < 0.94:
        return f"tests/{package}/{sub}".rstrip("/"), package, "tests"
    if roll < 0.98:
        return f"scripts/{package}", package, "scripts"
    return f"examples/{package}", package, "examples"


def generate(out: Path, files: int, seed: int, languages: list[str], plant_rate: float, decoy_rate: float) -> dict:
    rng = random.Random(seed)
    langs = [LANGUAGES[name]() for name in languages]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    names = sorted({_name(rng, 1) + "_" + rng.choice(("core", "api", "svc", "lib")) for _ in range(14)})
    packages = {name: _package_folders(rng) for name in names}
    plants: list[Plant] = []
    decoy_files: list[str] = []
    written: set[str] = set()
    lines_total = 0
    other_share = 0.05
    for index in range(files):
        folder, package, area = _folder(rng, packages)
        if rng.random() < other_share:
            name, _ = rng.choice(OTHER_FILES)
            path = f"docs/{package}/{index}-{name}" if area == "src" else f"{folder}/{index}-{name}"
            text = "\n".join(f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(30))
            _write(out, path, text + "\n")
            lines_total += 30
            continue
        lang = rng.choice(langs)
        stem = ("test_" if area == "tests" else "") + f"{_name(rng)}_{index}"
        path = f"{folder}/{stem}{lang.suffix}"
        module = lang.module(rng, package, _module_lines(rng), area == "tests")
        roll = rng.random()
        template = None
        if roll < plant_rate:
            template = rng.choice(lang.templates)
            module = lang.with_block(module, template.body(f"ask_{_name(rng)}"), template.imports)
        elif roll < plant_rate + decoy_rate:
            module = lang.with_block(module, rng.choice(lang.decoys)(f"notify_{_name(rng)}"), ())
            decoy_files.append(path)
        for number, line in enumerate(module, 1):
            if line.endswith(PLANT_MARK):
                module[number - 1] = line[: -len(PLANT_MARK)]
                assert template is not None
                plants.append(Plant(path, number, template.sdk, template.style, template.provider, template.model))
        _write(out, path, "\n".join(module) + "\n")
        written.add(path)
        lines_total += len(module)
    ignored = _ignored_content(out, rng, langs)
    (out / ".gitignore").write_text("/manifest.json\n" + "".join(lang.gitignore() for lang in langs))
    manifest = {
        "seed": seed,
        "files": files,
        "lines": lines_total,
        "languages": languages,
        "plants": [asdict(plant) for plant in plants],
        "decoy_files": decoy_files,
        "ignored_files": ignored,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def _ignored_content(out: Path, rng: random.Random, langs: list[Language]) -> int:
    """Files that mention SDKs but sit where no scan may look: a virtualenv, build output, a nested ignore."""
    count = 0
    python = next((lang for lang in langs if isinstance(lang, Python)), None)
    if python is None:
        return 0
    sdk_code = (
        'from openai import OpenAI\nclient = OpenAI()\nclient.chat.completions.create(model="gpt-4o", messages=[])\n'
    )
    (out / ".venv").mkdir()
    (out / ".venv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    for index in range(120):
        _write(out, f".venv/lib/python3.11/site-packages/openai/resources/mod_{index}.py", sdk_code)
        _write(out, f"build/lib/vendored_{index}.py", sdk_code)
        count += 2
    _write(out, "src/generated/.gitignore", "*_gen.py\n!keep_gen.py\n")
    for index in range(30):
        _write(out, f"src/generated/client_{index}_gen.py", sdk_code)
        count += 1
    _write(out, "src/generated/keep_gen.py", "\n".join(python.module(rng, "generated", 40, False)) + "\n")
    return count


def _write(out: Path, relpath: str, text: str) -> None:
    path = out / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced if it exists)")
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--languages", default="python", help=f"comma-separated, from: {', '.join(LANGUAGES)}")
    parser.add_argument("--plant-rate", type=float, default=0.01, help="share of code files with an inference call")
    parser.add_argument("--decoy-rate", type=float, default=0.005, help="share of code files with a look-alike")
    args = parser.parse_args(argv)
    languages = [name.strip() for name in args.languages.split(",") if name.strip()]
    unknown = [name for name in languages if name not in LANGUAGES]
    if unknown:
        parser.error(f"unknown language(s) {', '.join(unknown)}; choose from {', '.join(LANGUAGES)}")
    manifest = generate(args.out, args.files, args.seed, languages, args.plant_rate, args.decoy_rate)
    print(
        f"wrote {manifest['files']:,} files ({manifest['lines']:,} lines) to {args.out}: "
        f"{len(manifest['plants'])} inference calls, {len(manifest['decoy_files'])} look-alikes, "
        f"{manifest['ignored_files']} files behind .gitignore",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
