"""TypeScript modules for the synthetic repository, and the TypeScript inference calls it plants."""

from __future__ import annotations

import random
from collections.abc import Callable

from .base import PLANT_MARK, WORDS, Language, Template, camel, function, insert_at_top_level, name, snake_to_camel

LIBRARIES = [
    'import { z } from "zod";',
    'import express from "express";',
    'import axios from "axios";',
    'import { format } from "date-fns";',
    'import _ from "lodash";',
    'import { Redis } from "ioredis";',
    'import { PrismaClient } from "@prisma/client";',
    'import { S3Client } from "@aws-sdk/client-s3";',
]
GITIGNORE = "node_modules/\n.next/\ncoverage/\n*.tsbuildinfo\n"
MESSAGES = '[{ role: "user", content: prompt }]'


def _ts(header: str, *lines: str) -> Callable[[str], list[str]]:
    return function(header, list(lines), "}", "  ")


TEMPLATES = (
    Template(
        "openai-node",
        "openai",
        "openai",
        "gpt-4o-mini",
        ('import OpenAI from "openai";',),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            "const client = new OpenAI();",
            "const completion = await client.chat.completions.create({" + PLANT_MARK,
            '  model: "gpt-4o-mini",',
            f"  messages: {MESSAGES},",
            "});",
            'return completion.choices[0].message.content ?? "";',
        ),
    ),
    Template(
        "anthropic-node",
        "@anthropic-ai/sdk",
        "anthropic",
        "claude-3-5-sonnet-latest",
        ('import Anthropic from "@anthropic-ai/sdk";',),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            "const anthropic = new Anthropic();",
            "const message = await anthropic.messages.create({" + PLANT_MARK,
            '  model: "claude-3-5-sonnet-latest",',
            "  max_tokens: 1024,",
            f"  messages: {MESSAGES},",
            "});",
            'return message.content[0].type === "text" ? message.content[0].text : "";',
        ),
    ),
    Template(
        "vercel-ai-generate-text",
        "ai",
        "openai",
        "gpt-4o",
        ('import { generateText } from "ai";', 'import { openai } from "@ai-sdk/openai";'),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            'const { text } = await generateText({ model: openai("gpt-4o"), prompt });' + PLANT_MARK,
            "return text;",
        ),
    ),
    Template(
        "vercel-ai-deepseek-base-url",
        "ai",
        "deepseek",
        "deepseek-chat",
        ('import { streamText } from "ai";', 'import { createOpenAI } from "@ai-sdk/openai";'),
        _ts(
            "export function {name}(prompt: string) {{",
            "const deepseek = createOpenAI({",
            '  baseURL: "https://api.deepseek.com/v1",',
            "  apiKey: process.env.DEEPSEEK_API_KEY,",
            "});",
            'return streamText({ model: deepseek("deepseek-chat"), prompt });' + PLANT_MARK,
        ),
    ),
    Template(
        "bedrock-converse-node",
        "@aws-sdk/client-bedrock-runtime",
        "aws-bedrock",
        "anthropic.claude-3-5-sonnet-20240620-v1:0",
        ('import { BedrockRuntimeClient, ConverseCommand } from "@aws-sdk/client-bedrock-runtime";',),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            'const client = new BedrockRuntimeClient({ region: "us-east-1" });',
            "const response = await client.send(" + PLANT_MARK,
            "  new ConverseCommand({",
            '    modelId: "anthropic.claude-3-5-sonnet-20240620-v1:0",',
            '    messages: [{ role: "user", content: [{ text: prompt }] }],',
            "  }),",
            ");",
            'return response.output?.message?.content?.[0]?.text ?? "";',
        ),
    ),
    Template(
        "fetch-openai-http",
        "fetch",
        "openai",
        "gpt-4o",
        (),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            'const res = await fetch("https://api.openai.com/v1/chat/completions", {' + PLANT_MARK,
            '  method: "POST",',
            '  headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}`, "Content-Type": "application/json" },',
            f'  body: JSON.stringify({{ model: "gpt-4o", messages: {MESSAGES} }}),',
            "});",
            "const data = await res.json();",
            "return data.choices[0].message.content;",
        ),
    ),
    Template(
        "google-genai-node",
        "@google/genai",
        "google",
        "gemini-2.5-flash",
        ('import { GoogleGenAI } from "@google/genai";',),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            "const ai = new GoogleGenAI({});",
            'const response = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: prompt });'
            + PLANT_MARK,
            'return response.text ?? "";',
        ),
    ),
    Template(
        "langchain-js-anthropic",
        "@langchain/anthropic",
        "anthropic",
        "claude-3-5-haiku-latest",
        ('import { ChatAnthropic } from "@langchain/anthropic";',),
        _ts(
            "export async function {name}(prompt: string): Promise<string> {{",
            'const model = new ChatAnthropic({ model: "claude-3-5-haiku-latest", temperature: 0 });' + PLANT_MARK,
            "const reply = await model.invoke(prompt);",
            "return String(reply.content);",
        ),
    ),
)

DECOYS = (
    _ts(
        "export async function {name}(channel: string, text: string): Promise<void> {{",
        "// Slack's client also has chat and messages; not a model call (we dropped openai here).",
        "await slack.chat.postMessage({ channel, text });",
        "await twilio.messages.create({ to: channel, body: text });",
    ),
    _ts(
        "export function {name}(settings: Record<string, unknown>): boolean {{",
        'const openai = settings["openai"]; // a settings section, not the SDK',
        "return Boolean(openai);",
    ),
)


class TypeScript(Language):
    name = "typescript"
    suffix = ".ts"
    rg_type = "ts"
    gitignore = GITIGNORE
    templates = TEMPLATES
    decoys = DECOYS

    def path(self, area: str, package: str, sub: str, stem: str) -> str:
        stem = stem.replace("_", "-")
        if area == "src":
            return f"web/{package}/src/{sub}/{stem}.ts".replace("//", "/")
        if area == "tests":
            return f"web/{package}/test/{sub}/{stem}.test.ts".replace("//", "/")
        return f"web/{package}/{area}/{stem}.ts"

    def function_name(self, snake: str) -> str:
        return snake_to_camel(snake)

    def module(self, rng: random.Random, path: str, package: str, lines: int, is_test: bool) -> list[str]:
        out = [f"// {rng.choice(WORDS).title()} {rng.choice(WORDS)} handling for {package}."]
        out += sorted(rng.sample(LIBRARIES, rng.randint(0, 3)))
        out.append(f'import {{ {camel(rng)} }} from "../{rng.choice(WORDS)}";')
        if is_test:
            out.append('import { describe, expect, it } from "vitest";')
        out.append("")
        makers = (self._function, self._class, self._interface)
        out += rng.choice(makers)(rng)
        while len(out) < lines:
            out += (self._test if is_test and rng.random() < 0.4 else rng.choice(makers))(rng)
        return out

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        body = insert_at_top_level(module, block, lambda line: line.startswith("export "))
        return [body[0], *imports, *body[1:]]

    def _statement(self, rng: random.Random, pad: str) -> list[str]:
        a, b = snake_to_camel(name(rng)), snake_to_camel(name(rng))
        kind = rng.randrange(5)
        if kind == 0:
            return [f"{pad}const {a} = {b}.get({rng.choice(WORDS)!r}) ?? {rng.randint(0, 99)};"]
        if kind == 1:
            return [f"{pad}if (!{a}) {{", f"{pad}  {a} = [];", f"{pad}}}"]
        if kind == 2:
            return [
                f"{pad}for (const {rng.choice(WORDS)} of {b}) {{",
                f"{pad}  {a}.push({rng.choice(WORDS)});",
                f"{pad}}}",
            ]
        if kind == 3:
            return [
                f"{pad}// {rng.choice(WORDS)} before {rng.choice(WORDS)}: it may be stale",
                f"{pad}const {a} = {b}.filter((x) => x.{rng.choice(WORDS)} > {rng.randint(0, 9)});",
            ]
        return [f"{pad}console.debug(`{rng.choice(WORDS)} ${{{a}}}`);"]

    def _body(self, rng: random.Random, pad: str) -> list[str]:
        lines = []
        for _ in range(rng.randint(2, 8)):
            lines += self._statement(rng, pad)
        return [*lines, f"{pad}return {snake_to_camel(name(rng))};"]

    def _function(self, rng: random.Random) -> list[str]:
        args = ", ".join(
            f"{rng.choice(WORDS)}{i}: {rng.choice(['string', 'number', 'unknown[]'])}" for i in range(rng.randint(0, 3))
        )
        return [f"export function {snake_to_camel(name(rng))}({args}) {{", *self._body(rng, "  "), "}", ""]

    def _class(self, rng: random.Random) -> list[str]:
        lines = [f"export class {camel(rng)} {{", "  private readonly store = new Map<string, number>();", ""]
        for _ in range(rng.randint(1, 4)):
            lines += [f"  {snake_to_camel(name(rng))}(key: string) {{", *self._body(rng, "    "), "  }", ""]
        return [*lines, "}", ""]

    def _interface(self, rng: random.Random) -> list[str]:
        fields = [
            f"  {rng.choice(WORDS)}{i}: {rng.choice(['string', 'number', 'boolean'])};"
            for i in range(rng.randint(2, 6))
        ]
        return [f"export interface {camel(rng)} {{", *fields, "}", ""]

    def _test(self, rng: random.Random) -> list[str]:
        return [
            f'describe("{name(rng)}", () => {{',
            f'  it("{rng.choice(WORDS)}s", () => {{',
            f"    expect({snake_to_camel(name(rng))}).toBe({rng.randint(0, 9)});",
            "  });",
            "});",
            "",
        ]

    def ignored_content(self, rng: random.Random) -> dict[str, str]:
        sdk_code = 'import OpenAI from "openai";\nawait new OpenAI().chat.completions.create({ model: "gpt-4o" });\n'
        return {f"web/node_modules/openai/src/resources/mod-{index}.ts": sdk_code for index in range(100)}
