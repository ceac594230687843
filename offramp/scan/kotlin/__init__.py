"""Kotlin, parsed with tree-sitter; the Java rules plus what Kotlin adds (rules/kotlin.toml)."""

from offramp.scan.kotlin.analyze import SUFFIXES, analyze_source

__all__ = ["SUFFIXES", "analyze_source"]
