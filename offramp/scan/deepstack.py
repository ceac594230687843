"""Run a function that recurses deeply, within a larger but still bounded stack.

The analysers walk syntax trees recursively. CPython compiles code nested far deeper than the default
recursion limit of 1,000 allows a walk to follow (a 250-link method chain, a 600-term ``+`` or ``elif``
chain), and a file must not be lost for one deep corner. A thread whose stack is large enough for the
higher limit runs the walk again; the limit still stops a pathological file, which is then reported.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

DEEP_RECURSION_LIMIT = 20_000
DEEP_STACK_BYTES = 256 << 20
"""Enough C stack for ``DEEP_RECURSION_LIMIT`` Python frames (a 2,000-link chain, deeper than CPython
itself compiles, needs under 16 MB); it is reserved address space, only the pages a walk reaches are used."""

_lock = threading.Lock()


def with_deep_stack(function: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``function(*args, **kwargs)``; if it runs out of recursion, once more with the deeper limit.
    Raises what the function raises (RecursionError too, past the deeper limit)."""
    try:
        return function(*args, **kwargs)
    except RecursionError as exc:
        too_deep = exc
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(function(*args, **kwargs))
        except BaseException as exc:  # handed to the caller's thread
            failure.append(exc)

    with _lock:  # the recursion limit and the new threads' stack size are process-wide
        limit, size = sys.getrecursionlimit(), threading.stack_size()
        try:
            threading.stack_size(DEEP_STACK_BYTES)
            sys.setrecursionlimit(DEEP_RECURSION_LIMIT)
            thread = threading.Thread(target=run, name="offramp-deep-walk", daemon=True)
            thread.start()
            thread.join()
        except RuntimeError:  # no room for the stack (a memory limit): the file stays too deep
            raise too_deep from None
        finally:
            sys.setrecursionlimit(limit)
            threading.stack_size(size)
    if failure:
        raise failure[0]
    return outcome[0]
