"""Ready replacement: a fallback, wired in code or declared in the policy, that is not itself at risk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from offramp.assess.globs import matches
from offramp.assess.policy import Replacement
from offramp.assess.risk import TargetRisk
from offramp.scan.findings import InferencePath, Target

AssessTarget = Callable[[Target], TargetRisk]


@dataclass(frozen=True)
class ReadyReplacement:
    ready: bool
    why: str
    source: Literal["code", "policy"] | None = None
    """Where the replacement that made the path ready was found."""
    target: TargetRisk | None = None


def find_ready_replacement(path: InferencePath, declared: Sequence[Replacement],
                           assess_target: AssessTarget) -> ReadyReplacement:
    """The first fallback in code, then the first declared replacement, that is not at risk."""
    rejected: list[str] = []
    for fallback in path.fallbacks:
        risk = assess_target(fallback)
        how = f" ({path.fallback_why})" if path.fallback_why else ""
        if not risk.at_risk:
            return ReadyReplacement(True, f"ready replacement in code: fallback to {risk.label}{how} is not at "
                                          f"risk: {risk.reasons[-1]}", "code", risk)
        rejected.append(f"the fallback to {risk.label}{how} is itself at risk: {risk.reasons[-1]}")
    for replacement in declared:
        if not matches(replacement.path, path.file):
            continue
        risk = assess_target(Target(replacement.provider, replacement.model, "declared in the policy",
                                    "declared in the policy"))
        where = f"declared in the policy for {replacement.path!r}"
        if not risk.at_risk:
            return ReadyReplacement(True, f"ready replacement {where}: {risk.label} ({replacement.reason}) is not "
                                          f"at risk: {risk.reasons[-1]}", "policy", risk)
        rejected.append(f"the replacement {where} ({risk.label}) is itself at risk: {risk.reasons[-1]}")
    if not rejected:
        return ReadyReplacement(False, "no ready replacement: no fallback found in code or declared in the policy")
    return ReadyReplacement(False, "no ready replacement: " + "; ".join(rejected))
