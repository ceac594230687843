"""Ready replacement: a fallback, wired in code or declared in the policy, that is not itself at risk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from offramp.assess.globs import matches
from offramp.assess.policy import Replacement
from offramp.assess.reason import N_, Reason, joined
from offramp.assess.risk import TargetRisk
from offramp.scan.findings import InferencePath, Target

AssessTarget = Callable[[Target], TargetRisk]


@dataclass(frozen=True)
class ReadyReplacement:
    ready: bool
    why: Reason
    source: Literal["code", "policy", "drill"] | None = None
    """Where the replacement that made the path ready was found."""
    target: TargetRisk | None = None


def find_ready_replacement(path: InferencePath, declared: Sequence[Replacement],
                           assess_target: AssessTarget) -> ReadyReplacement:
    """The first fallback in code, then the first declared replacement, that is not at risk."""
    rejected: list[Reason] = []
    for fallback in path.fallbacks:
        risk = assess_target(fallback)
        if not risk.at_risk:
            return ReadyReplacement(True, _fallback_in_code(path, risk), "code", risk)
        rejected.append(_fallback_in_code(path, risk))
    for replacement in declared:
        if not matches(replacement.path, path.file):
            continue
        risk = assess_target(Target(replacement.provider, replacement.model, "declared in the policy",
                                    "declared in the policy"))
        found = {"path": repr(replacement.path), "target": risk.label, "decision": risk.reasons[-1]}
        if not risk.at_risk:
            return ReadyReplacement(True, N_("ready replacement declared in the policy for {path}: {target} ({how}) "
                                             "is not at risk: {decision}", how=replacement.reason, **found),
                                    "policy", risk)
        rejected.append(N_("the replacement declared in the policy for {path} ({target}) is itself at risk: "
                           "{decision}", **found))
    if not rejected:
        return ReadyReplacement(False, N_("no ready replacement: no fallback found in code or declared in the policy"))
    return ReadyReplacement(False, N_("no ready replacement: {rejected}", rejected=joined(rejected)))


def _fallback_in_code(path: InferencePath, risk: TargetRisk) -> Reason:
    """Why a fallback wired in code makes the path ready, or does not."""
    found = {"target": risk.label, "decision": risk.reasons[-1]}
    how = path.fallback_why
    if risk.at_risk:
        if how:
            return N_("the fallback to {target} ({how}) is itself at risk: {decision}", how=how, **found)
        return N_("the fallback to {target} is itself at risk: {decision}", **found)
    if how:
        return N_("ready replacement in code: fallback to {target} ({how}) is not at risk: {decision}", how=how,
                  **found)
    return N_("ready replacement in code: fallback to {target} is not at risk: {decision}", **found)
