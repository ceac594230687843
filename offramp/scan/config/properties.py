"""Java ``.properties`` files (Spring's ``application.properties``, LangChain4j's settings)."""

from __future__ import annotations

import re

from offramp.scan.config.classify import Classifier
from offramp.scan.config.errors import ConfigError
from offramp.scan.config.generic import env_value
from offramp.scan.findings import ConfigValue

SOURCE = "properties"
_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
# The key ends at the first unescaped '=', ':' or blank; the separator may be surrounded by blanks.
_KEY = re.compile(r"((?:[^\\=:\s]|\\.)*)\s*[=:]?\s*")
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|u|.)")
_SIMPLE_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


def properties_values(text: str, relpath: str, classifier: Classifier) -> list[ConfigValue]:
    """Spring and LangChain4j keys that name a model or endpoint; UPPER_CASE keys also as env variables
    (Spring reads ``${CHAT_MODEL}`` placeholders from the environment and from the file alike)."""
    found = []
    for line, key, value in parse_properties(text):
        if _ENV_NAME.match(key):
            found.append(env_value(relpath, line, key, value, SOURCE, classifier))
        elif meaning := classifier.classify(key.split("."), value):
            found.append(ConfigValue(relpath, line, key, meaning.value, meaning.kind, SOURCE,
                                     meaning.provider, meaning.model))
    return found


def parse_properties(text: str) -> list[tuple[int, str, str]]:
    """(line, key, value) of each entry, as ``java.util.Properties.load`` reads them."""
    entries = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = index
        logical = lines[index].lstrip()
        index += 1
        if not logical or logical[0] in "#!":
            continue
        while _continues(logical) and index < len(lines):
            logical = logical[:-1] + lines[index].lstrip()
            index += 1
        match = _KEY.match(logical)
        assert match is not None  # the pattern matches any text, if only as an empty key
        try:
            entries.append((start + 1, _unescape(match.group(1)), _unescape(logical[match.end():])))
        except ValueError as exc:
            raise ConfigError(f"line {start + 1}: {exc}") from None
    return entries


def _continues(line: str) -> bool:
    """A line ending in an odd number of backslashes goes on on the next line."""
    return (len(line) - len(line.rstrip("\\"))) % 2 == 1


def _unescape(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape == "u":
            raise ValueError("malformed \\uXXXX escape; write four hex digits after \\u")
        if len(escape) == 5:
            return chr(int(escape[1:], 16))
        return _SIMPLE_ESCAPES.get(escape, escape)

    return _ESCAPE.sub(replace, text)
