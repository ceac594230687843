"""Critical or not: can production traffic reach a path? Default rules are data (data/criticality.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from offramp.assess.globs import first_match
from offramp.assess.policy import Policy


class CriticalityRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    why: str
    globs: tuple[str, ...] = Field(min_length=1)


class CriticalityFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: Literal[1]
    rule: tuple[CriticalityRule, ...]


@dataclass(frozen=True)
class Criticality:
    critical: bool
    why: str
    rule: str | None = None
    """The default rule that made the path non-critical ('tests', 'docs', ...), when one did."""


@cache
def default_rules() -> tuple[CriticalityRule, ...]:
    text = resources.files("offramp.assess.data").joinpath("criticality.toml").read_text(encoding="utf-8")
    return CriticalityFile.model_validate(tomllib.loads(text)).rule


def classify(file: str, policy: Policy) -> Criticality:
    """Policy ``critical`` globs first, then ``not_critical``, then the default rules; else critical.

    A path in both policy lists is critical: counting it can only show exposure, never hide it.
    """
    if glob := first_match(policy.critical, file):
        return Criticality(True, f"critical by policy: matches {glob!r} in `critical`")
    if glob := first_match(policy.not_critical, file):
        return Criticality(False, f"not critical by policy: matches {glob!r} in `not_critical`")
    for rule in default_rules():
        if glob := first_match(rule.globs, file):
            return Criticality(False, f"not critical: {rule.why} (matches {glob!r})", rule.id)
    return Criticality(True, "critical: production code (matches no test, example, docs, notebook, "
                             "benchmark or script rule)")
