"""Lock-in: which rules of the catalog's lockin.toml apply to a path, on what evidence, and for how many hours.

A rule applies when ANY condition under its ``when`` holds (see the header of lockin.toml). Model facts
(kind, fine-tuned id, context window, substitutes) are read from the targets being moved away from: the
at-risk ones when there are any, otherwise all of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from offramp.assess.risk import TargetRisk
from offramp.catalog.schema import LockinFile, LockinTrigger
from offramp.scan.findings import InferencePath

# Literal keys in a call's arguments that show what the path sends besides text.
_SENT_MODALITIES = {
    "image_url": "image", "input_image": "image", "image": "image",
    "input_audio": "audio", "audio": "audio",
}
_AUDIO_OPERATIONS = {"audio", "realtime"}


@dataclass(frozen=True)
class LockinHit:
    rule: str
    feature: str
    hours: float
    why: str
    evidence: str
    """What in the path triggered the rule: "operation 'embedding'", "argument 'thinking'"."""

    @property
    def reason(self) -> str:
        return f"{self.rule}: +{self.hours:g} h: {self.why} ({self.evidence})"


def lockin_hits(path: InferencePath, targets: Sequence[TargetRisk], lockin: LockinFile) -> list[LockinHit]:
    moved = [t for t in targets if t.at_risk] or list(targets)
    hits = []
    for rule in lockin.rule:
        evidence = next(_evidence(rule.when, path, moved), None)
        if evidence is not None:
            hits.append(LockinHit(rule.id, rule.feature, rule.hours, rule.why, evidence))
    return hits


def replacement_hours(hits: Sequence[LockinHit], lockin: LockinFile) -> float:
    return lockin.base_hours + sum(hit.hours for hit in hits)


def _evidence(when: LockinTrigger, path: InferencePath, targets: Sequence[TargetRisk]) -> Iterator[str]:
    """Every condition of ``when`` that holds, described; the first one is the rule's evidence."""
    if path.operation_kind in when.operations:
        yield f"operation {path.operation_kind!r}"
    for argument in path.arguments:
        if argument in when.arguments:
            yield f"argument {argument!r}"
    method = path.operation.rsplit(".", 1)[-1]
    if method in when.methods:
        yield f"method {method!r}"
    for value in path.argument_values:
        if any(marker in value for marker in when.argument_values):
            yield f"value {_short(value)!r}"
    if when.modalities:
        for modality in sorted(_modalities_sent(path) & set(when.modalities)):
            yield f"sends {modality}"
    for target in targets:
        yield from _model_evidence(when, target)


def _model_evidence(when: LockinTrigger, target: TargetRisk) -> Iterator[str]:
    match, model = target.match, target.model
    name = repr(target.target.model) if target.target.model else "the unresolved model"
    if match and match.kind in when.model_kinds:
        yield f"model {name} has kind {match.kind!r}"
    if when.fine_tuned and match and match.parsed.fine_tuned:
        yield f"model {name} is a fine-tuned id"
    window = model.context_window if model else None
    if when.min_context_window is not None and window is not None and window >= when.min_context_window:
        yield f"model {name} has a {window:,}-token context window"
    if when.no_substitute and not target.open_weights and not (model and model.substitutes):
        yield f"no open-weight substitute for {name} in the catalog"


def _modalities_sent(path: InferencePath) -> set[str]:
    sent = {"text"}
    sent.update(_SENT_MODALITIES[value] for value in path.argument_values if value in _SENT_MODALITIES)
    if path.operation_kind in _AUDIO_OPERATIONS:
        sent.add("audio")
    if path.operation_kind == "image":
        sent.add("image")
    return sent


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
