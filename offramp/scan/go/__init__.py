"""Go, parsed with tree-sitter."""

from offramp.scan.facts import merge_package, package_module
from offramp.scan.go.analyze import SUFFIXES, analyze_source

__all__ = ["SUFFIXES", "analyze_source", "merge_package", "package_module"]
