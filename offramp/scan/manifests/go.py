"""go.mod: ``require`` lines and blocks (indirect requirements included: go.mod lists what the build uses)."""

from __future__ import annotations

import re

from offramp.scan.config.errors import ConfigError
from offramp.scan.manifests.declared import Declared, Wanted

_REQUIRE = re.compile(r'^"?([^\s"]+)"?\s+(v\S+)')


def go_mod(text: str, wanted: Wanted) -> list[Declared]:
    found = []
    in_require = False
    block_start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("//", 1)[0].strip()
        if in_require:
            if line == ")":
                in_require = False
                continue
            entry = line
        elif line.startswith("require"):
            entry = line[len("require"):].strip()
            if entry == "(":
                in_require, block_start = True, number
                continue
        else:
            continue
        if entry and (match := _REQUIRE.match(entry)) and wanted(match.group(1)):
            found.append(Declared(match.group(1), match.group(2), number))
    if in_require:
        raise ConfigError(f"the require block opened at line {block_start} is never closed")
    return found
