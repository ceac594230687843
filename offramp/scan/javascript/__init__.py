"""TypeScript and JavaScript, parsed with tree-sitter."""

from offramp.scan.javascript.analyze import SUFFIXES, analyze_source

__all__ = ["SUFFIXES", "analyze_source"]
