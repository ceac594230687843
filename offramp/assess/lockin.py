"""Lock-in: which rules of the catalog's lockin.toml apply to a path, on what evidence, and for how many hours.

A rule applies when ANY condition under its ``when`` holds (see the header of lockin.toml). Model facts
(kind, fine-tuned id, context window, substitutes) are read from the targets being moved away from: the
at-risk ones when there are any, otherwise all of them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from offramp.assess.reason import N_, Reason
from offramp.assess.risk import TargetRisk
from offramp.catalog.schema import LockinFile, LockinTrigger
from offramp.scan.findings import InferencePath

# Literal keys in a call's arguments that show what the path sends besides text.
_SENT_MODALITIES = {
    "image_url": "image", "input_image": "image", "image": "image",
    "input_audio": "audio", "audio": "audio",
}
_AUDIO_OPERATIONS = {"audio", "realtime"}
_MODALITY_NAMES = {"text": N_("text"), "image": N_("image"), "audio": N_("audio")}
"""The modalities ``_modalities_sent`` reports, as the reader says them."""


@dataclass(frozen=True)
class LockinHit:
    rule: str
    feature: Reason
    hours: float
    why: Reason
    evidence: Reason
    """What in the path triggered the rule: "operation 'embedding'", "argument 'thinking'"."""

    @property
    def reason(self) -> Reason:
        return N_("{rule}: +{hours} h: {why} ({evidence})", rule=self.rule, hours=f"{self.hours:g}", why=self.why,
                  evidence=self.evidence)


def lockin_hits(path: InferencePath, targets: Sequence[TargetRisk], lockin: LockinFile) -> list[LockinHit]:
    moved = [t for t in targets if t.at_risk] or list(targets)
    hits = []
    for rule in lockin.rule:
        evidence = next(_evidence(rule.when, path, moved), None)
        if evidence is not None:
            # feature and why are data text, translated through the catalogue entries babel.cfg extracts
            hits.append(LockinHit(rule.id, Reason(rule.feature), rule.hours, Reason(rule.why), evidence))
    return hits


def replacement_hours(hits: Sequence[LockinHit], lockin: LockinFile) -> float:
    return lockin.base_hours + sum(hit.hours for hit in hits)


def _evidence(when: LockinTrigger, path: InferencePath, targets: Sequence[TargetRisk]) -> Iterator[Reason]:
    """Every condition of ``when`` that holds, described; the first one is the rule's evidence."""
    if path.operation_kind in when.operations:
        yield N_("operation {operation}", operation=repr(path.operation_kind))
    for argument in path.arguments:
        if argument in when.arguments:
            yield N_("argument {argument}", argument=repr(argument))
    method = path.operation.rsplit(".", 1)[-1]
    if method in when.methods:
        yield N_("method {method}", method=repr(method))
    if when.argument_values:
        markers = _any_of(tuple(when.argument_values))
        for value in path.argument_values:
            if markers.search(value):
                yield N_("value {value}", value=repr(_short(value)))
    if when.modalities:
        for modality in sorted(_modalities_sent(path) & set(when.modalities)):
            yield N_("sends {modality}", modality=_MODALITY_NAMES[modality])
    for target in targets:
        yield from _model_evidence(when, target)


def _model_evidence(when: LockinTrigger, target: TargetRisk) -> Iterator[Reason]:
    match, model = target.match, target.model
    if match and match.kind in when.model_kinds:
        yield N_("model {model} has kind {kind}", model=_model_name(target), kind=repr(match.kind))
    if when.fine_tuned and match and match.parsed.fine_tuned:
        yield N_("model {model} is a fine-tuned id", model=_model_name(target))
    window = model.context_window if model else None
    if when.min_context_window is not None and window is not None and window >= when.min_context_window:
        yield N_("model {model} has a {tokens}-token context window", model=_model_name(target), tokens=f"{window:,}")
    if when.no_substitute and not target.open_weights and not (model and model.substitutes):
        yield N_("no open-weight substitute for {model} in the catalog", model=_model_name(target))


def _model_name(target: TargetRisk) -> str:
    return repr(target.target.model) if target.target.model else N_("the unresolved model")


@lru_cache(maxsize=64)
def _any_of(markers: tuple[str, ...]) -> re.Pattern[str]:
    """Finds any of ``markers`` in a value: one search, not one per marker."""
    return re.compile("|".join(map(re.escape, markers)))


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
