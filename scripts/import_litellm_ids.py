"""Import the long tail of model ids from LiteLLM's model map into offramp/catalog/data/model_ids.json.

LiteLLM (MIT licence) bundles ``model_prices_and_context_window_backup.json``: several thousand model ids as
its users write them, each with the provider LiteLLM routes it to and its mode. Offramp keeps only the id,
the Offramp provider and a model kind; makers, jurisdictions and open weights stay curated in models.toml.

    python scripts/import_litellm_ids.py                      # pip-downloads litellm==LITELLM_VERSION
    python scripts/import_litellm_ids.py path/to/litellm-X.whl
    python scripts/import_litellm_ids.py path/to/model_prices_and_context_window.json --version X

Bump LITELLM_VERSION to refresh; the output is sorted, so a refresh shows as a readable diff.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

LITELLM_VERSION = "1.110.2"
LITELLM_NOTICE = "LiteLLM's model map: MIT License, Copyright (c) 2023 Berri AI"
MAP_NAMES = ("model_prices_and_context_window.json", "model_prices_and_context_window_backup.json")
OUTPUT = Path(__file__).resolve().parent.parent / "offramp" / "catalog" / "data" / "model_ids.json"

# LiteLLM's litellm_provider values -> Offramp provider ids (offramp/catalog/data/providers.toml).
# Providers missing here are skipped and counted: add them to providers.toml first, then here.
PROVIDERS: Mapping[str, str] = {
    "openai": "openai",
    "text-completion-openai": "openai",
    "chatgpt": "openai",
    "azure": "azure-openai",
    "azure_ai": "azure-openai",
    "azure_text": "azure-openai",
    "anthropic": "anthropic",
    "gemini": "google",
    "vertex_ai": "google-vertex",
    "bedrock": "aws-bedrock",
    "bedrock_converse": "aws-bedrock",
    "bedrock_mantle": "aws-bedrock",
    "sagemaker": "aws-sagemaker",
    "xai": "xai",
    "meta_llama": "meta-llama-api",
    "groq": "groq",
    "together_ai": "together",
    "fireworks_ai": "fireworks",
    "fireworks_ai-embedding-models": "fireworks",
    "openrouter": "openrouter",
    "perplexity": "perplexity",
    "cerebras": "cerebras",
    "sambanova": "sambanova",
    "deepinfra": "deepinfra",
    "nvidia_nim": "nvidia-nim",
    "huggingface": "huggingface",
    "replicate": "replicate",
    "cloudflare": "cloudflare-workers-ai",
    "databricks": "databricks",
    "watsonx": "watsonx",
    "oci": "oci-genai",
    "voyage": "voyage",
    "baseten": "baseten",
    "vercel_ai_gateway": "vercel-ai-gateway",
    "fal_ai": "fal",
    "github_copilot": "github-copilot",
    "snowflake": "snowflake-cortex",
    "lambda_ai": "lambda",
    "hyperbolic": "hyperbolic",
    "wandb": "wandb-inference",
    "runwayml": "runway",
    "nscale": "nscale",
    "deepgram": "deepgram",
    "mistral": "mistral",
    "codestral": "mistral",
    "text-completion-codestral": "mistral",
    "cohere": "cohere",
    "cohere_chat": "cohere",
    "ai21": "ai21",
    "nebius": "nebius",
    "scaleway": "scaleway",
    "ovhcloud": "ovhcloud",
    "stability": "stability",
    "black_forest_labs": "black-forest-labs",
    "jina_ai": "jina",
    "friendliai": "friendliai",
    "gigachat": "gigachat",
    "deepseek": "deepseek",
    "zai": "zhipu",
    "bigmodel": "zhipu",
    "dashscope": "dashscope",
    "qwen_ai_platform": "dashscope",
    "qwencloud": "dashscope",
    "moonshot": "moonshot",
    "minimax": "minimax",
    "volcengine": "volcengine",
    "tencent": "tencent-hunyuan",
    "ollama": "ollama",
    "hosted_vllm": "vllm",
    "vllm": "vllm",
    "lm_studio": "lmstudio",
}
# LiteLLM splits Vertex AI into "vertex_ai-language-models", "vertex_ai-anthropic_models", ...
PROVIDER_FAMILIES: Mapping[str, str] = {"vertex_ai-": "google-vertex"}

# LiteLLM modes -> Offramp model kinds (schema.ModelKind). Other modes (search, ocr, evaluation,
# vector_store, guardrail, ...) are tools rather than models and are skipped.
KINDS: Mapping[str, str] = {
    "chat": "chat",
    "completion": "chat",
    "responses": "chat",
    "embedding": "embedding",
    "image_generation": "image",
    "image_edit": "image",
    "audio_transcription": "audio",
    "audio_speech": "audio",
    "realtime": "audio",
    "moderation": "moderation",
    "rerank": "rerank",
    "video_generation": "video",
}

# Pricing rows, not ids anyone writes: "hd/1024-x-1792/dall-e-3", "bedrock/*/1-month-commitment/...".
PRICING_ROW = re.compile(r"(^|/)(\d+-x-\d+|low|medium|high|standard|hd|max-steps|\d+-steps|\*)/")


def offramp_provider(litellm_provider: str | None, model_id: str) -> str | None:
    """The Offramp provider of a LiteLLM entry; entries without one are routed by their id's prefix."""
    name = litellm_provider or model_id.split("/", 1)[0]
    if name in PROVIDERS:
        return PROVIDERS[name]
    return next((provider for family, provider in PROVIDER_FAMILIES.items() if name.startswith(family)), None)


def convert(model_map: Mapping[str, Any]) -> tuple[dict[str, dict[str, str]], collections.Counter[str]]:
    """Offramp's id map from LiteLLM's, and a count of what was skipped and why."""
    ids: dict[str, dict[str, str]] = {}
    skipped: collections.Counter[str] = collections.Counter()
    for model_id, entry in model_map.items():
        if not isinstance(entry, dict) or model_id == "sample_spec":
            continue
        if PRICING_ROW.search(model_id):
            skipped["pricing row"] += 1
            continue
        kind = KINDS.get(entry.get("mode") or "chat")
        if kind is None:
            skipped[f"mode {entry.get('mode')}"] += 1
            continue
        provider = offramp_provider(entry.get("litellm_provider"), model_id)
        if provider is None:
            skipped[f"provider {entry.get('litellm_provider') or model_id.split('/', 1)[0]}"] += 1
            continue
        ids[model_id] = {"provider": provider, "mode": kind}
    return dict(sorted(ids.items())), skipped


def read_model_map(source: Path, version: str) -> tuple[dict[str, Any], str]:
    """LiteLLM's model map from a wheel or a JSON file, and which version and file it is."""
    if source.suffix != ".whl":
        return json.loads(source.read_text(encoding="utf-8")), f"{version} {source.name}"
    with zipfile.ZipFile(source) as wheel:
        members = {Path(name).name: name for name in wheel.namelist() if name.startswith("litellm/")}
        name = next((members[n] for n in MAP_NAMES if n in members), None)
        if name is None:
            raise SystemExit(f"{source}: no {' or '.join(MAP_NAMES)} inside; is this a litellm wheel?")
        # Wheel names are "litellm-<version>-<tags>.whl".
        return json.loads(wheel.read(name)), f"{source.name.split('-')[1]} {name}"


def download_wheel(version: str, into: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
         f"litellm=={version}", "--dest", str(into)],
        check=True,
    )
    return next(into.glob("litellm-*.whl"))


def write(ids: Mapping[str, Mapping[str, str]], source: str, output: Path) -> None:
    # One id per line keeps refreshes reviewable.
    lines = [f"  {json.dumps(model_id)}: {json.dumps(entry, sort_keys=True)}" for model_id, entry in ids.items()]
    header = {"source": f"LiteLLM {source}", "licence": LITELLM_NOTICE, "generated_by": "scripts/import_litellm_ids.py"}
    body = ",\n".join(lines)
    head = ",\n".join(f" {json.dumps(k)}: {json.dumps(v)}" for k, v in header.items())
    output.write_text(f'{{\n{head},\n "ids": {{\n{body}\n }}\n}}\n', encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, help="a litellm wheel or model map JSON (default: download)")
    parser.add_argument("--version", default=LITELLM_VERSION, help="litellm version to download or to record")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        source = args.source or download_wheel(args.version, Path(tmp))
        model_map, origin = read_model_map(source, args.version)
    ids, skipped = convert(model_map)
    write(ids, origin, args.output)
    print(f"wrote {len(ids)} ids from {origin} to {args.output}", file=sys.stderr)
    for reason, count in skipped.most_common():
        print(f"  skipped {count:5d}  {reason}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
