"""A path's identity across commits: what it calls and from where, not the line it sits on.

The fingerprint hashes the file, the enclosing function, the SDK, the operation, the targets and the call's
first line with all whitespace removed, plus an occurrence index that tells identical calls in one function
apart. Lines inserted above a call therefore leave its fingerprint unchanged; editing the call changes it.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence

from offramp.scan.findings import InferencePath

FINGERPRINT_VERSION = "v1"
_WHITESPACE = re.compile(r"\s+")


def fingerprints(paths: Sequence[InferencePath]) -> list[str]:
    """One fingerprint per path, in the order given; identical calls are numbered in source order."""
    keys = [_key(path) for path in paths]
    seen: Counter[str] = Counter()
    occurrence = {}
    for index in sorted(range(len(paths)), key=lambda i: (paths[i].file, paths[i].line, paths[i].column)):
        occurrence[index] = seen[keys[index]]
        seen[keys[index]] += 1
    return [_digest(f"{key}\0{occurrence[index]}") for index, key in enumerate(keys)]


def _key(path: InferencePath) -> str:
    targets = sorted(f"{t.provider or '?'}/{t.model or '?'}" for t in path.targets)
    return "\0".join([FINGERPRINT_VERSION, path.file, path.function or "", path.sdk, path.operation,
                      ",".join(targets), _WHITESPACE.sub("", path.snippet)])


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
