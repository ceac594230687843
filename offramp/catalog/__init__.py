"""Providers, models, substitutes and lock-in rules: versioned data with a schema."""

from offramp.catalog.catalog import SELF_HOSTED_PROVIDER, Catalog, CatalogError, HostMatch, ModelMatch
from offramp.catalog.ids import ParsedModelId, parse_model_id

__all__ = [
    "SELF_HOSTED_PROVIDER",
    "Catalog",
    "CatalogError",
    "HostMatch",
    "ModelMatch",
    "ParsedModelId",
    "parse_model_id",
]
