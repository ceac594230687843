"""Kotlin, parsed with tree-sitter; the Java rules plus what Kotlin adds (rules/kotlin.toml). A package's
top-level functions and constants are shared by its files, as Go's are."""

from offramp.scan.facts import merge_package, package_module
from offramp.scan.kotlin.analyze import SUFFIXES, analyze_source

__all__ = ["SUFFIXES", "analyze_source", "merge_package", "package_module"]
