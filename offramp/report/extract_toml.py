"""A Babel extraction method for the text that data files show to readers (lock-in and criticality rules).

babel.cfg names it for each TOML file with the keys to take, so that ``pybabel extract`` puts that text in the
same catalogue as the code's messages; the assessment passes it on as a parameterless
``offramp.assess.reason.Reason`` whose message id is the text itself::

    [extractors]
    toml = offramp.report.extract_toml:extract

    [toml: offramp/catalog/data/lockin.toml]
    keys = rule.feature rule.why

A key is a dotted path; a part naming an array of tables (``rule``) takes that key from every table in it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

from offramp.assess.locate import line_of_key

Extracted = tuple[int, str | None, str, list[str]]
"""What Babel expects of a method: line, function name (none here), message, translator comments."""
Location = tuple[str | int, ...]
"""Where a value sits: ("rule", 2, "why")."""


def extract(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
            options: Mapping[str, str]) -> Iterator[Extracted]:
    """Every string at one of the ``keys`` option's paths, with its line and the path as a translator comment."""
    keys = options.get("keys", "").split()
    if not keys:
        raise ValueError("the toml extraction method needs a `keys` option in babel.cfg, e.g. keys = rule.why")
    text = fileobj.read().decode(options.get("encoding", "utf-8"))
    data = tomllib.loads(text)
    for key in keys:
        for location, value in _values(data, key.split("."), ()):
            if isinstance(value, str) and value:
                yield line_of_key(text, location) or 0, None, value, [_describe(data, location)]


def _values(data: Any, parts: list[str], location: Location) -> Iterator[tuple[Location, Any]]:
    if not parts:
        yield location, data
        return
    if isinstance(data, list):
        for index, item in enumerate(data):
            yield from _values(item, parts, (*location, index))
    elif isinstance(data, dict) and parts[0] in data:
        yield from _values(data[parts[0]], parts[1:], (*location, parts[0]))


def _describe(data: Any, location: Location) -> str:
    """'rule[embeddings].why': translators see which rule a text belongs to."""
    described = ""
    for part in location:
        data = data[part]
        if isinstance(part, int):
            described += f"[{data['id']}]" if isinstance(data, dict) and "id" in data else f"[{part}]"
        else:
            described += f".{part}" if described else part
    return described
