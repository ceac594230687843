"""Pausing Python's cycle collector while many objects that all stay alive are made."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside: each collection would walk every object made so far, over and over,
    though none of them is garbage yet (a file's syntax tree and its analysis, or the catalog being
    unpickled: the collections cost more than the work). Reference counting still frees what dies, and
    the next collection after the block finds any cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def kept() -> Iterator[None]:
    """:func:`paused`, for objects that stay to the end of the scan (the walk's files, the facts): at the end of
    the block they are frozen, so that no later collection walks them either (``gc.unfreeze`` when the scan
    ends hands them back to the collector)."""
    with paused():
        yield
        gc.freeze()
