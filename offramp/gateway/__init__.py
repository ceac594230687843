"""The Offramp gateway: an OpenAI- and Anthropic-compatible server that fails over from a cut-off API.

``offramp serve --config gateway.toml`` runs it; docs/gateway.md describes the config and behaviour.
"""
