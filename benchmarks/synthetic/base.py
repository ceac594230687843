"""What every language of the synthetic repository shares: the vocabulary, templates and the Language API."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

PLANT_MARK = "  @@plant@@"
"""Appended to the line where a planted call starts; the generator records that line and removes the mark."""

_VOCABULARY = """
account order invoice payment session token cache report metric event queue worker job task record item
product customer address config settings request response handler service repository schema field value
result batch chunk page index entry node graph path blob bucket policy rule score rank query filter limit
offset user tenant region shipment refund ledger balance audit notice template message channel webhook
price discount coupon cart inventory warehouse supplier contract quote schedule slot booking review rating
"""
WORDS = _VOCABULARY.split()


@dataclass(frozen=True)
class Template:
    """An inference call: the imports it needs, a function holding it (its call line carries PLANT_MARK)."""

    style: str
    sdk: str
    provider: str
    model: str
    imports: tuple[str, ...]
    body: Callable[[str], list[str]]
    """Lines of the function, given its name in the language's style."""


class Language:
    """Writes ordinary modules of one language and knows its inference-call templates and look-alikes."""

    name = ""
    suffix = ""
    rg_type = ""
    """ripgrep's --type for the language, so the benchmark can restrict rg to the same files."""
    gitignore = ""
    templates: tuple[Template, ...] = ()
    decoys: tuple[Callable[[str], list[str]], ...] = ()

    def path(self, area: str, package: str, sub: str, stem: str) -> str:
        """Where a module goes: ``area`` is src, tests, scripts or examples; ``sub`` a subpackage path."""
        raise NotImplementedError

    def module(self, rng: random.Random, path: str, package: str, lines: int, is_test: bool) -> list[str]:
        raise NotImplementedError

    def with_block(self, module: list[str], block: list[str], imports: tuple[str, ...]) -> list[str]:
        """The module with a function (``block``) added among its definitions and ``imports`` at the top."""
        raise NotImplementedError

    def function_name(self, snake: str) -> str:
        return snake

    def ignored_content(self, rng: random.Random) -> dict[str, str]:
        """Files that mention SDKs but sit where no scan may look (behind .gitignore): relpath -> text."""
        return {}


def name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def camel(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(WORDS).title() for _ in range(parts))


def snake_to_camel(snake: str, upper_first: bool = False) -> str:
    head, *rest = snake.split("_")
    return (head.title() if upper_first else head) + "".join(part.title() for part in rest)


def function(open_line: str, body: list[str], close: str, indent: str, base: str = "") -> Callable[[str], list[str]]:
    """A template body: ``open_line`` formatted with the name, ``body`` indented once more, then ``close``."""

    def build(function_name: str) -> list[str]:
        inner = [base + indent + line if line else "" for line in body]
        return [base + open_line.format(name=function_name), *inner, *([base + close] if close else []), ""]

    return build


def insert_at_top_level(module: list[str], block: list[str], is_top_level: Callable[[str], bool]) -> list[str]:
    """``block`` before the first top-level definition in the second half of ``module``."""
    start = len(module) // 2
    at = next((i for i in range(start, len(module)) if is_top_level(module[i])), len(module))
    return [*module[:at], *block, *module[at:]]
