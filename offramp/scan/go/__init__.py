"""Go, parsed with tree-sitter."""

from offramp.scan.go.analyze import SUFFIXES, analyze_source, merge_package, package_module

__all__ = ["SUFFIXES", "analyze_source", "merge_package", "package_module"]
