"""``.env`` files: every ``KEY=VALUE`` is an environment variable the product may run with."""

from __future__ import annotations

import io

from dotenv.parser import parse_stream

from offramp.scan.config.classify import Classifier
from offramp.scan.config.generic import env_value
from offramp.scan.findings import ConfigValue

SOURCE = "dotenv"


def dotenv_values(text: str, relpath: str, classifier: Classifier) -> list[ConfigValue]:
    """Lines that are not assignments are passed over, as the dotenv loaders of every language do."""
    found = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is None or binding.error or binding.value is None:
            continue
        original = binding.original.string
        line = binding.original.line + original[: len(original) - len(original.lstrip())].count("\n")
        found.append(env_value(relpath, line, binding.key, binding.value, SOURCE, classifier))
    return found
