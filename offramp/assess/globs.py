"""Path globs in .gitignore syntax, the one pattern language of offramp.toml and the assessment rules."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


@lru_cache(maxsize=1024)
def _spec(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec:
    import pathspec  # with its regex engines: loaded by the first path to judge, not by every start

    return pathspec.GitIgnoreSpec.from_lines(globs)


@lru_cache(maxsize=256)
def _union(globs: tuple[str, ...]) -> pathspec.GitIgnoreSpec | None:
    """One spec that matches a file exactly when one of ``globs`` does on its own; None when a glob is negated
    (alone it matches nothing, beside the others it would undo them)."""
    return None if any(glob.startswith("!") for glob in globs) else _spec(globs)


def matches(glob: str, file: str) -> bool:
    """Whether ``file`` (relative to the scanned root, forward slashes) matches ``glob``."""
    return _spec((glob,)).match_file(file)


def matches_any(globs: tuple[str, ...], file: str) -> bool:
    union = _union(globs)
    return union.match_file(file) if union is not None else any(matches(glob, file) for glob in globs)


def first_match(globs: Iterable[str], file: str) -> str | None:
    globs = tuple(globs)
    # Most files match none of a rule's globs: one match says so, instead of one per glob.
    return next((glob for glob in globs if matches(glob, file)), None) if matches_any(globs, file) else None
