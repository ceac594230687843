from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

from offramp.catalog import Catalog
from offramp.scan.config.extract import extract_config
from offramp.scan.findings import ConfigValue

Extract = Callable[[str, str], list[ConfigValue]]


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.load()


@pytest.fixture
def extract(catalog: Catalog) -> Extract:
    """``extract(relpath, text)``: the config values of a file written for the test (dedented)."""

    def run(relpath: str, text: str) -> list[ConfigValue]:
        return extract_config(relpath, source(text), catalog)

    return run


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """The line of the n-th line of the (dedented) fixture that contains ``needle``."""
    lines = [n for n, line in enumerate(source(text).splitlines(), 1) if needle in line]
    assert len(lines) >= occurrence, f"{needle!r} is not in the fixture"
    return lines[occurrence - 1]


def by_key(values: list[ConfigValue]) -> dict[str, ConfigValue]:
    keyed = {v.key: v for v in values}
    assert len(keyed) == len(values), [v.key for v in values]
    return keyed
