"""Click options that several commands share.

Outside :mod:`offramp.store` on purpose: importing that package loads sqlite3 and the store's records,
which ``offramp --help`` does not need."""

from __future__ import annotations

import click

store_option = click.option(
    "--store", "--history-db", "store", metavar="FILE|URL",
    help="Where scan history and drill verdicts are kept: a SQLite file, or postgresql://user@host/db to share them "
         "(pip install 'offramp[org]'). Default: $OFFRAMP_STORE, else $OFFRAMP_HISTORY, else "
         "~/.local/share/offramp/history.sqlite. --history-db is its former name.")
"""The ``--store`` option of every command that reads or writes the scan history and drill verdicts."""
