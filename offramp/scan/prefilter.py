"""The cheap first pass: does a file mention any SDK, host, API path, env var or model at all?

Files that do not are never decoded or parsed, and in a typical repository that is 95-99% of them. The
terms are literal byte strings searched for case-sensitively in the raw bytes, all at once, with RE2
(an automaton, so the cost does not grow with the number of terms). Measured on 17,162 real Python files
(152 MB) with 72 terms: RE2 about 490 MB/s, Hyperscan 580, ahocorasick-rs 440, pyahocorasick 105 (it
needs str, so each file must be decoded first), a ``bytes`` ``in`` loop 45, stdlib ``re`` 27.
RE2 is within noise of the fastest and needs no new dependency; see benchmarks/README.md.

Case-sensitive on purpose: SDK import names, hosts and API paths are written in lower case and env var
names in upper case, so the driver lists each term as code writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import re2

_MAX_DFA_MEMORY = 64 << 20
"""Enough for an alternation of thousands of literals to stay a DFA (RE2's default of 8 MB is not)."""


class Prefilter:
    """Answers whether any of a fixed set of literal terms occurs in a file's bytes."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: tuple[str, ...] = tuple(sorted({term for term in terms if term}))
        if not self.terms:
            raise ValueError("a prefilter needs at least one non-empty term")
        options = re2.Options()
        options.max_mem = _MAX_DFA_MEMORY
        # Longest first, so that first_match names the most specific term at a position.
        ordered = sorted(self.terms, key=len, reverse=True)
        self._pattern = re2.compile(b"|".join(re2.escape(term.encode()) for term in ordered), options)

    def matches(self, data: bytes) -> bool:
        """Whether any term occurs in ``data`` (case-sensitive)."""
        return self._pattern.search(data) is not None

    def first_match(self, data: bytes) -> str | None:
        """The first term found in ``data``, or None; as fast as :meth:`matches` when nothing is found."""
        found = self._pattern.search(data)
        return None if found is None else found.group().decode()

    def __reduce__(self) -> tuple[object, tuple[tuple[str, ...]]]:
        # A compiled RE2 pattern does not pickle: a worker process rebuilds it from the terms, once. RE2
        # builds its DFA lazily while it searches, so a pattern rebuilt for every batch would also pay
        # that warm-up again.
        return _shared, (self.terms,)

    def __repr__(self) -> str:
        return f"Prefilter({len(self.terms)} terms)"


@lru_cache(maxsize=8)
def _shared(terms: tuple[str, ...]) -> Prefilter:
    return Prefilter(terms)
