"""The coverage check: AI SDKs that the code imports or a manifest declares, with no inference path found.

Each is a place the scanner may have missed (a call shape no rule knows, a client built out of sight), so
every report names them rather than let a missing path pass for no exposure.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from offramp.scan.facts import ModuleFacts
from offramp.scan.findings import Dependency, InferencePath, UncoveredSdk
from offramp.scan.rules import BindingRule, FunctionRule, LanguageRules, SdkRule, language_rules

Rule = SdkRule | BindingRule | FunctionRule

SHOWN_FILES = 3


def uncovered_sdks(analysed: Iterable[ModuleFacts], paths: list[InferencePath],
                   dependencies: list[Dependency]) -> list[UncoveredSdk]:
    """SDKs imported (by rule) or declared (by package) that no path goes through."""
    reached = {t.provider for p in paths for t in (*p.targets, *p.fallbacks) if t.provider}
    imported: dict[str, list[str]] = {}
    rules: dict[str, Rule] = {}
    for facts in analysed:
        language = language_rules(facts.language)
        known = {rule.id: rule for rule in (*language.sdk, *language.binding, *language.function)}
        for rule_id in sorted(facts.sdk_imports - _multi_service_rules(language)):
            imported.setdefault(rule_id, []).append(facts.relpath)
            rules.setdefault(rule_id, known[rule_id])
    # Rules over one library (qianfan's chat and embedding clients) are covered by a path through any of them.
    used = {p.sdk for p in paths}
    used_modules = {m for rule_id in used if rule_id in rules for m in rules[rule_id].modules}
    # A provider package of the AI SDK (@ai-sdk/openai) is called through the `ai` functions: a path in a file
    # that imports it, or one that reaches its provider, goes through it.
    with_paths = {p.file for p in paths}
    missed = {rule_id: files for rule_id, files in sorted(imported.items())
              if rule_id not in used and used_modules.isdisjoint(rules[rule_id].modules)
              and not (_is_provider_factory(rules[rule_id]) and (
                  with_paths.intersection(files) or getattr(rules[rule_id], "provider", "") in reached))}
    found = [UncoveredSdk(rule_id, "import", tuple(files[:SHOWN_FILES]), len(files))
             for rule_id, files in missed.items()]
    # A provider's own SDK declared in a manifest counts when no path reaches that provider and no imported SDK
    # for it is already named; multi-provider libraries (LangChain, LiteLLM) are judged by their imports.
    named = {getattr(rules[rule_id], "provider", "") for rule_id in missed} | {
        getattr(rules[rule_id], "provider", "") for rule_id in used if rule_id in rules}
    # A package no rule knows is one whose calls the scan cannot see at all: a path that reaches its provider
    # some other way (a raw request) says nothing of the calls made through it.
    declared: dict[str, list[str]] = {}
    for dependency in dependencies:
        if dependency.providers and (not _has_rule(dependency) or (
                reached.isdisjoint(dependency.providers) and named.isdisjoint(dependency.providers))):
            declared.setdefault(dependency.package, []).append(dependency.file)
    found += [UncoveredSdk(package, "manifest", tuple(files[:SHOWN_FILES]), len(files))
              for package, files in sorted(declared.items())]
    return found


def _has_rule(dependency: Dependency) -> bool:
    """Whether a rule covers imports of the declared package. Only npm's names are what code imports, and only
    package.json lists just what the code itself uses (go.mod lists indirect requirements too); elsewhere a rule
    is assumed."""
    return dependency.ecosystem != "npm" or _npm_package_covered(dependency.package)


@cache
def _npm_package_covered(package: str) -> bool:
    """An import of the package, or of a module below it (ollama/browser), is one a rule reads."""
    rules = language_rules("javascript")
    return bool(rules.rules_of_import(package, "/")) or any(
        module.startswith(f"{package}/") for rule in (*rules.sdk, *rules.binding, *rules.function)
        for module in rule.modules)


def _is_provider_factory(rule: Rule) -> bool:
    return isinstance(rule, SdkRule) and rule.provider_factory


def _multi_service_rules(rules: LanguageRules) -> frozenset[str]:
    """Rules over libraries that mostly do something else (boto3's Bedrock client among S3, SQS...): importing
    them says nothing about inference."""
    return frozenset(rule.id for rule in rules.sdk if rule.factories)
