"""One thin SQL layer over SQLite and PostgreSQL, so each store is written once.

Statements use ``?`` placeholders; the PostgreSQL engine turns them into psycopg's ``%s``. Engines differ only in
how they hold connections (SQLite: one connection behind a lock, WAL and a busy timeout so processes wait for
each other; PostgreSQL: a psycopg pool) and in their migrations (``offramp/store/migrations/<engine>/``).
"""

from __future__ import annotations

import math
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit, urlunsplit

Engine = Literal["sqlite", "postgresql"]
Row = tuple[Any, ...]
SQLITE_BUSY_SECONDS = 60.0
"""How long a SQLite writer waits for another process's write (many CI jobs on one file) before giving up."""
POOL_SIZE = 4
CONNECT_SECONDS = 10.0


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says what to do."""


class _Cursor(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ...) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class _Connections(Protocol):
    engine: Engine
    errors: tuple[type[Exception], ...]

    def transaction(self, write: bool) -> AbstractContextManager[_Cursor]: ...

    def statement(self, sql: str) -> str: ...

    def values(self, params: Sequence[Any]) -> Sequence[Any]: ...

    def close(self) -> None: ...


class Transaction:
    """Statements inside one transaction: all of them are kept, or none."""

    def __init__(self, cursor: _Cursor, connections: _Connections) -> None:
        self._cursor = cursor
        self._connections = connections

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(self._connections.statement(sql), self._connections.values(params))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self._cursor.executemany(self._connections.statement(sql), [self._connections.values(r) for r in rows])

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        self.execute(sql, params)
        return [tuple(row) for row in self._cursor.fetchall()]

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        self.execute(sql, params)
        row = self._cursor.fetchone()
        return tuple(row) if row is not None else None


class Database:
    """An open store database. Each method call is its own transaction; :meth:`transaction` groups several.
    ``fetchall`` and ``fetchone`` only read: a statement that writes and returns rows goes in a transaction."""

    def __init__(self, connections: _Connections, where: str) -> None:
        self._connections = connections
        self.engine: Engine = connections.engine
        self.where = where
        """The location, safe to show (no password)."""

    @contextmanager
    def transaction(self, write: bool = True) -> Iterator[Transaction]:
        """Statements kept together; ``write=False`` for reads only, which then never wait for writers."""
        try:
            with self._connections.transaction(write) as cursor:
                yield Transaction(cursor, self._connections)
        except self._connections.errors as exc:
            raise StoreError(f"the store at {self.where} failed: {exc}".rstrip()) from exc

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        with self.transaction() as tx:
            tx.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.transaction() as tx:
            tx.executemany(sql, rows)

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self.transaction(write=False) as tx:
            return tx.fetchall(sql, params)

    def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self.transaction(write=False) as tx:
            return tx.fetchone(sql, params)

    def close(self) -> None:
        self._connections.close()


def connect(location: str | Path, purpose: str, hint: str) -> Database:
    """Open the store at ``location`` (a SQLite file path, ``sqlite:///path`` or ``postgresql://...``) and bring
    its schema up to date. ``purpose`` and ``hint`` make the error messages: "cannot use X as the <purpose>:
    <why>; <hint>"."""
    from offramp.store.migrations import migrate

    text = str(location)
    where = describe(text)
    try:
        connections = _open(text)
    except (OSError, sqlite3.Error, _ConnectFailed) as exc:
        raise StoreError(f"cannot use {where} as the {purpose} ({exc}): {hint}") from None
    database = Database(connections, where)
    try:
        migrate(database)
    except StoreError as exc:
        database.close()
        cause = exc.__cause__ or exc
        raise StoreError(f"cannot use {where} as the {purpose} ({cause}): {hint}") from None
    return database


def describe(location: str) -> str:
    """A store's or server's location as logs and messages may show it: a URL's password becomes ``***`` and its
    query and fragment are left out (libpq and redis-py also take a password there); a file path is as given."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    netloc = parts.netloc
    if parts.password is not None:
        netloc = f"{parts.username or ''}:***@{netloc.rsplit('@', 1)[1]}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def as_datetime(value: datetime | str) -> datetime:
    """A timestamp read back: PostgreSQL gives ``datetime``, SQLite the ISO text it was stored as."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


class _ConnectFailed(Exception):
    pass


def _open(location: str) -> _Connections:
    if location.startswith(("postgresql://", "postgres://")):
        return _Postgres(location)
    if "://" in location and not location.startswith("sqlite://"):
        raise _ConnectFailed("unknown kind of store: give a file path, sqlite:///path/to/file.sqlite or "
                             "postgresql://user@host/database")
    return _SQLite(Path(location.removeprefix("sqlite://")).expanduser())


class _SQLite:
    """One connection shared by the process's threads (a lock keeps one transaction at a time); other processes
    wait up to :data:`SQLITE_BUSY_SECONDS` for the write lock, and WAL lets readers go on while one writes."""

    engine: Engine = "sqlite"
    errors = (sqlite3.Error,)

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=SQLITE_BUSY_SECONDS, isolation_level=None, check_same_thread=False)
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            _retry_locked(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
            self._db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.Error:
            self._db.close()
            raise
        # SQLite may be built without its math functions; the stores' SQL uses floor() on both engines.
        self._db.create_function("floor", 1, math.floor, deterministic=True)
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self, write: bool) -> Iterator[_Cursor]:
        with self._lock:
            cursor = self._db.cursor()
            # A writer takes the write lock first (IMMEDIATE): one that reads then writes never deadlocks with
            # another process's, it waits for it (busy timeout). A reader takes none: WAL gives it a snapshot.
            begin = "BEGIN IMMEDIATE" if write else "BEGIN"
            _retry_locked(lambda: cursor.execute(begin))
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def statement(self, sql: str) -> str:
        return sql

    def values(self, params: Sequence[Any]) -> Sequence[Any]:
        return tuple(v.astimezone(UTC).isoformat() if isinstance(v, datetime) else v for v in params)

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _retry_locked(step: Any, attempts: int = 5) -> Any:
    """Run ``step``, again after a pause when SQLite says the database is locked past its busy timeout."""
    for attempt in range(attempts):
        try:
            return step()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    return None


class _Postgres:
    """A psycopg connection pool: each transaction borrows a connection, commits and gives it back."""

    engine: Engine = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
            from psycopg_pool import ConnectionPool
        except ImportError:
            raise _ConnectFailed("PostgreSQL needs psycopg 3: pip install 'offramp[org]'") from None
        self.errors = (psycopg.Error,)
        try:  # one plain connection first: the pool would only say it timed out, not why
            psycopg.connect(url, connect_timeout=CONNECT_SECONDS).close()
        except psycopg.Error as exc:
            raise _ConnectFailed(f"{' '.join(str(exc).split())} (check the URL and that the server is running)") \
                from None
        self._pool = ConnectionPool(url, min_size=1, max_size=POOL_SIZE, open=False, name="offramp-store",
                                    kwargs={"connect_timeout": CONNECT_SECONDS})
        self._pool.open(wait=True, timeout=CONNECT_SECONDS)

    @contextmanager
    def transaction(self, write: bool) -> Iterator[_Cursor]:
        with self._pool.connection() as connection, connection.cursor() as cursor:
            yield cursor  # the pool commits when the block ends, and rolls back when it raises

    def statement(self, sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def values(self, params: Sequence[Any]) -> Sequence[Any]:
        return params

    def close(self) -> None:
        self._pool.close()
