"""What a scan finds: inference paths, each with the evidence behind it, and the files it skipped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

PathKind = Literal["sdk_call", "binding", "http", "gateway_route", "config"]
"""How the product asks for an answer: an SDK call, a framework binding (``ChatAnthropic(...)``),
a raw HTTP request to a model host, a route of the Offramp gateway, or a model id in configuration."""


@dataclass(frozen=True)
class Target:
    """One (provider, model) a path or its fallback can reach, with how the scanner knows."""

    provider: str | None
    """Provider id from the catalog; None when it stays unknown."""
    model: str | None
    """Model id as the code writes it, once resolved; None when it stays unknown."""
    provider_why: str = ""
    model_why: str = ""
    unresolved: str | None = None
    """The source expression that hid the model or provider, when one of them stays unknown."""
    provider_unknown: str | None = None
    """Why the provider stays unknown (the expression or setting that hid it), when it does."""
    model_unknown: str | None = None
    """Why the model stays unknown, when it does."""


@dataclass
class InferencePath:
    """One place where the product asks a model for an answer."""

    file: str
    """Path relative to the scanned root, with forward slashes."""
    line: int
    column: int
    end_line: int
    kind: PathKind
    sdk: str
    """The library the path goes through: 'openai', 'anthropic', 'litellm', 'langchain-openai', 'httpx'..."""
    operation: str
    """The call as written, normalised: 'chat.completions.create', 'converse_stream', 'ChatAnthropic'."""
    operation_kind: str
    """chat, completion, embedding, image, audio, moderation, assistants, threads, vector_stores, files,
    batch, fine_tuning, realtime, rerank."""
    targets: list[Target]
    """What the path reaches: several when the provider or model is chosen at run time."""
    fallbacks: list[Target] = field(default_factory=list)
    """What the code falls back to when the targets fail (LiteLLM fallbacks, with_fallbacks, try/except)."""
    fallback_why: str = ""
    backs_up: int | None = None
    """Line of the path this one is the fallback of (a call in its except branch): it is listed, but counted
    with that path, so that adding a fallback does not also add a path that is never at risk."""
    arguments: list[str] = field(default_factory=list)
    """Argument names passed (keyword names and request-body keys)."""
    argument_values: list[str] = field(default_factory=list)
    """Literal strings and dict keys found in the arguments (lock-in evidence, never secrets)."""
    method: str = ""
    streaming: bool = False
    is_async: bool = False
    snippet: str = ""
    function: str | None = None
    """Qualified name of the enclosing function, when there is one."""

    @property
    def providers(self) -> list[str]:
        return sorted({t.provider for t in self.targets if t.provider})

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(t.model for t in self.targets if t.model))


@dataclass(frozen=True)
class SkippedFile:
    file: str
    reason: str


def redact(secret: str) -> str:
    """Enough to find the key (its first characters and length), never enough to use it."""
    return f"{secret[:4]}…[redacted, {len(secret)} chars]"


@dataclass(frozen=True)
class SecretFinding:
    """An API key written into source; only its redacted form is ever kept."""

    file: str
    line: int
    provider: str | None
    redacted: str


ConfigKind = Literal["env", "model", "endpoint", "resource"]


@dataclass(frozen=True)
class ConfigValue:
    """A value in a configuration file that names a model, a model endpoint, or sets an env variable.

    ``env`` values (from .env files, docker-compose and Kubernetes env blocks, Spring properties...) feed
    resolution: code that reads the variable takes the value. ``model`` and ``endpoint`` values found at
    other keys, and ``resource`` (Terraform Bedrock, Azure OpenAI, Vertex AI) are reported as config findings
    when no code path is linked to them.
    """

    file: str
    line: int
    key: str
    """The variable name (env) or the dotted key path (``services.api.environment.CHAT_MODEL``)."""
    value: str
    kind: ConfigKind
    source: str
    """What kind of file: dotenv, compose, kubernetes, helm, terraform, yaml, json, toml, properties."""
    provider: str | None = None
    model: str | None = None


@dataclass(frozen=True)
class Dependency:
    """An AI SDK that a dependency manifest declares."""

    ecosystem: str
    """pypi, npm, go or maven."""
    package: str
    version: str | None
    file: str
    line: int
    providers: tuple[str, ...]
    """Providers whose SDK this package is (empty for multi-provider libraries such as litellm)."""


@dataclass(frozen=True)
class UncoveredSdk:
    """An AI SDK the code imports or a manifest declares, through which no inference path was found."""

    sdk: str
    """The rule id of an imported SDK (openai, langchain-partners...), or a declared package's name."""
    source: Literal["import", "manifest"]
    files: tuple[str, ...]
    """The first files that import or declare it."""
    file_count: int


@dataclass
class ScanResult:
    root: str
    paths: list[InferencePath]
    skipped: list[SkippedFile]
    secrets: list[SecretFinding] = field(default_factory=list)
    config: list[ConfigValue] = field(default_factory=list)
    """Config values that name a model or endpoint and that no code path was linked to."""
    dependencies: list[Dependency] = field(default_factory=list)
    uncovered_sdks: list[UncoveredSdk] = field(default_factory=list)
    """AI SDKs imported or declared with no path found: where the scan may have missed something."""
    files_seen: int = 0
    files_parsed: int = 0
    seconds: float = 0.0
