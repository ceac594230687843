"""Versioned schema migrations, applied when a store opens: plain SQL files ``<engine>/NNNN_name.sql``.

The table ``schema_migrations`` lists the steps a database has taken. Starters that race on one database wait for
each other: PostgreSQL through an advisory lock held by the migrating transaction, SQLite through its write
lock (``BEGIN IMMEDIATE``). SQLite files also carry the version in ``PRAGMA user_version``, as the scan history
always has, so an older offramp refuses a newer file instead of writing into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from offramp.store.database import Database, Engine, Transaction

_LOCK_KEY = 0x0FF_4A3B
"""pg_advisory_xact_lock key for "offramp migrates this database"."""
_FILE = re.compile(r"^(\d{4})_(\w+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


@cache
def migrations(engine: Engine) -> tuple[Migration, ...]:
    """The engine's steps in version order."""
    found = []
    for entry in resources.files(__package__).joinpath(engine).iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], _statements(entry.read_text(encoding="utf-8"))))
    return tuple(sorted(found, key=lambda m: m.version))


def latest_version(engine: Engine) -> int:
    return migrations(engine)[-1].version


def migrate(database: Database) -> int:
    """Apply the steps ``database`` lacks, in one transaction; returns its version. A database some step newer
    than this offramp knows is refused with a :class:`~offramp.store.database.StoreError`."""
    from offramp.store.database import StoreError

    engine, known = database.engine, migrations(database.engine)
    if _up_to_date(database, known):
        return known[-1].version  # the common start: no write lock taken
    with database.transaction() as tx:
        if engine == "postgresql":
            tx.execute(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
        tx.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                   "applied_at TEXT NOT NULL)")
        applied = {row[0] for row in tx.fetchall("SELECT version FROM schema_migrations")}
        current = max(applied | {_user_version(tx, engine)}, default=0)
        if current > known[-1].version:
            raise StoreError(f"{database.where} was written by a newer offramp (schema version {current}; this "
                             f"offramp knows up to {known[-1].version}): upgrade offramp, or choose another store")
        for step in known:
            if step.version in applied:
                continue
            for statement in step.statements:
                tx.execute(statement)
            tx.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                       (step.version, step.name, datetime.now(UTC).isoformat(timespec="seconds")))
        if engine == "sqlite":
            tx.execute(f"PRAGMA user_version = {known[-1].version}")
    return known[-1].version


def _up_to_date(database: Database, known: tuple[Migration, ...]) -> bool:
    from offramp.store.database import StoreError

    try:
        row = database.fetchone("SELECT MAX(version), COUNT(*) FROM schema_migrations")
    except StoreError:  # no such table yet: a new store, or one from before migrations
        return False
    return row == (known[-1].version, len(known))


def _user_version(tx: Transaction, engine: Engine) -> int:
    if engine != "sqlite":
        return 0
    row = tx.fetchone("PRAGMA user_version")
    # Version 1 was the scan history's single schema before migrations: the initial step, already in place.
    return int(row[0]) if row else 0


def _statements(script: str) -> tuple[str, ...]:
    """A file's statements: ``--`` comment lines dropped, split at each ``;`` that ends a line."""
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("--"))
    return tuple(part.strip() for part in re.split(r";\s*$", code, flags=re.MULTILINE) if part.strip())
