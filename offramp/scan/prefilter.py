"""The cheap first pass: does a file mention any SDK, host, API path, env var or model at all?

Files that do not are never decoded or parsed, and in a typical repository that is 95-99% of them. The
terms are literal byte strings searched for case-sensitively in the raw bytes, all at once, by one of two
engines with the same answers:

- Hyperscan (Vectorscan), when the optional ``hyperscan`` extra is installed: a literal matcher made for
  thousands of terms. With the scan's 435 terms it matches 1,100 to 2,000 MB/s where RE2 matches 390 to 400
  (one core, synthetic Python files), so that reading and prefiltering 95,000 files takes about 1.1 s of CPU
  instead of 2.1 s (benchmarks/README.md).
- RE2 otherwise (a core dependency): one alternation, a DFA. With 72 terms the two were within noise (490
  and 580 MB/s); with 435, RE2's DFA is the slower by far.

Only :meth:`Prefilter.matches` runs on every file. :meth:`Prefilter.first_match`, which names the term in
the reason a mentioning file was skipped, is always answered by RE2, so both engines name the same term.

Case-sensitive on purpose: SDK import names, hosts and API paths are written in lower case and env var
names in upper case, so the driver lists each term as code writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property, lru_cache, partial
from typing import Literal

import re2

from offramp.cachefolder import compiled

try:
    import hyperscan
except ImportError:  # the optional extra is not installed (or has no wheel for this platform)
    hyperscan = None

Engine = Literal["hyperscan", "re2"]

_MAX_DFA_MEMORY = 64 << 20
"""Enough for an alternation of thousands of literals to stay a DFA (RE2's default of 8 MB is not)."""

_HYPERSCAN_MAX_BYTES = (1 << 32) - 1
"""Hyperscan takes a block's length as 32 bits; a larger block (only under a huge size limit) goes to RE2."""


class Prefilter:
    """Answers whether any of a fixed set of literal terms occurs in a file's bytes."""

    def __init__(self, terms: Iterable[str], engine: Engine | None = None) -> None:
        """``engine`` None takes Hyperscan when it is installed and runs on this CPU, else RE2."""
        self.terms = _term_set(terms)
        if not self.terms:
            raise ValueError("a prefilter needs at least one non-empty term")
        if engine == "hyperscan" and hyperscan is None:
            raise ValueError("the hyperscan engine is not installed; pip install 'offramp[hyperscan]'")
        self._database = _hyperscan_database(self.terms) if engine != "re2" and hyperscan is not None else None
        if engine == "hyperscan" and self._database is None:
            raise ValueError("hyperscan cannot compile these terms on this machine; use the re2 engine")
        self.engine: Engine = "re2" if self._database is None else "hyperscan"
        self._asked = engine

    @classmethod
    def shared(cls, terms: Iterable[str]) -> Prefilter:
        """The prefilter of ``terms`` on the best engine, made once per process: worker processes forked from
        this one find it made, instead of compiling it again from the pickled terms."""
        return _shared(_term_set(terms), None)

    def matches(self, data: bytes) -> bool:
        """Whether any term occurs in ``data`` (case-sensitive)."""
        if self._database is None or len(data) > _HYPERSCAN_MAX_BYTES:
            return self._pattern.search(data) is not None
        try:
            self._database.scan(data, _stop)
        except hyperscan.ScanTerminated:
            return True
        return False

    def first_end(self, data: bytes) -> int | None:
        """The offset in ``data`` where the first mention of a term ends, or None when none occurs (asked of the
        few files that match: :meth:`matches` answers the others at a tenth less per file)."""
        if self._database is None or len(data) > _HYPERSCAN_MAX_BYTES:
            found = self._pattern.search(data)
            return None if found is None else found.end()
        ends: list[int] = []
        try:
            self._database.scan(data, _stop_at_end, context=ends)
        except hyperscan.ScanTerminated:
            return ends[0]
        return None

    def first_match(self, data: bytes) -> str | None:
        """The term found first in ``data`` (the longest of those that start there), or None."""
        found = self._pattern.search(data)
        return None if found is None else found.group().decode()

    @cached_property
    def _pattern(self) -> re2._Regexp:
        options = re2.Options()
        options.max_mem = _MAX_DFA_MEMORY
        # Longest first: RE2 takes the first alternative that matches at the leftmost position.
        ordered = sorted(self.terms, key=len, reverse=True)
        return re2.compile(b"|".join(re2.escape(term.encode()) for term in ordered), options)

    def __reduce__(self) -> tuple[object, tuple[tuple[str, ...], Engine | None]]:
        # Neither engine's compiled form pickles: a worker process rebuilds it from the terms, once. RE2
        # builds its DFA lazily while it searches, so a pattern rebuilt for every batch would also pay
        # that warm-up again.
        return _shared, (self.terms, self._asked)

    def __repr__(self) -> str:
        return f"Prefilter({len(self.terms)} terms, {self.engine})"


def _term_set(terms: Iterable[str]) -> tuple[str, ...]:
    """The distinct non-empty terms, in one order whatever order they came in."""
    return tuple(sorted({term for term in terms if term}))


@lru_cache(maxsize=8)
def _shared(terms: tuple[str, ...], engine: Engine | None) -> Prefilter:
    return Prefilter(terms, engine)


def _hyperscan_database(terms: tuple[str, ...]) -> hyperscan.Database | None:
    """The terms compiled as literals, each reported once at most; None where Hyperscan refuses them (it
    needs SSE4.2 on x86-64 and says so when compiling): RE2 then answers, the same. The compiled form is kept
    in the cache folder: compiling takes a hundredth of a second, before the walk of every scan can start."""
    kept = compiled(f"hyperscan prefilter {hyperscan.__version__}", partial(_serialized_database, terms), *terms)
    database = _loaded(kept)
    if database is None and kept is not None:  # kept by a Hyperscan that this machine cannot load
        database = _loaded(_serialized_database(terms))
    return database


def _serialized_database(terms: tuple[str, ...]) -> bytes | None:
    database = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    try:
        database.compile(expressions=[term.encode() for term in terms], elements=len(terms),
                         flags=hyperscan.HS_FLAG_SINGLEMATCH, literal=True)
    except hyperscan.error:
        return None
    return hyperscan.dumpb(database)


def _loaded(serialized: bytes | None) -> hyperscan.Database | None:
    if serialized is None:
        return None
    try:
        database = hyperscan.loadb(serialized, mode=hyperscan.HS_MODE_BLOCK)
        database.scratch = hyperscan.Scratch(database)
    except hyperscan.error:
        return None
    return database


def _stop(*_match: object) -> bool:
    """Hyperscan's match callback: one match answers the question, so the scan stops there."""
    return True


def _stop_at_end(_term: int, _start: int, end: int, _flags: int, ends: list[int]) -> bool:
    """The same, noting where the first match ends (matches come in the order they end)."""
    ends.append(end)
    return True
