"""A small catalog with known facts, and short constructors for hand-built scan results."""

from __future__ import annotations

from typing import Any

from offramp.catalog import Catalog
from offramp.catalog.schema import LockinFile, Model, Provider
from offramp.scan.findings import InferencePath, Target

PROVIDERS = [
    Provider(id="openai", name="OpenAI", jurisdiction="US", model_prefixes=["openai/"]),
    Provider(id="aws-bedrock", name="Amazon Bedrock", jurisdiction="US", model_prefixes=["bedrock/"]),
    Provider(id="groq", name="Groq", jurisdiction="US"),
    Provider(id="deepseek", name="DeepSeek", jurisdiction="CN"),
    Provider(id="dashscope", name="Alibaba Cloud Model Studio", jurisdiction="CN"),
    Provider(id="mistral", name="Mistral AI", jurisdiction="FR"),
    Provider(id="tw-cloud", name="A Taiwanese reseller", jurisdiction="TW"),
    Provider(id="ollama", name="Ollama", self_hosted=True, default_ports=[11434]),
]

MODELS = [
    Model(id="gpt-4o", name="GPT-4o", maker="openai", maker_jurisdiction="US",
          patterns=[r"gpt-4o(-\d{4}-\d{2}-\d{2})?"], open_weights=False, licence="proprietary", context_window=128000,
          substitutes=[{"model": "qwen3-32b", "keeps": ["chat", "tools"], "loses": ["vision"]}]),
    Model(id="gpt-4o-mini", name="GPT-4o mini", maker="openai", maker_jurisdiction="US", patterns=["gpt-4o-mini"],
          open_weights=False, licence="proprietary", context_window=128000,
          substitutes=[{"model": "qwen3-32b", "keeps": ["chat"], "loses": []}]),
    Model(id="claude-long", name="Claude Long", maker="anthropic", maker_jurisdiction="US",
          patterns=[r"claude-long(-v\d)?"], open_weights=False, licence="proprietary", context_window=1_000_000),
    Model(id="text-embedding-3-large", name="text-embedding-3-large", maker="openai", maker_jurisdiction="US",
          patterns=["text-embedding-3-large"], kind="embedding", open_weights=False, licence="proprietary",
          modalities=["embedding"]),
    Model(id="mistral-medium", name="Mistral Medium", maker="mistral", maker_jurisdiction="FR",
          patterns=["mistral-medium(-latest)?"], open_weights=False, licence="proprietary"),
    Model(id="qwen-max", name="Qwen Max", maker="alibaba", maker_jurisdiction="CN", patterns=["qwen-max"],
          open_weights=False, licence="proprietary"),
    Model(id="qwen3-32b", name="Qwen3 32B", maker="alibaba", maker_jurisdiction="CN",
          patterns=["qwen3-32b", "qwen3:32b"], open_weights=True, licence="Apache-2.0"),
    Model(id="deepseek-v3", name="DeepSeek V3", maker="deepseek", maker_jurisdiction="CN",
          patterns=["deepseek-chat"], open_weights=True, licence="MIT"),
    Model(id="llama-3.1-8b", name="Llama 3.1 8B", maker="meta", maker_jurisdiction="US",
          patterns=[r"llama-?3\.1-8b(-instant)?", r"llama3\.1:8b"], open_weights=True, licence="Llama 3.1"),
]

BASE_HOURS = 6.0

LOCKIN = LockinFile.model_validate({
    "schema_version": 1,
    "base_hours": BASE_HOURS,
    "base_why": "Swap the endpoint and re-run evaluations.",
    "rule": [
        {"id": "embeddings", "feature": "Embeddings", "hours": 40, "why": "Re-embed the index.",
         "when": {"operations": ["embedding"], "model_kinds": ["embedding"]}},
        {"id": "fine-tuned", "feature": "Fine-tuned model", "hours": 40, "why": "Fine-tune again.",
         "when": {"fine_tuned": True}},
        {"id": "extended-thinking", "feature": "Extended thinking", "hours": 8, "why": "Re-tune budgets.",
         "when": {"arguments": ["thinking"]}},
        {"id": "structured-outputs", "feature": "Strict structured outputs", "hours": 8, "why": "Grammar server.",
         "when": {"argument_values": ["json_schema"], "methods": ["parse"]}},
        {"id": "vision", "feature": "Vision", "hours": 8, "why": "Open VLM needed.",
         "when": {"modalities": ["image"]}},
        {"id": "long-context", "feature": "Very long context", "hours": 16, "why": "Chunk instead.",
         "when": {"min_context_window": 500000}},
        {"id": "no-substitute", "feature": "No known open-weight substitute", "hours": 24, "why": "Find one.",
         "when": {"no_substitute": True}},
    ],
})


def small_catalog() -> Catalog:
    return Catalog(providers={p.id: p for p in PROVIDERS}, models={m.id: m for m in MODELS}, lockin=LOCKIN,
                   longtail={}, sources=("test",))


def make_path(file: str = "app/chat.py", targets: list[Target] | None = None, *, line: int = 10,
              operation: str = "chat.completions.create", operation_kind: str = "chat",
              **extra: Any) -> InferencePath:
    return InferencePath(file=file, line=line, column=4, end_line=line + 2, kind="sdk_call", sdk="openai",
                         operation=operation, operation_kind=operation_kind,
                         targets=targets if targets is not None else [Target("openai", "gpt-4o")], **extra)
