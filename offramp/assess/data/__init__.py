"""Assessment rules as data: criticality.toml."""
