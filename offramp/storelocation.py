"""Where the store (scan history and drill verdicts) is, and whether there is one yet.

Outside :mod:`offramp.store` on purpose, like :mod:`offramp.options`: every scan asks where the store is, to
read drill verdicts from it, but most find none and never need sqlite3 or the store's records.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

HISTORY_ENV = "OFFRAMP_HISTORY"
STORE_ENV = "OFFRAMP_STORE"


def default_location(environ: Mapping[str, str] | None = None) -> Path:
    """$OFFRAMP_HISTORY, else $XDG_DATA_HOME/offramp/history.sqlite, else ~/.local/share/offramp/history.sqlite."""
    environ = os.environ if environ is None else environ
    if environ.get(HISTORY_ENV):
        return Path(environ[HISTORY_ENV]).expanduser()
    data_home = Path(environ["XDG_DATA_HOME"]) if environ.get("XDG_DATA_HOME") else Path.home() / ".local" / "share"
    return data_home / "offramp" / "history.sqlite"


def store_location(given: str | Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Where the scan history and drill verdicts are kept: ``given`` (``--store``), else $OFFRAMP_STORE (a SQLite
    file or a ``postgresql://`` URL), else the SQLite file of :func:`default_location`."""
    environ = os.environ if environ is None else environ
    return str(given or environ.get(STORE_ENV) or default_location(environ))


def exists(location: str | Path) -> bool:
    """Whether there is a store at ``location`` to read: a server's always is; a SQLite file once written."""
    text = str(location)
    return ("://" in text and not text.startswith("sqlite://")) or Path(text.removeprefix("sqlite://")).is_file()
