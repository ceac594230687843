"""Normalising model ids as SDKs and hosts write them.

``us.anthropic.claude-3-5-sonnet-20241022-v2:0``, ``models/gemini-2.5-pro``,
``claude-3-5-sonnet-v2@20241022``, ``openrouter/meta-llama/llama-3.1-70b-instruct``, ``llama3.1:8b``,
``ft:gpt-4o-mini-2024-07-18:acme::9abc``, ``@cf/meta/llama-3.1-8b-instruct`` and
``hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M`` all carry a core id wrapped in routing, region, version,
tag and quantisation syntax. :func:`parse_model_id` peels those layers and keeps what each one said, so that
catalog patterns only describe the core id.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_RESOURCE_PATH = re.compile(r"^(?:projects/[^/]+/locations/[^/]+/)?publishers/([^/]+)/models/(.+)$")
_BEDROCK_ARN = re.compile(r"^arn:aws[\w-]*:bedrock:[\w-]*:\d*:(?:foundation-model|inference-profile)/(.+)$")
_BEDROCK_REGION = re.compile(r"^(?:us|eu|apac|us-gov|global|jp|au|ca|in)\.(?=[a-z0-9-]+\.)")
_BEDROCK_VENDOR = re.compile(
    r"^(anthropic|meta|mistral|amazon|cohere|ai21|deepseek|qwen|openai|writer|twelvelabs|stability|luma"
    r"|google|minimax|moonshot|moonshotai|nvidia|xai|zai)\."
)
# LiteLLM pins a region (and a provisioned-throughput term) after its "bedrock/" prefix:
# "bedrock/eu-west-1/anthropic.claude-v2:1", "bedrock/us-east-1/1-month-commitment/cohere.command-text-v14".
_BEDROCK_ROUTE_REGION = re.compile(r"^[a-z]{2}(?:-gov)?-[a-z]+-\d+/(?:\d+-month-commitment/)?")
# "-v2:0", "-v1", ":0", and "-1:0" as in "openai.gpt-oss-120b-1:0".
_BEDROCK_VERSION = re.compile(r"-v?\d+:\d+$|-v\d+$|:\d+$")
_CLOUDFLARE = re.compile(r"^@(?:cf|hf)/")
_FIREWORKS_PATH = re.compile(r"^accounts/[^/]+/models/(.+)$")
# Ollama pulls GGUF repos straight from the Hub: "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M".
_HUB_HOST = re.compile(r"^(?:hf\.co|huggingface\.co)/")
# Quantised re-uploads keep the base model's name: "Qwen3-32B-AWQ", "Llama-3.2-3B-Instruct-GGUF".
_QUANTISED = re.compile(
    r"(?:[-_.](?:gguf|awq|gptq|fp8(?:-dynamic)?|int[48]|w4a16|w8a8|mlx|[48]bit|bnb-4bit|exl2|q[2-8](?:_k)?(?:_[msl01])?))+$",
    re.IGNORECASE,
)
_FINE_TUNED = re.compile(r"^ft:([^:]+)(?::|$)")
_LEGACY_FINE_TUNED = re.compile(r"^([a-z0-9-]+):ft-")
# HF repo ids and OpenRouter slugs: "Org/Name", "maker/model".
_ORG_SLASH = re.compile(r"^([A-Za-z0-9_.-]+)/([A-Za-z0-9_.:-]+)$")


@dataclass(frozen=True)
class ParsedModelId:
    """A raw model id and what its wrapping said about it."""

    raw: str
    forms: tuple[str, ...]
    """Candidate core ids to match against catalog patterns, most specific first."""
    provider_hints: tuple[str, ...] = ()
    """Providers named by routing prefixes or id syntax, outermost first."""
    fine_tuned: bool = False
    tag: str | None = None
    notes: tuple[str, ...] = field(default=(), compare=False)


def parse_model_id(raw: str, prefix_providers: Mapping[str, str]) -> ParsedModelId:
    """Peel routing, region, vendor, version and tag syntax off ``raw``.

    ``prefix_providers`` maps routing prefixes such as ``"bedrock/"`` to provider ids.
    """
    text = raw.strip()
    hints: list[str] = []
    notes: list[str] = []
    fine_tuned = False
    tag: str | None = None

    for _ in range(4):  # routing prefixes nest: "openrouter/anthropic/claude-3.5-sonnet"
        prefix = next((p for p in prefix_providers if text.lower().startswith(p)), None)
        if prefix is None:
            break
        hints.append(prefix_providers[prefix])
        notes.append(f"routing prefix {prefix!r}")
        text = text[len(prefix) :]

    if "aws-bedrock" in hints and (match := _BEDROCK_ROUTE_REGION.match(text)):
        notes.append(f"Bedrock region {match.group(0).split('/')[0]!r}")
        text = text[match.end() :]

    if match := _FINE_TUNED.match(text):
        fine_tuned, text = True, match.group(1)
        notes.append("fine-tuned id (ft:)")
    elif match := _LEGACY_FINE_TUNED.match(text):
        fine_tuned, text = True, match.group(1)
        notes.append("legacy fine-tuned id")

    if match := _CLOUDFLARE.match(text):
        hints.append("cloudflare-workers-ai")
        text = text[match.end() :]
    elif match := _FIREWORKS_PATH.match(text):
        hints.append("fireworks")
        text = match.group(1)
    elif match := _HUB_HOST.match(text):
        notes.append("Hugging Face Hub repository")
        text = text[match.end() :]

    if match := _BEDROCK_ARN.match(text):
        hints.append("aws-bedrock")
        text = match.group(1)
    if match := _RESOURCE_PATH.match(text):
        hints.append("google-vertex")
        notes.append(f"Vertex publisher {match.group(1)!r}")
        text = match.group(2)
    elif text.startswith("models/"):
        hints.append("google")
        text = text[len("models/") :]
    elif text.startswith("tunedModels/"):
        hints.append("google")
        fine_tuned = True
        text = text[len("tunedModels/") :]

    if "@" in text:
        text, version = text.split("@", 1)
        hints.append("google-vertex")
        notes.append(f"Vertex version @{version}")

    if match := _BEDROCK_REGION.match(text):
        hints.append("aws-bedrock")
        notes.append(f"Bedrock cross-region profile {match.group(0)[:-1]!r}")
        text = text[match.end() :]

    forms: list[str] = []
    if match := _BEDROCK_VENDOR.match(text):
        if "aws-bedrock" not in hints:
            hints.append("aws-bedrock")
        vendor = match.group(1)
        text = _BEDROCK_VERSION.sub("", text[match.end() :])
        if not text.startswith(vendor):  # "deepseek.r1-v1:0" names "deepseek-r1" only with its vendor
            forms.append(f"{vendor}-{text}")
    if match := _ORG_SLASH.match(text):
        forms.append(text)
        text = match.group(2)
    if ":" in text:
        base, tag = text.split(":", 1)
        forms.append(text)
        text = base
    forms.append(text)
    forms = [variant for form in forms for variant in (form, _QUANTISED.sub("", form))]
    deduped = tuple(dict.fromkeys(f for f in forms if f))
    return ParsedModelId(
        raw=raw,
        forms=deduped,
        provider_hints=tuple(dict.fromkeys(hints)),
        fine_tuned=fine_tuned,
        tag=tag,
        notes=tuple(notes),
    )
