"""Python, parsed with the standard library's ast."""

from offramp.scan.python.analyze import analyze_source

SUFFIXES = frozenset({".py", ".pyi", ".pyw", ".ipynb"})

__all__ = ["SUFFIXES", "analyze_source"]
