"""Java, parsed with tree-sitter."""

from offramp.scan.java.analyze import SUFFIXES, analyze_source

__all__ = ["SUFFIXES", "analyze_source"]
