"""The catalog's schema: what a provider, a model, a substitute and a lock-in rule are.

The data lives in ``offramp/catalog/data/*.toml``; these models validate it at load time and
``schemas/catalog.schema.json`` is generated from them by ``scripts/write_catalog_schema.py``.
"""

import re
from typing import TYPE_CHECKING, Annotated, Literal, Self

from offramp.datafiles import DATA_MODEL
from offramp.records import AfterValidator, Field, Record, WithJsonSchema, field_validator, model_validator

if TYPE_CHECKING:
    from pydantic import ValidationInfo

CATALOG_SCHEMA_VERSION = 1

Ecosystem = Literal["pypi", "npm", "go", "maven"]
ModelKind = Literal["chat", "embedding", "image", "audio", "moderation", "rerank", "video"]
Modality = Literal["text", "image", "audio", "video", "embedding"]


class _Strict(Record):
    model_config = DATA_MODEL


def _check_country(code: str) -> str:
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise ValueError(f"jurisdiction must be an ISO 3166 alpha-2 code such as 'US' or 'TW', got {code!r}")
    return code


# WithJsonSchema: the published JSON Schema must refuse "USA" too, not only the loader.
CountryCode = Annotated[
    str, AfterValidator(_check_country), WithJsonSchema({"type": "string", "pattern": "^[A-Z]{2}$"})
]


class Provider(_Strict):
    """Who serves inference, and under which country's law."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", description="Stable id, e.g. 'openai', 'aws-bedrock'.")
    name: str
    jurisdiction: CountryCode | None = Field(
        None,
        description="ISO 3166 alpha-2 country whose law controls the service; null for self-hosted servers, "
        "which answer to wherever the user runs them."
    )
    self_hosted: bool = Field(False, description="Runs on the user's own machines (ollama, vllm, ...).")
    hosts: list[str] = Field(default_factory=list, description="API hostnames; '*.' prefix matches subdomains.")
    default_ports: list[int] = Field(default_factory=list, description="Ports a self-hosted server listens on.")
    base_urls: list[str] = Field(default_factory=list, description="OpenAI-compatible base URLs.")
    key_env: list[str] = Field(default_factory=list, description="API-key environment variables.")
    base_url_env: list[str] = Field(default_factory=list, description="Environment variables holding its URL.")
    url_paths: list[str] = Field(
        default_factory=list,
        description="URL paths that only this provider's API has (Azure OpenAI's '/openai/deployments/'): a URL "
                    "with one reaches this provider when its host is not known (a resource name the user chooses).",
    )
    sdks: dict[Ecosystem, list[str]] = Field(default_factory=dict, description="SDK packages per ecosystem.")
    aliases: list[str] = Field(
        default_factory=list,
        description="Other names the ecosystem writes for it (settings, classes, folders): 'textgen webui' for "
        "text-generation-webui. Reports always use the id; an alias only helps recognise a name.",
    )
    first_party_for: list[str] = Field(
        default_factory=list,
        description="Model makers whose own API this is when the ids differ (dashscope serves 'alibaba').",
    )
    model_prefixes: list[str] = Field(
        default_factory=list,
        description="Routing prefixes in model ids that name this provider, e.g. 'bedrock/' or 'groq/'.",
    )
    notes: str = ""

    @model_validator(mode="after")
    def _hosted_providers_have_a_jurisdiction(self) -> Self:
        if not self.self_hosted and self.jurisdiction is None:
            raise ValueError(f"{self.id}: a hosted provider needs a jurisdiction")
        return self


class Substitute(_Strict):
    """An open-weight model that can take another model's place."""

    model: str = Field(description="Catalog id of an open-weight model.")
    keeps: list[str] = Field(default_factory=list, description="Capabilities the substitute keeps.")
    loses: list[str] = Field(default_factory=list, description="Capabilities lost by switching.")


class Model(_Strict):
    """A model family or release, recognised by patterns over the ids SDKs and APIs use."""

    id: str = Field(description="Canonical catalog id, e.g. 'gpt-4o' or 'qwen3-32b'.")
    name: str
    maker: str = Field(description="Organisation that trained the model (an id, e.g. 'openai', 'alibaba').")
    maker_jurisdiction: CountryCode
    patterns: list[str] = Field(
        min_length=1,
        description="Case-insensitive regular expressions, each matching a whole normalised id "
        "(provider, region, 'models/', '@version', ':tag' and 'vendor.' prefixes already removed).",
    )
    kind: ModelKind = "chat"
    open_weights: bool
    licence: str = Field(description="SPDX id or licence name; 'proprietary' for closed weights.")
    modalities: list[Modality] = Field(default_factory=lambda: ["text"])
    context_window: int | None = None
    substitutes: list[Substitute] = Field(default_factory=list)
    examples: list[str] = Field(
        default_factory=list, description="Ids exactly as SDKs write them that must resolve to this model (tested)."
    )
    notes: str = ""

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str], info: "ValidationInfo") -> list[str]:
        if info.context and info.context.get("trusted"):
            return patterns  # the bundled data: tests compile every pattern; start-up need not
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from exc
        return patterns

    @model_validator(mode="after")
    def _closed_models_name_no_licence(self) -> Self:
        if not self.open_weights and self.licence != "proprietary":
            raise ValueError(f"{self.id}: a closed-weight model's licence must be 'proprietary'")
        return self


class LockinTrigger(_Strict):
    """What makes a lock-in rule apply to a path; any listed condition is enough."""

    operations: list[str] = Field(
        default_factory=list, description="Operation kinds, e.g. 'embedding', 'assistants', 'batch'."
    )
    arguments: list[str] = Field(default_factory=list, description="Call arguments, e.g. 'thinking'.")
    methods: list[str] = Field(default_factory=list, description="Final method names, e.g. 'parse'.")
    argument_values: list[str] = Field(
        default_factory=list, description="Substrings of literal argument values, e.g. 'computer_'."
    )
    model_kinds: list[ModelKind] = Field(default_factory=list)
    modalities: list[Modality] = Field(default_factory=list, description="Input modalities the path sends.")
    fine_tuned: bool = False
    min_context_window: int | None = Field(None, description="Applies when the model's window is at least this.")
    no_substitute: bool = Field(False, description="Applies when the catalog knows no open-weight substitute.")


class LockinRule(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    feature: str
    hours: float = Field(ge=0)
    why: str
    when: LockinTrigger


class ProvidersFile(_Strict):
    schema_version: Literal[1]
    provider: list[Provider]


class ModelsFile(_Strict):
    schema_version: Literal[1]
    model: list[Model]


class LockinFile(_Strict):
    schema_version: Literal[1]
    base_hours: float = Field(ge=0, description="Hours to move a plain path: swap endpoint, re-run evals.")
    base_why: str
    rule: list[LockinRule]
