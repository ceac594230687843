"""Model patterns are full, case-insensitive regular expressions, whatever their first characters are.

The catalog only compiles the patterns an id could match; these ids check that no pattern shape is skipped.
"""

from __future__ import annotations

import pytest

from offramp.catalog import Catalog

PATTERNS = {
    "leading-optional": r"(acme-)?chat-\d+",
    "leading-choice": r"(alpha|beta)-bot",
    "top-level-alternation": r"gamma-one|delta-two",
    "inline-flag-group": r"(?:omega)-x",
    "character-class": r"[kq]appa-7",
    "quantified-group": r"(ze)+ta",
    "escaped-dot": r"rho\.v2",
    "lookahead": r"(?!sigma-beta)sigma-\w+",
}


@pytest.fixture(scope="module")
def custom() -> Catalog:
    return Catalog.load({"model": [
        {"id": model_id, "name": model_id, "maker": "acme", "maker_jurisdiction": "TW", "patterns": [pattern],
         "open_weights": True, "licence": "Apache-2.0"}
        for model_id, pattern in PATTERNS.items()
    ]})


@pytest.mark.parametrize(("raw", "model_id"), [
    ("chat-7", "leading-optional"), ("ACME-chat-12", "leading-optional"),
    ("alpha-bot", "leading-choice"), ("Beta-Bot", "leading-choice"),
    ("gamma-one", "top-level-alternation"), ("delta-two", "top-level-alternation"),
    ("omega-x", "inline-flag-group"),
    ("kappa-7", "character-class"), ("qappa-7", "character-class"),
    ("zezeta", "quantified-group"), ("zeta", "quantified-group"),
    ("rho.v2", "escaped-dot"),
    ("sigma-alpha", "lookahead"),
])
def test_every_pattern_shape_matches(custom: Catalog, raw: str, model_id: str) -> None:
    match = custom.match_model(raw)
    assert match is not None and match.model is not None and match.model.id == model_id


@pytest.mark.parametrize("raw", ["acme-chat-", "gamma-onedelta-two", "rhoxv2", "sigma-beta", "pre-alpha-bot"])
def test_patterns_match_whole_ids_only(custom: Catalog, raw: str) -> None:
    assert custom.match_model(raw) is None
