"""Gitignore rules judged as git judges them, for a walk that decides each folder on its way down.

pathspec parses the rules and answers quickly for the many paths no rule matches; it judges paths from a
flat list, though, where a rule that matches a folder also matches everything under it, and it ranks
rules that match a path as a file above those that match it as a folder. A walk that never enters an
ignored folder needs git's own answer for each path: the last rule that matches the path itself wins,
and a deeper ignore file overrides a shallower one. ``tests/scan/test_gitignore.py`` compares the result
with ``git ls-files`` on random trees.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import re2

if TYPE_CHECKING:
    import pathspec

SPEC_CHUNK_LINES = 256
"""All rules of a screen are one RE2 set, which RE2 refuses beyond a memory budget (about 2,000 rules): large
ignore files are screened by several sets of this many rules each."""


@dataclass(frozen=True)
class _Rule:
    """One gitignore line, matched against the path itself: a folder rule (trailing ``/``) never matches
    a file, a rule with no other ``/`` matches the last part of the path at any depth, any other rule the
    whole path from the ignore file's folder, and a rule ending in ``/**`` what is inside its folder but
    not the folder."""

    pattern: pathspec.Pattern
    include: bool
    folder_only: bool
    by_name: bool
    folder: _Rule | None
    """For a rule ending in ``/**``: the rule that matches its folder, which it does not match itself."""

    @classmethod
    def of(cls, pattern: pathspec.Pattern) -> _Rule:
        text = str(pattern.pattern)
        body = (text[1:] if text.startswith("!") else text).rstrip(" ")
        by_name = "/" not in body.rstrip("/")
        return cls(pattern, bool(pattern.include), body.endswith("/"), by_name, _folder_of(body))

    def matches(self, path: str) -> bool:
        """``path`` is relative to the ignore file's folder; a folder's ends with ``/``."""
        is_folder = path.endswith("/")
        if self.folder_only and not is_folder:
            return False
        if self.by_name:
            path = path.rstrip("/").rpartition("/")[2] + ("/" if is_folder else "")
        result = self.pattern.match_file(path)
        if result is None or _through_a_parent(result, path):
            return False
        return not (is_folder and self.folder is not None and self.folder.matches(path))


def _folder_of(body: str) -> _Rule | None:
    """The rule for the folder of ``x/**`` (``/x``: it stays anchored), or None for other rules."""
    if not body.endswith("/**"):
        return None
    folder = body[: -len("/**")]
    if not folder:
        return None  # "/**": the ignore file's own folder, never a path below it
    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines([folder if "/" in folder else "/" + folder])
    return _Rule.of(spec.patterns[0])


def _through_a_parent(result: object, path: str) -> bool:
    """Whether pathspec matched ``path`` only because the rule matches a folder above it: its regexes
    mark the slash after a matched folder with the group ``ps_d``; text after that slash is below it."""
    match = getattr(result, "match", None)
    if match is None or "ps_d" not in match.re.groupindex or match.group("ps_d") is None:
        return False
    return bool(match.end("ps_d") < len(path))


@dataclass(frozen=True)
class IgnoreFile:
    """One ignore file's rules, and how to turn a root-relative path into a path relative to its folder."""

    screens: tuple[Callable[[bytes], object], ...]
    """Whether any rule may match a path, a few hundred rules at a time: a walk asks for every file, and
    one RE2 set answers the many paths that no rule matches in a microsecond."""
    folder_screens: tuple[Callable[[bytes], object], ...] | None
    """The same rules matched line by line (``(?m)``), for a folder's file paths joined by newlines: one RE2
    call per folder clears them all when no rule may match any of them (None: some rule's regex cannot)."""
    rules: tuple[_Rule, ...]
    strip: int
    """Characters to drop from the front of a root-relative path (the folder's own relpath and slash)."""
    prefix: str
    """Text to put in front (for files above the root: the root's path relative to their folder)."""

    @classmethod
    def parse(cls, lines: Sequence[str], strip: int = 0, prefix: str = "") -> tuple[IgnoreFile, list[tuple[int, str]]]:
        """The rules of ``lines``, and the (line number, text) of each line that is not a valid rule
        (left out; the others still apply)."""
        import pathspec  # with its regex engines: loaded by the first ignore file, a tree may have none

        invalid: list[tuple[int, str]] = []
        try:
            patterns = pathspec.GitIgnoreSpec.from_lines(lines, backend="simple").patterns
        except ValueError:
            invalid = [(number, line) for number, line in enumerate(lines, 1) if not _valid(line)]
            patterns = pathspec.GitIgnoreSpec.from_lines([line for line in lines if _valid(line)],
                                                         backend="simple").patterns
        active = [pattern for pattern in patterns if pattern.include is not None]
        chunks = [active[i : i + SPEC_CHUNK_LINES] for i in range(0, len(active), SPEC_CHUNK_LINES)]
        by_line = [_screen(chunk, "(?m)") for chunk in chunks]
        folder_screens = tuple(filter(None, by_line)) if all(by_line) else None
        rules = tuple(map(_Rule.of, active))
        return cls(tuple(map(_path_screen, chunks)), folder_screens, rules, strip, prefix), invalid

    def silent_on(self, relpaths: Sequence[str]) -> bool:
        """True when no rule matches any of ``relpaths`` (False when one may). As :meth:`verdict`, for many
        paths at once: one folder's files."""
        if self.folder_screens is None:
            return False
        try:
            text = "\n".join([self.prefix + relpath[self.strip :] for relpath in relpaths]).encode()
        except UnicodeEncodeError:
            return False
        # A rule matches a path alone only if it matches its line: a match across lines is a false alarm,
        # which costs the per-path verdicts and nothing else.
        return not any(screen(text) for screen in self.folder_screens)

    def verdict(self, relpath: str) -> bool | None:
        """True when ignored, False when re-included by a ``!`` rule, None when no rule speaks; the last
        rule that matches decides, as in git. Folders' relpaths end with ``/``."""
        return self.judge(self.prefix + relpath[self.strip :])

    def judge(self, path: str) -> bool | None:
        """The verdict on ``path`` relative to the ignore file's own folder."""
        try:
            encoded = path.encode()
        except UnicodeEncodeError:  # not UTF-8, which is what RE2 reads: the rules themselves decide
            encoded = None
        if encoded is not None and not any(screen(encoded) for screen in self.screens):
            return None
        return next((rule.include for rule in reversed(self.rules) if rule.matches(path)), None)


def ignored(files: Sequence[IgnoreFile], relpath: str) -> bool:
    """Whether ``files`` (shallowest first) ignore ``relpath``; the deepest file that speaks decides."""
    for ignore_file in reversed(files):
        verdict = ignore_file.verdict(relpath)
        if verdict is not None:
            return verdict
    return False


def folder_ignored(files: Sequence[tuple[Path, IgnoreFile]], folder: Path) -> bool:
    """Whether the ignore files above ``folder`` (each with the folder it sits in) ignore it."""
    for base, ignore_file in reversed(files):
        if base in folder.parents:
            verdict = ignore_file.judge(folder.relative_to(base).as_posix() + "/")
            if verdict is not None:
                return verdict
    return False


def _path_screen(patterns: list[pathspec.Pattern]) -> Callable[[bytes], object]:
    """A test that is true for every path that one of ``patterns`` matches (and perhaps a few more: a rule
    matches a path below a folder it matches, which :meth:`_Rule.matches` then tells apart)."""
    screen = _screen(patterns)
    if screen is None:  # long patterns can exceed RE2's budget even in a small chunk: match one by one
        return lambda path: any(pattern.match_file(path.decode()) is not None for pattern in patterns)
    return screen


def _screen(patterns: list[pathspec.Pattern], flags: str = "") -> Callable[[bytes], object] | None:
    """One RE2 set of the patterns' regexes (with ``flags``), or None when RE2 cannot take them."""
    screen = re2.Set.SearchSet()
    try:
        for pattern in patterns:
            screen.Add(flags + _regex_text(pattern))
        screen.Compile()
    except re2.error:
        return None
    return screen.Match


def _regex_text(pattern: pathspec.Pattern) -> str:
    regex = getattr(pattern, "regex", None)
    if regex is None or not isinstance(regex.pattern, str):
        raise re2.error(f"no regular expression for {pattern.pattern!r}")
    return regex.pattern


def _valid(line: str) -> bool:
    import pathspec

    try:
        pathspec.GitIgnoreSpec.from_lines([line])
    except ValueError:
        return False
    return True
