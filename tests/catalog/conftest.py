"""The bundled catalog, and the entries each id form matches, for the catalog tests."""

from __future__ import annotations

import re
from functools import cache

import pytest

from offramp.catalog import Catalog, parse_model_id


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def deciding_matches(catalog: Catalog, raw: str) -> tuple[str, list[str]] | None:
    """The first normalised form of ``raw`` that any model pattern matches, and every model it matches.

    Written independently of the catalog's own matcher, so the two check each other.
    """
    for form in parse_model_id(raw, catalog._prefix_providers).forms:
        owners = [model.id for model in catalog.models.values()
                  if any(_compiled(pattern).fullmatch(form) for pattern in model.patterns)]
        if owners:
            return form, owners
    return None
