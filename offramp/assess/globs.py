"""Path globs in .gitignore syntax, the one pattern language of offramp.toml and the assessment rules."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec


@lru_cache(maxsize=1024)
def _spec(glob: str) -> pathspec.GitIgnoreSpec:
    import pathspec  # with its regex engines: loaded by the first path to judge, not by every start

    return pathspec.GitIgnoreSpec.from_lines([glob])


def matches(glob: str, file: str) -> bool:
    """Whether ``file`` (relative to the scanned root, forward slashes) matches ``glob``."""
    return _spec(glob).match_file(file)


def first_match(globs: Iterable[str], file: str) -> str | None:
    return next((glob for glob in globs if matches(glob, file)), None)
