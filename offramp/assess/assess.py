"""From what a scan found to what it means: criticality, risk, replacements, lock-in, waivers, the numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from functools import cache, partial
from typing import TYPE_CHECKING, Any

from offramp.assess.criticality import Criticality, classify
from offramp.assess.drills import DrillStatus, drill_of
from offramp.assess.globs import matches
from offramp.assess.lockin import LockinHit, lockin_hits, replacement_hours
from offramp.assess.policy import Policy, PolicyError, Waiver
from offramp.assess.reason import N_, Reason
from offramp.assess.replacement import AssessTarget, ReadyReplacement, find_ready_replacement
from offramp.assess.risk import TargetRisk, assess_target
from offramp.catalog import Catalog
from offramp.catalog.schema import Model
from offramp.scan.findings import InferencePath, ScanResult

if TYPE_CHECKING:
    from offramp.store import DrillRun

HOURS_THRESHOLD = 48
"""Exposure (48 h) counts paths whose replacement estimate exceeds this many hours."""


@dataclass(frozen=True)
class WaiverStatus:
    waiver: Waiver
    expired: bool
    paths: tuple[str, ...] = ()
    """'file:line' of the exposed paths the waiver covers."""

    @property
    def summary(self) -> Reason:
        waiver = {"path": self.waiver.path, "owner": self.waiver.owner, "date": self.waiver.expires.isoformat()}
        if self.expired:
            return N_("waiver for {path} owned by {owner} expired on {date}: its paths count again", **waiver)
        return N_("waiver for {path} owned by {owner} until {date}: {reason}", reason=self.waiver.reason, **waiver)


@dataclass(frozen=True)
class AssessedPath:
    path: InferencePath
    criticality: Criticality
    targets: tuple[TargetRisk, ...]
    fallbacks: tuple[TargetRisk, ...]
    replacement: ReadyReplacement
    lockin: tuple[LockinHit, ...]
    replacement_hours: float
    base_hours: float
    waiver: WaiverStatus | None
    drill: DrillStatus | None = None
    """The latest drill of a gateway route that serves this path's file."""

    @property
    def verified(self) -> bool:
        """The latest drill of the path's replacement passed and is younger than drill.max_age_days."""
        return self.drill is not None and self.drill.state == "verified"

    @property
    def critical(self) -> bool:
        return self.criticality.critical

    @property
    def at_risk(self) -> bool:
        return any(t.at_risk for t in self.targets)

    @property
    def ready_replacement(self) -> bool:
        return self.replacement.ready

    @property
    def waived(self) -> bool:
        return self.waiver is not None and not self.waiver.expired

    @property
    def exposed_no_fallback(self) -> bool:
        return self.critical and self.at_risk and not self.ready_replacement and not self.waived

    @property
    def exposed_48h(self) -> bool:
        return self.exposed_no_fallback and self.replacement_hours > HOURS_THRESHOLD

    @property
    def would_be_exposed(self) -> bool:
        """Exposed but for a waiver: what a waiver hides."""
        return self.critical and self.at_risk and not self.ready_replacement

    @property
    def at_risk_targets(self) -> tuple[TargetRisk, ...]:
        return tuple(t for t in self.targets if t.at_risk)

    @property
    def jurisdictions(self) -> list[str]:
        return sorted({t.jurisdiction for t in self.targets if t.jurisdiction})

    @property
    def models(self) -> list[Model]:
        return list({t.model.id: t.model for t in self.targets if t.model}.values())

    @property
    def open_weights(self) -> bool | None:
        """False when any target's model is closed, True when every one is known open, else None."""
        weights = [t.open_weights for t in self.targets]
        if False in weights:
            return False
        return True if weights and all(weights) else None

    @property
    def location(self) -> str:
        return f"{self.path.file}:{self.path.line}"

    @property
    def estimate(self) -> Reason:
        """The replacement estimate as a sum: '70 h = 6 h base + 40 h embeddings + 24 h no-substitute'."""
        terms = N_("{hours} h base", hours=f"{self.base_hours:g}")
        for hit in self.lockin:
            terms = N_("{terms} + {hours} h {rule}", terms=terms, hours=f"{hit.hours:g}", rule=hit.rule)
        return N_("replacement estimate {hours} h = {terms}", hours=f"{self.replacement_hours:g}", terms=terms)

    @property
    def reasons(self) -> list[Reason]:
        """Why the path counts as it does, each with its evidence, most decisive first."""
        reasons = [self.criticality.why]
        several = len(self.targets) > 1
        for target in self.targets:
            reasons.extend(N_("{target}: {reason}", target=target.label, reason=reason) if several else reason
                           for reason in target.reasons)
        if self.at_risk:
            reasons.append(self.replacement.why)
            if self.drill is not None and self.replacement.source != "drill":
                reasons.append(self.drill.why)
            reasons.append(self.estimate)
        reasons.extend(hit.reason for hit in self.lockin)
        if self.waiver is not None:
            reasons.append(self.waiver.summary)
        return reasons


@dataclass(frozen=True)
class Numbers:
    paths: int
    critical_paths: int
    at_risk_paths: int
    """Critical paths that are at risk, ready replacement or not."""
    exposed_no_fallback: int
    exposed_48h: int
    waived_paths: int
    """Critical at-risk paths without a ready replacement that an unexpired waiver keeps out of the numbers."""

    @property
    def exposure_no_fallback(self) -> float:
        return self.exposed_no_fallback / self.critical_paths if self.critical_paths else 0.0

    @property
    def exposure_48h(self) -> float:
        return self.exposed_48h / self.critical_paths if self.critical_paths else 0.0

    @property
    def note(self) -> Reason | None:
        if self.critical_paths == 0:
            return N_("no critical paths found: both exposures are 0 by definition")
        return None

    @staticmethod
    def total(many: Iterable[Numbers]) -> Numbers:
        """Several scans' numbers together (an organisation's): every count summed; the exposures follow."""
        many = list(many)
        return Numbers(**{name: sum(getattr(numbers, name) for numbers in many) for name in COUNTS})

    def to_json(self) -> dict[str, Any]:
        """The counts and the two exposures they give."""
        return {**{name: getattr(self, name) for name in COUNTS}, "exposure_48h": self.exposure_48h,
                "exposure_no_fallback": self.exposure_no_fallback}


COUNTS = tuple(f.name for f in fields(Numbers))
"""The counts a scan is summed up in, in the order of :class:`Numbers` (and of the stores' columns)."""


@dataclass(frozen=True)
class Assessment:
    result: ScanResult
    policy: Policy
    paths: tuple[AssessedPath, ...]
    waivers: tuple[WaiverStatus, ...]
    numbers: Numbers
    today: date
    catalog: Catalog


def assess(result: ScanResult, policy: Policy, catalog: Catalog, today: date,
           drills: Sequence[DrillRun] = ()) -> Assessment:
    """Assess every path of ``result`` under ``policy``; ``today`` decides which waivers have expired and
    ``drills`` (finished drill runs) which replacements are verified."""
    check_policy(policy, catalog)
    # Paths share files and targets: each is judged once.
    judge = cache(partial(assess_target, catalog=catalog, at_risk=frozenset(policy.at_risk)))
    criticality = cache(partial(classify, policy=policy))
    assessed = [_assess_path(p, policy, catalog, judge, criticality) for p in result.paths]
    if drills:
        assessed = [_with_drill(p, drill_of(p.path.file, drills, policy.drill.max_age_days)) for p in assessed]
    paths, waivers = _apply_waivers(assessed, policy.waivers, today)
    return Assessment(result, policy, tuple(paths), waivers, _count(paths), today, catalog)


def _assess_path(path: InferencePath, policy: Policy, catalog: Catalog, judge: AssessTarget,
                 criticality: Callable[[str], Criticality]) -> AssessedPath:
    targets = tuple(judge(t) for t in path.targets)
    hits = lockin_hits(path, targets, catalog.lockin)
    return AssessedPath(
        path=path,
        criticality=_counted_with_primary(path) or criticality(path.file),
        targets=targets,
        fallbacks=tuple(judge(t) for t in path.fallbacks),
        replacement=find_ready_replacement(path, policy.replacements, judge),
        lockin=tuple(hits),
        replacement_hours=replacement_hours(hits, catalog.lockin),
        base_hours=catalog.lockin.base_hours,
        waiver=None,
    )


def _counted_with_primary(path: InferencePath) -> Criticality | None:
    """A call that only runs when another fails is that path's fallback: counted with it, not as a critical path
    of its own, so that wiring in a fallback does not also add a path that is never at risk to the denominator."""
    if path.backs_up is None:
        return None
    return Criticality(False, N_("not counted on its own: the fallback of the path at line {line}", line=path.backs_up))


def _with_drill(path: AssessedPath, drill: DrillStatus | None) -> AssessedPath:
    """A fresh passed drill verifies the replacement, and makes one ready where the code and policy show none."""
    if drill is None:
        return path
    if drill.state == "verified" and not path.replacement.ready:
        return replace(path, drill=drill, replacement=ReadyReplacement(True, drill.why, "drill"))
    return replace(path, drill=drill)


def _apply_waivers(paths: list[AssessedPath], waivers: tuple[Waiver, ...],
                   today: date) -> tuple[list[AssessedPath], tuple[WaiverStatus, ...]]:
    """Give each path that would be exposed the first waiver matching its file."""
    chosen = [next((i for i, w in enumerate(waivers) if p.would_be_exposed and matches(w.path, p.path.file)), None)
              for p in paths]
    statuses = tuple(
        WaiverStatus(w, w.is_expired(today), tuple(p.location for p, c in zip(paths, chosen, strict=True) if c == i))
        for i, w in enumerate(waivers)
    )
    waived = [p if c is None else replace(p, waiver=statuses[c]) for p, c in zip(paths, chosen, strict=True)]
    return waived, statuses


def _count(paths: list[AssessedPath]) -> Numbers:
    critical = [p for p in paths if p.critical]
    return Numbers(
        paths=len(paths),
        critical_paths=len(critical),
        at_risk_paths=sum(p.at_risk for p in critical),
        exposed_no_fallback=sum(p.exposed_no_fallback for p in critical),
        exposed_48h=sum(p.exposed_48h for p in critical),
        waived_paths=sum(p.waived for p in critical),
    )


def check_policy(policy: Policy, catalog: Catalog, origin: str = "policy") -> None:
    """Raise PolicyError when the policy names what the catalog does not know (assess checks it too).

    Call it right after loading the policy and the catalog, with the policy's file name as ``origin``.
    """
    for index, replacement in enumerate(policy.replacements):
        if catalog.provider(replacement.provider) is None:
            raise PolicyError(f"{origin}: replacement[{index}].provider: {replacement.provider!r} is not a provider "
                              "in the catalog; use a catalog id (`offramp explain NAME` looks one up) or add the "
                              "provider under [[catalog.provider]]")
