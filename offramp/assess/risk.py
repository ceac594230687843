"""At risk or not: can a target be cut off with nothing to self-host in its place?

A target is at risk when it reaches a closed-weight model and either its provider or (closed weights being
served only by their maker and its licensed clouds) the model's maker is in an at-risk jurisdiction.
Open weights and self-hosted providers are never at risk. What stays unknown is decided conservatively,
and each decision says so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from offramp.assess.reason import N_, Reason
from offramp.catalog import Catalog, ModelMatch
from offramp.catalog.schema import Model, Provider
from offramp.scan.findings import Target

Decision = tuple[bool, str | None, tuple[Reason, ...]]
"""At risk, the jurisdiction that decided, and why."""


@dataclass(frozen=True)
class TargetRisk:
    target: Target
    at_risk: bool
    reasons: tuple[Reason, ...]
    provider: str | None
    """The provider the target reaches, as the scanner found it."""
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
    def label(self) -> Reason:
        """'gpt-4o on openai'."""
        return N_("{model} on {provider}", model=self.target.model or N_("unresolved model"),
                  provider=self.provider or N_("unresolved provider"))


def assess_target(target: Target, catalog: Catalog, at_risk: Collection[str]) -> TargetRisk:
    match = catalog.match_model(target.model) if target.model else None
    model = match.model if match else None
    reasons: list[Reason] = []

    # The scanner decides the provider (from a routing model string only where the library routes by it);
    # reading one from the model id here would guess: a reseller's 'openai/gpt-4o' is not served by OpenAI.
    provider_id = target.provider
    provider = catalog.provider(provider_id) if provider_id else None
    if provider_id and provider is None:
        reasons.append(N_("provider {provider} is not in the catalog: its jurisdiction is unknown",
                          provider=repr(provider_id)))

    reasons.append(_describe_model(target, match))
    risky, jurisdiction, decision = _decide(model, provider, target, at_risk)
    return TargetRisk(target, risky, (*reasons, *decision), provider_id, jurisdiction,
                      bool(provider and provider.self_hosted), match)


def _decide(model: Model | None, provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    if provider and provider.self_hosted:
        return False, None, (N_("provider {provider} is self-hosted: it runs on your own machines",
                                provider=provider.id),)
    if model and model.open_weights:
        return False, provider.jurisdiction if provider else None, (
            N_("open weights can be self-hosted if access is cut off"),)
    if model:
        return _closed_model(model, provider, target, at_risk)
    return _unknown_model(provider, target, at_risk)


def _describe_model(target: Target, match: ModelMatch | None) -> Reason:
    if target.model is None:
        return N_("model unresolved: {expression}",
                  expression=target.model_unknown or target.unresolved or N_("no model argument found"))
    model_id = repr(target.model)
    if match is None:
        return N_("model {model} is not in the catalog: its weights are unknown", model=model_id)
    if match.model is None:
        return N_("model {model} is known only from the long-tail id map: its weights are unknown", model=model_id)
    model = match.model
    weights = N_("open-weight ({licence})", licence=model.licence) if model.open_weights else N_("closed-weight")
    if match.parsed.fine_tuned:
        weights = N_("{weights}, fine-tuned", weights=weights)
    return N_("model {model} is {weights}: {name} by {maker} (catalog)", model=model_id, weights=weights,
              name=model.name, maker=model.maker)


def _closed_model(model: Model, provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    maker = {"maker": model.maker, "maker_jurisdiction": model.maker_jurisdiction}
    if provider is None:
        unknown = _unresolved_provider(target)
        rule = N_("closed weights are served only by their maker or its licensed clouds, so the maker's law applies")
        if model.maker_jurisdiction in at_risk:
            return True, model.maker_jurisdiction, (
                unknown, rule, N_("maker {maker} is in {maker_jurisdiction}, an at-risk jurisdiction", **maker))
        return False, model.maker_jurisdiction, (
            unknown, rule, N_("maker {maker} is in {maker_jurisdiction}, not an at-risk jurisdiction", **maker))
    served = {"provider": provider.id, "jurisdiction": provider.jurisdiction}
    if provider.jurisdiction in at_risk:
        return True, provider.jurisdiction, (
            N_("provider {provider} is in {jurisdiction}, an at-risk jurisdiction", **served),)
    if model.maker_jurisdiction in at_risk:
        return True, provider.jurisdiction, (
            N_("provider {provider} is in {jurisdiction}, but the maker {maker} is in {maker_jurisdiction}, an "
               "at-risk jurisdiction: a cut-off at the maker reaches every service reselling its closed weights",
               **served, **maker),)
    return False, provider.jurisdiction, (
        N_("provider {provider} is in {jurisdiction} and the maker {maker} is in {maker_jurisdiction}: neither is "
           "an at-risk jurisdiction ({at_risk})", **served, **maker, at_risk=_listed(at_risk)),)


def _unknown_model(provider: Provider | None, target: Target, at_risk: Collection[str]) -> Decision:
    if provider is None:
        # the model's reason is given already; the provider's too where something else hid it
        separate = target.model is not None or target.provider_unknown not in (None, target.model_unknown)
        unknown = (_unresolved_provider(target),) if separate else ()
        return True, None, (*unknown, N_("neither provider nor model is known: counted as at risk until resolved"))
    served = {"provider": provider.id, "jurisdiction": provider.jurisdiction}
    if provider.jurisdiction in at_risk:
        return True, provider.jurisdiction, (
            N_("provider {provider} is in {jurisdiction}, an at-risk jurisdiction, and may serve closed-weight "
               "models: counted as at risk until the model is known", **served),)
    return False, provider.jurisdiction, (
        N_("provider {provider} is in {jurisdiction}, not an at-risk jurisdiction ({at_risk})", **served,
           at_risk=_listed(at_risk)),)


def _unresolved_provider(target: Target) -> Reason:
    if target.provider_unknown or target.unresolved:
        return N_("provider unresolved: {expression}", expression=target.provider_unknown or target.unresolved)
    return N_("provider unresolved")


def _listed(at_risk: Collection[str]) -> Reason:
    if not at_risk:
        return N_("at risk: none")
    return N_("at risk: {jurisdictions}", jurisdictions=", ".join(sorted(at_risk)))
