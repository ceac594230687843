"""At risk or not: can a target be cut off with nothing to self-host in its place?

A target is at risk when it reaches a closed-weight model and either its provider or (closed weights being
served only by their maker and its licensed clouds) the model's maker is in an at-risk jurisdiction.
Open weights and self-hosted providers are never at risk. What stays unknown is decided conservatively,
and each decision says so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from offramp.catalog import Catalog, ModelMatch
from offramp.catalog.schema import Model, Provider
from offramp.scan.findings import Target

Decision = tuple[bool, str | None, tuple[str, ...]]
"""At risk, the jurisdiction that decided, and why."""


@dataclass(frozen=True)
class TargetRisk:
    target: Target
    at_risk: bool
    reasons: tuple[str, ...]
    provider: str | None
    """The provider the target reaches: the scanner's, or one named by the model id's routing prefix."""
    jurisdiction: str | None
    """The law the target answers to: its provider's, or the closed model's maker's when the provider is unknown."""
    self_hosted: bool
    match: ModelMatch | None

    @property
    def model(self) -> Model | None:
        return self.match.model if self.match else None

    @property
    def open_weights(self) -> bool | None:
        return self.model.open_weights if self.model else None

    @property
    def label(self) -> str:
        return f"{self.target.model or 'unresolved model'} on {self.provider or 'unresolved provider'}"


def assess_target(target: Target, catalog: Catalog, at_risk: Collection[str]) -> TargetRisk:
    match = catalog.match_model(target.model) if target.model else None
    model = match.model if match else None
    reasons: list[str] = []

    provider_id = target.provider
    if provider_id is None and match and match.provider_hints:
        provider_id = match.provider_hints[0]
        reasons.append(f"provider {provider_id} inferred from the model id {target.model!r}")
    provider = catalog.provider(provider_id) if provider_id else None
    if provider_id and provider is None:
        reasons.append(f"provider {provider_id!r} is not in the catalog: its jurisdiction is unknown")

    reasons.append(_describe_model(target, match))
    risky, jurisdiction, decision = _decide(model, provider, target, at_risk)
    return TargetRisk(target, risky, (*reasons, *decision), provider_id, jurisdiction,
                      bool(provider and provider.self_hosted), match)


def _decide(model: Model | None, provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    if provider and provider.self_hosted:
        return False, None, (f"provider {provider.id} is self-hosted: it runs on your own machines",)
    if model and model.open_weights:
        return False, provider.jurisdiction if provider else None, (
            "open weights can be self-hosted if access is cut off",)
    if model:
        return _closed_model(model, provider, target, at_risk)
    return _unknown_model(provider, target, at_risk)


def _describe_model(target: Target, match: ModelMatch | None) -> str:
    if target.model is None:
        return f"model unresolved: {target.unresolved or 'no model argument found'}"
    if match is None:
        return f"model {target.model!r} is not in the catalog: its weights are unknown"
    if match.model is None:
        return f"model {target.model!r} is known only from the long-tail id map: its weights are unknown"
    model = match.model
    weights = f"open-weight ({model.licence})" if model.open_weights else "closed-weight"
    tuned = ", fine-tuned" if match.parsed.fine_tuned else ""
    return f"model {target.model!r} is {weights}{tuned}: {model.name} by {model.maker} (catalog)"


def _closed_model(model: Model, provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    maker = f"maker {model.maker} is in {model.maker_jurisdiction}"
    if provider is None:
        unknown = _unresolved_provider(target)
        rule = "closed weights are served only by their maker or its licensed clouds, so the maker's law applies"
        if model.maker_jurisdiction in at_risk:
            return True, model.maker_jurisdiction, (unknown, rule, f"{maker}, an at-risk jurisdiction")
        return False, model.maker_jurisdiction, (unknown, rule, f"{maker}, not an at-risk jurisdiction")
    served = f"provider {provider.id} is in {provider.jurisdiction}"
    if provider.jurisdiction in at_risk:
        return True, provider.jurisdiction, (f"{served}, an at-risk jurisdiction",)
    if model.maker_jurisdiction in at_risk:
        return True, provider.jurisdiction, (
            f"{served}, but the {maker}, an at-risk jurisdiction: a cut-off at the maker reaches every "
            "service reselling its closed weights",)
    return False, provider.jurisdiction, (
        f"{served} and the {maker}: neither is an at-risk jurisdiction ({_listed(at_risk)})",)


def _unknown_model(provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    if provider is None:
        unknown = () if target.model is None else (_unresolved_provider(target),)
        return True, None, (*unknown, "neither provider nor model is known: counted as at risk until resolved")
    served = f"provider {provider.id} is in {provider.jurisdiction}"
    if provider.jurisdiction in at_risk:
        return True, provider.jurisdiction, (
            f"{served}, an at-risk jurisdiction, and may serve closed-weight models: counted as at risk until "
            "the model is known",)
    return False, provider.jurisdiction, (f"{served}, not an at-risk jurisdiction ({_listed(at_risk)})",)


def _unresolved_provider(target: Target) -> str:
    return f"provider unresolved: {target.unresolved}" if target.unresolved else "provider unresolved"


def _listed(at_risk: Collection[str]) -> str:
    return "at risk: " + (", ".join(sorted(at_risk)) or "none")
