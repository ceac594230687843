"""Scorers, each behind :class:`~offramp.drill.scorers.base.Scorer`; a prompt passes when every one that applies
passes."""

from __future__ import annotations

from offramp.drill.scorers.base import Scorer
from offramp.drill.scorers.match import ExactMatch, RegexMatch
from offramp.drill.scorers.refusal import RefusalScorer
from offramp.drill.scorers.similarity import SimilarityScorer
from offramp.drill.scorers.structured import JSONScorer
from offramp.drill.scorers.toolcall import ToolCallScorer


def default_scorers(similarity: float) -> tuple[Scorer, ...]:
    """Every scorer that needs no model of its own (the judge is added when the policy names one)."""
    return (RefusalScorer(), ExactMatch(), RegexMatch(), JSONScorer(), ToolCallScorer(), SimilarityScorer(similarity))
