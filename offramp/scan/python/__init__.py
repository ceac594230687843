"""Python, parsed with the standard library's ast."""

from offramp.scan.python.analyze import analyze_source

SUFFIXES = frozenset({".py", ".pyi"})

__all__ = ["SUFFIXES", "analyze_source"]
