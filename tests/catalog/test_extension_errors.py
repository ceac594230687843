"""Broken catalog data is refused with a message that names the file, the entry and what to fix."""

from __future__ import annotations

from typing import Any

import pytest

from offramp.catalog import Catalog, CatalogError


def _model(**fields: Any) -> dict[str, Any]:
    return {"id": "acme-chat", "name": "Acme Chat", "maker": "acme", "maker_jurisdiction": "TW",
            "patterns": ["acme-chat(-\\d+)?"], "open_weights": False, "licence": "proprietary",
            "examples": ["acme-chat", "acme-chat-2"]} | fields


def _provider(**fields: Any) -> dict[str, Any]:
    return {"id": "acme", "name": "Acme AI", "jurisdiction": "TW", "hosts": ["api.acme.tw"]} | fields


def _load_error(extension: dict[str, Any]) -> str:
    with pytest.raises(CatalogError) as caught:
        Catalog.load(extension, origin="team/offramp.toml")
    return str(caught.value)


def test_an_invalid_pattern_is_named_with_its_entry_and_file() -> None:
    message = _load_error({"model": [_model(patterns=["acme-(chat"])]})
    assert message.startswith("team/offramp.toml [[catalog.model]]: ")
    assert "model[acme-chat].patterns" in message and "not a valid regular expression" in message


def test_a_closed_model_with_an_open_licence_is_refused() -> None:
    message = _load_error({"model": [_model(licence="MIT")]})
    assert "model[acme-chat]" in message and "licence must be 'proprietary'" in message


def test_a_substitute_outside_the_catalog_is_refused() -> None:
    message = _load_error({"model": [_model(substitutes=[{"model": "acme-open", "keeps": ["chat"]}])]})
    assert message == "model 'acme-chat': substitute 'acme-open' is not in the catalog"


def test_a_closed_substitute_is_refused() -> None:
    message = _load_error({"model": [_model(substitutes=[{"model": "gpt-4o"}])]})
    assert message == "model 'acme-chat': substitute 'gpt-4o' is not open-weight"


def test_a_country_name_instead_of_a_code_is_refused() -> None:
    message = _load_error({"provider": [_provider(jurisdiction="Taiwan")]})
    assert "[[catalog.provider]]" in message and "provider[acme].jurisdiction" in message
    assert "ISO 3166 alpha-2" in message


def test_a_hosted_provider_needs_a_jurisdiction() -> None:
    message = _load_error({"provider": [_provider(jurisdiction=None)]})
    assert "provider[acme]" in message and "acme: a hosted provider needs a jurisdiction" in message


def test_a_misspelt_field_is_refused() -> None:
    message = _load_error({"model": [_model(open_weight=True)]})
    assert "model[acme-chat].open_weight" in message and "Extra inputs are not permitted" in message


def test_unknown_catalog_sections_and_lockin_rules_are_named() -> None:
    assert "unknown keys ['models']" in _load_error({"models": []})
    message = _load_error({"lockin": {"hours": {"embedding": 10}}})
    assert "names unknown rules ['embedding']" in message and "embeddings" in message


def test_a_valid_extension_adds_providers_and_models_and_overrides_entries() -> None:
    catalog = Catalog.load({
        "provider": [_provider()],
        "model": [_model(), _model(id="gpt-4o", name="GPT-4o (team override)", maker="openai",
                                   maker_jurisdiction="US", patterns=["gpt-4o"])],
        "lockin": {"hours": {"embeddings": 10, "base": 2}},
    })
    assert catalog.provider_for_url("https://api.acme.tw/v1").provider == "acme"  # type: ignore[union-attr]
    assert catalog.match_model("acme-chat-2").model.id == "acme-chat"  # type: ignore[union-attr]
    assert catalog.match_model("gpt-4o").model.name == "GPT-4o (team override)"  # type: ignore[union-attr]
    assert catalog.match_model("gpt-4o-2024-08-06").model is None  # type: ignore[union-attr]
    assert catalog.lockin_rule("embeddings").hours == 10 and catalog.lockin.base_hours == 2
    assert "acme" not in Catalog.load().providers
