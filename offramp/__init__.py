"""Offramp: measure and remove a product's exposure to frontier-model APIs that can be cut off."""

__version__ = "0.1.0"
